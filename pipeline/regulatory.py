"""Substance knowledge base (schema-checked JSONL), substance recognition with an EntityRuler
(hc_substances), and where an article states a substance's regulatory status."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import CUES_KEY, KB_FILE, SUBSTANCES_KEY
from pipeline.errors import DataFileError
from pipeline.lexicon import read_jsonl

CATEGORIES = frozenset({"botanical", "cannabinoid", "supplement", "vitamin_mineral", "research_chemical",
                        "otc_drug", "rx_drug", "controlled_drug", "peptide_hormone"})
STATUSES = frozenset({"approved_rx", "approved_otc", "dietary_supplement", "unapproved", "warning", "import_alert",
                      "banned", "scheduled", "restricted", "drug_of_concern", "prescription_only", "food",
                      "not_permitted_supplement"})
CONCERNS = frozenset({"dependence", "withdrawal", "liver_injury", "kidney_injury", "interactions",
                      "serotonin_syndrome", "cardiovascular", "bleeding", "sedation", "respiratory_depression",
                      "seizures", "psychiatric", "pregnancy", "overdose", "contamination", "hormonal",
                      "gastrointestinal", "allergic", "toxicity"})
UNITS = frozenset({"mg", "mcg", "g", "IU"})
REQUIRED = ("id", "name", "aliases", "category", "notable", "status", "concerns", "serious", "max_daily_dose",
            "references")


@dataclass
class Substance:
    id: str
    name: str
    aliases: list[str]
    category: str
    notable: bool
    status: list[dict[str, Any]]
    concerns: list[str]
    serious: bool
    max_daily_dose: dict[str, Any] | None
    references: list[dict[str, Any]]
    checked: str = ""
    verified: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def status_summary(self) -> str:
        return "; ".join(f"{s['jurisdiction']} {s['regulator']}: {s['detail']}" for s in self.status)

    def facts(self) -> dict[str, Any]:
        """The facts a reviewer needs beside a flag about this substance."""
        return {"id": self.id, "name": self.name, "category": self.category, "status": self.status,
                "concerns": self.concerns, "max_daily_dose": self.max_daily_dose,
                "references": self.references, "checked": self.checked}


def validate_substance(obj: Any, where: str) -> Substance:
    if not isinstance(obj, dict):
        raise DataFileError(f"{where}: a substance must be a JSON object")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise DataFileError(f"{where}: missing keys {missing}")
    if not isinstance(obj["id"], str) or not obj["id"].strip():
        raise DataFileError(f"{where}: 'id' must be a non-empty string")
    if not isinstance(obj["aliases"], list) or not all(isinstance(a, str) and len(a) >= 3 for a in obj["aliases"]):
        raise DataFileError(f"{where}: 'aliases' must be a list of strings of 3+ characters")
    if obj["category"] not in CATEGORIES:
        raise DataFileError(f"{where}: 'category' must be one of {sorted(CATEGORIES)}")
    if not isinstance(obj["notable"], bool) or not isinstance(obj["serious"], bool):
        raise DataFileError(f"{where}: 'notable' and 'serious' must be true or false")
    if not isinstance(obj["status"], list):
        raise DataFileError(f"{where}: 'status' must be a list")
    for s in obj["status"]:
        if not isinstance(s, dict) or s.get("status") not in STATUSES or not all(
                isinstance(s.get(k), str) for k in ("jurisdiction", "regulator", "detail")):
            raise DataFileError(f"{where}: each status needs jurisdiction, regulator, detail and a status in "
                                f"{sorted(STATUSES)}")
    bad = [c for c in obj["concerns"] if c not in CONCERNS] if isinstance(obj["concerns"], list) else ["?"]
    if bad:
        raise DataFileError(f"{where}: unknown concerns {bad}; use {sorted(CONCERNS)}")
    mdd = obj["max_daily_dose"]
    if mdd is not None and (not isinstance(mdd, dict) or mdd.get("unit") not in UNITS
                            or not isinstance(mdd.get("amount"), int | float) or mdd["amount"] <= 0):
        raise DataFileError(f"{where}: 'max_daily_dose' must be null or have a positive amount and a unit in "
                            f"{sorted(UNITS)}")
    if not isinstance(obj["references"], list):
        raise DataFileError(f"{where}: 'references' must be a list")
    known = {f for f in Substance.__dataclass_fields__ if f != "extra"}
    return Substance(**{k: v for k, v in obj.items() if k in known},
                     extra={k: v for k, v in obj.items() if k not in known})


class KnowledgeBase:
    """Substances by id, with an alias index. Later files override earlier ones by id."""

    def __init__(self, substances: list[Substance] | None = None) -> None:
        self.by_id: dict[str, Substance] = {}
        for s in substances or []:
            self.by_id[s.id] = s

    @classmethod
    def from_files(cls, paths: list[Path]) -> KnowledgeBase:
        kb = cls()
        for path in paths:
            for n, obj in read_jsonl(Path(path)):
                s = validate_substance(obj, f"{path} line {n}")
                kb.by_id[s.id] = s
        return kb

    @classmethod
    def default(cls, extra: list[Path] | None = None) -> KnowledgeBase:
        return cls.from_files([KB_FILE, *(extra or [])])

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, sid: str) -> bool:
        return sid in self.by_id

    def __getitem__(self, sid: str) -> Substance:
        return self.by_id[sid]

    def patterns(self) -> list[dict[str, Any]]:
        """EntityRuler phrase patterns, one per name and alias, matched case-insensitively."""
        out = []
        for s in self.by_id.values():
            for term in dict.fromkeys([s.name, *s.aliases]):
                out.append({"label": "SUBSTANCE", "pattern": term, "id": s.id})
        return out


def add_substance_ruler(nlp: Language, kb: KnowledgeBase, *, name: str = "hc_substances") -> None:
    """Add an EntityRuler over the KB's names and aliases; matches go to doc.ents and doc.spans."""
    ruler = nlp.add_pipe("entity_ruler", name=name,
                         config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True, "validate": True})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(kb.patterns())
    nlp.add_pipe("hc_substance_spans", after=name)


@Language.component("hc_substance_spans", assigns=["doc.spans"])
def substance_spans(doc: Doc) -> Doc:
    """Copy SUBSTANCE entities to their own span group, where they sit beside the other hc_ spans."""
    doc.spans[SUBSTANCES_KEY] = [Span(doc, e.start, e.end, label="SUBSTANCE", span_id=e.ent_id_)
                                 for e in doc.ents if e.label_ == "SUBSTANCE"]
    return doc


# REG_CONTEXT cues that are classifier features but state no status of the substance: a product being
# compounded says nothing of the drug's approval (the flag sets: "compounds each prescription", "prepared by
# a licensed 503A pharmacy" are not regulatory context).
NOT_STATUS_RULES = frozenset({"reg-83", "reg-84"})


def regulatory_context(doc: Doc, units: list[Span], main_substance: str | None, cue_index=None,
                       sub_index=None) -> dict[str, list[Span]]:
    """For each substance id, the units that state its regulatory status (ANNOTATION.md, article level).

    A unit with a regulatory cue counts for the substances it names; if it names none, for the substance
    named in the unit before it, or else the article's main substance."""
    reg_cues = [c for c in doc.spans.get(CUES_KEY, []) if c.label_ == "REG_CONTEXT" and c.id_ not in NOT_STATUS_RULES]
    subs = list(doc.spans.get(SUBSTANCES_KEY, []))
    out: dict[str, list[Span]] = {}
    last_named: str | None = None
    for u in units:
        if sub_index is not None and cue_index is not None:
            named = [s.id_ for s in sub_index.within(u.start, u.end)]
            has_cue = any(c.label_ == "REG_CONTEXT" and c.id_ not in NOT_STATUS_RULES
                          for c in cue_index.within(u.start, u.end))
        else:
            named = [s.id_ for s in subs if u.start <= s.start < u.end]
            has_cue = any(u.start <= c.start < u.end for c in reg_cues)
        if has_cue:
            targets = named or ([last_named] if last_named else []) or ([main_substance] if main_substance else [])
            for sid in dict.fromkeys(targets):
                out.setdefault(sid, []).append(u)
        if named:
            last_named = named[-1]
    return out
