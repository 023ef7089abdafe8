import pytest

from pipeline.errors import DataFileError
from pipeline.schema import Flag
from pipeline.score import Weights, score_article


def test_more_and_worse_flags_score_higher():
    w = Weights.load()
    none_score, grade0, _ = score_article([], w)
    assert none_score == 0 and grade0 == "A"
    one = score_article([Flag("unsourced_claim", "medium", "m")], w)[0]
    worse = score_article([Flag("unsourced_claim", "medium", "m"),
                           Flag("missing_regulatory_context", "high", "m")], w)[0]
    assert 0 < one < worse <= 100


def test_caps_bound_one_code():
    w = Weights.load()
    many = [Flag("unsourced_claim", "medium", "m")] * 200
    _, _, breakdown = score_article(many, w)
    assert breakdown["unsourced_claim"] == w.cap["unsourced_claim"]


def test_weights_file_is_validated(tmp_path):
    p = tmp_path / "w.toml"
    p.write_text("[weight]\nmade_up = 1\n[severity]\nlow = 1\n[grades]\nA = 50\n")
    with pytest.raises(DataFileError, match="made_up"):
        Weights.load(p)


def test_custom_weights_change_the_score(tmp_path):
    p = tmp_path / "w.toml"
    p.write_text("scale = 10\n[weight]\nunsourced_claim = 10\n[severity]\nmedium = 1\n[grades]\nA = 50\nF = 101\n")
    s, g, _ = score_article([Flag("unsourced_claim", "medium", "m")], Weights.load(p))
    assert s > 60 and g == "F"


def _flags(checker, text, code):
    return [f for f in checker.check(text, id="t").flags if f.code == code]


def test_dose_spread_over_two_sentences_is_added_up(checker):
    text = ("Each tablet delivers 200 mg of caffeine anhydrous for fast energy. "
            "Take two tablets with water three times a day.")
    flags = _flags(checker, text, "dose_above_reference")
    assert [f.substance for f in flags] == ["caffeine_powder"]
    assert "1200 mg" in flags[0].message and flags[0].evidence["text"]


def test_named_side_effect_is_safety_context_but_assurance_is_not(checker):
    base = "Take 300 mg of ashwagandha root extract twice a day with food. "
    assert _flags(checker, base + "It is gentle, natural and free from side effects.", "missing_safety_context")
    assert not _flags(checker, base + "It can cause stomach upset and drowsiness, and people with thyroid "
                                      "disease should avoid it.", "missing_safety_context")


def test_warning_naming_only_the_other_drug_covers_the_dosed_substance():
    from pipeline.regulatory import KnowledgeBase
    from pipeline.schema import ArticleResult, Claim
    from pipeline.score import build_flags
    kb = KnowledgeBase.default()
    claims = [Claim(0, "Take 500 mg three times a day.", 0, 30, labels=["dosing"], substances=["berberine"],
                    doses=[{"text": "500 mg", "substance": "berberine", "unit": "mg", "amount_high": 500.0,
                            "start": 5, "end": 11}]),
              Claim(1, "It can interact with diabetes drugs, so people taking metformin should ask first.", 31, 110,
                    labels=["safety"], substances=["metformin"])]
    flags = build_flags(ArticleResult(id="x", units=claims), kb, reg_context={}, specific_safety=set())
    assert not [f for f in flags if f.code == "missing_safety_context"]


def test_vague_attribution_in_a_unit_the_classifier_calls_a_non_claim(checker):
    text = "Lots of people on here say it works better than anything their doctor gave them."
    flags = _flags(checker, text, "vague_attribution")
    assert flags and "people on here say" in flags[0].message
    assert flags[0].evidence["start"] == 0 and flags[0].evidence["cue"]["text"]


def test_an_assurance_that_harms_need_no_worry_names_no_risk():
    from pipeline.score import names_specific_risk

    assert names_specific_risk("It's a vitamin, so you don't have to worry about the side effects of drugs.") is None
    assert names_specific_risk("Expect mild suppression of your natural testosterone after a cycle.")


def test_risk_prefilter_never_hides_a_risk_word():
    """_may_name_risk is a cheap necessary condition for _RISK: on every corpus and evaluation text and on
    one example per kind of risk wording, a text _RISK matches passes the prefilter."""
    import json

    from pipeline.config import ANNOTATIONS_DIR, EVAL_DIR
    from pipeline.score import _RISK, _may_name_risk

    texts = [json.loads(x)["text"] for p in sorted((ANNOTATIONS_DIR / "raw").glob("part_*.jsonl"))
             for x in p.read_text(encoding="utf-8").splitlines()]
    texts += [line for p in sorted(EVAL_DIR.glob("*.jsonl")) for x in p.read_text(encoding="utf-8").splitlines()
              for line in json.loads(x)["text"].split("\n")]
    texts += ["It can cause anaemia.", "Risk of haemorrhage.", "Ankle oedema.", "It may shut down your own testosterone.",
              "You can develop a tolerance.", "Raises your heart rate.", "A racing heart.", "TOXICITY", "ſide effects",
              "Trouble sleeping.", "Hypoglycaemia is possible.", "Can suppress natural oestrogen."]
    matched = [t for t in texts if _RISK.search(t)]
    assert len(matched) > 1000
    assert all(_may_name_risk(t) for t in matched), [t for t in matched if not _may_name_risk(t)][:5]
    assert not _may_name_risk("Take two capsules with food.")


def test_conditional_type_probabilities_are_weighed_by_p_claim():
    """Since v1.4 p_dosing is p(dosing | claim): a call to action the model calls a non-claim may have a high
    p_dosing, and the unsourced flags then compare p(claim) x p(type | claim)."""
    from pipeline.regulatory import KnowledgeBase
    from pipeline.schema import ArticleResult, Claim
    from pipeline.score import build_flags

    kb = KnowledgeBase.default()

    def units():
        return [Claim(0, "Add two bottles to your cart today.", 0, 35, kind="sentence", is_claim=False,
                      probs={"is_claim": 0.3, "dosing": 0.9, "efficacy": 0.01, "safety": 0.01}),
                Claim(1, "Some people take it with meals.", 36, 67, kind="sentence", is_claim=True,
                      probs={"is_claim": 0.55, "dosing": 0.45, "efficacy": 0.05, "safety": 0.02})]

    def unsourced(conditional):
        flags = build_flags(ArticleResult(id="x", units=units()), kb, reg_context={}, specific_safety=set(),
                            conditional_types=conditional)
        return sorted(f.evidence["text"] for f in flags if f.code == "unsourced_claim")

    # joint 0.27 and 0.25: neither the non-claim (< 0.6) nor the untyped claim (< 0.3) is flagged
    assert unsourced(True) == []
    # read as unconditional probabilities (models before v1.4) both are flagged
    assert unsourced(False) == ["Add two bottles to your cart today.", "Some people take it with meals."]


def test_dosing_list_fragments_are_flagged_as_unsourced(checker):
    """List items without a verb are list fragments, which the structure rule makes non-claims (p_is_claim
    0.01); their dosing is still an unsourced statement. With conditional type probabilities the flag weighs
    p_dosing by the model's own p(claim), from before that rule (a regression of the first v1.4 build)."""
    text = ("Melatonin taper plan\n\nHow I came off it:\n\n- Weeks 1 to 2: 1.5 mg at bedtime.\n"
            "- Weeks 3 to 4: 3 mg at bedtime.\n- Strawberry flavour, 60 gummies\n")
    res = checker.check(text, id="taper", fmt="markdown")
    fragments = {u.text: u for u in res.units if u.kind == "list_fragment"}
    assert "Weeks 1 to 2: 1.5 mg at bedtime." in fragments
    assert fragments["Weeks 1 to 2: 1.5 mg at bedtime."].claim_p_model > fragments["Weeks 1 to 2: 1.5 mg at bedtime."].probs["is_claim"]
    flagged = {f.evidence["text"] for f in res.flags if f.code == "unsourced_claim"}
    assert {"Weeks 1 to 2: 1.5 mg at bedtime.", "Weeks 3 to 4: 3 mg at bedtime."} <= flagged
    assert "Strawberry flavour, 60 gummies" not in flagged
