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


def _doses(checker, text):
    r = checker.check(text, id="d")
    return [d for c in r.claims for d in c.doses]


def test_count_of_units_multiplies_the_amount(checker):
    ds = _doses(checker, "Take 8 to 12 of the 2 mg loperamide tablets a day.")
    d = next(d for d in ds if d["unit"] == "mg")
    assert d["count"] == 12 and daily_mg(d, "mg")[1] == 24


def test_each_amount_takes_its_own_frequency(checker):
    ds = _doses(checker, "Take 500 mg of paracetamol four times a day, plus 400 mg of ibuprofen three times a day.")
    by_amount = {d["amount_high"]: d["per_day"] for d in ds}
    assert by_amount == {500.0: 4.0, 400.0: 3.0}


def test_limits_are_not_advice_but_up_to_is(checker):
    lim = _doses(checker, "Products must contain less than 3 mg of monacolin K a day.")
    assert all(d["is_limit"] for d in lim)
    upto = _doses(checker, "Take up to 600 mg of caffeine anhydrous a day.")
    assert upto and not any(d["is_limit"] for d in upto)


@pytest.mark.parametrize("text,n", [("once a week", 1 / 7), ("twice weekly", 2 / 7), ("3 times a week", 3 / 7),
                                    ("every other day", 0.5), ("once a month", 1 / 30)])
def test_per_day_of_weekly_and_monthly_doses(text, n):
    assert per_day(text) == pytest.approx(n)


def test_international_units_convert_for_vitamins():
    # 25,000 IU of retinyl palmitate is 7,500 mcg RAE; 100 mcg of vitamin D is 4,000 IU
    assert daily_mg({"amount_high": 25000, "unit": "IU", "per_day": 1}, "mcg", "vitamin_a")[1] == pytest.approx(7500)
    assert daily_mg({"amount_high": 100, "unit": "mcg", "per_day": 1}, "IU", "vitamin_d")[1] == pytest.approx(4000)
    assert daily_mg({"amount_high": 100, "unit": "IU", "per_day": 1}, "mg", "zinc") is None


def test_pack_size_and_temporal_over_are_not_doses_or_limits(checker):
    ds = _doses(checker, "LeafLean EGCG Complex provides 400 mg of EGCG per capsule, with 60 capsules per bottle.")
    assert [d["text"] for d in ds] == ["400 mg"]
    ds = _doses(checker, "I'd suggest starting with 20 mg of CBD in the evening and building up over a couple of "
                         "weeks to 25 mg twice a day.")
    assert not any(d["is_limit"] for d in ds)


def test_companion_mention_is_not_what_the_amount_is_of(checker):
    r = checker.check("Cardarine is the king of endurance. Stack 10-20 mg a day with ostarine to burn fat.", id="c")
    ds = [d for c in r.claims for d in c.doses]
    assert ds and all(d["substance"] == "cardarine" for d in ds)


def test_context_substance_is_the_subject_of_the_last_sentence_naming_one(checker):
    r = checker.check("Ostarine is the best SARM for beginners. Run 20 mg once daily for 8 weeks.", id="c")
    ds = [d for c in r.claims for d in c.doses]
    assert ds and ds[0]["substance"] == "ostarine"


@pytest.mark.parametrize("text, expected", [
    ("1/2 tsp", (0.5, 0.5, "teaspoon")), ("½ teaspoon", (0.5, 0.5, "teaspoon")), ("1 1/2 cups", (1.5, 1.5, "cup")),
    ("¼-½ tsp", (0.25, 0.5, "teaspoon")), ("2 1/2 tbsp", (2.5, 2.5, "tablespoon")), ("1½ tablespoons", (1.5, 1.5, "tablespoon")),
    ("1/2 to 1 teaspoon", (0.5, 1.0, "teaspoon")), ("0.00025 mg", (0.00025, 0.00025, "mg")),
])
def test_kitchen_fractions(text, expected):
    assert parse_amount(text) == expected


def test_fraction_measures_are_doses_of_the_named_herb(checker):
    res = checker.check("Take ½ teaspoon of ashwagandha powder at bedtime. Drink 1 1/2 cups of chamomile tea "
                        "before bed.", id="f")
    doses = [(d["amount_low"], d["unit"], d["substance"]) for c in res.claims for d in c.doses]
    assert (0.5, "teaspoon", "ashwagandha") in doses and (1.5, "cup", "chamomile") in doses
