"""Several worker processes checking batches of articles, results handed back in input order.

The parent reads the input and writes the output; workers run the same ``ClaimChecker._check_batch``
on the same batches the one-process run would use, so the output is the same whatever the number of
processes. At most ``2 × n_process`` batches are in flight, so memory does not grow with the corpus."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from pipeline.checker import ClaimChecker
from pipeline.errors import UsageError
from pipeline.schema import Article, ArticleResult

_CHECKER: ClaimChecker | None = None  # the checker of this worker process


def cpu_count() -> int:
    """CPUs this process may run on (the default for ``--n-process``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive its parent (killed with -9, it cannot shut the pool down): on Linux
    ask the kernel to kill it with the parent; elsewhere, poll the parent from a daemon thread."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        if libc.prctl(1, signal.SIGKILL) != 0:  # PR_SET_PDEATHSIG
            raise OSError("prctl failed")
    except (OSError, AttributeError):
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch was set
        os._exit(1)


def _init_spawned(parent: int, load_args: dict[str, Any]) -> None:
    global _CHECKER
    _die_with_parent(parent)
    from pipeline.checker import load

    _CHECKER = load(**load_args)


def _check(batch: list[Article]) -> list[ArticleResult]:
    assert _CHECKER is not None, "worker started without a checker"
    return _CHECKER._check_batch(batch)


def check_parallel(checker: ClaimChecker, articles: Iterable[Article], *, n_process: int,
                   batch_size: int = 16) -> Iterator[ArticleResult]:
    """Like ``checker.check_articles`` but over ``n_process`` worker processes.

    On Linux the workers are forked from this process and share its loaded checker; elsewhere they are
    spawned and each loads the checker once with the arguments it was loaded with."""
    if n_process < 1:
        raise UsageError(f"--n-process must be at least 1, not {n_process}")
    if n_process == 1:
        yield from checker.check_articles(articles, batch_size=batch_size)
        return
    global _CHECKER
    if "fork" in mp.get_all_start_methods():
        _CHECKER = checker  # inherited by the forked workers

        def new_pool() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(n_process, mp_context=mp.get_context("fork"), initializer=_die_with_parent,
                                       initargs=(os.getpid(),))
    else:  # pragma: no cover - macOS / Windows
        if checker.load_args is None:
            raise UsageError("--n-process > 1 needs a checker built by pipeline.load() on this platform")

        def new_pool() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(n_process, mp_context=mp.get_context("spawn"),
                                       initializer=_init_spawned, initargs=(os.getpid(), checker.load_args))
    pool = new_pool()
    it = iter(articles)
    pending: deque[tuple[list[Article], Future]] = deque()
    try:
        while True:
            while len(pending) < 2 * n_process:
                batch = list(islice(it, batch_size))
                if not batch:
                    break
                try:
                    pending.append((batch, pool.submit(_check, batch)))
                except BrokenProcessPool:  # a worker died: start a new pool for the rest
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = new_pool()
                    pending.append((batch, pool.submit(_check, batch)))
            if not pending:
                break
            batch, fut = pending.popleft()
            try:
                results = fut.result()
            except Exception:  # noqa: BLE001 - the worker failed on this batch: check it here instead
                results = checker._check_batch(batch)
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _CHECKER = None
