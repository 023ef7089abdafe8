"""Throughput and memory of `claimcheck score`, side by side with spaCy baselines, on a seeded corpus.

    .venv/bin/python benchmarks/throughput.py [--n 1000] [--seed 7] [--rss-n 20000]

Each configuration runs in its own fresh process on the same generated corpus (benchmarks/corpus.py),
timed from the first article read to the last result written (model loading excluded):

- claimcheck      the batch path of `claimcheck score --n-process 1` (read, check, write JSONL)
- spacy           the spaCy pass claimcheck runs on: the same spaCy components (tok2vec, tagger, senter,
                  attribute_ruler, lemmatizer), none of claimcheck's own (hc_) components, no claim logic
- bare            the same pass plus the hc_ annotators (lines, units, cues, substances): claimcheck minus
                  classification, sourcing, doses, flags and output
- naive stock     `nlp(text)` per article with the full stock en_core_web_sm (NER included)
- claimcheck -j2  `--n-process 2` (two forked workers)
- claimcheck-parser  `--sentences parser` (the dependency parser instead of the default senter)

Peak RSS is the largest resident size of any one process of the run (parent or worker). With
--rss-n, claimcheck also runs on a corpus of that many articles to show memory does not grow with it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR.parent / "out" / "bench"
MODES = ("claimcheck", "spacy", "bare", "naive", "claimcheck-j2", "claimcheck-parser")


def corpus(n: int, seed: int) -> Path:
    path = OUT_DIR / f"corpus-{n}-{seed}.jsonl"
    if not path.exists():
        sys.path.insert(0, str(BENCH_DIR))
        from corpus import generate

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for rec in generate(n, seed):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def child(mode: str, path: Path) -> dict:
    """Run one configuration in this process; return its figures."""
    from pipeline.ingest import iter_articles

    words = sum(len(a.text.split()) for a in iter_articles([str(path)]))
    if mode.startswith("claimcheck"):
        import pipeline
        from pipeline.batch import score_articles

        checker = pipeline.load(sentences="parser" if mode.endswith("parser") else "senter")
        list(checker.check_articles(list(iter_articles([str(path)]))[:8]))  # warm up
        n_process = 2 if mode.endswith("j2") else 1
        with tempfile.TemporaryDirectory() as tmp:
            t, cpu = time.perf_counter(), time.process_time()
            summary = score_articles(checker, iter_articles([str(path)]), out=Path(tmp) / "out.jsonl", quiet=True,
                                     n_process=n_process)
            secs, cpu = time.perf_counter() - t, time.process_time() - cpu
        n = summary.articles
    elif mode in ("bare", "spacy"):
        from itertools import islice

        import pipeline

        checker = pipeline.load()
        if mode == "spacy":
            checker.nlp.select_pipes(disable=[n for n in checker.nlp.pipe_names if n.startswith("hc_")])
        checker.pipe_docs([d for a in list(iter_articles([str(path)]))[:8] for d in checker.make_docs(a)])  # warm up
        t, cpu = time.perf_counter(), time.process_time()
        n = 0
        arts = iter_articles([str(path)])
        while batch := list(islice(arts, 16)):  # the batches and docs claimcheck makes, spaCy pass only
            checker.pipe_docs([d for a in batch if a.error is None for d in checker.make_docs(a)])
            n += len(batch)
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
    elif mode == "naive":
        import spacy

        from pipeline.nlp import spacy_model_name

        nlp = spacy.load(spacy_model_name())
        for a in list(iter_articles([str(path)]))[:8]:
            nlp(a.text)
        t, cpu = time.perf_counter(), time.process_time()
        n = 0
        for a in iter_articles([str(path)]):
            nlp(a.text)
            n += 1
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
    else:
        raise SystemExit(f"unknown mode {mode}")
    if mode.endswith("j2"):
        cpu += sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])
    return {"mode": mode, "articles": n, "words": words, "seconds": secs, "cpu_seconds": cpu, "peak_rss_mb": _peak_mb()}


def run_child(mode: str, path: Path) -> dict:
    res = subprocess.run([sys.executable, __file__, "--child", mode, "--corpus", str(path)], capture_output=True,
                         text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--rss-n", type=int, default=0, help="also run claimcheck on this many articles (memory growth)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.corpus)))
        return
    path = corpus(args.n, args.seed)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores ({platform.processor() or 'cpu'}), "
          f"python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"corpus: {path.name}")
    res: dict[str, dict] = {}
    print(f"{'configuration':<16}{'articles':>9}{'seconds':>9}{'CPU s':>8}{'articles/s':>12}{'words/s':>10}"
          f"{'peak RSS MB':>13}")
    for mode in args.modes.split(","):
        r = res[mode] = run_child(mode, path)
        print(f"{mode:<16}{r['articles']:>9}{r['seconds']:>9.1f}{r['cpu_seconds']:>8.1f}{r['articles'] / r['seconds']:>12.1f}"
              f"{r['words'] / r['seconds']:>10.0f}{r['peak_rss_mb']:>13.0f}", flush=True)
    rate = {m: r["articles"] / r["seconds"] for m, r in res.items()}
    cpu = {m: r["articles"] / r["cpu_seconds"] for m, r in res.items() if r["cpu_seconds"]}
    print()
    print(f"{'ratio':<40}{'wall':>8}{'CPU':>8}   target")
    def times(label: str, a: str, b: str, target: str, with_cpu: bool = True) -> None:  # a is N x b
        if {a, b} <= rate.keys():
            c = f"{cpu[a] / cpu[b]:>7.2f}x" if with_cpu else f"{'':>8}"
            print(f"{label:<40}{rate[a] / rate[b]:>7.2f}x{c}   {target}")

    def overhead(label: str, base: str, target: str) -> None:  # claimcheck's extra time over a baseline
        if {"claimcheck", base} <= rate.keys():
            print(f"{label:<40}{100 * (rate[base] / rate['claimcheck'] - 1):>+7.0f}%"
                  f"{100 * (cpu[base] / cpu['claimcheck'] - 1):>+7.0f}%   {target}")

    times("claimcheck / naive stock loop", "claimcheck", "naive", ">= 2x")
    overhead("claimcheck over the spaCy pass", "spacy", "<= 25 %")
    overhead("  of which after the hc_ annotators", "bare", "(over spaCy + hc_ pass)")
    times("claimcheck --sentences parser / naive", "claimcheck-parser", "naive", "(not a target)")
    times("--n-process 2 / --n-process 1", "claimcheck-j2", "claimcheck", ">= 1.8x", with_cpu=False)
    peaks = {m: r["peak_rss_mb"] for m, r in res.items() if m.startswith("claimcheck")}
    if peaks:
        print(f"{'peak RSS per claimcheck process':<40}{max(peaks.values()):>6.0f} MB          <= 600 MB")
    if args.rss_n:
        big = run_child("claimcheck", corpus(args.rss_n, args.seed))
        small = res.get("claimcheck") or run_child("claimcheck", path)
        growth = 100 * (big["peak_rss_mb"] / small["peak_rss_mb"] - 1)
        print(f"peak RSS {args.n} -> {args.rss_n} articles:   {small['peak_rss_mb']:.0f} -> {big['peak_rss_mb']:.0f} MB "
              f"({growth:+.1f} %, target within 10 %); {big['articles'] / big['seconds']:.1f} articles/s")


if __name__ == "__main__":
    main()
