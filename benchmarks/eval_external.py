"""Evaluate the shipped model on ../shared/data (BioScope, certainty, causal language) and print a table.

    .venv/bin/python benchmarks/eval_external.py [--json models/claim-clf-v1.1/external.json]
"""

from __future__ import annotations

import argparse
import json
import time

import pipeline
from pipeline.external import available, evaluate_external, table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", help="also write the metrics to this JSON file")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    if not available():
        raise SystemExit("../shared/data not found beside the repo")
    checker = pipeline.load(args.model)
    t = time.perf_counter()
    res = evaluate_external(checker)
    print(f"model {checker.model.name}; {time.perf_counter() - t:.1f} s")
    print(table(res))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2)


if __name__ == "__main__":
    main()
