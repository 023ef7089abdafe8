"""Flag precision/recall per code on data/eval/flags_gold.jsonl (default) or another gold file.

    .venv/bin/python benchmarks/flags_eval.py [--errors] [--gold gold|heldout|blind|blind2|blind3|blind4|PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pipeline
from pipeline.flag_eval import SETS, evaluate_flags, load_gold, table

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    ap.add_argument("--model", help="a model name or directory (default: the bundled newest)")
    ap.add_argument("--gold", default="gold",
                    help="'gold' (data/eval/flags_gold.jsonl), 'heldout' (flags_heldout.jsonl), 'blind' (flags_blind.jsonl), 'blind2' (flags_blind2.jsonl), 'blind3' (flags_blind3.jsonl), 'blind4' (flags_blind4.jsonl) or a path")
    args = ap.parse_args()
    path = SETS.get(args.gold) or Path(args.gold)
    print(path.name)
    res = evaluate_flags(pipeline.load(args.model), load_gold(path))
    print(table(res))
    if args.errors:
        for e in res["errors"]:
            print(f"{e['id']:<8}{e['code']:<28}{e['kind']:<4}{e['what'][:110]}")
