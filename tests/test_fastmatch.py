"""The indexed token matcher of hc_cues finds exactly the matches spaCy's stock Matcher finds."""

from __future__ import annotations

import json

import pytest
from spacy.matcher import Matcher

from pipeline.config import PROCESSED_DIR, SAMPLES_DIR
from pipeline.fastmatch import IndexedTokenMatcher
from pipeline.ingest import iter_articles

# Patterns that exercise each operator, a first token with no indexable condition, NOT_IN, REGEX and
# flags, beside the shipped lexicon's own patterns.
EXTRA = {
    "opt": [{"LOWER": "take"}, {"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": ["mg", "g"]}}],
    "star": [{"LOWER": "may"}, {"POS": "ADV", "OP": "*"}, {"LEMMA": "help"}],
    "plus": [{"POS": "PROPN", "IS_TITLE": True, "OP": "+"}, {"LEMMA": "say"}],
    "range": [{"LOWER": {"REGEX": "^(a|an|the)$"}}, {"IS_PUNCT": False, "OP": "{1,3}"}, {"LEMMA": "study"}],
    "notin": [{"LEMMA": "be"}, {"LOWER": {"NOT_IN": ["not", "never"]}}, {"POS": "ADJ"}],
    "neg": [{"LOWER": "no"}, {"LOWER": "side", "OP": "!"}],
    "anywhere": [{"POS": "NUM", "OP": "?"}, {"LOWER": "times"}],
    "sent": [{"IS_SENT_START": True, "LOWER": {"IN": ["however", "but"]}}],
}
TRICKY = [
    "Take 500 mg. Take mg twice. It may really greatly help, said Jane Anne Smith. Dr Lee Ray says so.",
    "The big new study and a study; an old small pilot study. It is not safe but it is very safe.",
    "No side effects! No doubt. 3 times a day, or times. However, Mayo Clinic Health System said no.",
    "",
]


def _texts():
    texts = list(TRICKY) + [a.text for a in iter_articles([SAMPLES_DIR]) if a.error is None]
    with (PROCESSED_DIR / "dev.jsonl").open(encoding="utf-8") as fh:
        units = [json.loads(line) for line in fh]
    by_doc: dict[str, list[str]] = {}
    for u in units:
        by_doc.setdefault(u["doc_id"], []).append(u["text"])
    return texts + [" ".join(v) for v in by_doc.values()]


@pytest.fixture(scope="module")
def docs(nlp):
    with nlp.select_pipes(disable=["hc_cues"]):
        return list(nlp.pipe(_texts()))


@pytest.fixture(scope="module")
def patterns(nlp):
    tagger = nlp.get_pipe("hc_cues")
    pats = {f"{r['label']}|{r['id']}": r["pattern"] for r in tagger.rules if "pattern" in r}
    assert len(pats) >= 20  # the lexicon's token patterns are here
    return {**pats, **EXTRA}


def test_same_matches_as_the_stock_matcher(nlp, docs, patterns):
    stock, fast = Matcher(nlp.vocab), IndexedTokenMatcher(nlp.vocab)
    for key, pattern in patterns.items():
        stock.add(key, [pattern])
        fast.add(key, [pattern])
    assert fast.has_everywhere  # "anywhere" and "neg"'s cousins go through the stock matcher
    found = 0
    for doc in docs:
        expected = sorted(stock(doc))
        assert sorted(fast(doc)) == expected, doc.text[:80]
        found += len(expected)
    assert found > 500


def test_every_extra_pattern_matches_somewhere(nlp, docs):
    for key, pattern in EXTRA.items():
        m = IndexedTokenMatcher(nlp.vocab)
        m.add(key, [pattern])
        assert any(m(d) for d in docs), key


def test_invalid_pattern_is_refused_as_by_spacy(nlp):
    with pytest.raises(ValueError):
        IndexedTokenMatcher(nlp.vocab).add("bad", [[{"LOWER": "x", "OP": "~"}]])
