"""--n-process: worker processes give the same output as one process, and a failing batch is redone."""

from __future__ import annotations

import json

import pytest

import pipeline.parallel as parallel
from pipeline.batch import score_articles
from pipeline.config import SAMPLES_DIR
from pipeline.errors import UsageError
from pipeline.ingest import article_from_text, iter_articles
from pipeline.schema import Article


def _articles() -> list[Article]:
    arts = list(iter_articles([SAMPLES_DIR]))
    arts.append(Article(id="broken", source="test", text="", blocks=[], links=[], meta={},
                        error={"code": "bad_record", "message": "broken on purpose"}))
    arts.append(article_from_text("Take 5 g of kava root daily; it may calm the nerves.", id="dup", source="a"))
    arts.append(article_from_text("Ashwagandha may lower cortisol. Take 600 mg a day.", id="dup", source="b"))
    return arts


def _lines(results) -> list[str]:
    return [json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) for r in results]


def test_two_processes_give_the_same_results_in_order(checker):
    arts = _articles()
    one = _lines(checker.check_articles(arts, batch_size=3))
    two = _lines(parallel.check_parallel(checker, arts, n_process=2, batch_size=3))
    assert len(two) == len(arts)
    assert two == one
    assert [json.loads(x)["id"] for x in two] == [a.id for a in arts]


def test_score_articles_output_is_byte_identical_for_any_n_process(checker, tmp_path):
    outs = []
    for n in (1, 2, 3):
        out = tmp_path / f"n{n}.jsonl"
        summary = score_articles(checker, _articles(), out=out, quiet=True, batch_size=2, n_process=n)
        assert summary.articles == len(_articles()) and summary.errors >= 1
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    assert b"duplicate id 'dup'" in outs[0]


def test_a_batch_that_fails_in_a_worker_is_checked_again_here(checker, monkeypatch):
    arts = _articles()
    real = parallel._check

    def flaky(batch):
        if any(a.id == "dup" for a in batch):
            raise MemoryError("worker ran out of memory")
        return real(batch)

    monkeypatch.setattr(parallel, "_check", flaky)  # inherited by the forked workers
    got = _lines(parallel.check_parallel(checker, arts, n_process=2, batch_size=4))
    assert got == _lines(checker.check_articles(arts, batch_size=4))


def test_n_process_must_be_positive(checker):
    with pytest.raises(UsageError, match="at least 1"):
        list(parallel.check_parallel(checker, _articles(), n_process=0))


def test_cpu_count_is_positive():
    assert parallel.cpu_count() >= 1


def test_workers_die_with_a_killed_parent(tmp_path):
    """kill -9 of `claimcheck score -j 2` leaves no orphan worker holding the model in memory."""
    import os
    import signal
    import subprocess
    import sys
    import time

    psutil = pytest.importorskip("psutil")
    src = tmp_path / "in.jsonl"
    text = "Take 500 mg of ashwagandha twice daily. It may lower stress. " * 40
    src.write_text("".join(json.dumps({"id": str(i), "text": text}) + "\n" for i in range(400)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "score", str(src), "--out", str(tmp_path / "o.jsonl"),
                             "-j", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    deadline = time.time() + 120
    workers = []
    while time.time() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = parent.children()
        time.sleep(0.2)
    assert len(workers) >= 2, "workers never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"orphaned workers: {[p.pid for p in alive]}"


def test_score_frame_with_two_processes_matches_one(checker):
    import pandas as pd

    df = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Take 2 g of kava daily.", None,
                                                       "Melatonin may help jet lag; take 0.5 mg at bedtime."]})
    one_a, one_c = checker.score_frame(df)
    two_a, two_c = checker.score_frame(df, n_process=2)
    pd.testing.assert_frame_equal(one_a, two_a)
    pd.testing.assert_frame_equal(one_c, two_c)
    assert one_a["error"].notna().sum() == 1
