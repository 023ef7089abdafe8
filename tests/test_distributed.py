"""The Dask engine: same results as the local engine, on a LocalCluster of two worker processes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.batch import score_articles
from pipeline.config import SAMPLES_DIR
from pipeline.errors import UsageError
from pipeline.ingest import iter_articles

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("pipeline.distributed")


@pytest.fixture(scope="module")
def engine():
    eng = distributed.DaskEngine(n_workers=2)
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def frame():
    recs = [json.loads(x) for x in (SAMPLES_DIR / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    df = pd.DataFrame(recs)
    df.loc[len(df)] = {"id": "no-text", "title": "", "text": None, "genre": ""}
    return df


def test_cli_output_is_identical_to_the_local_engine(checker, engine, tmp_path):
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    score_articles(checker, iter_articles([SAMPLES_DIR]), out=local, quiet=True, batch_size=3)
    args = distributed.check_load_args(None, None, None)
    summary = score_articles(None, iter_articles([SAMPLES_DIR]), out=remote, quiet=True, batch_size=3,
                             engine=engine, load_args=args)
    assert summary.articles > 5
    assert remote.read_bytes() == local.read_bytes()


def test_score_dask_on_pandas_and_dask_frames_equals_score_frame(checker, engine, frame):
    want_a, want_c = checker.score_frame(frame)
    got_a, got_c = distributed.score_dask(frame, engine=engine)
    pd.testing.assert_frame_equal(got_a, want_a)
    pd.testing.assert_frame_equal(got_c, want_c)
    got_a, got_c = distributed.score_dask(dd.from_pandas(frame, npartitions=3), engine=engine)
    pd.testing.assert_frame_equal(got_a, want_a)
    pd.testing.assert_frame_equal(got_c, want_c)
    assert got_a.loc[got_a["id"] == "no-text", "error"].notna().all()


def test_bad_kb_fails_before_any_worker_starts(tmp_path):
    bad = tmp_path / "kb.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(Exception, match="kb.jsonl"):
        distributed.check_load_args(None, [bad], None)


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        distributed.DaskEngine(scheduler="tcp://127.0.0.1:9", timeout="2s")


def test_cli_rejects_scheduler_without_dask_engine(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    res = CliRunner().invoke(app, ["score", str(SAMPLES_DIR), "--out", str(tmp_path / "o.jsonl"),
                                   "--scheduler", "tcp://127.0.0.1:9"])
    assert res.exit_code == 2
    assert "--engine dask" in res.output


def test_a_partition_that_fails_on_the_workers_becomes_error_rows(engine):
    arts = list(iter_articles([SAMPLES_DIR]))[:3]
    args = {**distributed.check_load_args(None, None, None), "unknown": 1}  # TypeError on every worker
    results = list(engine.check(arts, args, batch_size=2))
    assert [r.id for r in results] == [a.id for a in arts]
    assert all(r.error and "Dask worker failed" in r.error["message"] for r in results)
