"""Generalisation floors on public corpora in ../shared/data (never trained on). Floors sit a few
points under the measured figures in the model card; see benchmarks/eval_external.py."""

import pytest

from pipeline.external import available, evaluate_external

pytestmark = pytest.mark.skipif(not available(), reason="../shared/data not beside the repo")


@pytest.fixture(scope="module")
def ext(checker):
    return evaluate_external(checker)


def test_bioscope_hedging_floor(ext):
    assert ext["bioscope_all_raw_f1"]["f1"] >= 0.78


def test_certainty_hedging_floor(ext):
    assert ext["certainty"]["raw"]["f1"] >= 0.62


def test_causal_floors(ext):
    assert ext["causal_hedging"]["raw"]["f1"] >= 0.79
    assert ext["causal_efficacy"]["recall_on_causal"]["contract"] >= 0.66  # v1.3 0.648, v1.4 0.713 (types on claims)
