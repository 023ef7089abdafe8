from pipeline.attribution import quest_attribution_grade, sourcing_for_units, unit_sourcing
from pipeline.config import UNITS_KEY
from pipeline.ingest import article_from_text


def _src(nlp, text):
    doc = nlp(text)
    return unit_sourcing(doc, doc[:], [])


def test_four_way_sourcing(nlp):
    assert _src(nlp, "A 2021 trial (doi:10.1000/xyz) found no effect on blood pressure.")[0] == "citation"
    assert _src(nlp, "Doses above 8 g a day have been linked to liver injury, according to the NIH.")[0] == "named"
    assert _src(nlp, "Studies suggest that kratom can ease pain.")[0] == "vague"
    assert _src(nlp, "Ashwagandha may lower cortisol in stressed adults.")[0] == "none"


def test_citation_beats_vague_and_evidence_points_at_cue(nlp):
    text = "Studies show magnesium eases cramps [2]."
    value, ev = _src(nlp, text)
    assert value == "citation"
    assert text[ev["start"]:ev["end"]] == "[2]"


def test_link_on_the_sentence_is_a_citation(nlp):
    art = article_from_text("Valerian [may improve sleep](https://example.org/v).\n\nIt tastes bad.", id="a", fmt="markdown")
    doc = nlp(art.text)
    units = list(doc.spans[UNITS_KEY])
    res = sourcing_for_units(doc, units, art.links)
    assert res[0][0] == "citation" and res[0][1]["url"] == "https://example.org/v"
    assert res[1][0] == "none"


def test_attribution_introducing_a_list_is_inherited(nlp):
    text = "According to the NIH, adults should note the following:\n- Take no more than 350 mg a day from supplements.\n- Kidney disease raises the risk of toxicity.\n"
    doc = nlp(text)
    units = list(doc.spans[UNITS_KEY])
    res = sourcing_for_units(doc, units, [])
    assert [r[0] for r in res] == ["named", "named", "named"]
    assert res[1][1]["inherited"] is True


def test_quest_grade():
    assert quest_attribution_grade(["none", "none"]) == 0
    assert quest_attribution_grade(["vague", "named", "none"]) == 1
    assert quest_attribution_grade(["citation", "none", "none"]) == 2
    assert quest_attribution_grade(["citation", "citation", "none"]) == 3


def test_news_style_reporting_subjects_are_named(nlp):
    named = ["Healthy adults should not start taking aspirin, the U.S. Preventive Services Task Force said Tuesday.",
             "The decision to take 81 mg a day should be made with a doctor, the guidance says.",
             "The panel concluded that the risk of bleeding outweighs the benefit.",
             "Health Canada warned that the products may contain hidden drugs.",
             "Kava can damage the liver, the company warned in a statement."]
    for text in named:
        assert _src(nlp, text)[0] == "named", text
    # a substance or product as subject of an ordinary verb is no attribution
    assert _src(nlp, "Ashwagandha reduces cortisol and Rhodiola boosts energy.")[0] == "none"
    assert _src(nlp, "The company sells a 60-capsule bottle of berberine.")[0] == "none"


def test_appeals_to_what_everyone_knows_are_vague(nlp):
    vague = ["Researchers have long known that turmeric eases joint pain.",
             "Doctors know that fibre lowers cholesterol.",
             "It has long been known that zinc helps wounds heal.",
             "It is well known that vitamin C shortens colds."]
    for text in vague:
        assert _src(nlp, text)[0] == "vague", text
    assert _src(nlp, "It is well tolerated at 200 mg a day.")[0] == "none"
    assert _src(nlp, "Patients know their own bodies.")[0] == "none"
