"""Checks on the labelled corpus: duplicates, near-duplicates across splits, label co-occurrence
sanity, and agreement between the first and second annotation passes (Cohen's kappa)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.config import ANNOTATIONS_DIR, LABELS, PROCESSED_DIR, SOURCING_VALUES
from pipeline.train import SPLITS

_WORD = re.compile(r"[a-z0-9]+")


def _rows(directory: Path = PROCESSED_DIR) -> dict[str, list[dict[str, Any]]]:
    return {s: [json.loads(x) for x in (directory / f"{s}.jsonl").read_text(encoding="utf-8").splitlines() if x]
            for s in SPLITS}


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    w = normalise(text).split()
    return {tuple(w[i:i + n]) for i in range(max(1, len(w) - n + 1))}


def duplicates(rows: dict[str, list[dict]]) -> list[tuple[str, str, str]]:
    """Exact duplicates after normalisation, as (text, split_a, split_b); headings of 1-3 words are ignored."""
    seen: dict[str, str] = {}
    out = []
    for s in SPLITS:
        for r in rows[s]:
            key = normalise(r["text"])
            if len(key.split()) <= 3:
                continue
            if key in seen:
                out.append((r["text"], seen[key], s))
            else:
                seen[key] = s
    return out


def near_duplicates_across_splits(rows: dict[str, list[dict]], threshold: float = 0.8) -> list[tuple[str, str, float]]:
    """Pairs of units in different splits whose 3-word shingles overlap with Jaccard >= threshold."""
    index: dict[tuple[str, ...], list[int]] = {}
    items = [(s, r["text"], shingles(r["text"])) for s in SPLITS for r in rows[s] if len(r["text"].split()) >= 6]
    for i, (_, _, sh) in enumerate(items):
        for g in sh:
            index.setdefault(g, []).append(i)
    out = []
    for i, (si, ti, shi) in enumerate(items):
        cand = Counter(j for g in shi for j in index[g] if j > i and items[j][0] != si)
        for j, shared in cand.items():
            jac = shared / len(shi | items[j][2])
            if jac >= threshold:
                out.append((ti, items[j][1], round(jac, 3)))
    return out


def cooccurrence_problems(rows: dict[str, list[dict]]) -> list[str]:
    """Units whose labels contradict ANNOTATION.md (labels on non-claims, sourcing on non-claims)."""
    bad = []
    for s in SPLITS:
        for r in rows[s]:
            if not r["is_claim"] and (any(r[lab] for lab in LABELS[1:]) or r["sourcing"] != "none"):
                bad.append(f"{r['doc_id']}#{r['i']}: non-claim with labels")
            if r["text"].rstrip().endswith("?") and r["is_claim"]:
                bad.append(f"{r['doc_id']}#{r['i']}: question labelled as a claim")
    return bad


def cohen_kappa(a: list, b: list) -> float:
    n = len(a)
    if n == 0:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def agreement(second_pass: Path = ANNOTATIONS_DIR / "agreement" / "second_pass.jsonl",
              directory: Path = PROCESSED_DIR) -> dict[str, dict[str, float]]:
    """Per-label observed agreement and Cohen's kappa between the first pass and the second pass."""
    first = {(r["doc_id"], r["i"]): r for rs in _rows(directory).values() for r in rs}
    second = [json.loads(x) for x in second_pass.read_text(encoding="utf-8").splitlines() if x]
    pairs = [(first[(r["doc_id"], r["i"])], r) for r in second if (r["doc_id"], r["i"]) in first]
    out = {}
    for lab in (*LABELS, "sourcing"):
        a = [p[0][lab] for p in pairs]
        b = [p[1][lab] for p in pairs]
        if lab in LABELS[1:]:  # type labels and hedging: compare on units both passes call claims
            both = [(x, y) for x, y, p in zip(a, b, pairs, strict=True) if p[0]["is_claim"] and p[1]["is_claim"]]
            a, b = [x for x, _ in both], [y for _, y in both]
        if lab == "sourcing":
            both = [(p[0]["sourcing"], p[1]["sourcing"]) for p in pairs if p[0]["is_claim"] and p[1]["is_claim"]]
            a, b = [x for x, _ in both], [y for _, y in both]
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else float("nan")
        out[lab] = {"n": len(a), "agreement": round(agree, 3), "kappa": round(cohen_kappa(a, b), 3)}
    return out


def report() -> str:
    rows = _rows()
    lines = ["== corpus", *(f"{s}: {len(rows[s])} units, {len({r['doc_id'] for r in rows[s]})} documents" for s in SPLITS)]
    docs = {s: {r["doc_id"] for r in rows[s]} for s in SPLITS}
    shared = (docs["train"] & docs["dev"]) | (docs["train"] & docs["test"]) | (docs["dev"] & docs["test"])
    lines.append(f"documents in two splits: {len(shared)}")
    d = duplicates(rows)
    lines.append(f"exact duplicate units (normalised, >3 words): {len(d)}; across splits: "
                 f"{sum(1 for _, a, b in d if a != b)}")
    nd = near_duplicates_across_splits(rows)
    lines.append(f"near-duplicates across splits (3-gram Jaccard >= 0.8): {len(nd)}")
    lines += [f"  {a[:70]!r} ~ {b[:70]!r} ({j})" for a, b, j in nd[:10]]
    bad = cooccurrence_problems(rows)
    lines.append(f"label co-occurrence problems: {len(bad)}")
    lines += [f"  {b}" for b in bad[:10]]
    allr = [r for s in SPLITS for r in rows[s]]
    claims = [r for r in allr if r["is_claim"]]
    lines.append("labels among claims: " + ", ".join(f"{lab} {sum(r[lab] for r in claims)}" for lab in LABELS[1:]))
    lines.append("sourcing among claims: " + ", ".join(f"{v} {sum(r['sourcing'] == v for r in claims)}"
                                                       for v in SOURCING_VALUES))
    lines.append(f"genres: {len({r['genre'] for r in allr})}, topics: {len({r['topic'] for r in allr})}")
    sp = ANNOTATIONS_DIR / "agreement" / "second_pass.jsonl"
    if sp.exists():
        lines.append("== agreement, first vs second pass (type labels, hedging and sourcing on units both call claims)")
        for lab, m in agreement(sp).items():
            lines.append(f"{lab:<10} n={m['n']:<4} agreement {m['agreement']:.3f}  kappa {m['kappa']:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
