"""Structured doses from dosing claims: amount (or range), unit, frequency, timing, duration, substance."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = {"one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "half": 0.5}
_UNIT_NORMAL = {"mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gram": "g", "grams": "g", "gm": "g",
                "gms": "g", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "microgram": "mcg", "micrograms": "mcg",
                "iu": "IU", "ius": "IU", "units": "IU", "ml": "ml", "mls": "ml", "milliliter": "ml",
                "millilitre": "ml", "milliliters": "ml", "millilitres": "ml"}
_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}
_FREQ = [(re.compile(r"\bonce or twice\b"), 2), (re.compile(r"\b(two|2) (or|to) (three|3) times\b"), 3),
         (re.compile(r"\b(four|4) times\b|\bqid\b"), 4), (re.compile(r"\b(three|3) times\b|\btid\b|t\.i\.d"), 3),
         (re.compile(r"\btwice\b|\b(two|2) times\b|\bbid\b|b\.i\.d"), 2),
         (re.compile(r"\bonce\b|\bdaily\b|\bper day\b|\ba day\b|\bnightly\b|\bevery (day|night|morning)\b"), 1)]
_EVERY_HOURS = re.compile(r"every (\d+|one|two|three|four|five|six|eight|twelve)(?:\s*(?:to|-|–|or)\s*(\w+))? ?"
                          r"(?:hours?|hrs?|h)\b")
_LIMIT_WORDS = re.compile(r"\b(exceed|exceeding|above|more than|over|beyond|up to|maximum|max|no more than|"
                          r"limit|higher than|greater than|at most)\b[^.;]{0,30}$", re.I)


def parse_amount(text: str) -> tuple[float | None, float | None, str | None]:
    """'1-3 grams' -> (1.0, 3.0, 'g'); 'two capsules' -> (2.0, 2.0, 'capsule')."""
    low = high = None
    nums = [float(n.replace(",", "")) if n.count(",") and len(n.split(",")[-1]) == 3 else float(n.replace(",", "."))
            for n in _NUM.findall(text)]
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


def per_day(freq_text: str) -> float | None:
    t = freq_text.lower()
    m = _EVERY_HOURS.search(t)
    if m:
        n = m.group(1)
        return 24.0 / float(_WORDS.get(n, n))
    for rx, n in _FREQ:
        if rx.search(t):
            return float(n)
    return None


def extract_doses(unit: Span, cues: list[Span], substance: str | None,
                  mentions: list[Span] | None = None) -> list[dict[str, Any]]:
    """One dict per amount stated in the unit, with the unit's frequency, timing and duration. Each
    amount goes to the substance named right after it ("200 mg of caffeine"), else the nearest
    mention in the unit, else ``substance``."""
    freq = next((c.text for c in cues if c.label_ == "DOSE_FREQ"), None)
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
        if mentions:
            after = [m for m in mentions if 0 <= m.start_char - c.end_char <= 25]
            near = after or sorted(mentions, key=lambda m: min(abs(m.start_char - c.end_char), abs(c.start_char - m.end_char)))
            sub = near[0].id_
        out.append({
            "text": c.text, "start": c.start_char, "end": c.end_char, "amount_low": low, "amount_high": high,
            "unit": u, "frequency": freq, "per_day": per_day(freq) if freq else None, "timing": timing,
            "duration": duration, "substance": sub, "is_limit": bool(_LIMIT_WORDS.search(before)),
        })
    return out


def daily_mg(dose: dict[str, Any], kb_unit: str) -> tuple[float, float] | None:
    """(stated daily amount at the top of the range, in kb_unit) when units are comparable."""
    u = dose.get("unit")
    if u is None or dose.get("amount_high") is None:
        return None
    amount = dose["amount_high"] * (dose.get("per_day") or 1.0)
    if u == kb_unit:
        return amount, amount
    if u in _TO_MG and kb_unit in _TO_MG:
        conv = amount * _TO_MG[u] / _TO_MG[kb_unit]
        return conv, conv
    return None
