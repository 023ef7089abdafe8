"""hc_cues: lexicon cues (hedges, doses, attribution, regulatory, safety, efficacy) as spans."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.config import CUES_KEY, LEXICON_DIR
from pipeline.fastmatch import IndexedTokenMatcher
from pipeline.lexicon import load_rules, validate_rule
from pipeline.segment import doc_text

# Cue labels grouped by what they are evidence for.
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "dosing": ("DOSE_AMOUNT", "DOSE_FREQ", "DOSE_TIMING", "DOSE_DURATION", "DOSE_INSTR"),
    "efficacy": ("EFFICACY", "RISK_DOWN"),
    "safety": ("SAFETY", "RISK_UP"),
    "hedging": ("HEDGE",),
    "sourcing": ("CITATION", "ATTR_NAMED", "ATTR_VAGUE"),
    "regulatory": ("REG_CONTEXT",),
    "is_claim": ("NONCLAIM",),
}


def default_lexicon_paths(directory: Path = LEXICON_DIR) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


@Language.factory("hc_cues", assigns=["doc.spans"],
                  default_config={"spans_key": CUES_KEY})
def make_cue_tagger(nlp: Language, name: str, *, spans_key: str) -> CueTagger:
    return CueTagger(nlp, name, spans_key=spans_key)


class CueTagger:
    """Matches lexicon rules (token patterns, phrases, regexes) and writes them to ``doc.spans[spans_key]``.

    Each span's ``label_`` is the cue label and ``id_`` the rule id. Rules are data: load them with
    :meth:`add_rules` or :meth:`from_disk`; they are saved with :meth:`to_disk`, not in the config.
    """

    def __init__(self, nlp: Language, name: str = "hc_cues", *, spans_key: str = CUES_KEY) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.rules: list[dict[str, Any]] = []
        self.matcher = IndexedTokenMatcher(nlp.vocab)  # token patterns (the stock Matcher's matches, faster)
        self.phrase_matchers: dict[str, PhraseMatcher] = {}  # phrases, one matcher per attribute
        self.regexes: list[tuple[str, str, re.Pattern[str]]] = []
        self.generic: set[str] = set()  # SAFETY rules that name no specific risk
        self.weak: set[str] = set()  # HEDGE rules that annotators often do not count as hedges
        self.decisive: set[str] = set()  # HEDGE rules whose claims annotators label hedged >= 95 % of the time
        self._rank: dict[int, int] = {}  # match id -> rule position: ties between cues go to the earlier rule

    def add_rules(self, rules: list[dict[str, Any]]) -> None:
        for i, rule in enumerate(rules):
            rule = validate_rule(rule, f"rule {i} ({rule.get('id') if isinstance(rule, dict) else '?'})")
            self.rules.append(rule)
            rid, label = rule["id"], rule["label"]
            if "generic" in rule.get("tags", []):
                self.generic.add(rid)
            if "weak" in rule.get("tags", []):
                self.weak.add(rid)
            if "decisive" in rule.get("tags", []):
                self.decisive.add(rid)
            key = f"{label}|{rid}"
            self._rank.setdefault(self.nlp.vocab.strings.add(key), len(self._rank))
            if "regex" in rule:
                self.regexes.append((label, rid, re.compile(rule["regex"])))
            elif "phrase" in rule:
                attr = rule.get("attr", "LOWER")
                words = [t.text for t in self.nlp.make_doc(rule["phrase"])]
                if attr == "LOWER":
                    words = [w.lower() for w in words]
                # a phrase matches token by token on one attribute: the PhraseMatcher does that in one
                # pass over the doc, far faster than one Matcher pattern per phrase
                pattern = Doc(self.nlp.vocab, words=words, lemmas=words if attr == "LEMMA" else None)
                if attr not in self.phrase_matchers:
                    self.phrase_matchers[attr] = PhraseMatcher(self.nlp.vocab, attr=attr)
                self.phrase_matchers[attr].add(key, [pattern])
            else:
                self.matcher.add(key, [rule["pattern"]])

    def load_lexicons(self, paths: list[Path] | None = None) -> CueTagger:
        self.add_rules(load_rules(paths if paths is not None else default_lexicon_paths()))
        return self

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        matches = list(self.matcher(doc))
        for pm in self.phrase_matchers.values():
            matches.extend(pm(doc))
        matches.sort(key=self._match_order)
        for match_id, start, end in matches:
            label, rid = self.nlp.vocab.strings[match_id].split("|", 1)
            spans.append(Span(doc, start, end, label=label, span_id=rid))
        text = doc_text(doc)
        for label, rid, rx in self.regexes:
            for m in rx.finditer(text):
                sp = doc.char_span(m.start(), m.end(), label=label, span_id=rid, alignment_mode="expand")
                if sp is not None and len(sp):
                    spans.append(sp)
        by_label: dict[str, list[Span]] = {}
        for sp in spans:
            by_label.setdefault(sp.label_, []).append(sp)
        kept = [sp for group in by_label.values() for sp in _merge_overlaps(group)]
        kept.sort(key=lambda s: (s.start, s.end, s.label_))
        doc.spans[self.spans_key] = kept
        return doc

    def _match_order(self, match: tuple[int, int, int]) -> tuple[int, int, int]:
        return match[1], match[2], self._rank[match[0]]

    def to_disk(self, path: str | Path, exclude: tuple[str, ...] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "rules.jsonl", self.rules)

    def from_disk(self, path: str | Path, exclude: tuple[str, ...] = ()) -> CueTagger:
        self.__init__(self.nlp, self.name, spans_key=self.spans_key)
        self.add_rules(load_rules([Path(path) / "rules.jsonl"]))
        return self


def _merge_overlaps(spans: list[Span]) -> list[Span]:
    """Overlapping spans of one label become their union, named after the longest rule among them."""
    out: list[Span] = []
    for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and sp.start < out[-1].end:
            prev = out[-1]
            if sp.end > prev.end:
                longest = prev if len(prev) >= len(sp) else sp
                out[-1] = Span(sp.doc, prev.start, sp.end, label=prev.label_, span_id=longest.id_)
        else:
            out.append(sp)
    return out
