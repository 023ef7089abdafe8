"""The indexed attribute-ruler matcher leaves every token attribute exactly as spaCy's stock one does."""

from __future__ import annotations

import json

import pytest
import spacy

from pipeline.config import PROCESSED_DIR, SAMPLES_DIR
from pipeline.fastattrs import IndexedAttributeMatcher, speed_up
from pipeline.ingest import iter_articles
from pipeline.nlp import spacy_model_name

TRICKY = [
    "I ain't gonna do it, y'all. Let's go. There is a dog and there's a cat. Nothin' works.",
    "He gets it; she got it. Do you have it? I have done it. Give it to me. Which one? That is it.",
    "C'mon, we gotta take 500 mg of it ,  then  you 'll see.\n\n  Whatever works , works .",
    "Whether or not it helps, don't take more than 2 g unless your doctor says so; it's not safe.",
]


def _sig(doc):
    return [(t.pos_, str(t.morph), t.lemma_, t.dep_, t.tag_) for t in doc]


@pytest.fixture(scope="module")
def pair():
    name = spacy_model_name()
    stock = spacy.load(name, exclude=["ner"])
    fast = spacy.load(name, exclude=["ner"])
    speed_up(fast.get_pipe("attribute_ruler"))
    return stock, fast


def test_same_attributes_on_tricky_and_real_text(pair):
    stock, fast = pair
    texts = list(TRICKY)
    texts += [a.text for a in iter_articles([SAMPLES_DIR]) if a.error is None]
    with (PROCESSED_DIR / "dev.jsonl").open(encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in fh][:400]
    for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        assert _sig(a) == _sig(b), a.text[:80]


def test_exceptions_really_fire(pair):
    _, fast = pair
    doc = fast("I ain't gonna lie, y'all.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["ai"] == "be" and lemmas["y'"] == "you" and lemmas["gon"] == "go"


def test_operators_fall_back_to_the_matcher_with_the_same_result():
    nlp = spacy.blank("en")
    rulers = []
    for _ in range(2):
        ruler = nlp.add_pipe("attribute_ruler", name=f"r{len(rulers)}")
        ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], {"LEMMA": "GOOD"}, index=-1)
        ruler.add([[{"LOWER": {"NOT_IN": ["a", "the"]}, "IS_ALPHA": True}, {"LOWER": {"REGEX": "^d"}}]],
                  {"LEMMA": "D-PAIR"}, index=0)
        ruler.add([[{"ORTH": {"IN": ["Take", "take"]}}]], {"LEMMA": "take!"})
        rulers.append(ruler)
    nlp.remove_pipe("r1")
    fast_ruler = speed_up(rulers[1])
    assert isinstance(fast_ruler.matcher, IndexedAttributeMatcher) and fast_ruler.matcher.has_rest
    for text in ["Take a very very good dose daily", "take the dose; we do daily doses", "nothing here"]:
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        rulers[0](a)
        fast_ruler(b)
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
    probe = fast_ruler(nlp.make_doc("Take very very good care daily dear"))
    assert [t.lemma_ for t in probe] == ["take!", "", "", "GOOD", "D-PAIR", "D-PAIR", ""]  # OP, NOT_IN, REGEX all fired
