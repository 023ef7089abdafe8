"""Scoring on a Dask cluster: the same batch code, one partition of articles per task.

Each Dask worker loads the checker once (cached per process, keyed by the load arguments) and runs
``ClaimChecker._check_batch`` on the same batches as the local engine, so results are identical. The
client reads the input lazily, keeps a bounded number of partitions in flight and yields results in
input order. With no scheduler address a ``LocalCluster`` (one single-threaded worker process per
CPU) is started and closed again."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.checker import _error_result, frame_articles
from pipeline.errors import ClaimcheckError, UsageError
from pipeline.ingest import iter_articles
from pipeline.schema import Article, ArticleResult, articles_frame, claims_frame

_CHECKERS: dict[str, Any] = {}  # per worker process: load arguments -> ClaimChecker


def _import_dask():
    try:
        import dask  # noqa: F401
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError("--engine dask needs Dask: pip install 'claimcheck[dask]' "
                         "(dask and distributed) on the client and every worker") from exc
    return Client, LocalCluster


def _worker_checker(load_args: dict[str, Any]):
    key = repr(sorted(load_args.items()))
    if key not in _CHECKERS:
        from pipeline.checker import load

        _CHECKERS[key] = load(**load_args)
    return _CHECKERS[key]


def check_partition(articles: list[Article], load_args: dict[str, Any], batch_size: int) -> list[ArticleResult]:
    """Runs on a worker: check one partition in ``batch_size`` batches, as the local engine does."""
    return list(_worker_checker(load_args).check_articles(articles, batch_size=batch_size))


def check_frame_partition(df: pd.DataFrame, text_col: str, id_col: str, load_args: dict[str, Any],
                          batch_size: int) -> list[ArticleResult]:
    """Runs on a worker: one partition of a Dask DataFrame, read where it lives."""
    return check_partition(frame_articles(df, text_col, id_col), load_args, batch_size)


def check_load_args(model: str | Path | None, kb_paths: list[Path] | None,
                    weights: str | Path | None, sentences: str = "senter") -> dict[str, Any]:
    """Check the model, KB files and weights here (clear errors before any worker starts) and return
    load arguments with absolute paths, as workers need them (the same paths must exist on workers)."""
    from pipeline.persist import model_dir
    from pipeline.regulatory import KnowledgeBase
    from pipeline.score import Weights

    if model not in (None, "rules"):
        model = str(model_dir(model).resolve())
    kb_paths = [Path(p).resolve() for p in kb_paths or []] or None
    KnowledgeBase.default(kb_paths)
    if weights is not None:
        weights = Path(weights).resolve()
        Weights.load(weights)
    from pipeline.nlp import SENTENCE_MODES

    if sentences not in SENTENCE_MODES:
        raise UsageError(f"--sentences must be one of {', '.join(SENTENCE_MODES)}, not {sentences!r}")
    return {"model": model, "kb_paths": kb_paths, "weights": weights, "spacy_model": None, "sentences": sentences}


class DaskEngine:
    """A Dask client: an existing scheduler (``scheduler="tcp://host:8786"``) or a LocalCluster."""

    def __init__(self, *, scheduler: str | None = None, n_workers: int | None = None,
                 timeout: str = "20s") -> None:
        Client, LocalCluster = _import_dask()
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=timeout)
            except OSError as exc:
                raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        else:
            from pipeline.parallel import cpu_count

            self.cluster = LocalCluster(n_workers=n_workers or cpu_count(), threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def check(self, articles: Iterable[Article], load_args: dict[str, Any], *, batch_size: int = 16,
              partition_batches: int = 8) -> Iterator[ArticleResult]:
        """Results in input order; partitions of ``partition_batches × batch_size`` articles, at most
        two per worker in flight."""
        size = batch_size * partition_batches
        it = iter(articles)
        pending: deque = deque()
        limit = 2 * self.n_workers()
        while True:
            while len(pending) < limit:
                part = list(islice(it, size))
                if not part:
                    break
                fut = self.client.submit(check_partition, part, load_args, batch_size, pure=False, retries=2)
                pending.append((part, fut))
            if not pending:
                return
            part, fut = pending.popleft()
            try:
                results = fut.result()
            except ClaimcheckError:
                raise  # a bad model / KB / weights file: the same on every worker
            except Exception as exc:  # noqa: BLE001 - a worker died three times on this partition
                results = [_error_result(a, RuntimeError(f"Dask worker failed on this partition: {exc}"))
                           for a in part]
            yield from results
            fut.release()


def score_dask(data: pd.DataFrame | Any | str | Path | list[str | Path], *, scheduler: str | None = None,
               n_workers: int | None = None, text_col: str = "text", id_col: str = "id",
               model: str | Path | None = None, kb_paths: list[Path] | None = None,
               weights: str | Path | None = None, batch_size: int = 16,
               engine: DaskEngine | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score articles on Dask: ``(one row per article, one row per claim)``, as ``score_frame`` gives.

    ``data``: a pandas DataFrame, a Dask DataFrame (each partition is scored on the worker holding it),
    or input paths (files or folders, read lazily by the client). ``scheduler``: a Dask scheduler
    address; none starts a LocalCluster of ``n_workers`` processes (default: CPU count). ``engine``: a
    running :class:`DaskEngine` to reuse (left open). Results are gathered in memory: for corpora too
    big for that, use ``claimcheck score --engine dask --out FILE``, which streams."""
    load_args = check_load_args(model, kb_paths, weights)
    own = engine is None
    if engine is None:
        engine = DaskEngine(scheduler=scheduler, n_workers=n_workers)
    try:
        if isinstance(data, pd.DataFrame):
            results = list(engine.check(frame_articles(data, text_col, id_col), load_args, batch_size=batch_size))
        elif hasattr(data, "to_delayed") and hasattr(data, "npartitions"):  # a Dask DataFrame
            futures = [engine.client.submit(check_frame_partition, part, text_col, id_col, load_args, batch_size,
                                            pure=False)
                       for part in engine.client.compute(data.to_delayed())]
            results = [r for fut in futures for r in fut.result()]
        else:
            paths = [data] if isinstance(data, str | Path) else list(data)
            arts = iter_articles([str(p) for p in paths], text_col=None if text_col == "text" else text_col,
                                 id_col=None if id_col == "id" else id_col)
            results = list(engine.check(arts, load_args, batch_size=batch_size))
    finally:
        if own:
            engine.close()
    return articles_frame(results), claims_frame(results)
