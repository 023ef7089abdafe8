"""Fault test: kill -9 `claimcheck score` at random moments, then `--resume`; check that every
article is in the output exactly once, no line is torn, and the result is byte-identical to an
uninterrupted run.

    .venv/bin/python benchmarks/kill_resume.py --trials 20 [--articles 120] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = ["Take {n} g of kratom once or twice daily.", "Studies suggest kava may ease anxiety.",
             "Melatonin at {n} mg helps some people sleep, according to the NIH.",
             "Do not exceed {n} capsules a day.", "Valerian is generally safe for short-term use."]


def make_corpus(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(rng.choice(SENTENCES).format(n=rng.randint(1, 9)) for _ in range(rng.randint(3, 12)))
            fh.write(json.dumps({"id": f"a{i:04d}", "text": text}) + "\n")


def run(args: list[str], **kw) -> subprocess.Popen:
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "score", *args, "-q"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def trial(corpus: Path, out: Path, reference: bytes, rng: random.Random) -> str:
    for p in (out, out.with_name(out.name + ".partial")):
        p.unlink(missing_ok=True)
    kills = 0
    partial = out.with_name(out.name + ".partial")
    for _ in range(rng.randint(1, 3)):  # one to three kills before the final resume
        proc = run([str(corpus), "--out", str(out), "--resume", "--batch-size", "4"])
        if rng.random() < 0.2:  # while starting up
            time.sleep(rng.uniform(0.5, 3.0))
        else:  # while writing: once this run has added to the output, at a random moment
            size = partial.stat().st_size if partial.exists() else 0
            deadline = time.time() + 120
            while proc.poll() is None and time.time() < deadline and (
                    not partial.exists() or partial.stat().st_size <= size):
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 1.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    proc = run([str(corpus), "--out", str(out), "--resume"])
    _, err = proc.communicate(timeout=600)
    if proc.returncode != 0:
        return f"resume exited {proc.returncode}: {err.decode()[-500:]}"
    data = out.read_bytes()
    lines = data.decode().splitlines()
    ids = [json.loads(x)["id"] for x in lines]
    if len(ids) != len(set(ids)):
        return "an article was written twice"
    if data != reference:
        return f"output differs from an uninterrupted run ({len(ids)} lines, {kills} kills)"
    return f"ok ({kills} kills)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as d:
        corpus, out = Path(d) / "corpus.jsonl", Path(d) / "out.jsonl"
        make_corpus(corpus, args.articles, args.seed)
        ref = run([str(corpus), "--out", str(Path(d) / "ref.jsonl")])
        ref.communicate(timeout=600)
        reference = (Path(d) / "ref.jsonl").read_bytes()
        failures = total_kills = 0
        for t in range(args.trials):
            res = trial(corpus, out, reference, rng)
            print(f"trial {t + 1}: {res}", flush=True)
            failures += not res.startswith("ok")
            m = re.search(r"(\d+) kills", res)
            total_kills += int(m.group(1)) if m else 0
    print(f"{args.trials - failures} passed, {failures} failed, {total_kills} kills")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
