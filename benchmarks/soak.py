"""Soak: arbitrary Unicode and markup-like text through check() and classify(); counts the cases
and fails on any exception, offset that does not slice the text, or output off the schema.

    .venv/bin/python benchmarks/soak.py [--cases 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

import pipeline

PIECES = ["Take 2 g of kratom daily.", "Studies suggest", "\n", "# Heading\n", "- item\n", "<p>", "</p>", "<h2>",
          "[x](http://a.b)", "may help", "😀", "\u200b", "?", ";", " ", "\r\n", "<script>alert(1)</script>",
          "Do not exceed 4 g in 24 hours.", "\x00", "\ufeff", "ﬁ", "İ", "‮", "[1]", "(Smith et al., 2020)", "&amp;"]


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0x2FFF), rng.randint(0x1F300, 0x1F6FF)]))
                       for _ in range(rng.randint(0, 300)))
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    checker = pipeline.load()
    failures = 0
    t = time.perf_counter()
    for i in range(args.cases):
        text = random_text(rng)
        fmt = rng.choice(["text", "markdown", "html", "auto"])
        try:
            r = checker.check(text, fmt=fmt)
            d = json.loads(json.dumps(r.to_dict()))
            if r.error is None:
                for c in d["claims"]:
                    assert r.text[c["start"]:c["end"]] == c["text"], "offsets"
            if i % 10 == 0:
                df = checker.classify([text, text[::-1]])
                assert len(df) == 2
        except Exception as exc:  # noqa: BLE001 - counting every failure is the point
            failures += 1
            print(f"case {i}: {type(exc).__name__}: {exc!r} on {text[:80]!r}", file=sys.stderr)
    print(f"{args.cases} cases in {time.perf_counter() - t:.0f} s: {args.cases - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
