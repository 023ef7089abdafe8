"""Flags with evidence, and the article score and grade from a documented weights file."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.attribution import TRADITION_RULES
from pipeline.config import SCORING_FILE
from pipeline.errors import DataFileError
from pipeline.regulatory import KnowledgeBase
from pipeline.schema import ArticleResult, Claim, Flag

FLAG_CODES = ("unsourced_claim", "vague_attribution", "missing_regulatory_context", "missing_safety_context",
              "dose_above_reference")
_TYPE_WORDS = {"dosing": "dosing", "efficacy": "efficacy", "safety": "safety"}
# A claim with no type label is still flagged as unsourced when one type probability reaches this; a unit
# the classifier calls a non-claim, when one reaches NONCLAIM_TYPE_P (chosen on flags_gold.jsonl and the
# sample articles: 0.25 admitted "A simple way to measure is with a digital scale").
# Both compare the joint probability p(claim) x p(type | claim) (see joint_p).
UNTYPED_CLAIM_P = 0.3
NONCLAIM_TYPE_P = 0.6


def joint_p(c: Claim, label: str, conditional: bool) -> float:
    """p(claim and ``label``). With ``conditional`` (models since v1.4) the type probabilities are given that
    the unit is a claim, so a call to action or a byline can have a high p_dosing; times p(claim) they are
    back on the scale of the earlier models' probabilities, on which the thresholds above were chosen. p(claim)
    is the model's, before the rule that makes list fragments and headings non-claims (Claim.claim_p_model)."""
    if not conditional:
        return c.probs.get(label, 0.0)
    p_claim = c.claim_p_model if c.claim_p_model is not None else c.probs.get("is_claim", 1.0)
    return c.probs.get(label, 0.0) * p_claim


@dataclass
class Weights:
    weight: dict[str, float]
    severity: dict[str, float]
    cap: dict[str, float] = field(default_factory=dict)
    grades: dict[str, float] = field(default_factory=dict)
    scale: float = 60.0

    @classmethod
    def load(cls, path: str | Path = SCORING_FILE) -> Weights:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DataFileError(f"cannot read weights file {path}: {exc}") from exc
        for key in ("weight", "severity", "grades"):
            if not isinstance(data.get(key), dict):
                raise DataFileError(f"{path}: missing table [{key}]")
        unknown = set(data["weight"]) - set(FLAG_CODES) - {"unsupported_language"}
        if unknown:
            raise DataFileError(f"{path}: unknown flag codes in [weight]: {sorted(unknown)}")
        return cls(weight={k: float(v) for k, v in data["weight"].items()},
                   severity={k: float(v) for k, v in data["severity"].items()},
                   cap={k: float(v) for k, v in data.get("cap", {}).items()},
                   grades={k: float(v) for k, v in data["grades"].items()},
                   scale=float(data.get("scale", 60.0)))


def _span_ev(c: Claim) -> dict[str, Any]:
    return {"text": c.text, "start": c.start, "end": c.end}


def build_flags(result: ArticleResult, kb: KnowledgeBase, *, reg_context: dict[str, list[int]],
                specific_safety: set[int], conditional_types: bool = False) -> list[Flag]:
    """All flags for an article whose claims are labelled, sourced and tied to substances.

    ``reg_context`` maps substance id to the claim/unit indexes that state its regulatory status;
    ``specific_safety`` holds the indexes of safety claims that name a specific risk;
    ``conditional_types``: the type probabilities are given the unit is a claim (see joint_p)."""
    flags: list[Flag] = []
    claims = result.claims
    for c in claims:
        if c.kind == "table_row":
            continue  # a product label's composition table (checker._add_table_doses): not advice to source
        types = [lab for lab in c.labels if lab in _TYPE_WORDS]
        notable = [s for s in c.substances if s in kb and kb[s].notable]
        if not types and c.sourcing == "none":
            likely = max(_TYPE_WORDS, key=lambda k: c.probs.get(k, 0.0))
            if joint_p(c, likely, conditional_types) >= UNTYPED_CLAIM_P:
                # a claim whose type the classifier was unsure of is still a claim with no source
                flags.append(Flag("unsourced_claim", "medium",
                                  f"Claim (probably {likely}, p={c.probs[likely]:.2f}) with no source: no link, reference, "
                                  f"study or named authority in or next to the sentence.", c.index,
                                  notable[0] if notable else None, _span_ev(c)))
            continue
        if not types:
            # a claim of another kind (prevalence, composition) resting on a vague source; tradition and
            # reputation ("used for centuries", "known to") are claims of their own, not attribution
            if c.sourcing == "vague":
                flags.append(_vague_flag(c, notable))
            continue
        if c.sourcing == "none":
            sev = "high" if notable and ("dosing" in types or "efficacy" in types) else "medium"
            what = "/".join(types)
            flags.append(Flag("unsourced_claim", sev,
                              f"{what.capitalize()} claim with no source: no link, reference, study or named "
                              f"authority in or next to the sentence.", c.index, notable[0] if notable else None,
                              _span_ev(c)))
        elif c.sourcing == "vague":
            flags.append(_vague_flag(c, notable))
    flags.extend(_vague_nonclaims(result, kb))
    flags.extend(_unsourced_nonclaims(result, kb, conditional_types))
    # substances the article doses or promotes
    promoted: dict[str, list[Claim]] = {}
    dosed: dict[str, list[Claim]] = {}
    for c in claims:
        gives_dose = dict.fromkeys(_dosed_by(c))  # ordered: a set would follow the hash seed
        for s in c.substances:
            if "dosing" in c.labels or "efficacy" in c.labels:
                promoted.setdefault(s, []).append(c)
        for s in gives_dose:
            dosed.setdefault(s, []).append(c)
    for sid, cs in promoted.items():
        if sid not in kb or not kb[sid].notable or reg_context.get(sid):
            continue
        if len(cs) < 2 and not any(d.get("substance") == sid and not d.get("is_limit") and d.get("unit") != "%"
                                   for c in cs for d in c.doses):
            continue  # a single passing mention is not promotion
        sub = kb[sid]
        ref = sub.references[0]["url"] if sub.references else ""
        flags.append(Flag(
            "missing_regulatory_context", "high",
            f"{sub.name} is {'dosed' if sid in dosed else 'promoted'} here ({len(cs)} claim(s)) but the article says "
            f"nothing of its regulatory status. {sub.status_summary()}" + (f" See {ref}" if ref else ""),
            cs[0].index, sid, {"claims": [c.index for c in cs], **_span_ev(cs[0]), "facts": sub.facts()}))
    safety_about: set[str] = set()
    last_dosed: list[str] = []
    any_dosing = any("dosing" in c.labels for c in claims)  # else no safety-context flag can arise
    for c in result.units if any_dosing else ():
        if c.is_claim:
            last_dosed = [s for s in _dosed_by(c)] or last_dosed
        if not c.is_claim and (c.kind not in _PROSE_KINDS or c.text.rstrip().endswith("?")):
            continue  # headings and questions state nothing
        if not _states_a_risk(c, specific_safety):
            continue
        about = [s for s in c.substances if s in dosed]
        # a warning that names only the other drug ("people taking metformin should ...") is about the
        # substance just dosed
        safety_about.update(about or last_dosed[:1] or ["*"])
    for sid, cs in dosed.items():
        if sid in safety_about or ("*" in safety_about and len(dosed) == 1):
            continue
        sub = kb[sid] if sid in kb else None
        serious = bool(sub and sub.serious)
        concerns = ", ".join(c.replace("_", " ") for c in sub.concerns) if sub and sub.concerns else ""
        flags.append(Flag(
            "missing_safety_context", "high" if serious else "medium",
            f"Dosing advice for {sub.name if sub else sid} ({len(cs)} claim(s)) with no specific safety information "
            f"about it in the article (side effects, interactions, who should avoid it)"
            + (f"; known concerns: {concerns}." if concerns else "."),
            cs[0].index, sid, {"claims": [c.index for c in cs], **_span_ev(cs[0]),
                               "facts": sub.facts() if sub else None}))
    if not dosed and not safety_about:
        generic_dosing = [c for c in claims if "dosing" in c.labels]
        if generic_dosing:
            c0 = generic_dosing[0]
            flags.append(Flag("missing_safety_context", "medium",
                              f"Dosing advice ({len(generic_dosing)} claim(s)) with no specific safety information "
                              f"anywhere in the article.", c0.index, None,
                              {"claims": [c.index for c in generic_dosing], **_span_ev(c0)}))
    flags.extend(_dose_flags(claims, kb))
    by_index = {c.index: c for c in claims}
    by_span = {(u.start, u.end): u for u in result.units if not u.is_claim}
    for f in flags:
        c = by_index.get(f.claim_index) if f.claim_index is not None else by_span.get(
            (f.evidence.get("start"), f.evidence.get("end")))
        if c is not None and f.code not in c.flags:
            c.flags.append(f.code)
    return flags


def _vague_flag(c: Claim, notable: list[str]) -> Flag:
    cue = (c.sourcing_evidence or {}).get("text", "")
    return Flag("vague_attribution", "medium",
                f"Vague attribution ('{cue}') that a reader cannot check: name the study or authority, or link it.",
                c.index, notable[0] if notable else None, {**_span_ev(c), "cue": c.sourcing_evidence})


_PROSE_KINDS = ("sentence", "clause", "list_item", "list_fragment")


def _vague_nonclaims(result: ArticleResult, kb: KnowledgeBase) -> list[Flag]:
    """Units the classifier did not take for claims but that rest a claim-like statement on a vague source
    ("Fans of the stack say it's the perfect alcohol replacement"): a vague-attribution cue, no citation or
    named source, and a claim probability or a type probability that is not negligible."""
    out = []
    for u in result.units:
        if u.is_claim or u.kind not in _PROSE_KINDS or u.text.rstrip().endswith("?"):
            continue
        cues = [c for c in u.cues if c.label in ("ATTR_VAGUE", "ATTR_NAMED", "CITATION") and c.rule not in TRADITION_RULES]
        if not cues or any(c.label != "ATTR_VAGUE" for c in cues):
            continue
        p = u.probs
        if p.get("is_claim", 0.0) < 0.2 and max(p.get(k, 0.0) for k in _TYPE_WORDS) < 0.3:
            continue
        cue = cues[0]
        notable = [s for s in u.substances if s in kb and kb[s].notable]
        out.append(Flag("vague_attribution", "medium",
                        f"Vague attribution ('{cue.text}') for a claim-like statement that a reader cannot check: "
                        f"name the study or authority, or link it.", None, notable[0] if notable else None,
                        {**_span_ev(u), "cue": {"kind": "attr_vague", "text": cue.text, "start": cue.start,
                                                "end": cue.end, "rule": cue.rule}}))
    return out


def _unsourced_nonclaims(result: ArticleResult, kb: KnowledgeBase, conditional: bool) -> list[Flag]:
    """Clauses and list items the classifier did not take for claims although it is confident of a type
    ("so this gives 10 mg a day"): dosing, efficacy or safety statements with no source."""
    out = []
    for u in result.units:
        if u.is_claim or u.kind not in _PROSE_KINDS or u.text.rstrip().endswith("?"):
            continue
        if any(c.label in ("ATTR_VAGUE", "ATTR_NAMED", "CITATION") and c.rule not in TRADITION_RULES for c in u.cues):
            continue
        likely = max(_TYPE_WORDS, key=lambda k: u.probs.get(k, 0.0))
        if joint_p(u, likely, conditional) < NONCLAIM_TYPE_P:
            continue
        notable = [s for s in u.substances if s in kb and kb[s].notable]
        out.append(Flag("unsourced_claim", "medium",
                        f"{likely.capitalize()} statement (p={u.probs[likely]:.2f}) with no source: no link, reference, "
                        f"study or named authority in or next to it.", None, notable[0] if notable else None,
                        _span_ev(u)))
    return out


def _dosed_by(c: Claim) -> list[str]:
    """The substances a dosing claim gives dosing advice for: those its amounts go to (a stated limit
    such as "less than 3 mg" is not advice), or, for advice with no amount ("take it at bedtime"), the
    substances it is about when it carries a dosing cue."""
    if not c.is_claim or "dosing" not in c.labels or c.kind == "table_row":
        return []  # (a composition table's rows are dosed through the directions that count servings)
    if c.doses:
        return list(dict.fromkeys(d["substance"] for d in c.doses if d.get("substance") and not d.get("is_limit")))
    if any(cue.label.startswith("DOSE_") for cue in c.cues):
        return list(c.substances)
    return []


# Specific safety information (the flag definitions): a named side effect or harm, an interaction, a
# contraindication or group who should avoid it, dependence or withdrawal, an overdose or limit warning.
# Assurances ("safe", "gentle", "no side effects") and generic advice ("consult your doctor") do not count.
_RISK = re.compile(
    r"\b(side[- ]effects?|adverse (events?|effects?|reactions?)|toxic\w*|overdos\w*|poison\w*|dependen\w*|addict\w*|"
    r"habit[- ]forming|withdrawal|rebound|interact\w*|contraindicat\w*|liver|hepat\w*|kidneys?|renal|"
    r"heart (rate|rhythm|attack|problems?|conditions?|palpitations?)|racing heart|palpitations?|blood pressure|"
    r"blood sugar|bleed\w*|blood[- ]thinn\w*|warfarin|clopidogrel|seizures?|strokes?|deaths?|died|fatal|deadly|lethal|"
    r"allerg\w*|rash(es)?|hives|pregnan\w*|breast-?feeding|nause\w*|vomit\w*|diarrh\w*|constipat\w*|"
    r"stomach (upset|cramps?|pain)|upset stomach|cramps|bloating|headaches?|dizz\w*|drows\w*|sleepiness|insomnia|"
    r"trouble sleeping|poor sleep|jitter\w*|agitation|psychosis|hallucinat\w*|serotonin syndrome|"
    r"respiratory|hypercalc\w*|deficiency|nerve damage|neuropathy|numbness|water retention|weight gain|fertility|"
    r"testicles?|hair loss|suicid\w*|impair\w*|surgery|(build\w*|develop\w*|caus\w*|lead\w* to) (up )?(a )?tolerance|alcohol|birth control|"
    r"contraceptive|dehydrat\w*|overheat\w*|body temperature|antidote|fever|thyroid|pancreatitis|"
    r"muscle (pain|damage)|dark urine|yellowing|jaundice|gallstones?|ulcers?|asthma|blood clots?|an(a)?emi\w*|"
    r"h(a)?emorrhag\w*|o?edema|swelling|faint\w*|chest pain|irregular heartbeat|shortness of breath|tremors?|"
    r"confusion|hypoglyc(a)?emi\w*|hypertensi\w*|"
    r"(suppress\w*|shut\w* down|lower\w*|reduc\w*|crash\w*)( of)? (your |the )?(own |natural |body'?s )?"
    r"(testosterone|hormones?|o?estrogen)|testosterone suppression)\b", re.I)
# Every branch of _RISK contains one of these (case-folded): a text with none of them cannot match, and
# the substring test is ~10x cheaper than the regex (tests/test_score.py checks the list against _RISK).
_RISK_WORDS = ("side", "advers", "toxic", "overdos", "poison", "dependen", "addict", "habit", "withdrawal",
               "rebound", "interact", "contraindicat", "liver", "hepat", "kidney", "renal", "heart", "palpitation",
               "blood", "bleed", "warfarin", "clopidogrel", "seizure", "stroke", "death", "died", "fatal", "deadly",
               "lethal", "allerg", "rash", "hives", "pregnan", "breast", "nause", "vomit", "diarrh", "constipat",
               "stomach", "cramps", "bloating", "headache", "dizz", "drows", "sleepiness", "insomnia", "sleeping", "poor sleep",
               "jitter", "agitation", "psychosis", "hallucinat", "serotonin", "respiratory", "hypercalc",
               "deficiency", "nerve", "neuropathy", "numbness", "retention", "weight gain", "fertility", "testicle",
               "hair loss", "suicid", "impair", "surgery", "tolerance", "alcohol", "birth control", "contraceptive", "dehydrat",
               "overheat", "body temperature", "antidote", "fever", "thyroid", "pancreatitis", "muscle", "dark urine",
               "yellowing", "jaundice", "gallstone", "ulcer", "asthma", "clot", "anemi", "anaemi", "emorrhag",
               "edema", "swelling", "faint", "chest pain", "irregular heartbeat", "shortness of breath", "tremor", "confusion", "hypoglyc",
               "hypertensi", "testosterone", "hormone", "estrogen")


def _may_name_risk(text: str) -> bool:
    low = text.casefold()
    return any(w in low for w in _RISK_WORDS)


_STRONG_RISK = re.compile(
    r"\b(side[- ]effects?|adverse|interact\w*|contraindicat\w*|withdrawal|dependen\w*|addict\w*|overdos\w*|"
    r"toxic\w*|poison\w*|liver (damage|injury|failure|enzymes|problems)|kidney (damage|problems|stones)|"
    r"serotonin syndrome|bleeding|pregnan\w*|breast-?feeding)\b", re.I)
_CONTRA = re.compile(
    r"\b(should|must|do|does|can)\s*(not|n['’]t)\s+(be\s+)?(take|taken|use|used|combine|combined|mix|mixed|give|given)\b"
    r"[^.]{0,60}\b(if|with|while|during|alongside|by|more than|together)\b"
    r"|\bnot\s+(suitable|recommended|safe|for use)\s+(for|during|in|if|with|by)\b"
    r"|\b(avoid|skip|stop)\b[^.]{0,40}\b(if|while|during|before)\b"
    r"|\b(people|anyone|those|women|men|children|kids|adults|patients)\s+(with|who|taking|on|under)\b[^.]{0,80}"
    r"\b((should|must|best to|better|advised to) avoid|should not|shouldn['’]t|must not|skip|check with|talk to|ask|speak to)\b"
    r"|\b(never|do not|don['’]t|not)\s+(take|use|exceed|go over|redose|re-dose)\b[^.]{0,30}"
    r"\b(more than|over|above|same day|in 24 hours|a day|per day|within)\b"
    r"|\b((do not|don['’]t|never|not to) exceed|(no|not) more than)\b[^.]{0,30}(\d|\b(one|two|three|four|five|six|"
    r"eight|ten|twelve)\b)|\bnever re-?dose\b"
    r"|\bnot for (use by )?(children|kids|pregnant|anyone|people|use in)\b", re.I)
_GENERIC_GROUP = re.compile(r"\b(medical|health|pre-?existing|underlying|any) (condition|problem|concern|issue)s?\b", re.I)
_NEGATED = re.compile(r"\b(no|not|without|free (of|from)|zero|never|won['’]t|doesn['’]t|don['’]t|fewer|less|minimal|"
                      r"low risk of|avoid(ing)? the|non)\W+(\w+\W+){0,2}$", re.I)
# An assurance that a harm need not concern the reader ("you don't have to worry about the side effects")
_NO_WORRY = re.compile(r"\b(no need to|(do not|don['’]t|won['’]t|will not|never) (have|need) to|nothing to|not have to|"
                       r"needn['’]t) (worry|fear|be (concerned|worried|afraid)|think)( about| over| of)?( the| any)?\s*$", re.I)
_NO_WORRY_OF = re.compile(_NO_WORRY.pattern.replace(r"\s*$", r"\s*") + r"[^.]{0,25}?\b(side[- ]effects?|risks?|harms?|"
                          r"dangers?|problems?)\b", re.I)
# Harms presented as the product working ("it means the toxins are leaving your body, so keep going")
_DETOX = re.compile(r"\b(detox\w*|toxins? (are )?(leaving|coming out|being released|flushing)|healing crisis|herx\w*|"
                    r"means (it'?s|it is) working|keep going)\b", re.I)
# A symptom named as what the product treats ("soothes stomach ulcers", "helps with insomnia") is efficacy
_TREATS = re.compile(r"\b(sooth\w*|reliev\w*|eas(e|es|ing)|reduc\w*|treat\w*|prevent\w*|fight\w*|cur(e|es|ing)|calm\w*|"
                     r"improv\w*|help\w*( with)?|for|against|beat\w*|stop\w* the)\W+(\w+\W+){0,3}$", re.I)
_AVOIDED = re.compile(r"\b(avoid\w*|minimi[sz]\w*|reduc\w*|prevent\w*)\W+(\w+\W+){0,2}$", re.I)
_SIDE_EFFECTS_AVOIDED = re.compile(r"\b(avoid|without|fewer|no|free (of|from)|less)\b[^.]{0,20}\bside[- ]effects?\b", re.I)


def names_specific_risk(text: str) -> str | None:
    """The words of ``text`` that give specific safety information, or None."""
    if _DETOX.search(text):
        return None
    for m in (_RISK.finditer(text) if _may_name_risk(text) else ()):
        before = text[max(0, m.start() - 40):m.start()]
        word = m.group(0).lower()
        if _NEGATED.search(before) or _TREATS.search(before) or _NO_WORRY.search(before):
            continue
        if word.startswith(("side", "adverse")) and _AVOIDED.search(before):
            continue  # "start low to avoid side effects" names no risk
        if word.startswith("interact") and re.match(r"\W+with (the |your )?(body|brain|\w+ receptors?|receptors?)",
                                                    text[m.end():], re.I):
            continue  # mechanism ("interacts with opioid receptors"), not a drug interaction
        return m.group(0)
    m = _CONTRA.search(text)
    if m and not (_GENERIC_GROUP.search(text) and not _STRONG_RISK.search(text)):
        return m.group(0)
    return None


def _treated(text: str) -> bool:
    """A harm word used as what the product treats ("helps with the withdrawal", "soothes ulcers")."""
    return any(_TREATS.search(text[max(0, m.start() - 40):m.start()]) for m in _RISK.finditer(text))


def _states_a_risk(c: Claim, cue_flagged: set[int]) -> bool:
    """A unit that gives specific safety information: a safety claim that names a risk (by its words, or by
    a specific SAFETY cue of the lexicon that is not an avoided side effect), or any other unit that names
    a strong one (an interaction, a contraindication, withdrawal, liver injury...)."""
    risk = names_specific_risk(c.text)
    if c.is_claim and "safety" in c.labels:
        return bool(risk) or (c.index in cue_flagged and not _DETOX.search(c.text) and not _NO_WORRY_OF.search(c.text)
                              and not _SIDE_EFFECTS_AVOIDED.search(c.text) and not _treated(c.text))
    return bool(risk) and bool(_STRONG_RISK.search(c.text) or _CONTRA.search(c.text)) and not _DETOX.search(c.text)


_NOT_ADVICE = re.compile(r"\b(stud(y|ies)|trials?|participants|patients|subjects|volunteers|researchers|randomi[sz]ed|"
                         r"prescribe[sd]?|prescribing|"
                        r"placebo|RDA|recommended (daily|dietary) (allowance|intake)|from food|dietary intake|diet)\b", re.I)


def _dose_flags(claims: list[Claim], kb: KnowledgeBase) -> list[Flag]:
    """Recommended daily amounts above the KB maximum, one flag per substance (the highest). Study doses,
    dietary intakes and stated limits ("do not exceed ...") are not recommendations to flag.

    The daily amount may be spread over neighbouring claims: an amount with no frequency takes the
    frequency of the next dosing claim when that one states no amount of its own ("200 mg of caffeine
    anhydrous ..." then "Take this stack three times a day"), and a count of units ("take one to two
    tablets") takes the strength stated for that unit elsewhere ("each tablet delivers 200 mg")."""
    from pipeline.doses import daily_mg, per_day

    advice = [c for c in claims if "dosing" in c.labels and not _NOT_ADVICE.search(c.text)]
    strength: dict[tuple[str, str], dict] = {}
    for c in advice:
        for d in c.doses:
            if d.get("per_unit") and d.get("substance") and d.get("unit") in ("mg", "g", "mcg", "IU") and not d.get("is_limit"):
                strength.setdefault((d["substance"], d["per_unit"]), d)
    best: dict[str, tuple[float, Flag]] = {}
    for k, c in enumerate(advice):
        nxt = advice[k + 1] if k + 1 < len(advice) and advice[k + 1].index - c.index <= 2 else None
        nxt_freq = None
        if nxt is not None and not any(d.get("unit") in ("mg", "g", "mcg", "IU") for d in nxt.doses):
            nxt_freq = next((d.get("frequency") for d in nxt.doses if d.get("frequency")), None) or \
                next((cue.text for cue in nxt.cues if cue.label == "DOSE_FREQ"), None)
        nxt_count = max((d["amount_high"] for d in nxt.doses if d.get("unit") and d["unit"].rstrip("s") in
                         ("tablet", "capsule", "scoop", "gummy", "softgel", "lozenge", "caplet", "serving", "drop",
                          "chew", "shot", "sachet")), default=None) if nxt_freq else None
        for d in c.doses:
            sid = d.get("substance")
            if d.get("is_limit") or not sid or sid not in kb or not kb[sid].max_daily_dose:
                continue
            mdd = kb[sid].max_daily_dose
            how = ""
            d2 = d
            if d.get("unit") not in ("mg", "g", "mcg", "IU") and (sid, (d.get("unit") or "").rstrip("s")) in strength:
                unit_dose = strength[(sid, d["unit"].rstrip("s"))]
                d2 = {**unit_dose, "count": d["amount_high"], "per_day": d.get("per_day"), "frequency": d.get("frequency")}
                how = f" ({d['text']} of {unit_dose['text']} each)"
            elif d.get("per_day") is None and nxt_freq and per_day(nxt_freq):
                d2 = {**d, "per_day": per_day(nxt_freq), "frequency": nxt_freq,
                      "count": d.get("count") or (nxt_count if d.get("per_unit") else None)}
                how = f" (frequency from the next sentence: '{nxt_freq}')"
            times = f" × {d2['count']:g}" if d2.get("count") and d2["count"] != 1 and d2 is not d and not how.startswith(
                " (" + d["text"] + " of") else f" × {d['count']:g}" if d.get("count") and d["count"] != 1 else ""
            daily = daily_mg(d2, mdd["unit"], sid)
            if daily is None or daily[1] <= mdd["amount"] or daily[1] <= best.get(sid, (0.0, None))[0]:
                continue
            best[sid] = (daily[1], Flag(
                "dose_above_reference", "high",
                f"Stated dose '{d['text']}'{times}{' ' + d2['frequency'] if d2.get('frequency') else ''}{how} comes to about "
                f"{daily[1]:g} {mdd['unit']} a day, above the published maximum of {mdd['amount']:g} {mdd['unit']} "
                f"for {kb[sid].name} ({mdd.get('population', 'adults')}; {mdd.get('basis', '')}).",
                c.index, sid, {"text": d["text"], "start": d["start"], "end": d["end"], "max_daily_dose": mdd}))
    return [f for _, f in best.values()]


def score_article(flags: list[Flag], weights: Weights) -> tuple[float, str, dict[str, float]]:
    """(score 0-100, grade, points per flag code)."""
    points: dict[str, float] = {}
    for f in flags:
        points[f.code] = points.get(f.code, 0.0) + weights.weight.get(f.code, 0.0) * weights.severity.get(
            f.severity, 1.0)
    for code, cap in weights.cap.items():
        if code in points:
            points[code] = min(points[code], cap)
    total = sum(points.values())
    score = round(100.0 * (1.0 - math.exp(-total / weights.scale)), 1)
    grade = next((g for g, limit in sorted(weights.grades.items(), key=lambda kv: kv[1]) if score < limit), "F")
    return score, grade, {k: round(v, 2) for k, v in sorted(points.items())}
