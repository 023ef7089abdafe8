"""Flags with evidence, and the article score and grade from a documented weights file."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import SCORING_FILE
from pipeline.errors import DataFileError
from pipeline.regulatory import KnowledgeBase
from pipeline.schema import ArticleResult, Claim, Flag

FLAG_CODES = ("unsourced_claim", "vague_attribution", "missing_regulatory_context", "missing_safety_context",
              "dose_above_reference")
_TYPE_WORDS = {"dosing": "dosing", "efficacy": "efficacy", "safety": "safety"}


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
                specific_safety: set[int]) -> list[Flag]:
    """All flags for an article whose claims are labelled, sourced and tied to substances.

    ``reg_context`` maps substance id to the claim/unit indexes that state its regulatory status;
    ``specific_safety`` holds the indexes of safety claims that name a specific risk."""
    flags: list[Flag] = []
    claims = result.claims
    for c in claims:
        types = [lab for lab in c.labels if lab in _TYPE_WORDS]
        if not types:
            continue
        notable = [s for s in c.substances if s in kb and kb[s].notable]
        if c.sourcing == "none":
            sev = "high" if notable and ("dosing" in types or "efficacy" in types) else "medium"
            what = "/".join(types)
            flags.append(Flag("unsourced_claim", sev,
                              f"{what.capitalize()} claim with no source: no link, reference, study or named "
                              f"authority in or next to the sentence.", c.index, notable[0] if notable else None,
                              _span_ev(c)))
        elif c.sourcing == "vague":
            cue = (c.sourcing_evidence or {}).get("text", "")
            flags.append(Flag("vague_attribution", "medium",
                              f"Vague attribution ('{cue}') that a reader cannot check: name the study or "
                              f"authority, or link it.", c.index, notable[0] if notable else None,
                              {**_span_ev(c), "cue": c.sourcing_evidence}))
    # substances the article doses or promotes
    promoted: dict[str, list[Claim]] = {}
    dosed: dict[str, list[Claim]] = {}
    for c in claims:
        for s in c.substances:
            if "dosing" in c.labels or "efficacy" in c.labels:
                promoted.setdefault(s, []).append(c)
            if "dosing" in c.labels:
                dosed.setdefault(s, []).append(c)
    for sid, cs in promoted.items():
        if sid not in kb or not kb[sid].notable or reg_context.get(sid):
            continue
        if len(cs) < 2 and not any(d.get("substance") == sid for c in cs for d in c.doses):
            continue  # a single passing mention is not promotion
        sub = kb[sid]
        ref = sub.references[0]["url"] if sub.references else ""
        flags.append(Flag(
            "missing_regulatory_context", "high",
            f"{sub.name} is {'dosed' if sid in dosed else 'promoted'} here ({len(cs)} claim(s)) but the article says "
            f"nothing of its regulatory status. {sub.status_summary()}" + (f" See {ref}" if ref else ""),
            cs[0].index, sid, {"claims": [c.index for c in cs], **_span_ev(cs[0]), "facts": sub.facts()}))
    safety_about: set[str] = set()
    for c in claims:
        if c.index in specific_safety:
            safety_about.update(c.substances or ["*"])
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
    for f in flags:
        c = by_index.get(f.claim_index)
        if c is not None and f.code not in c.flags:
            c.flags.append(f.code)
    return flags


_NOT_ADVICE = re.compile(r"\b(stud(y|ies)|trials?|participants|patients|subjects|volunteers|researchers|randomi[sz]ed|"
                        r"placebo|RDA|recommended (daily|dietary) (allowance|intake)|from food|dietary intake|diet)\b", re.I)


def _dose_flags(claims: list[Claim], kb: KnowledgeBase) -> list[Flag]:
    """Recommended daily amounts above the KB maximum. Study doses, dietary intakes and stated limits
    ("do not exceed ...") are not recommendations to flag."""
    from pipeline.doses import daily_mg

    out = []
    for c in claims:
        if "dosing" not in c.labels or _NOT_ADVICE.search(c.text):
            continue
        for d in c.doses:
            sid = d.get("substance")
            if d.get("is_limit") or not sid or sid not in kb or not kb[sid].max_daily_dose:
                continue
            mdd = kb[sid].max_daily_dose
            daily = daily_mg(d, mdd["unit"])
            if daily is None or daily[1] <= mdd["amount"]:
                continue
            out.append(Flag(
                "dose_above_reference", "high",
                f"Stated dose '{d['text']}'{' ' + d['frequency'] if d.get('frequency') else ''} comes to about "
                f"{daily[1]:g} {mdd['unit']} a day, above the published maximum of {mdd['amount']:g} {mdd['unit']} "
                f"for {kb[sid].name} ({mdd.get('population', 'adults')}; {mdd.get('basis', '')}).",
                c.index, sid, {"text": d["text"], "start": d["start"], "end": d["end"], "max_daily_dose": mdd}))
    return out


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
