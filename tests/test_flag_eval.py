"""Flag precision/recall floors on the team's gold flags (data/eval/flags_gold.jsonl, used to develop the
flags) and on the held-out set (data/eval/flags_heldout.jsonl, never tuned on); the measured figures are
in the README and `benchmarks/flags_eval.py [--gold heldout]` prints them. Floors sit a few points under
the measured figures (for dose_above_reference on the held-out set, one error below: it has 6 items)."""

import pytest

from pipeline.flag_eval import BLIND_FILE, HELDOUT_FILE, evaluate_flags, load_gold


@pytest.fixture(scope="module")
def res(checker):
    return evaluate_flags(checker)


@pytest.fixture(scope="module")
def res_heldout(checker):
    return evaluate_flags(checker, load_gold(HELDOUT_FILE))


@pytest.fixture(scope="module")
def res_blind(checker):
    return evaluate_flags(checker, load_gold(BLIND_FILE))


def test_gold_set_size():
    gold = load_gold()
    assert len(gold) >= 40
    assert sum(bool(g["flags"].get("missing_regulatory_context")) for g in gold) >= 15


def test_heldout_set_is_separate_and_well_formed():
    gold, held = load_gold(), load_gold(HELDOUT_FILE)
    assert len(held) >= 30
    assert not {g["id"] for g in gold} & {h["id"] for h in held}
    assert not {g["text"] for g in gold} & {h["text"] for h in held}
    assert {h["format"] for h in held} >= {"text", "markdown", "html"}
    for h in held:
        assert set(h["flags"]) == {"missing_regulatory_context", "missing_safety_context", "dose_above_reference",
                                   "unsourced_claim", "vague_attribution"}


@pytest.mark.parametrize("code,p,r", [
    ("missing_regulatory_context", 0.95, 0.92), ("missing_safety_context", 0.95, 0.95),
    ("dose_above_reference", 0.95, 0.95), ("unsourced_claim", 0.93, 0.83), ("vague_attribution", 0.95, 0.93),
])
def test_flag_floors(res, code, p, r):
    m = res["codes"][code]
    assert m["precision"] >= p and m["recall"] >= r, m


@pytest.mark.parametrize("code,p,r", [
    ("missing_regulatory_context", 0.75, 0.85), ("missing_safety_context", 0.80, 0.70),
    ("dose_above_reference", 0.80, 0.80), ("unsourced_claim", 0.88, 0.78), ("vague_attribution", 0.90, 0.78),
])
def test_flag_floors_heldout(res_heldout, code, p, r):
    m = res_heldout["codes"][code]
    assert m["precision"] >= p and m["recall"] >= r, m


def test_blind_set_is_separate():
    seen = {g["text"] for g in load_gold()} | {h["text"] for h in load_gold(HELDOUT_FILE)}
    blind = load_gold(BLIND_FILE)
    assert len(blind) >= 30 and not {b["text"] for b in blind} & seen


# The blind set was written by someone who had not seen the code, lexicons or other sets; since 2026-11-24
# its errors have been used to develop the flags (a new blind set replaces it), so it is a development set
# now. These floors guard against regressions only, about one to two errors under the measured figures
# (2026-11-24, branch flags-v3: regulatory 1.000/0.867, safety 1.000/1.000, dose 1.000/1.000, unsourced
# 0.885/0.866, vague 0.950/0.905).
@pytest.mark.parametrize("code,p,r", [
    ("missing_regulatory_context", 0.90, 0.78), ("missing_safety_context", 0.90, 0.86),
    ("dose_above_reference", 0.85, 0.85), ("unsourced_claim", 0.86, 0.84), ("vague_attribution", 0.86, 0.85),
])
def test_flag_floors_blind(res_blind, code, p, r):
    m = res_blind["codes"][code]
    assert m["precision"] >= p and m["recall"] >= r, m


@pytest.fixture(scope="module")
def res_blind2(checker):
    from pipeline.flag_eval import BLIND2_FILE

    return evaluate_flags(checker, load_gold(BLIND2_FILE))


# The second blind set was measured once before the last round of flag work and once after; it is
# never used to tune anything. Floors about one to two errors under the measured figures, as guards.
@pytest.mark.parametrize("code,p,r", [
    ("missing_regulatory_context", 0.85, 0.75), ("missing_safety_context", 0.75, 0.50),
    ("dose_above_reference", 0.55, 0.65), ("unsourced_claim", 0.78, 0.71), ("vague_attribution", 0.55, 0.40),
])
def test_flag_floors_blind2(res_blind2, code, p, r):
    m = res_blind2["codes"][code]
    assert m["precision"] >= p and m["recall"] >= r, m
