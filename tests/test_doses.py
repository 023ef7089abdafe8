import pytest

from pipeline.doses import daily_mg, parse_amount, per_day


@pytest.mark.parametrize("text,expected", [
    ("1-3 grams", (1.0, 3.0, "g")), ("500mg", (500.0, 500.0, "mg")), ("500 mg", (500.0, 500.0, "mg")),
    ("two capsules", (2.0, 2.0, "capsule")), ("5,000 IU", (5000.0, 5000.0, "IU")), ("0.25 mg", (0.25, 0.25, "mg")),
    ("1–5 g", (1.0, 5.0, "g")),
])
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text,n", [("once or twice daily", 2), ("twice a day", 2), ("three times a day", 3),
                                    ("every 4 to 6 hours", 6), ("daily", 1), ("at random", None)])
def test_per_day(text, n):
    assert per_day(text) == n


def test_daily_amount_converts_units():
    dose = {"amount_high": 1.0, "unit": "g", "per_day": 4.0}
    assert daily_mg(dose, "mg") == (4000.0, 4000.0)
    assert daily_mg({"amount_high": 2, "unit": "capsule", "per_day": 1}, "mg") is None
