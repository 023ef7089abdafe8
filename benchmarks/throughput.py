"""Throughput of claim checking on the bundled samples (repeated to --repeat x the corpus).

    .venv/bin/python benchmarks/throughput.py [--repeat 5]

Prints articles/s and words/s for claimcheck, and for the bare spaCy pass it runs on (same components,
no claim logic), with the machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import pipeline
from pipeline.config import SAMPLES_DIR
from pipeline.ingest import iter_articles


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    checker = pipeline.load()
    arts = [a for a in iter_articles([SAMPLES_DIR]) if a.error is None] * args.repeat
    words = sum(len(a.text.split()) for a in arts)
    list(checker.check_articles(arts[:4]))  # warm up
    t = time.perf_counter()
    n = sum(1 for _ in checker.check_articles(arts))
    full = time.perf_counter() - t
    t = time.perf_counter()
    for _ in checker.nlp.pipe((a.text for a in arts), batch_size=64):
        pass
    bare = time.perf_counter() - t
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, one process")
    print(f"articles: {n} ({words} words)")
    print(f"claimcheck:     {n / full:8.1f} articles/s {words / full:10.0f} words/s")
    print(f"bare spaCy pass:{n / bare:8.1f} articles/s {words / bare:10.0f} words/s")
    print(f"claim logic overhead over the spaCy pass: {100 * (full / bare - 1):.0f} %")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
