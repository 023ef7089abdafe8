"""Flag precision/recall floors on every evaluation set (data/eval/, README "Measured"; `benchmarks/flags_eval.py
--gold gold|heldout|blind|blind2|blind3|blind4` prints them). Floors sit a few points, or one to two errors, under the
measured figures: regression guards, not targets.

- gold: the team's gold flags, used to develop the flags.
- heldout: written before the flag work of 2026-11-24 and never tuned on (its writer knew the rules).
- blind: written blind (no sight of code, lexicons or other sets); measured untouched, then used for error
  analysis from 2026-11-24 (measured then on branch flags-v3: regulatory 1.000/0.867, safety 1.000/1.000,
  dose 1.000/1.000, unsourced 0.885/0.866, vague 0.950/0.905), so now a development set.
- blind2: written blind and never used to tune anything.
- blind3: written blind on 2026-11-25 by another writer, first measured with model v1.2; never tuned on.
- blind4: written blind on 2026-11-25 (session 5) by another writer, first measured with model v1.4 (unsourced
  0.792/0.807); its errors showed one regression (dosing list fragments no longer flagged), fixed; nothing tuned.
"""

import pytest

from pipeline.flag_eval import (
    BLIND2_FILE,
    BLIND3_FILE,
    BLIND4_FILE,
    BLIND_FILE,
    GOLD_FILE,
    HELDOUT_FILE,
    SETS,
    evaluate_flags,
    load_gold,
)

CODES = ("missing_regulatory_context", "missing_safety_context", "dose_above_reference", "unsourced_claim",
         "vague_attribution")
# (precision, recall) floor per code, in CODES order
FLOORS = {
    "gold": [(0.95, 0.92), (0.95, 0.95), (0.95, 0.95), (0.93, 0.88), (0.95, 0.93)],
    "heldout": [(0.75, 0.85), (0.80, 0.70), (0.80, 0.80), (0.90, 0.87), (0.90, 0.78)],
    "blind": [(0.90, 0.78), (0.90, 0.86), (0.85, 0.85), (0.86, 0.84), (0.86, 0.85)],
    "blind2": [(0.85, 0.75), (0.75, 0.50), (0.55, 0.60), (0.79, 0.80), (0.55, 0.40)],
    "blind3": [(0.85, 0.85), (0.88, 0.82), (0.55, 0.70), (0.75, 0.85), (0.90, 0.60)],
    "blind4": [(0.70, 0.70), (0.70, 0.60), (0.90, 0.60), (0.77, 0.84), (0.90, 0.70)],
}


@pytest.fixture(scope="module")
def results(checker):
    cache: dict = {}

    def get(name):
        if name not in cache:
            cache[name] = evaluate_flags(checker, load_gold(SETS[name]))
        return cache[name]

    return get


@pytest.mark.parametrize("name,code,p,r", [(name, code, p, r) for name, floors in FLOORS.items()
                                           for code, (p, r) in zip(CODES, floors, strict=True)])
def test_flag_floors(results, name, code, p, r):
    m = results(name)["codes"][code]
    assert m["precision"] >= p and m["recall"] >= r, m


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


def test_blind_set_is_separate():
    seen = {g["text"] for g in load_gold()} | {h["text"] for h in load_gold(HELDOUT_FILE)}
    blind = load_gold(BLIND_FILE)
    assert len(blind) >= 30 and not {b["text"] for b in blind} & seen


def test_blind3_set_is_separate_and_well_formed():
    earlier = set()
    for path in (GOLD_FILE, HELDOUT_FILE, BLIND_FILE, BLIND2_FILE):
        earlier |= {g["text"] for g in load_gold(path)}
    blind3 = load_gold(BLIND3_FILE)
    assert len(blind3) >= 30 and not {b["text"] for b in blind3} & earlier
    for b in blind3:  # every listed sentence is verbatim in its article
        assert all(s in b["text"] for code in ("unsourced_claim", "vague_attribution") for s in b["flags"][code])


def test_blind4_set_is_separate_and_well_formed():
    earlier = set()
    for path in (GOLD_FILE, HELDOUT_FILE, BLIND_FILE, BLIND2_FILE, BLIND3_FILE):
        earlier |= {g["text"] for g in load_gold(path)}
    blind4 = load_gold(BLIND4_FILE)
    assert len(blind4) >= 30 and not {b["text"] for b in blind4} & earlier
    for b in blind4:
        assert set(b["flags"]) == set(CODES)
        if b["format"] != "html":  # every listed sentence is verbatim in its article
            assert all(s in b["text"] for code in ("unsourced_claim", "vague_attribution") for s in b["flags"][code])
