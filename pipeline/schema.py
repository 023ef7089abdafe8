"""Plain data classes passed between stages: Article in, ArticleResult out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Link:
    """A hyperlink whose anchor text spans ``text[start:end]`` of the article."""

    start: int
    end: int
    url: str


@dataclass(frozen=True)
class Block:
    """A structural block (heading, list_item, references) spanning ``text[start:end]``."""

    start: int
    end: int
    kind: str


@dataclass
class Article:
    """One article as ingested: plain text plus the links and structure its markup carried."""

    id: str
    text: str
    source: str = ""
    links: list[Link] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None


@dataclass
class Cue:
    label: str
    text: str
    start: int
    end: int
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "start": self.start, "end": self.end, "rule": self.rule}


@dataclass
class Claim:
    """A segmented unit. Units with ``is_claim`` False are kept for display but are not claims."""

    index: int
    text: str
    start: int
    end: int
    kind: str = "sentence"
    is_claim: bool = True
    labels: list[str] = field(default_factory=list)
    hedging: bool = False
    probs: dict[str, float] = field(default_factory=dict)
    sourcing: str = "none"
    sourcing_evidence: dict[str, Any] | None = None
    cues: list[Cue] = field(default_factory=list)
    substances: list[str] = field(default_factory=list)
    doses: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    claim_p_model: float | None = None  # the model's p(claim) before the structure rule; not serialised

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "labels": list(self.labels),
            "hedging": self.hedging,
            "probs": {k: round(v, 4) for k, v in self.probs.items()},
            "sourcing": self.sourcing,
            "sourcing_evidence": self.sourcing_evidence,
            "cues": [c.to_dict() for c in self.cues],
            "substances": list(self.substances),
            "doses": list(self.doses),
            "flags": list(self.flags),
        }


@dataclass
class Flag:
    """A problem found in an article, with why (message) and where (claim_index, evidence)."""

    code: str
    severity: str
    message: str
    claim_index: int | None = None
    substance: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:  # explicit, not asdict(): no deep copy of the KB facts per flag
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "claim_index": self.claim_index, "substance": self.substance, "evidence": dict(self.evidence)}


@dataclass
class ArticleResult:
    """Everything claimcheck found in one article."""

    id: str
    source: str = ""
    text: str = ""
    units: list[Claim] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    score: float | None = None
    grade: str | None = None
    breakdown: dict[str, float] = field(default_factory=dict)
    substances: list[dict[str, Any]] = field(default_factory=list)
    sourcing_grade: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        return [u for u in self.units if u.is_claim]

    @property
    def n_claims(self) -> int:
        return len(self.claims)

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "score": self.score,
            "grade": self.grade,
            "n_claims": self.n_claims,
            "sourcing_grade": self.sourcing_grade,
            "breakdown": self.breakdown,
            "substances": self.substances,
            "flags": [f.to_dict() for f in self.flags],
            "claims": [c.to_dict() for c in self.claims],
            "error": self.error,
            "warnings": list(self.warnings),
        }
        if with_text:
            out["text"] = self.text
        return out

    def to_frame(self, kind: str = "claims") -> pd.DataFrame:
        """Tidy DataFrame: ``kind`` is ``claims`` (one row per claim), ``flags`` or ``article``."""
        if kind == "claims":
            return claims_frame([self])
        if kind == "flags":
            return flags_frame([self])
        if kind == "article":
            return articles_frame([self])
        raise ValueError(f"kind must be 'claims', 'flags' or 'article', not {kind!r}")

    def _repr_html_(self) -> str:
        from pipeline.report import article_html

        return article_html(self, standalone=False)


CLAIM_COLUMNS = [
    "article_id", "index", "text", "start", "end", "kind", "dosing", "efficacy", "safety", "hedging",
    "p_is_claim", "p_dosing", "p_efficacy", "p_safety", "p_hedging", "sourcing", "substances", "cues", "flags",
]
FLAG_COLUMNS = ["article_id", "code", "severity", "message", "claim_index", "substance", "evidence"]
ARTICLE_COLUMNS = ["id", "source", "score", "grade", "n_claims", "n_flags", "sourcing_grade", "flag_codes", "error"]


def claim_record(article_id: str, c: dict[str, Any]) -> dict[str, Any]:
    """One claims-table row from a claim's ``to_dict()`` (also what articles JSONL lines hold)."""
    row = {"article_id": article_id, "index": c["index"], "text": c["text"], "start": c["start"], "end": c["end"],
           "kind": c.get("kind", "sentence")}
    for lab in ("dosing", "efficacy", "safety"):
        row[lab] = lab in c["labels"]
    row["hedging"] = bool(c["hedging"])
    for lab in ("is_claim", "dosing", "efficacy", "safety", "hedging"):
        row[f"p_{lab}"] = c["probs"].get(lab, float("nan"))
    row["sourcing"] = c["sourcing"]
    row["substances"] = ";".join(c.get("substances", []))
    row["cues"] = ";".join(f"{q['label']}:{q['text']}" for q in c.get("cues", []))
    row["flags"] = ";".join(c.get("flags", []))
    return row


def claims_frame(results: list[ArticleResult]) -> pd.DataFrame:
    rows = [claim_record(r.id, c.to_dict()) for r in results for c in r.claims]
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def flags_frame(results: list[ArticleResult]) -> pd.DataFrame:
    rows = [{"article_id": r.id, **f.to_dict()} for r in results for f in r.flags]
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def articles_frame(results: list[ArticleResult]) -> pd.DataFrame:
    rows = [
        {"id": r.id, "source": r.source, "score": r.score, "grade": r.grade, "n_claims": r.n_claims,
         "n_flags": len(r.flags), "sourcing_grade": r.sourcing_grade,
         "flag_codes": ";".join(sorted({f.code for f in r.flags})),
         "error": None if r.error is None else f"{r.error.get('code')}: {r.error.get('message')}"}
        for r in results
    ]
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
