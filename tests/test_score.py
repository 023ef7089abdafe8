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
