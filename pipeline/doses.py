"""Structured doses from dosing claims: amount (or range), unit, frequency, timing, duration, substance."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span

_WORDS = {"one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "half": 0.5}
_UNIT_NORMAL = {"mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gram": "g", "grams": "g", "gm": "g",
                "gms": "g", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "microgram": "mcg", "micrograms": "mcg",
                "iu": "IU", "ius": "IU", "units": "IU", "ml": "ml", "mls": "ml", "milliliter": "ml",
                "millilitre": "ml", "milliliters": "ml", "millilitres": "ml",
                "tsp": "teaspoon", "tsps": "teaspoon", "teaspoons": "teaspoon", "tbsp": "tablespoon",
                "tbsps": "tablespoon", "tbs": "tablespoon", "tablespoons": "tablespoon"}
_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}
_FREQ = [(re.compile(r"\bonce or twice\b"), 2), (re.compile(r"\b(two|2) (or|to) (three|3) times\b"), 3),
         (re.compile(r"\b(four|4) times\b|\bqid\b"), 4), (re.compile(r"\b(three|3) times\b|\btid\b|t\.i\.d"), 3),
         (re.compile(r"\btwice\b|\b(two|2) times\b|\bbid\b|b\.i\.d"), 2),
         (re.compile(r"\bonce\b|\bdaily\b|\bper day\b|\ba day\b|\bnightly\b|\bevery (day|night|morning)\b"), 1)]
_EVERY_HOURS = re.compile(r"every (\d+|one|two|three|four|five|six|eight|twelve)(?:\s*(?:to|-|–|or)\s*(\w+))? ?"
                          r"(?:hours?|hrs?|h)\b")
# words before an amount that make it a stated limit, not advice ("do not exceed 4,000 mg", "less than 3 mg").
# "up to" is not one of them: "take up to six tablets a day" recommends six.
_LIMIT_WORDS = re.compile(r"\b(exceed|exceeding|more than|maximum|max|no more than|less than|"
                          r"fewer than|limit|higher than|greater than|at most)\b[^.;]{0,30}$"
                          r"|\b(above|over|beyond|below|under)\s+(?:the |a |about |around |roughly )?$", re.I)
# a count of units that is a pack size, not a dose: "60 capsules per bottle", "20 gummies per jar"
_PACKAGE_AFTER = re.compile(r"^\s*(?:per|in each|in every|in a|in one|a|/)\s*(?:bottle|jar|pack|packet|container|tub|box|bag|"
                            r"pouch|tin|tube|carton|blister|strip|vial|pot|canister)\b", re.I)
_NUMBER = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a|an|half a)"
_COUNT_NOUN = (r"(?:tablets?|capsules?|caps|pills?|gumm(?:y|ies)|softgels?|scoops?|lozenges?|sachets?|drops?|chews?|"
               r"caplets?|servings?|shots?|pouch(?:es)?|patch(?:es)?|sprays?|droppers?(?:ful)?)")
# "two 200 mg capsules", "8 to 12 of the 2 mg tablets", "2 x 500 mg": a count of units of a stated strength
_COUNT_BEFORE = re.compile(rf"\b({_NUMBER})(?:\s*(?:to|-|–|or)\s*({_NUMBER}))?\s+(?:of the\s+|x\s*|×\s*)?$", re.I)
_NOUN_AFTER = re.compile(rf"^\s*(?:of\s+)?(?:[\w-]+\s+){{0,2}}?{_COUNT_NOUN}\b", re.I)
# "each tablet delivers 200 mg", "200 mg per capsule": the strength of one unit
_PER_UNIT_BEFORE = re.compile(rf"\b(?:each|per|every|one|a|1)\s+({_COUNT_NOUN})\s+(?:contains|delivers|provides|has|gives|"
                              rf"supplies|is|=)\s+(?:about |approximately |around |roughly |just |only )?$", re.I)
_PER_UNIT_AFTER = re.compile(rf"^\s*(?:of\s+[\w-]+(?:\s+[\w-]+)?\s+)?(?:per|in each|in every|in one|a|/)\s*({_COUNT_NOUN})\b", re.I)


_VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}
# the amounts of a dose text in order: "1 1/2", "1/2", "1½", "½", or a plain number ("1,000", "0.25")
_AMOUNT = re.compile(r"(?P<mw>\d{1,2})\s+(?P<mn>\d)/(?P<md>\d{1,2})(?![\d/])"
                     r"|(?<![\d/])(?P<fn>\d)/(?P<fd>\d{1,2})(?![\d/])"
                     r"|(?P<uw>\d{1,2})?\s?(?P<u>[½¼¾⅓⅔⅛])"
                     r"|(?P<num>\d+(?:[.,]\d+)*)")


def _amounts(text: str) -> list[float]:
    out = []
    for m in _AMOUNT.finditer(text):
        if m.group("mw"):
            out.append(round(int(m.group("mw")) + int(m.group("mn")) / max(1, int(m.group("md"))), 4))
        elif m.group("fn"):
            out.append(round(int(m.group("fn")) / max(1, int(m.group("fd"))), 4))
        elif m.group("u"):
            out.append(round(int(m.group("uw") or 0) + _VULGAR[m.group("u")], 4))
        else:
            n = m.group("num")  # "1,000" is a thousand, "1,5" one and a half
            out.append(float(n.replace(",", "")) if n.count(",") and len(n.split(",")[-1]) == 3
                       else float(n.replace(",", ".")))
    return out


def parse_amount(text: str) -> tuple[float | None, float | None, str | None]:
    """'1-3 grams' -> (1.0, 3.0, 'g'); 'two capsules' -> (2.0, 2.0, 'capsule'); '1 1/2 tsp' -> (1.5, 1.5, 'teaspoon')."""
    low = high = None
    nums = _amounts(text)
    if not nums:
        nums = [_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _WORDS]
    if nums:
        low, high = nums[0], nums[-1] if len(nums) > 1 else nums[0]
    words = re.findall(r"[a-zµμ%/]+", text.lower())
    unit = None
    for w in reversed(words):
        if w in _UNIT_NORMAL:
            unit = _UNIT_NORMAL[w]
            break
        if re.fullmatch(r"(mg|g|mcg|iu|ml)", w):
            unit = _UNIT_NORMAL.get(w, w)
            break
    if unit is None and words:
        unit = words[-1].rstrip("s") or None
    glued = re.search(r"\d(mg|g|mcg|iu|ml)\b", text.lower())
    if glued:
        unit = _UNIT_NORMAL[glued.group(1)]
    return low, high, unit


# doses per week or month ("once a week", "twice weekly", "3 times a week", "every other day")
_PER_WEEK = re.compile(r"\b(?:(once|twice|one|two|three|four|five|six|\d+)(?: times?)? (?:a|per|each|every) week|"
                       r"(once|twice|one|two|three|four|five|six|\d+)(?: times?)? weekly)\b|^\s*(weekly)\s*$|\b(every week)\b")
_PER_MONTH = re.compile(r"\b(?:(once|twice|one|two|three|\d+)(?: times?)? (?:a|per|each|every) month|monthly)\b")
_EVERY_OTHER = re.compile(r"\bevery (?:other|second) day\b|\bon alternate days\b")
_TIMES = {"once": 1, "twice": 2, **{k: v for k, v in _WORDS.items() if isinstance(v, int)}}


def per_day(freq_text: str) -> float | None:
    t = freq_text.lower()
    m = _PER_WEEK.search(t)
    if m:
        n = m.group(1) or m.group(2)
        return (float(_TIMES.get(n, n)) if n else 1.0) / 7.0
    m = _PER_MONTH.search(t)
    if m:
        n = m.group(1)
        return (float(_TIMES.get(n, n)) if n else 1.0) / 30.0
    if _EVERY_OTHER.search(t):
        return 0.5
    m = _EVERY_HOURS.search(t)
    if m:
        n = m.group(1)
        return 24.0 / float(_WORDS.get(n, n))
    for rx, n in _FREQ:
        if rx.search(t):
            return float(n)
    return None


# a substance taken together with the dosed one ("stack 10-20 mg a day with ostarine")
_COMPANION_BEFORE = re.compile(r"\b(?:with|alongside|plus|together with|on top of|in addition to)\s+(?:the |your |some |a |an )?$",
                               re.I)


def extract_doses(unit: Span, cues: list[Span], substance: str | None,
                  mentions: list[Span] | None = None, context: str | None = None) -> list[dict[str, Any]]:
    """One dict per amount stated in the unit, with the unit's frequency, timing and duration. Each
    amount goes to the substance named right after it ("200 mg of caffeine"), else the nearest
    mention in the unit, else ``substance``. A mention introduced as a companion ("... with ostarine")
    is not what the amount is of: when it is the only one, the amount goes to ``context`` (the substance
    the text was about)."""
    freqs = [c for c in cues if c.label_ == "DOSE_FREQ"]
    amounts = [c for c in cues if c.label_ == "DOSE_AMOUNT"]
    freq = freqs[0].text if freqs else None
    timing = next((c.text for c in cues if c.label_ == "DOSE_TIMING"), None)
    duration = next((c.text for c in cues if c.label_ == "DOSE_DURATION"), None)
    utext, ustart = unit.text, unit.start_char
    out = []
    for c in cues:
        if c.label_ != "DOSE_AMOUNT":
            continue
        low, high, u = parse_amount(c.text)
        if low is None:
            continue
        before = utext[max(0, c.start_char - ustart - 40):c.start_char - ustart]
        sub = substance
        own = [m for m in (mentions or [])
               if not _COMPANION_BEFORE.search(utext[max(0, m.start_char - ustart - 25):m.start_char - ustart])]
        if mentions and not own and context and context not in {m.id_ for m in mentions}:
            sub = context
        elif own:
            after = [m for m in own if 0 <= m.start_char - c.end_char <= 25]
            near = after or sorted(own, key=lambda m: min(abs(m.start_char - c.end_char), abs(c.start_char - m.end_char)))
            sub = near[0].id_
        after = utext[c.end_char - ustart:c.end_char - ustart + 40]
        f = _frequency_of(c, amounts, freqs) or freq
        count = per_unit = None
        if u in _TO_MG or u == "IU":
            m = _COUNT_BEFORE.search(before)
            noun = _NOUN_AFTER.match(after)
            if m and noun:
                count = _num(m.group(2) or m.group(1))
            pu = _PER_UNIT_BEFORE.search(before) or _PER_UNIT_AFTER.match(after)
            if pu or noun:
                per_unit = _singular(pu.group(1) if pu else re.findall(_COUNT_NOUN, noun.group(0), re.I)[-1])
        if _PACKAGE_AFTER.match(after):
            continue
        out.append({
            "text": c.text, "start": c.start_char, "end": c.end_char, "amount_low": low, "amount_high": high,
            "unit": u, "frequency": f, "per_day": per_day(f) if f else None, "timing": timing,
            "duration": duration, "substance": sub, "is_limit": bool(_LIMIT_WORDS.search(before)),
            "count": count, "per_unit": per_unit,
        })
    return out


def _num(word: str) -> float:
    w = word.lower().strip()
    return float(w) if re.fullmatch(r"\d+(\.\d+)?", w) else float(_WORDS.get(w.split()[-1] if w != "half a" else "half", 1))


def _singular(noun: str) -> str:
    n = noun.lower()
    return {"gummies": "gummy", "caps": "capsule", "pouches": "pouch", "patches": "patch"}.get(n, n.rstrip("s"))


def _frequency_of(amount: Span, amounts: list[Span], freqs: list[Span]) -> str | None:
    """The frequency that goes with one amount when a unit states several ("500 mg paracetamol four times a
    day, plus 400 mg ibuprofen three times a day"): the first after it and before the next amount, else
    the last one before it."""
    if len(amounts) < 2 or not freqs:
        return None
    nxt = min((a.start for a in amounts if a.start > amount.start), default=10**9)
    after = [f for f in freqs if amount.end <= f.start < nxt]
    if after:
        return after[0].text
    before = [f for f in freqs if f.end <= amount.start]
    return before[-1].text if before else None


# International units in micrograms, for the vitamins whose KB maximum may be in mass or in IU (NIH ODS
# fact sheets: vitamin A 1 IU retinol = 0.3 mcg RAE; vitamin D 1 IU = 0.025 mcg; vitamin E 1 IU synthetic
# all-rac-alpha-tocopherol = 0.45 mg, the lower of the two factors, so a flag is never inflated).
IU_IN_MCG = {"vitamin_a": 0.3, "vitamin_d": 0.025, "vitamin_e": 450.0}


def daily_mg(dose: dict[str, Any], kb_unit: str, substance: str | None = None) -> tuple[float, float] | None:
    """(stated daily amount at the top of the range, in kb_unit) when units are comparable. A count of
    units ("two 200 mg capsules") multiplies the amount; IU and mass convert for the vitamins in
    IU_IN_MCG."""
    u = dose.get("unit")
    if u is None or dose.get("amount_high") is None:
        return None
    amount = dose["amount_high"] * (dose.get("count") or 1.0) * (dose.get("per_day") or 1.0)
    if u == kb_unit:
        return amount, amount
    factor = IU_IN_MCG.get(substance or dose.get("substance") or "")
    if factor and "IU" in (u, kb_unit) and {u, kb_unit} <= {"IU", "mg", "mcg", "g"}:
        mcg = amount * factor if u == "IU" else amount * _TO_MG[u] * 1000.0
        conv = mcg / factor if kb_unit == "IU" else mcg / 1000.0 / _TO_MG[kb_unit]
        return conv, conv
    if u in _TO_MG and kb_unit in _TO_MG:
        conv = amount * _TO_MG[u] / _TO_MG[kb_unit]
        return conv, conv
    return None
