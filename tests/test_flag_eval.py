"""Flag precision/recall floors on the team's gold flags (data/eval/flags_gold.jsonl); the measured
figures are in the README and benchmarks/flags_eval.py prints them."""

import pytest

from pipeline.flag_eval import evaluate_flags, load_gold


@pytest.fixture(scope="module")
def res(checker):
    return evaluate_flags(checker)


def test_gold_set_size():
    gold = load_gold()
    assert len(gold) >= 40
    assert sum(bool(g["flags"].get("missing_regulatory_context")) for g in gold) >= 15


@pytest.mark.parametrize("code,p,r", [
    ("missing_regulatory_context", 0.85, 0.85), ("missing_safety_context", 0.70, 0.80),
    ("dose_above_reference", 0.75, 0.60), ("unsourced_claim", 0.88, 0.75), ("vague_attribution", 0.85, 0.65),
])
def test_flag_floors(res, code, p, r):
    m = res["codes"][code]
    assert m["precision"] >= p and m["recall"] >= r, m
