"""A faster matcher for spaCy's stock ``attribute_ruler``, with the same output.

The English ruler maps tags (and word + tag, word + dependency pairs, a few two-word forms) to POS,
morphology and lemma exceptions with ~180 fixed-length patterns. spaCy's general ``Matcher`` tries
every pattern at every token. Here each pattern's first token is looked up in a hash index built from
``Doc.to_array`` columns (equality and ``IN``; ``REGEX`` is tried once per distinct word), and only
those candidates are checked against the rest of the pattern (``NOT_IN``, later tokens). Patterns
this does not cover (operators such as ``OP``, other predicates) still go through a ``Matcher``. The
ruler's own ``match``/``set_annotations`` decide the order rules apply in, so token attributes are
identical to the stock ruler's (tests/test_fastattrs.py checks that on real text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

_ATTRS = ("ORTH", "LOWER", "TAG", "POS", "DEP", "IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "LEMMA")
_BOOL = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT"})
_SELECTIVE = {"ORTH": 0, "LOWER": 1, "LEMMA": 2, "DEP": 3, "TAG": 4, "POS": 5}  # index on the rarest values


@dataclass
class _TokenSpec:
    equal: dict[str, frozenset[int]] = field(default_factory=dict)  # attr -> allowed hashes (== or IN)
    excluded: dict[str, frozenset[int]] = field(default_factory=dict)  # attr -> NOT_IN hashes
    regex: dict[str, re.Pattern[str]] = field(default_factory=dict)  # attr -> pattern (re.search)


@dataclass
class _Pattern:
    match_id: int
    tokens: list[_TokenSpec]
    trivial: bool = False  # one token whose only condition is the indexed one: the lookup is the match


class RegexCache:
    """``search(rx, h)``: does regex ``rx`` match the string with hash ``h``? Cached across docs."""

    def __init__(self, vocab) -> None:
        self.strings = vocab.strings
        self.hits: dict[tuple[str, int], bool] = {}

    def search(self, rx: re.Pattern[str], h: int) -> bool:
        hit = self.hits.get((rx.pattern, h))
        if hit is None:
            if len(self.hits) > 1_000_000:
                self.hits.clear()
            hit = self.hits[(rx.pattern, h)] = bool(h) and rx.search(self.strings[h]) is not None
        return hit


def index_first(first, item: Any, index: dict[str, dict[int, list]], by_regex: list, rank) -> None:
    """File ``item`` under its first token's most selective equality condition (fewest values, then
    ``rank(attr)``), or under its first token's regex when it has no equality condition."""
    if first.equal:
        attr = min(first.equal, key=lambda a: (len(first.equal[a]), rank(a)))
        table = index.setdefault(attr, {})
        for h in first.equal[attr]:
            table.setdefault(h, []).append(item)
    else:
        attr, rx = next(iter(first.regex.items()))
        by_regex.append((attr, rx, item))


def token_ok(tok, row: list[int], col: dict[str, int], search) -> bool:
    """Does the token whose attribute row is ``row`` meet ``tok``'s equal / excluded / regex conditions?"""
    for attr, allowed in tok.equal.items():
        if row[col[attr]] not in allowed:
            return False
    for attr, banned in tok.excluded.items():
        if row[col[attr]] in banned:
            return False
    return all(search(rx, row[col[attr]]) for attr, rx in tok.regex.items())


class IndexedAttributeMatcher:
    """Stands in for ``AttributeRuler.matcher``: ``__call__(doc, allow_missing=True, as_spans=False)``
    returns ``(match_id, start, end)`` triples, as ``Matcher`` does."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab = ruler.vocab
        self.stock = ruler.matcher
        self.rest = Matcher(ruler.vocab)
        self.has_rest = False
        # first-token index: attr -> hash -> patterns; patterns whose first token has only regexes
        self.index: dict[str, dict[int, list[_Pattern]]] = {}
        self.by_regex: list[tuple[str, re.Pattern[str], _Pattern]] = []
        for key_i, group in enumerate(ruler.patterns):
            key = str(key_i)
            match_id = self.vocab.strings.add(key)
            slow = []
            for pattern in group["patterns"]:
                compiled = self._compile(match_id, pattern)
                if compiled is None:
                    slow.append(pattern)
                    continue
                first = compiled.tokens[0]
                compiled.trivial = (len(compiled.tokens) == 1 and len(first.equal) == 1
                                    and not first.excluded and not first.regex)
                index_first(first, compiled, self.index, self.by_regex, lambda a: _SELECTIVE.get(a, 9))
            if slow:
                self.rest.add(key, slow)
                self.has_rest = True
        self.regex_cache = RegexCache(self.vocab)
        self.columns = sorted({a for p in self._all() for t in p.tokens
                               for a in (*t.equal, *t.excluded, *t.regex)} | set(self.index))
        self.col = {a: i for i, a in enumerate(self.columns)}

    def _all(self):
        for table in self.index.values():
            for pats in table.values():
                yield from pats
        for _, _, p in self.by_regex:
            yield p

    def _hash(self, attr: str, value: Any) -> int:
        if attr in _BOOL:
            return int(bool(value))
        return self.vocab.strings.add(str(value))

    def _compile(self, match_id: int, pattern: list[dict[str, Any]]) -> _Pattern | None:
        tokens = []
        for spec in pattern:
            if not spec or not set(spec) <= set(_ATTRS):
                return None
            tok = _TokenSpec()
            for attr, value in spec.items():
                if not isinstance(value, dict):
                    tok.equal[attr] = frozenset({self._hash(attr, value)})
                elif set(value) == {"IN"}:
                    tok.equal[attr] = frozenset(self._hash(attr, v) for v in value["IN"])
                elif set(value) == {"NOT_IN"}:
                    tok.excluded[attr] = frozenset(self._hash(attr, v) for v in value["NOT_IN"])
                elif set(value) == {"REGEX"} and attr not in _BOOL:
                    tok.regex[attr] = re.compile(value["REGEX"])
                else:
                    return None
            if not tok.equal and not tok.regex:
                return None  # nothing to index the first token on: leave it to the Matcher
            tokens.append(tok)
        return _Pattern(match_id, tokens)

    def __call__(self, doc: Doc, *, allow_missing: bool = False, as_spans: bool = False) -> list[tuple[int, int, int]]:
        if as_spans:
            raise NotImplementedError("IndexedAttributeMatcher returns (match_id, start, end) only")
        n = len(doc)
        matches: list[tuple[int, int, int]] = []
        if n:
            rows = doc.to_array(self.columns).reshape(n, len(self.columns)).tolist()
            search = self.regex_cache.search
            candidates: list[tuple[int, _Pattern]] = []
            for attr, table in self.index.items():
                c = self.col[attr]
                get = table.get
                candidates.extend((i, p) for i, row in enumerate(rows) if (hit := get(row[c])) for p in hit)
            if self.by_regex:
                for attr, rx, p in self.by_regex:
                    c = self.col[attr]
                    found = {h for h in {row[c] for row in rows} if search(rx, h)}
                    candidates.extend((i, p) for i, row in enumerate(rows) if row[c] in found)
            for i, p in candidates:
                if p.trivial:
                    matches.append((p.match_id, i, i + 1))
                    continue
                end = i + len(p.tokens)
                if end <= n and all(token_ok(t, rows[i + k], self.col, search) for k, t in enumerate(p.tokens)):
                    matches.append((p.match_id, i, end))
        if self.has_rest:
            matches.extend(self.rest(doc, allow_missing=allow_missing))
        return matches

    def match_ids(self) -> set[int]:
        return {p.match_id for p in self._all()}

    def get(self, key: str, default: Any = None) -> Any:
        return self.stock.get(key, default)


class IndexedMatch:
    """Stands in for ``AttributeRuler.match``: the same sorted ``(attr_id, match_id, start, end)``
    list, without parsing each match key back from the string store."""

    def __init__(self, matcher: IndexedAttributeMatcher) -> None:
        self.matcher = matcher
        self.attr_id = {m: int(matcher.vocab.strings[m]) for m in matcher.match_ids()}

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        attr_id, strings = self.attr_id, self.matcher.vocab.strings
        out = [(attr_id[m] if m in attr_id else int(strings[m]), m, s, e)
               for m, s, e in self.matcher(doc, allow_missing=True)]
        out.sort()
        return out


def speed_up(ruler: AttributeRuler) -> AttributeRuler:
    """Give ``ruler`` the indexed matcher (in place) and return it."""
    if not isinstance(ruler.matcher, IndexedAttributeMatcher):
        ruler.matcher = IndexedAttributeMatcher(ruler)
        ruler.match = IndexedMatch(ruler.matcher)
    return ruler
