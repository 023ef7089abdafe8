import pytest

from pipeline.config import CUES_KEY
from pipeline.errors import DataFileError
from pipeline.lexicon import load_rules, validate_rule


def _cues(nlp, text):
    doc = nlp(text)
    return {(c.label_, c.text) for c in doc.spans[CUES_KEY]}


@pytest.mark.parametrize("text,label,cue", [
    ("Take 1-3 grams once or twice daily.", "DOSE_AMOUNT", "1-3 grams"),
    ("Take 1-3 grams once or twice daily.", "DOSE_FREQ", "once or twice daily"),
    ("Take two capsules at bedtime.", "DOSE_AMOUNT", "two capsules"),
    ("Take two capsules at bedtime.", "DOSE_TIMING", "at bedtime"),
    ("Use 500mg for 8 weeks.", "DOSE_DURATION", "for 8 weeks"),
    ("Repeat every 4 to 6 hours.", "DOSE_FREQ", "every 4 to 6 hours"),
    ("It might ease pain.", "HEDGE", "might"),
    ("Statins cut the risk of heart attacks.", "RISK_DOWN", "cut the risk"),
    ("Supplements lower the risk of falls.", "RISK_DOWN", "lower the risk"),
    ("It had a 31% lower risk of death.", "RISK_DOWN", "lower risk"),
    ("It can raise your risk of bleeding.", "RISK_UP", "raise your risk"),
    ("Users had a 49% higher risk of dementia.", "RISK_UP", "higher risk"),
    ("The results suggest a benefit.", "HEDGE", "suggest"),
    ("More research is needed.", "HEDGE", "More research is needed"),
    ("Studies suggest it works.", "ATTR_VAGUE", "Studies suggest"),
    ("Experts say it is safe.", "ATTR_VAGUE", "Experts say"),
    ("According to the Mayo Clinic, it is safe.", "ATTR_NAMED", "Mayo Clinic"),
    ("It lowered pain [3].", "CITATION", "[3]"),
    ("It lowered pain (Smith et al., 2020).", "CITATION", "(Smith et al., 2020)"),
    ("See doi:10.1000/xyz123 for details.", "CITATION", "doi:10.1000/xyz123"),
    ("Kratom is not approved by the FDA.", "REG_CONTEXT", "not approved"),
    ("It is a Schedule I drug.", "REG_CONTEXT", "Schedule I"),
    ("It can cause liver damage.", "SAFETY", "liver damage"),
])
def test_cue_fires(nlp, text, label, cue):
    found = _cues(nlp, text)
    assert any(lab == label and cue in t for lab, t in found), found


def test_lemma_patterns_match_inflections(nlp):
    assert ("ATTR_VAGUE", "Research has shown") in _cues(nlp, "Research has shown benefits.")
    assert any(lab == "SAFETY" for lab, _ in _cues(nlp, "Side effects included headaches."))


def test_no_dose_cue_in_plain_prose(nlp):
    assert not any(lab.startswith("DOSE_AMOUNT") for lab, _ in _cues(nlp, "The garden is lovely in spring."))


def test_rule_schema_rejects_bad_rules():
    with pytest.raises(DataFileError, match="label"):
        validate_rule({"id": "x", "label": "NOPE", "phrase": "x"}, "t")
    with pytest.raises(DataFileError, match="exactly one"):
        validate_rule({"id": "x", "label": "HEDGE", "phrase": "x", "regex": "y"}, "t")
    with pytest.raises(DataFileError, match="compile"):
        validate_rule({"id": "x", "label": "CITATION", "regex": "("}, "t")
    with pytest.raises(DataFileError, match="unknown keys"):
        validate_rule({"id": "x", "label": "HEDGE", "phrase": "x", "python": "os.system('x')"}, "t")


def test_lexicon_file_errors_name_the_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a", "label": "HEDGE", "phrase": "may"}\n{"id": "a", "label": "HEDGE", "phrase": "might"}\n')
    with pytest.raises(DataFileError, match="line 2.*duplicate"):
        load_rules([p])


def test_cue_tagger_round_trips_to_disk(nlp, tmp_path):
    tagger = nlp.get_pipe("hc_cues")
    tagger.to_disk(tmp_path / "cues")
    import copy

    clone = copy.copy(tagger)
    clone.from_disk(tmp_path / "cues")
    assert len(clone.rules) == len(tagger.rules) > 500


def test_risk_direction_cues_are_not_confused(nlp):
    """Less risk is a benefit (efficacy evidence), more risk a harm (safety evidence)."""
    labels = {lab for lab, _ in _cues(nlp, "Statins cut the risk of heart attacks.")}
    assert "RISK_DOWN" in labels and "RISK_UP" not in labels
    labels = {lab for lab, _ in _cues(nlp, "Smoking increased the odds of stroke.")}
    assert "RISK_UP" in labels and "RISK_DOWN" not in labels
