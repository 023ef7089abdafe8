"""Sourcing per claim (ANNOTATION.md: citation > named > vague > none) with the evidence span, and the
article's QUEST-style attribution grade."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.config import CUES_KEY
from pipeline.schema import Link

RANK = {"citation": 3, "named": 2, "vague": 1, "none": 0}
CUE_SOURCING = {"CITATION": "citation", "ATTR_NAMED": "named", "ATTR_VAGUE": "vague"}
# Tradition and reputation ("used for centuries", "traditionally used", "known to") are claims of their own,
# not attribution: these ATTR_VAGUE cues stay classifier features but do not make a unit's sourcing vague
# (the flag sets list "it has been used safely for centuries" as unsourced, not vague).
TRADITION_RULES = frozenset({"vague-72", "vague-73", "vague-74", "vague-75", "vague-76", "vague-extra-16",
                             "vague-extra-17", "vague-extra-18"})


def unit_sourcing(doc: Doc, unit: Span, links: list[Link], next_start: int | None = None,
                  cues: list[Span] | None = None, text: str | None = None) -> tuple[str, dict | None]:
    """The sourcing value of one unit and the evidence for it (text and offsets of the cue or link).

    A link counts when its anchor lies in the unit or between the unit and the next unit on the same
    line (a link right after the claim)."""
    best, evidence = "none", None
    stop = unit.end_char if next_start is None else next_start
    text = doc.text if text is None else text  # Doc.text is rebuilt on every access: pass it in loops
    tail = text[unit.end_char:stop]
    if "\n" in tail:
        stop = unit.end_char + tail.index("\n")
    for ln in links:
        if unit.start_char <= ln.start < stop:
            return "citation", {"kind": "link", "text": text[ln.start:ln.end], "start": ln.start,
                                "end": ln.end, "url": ln.url}
    for c in cues if cues is not None else doc.spans.get(CUES_KEY, []):
        if c.label_ not in CUE_SOURCING or not (unit.start <= c.start < unit.end) or c.id_ in TRADITION_RULES:
            continue
        value = CUE_SOURCING[c.label_]
        if value == "vague" and _conditional(c):
            continue
        if RANK[value] > RANK[best]:
            best = value
            evidence = {"kind": c.label_.lower(), "text": c.text, "start": c.start_char, "end": c.end_char,
                        "rule": c.id_}
    return best, evidence


_CONDITIONAL = frozenset({"if", "unless", "until", "when", "once", "whether"})


def _conditional(cue: Span) -> bool:
    """A vague-looking cue inside a condition ("unless a doctor recommends them", "if your doctor agrees")
    is advice about whom to ask, not attribution."""
    doc = cue.doc
    before = [t.lower_ for t in doc[max(0, cue.start - 2):cue.start]]
    return bool(before) and (before[-1] in _CONDITIONAL or (len(before) == 2 and before[0] in _CONDITIONAL
                                                            and before[1] in ("a", "an", "the", "your", "my", "our")))


def sourcing_for_units(doc: Doc, units: list[Span], links: list[Link], cue_index=None, *,
                       text: str | None = None) -> list[tuple[str, dict | None]]:
    """Sourcing for each unit, in order. A unit ending in ':' that carries attribution ("According to the
    NIH:") passes it on to the list items that follow it. ``text``: the doc's text, when known."""
    out: list[tuple[str, dict | None]] = []
    text = doc.text if text is None else text
    inherited: tuple[str, dict | None] | None = None
    for i, u in enumerate(units):
        nxt = units[i + 1].start_char if i + 1 < len(units) else None
        value, ev = unit_sourcing(doc, u, links, nxt, cue_index.within(u.start, u.end) if cue_index else None, text)
        if u.label_ in ("list_item", "list_fragment") and inherited and RANK[inherited[0]] > RANK[value]:
            value = inherited[0]
            ev = dict(inherited[1] or {}, inherited=True)
        elif u.label_ not in ("list_item", "list_fragment"):
            inherited = (value, ev) if text[u.start_char:u.end_char].rstrip().endswith(":") and value != "none" else None
        out.append((value, ev))
    return out


def quest_attribution_grade(sourcing: list[str]) -> int:
    """QUEST attribution (Robillard et al. 2021): 0 no sources; 1 sources not identifiable (vague or
    named only); 2 at least one identifiable study (citation); 3 identifiable support for over half
    of the claims."""
    if not sourcing or all(s == "none" for s in sourcing):
        return 0
    n_cite = sum(s == "citation" for s in sourcing)
    if n_cite == 0:
        return 1
    return 3 if n_cite * 2 > len(sourcing) else 2
