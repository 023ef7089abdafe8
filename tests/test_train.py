import json

import pandas as pd
import pytest

from pipeline.config import ANNOTATIONS_DIR, LABELS, PROCESSED_DIR
from pipeline.errors import DataFileError
from pipeline.train import evaluate_frame, load_corpus, prepare_corpus, split_of, tune_thresholds, validate_unit


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_size_variety_and_document_split(corpus):
    allu = pd.concat(corpus.values())
    assert len(allu) >= 3000
    assert allu["topic"].nunique() >= 40 and allu["genre"].nunique() >= 8
    docs = {s: set(df["doc_id"]) for s, df in corpus.items()}
    assert not (docs["train"] & docs["dev"]) and not (docs["train"] & docs["test"]) and not (docs["dev"] & docs["test"])
    for s, df in corpus.items():
        assert all(split_of(d) == s for d in df["doc_id"])


def test_processed_splits_are_rebuilt_identically(tmp_path):
    counts = prepare_corpus(ANNOTATIONS_DIR / "raw", tmp_path)
    for s, n in counts.items():
        assert (tmp_path / f"{s}.jsonl").read_bytes() == (PROCESSED_DIR / f"{s}.jsonl").read_bytes(), s
        assert n > 0


def test_unit_schema_refuses_labelled_non_claims():
    unit = {"doc_id": "x", "text": "Shop now", "genre": "product", "topic": "t", "sourcing": "none",
            "is_claim": False, "dosing": True, "efficacy": False, "safety": False, "hedging": False}
    with pytest.raises(DataFileError, match="non-claim"):
        validate_unit(unit, "u")


def test_thresholds_are_tuned_towards_f1():
    gold = pd.DataFrame({lab: [True, True, False, False] for lab in LABELS})
    probs = pd.DataFrame({f"p_{lab}": [0.45, 0.4, 0.3, 0.1] for lab in LABELS})
    th = tune_thresholds(probs, gold)
    assert all(0.3 < t <= 0.4 for t in th.values())


def test_model_meets_floors_on_own_test_split(checker, corpus):
    """Regression floors a few points under the measured figures (see the model card)."""
    m = evaluate_frame(checker, corpus["test"])
    assert m["is_claim"]["f1"] >= 0.92
    assert m["macro_types"]["f1"] >= 0.76  # v1.4: 0.799
    assert m["hedging"]["f1"] >= 0.80
    assert m["sourcing"]["accuracy"] >= 0.85


def test_trained_model_beats_rule_baseline(checker, rules_checker, corpus):
    trained = evaluate_frame(checker, corpus["dev"])
    rules = evaluate_frame(rules_checker, corpus["dev"])
    assert trained["macro_types"]["f1"] > rules["macro_types"]["f1"] + 0.1


@pytest.mark.parametrize("name", ["second_pass.jsonl", "second_pass_HM.jsonl", "second_pass_PQR.jsonl"])
def test_second_pass_agreement_is_reported_and_substantial(name):
    """Parts A-E, H-M and P-R were each relabelled blind on a sample of 300+ units."""
    from pipeline.corpus_qc import agreement

    sp = ANNOTATIONS_DIR / "agreement" / name
    lines = sum(1 for _ in sp.open())
    assert lines >= 300
    res = agreement(sp)
    assert res["is_claim"]["n"] == lines, res  # every unit of the sample is in the corpus
    assert all(res[lab]["n"] >= 150 for lab in res), res  # type labels: units both passes call claims
    assert all(res[lab]["kappa"] >= 0.6 for lab in res), res


def test_model_on_blind_short_units(checker):
    """data/eval/short_units.jsonl: 467 units (two thirds of 2-9 words: bullets, product lines, one-line posts)
    written by a helper who saw neither part N nor the model; never trained on. v1.1 had is_claim F1 0.83
    there (it dismissed short plain claims). Floors a few points under the measured figures (model card)."""
    from pipeline.config import EVAL_DIR

    df = pd.DataFrame([json.loads(x) for x in (EVAL_DIR / "short_units.jsonl").read_text(encoding="utf-8").splitlines()])
    m = evaluate_frame(checker, df)
    assert len(df) >= 400
    assert m["is_claim"]["f1"] >= 0.88
    assert m["macro_types"]["f1"] >= 0.75  # v1.4: 0.798
    assert m["hedging"]["f1"] >= 0.82


def test_no_cross_split_near_duplicates_beyond_boilerplate():
    from pipeline.corpus_qc import _rows, near_duplicates_across_splits

    pairs = near_duplicates_across_splits(_rows())
    # text real pages repeat word for word: regulator disclaimers and letters, label lines, press boilerplate
    boiler = ("evaluated by the food and drug", "evaluated by the fda", "intended to diagnose", "out of reach of children",
              "cool, dry place", "informational purposes", "not a substitute", "substitute for a varied",
              "forward-looking", "yellow card", "free shipping", "prompt action to correct", "consumer updates",
              "must not appear again", "no serious adverse events", "funded by the", "competing interests",
              "commission from links", "immediate release")
    real = [p for p in pairs if not any(b in p[0].lower() for b in boiler)]
    assert len(real) <= 10, real  # 16,203 units: a few short label lines and headings recur across writers


def test_meta_records_data_hash_and_metrics():
    from pipeline.persist import model_dir
    from pipeline.train import data_hash

    meta = json.loads((model_dir() / "meta.json").read_text())
    assert meta["data_sha256"] == data_hash()
    assert set(meta["metrics"]) >= {"dev", "test"}
