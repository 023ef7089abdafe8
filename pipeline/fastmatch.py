"""A faster stand-in for the token ``Matcher`` of hc_cues, with the same matches.

spaCy's ``Matcher`` evaluates every pattern at every token, so its cost grows with patterns x tokens
even when a pattern's first word (a number, "according", "Dr") is absent. Here each pattern's first
token is looked up in a hash index built from ``Doc.to_array`` columns (equality and ``IN``;
``REGEX`` once per distinct string), a cheap walk over the pattern bounds how far a match starting
there can reach, and the stock ``Matcher`` runs only on those windows. Conditions this module does not
read are taken as true, so the windows are a superset of where matches lie and the stock matcher
decides: the matches are identical (tests/test_fastmatch.py compares them on the labelled corpus)."""

from __future__ import annotations

import re
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.fastattrs import RegexCache, index_first, token_ok

_STRING_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "LEMMA": "LEMMA", "POS": "POS", "TAG": "TAG",
                 "NORM": "NORM", "DEP": "DEP", "SHAPE": "SHAPE"}
_BOOL_ATTRS = ("IS_TITLE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_SPACE", "IS_STOP",
               "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")
_SELECTIVE = ("ORTH", "LOWER", "LEMMA", "NORM", "TAG", "DEP", "POS", "SHAPE")  # index on the rarest first
_UNBOUNDED = 10_000


class _Token:
    """What this module checks of one pattern token: ``attr -> allowed hashes`` (== / IN), ``attr ->
    banned hashes`` (NOT_IN), ``attr -> regex``; and how many tokens it may take (``lo``..``hi``)."""

    __slots__ = ("equal", "excluded", "regex", "lo", "hi")

    def __init__(self, vocab: Vocab, spec: dict[str, Any]) -> None:
        self.equal: dict[str, frozenset[int]] = {}
        self.excluded: dict[str, frozenset[int]] = {}
        self.regex: dict[str, re.Pattern[str]] = {}
        self.lo, self.hi = _repeats(spec.get("OP"))
        if spec.get("OP") == "!":  # a token that must not match: one token, taken as any token here
            self.lo = self.hi = 1
            return
        for key, value in spec.items():
            attr = _STRING_ATTRS.get(key, key if key in _BOOL_ATTRS else None)
            if attr is None:
                continue  # OP, IS_SENT_START, LENGTH, extensions...: not read here (taken as true)
            def hashed(v: Any, attr: str = attr) -> int:
                return int(bool(v)) if attr in _BOOL_ATTRS else vocab.strings.add(str(v))
            if not isinstance(value, dict):
                self.equal[attr] = frozenset({hashed(value)})
            elif set(value) == {"IN"}:
                self.equal[attr] = frozenset(hashed(v) for v in value["IN"])
            elif set(value) == {"NOT_IN"}:
                self.excluded[attr] = frozenset(hashed(v) for v in value["NOT_IN"])
            elif set(value) == {"REGEX"} and attr not in _BOOL_ATTRS:
                self.regex[attr] = re.compile(value["REGEX"])


def _repeats(op: str | None) -> tuple[int, int]:
    if op in (None, "!", "1"):
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _UNBOUNDED
    if op == "+":
        return 1, _UNBOUNDED
    m = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
    if not m:
        raise ValueError(f"unknown OP {op!r}")
    lo = int(m.group(1) or 0)
    hi = int(m.group(3)) if m.group(3) else (_UNBOUNDED if m.group(2) else lo)
    return lo, hi


class _Pattern:
    __slots__ = ("key", "tokens", "matcher")

    def __init__(self, key: str, tokens: list[_Token], matcher: Matcher) -> None:
        self.key, self.tokens, self.matcher = key, tokens, matcher


class IndexedTokenMatcher:
    """``add(key, [pattern])`` as on ``Matcher``; ``__call__(doc)`` returns ``(match_id, start, end)``
    triples, the same set the stock ``Matcher`` returns (order may differ: callers sort)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.patterns: list[_Pattern] = []
        self.index: dict[str, dict[int, list[_Pattern]]] = {}  # first token: attr -> hash -> patterns
        self.by_regex: list[tuple[str, re.Pattern[str], _Pattern]] = []
        self.everywhere = Matcher(vocab, validate=True)  # patterns whose first token cannot be indexed
        self.has_everywhere = False
        self.columns: list[str] = []
        self.regex_cache = RegexCache(vocab)

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        for pattern in patterns:
            matcher = Matcher(self.vocab, validate=True)
            matcher.add(key, [pattern])  # spaCy validates the pattern
            tokens = [_Token(self.vocab, spec) for spec in pattern]
            first = tokens[0]
            if pattern[0].get("OP") == "!" or first.lo != 1 or first.hi != 1 or not (first.equal or first.regex):
                self.everywhere.add(key, [pattern])
                self.has_everywhere = True
                continue
            p = _Pattern(key, tokens, matcher)
            self.patterns.append(p)
            index_first(first, p, self.index, self.by_regex, _rank)
        self.columns = sorted({a for p in self.patterns for t in p.tokens for a in (*t.equal, *t.excluded, *t.regex)})

    def _ok(self, tok: _Token, row: list[int], col: dict[str, int]) -> bool:
        return token_ok(tok, row, col, self.regex_cache.search)

    def _reach(self, p: _Pattern, start: int, rows: list[list[int]], col: dict[str, int]) -> int:
        """The furthest end a match of ``p`` starting at ``start`` could have (0 if none can)."""
        n = len(rows)
        positions = {start + 1}  # the caller checked the first token
        for tok in p.tokens[1:]:
            nxt: set[int] = set()
            for pos in positions:
                if tok.lo == 0:
                    nxt.add(pos)
                k, q = 0, pos
                while k < tok.hi and q < n and self._ok(tok, rows[q], col):
                    k += 1
                    q += 1
                    if k >= tok.lo:
                        nxt.add(q)
            positions = nxt
            if not positions:
                return 0
        return max(positions)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        n = len(doc)
        matches: list[tuple[int, int, int]] = []
        if n and self.patterns:
            col = {a: i for i, a in enumerate(self.columns)}
            rows = doc.to_array(self.columns).reshape(n, len(self.columns)).tolist()
            starts: dict[int, list[int]] = {}  # id(pattern) -> candidate starts
            by_id: dict[int, _Pattern] = {}
            for attr, table in self.index.items():
                c, get = col[attr], table.get
                for i, row in enumerate(rows):
                    for p in get(row[c], ()):
                        starts.setdefault(id(p), []).append(i)
                        by_id[id(p)] = p
            distinct: dict[str, set[int]] = {}
            for attr, rx, p in self.by_regex:
                c = col[attr]
                if attr not in distinct:
                    distinct[attr] = {row[c] for row in rows}
                found = {h for h in distinct[attr] if self.regex_cache.search(rx, h)}
                hits = [i for i, row in enumerate(rows) if row[c] in found] if found else []
                if hits:
                    starts.setdefault(id(p), []).extend(hits)
                    by_id[id(p)] = p
            for pid, cands in starts.items():
                p = by_id[pid]
                windows: list[list[int]] = []
                for i in sorted(cands):
                    end = self._reach(p, i, rows, col) if self._ok(p.tokens[0], rows[i], col) else 0
                    if end <= i:
                        continue
                    if windows and i < windows[-1][1]:
                        windows[-1][1] = max(windows[-1][1], end)
                    else:
                        windows.append([i, end])
                for s, e in windows:
                    matches.extend((m, s + a, s + b) for m, a, b in p.matcher(doc[s:e]))
        if self.has_everywhere:
            matches.extend(self.everywhere(doc))
        return matches


def _rank(attr: str) -> int:
    return _SELECTIVE.index(attr) if attr in _SELECTIVE else len(_SELECTIVE)
