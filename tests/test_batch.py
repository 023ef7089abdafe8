import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from pipeline.batch import _complete_keys, score_articles
from pipeline.schema import Article

ROOT = Path(__file__).resolve().parents[1]


def _arts(n):
    return [Article(id=f"a{i}", text=f"Take {i % 5 + 1} g of kava daily for anxiety.", source="mem") for i in range(n)]


def test_resume_skips_done_and_cuts_a_torn_line(checker, tmp_path):
    out = tmp_path / "o.jsonl"
    score_articles(checker, _arts(6), out=out, quiet=True)
    reference = out.read_bytes()
    lines = reference.decode().splitlines(keepends=True)
    partial = out.with_name("o.jsonl.partial")
    partial.write_text("".join(lines[:3]) + lines[3][:25])  # killed mid-line
    out.unlink()
    s = score_articles(checker, _arts(6), out=out, quiet=True, resume=True)
    assert s.skipped == 3 and s.articles == 3
    assert out.read_bytes() == reference and not partial.exists()


def test_complete_keys_truncates(tmp_path):
    p = tmp_path / "x.partial"
    p.write_text(json.dumps({"id": "1", "source": "s"}) + "\n" + '{"id": "2", "sou')
    assert _complete_keys(p) == {"s\x1f1"}
    assert p.read_text().endswith("\n")


def test_claims_table_matches_articles(checker, tmp_path):
    out = tmp_path / "o.jsonl"
    score_articles(checker, _arts(4), out=out, claims_out=tmp_path / "c.parquet", quiet=True)
    n = sum(len(json.loads(x)["claims"]) for x in out.read_text().splitlines())
    df = pd.read_parquet(tmp_path / "c.parquet")
    assert len(df) == n and set(df["article_id"]) == {"a0", "a1", "a2", "a3"}


def test_kill_9_then_resume_loses_and_doubles_nothing():
    """Three kill -9 trials in CI; `benchmarks/kill_resume.py --trials 20` runs the full set."""
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "kill_resume.py"), "--trials", "3",
                        "--articles", "60", "--seed", "7"], capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "3 passed, 0 failed" in p.stdout
    kills = int(re.search(r"(\d+) kills$", p.stdout.strip()).group(1))
    assert kills >= 1, "no run was killed: the test would prove nothing"


def test_duplicate_ids_and_encoding_notes_are_said(checker, tmp_path):
    from pipeline.ingest import iter_articles

    (tmp_path / "d.jsonl").write_text('{"id": "x", "text": "Take 2 g of kava daily."}\n'
                                      '{"id": "x", "text": "Take 3 g of kava daily."}\n')
    (tmp_path / "e.txt").write_bytes(b"Caf\xe9 owners say kava may calm nerves.")
    out = tmp_path / "o.jsonl"
    score_articles(checker, iter_articles([tmp_path]), out=out, quiet=True)
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 3
    assert [bool(r["warnings"]) for r in rows] == [False, True, True]
    assert "duplicate id 'x'" in rows[1]["warnings"][0] and "UTF-8" in rows[2]["warnings"][0]


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Two runs in processes with different PYTHONHASHSEED write byte-identical output (set iteration
    order once leaked into the order of flags)."""
    from pipeline.config import EVAL_DIR, SAMPLES_DIR

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}.jsonl"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "pipeline.cli", "score", str(EVAL_DIR / "flags_blind.jsonl"),
                        str(SAMPLES_DIR), "-o", str(out), "-q", "-j", "1"], env=env, check=True, cwd=ROOT)
        outs.append(out.read_bytes())
    assert outs[0] and outs[0] == outs[1]
