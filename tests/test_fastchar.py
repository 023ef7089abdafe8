"""The vectorised char_wb counter gives exactly scikit-learn's matrix."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.config import PROCESSED_DIR
from pipeline.fastchar import FastCharWbCounts, speed_up, supported

ODD = ["", "   ", "a", "I", "x\x1cy", "café naïve ÆØÅ", "emoji 😀 test 😀😀", "中文字符 测试",
       "tab\tsep\nnew\r\nline  double", "\u00a0nbsp\u2003em", "A" * 50, "a b c d e f", "ﬁ ligature İstanbul ß",
       "Take 500mg (1-3 g) twice daily!!", "\x00\x01 control"]


def _same(a, b):
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.fixture(scope="module")
def char_vec(checker):
    ft = checker.model.estimator.named_steps["features"]
    vec = next(t for name, t, _ in ft.transformers_ if name == "char")
    assert isinstance(vec.__dict__.get("_count_vocab"), FastCharWbCounts), "load() did not speed it up"
    return vec


@pytest.fixture(scope="module")
def stock_vec(char_vec):
    vec = copy.deepcopy(char_vec)
    del vec.__dict__["_count_vocab"]
    return vec


def test_same_matrix_on_the_corpus_and_odd_text(char_vec, stock_vec):
    texts = [json.loads(x)["text"] for x in (PROCESSED_DIR / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += ODD
    _same(char_vec.transform(texts), stock_vec.transform(texts))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=8))
def test_same_matrix_on_random_text(char_vec, stock_vec, texts):
    _same(char_vec.transform(texts), stock_vec.transform(texts))


@pytest.mark.parametrize("ngram_range", [(1, 1), (2, 4), (3, 5), (1, 5)])
def test_other_ngram_ranges_and_fitting_untouched(ngram_range):
    docs = ["Take two capsules daily.", "It may help sleep", "x", "Ærø café 😀", "aa bb  cc\ndd"]
    fast = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True).fit(docs)
    stock = copy.deepcopy(fast)
    assert speed_up(fast) == 1 and speed_up(fast) == 0  # once only
    fast.fit(docs + ["a new doc"])  # fitting goes through scikit-learn's own counting
    stock.fit(docs + ["a new doc"])
    assert fast.vocabulary_ == stock.vocabulary_
    probe = docs + ["unseen wörds ⚕ here", ""]
    _same(fast.transform(probe), stock.transform(probe))


def test_unsupported_vectorizers_are_left_alone():
    word = TfidfVectorizer().fit(["aa bb cc"])
    upper = TfidfVectorizer(analyzer="char_wb", strip_accents="unicode").fit(["aa bb cc"])
    assert not supported(word) and not supported(upper)
    assert speed_up(word) == 0 and speed_up(upper) == 0
