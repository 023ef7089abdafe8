"""Segmentation: line breaks bound sentences (hc_lines), and hc_segment turns sentences into units —
claim candidates, or structure (headings, list fragments, questions) that is never a claim."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import UNITS_KEY

TEXT_KEY = "hc_text"  # Doc.user_data key: the text the doc was made from (set by ClaimChecker.make_docs)


def doc_text(doc: Doc) -> str:
    """``doc.text``, from ``doc.user_data`` when the maker left it there: Doc.text is rebuilt from every
    token on each access (about 1 ms per article)."""
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    return doc.text


STRUCTURE_KINDS = frozenset({"heading", "list_fragment", "question", "reference"})
_LIST_MARK = re.compile(r"^\s*(?:[-*+•·▪►✓✔➤]|\d{1,3}[.)]|[a-z][.)])\s+")
_REFS_HEADING = re.compile(r"^\s*(references|sources|bibliography|works cited|citations|further reading)\s*:?\s*$",
                           re.I)
_CLAUSE_CC = frozenset({"but", "and", "while", "whereas", "yet", "although", "though"})
_SMALL_WORDS = frozenset(["a", "an", "the", "and", "or", "but", "nor", "for", "of", "in", "on", "at", "to", "by", "with", "from", "as", "vs", "vs.", "is", "are", "your", "you", "it", "its", "how", "what", "why", "when", "who", "which", "can", "do", "does", "should"])

if not Doc.has_extension("hc_blocks"):
    Doc.set_extension("hc_blocks", default=None)


@Language.component("hc_lines", assigns=["token.is_sent_start"])
def hc_lines(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings and list items never merge with prose."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


@Language.factory("hc_segment", assigns=["doc.spans"],
                  default_config={"spans_key": UNITS_KEY, "split_clauses": False, "max_heading_words": 14})
def make_segmenter(nlp: Language, name: str, *, spans_key: str, split_clauses: bool,
                   max_heading_words: int) -> Segmenter:
    return Segmenter(nlp, name, spans_key=spans_key, split_clauses=split_clauses,
                     max_heading_words=max_heading_words)


class Segmenter:
    """Writes every unit to ``doc.spans[spans_key]``; ``label_`` is its kind: ``sentence``, ``clause``,
    ``list_item`` (claim candidates) or ``heading``, ``list_fragment``, ``question``, ``reference``
    (structure). Uses ``doc._.hc_blocks`` (heading/list blocks from markup) when ingest set it."""

    def __init__(self, nlp: Language, name: str = "hc_segment", *, spans_key: str = UNITS_KEY,
                 split_clauses: bool = False, max_heading_words: int = 14) -> None:
        self.name = name
        self.spans_key = spans_key
        self.split_clauses = split_clauses
        self.max_heading_words = max_heading_words

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        blocks = doc._.hc_blocks or []
        units: list[Span] = []
        in_refs = False
        for span in _merged_sentences(doc, text):
            line_start = text.rfind("\n", 0, span.start_char) + 1
            line_end = text.find("\n", span.end_char)
            line_end = len(text) if line_end < 0 else line_end
            prefix = text[line_start:span.start_char]
            whole_line = (not prefix.strip() or _LIST_MARK.fullmatch(prefix + " ") is not None) and not text[
                span.end_char:line_end].strip()
            block = _block_at(blocks, span.start_char, span.end_char)
            kind = self._kind(span, text, line_start, whole_line, block)
            if kind == "heading":
                in_refs = bool(_REFS_HEADING.match(text[span.start_char:span.end_char]))
            elif in_refs:
                kind = "reference"
            if kind in ("list_item", "list_fragment"):
                m = _LIST_MARK.match(text[span.start_char:span.end_char])
                if m and m.end() < span.end_char - span.start_char:
                    inner = doc.char_span(span.start_char + m.end(), span.end_char, alignment_mode="contract")
                    if inner is not None and len(inner):
                        span = inner
            if kind in ("sentence", "list_item") and self.split_clauses:
                parts = _split_clauses(span)
                if len(parts) > 1:
                    units.extend(Span(doc, p.start, p.end, label="clause") for p in parts)
                    continue
            units.append(Span(doc, span.start, span.end, label=kind))
        doc.spans[self.spans_key] = units
        return doc

    def _kind(self, span: Span, text: str, line_start: int, whole_line: bool, block) -> str:
        stext = text[span.start_char:span.end_char]
        if block == "heading":
            return "heading"
        is_list = block == "list_item" or (whole_line and _LIST_MARK.match(text[line_start:span.end_char]) is not None)
        if stext.rstrip().endswith("?"):
            return "question"
        words = [t for t in span if not t.is_punct and not t.is_space]
        if is_list:
            has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
            if not has_verb or _title_case(words) or len(words) < 3:
                return "list_fragment"
            return "list_item"
        if whole_line and len(words) <= self.max_heading_words:
            last = stext.rstrip()[-1:]
            if last == ":" and len(words) <= 8:
                return "heading"
            if last not in ".!;:,\"'”)" and (_title_case(words) or len(words) <= 3):
                return "heading"
            if _REFS_HEADING.match(stext):
                return "heading"
        return "sentence"


# Ends like a sentence: terminal punctuation, optionally followed by closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
# A sentence that is only reference markers: "[3].", "[1, 2]", "¹²." (the parser often cuts them off)
_MARKERS_ONLY = re.compile(r"^(?:\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)+[.,;:]?$")
_NUMBER_MARK = re.compile(r"^\(?\d{1,3}[.)]$")


def _merged_sentences(doc: Doc, text: str) -> list[Span]:
    """Parser sentences, trimmed, with the pieces the parser cut off one line glued back together: a
    reference marker cut off its sentence ("... lovastatin | [1]."), a short fragment or list number
    before the rest of its line ("LeafLean | EGCG Complex provides...", "1. | Ostarine"), and a
    continuation after a piece that does not end like a sentence ("My friend's a nurse | and she
    says...", "1,3-DMAA (geranium extract) | 50 mg", "Back by popular demand: | the old-school
    formula")."""
    out: list[Span] = []
    for sent in doc.sents:
        span = _trim(sent)
        if span is None:
            continue
        if out and "\n" not in text[out[-1].end_char:span.start_char] and _continues(out[-1], span):
            out[-1] = doc[out[-1].start:span.end]
        else:
            out.append(span)
    return out


def _continues(prev: Span, span: Span) -> bool:
    """``span`` (on the same line) belongs to the sentence ``prev``."""
    if _MARKERS_ONLY.match(span.text):
        return True
    if _ENDS_SENTENCE.search(prev.text):
        return _NUMBER_MARK.match(prev.text) is not None
    if len(prev) <= 3 or span[0].is_lower:
        return True
    # a piece with no verb: a trailing amount, date or name ("50 mg", "May 2026")
    return len(span) <= 4 and not any(t.pos_ in ("VERB", "AUX") for t in span)


def _title_case(words) -> bool:
    content = [t for t in words if t.lower_ not in _SMALL_WORDS and t.is_alpha]
    if not content:
        return False
    caps = sum(1 for t in content if t.text[:1].isupper())
    return caps / len(content) >= 0.75 and len(content) >= 1


def _block_at(blocks, start: int, end: int) -> str | None:
    for b in blocks:
        if b.start <= start < b.end or (start <= b.start < end):
            return b.kind
    return None


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start >= end:
        return None
    if not any(t.is_alpha or t.like_num or any(ch.isalnum() for ch in t.text) for t in doc[start:end]):
        return None
    return doc[start:end]


def _split_clauses(span: Span) -> list[Span]:
    """Split at '; ' or ', but/and/while' when both sides are independent clauses (own subject and verb).
    Uses the dependency parse when there is one, else part-of-speech tags (the senter pipeline)."""
    doc = span.doc
    parsed = doc.has_annotation("DEP")
    independent = _independent if parsed else _independent_pos
    cuts: list[int] = []
    for tok in span:
        if tok.i in (span.start, span.end - 1):
            continue
        if tok.text == ";":
            left, right = doc[span.start:tok.i], doc[tok.i + 1:span.end]
            if independent(left) and independent(right):
                cuts.append(tok.i)
        elif not parsed:
            if (tok.lower_ in _CLAUSE_CC and doc[tok.i - 1].text == "," and tok.i - 1 > span.start
                    and _independent_pos(doc[span.start:tok.i - 1]) and _opens_clause(doc[tok.i + 1:span.end])):
                cuts.append(tok.i - 1)
        elif tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.head.dep_ == "ROOT":
            if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
                continue
            left_edge = tok.left_edge.i
            if left_edge - 1 > span.start and doc[left_edge - 1].lower_ in _CLAUSE_CC:
                left_edge -= 1
            if left_edge - 1 > span.start and doc[left_edge - 1].text == ",":
                cuts.append(left_edge - 1)
    if not cuts:
        return [span]
    parts: list[Span] = []
    start = span.start
    for cut in sorted(set(cuts)):
        left = doc[start:cut + 1]  # keep the separator with the left clause
        if len([t for t in left if t.is_alpha]) >= 3:
            parts.append(left)
            start = cut + 1
    right = doc[start:span.end]
    if len([t for t in right if t.is_alpha]) < 3:
        return [span]
    parts.append(right)
    return parts


_FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})
_SUBJECT_POS = frozenset({"PRON", "NOUN", "PROPN"})


def _independent_pos(span: Span) -> bool:
    """Tags only: a subject-like word (pronoun or noun) before a finite verb, and three words or more."""
    seen_subject = False
    for t in span:
        if t.pos_ in _SUBJECT_POS:
            seen_subject = True
        elif t.tag_ in _FINITE and seen_subject:
            return len([x for x in span if x.is_alpha]) >= 3
    return False


def _opens_clause(span: Span) -> bool:
    """The words after ', and' start a clause: a subject within four words, then a finite verb."""
    for k, t in enumerate(span[:5]):
        if t.pos_ in _SUBJECT_POS and t.tag_ not in ("WP", "WDT"):
            return _independent_pos(span[k:]) and len([x for x in span if x.is_alpha]) >= 3
        if t.pos_ in ("VERB", "AUX") or t.is_punct:
            return False
    return False


def _independent(span: Span) -> bool:
    return any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in span) and any(
        t.pos_ in ("VERB", "AUX") for t in span) and len([t for t in span if t.is_alpha]) >= 3
