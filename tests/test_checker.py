import json

import pandas as pd
import pytest

from pipeline.schema import Article


def _claim(result, needle):
    hits = [c for c in result.claims if needle in c.text]
    assert hits, f"no claim containing {needle!r}: {[u.text for u in result.units]}"
    return hits[0]


def test_seed_dosing_sentence_is_hedged_unsourced_dosing(seed_result):
    c = _claim(seed_result, "1-3 grams")
    assert "dosing" in c.labels and c.hedging
    assert c.sourcing == "none" and "unsourced_claim" in c.flags
    assert seed_result.text[c.start:c.end] == c.text
    assert any(q.label.startswith("DOSE") for q in c.cues)


def test_seed_studies_suggest_is_vague(seed_result):
    c = _claim(seed_result, "Studies suggest")
    assert c.sourcing == "vague" and "vague_attribution" in c.flags


def test_seed_headings_are_not_claims(seed_result):
    texts = [c.text for c in seed_result.claims]
    assert not any(t.startswith("Exploring the Science Behind Kratom") for t in texts)
    assert not any(t.startswith("Understanding Chronic Pain and Kratom") for t in texts)
    heads = [u for u in seed_result.units if u.kind in ("heading", "list_fragment")]
    assert len(heads) >= 6


def test_seed_regulatory_flag_names_kratom_with_facts(seed_result):
    flags = [f for f in seed_result.flags if f.code == "missing_regulatory_context"]
    assert [f.substance for f in flags] == ["kratom"]
    assert "Kratom" in flags[0].message and flags[0].evidence["facts"]["references"]


def test_seed_missing_safety_context(seed_result):
    assert any(f.code == "missing_safety_context" and f.substance == "kratom" for f in seed_result.flags)


def test_regulatory_context_suppresses_the_flag(checker):
    text = ("Kratom may ease pain at 2 grams twice daily. Kratom is not approved by the FDA for any use, "
            "and the FDA has warned consumers about it. It can cause dependence and withdrawal.")
    r = checker.check(text)
    assert not [f for f in r.flags if f.code == "missing_regulatory_context"]
    assert not [f for f in r.flags if f.code == "missing_safety_context"]


def test_every_flag_says_why_and_where(seed_result):
    assert seed_result.flags
    for f in seed_result.flags:
        assert f.message and f.severity in ("low", "medium", "high")
        if f.claim_index is not None:
            c = seed_result.claims[f.claim_index]
            assert c.index == f.claim_index
            assert f.evidence["text"] == seed_result.text[f.evidence["start"]:f.evidence["end"]]


def test_score_and_grade(seed_result):
    assert 0 < seed_result.score <= 100 and seed_result.grade in "ABCDF"
    assert seed_result.score > 50  # an unsourced SEO page with no regulatory context is a poor article


def test_well_sourced_article_scores_better(checker, seed_result):
    text = ("Magnesium supplements may reduce night-time leg cramps in pregnancy, according to a 2021 Cochrane review "
            "(doi:10.1002/14651858.CD000121). The NIH sets the upper limit for supplemental magnesium at 350 mg a "
            "day for adults [1]. Higher doses can cause diarrhoea and, in people with kidney disease, toxicity [2].")
    r = checker.check(text)
    assert r.score < seed_result.score


def test_to_dict_and_frames(seed_result):
    d = seed_result.to_dict()
    assert set(d) >= {"id", "source", "score", "n_claims", "flags", "claims", "error"}
    assert set(d["claims"][0]) >= {"index", "text", "start", "end", "labels", "hedging", "probs", "sourcing", "cues", "flags"}
    assert set(d["flags"][0]) >= {"code", "severity", "message", "claim_index", "substance", "evidence"}
    df = seed_result.to_frame()
    assert len(df) == seed_result.n_claims
    assert {"dosing", "efficacy", "safety", "hedging", "sourcing", "p_dosing"} <= set(df.columns)
    assert len(seed_result.to_frame("flags")) == len(seed_result.flags)


def test_classify_contract(checker):
    df = checker.classify(["Take 2 capsules with water before bed.",
                           "Is it safe to combine St. John's wort with antidepressants?",
                           "Read on to learn more about this remarkable herb.",
                           "Studies suggest ashwagandha may lower cortisol."])
    cols = ["is_claim", "dosing", "efficacy", "safety", "hedging", "p_is_claim", "p_dosing", "p_efficacy",
            "p_safety", "p_hedging", "sourcing"]
    assert all(c in df.columns for c in cols) and len(df) == 4
    assert df.loc[0, "is_claim"] and df.loc[0, "dosing"]
    assert not df.loc[1, "is_claim"] and not df.loc[1, "safety"]
    assert not df.loc[2, "is_claim"]
    assert df.loc[3, "hedging"] and df.loc[3, "sourcing"] == "vague"
    assert ((df["p_dosing"] >= 0) & (df["p_dosing"] <= 1)).all()


def test_score_frame(checker):
    df = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Take 3 g of kratom daily for pain.", None, "Hello."]})
    arts, claims = checker.score_frame(df)
    assert list(arts["id"]) == ["a", "b", "c"]
    assert isinstance(arts.loc[1, "error"], str) and "empty_text" in arts.loc[1, "error"]
    assert pd.isna(arts.loc[0, "error"])
    assert (claims["article_id"] == "a").any()


def test_broken_article_does_not_cost_the_batch(checker):
    arts = [Article(id=str(i), text=f"Take {i} g of kratom daily.") for i in range(5)]
    arts.insert(2, Article(id="bad", text="", error={"code": "bad_record", "message": "x"}))
    arts.insert(4, Article(id="empty", text="   \n "))
    res = list(checker.check_articles(arts, batch_size=3))
    assert [r.id for r in res] == ["0", "1", "bad", "2", "empty", "3", "4"]
    assert [r.error is not None for r in res] == [False, False, True, False, True, False, False]


def test_long_article_is_chunked_with_exact_offsets(checker, monkeypatch):
    import pipeline.checker as ck

    monkeypatch.setattr(ck, "CHUNK_CHARS", 400)
    para = "Kava may ease anxiety at 250 mg daily. It can harm the liver.\n\n"
    text = para * 30
    r = checker.check(text)
    assert len([c for c in r.claims if "250 mg" in c.text]) == 30
    for c in r.claims:
        assert text[c.start:c.end] == c.text


def test_check_rejects_non_text(checker):
    with pytest.raises(TypeError):
        checker.check(None)


def test_per_serving_table_and_directions_dose_each_row(checker):
    text = ("Sunny Day Multi Gummies\n\nEach serving (2 gummies) provides:\n\n- Zinc (as zinc gluconate): 20 mg\n"
            "- Vitamin C (as ascorbic acid): 250 mg\n\nHow to use\n\n"
            "Chew one serving three times a day with meals for extra support.\n")
    r = checker.check(text, id="t")
    table = [d for c in r.claims for d in c.doses if d.get("from_table")]
    assert {d["substance"] for d in table} >= {"zinc", "vitamin_c"}
    dose = {f.substance for f in r.flags if f.code == "dose_above_reference"}
    assert "zinc" in dose and "vitamin_c" not in dose  # 3 x 20 mg = 60 mg > 40 mg; 3 x 250 mg < 2,000 mg
    rows = [u for u in r.units if u.kind == "table_row"]
    assert [u.text for u in rows][:1] == ["Each serving (2 gummies) provides:"] and len(rows) == 3


def test_composition_rows_are_not_flagged_as_unsourced_advice(checker):
    """Supplement-facts rows state amounts, so the classifier may take them for dosing claims; as rows of a
    per-serving table they are a product label, not advice: no unsourced flag, no doses of their own."""
    text = ("Ignite Pre-Workout\n\nPer scoop (12 g)\n\nCaffeine anhydrous 200 mg\n\nBeta-alanine 3.2 g\n\n"
            "Directions: mix one scoop with water 20 minutes before training, once a day.\n")
    r = checker.check(text, id="t")
    rows = [u for u in r.units if u.kind == "table_row"]
    assert {u.text for u in rows} >= {"Caffeine anhydrous 200 mg", "Beta-alanine 3.2 g"}
    flagged = {r.claims[f.claim_index].text for f in r.flags if f.code == "unsourced_claim" and f.claim_index is not None}
    assert not flagged & {u.text for u in rows}
    assert all(not u.doses for u in rows)
    direction = next(c for c in r.claims if c.text.startswith("Directions"))
    assert {d["substance"] for d in direction.doses if d.get("from_table")} >= {"caffeine_powder", "beta_alanine"}


def test_default_model_falls_back_when_its_word_vectors_are_missing(monkeypatch):
    import warnings

    from pipeline import checker as checker_mod
    from pipeline import vectors
    from pipeline.errors import VectorsMissing
    from pipeline.persist import model_dirs

    newest, *older = model_dirs()
    without_vectors = [d for d in older if "vectors" not in json.loads((d / "meta.json").read_text())]
    monkeypatch.setattr(vectors, "VECTOR_PACKAGES", ("no_such_vectors_package",))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = checker_mod._load_claim_model(None)
    assert model.name == without_vectors[0].name != newest.name  # the newest one that needs no vectors
    assert not model.conditional_types  # v1.2 learnt its type labels on all units
    assert any("make venv" in str(w.message) for w in caught)
    with pytest.raises(VectorsMissing):
        checker_mod._load_claim_model(newest.name)  # asked for by name: no silent stand-in


def test_shipped_model_learns_type_labels_on_claims(checker):
    from pipeline.classify import ClaimModel

    assert checker.model.conditional_types and not ClaimModel.rules().conditional_types
    row = checker.classify(["Kava can damage the liver."]).iloc[0]
    assert row["is_claim"] and row["safety"]
