"""Flag precision/recall per code on data/eval/flags_gold.jsonl.

    .venv/bin/python benchmarks/flags_eval.py [--errors]
"""

from __future__ import annotations

import argparse

import pipeline
from pipeline.flag_eval import evaluate_flags, table

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    args = ap.parse_args()
    res = evaluate_flags(pipeline.load())
    print(table(res))
    if args.errors:
        for e in res["errors"]:
            print(f"{e['id']:<8}{e['code']:<28}{e['kind']:<4}{e['what'][:110]}")
