"""Sentence splitting: dependency parser vs sentence recogniser (senter), accuracy and speed.

    .venv/bin/python benchmarks/segmentation.py [--docs 300]

1. Sentence boundaries on BioScope abstracts (../shared/data; each abstract rebuilt by joining its
   sentences with a space): precision / recall / F1 of predicted sentence starts, and words/s of the
   whole spaCy pass, for spaCy's parser, its senter, and the rule-based sentencizer.
2. Unit boundaries on the project's own dev+test split (each document rebuilt from its annotated units):
   F1 of unit starts from claimcheck's full pipeline (hc_lines + sentences + hc_segment, with its
   default settings) with ``sentences="parser"`` and ``sentences="senter"``, and words/s of the
   claimcheck spaCy pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import defaultdict
from itertools import islice

import spacy

from pipeline.config import PROCESSED_DIR, SHARED_DIR, UNITS_KEY
from pipeline.nlp import build_nlp, spacy_model_name
from pipeline.regulatory import KnowledgeBase

_END = tuple('.!?:;"”)')


def prf(gold: set, pred: set) -> tuple[float, float, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bioscope_docs(limit: int) -> list[tuple[str, set[int]]]:
    by_doc: dict[str, list[str]] = defaultdict(list)
    with (SHARED_DIR / "data" / "bioscope" / "abstracts.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_doc[rec["doc_id"]].append(rec["text"].strip())
    out = []
    for sents in islice(by_doc.values(), limit):
        starts, pos = set(), 0
        for i, s in enumerate(sents):
            if i:
                starts.add(pos)
            pos += len(s) + 1
        out.append((" ".join(sents), starts))
    return out


def corpus_docs() -> list[tuple[str, set[int]]]:
    by_doc: dict[str, list[str]] = defaultdict(list)
    for split in ("dev", "test"):
        with (PROCESSED_DIR / f"{split}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                by_doc[rec["doc_id"]].append(rec["text"].strip())
    out = []
    for units in by_doc.values():
        text, starts = "", set()
        for u in units:
            if text:
                text += " " if text.endswith(_END) else "\n"
                starts.add(len(text))
            text += u
        out.append((text, starts))
    return out


def run(nlp, docs, starts_of) -> tuple[float, float, float, float]:
    texts = [t for t, _ in docs]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=64))
    secs = time.perf_counter() - t0
    gold, pred = set(), set()
    for k, ((_, g), doc) in enumerate(zip(docs, parsed, strict=True)):
        gold |= {(k, s) for s in g}
        pred |= {(k, s) for s in starts_of(doc) if s > 0}
    return (*prf(gold, pred), words / secs)


def sentence_starts(doc) -> list[int]:
    return [s.start_char for s in doc.sents]


def unit_starts(doc) -> list[int]:
    return [u.start_char for u in doc.spans[UNITS_KEY]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300, help="BioScope abstracts to use")
    args = ap.parse_args()
    name = spacy_model_name()
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, "
          f"spaCy {spacy.__version__}, {name}")
    bio = bioscope_docs(args.docs)
    print(f"\nBioScope abstracts ({len(bio)} docs): sentence starts")
    print(f"{'splitter':<34}{'P':>7}{'R':>7}{'F1':>7}{'words/s':>10}")
    stock = {
        "parser (tok2vec+parser)": spacy.load(name, exclude=["ner", "senter", "tagger", "attribute_ruler", "lemmatizer"]),
        "senter": spacy.load(name, exclude=["ner", "parser", "tagger", "attribute_ruler", "lemmatizer"]),
    }
    stock["senter"].enable_pipe("senter")
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    stock["sentencizer (punctuation rules)"] = sentencizer
    for label, nlp in stock.items():
        list(nlp.pipe([t for t, _ in bio[:5]]))
        p, r, f, wps = run(nlp, bio, sentence_starts)
        print(f"{label:<34}{p:7.3f}{r:7.3f}{f:7.3f}{wps:10.0f}")
    own = corpus_docs()
    kb = KnowledgeBase.default()
    print(f"\nclaimcheck corpus dev+test ({len(own)} docs): unit starts, full claimcheck spaCy pass")
    print(f"{'sentences=':<34}{'P':>7}{'R':>7}{'F1':>7}{'words/s':>10}")
    for mode in ("parser", "senter"):
        nlp = build_nlp(kb, sentences=mode)
        list(nlp.pipe([t for t, _ in own[:5]]))
        p, r, f, wps = run(nlp, own, unit_starts)
        print(f"{mode:<34}{p:7.3f}{r:7.3f}{f:7.3f}{wps:10.0f}")


if __name__ == "__main__":
    main()
