"""Evaluation on public labelled corpora in ../shared/data (never trained on): BioScope speculation,
certainty of science findings, and causal language strength, mapped to our labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import SHARED_DIR
from pipeline.train import prf

DATA = SHARED_DIR / "data"


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(x) for x in fh if x.strip()]


def available() -> bool:
    return (DATA / "bioscope" / "abstracts.jsonl").exists()


def _hedge_metrics(df, gold: np.ndarray, threshold: float) -> dict[str, Any]:
    """Two views: the contract (``hedging`` column, only on predicted claims) and the raw hedge
    probability thresholded (is the sentence hedged at all, claim or not)."""
    contract = prf(gold, df["hedging"].to_numpy())
    raw = prf(gold, df["p_hedging"].to_numpy() >= threshold)
    return {"contract": contract, "raw": raw, "n": int(len(gold)), "positives": int(gold.sum())}


def evaluate_external(checker, *, limit: int | None = None) -> dict[str, dict[str, Any]]:
    """Metrics per external set; ``limit`` takes the first N rows of each file (for quick runs)."""
    t_h = checker.model.thresholds["hedging"]
    t_e = checker.model.thresholds["efficacy"]
    out: dict[str, dict[str, Any]] = {}
    for name in ("abstracts", "full_papers"):
        rows = _read(DATA / "bioscope" / f"{name}.jsonl")[:limit]
        df = checker.classify([r["text"] for r in rows])
        out[f"bioscope_{name}"] = _hedge_metrics(df, np.array([bool(r["speculation"]) for r in rows]), t_h)
    rows = _read(DATA / "certainty" / "sentence_certainty_train_val.jsonl")[:limit]
    df = checker.classify([r["text"] for r in rows])
    out["certainty"] = _hedge_metrics(df, np.array([r["certainty"] <= 3.5 for r in rows]), t_h)
    rows = _read(DATA / "causal_language" / "sentences.jsonl")[:limit]
    df = checker.classify([r["text"] for r in rows])
    labels = np.array([r["label"] for r in rows])
    causal = np.isin(labels, ["conditional_causal", "direct_causal"])
    hedge = _hedge_metrics(df[causal], labels[causal] == "conditional_causal", t_h)
    eff_contract = df["efficacy"].to_numpy()
    eff_raw = df["p_efficacy"].to_numpy() >= t_e
    out["causal_hedging"] = hedge
    out["causal_efficacy"] = {
        "contract": prf(causal, eff_contract), "raw": prf(causal, eff_raw), "n": int(len(rows)),
        "positives": int(causal.sum()),
        "recall_on_causal": {"contract": round(float(eff_contract[causal].mean()), 4),
                             "raw": round(float(eff_raw[causal].mean()), 4)},
        "rate_on_no_relationship": round(float(eff_contract[labels == "no_relationship"].mean()), 4),
    }
    bio = [out["bioscope_abstracts"], out["bioscope_full_papers"]]
    tp = sum(m["raw"]["tp"] for m in bio)
    fp = sum(m["raw"]["fp"] for m in bio)
    fn = sum(m["raw"]["fn"] for m in bio)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    out["bioscope_all_raw_f1"] = {"f1": round(2 * p * r / max(p + r, 1e-9), 4), "precision": round(p, 4),
                                  "recall": round(r, 4)}
    return out


def table(res: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'set':<22}{'n':>7}{'pos':>7}  {'contract P/R/F1':<22}{'raw p>=t P/R/F1':<22}"]
    for name, m in res.items():
        if "contract" not in m:
            continue
        c, r = m["contract"], m["raw"]
        lines.append(f"{name:<22}{m['n']:>7}{m['positives']:>7}  "
                     f"{c['precision']:.3f}/{c['recall']:.3f}/{c['f1']:.3f}    {r['precision']:.3f}/{r['recall']:.3f}/{r['f1']:.3f}")
    b = res["bioscope_all_raw_f1"]
    lines.append(f"BioScope (abstracts + papers) hedging, raw: P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}")
    e = res["causal_efficacy"]["recall_on_causal"]
    lines.append(f"causal_language efficacy recall on causal sentences: contract {e['contract']:.3f}, raw {e['raw']:.3f}; "
                 f"efficacy rate on no_relationship: {res['causal_efficacy']['rate_on_no_relationship']:.3f}")
    return "\n".join(lines)
