"""Bad input loses nothing and lets nothing in: property tests over check/classify, odd inputs."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import iter_articles, looks_english

CLAIM_KEYS = {"index", "text", "start", "end", "kind", "labels", "hedging", "probs", "sourcing", "sourcing_evidence",
              "cues", "substances", "doses", "flags"}
FLAG_KEYS = {"code", "severity", "message", "claim_index", "substance", "evidence"}

text_st = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(["Take 2 g of kratom daily.", "Studies suggest", "\n", "# Heading\n", "- item\n",
                              "<p>", "</p>", "[x](http://a.b)", "may help", "😀", "\u200b", "?", ";", " ", "\r\n",
                              "Do not exceed 4 g in 24 hours.", "<script>alert(1)</script>"]), max_size=40).map("".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=text_st, fmt=st.sampled_from(["text", "markdown", "html", "auto"]))
def test_check_never_raises_and_offsets_slice_the_text(checker, text, fmt):
    r = checker.check(text, fmt=fmt)
    d = json.loads(json.dumps(r.to_dict()))
    assert set(d) >= {"id", "score", "n_claims", "flags", "claims", "error"}
    if r.error is None:
        for c in d["claims"]:
            assert set(c) == CLAIM_KEYS
            assert r.text[c["start"]:c["end"]] == c["text"]
            assert all(0 <= p <= 1 for p in c["probs"].values())
        for f in d["flags"]:
            assert set(f) == FLAG_KEYS
    else:
        assert set(d["error"]) == {"code", "message"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_classify_never_raises_and_keeps_rows(checker, texts):
    df = checker.classify(texts)
    assert len(df) == len(texts)
    assert df["sourcing"].isin(["citation", "named", "vague", "none"]).all()
    assert ((df[["p_is_claim", "p_dosing", "p_hedging"]] >= 0) & (df[["p_is_claim", "p_dosing", "p_hedging"]] <= 1)).all().all()
    assert not (df["dosing"] & ~df["is_claim"]).any()


def test_non_english_is_reported_not_scored(checker):
    fr = ("La valériane peut aider à dormir. Prenez deux gélules le soir avant de vous coucher, mais évitez "
          "l'alcool pendant le traitement car il peut renforcer la somnolence chez certaines personnes.")
    zh = "缬草根可以帮助睡眠。睡前服用两粒胶囊，避免饮酒，因为酒精会增加嗜睡。" * 3
    for t in (fr, zh):
        r = checker.check(t)
        assert r.error["code"] == "unsupported_language" and r.claims == []
    assert looks_english("Valerian may help you sleep, but it can cause drowsiness and you should not drive.")[0]


def test_odd_inputs_each_get_a_row(tmp_path, checker):
    (tmp_path / "ws.txt").write_text("   \n\t \n")
    (tmp_path / "u16.txt").write_bytes("Zinc may shorten colds by a day.".encode("utf-16"))
    (tmp_path / "bad.txt").write_bytes(b"Caf\xe9 owners say kava may calm nerves.")
    (tmp_path / "scripts.html").write_text("<html><script>var a=1;</script><style>p{}</style></html>")
    (tmp_path / "nested.html").write_text("<div>" * 3000 + "Take 2 g daily." + "</div>" * 10 + "<p>unclosed")
    (tmp_path / "oneline.txt").write_text("Kava may ease anxiety. " * 9000)  # ~200 kB on one line
    (tmp_path / "rows.csv").write_text('id,text\n1,"Take 2 g daily."\n2,"unterminated\n3,fine\n')
    (tmp_path / "dup.jsonl").write_text('{"id": "x", "text": "Take 2 g."}\n{"id": "x", "text": "Take 3 g."}\n{"text": 5}\n')
    arts = list(iter_articles([tmp_path]))
    res = {r.source.rsplit("/", 1)[-1]: r for r in checker.check_articles(arts)}
    assert res["ws.txt"].error["code"] == "empty_text"
    assert res["u16.txt"].error is None and res["u16.txt"].n_claims == 1
    assert res["bad.txt"].error is None and "decode_note" in res["bad.txt"].meta
    assert res["scripts.html"].error["code"] == "empty_text"
    assert res["nested.html"].error is None
    assert res["oneline.txt"].error is None and res["oneline.txt"].n_claims > 1000
    dup = [r for k, r in res.items() if k.startswith("dup.jsonl")]
    assert len(arts) >= 11 and any(r.error and "no text field" in r.error["message"] for r in dup)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_read_only_output_is_a_clear_error(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    src = tmp_path / "a.txt"
    src.write_text("Take 2 g daily.")
    p = subprocess.run([sys.executable, "-m", "pipeline.cli", "score", str(src), "--out", str(ro / "o.jsonl")],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "cannot write output" in p.stderr


def test_existing_output_survives_a_failed_run(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text("previous results\n")
    p = subprocess.run([sys.executable, "-m", "pipeline.cli", "score", str(tmp_path / "missing.txt"), "--out", str(out)],
                       capture_output=True, text=True)
    assert p.returncode == 2 and out.read_text() == "previous results\n"


def test_unwritable_output_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    src = tmp_path / "a.txt"
    src.write_text("Take 2 g daily.")
    p = subprocess.run([sys.executable, "-m", "pipeline.cli", "score", str(src), "--out", str(blocker / "o.jsonl")],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "cannot write output" in p.stderr and "Traceback" not in p.stderr
