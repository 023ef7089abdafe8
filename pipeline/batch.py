"""Batch scoring: stream articles from inputs through the checker to JSONL / CSV / Parquet outputs,
with a progress bar, error rows for broken articles, and a summary."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.checker import ClaimChecker
from pipeline.errors import UsageError
from pipeline.schema import CLAIM_COLUMNS, ArticleResult, claims_frame

CLAIM_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


@dataclass
class RunSummary:
    articles: int = 0
    errors: int = 0
    claims: int = 0
    words: int = 0
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
            f"{'claims':<28}{self.claims:>10}",
            f"{'flags':<28}{sum(self.flags.values()):>10}",
        ]
        lines += [f"{'  ' + code:<28}{n:>10}" for code, n in sorted(self.flags.items())]
        lines.append(f"{'seconds':<28}{self.seconds:>10.1f}")
        lines.append(f"{'articles/s':<28}{rate:>10.1f}")
        return "\n".join(lines)


class _ClaimWriter:
    """Writes claim rows as they come: CSV and JSONL line by line, Parquet in row groups."""

    def __init__(self, path: Path) -> None:
        self.kind = CLAIM_FORMATS.get(path.suffix.lower())
        if self.kind is None:
            raise UsageError(f"--claims-out {path}: use a .csv, .jsonl or .parquet file")
        self.path = path
        self.tmp = _tmp_path(path)
        self._pending: list[ArticleResult] = []
        self._pq = None
        if self.kind == "csv":
            self.fh: IO[str] | None = self.tmp.open("w", encoding="utf-8", newline="")
            self.csv = csv.DictWriter(self.fh, fieldnames=CLAIM_COLUMNS)
            self.csv.writeheader()
        elif self.kind == "jsonl":
            self.fh = self.tmp.open("w", encoding="utf-8")
        else:
            self.fh = None

    def write(self, r: ArticleResult) -> None:
        if r.error:
            return
        if self.kind == "csv":
            for row in claims_frame([r]).to_dict("records"):
                self.csv.writerow(row)
        elif self.kind == "jsonl":
            for c in r.claims:
                self.fh.write(json.dumps({"article_id": r.id, **c.to_dict()}, ensure_ascii=False) + "\n")
        else:
            self._pending.append(r)
            if len(self._pending) >= 256:
                self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        df = claims_frame(self._pending)
        self._pending = []
        table = pa.Table.from_pandas(df, preserve_index=False)
        if self._pq is None:
            self._pq = pq.ParquetWriter(self.tmp, table.schema)
        self._pq.write_table(table.cast(self._pq.schema))

    def close(self) -> None:
        if self.kind == "parquet":
            if self._pending or self._pq is None:
                self._flush_parquet()
            self._pq.close()
        elif self.fh is not None:
            self.fh.close()
        os.replace(self.tmp, self.path)


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _open_out(path: Path | None) -> tuple[IO[str], Path | None]:
    if path is None or str(path) == "-":
        return sys.stdout, None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_path(path)
    return tmp.open("w", encoding="utf-8"), tmp


def progress(iterable: Iterable[Any], *, quiet: bool, total: int | None = None, unit: str = "article") -> Iterator[Any]:
    """A tqdm progress bar on a terminal; silent when quiet or when stderr is not a TTY."""
    if quiet or not sys.stderr.isatty():
        yield from iterable
        return
    from tqdm import tqdm

    yield from tqdm(iterable, total=total, unit=unit, dynamic_ncols=True, file=sys.stderr)


def score_articles(checker: ClaimChecker, articles: Iterable, *, out: Path | None, claims_out: Path | None = None,
                   quiet: bool = False, with_text: bool = False, batch_size: int = 16,
                   on_result: Callable[[ArticleResult], object] | None = None) -> RunSummary:
    """Score a stream of Articles, writing one JSON line per article as results come."""
    summary = RunSummary()
    start = time.perf_counter()
    with ExitStack() as stack:
        fh, tmp = _open_out(out)
        if tmp is not None:
            stack.callback(fh.close)
        cw = _ClaimWriter(claims_out) if claims_out else None
        results = checker.check_articles(articles, batch_size=batch_size)
        for r in progress(results, quiet=quiet):
            fh.write(json.dumps(r.to_dict(with_text=with_text), ensure_ascii=False) + "\n")
            if cw is not None:
                cw.write(r)
            summary.add(r)
            if on_result is not None:
                on_result(r)
        fh.flush()
        if cw is not None:
            cw.close()
    if tmp is not None and out is not None:
        os.replace(tmp, out)
    summary.seconds = time.perf_counter() - start
    return summary
