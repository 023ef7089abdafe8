"""Batch scoring: stream articles from inputs through the checker to JSONL, with a progress bar,
error rows for broken articles, resumable output and a claims table (CSV / JSONL / Parquet)."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.checker import ClaimChecker
from pipeline.errors import OutputError, UsageError
from pipeline.parallel import check_parallel
from pipeline.schema import CLAIM_COLUMNS, Article, ArticleResult, claim_record

CLAIM_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


@dataclass
class RunSummary:
    articles: int = 0
    errors: int = 0
    claims: int = 0
    words: int = 0
    skipped: int = 0
    flags: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, r: ArticleResult) -> None:
        self.articles += 1
        if r.error:
            self.errors += 1
            return
        self.claims += r.n_claims
        self.words += len(r.text.split())
        self.flags.update(f.code for f in r.flags)

    def table(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        lines = [
            f"{'articles':<28}{self.articles:>10}",
            f"{'  scored':<28}{self.articles - self.errors:>10}",
            f"{'  failed (error rows)':<28}{self.errors:>10}",
        ]
        if self.skipped:
            lines.append(f"{'  already done (--resume)':<28}{self.skipped:>10}")
        lines += [f"{'claims':<28}{self.claims:>10}", f"{'flags':<28}{sum(self.flags.values()):>10}"]
        lines += [f"{'  ' + code:<28}{n:>10}" for code, n in sorted(self.flags.items())]
        lines.append(f"{'seconds':<28}{self.seconds:>10.1f}")
        lines.append(f"{'articles/s':<28}{rate:>10.1f}")
        return "\n".join(lines)


def progress(iterable: Iterable[Any], *, quiet: bool, total: int | None = None, unit: str = "article") -> Iterator[Any]:
    """A tqdm progress bar on a terminal; silent when quiet or when stderr is not a TTY."""
    if quiet or not sys.stderr.isatty():
        yield from iterable
        return
    from tqdm import tqdm

    yield from tqdm(iterable, total=total, unit=unit, dynamic_ncols=True, file=sys.stderr)


def _key(source: str, id: str) -> str:
    return f"{source}\x1f{id}"


def _complete_keys(path: Path) -> set[str]:
    """Keys of the complete lines of a partial output; a torn last line (killed mid-write) is cut off."""
    keys: set[str] = set()
    good = 0
    with path.open("rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                rec = json.loads(line)
                keys.add(_key(rec["source"], rec["id"]))
            except (ValueError, KeyError, TypeError):
                break
            good += len(line)
    if good != path.stat().st_size:
        with path.open("r+b") as fh:
            fh.truncate(good)
    return keys


def write_claims(articles_jsonl: Path, claims_out: Path) -> int:
    """Write the claims table from an articles JSONL file (streamed), atomically. Returns rows written."""
    kind = CLAIM_FORMATS.get(claims_out.suffix.lower())
    if kind is None:
        raise UsageError(f"--claims-out {claims_out}: use a .csv, .jsonl or .parquet file")
    claims_out.parent.mkdir(parents=True, exist_ok=True)
    tmp = claims_out.with_name(f".{claims_out.name}.tmp")
    n = 0

    def rows() -> Iterator[tuple[dict, dict]]:
        with articles_jsonl.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                for c in rec.get("claims") or []:
                    yield rec, c

    if kind == "csv":
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=CLAIM_COLUMNS)
            w.writeheader()
            for rec, c in rows():
                w.writerow(claim_record(rec["id"], c))
                n += 1
    elif kind == "jsonl":
        with tmp.open("w", encoding="utf-8") as fh:
            for rec, c in rows():
                fh.write(json.dumps({"article_id": rec["id"], **c}, ensure_ascii=False) + "\n")
                n += 1
    else:
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        buf: list[dict] = []

        def flush() -> None:
            nonlocal writer
            table = pa.Table.from_pandas(pd.DataFrame(buf, columns=CLAIM_COLUMNS), preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table.cast(writer.schema))
            buf.clear()

        for rec, c in rows():
            buf.append(claim_record(rec["id"], c))
            n += 1
            if len(buf) >= 5000:
                flush()
        if buf or writer is None:
            flush()
        writer.close()
    os.replace(tmp, claims_out)
    return n


def _mark_duplicates(articles: Iterable[Article]) -> Iterator[Article]:
    """Pass articles through, noting in ``meta['duplicate_of']`` an id already seen (both are scored)."""
    first: dict[str, str] = {}
    for a in articles:
        if a.id in first:
            a.meta["duplicate_of"] = first[a.id]
        else:
            first[a.id] = a.source
        yield a


def _results(checker: ClaimChecker | None, articles: Iterable[Article], *, n_process: int, batch_size: int,
             engine: Any, load_args: dict | None) -> Iterator[ArticleResult]:
    if engine is not None:
        args = load_args if load_args is not None else (checker.load_args if checker is not None else None)
        if args is None:
            raise UsageError("the Dask engine needs the checker's load arguments (build it with pipeline.load())")
        return engine.check(articles, args, batch_size=batch_size)
    if checker is None:
        raise UsageError("score_articles needs a checker or an engine")
    return check_parallel(checker, articles, n_process=n_process, batch_size=batch_size)


def score_articles(checker: ClaimChecker | None, articles: Iterable[Article], *, out: Path | None,
                   claims_out: Path | None = None, quiet: bool = False, with_text: bool = False,
                   batch_size: int = 16, resume: bool = False, n_process: int = 1,
                   engine: Any = None, load_args: dict | None = None,
                   on_result: Callable[[ArticleResult], object] | None = None) -> RunSummary:
    """Score a stream of Articles, one JSON line per article as results come.

    ``out`` is written as ``OUT.partial`` and renamed when the run ends, so a finished file is never
    torn. With ``resume``, an earlier run's partial (or finished) output is kept, a torn last line is
    cut off, and the articles already in it are skipped: every article ends up exactly once, in input
    order. ``n_process`` > 1 checks batches in that many worker processes; ``engine`` (a
    :class:`pipeline.distributed.DaskEngine`) checks them on Dask workers that load the checker from
    ``load_args``. The output is the same either way."""
    summary = RunSummary()
    start = time.perf_counter()
    if out is None:
        if claims_out is not None:
            raise UsageError("--claims-out needs --out to be a file")
        for r in progress(_results(checker, _mark_duplicates(articles), n_process=n_process, batch_size=batch_size,
                                   engine=engine, load_args=load_args),
                          quiet=quiet):
            sys.stdout.write(json.dumps(r.to_dict(with_text=with_text), ensure_ascii=False) + "\n")
            summary.add(r)
            if on_result is not None:
                on_result(r)
        sys.stdout.flush()
        summary.seconds = time.perf_counter() - start
        return summary
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        done: set[str] = set()
        if resume:
            if not partial.exists() and out.exists():
                os.replace(out, partial)
            if partial.exists():
                done = _complete_keys(partial)
        fh = partial.open("a" if resume else "w", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write output {out}: {exc}") from exc

    def todo() -> Iterator[Article]:
        for a in _mark_duplicates(articles):
            if done and _key(a.source, a.id) in done:
                summary.skipped += 1
                continue
            yield a

    try:
        with fh:
            for r in progress(_results(checker, todo(), n_process=n_process, batch_size=batch_size, engine=engine,
                                       load_args=load_args), quiet=quiet):
                if on_result is not None:  # first, so a kill between the two repeats the article, not loses it
                    on_result(r)
                fh.write(json.dumps(r.to_dict(with_text=with_text), ensure_ascii=False) + "\n")
                fh.flush()
                summary.add(r)
            os.fsync(fh.fileno())
        os.replace(partial, out)
        if claims_out is not None:
            write_claims(out, claims_out)
    except OSError as exc:
        raise OutputError(f"cannot write output {out}: {exc}") from exc
    summary.seconds = time.perf_counter() - start
    return summary
