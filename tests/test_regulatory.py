import json

import pytest

from pipeline.config import KB_FILE, SUBSTANCES_KEY
from pipeline.errors import DataFileError
from pipeline.regulatory import KnowledgeBase, validate_substance

GOOD = {"id": "testherb", "name": "Testherb", "aliases": ["test herb extract"], "category": "botanical",
        "notable": True, "status": [{"jurisdiction": "US", "regulator": "FDA", "status": "warning",
                                     "detail": "FDA warned consumers.", "source": "https://example.org"}],
        "concerns": ["liver_injury"], "serious": True, "max_daily_dose": None,
        "references": [{"url": "https://example.org", "title": "x", "publisher": "FDA"}]}


def test_bundled_kb_is_valid_and_large():
    kb = KnowledgeBase.default()
    assert len(kb) >= 150
    for sid in ("kratom", "kava", "cbd", "melatonin", "acetaminophen", "phenibut", "tianeptine", "semaglutide"):
        assert sid in kb, sid
    assert kb["kratom"].notable and "dependence" in kb["kratom"].concerns


def test_kb_aliases_are_unique_across_substances():
    seen = {}
    for line in KB_FILE.read_text().splitlines():
        rec = json.loads(line)
        for term in [rec["name"], *rec["aliases"]]:
            key = term.lower()
            assert seen.get(key, rec["id"]) == rec["id"], f"{term} is in {seen.get(key)} and {rec['id']}"
            seen[key] = rec["id"]


@pytest.mark.parametrize("field,value,msg", [
    ("category", "magic", "category"), ("aliases", ["ab"], "aliases"), ("notable", "yes", "notable"),
    ("concerns", ["vibes"], "concerns"), ("max_daily_dose", {"amount": -1, "unit": "mg"}, "max_daily_dose"),
])
def test_kb_schema_refuses_bad_records(field, value, msg):
    with pytest.raises(DataFileError, match=msg):
        validate_substance({**GOOD, field: value}, "kb line 1")


def test_user_kb_merges_over_bundled(tmp_path):
    p = tmp_path / "mine.jsonl"
    p.write_text(json.dumps({**GOOD, "id": "kratom", "name": "Kratom", "aliases": ["ketum"], "notable": False}) + "\n"
                 + json.dumps(GOOD) + "\n")
    kb = KnowledgeBase.default([p])
    assert kb["kratom"].notable is False
    assert "testherb" in kb


def test_substances_recognised_case_insensitively(nlp):
    doc = nlp("KRATOM and Mitragyna speciosa are the same; St. John's wort is different.")
    ids = [s.id_ for s in doc.spans[SUBSTANCES_KEY]]
    assert ids.count("kratom") == 2
