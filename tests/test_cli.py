import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import SAMPLES_DIR

CLI = [sys.executable, "-m", "pipeline.cli"]


def run(args, **kw):
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    return subprocess.run(CLI + args, capture_output=True, text=True, env=env, **kw)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    p = run(["score", str(SAMPLES_DIR), "--out", str(out / "a.jsonl"), "--claims-out", str(out / "c.csv")])
    return p, out


def test_score_samples(scored):
    p, out = scored
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in (out / "a.jsonl").read_text().splitlines()]
    assert len(rows) >= 15
    assert all(r["error"] is None for r in rows)
    for r in rows:
        assert set(r) >= {"id", "source", "score", "n_claims", "flags", "claims", "error"}
    claims = pd.read_csv(out / "c.csv")
    assert len(claims) == sum(r["n_claims"] for r in rows)
    assert "flags" in p.stdout and "articles" in p.stdout


def test_samples_flags_match_the_genres(scored):
    _, out = scored
    rows = {r["id"]: r for r in map(json.loads, (out / "a.jsonl").read_text().splitlines())}
    kratom = rows["kratom_guide"]
    codes = {f["code"] for f in kratom["flags"]}
    assert {"unsourced_claim", "vague_attribution", "missing_regulatory_context"} <= codes
    assert any(f["substance"] == "kratom" for f in kratom["flags"] if f["code"] == "missing_regulatory_context")
    explainer = rows["magnesium_explainer"]
    assert explainer["score"] < kratom["score"]
    assert any(c["sourcing"] == "citation" for c in explainer["claims"])
    cbd = rows["cbd_oil"]
    assert not any(f["code"] == "missing_regulatory_context" and f["substance"] == "cbd" for f in cbd["flags"])


def test_score_error_rows_and_exit_1(tmp_path):
    (tmp_path / "ok.txt").write_text("Take 2 grams of kratom daily for pain relief.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "rows.jsonl").write_text('{"id": "r1", "text": "Zinc may shorten colds."}\nnot json\n')
    p = run(["score", str(tmp_path), "--out", str(tmp_path / "o.jsonl"), "-q"])
    assert p.returncode == 1
    rows = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert len(rows) == 4
    assert sorted(r["error"]["code"] for r in rows if r["error"]) == ["bad_record", "empty_text"]


def test_score_usage_errors_exit_2(tmp_path):
    p = run(["score", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o.jsonl")])
    assert p.returncode == 2 and "does not exist" in p.stderr
    p = run(["score"])
    assert p.returncode == 2


def test_classify_stdin_stdout():
    lines = "\n".join(json.dumps({"id": i, "text": t}) for i, t in
                      enumerate(["Take 500 mg twice daily.", "What is kava?"])) + "\n"
    p = run(["classify", "-", "--out", "-"], input=lines)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in p.stdout.splitlines()]
    assert rows[0]["id"] == 0 and rows[0]["dosing"] is True and rows[1]["is_claim"] is False
    assert 0 <= rows[0]["p_dosing"] <= 1 and rows[0]["sourcing"] == "none"


def test_claims_out_parquet_and_jsonl(tmp_path):
    src = Path(SAMPLES_DIR) / "kratom_guide.txt"
    for ext in ("parquet", "jsonl"):
        p = run(["score", str(src), "--out", str(tmp_path / "a.jsonl"), "--claims-out", str(tmp_path / f"c.{ext}"), "-q"])
        assert p.returncode == 0, p.stderr
    assert len(pd.read_parquet(tmp_path / "c.parquet")) == len((tmp_path / "c.jsonl").read_text().splitlines()) > 5


def test_html_dir_writes_report(tmp_path):
    src = Path(SAMPLES_DIR) / "kratom_guide.txt"
    p = run(["score", str(src), "--out", str(tmp_path / "a.jsonl"), "--html-dir", str(tmp_path / "html"), "-q"])
    assert p.returncode == 0, p.stderr
    pages = sorted(x.name for x in (tmp_path / "html").iterdir() if not x.name.startswith("."))
    assert "index.html" in pages and len(pages) == 2
    assert "kratom" in (tmp_path / "html" / "index.html").read_text().lower()
    # a --resume run with nothing left to score still writes an index of every article
    p = run(["score", str(src), "--out", str(tmp_path / "a.jsonl"), "--html-dir", str(tmp_path / "html"), "-q",
             "--resume"])
    assert p.returncode == 0, p.stderr
    assert "kratom_guide" in (tmp_path / "html" / "index.html").read_text()


def test_sentences_option(tmp_path):
    src = Path(SAMPLES_DIR) / "kratom_guide.txt"
    p = run(["score", str(src), "--out", str(tmp_path / "a.jsonl"), "-q", "--sentences", "senter", "-j", "1"])
    assert p.returncode == 0, p.stderr
    assert json.loads((tmp_path / "a.jsonl").read_text())["n_claims"] > 3
    p = run(["score", str(src), "--out", str(tmp_path / "b.jsonl"), "-q", "--sentences", "regex"])
    assert p.returncode == 2 and "--sentences" in p.stderr
