"""Flag precision and recall against data/eval/flags_gold.jsonl (articles written by the team with the
flags a careful reviewer would raise) or the held-out set data/eval/flags_heldout.jsonl (written later,
never used to tune the flags)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.config import EVAL_DIR

GOLD_FILE = EVAL_DIR / "flags_gold.jsonl"
HELDOUT_FILE = EVAL_DIR / "flags_heldout.jsonl"
BLIND_FILE = EVAL_DIR / "flags_blind.jsonl"  # written blind; measured, then used for error analysis
BLIND2_FILE = EVAL_DIR / "flags_blind2.jsonl"  # written blind, never tuned on
BLIND3_FILE = EVAL_DIR / "flags_blind3.jsonl"  # written blind 2026-11-25, never tuned on
BLIND4_FILE = EVAL_DIR / "flags_blind4.jsonl"  # written blind 2026-11-25 (session 5); one bug fix found on it
# the sets by the names `benchmarks/flags_eval.py --gold` and the tests use
SETS = {"gold": GOLD_FILE, "heldout": HELDOUT_FILE, "blind": BLIND_FILE, "blind2": BLIND2_FILE, "blind3": BLIND3_FILE,
        "blind4": BLIND4_FILE}
SUBSTANCE_CODES = ("missing_regulatory_context", "missing_safety_context", "dose_above_reference")
SENTENCE_CODES = ("unsourced_claim", "vague_attribution")


def load_gold(path: Path = GOLD_FILE) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(1, min(a[1] - a[0], b[1] - b[0])) if inter > 0 else 0.0


def evaluate_flags(checker, gold: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Per flag code: tp, fp, fn, precision, recall; plus the mismatches for error analysis."""
    gold = gold if gold is not None else load_gold()
    counts = {c: {"tp": 0, "fp": 0, "fn": 0} for c in (*SUBSTANCE_CODES, *SENTENCE_CODES)}
    errors: list[dict[str, Any]] = []
    for g in gold:
        r = checker.check(g["text"], id=g["id"], fmt=g.get("format", "text"))
        text = r.text
        for code in SUBSTANCE_CODES:
            want = set(g["flags"].get(code, []))
            got = {f.substance for f in r.flags if f.code == code and f.substance}
            counts[code]["tp"] += len(want & got)
            counts[code]["fp"] += len(got - want)
            counts[code]["fn"] += len(want - got)
            for s in got - want:
                errors.append({"id": g["id"], "code": code, "kind": "fp", "what": s})
            for s in want - got:
                errors.append({"id": g["id"], "code": code, "kind": "fn", "what": s})
        for code in SENTENCE_CODES:
            spans = []
            for sent in g["flags"].get(code, []):
                pos = text.find(sent)
                if pos < 0:  # markdown input: compare on the ingested text with the sentence's words
                    pos = text.find(sent.replace("**", ""))
                spans.append((pos, pos + len(sent), sent) if pos >= 0 else (-1, -1, sent))
            got = [(f.evidence["start"], f.evidence["end"], f.evidence["text"]) for f in r.flags if f.code == code]
            matched_gold = set()
            for gs, ge, gt in got:
                hit = next((k for k, (s, e, _) in enumerate(spans) if k not in matched_gold and _overlap((gs, ge), (s, e)) >= 0.5), None)
                if hit is None:
                    counts[code]["fp"] += 1
                    errors.append({"id": g["id"], "code": code, "kind": "fp", "what": gt})
                else:
                    matched_gold.add(hit)
                    counts[code]["tp"] += 1
            for k, (_, _, st) in enumerate(spans):
                if k not in matched_gold:
                    counts[code]["fn"] += 1
                    errors.append({"id": g["id"], "code": code, "kind": "fn", "what": st})
    for m in counts.values():
        m["precision"] = round(m["tp"] / (m["tp"] + m["fp"]), 4) if m["tp"] + m["fp"] else 1.0
        m["recall"] = round(m["tp"] / (m["tp"] + m["fn"]), 4) if m["tp"] + m["fn"] else 1.0
    return {"codes": counts, "errors": errors, "articles": len(gold)}


def table(res: dict[str, Any]) -> str:
    lines = [f"{res['articles']} articles", f"{'flag':<28}{'P':>7}{'R':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for code, m in res["codes"].items():
        lines.append(f"{code:<28}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}")
    return "\n".join(lines)
