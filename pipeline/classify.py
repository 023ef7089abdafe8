"""Claim classification: cue features per unit (computed in one spaCy pass per batch) and a model
that turns them, with word and character n-grams, into is_claim / dosing / efficacy / safety / hedging."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from spacy.attrs import IS_ALPHA, IS_SPACE, LIKE_NUM, LOWER, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import CUES_KEY, LABELS
from pipeline.cues import LABEL_GROUPS
from pipeline.segment import STRUCTURE_KINDS
from pipeline.vectors import StaticVectors

CUE_FEATURES = ("HEDGE", "HEDGE_STRONG", "DOSE_AMOUNT", "DOSE_FREQ", "DOSE_TIMING", "DOSE_DURATION", "DOSE_INSTR", "ATTR_VAGUE",
                "ATTR_NAMED", "CITATION", "REG_CONTEXT", "SAFETY", "SAFETY_SPECIFIC", "EFFICACY", "NONCLAIM",
                "RISK_DOWN", "RISK_UP")
SHAPE_FEATURES = ("has_number", "n_words_log", "imperative", "first_person", "second_person", "no_terminal",
                  "ref_like")
# Context: ``headline`` is 1 for the first unit of an article when it does not end like a sentence (a title
# or headline: not a claim, even when it asserts a finding). A first unit that ends like a sentence is
# treated as any other, so text that starts straight in with a claim keeps it. Isolated texts
# (``classify``) have no context and get 0.
CONTEXT_FEATURES = ("headline",)
NUMERIC_FEATURES = tuple(f"cue_{c}" for c in CUE_FEATURES) + SHAPE_FEATURES + CONTEXT_FEATURES
# Rule outputs beside the features, not fed to the classifier: ``hedge_decisive`` is 1 when a HEDGE cue tagged
# "decisive" in data/lexicons/hedges.jsonl is present ("might", "apparently": >= 95 % of the train split's
# claims with them are labelled hedged); ClaimModel then keeps p_hedging at least DECISIVE_HEDGE_P. The model
# alone let dose amounts outweigh such a cue ("A typical dose might range from 1-3 grams" -> p 0.20).
RULE_FEATURES = ("hedge_decisive",)
DECISIVE_HEDGE_P = 0.9
# What build_model feeds the classifier. Since v1.2 not the unit's length: in the corpus short units are
# mostly headings and calls to action, and with ``n_words_log`` the model learnt to dismiss short plain
# claims ("Turmeric reduces inflammation."). The column is still computed for models that use it.
MODEL_NUMERIC_FEATURES = tuple(c for c in NUMERIC_FEATURES if c != "n_words_log")
# Cue labels shown as the explanation of each predicted label.
EXPLAINS = {lab: LABEL_GROUPS[lab] for lab in ("dosing", "efficacy", "safety", "hedging")}
_LIST_MARK = re.compile(r"^\s*(?:[-*+•·▪►]|\d{1,3}[.)])\s+")
# Ends like a sentence: terminal punctuation, optionally followed by quotes, brackets, reference markers.
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$|[.!?][*¹²³⁴⁵⁶⁷⁸⁹⁰,\d\[\]–-]*\s*$")
# Looks like a reference-list entry or a bare link: "[2] Smith AB, et al. … 2009;302:…", "doi:10.…", a URL alone.
_REFERENCE = re.compile(r"^\s*(?:\[\d+\]|\d{1,3}\.)\s+[A-Z][A-Za-z'-]+\s+[A-Z]{1,3}\b|et al\.|\b(?:19|20)\d\d;\s*\d+"
                        r"|\bdoi:\s*10\.|^\s*https?://\S+\s*$")


def kind_of_text(text: str) -> str:
    """The unit kind of an isolated text (no surrounding lines): question, heading, list or sentence."""
    t = text.strip()
    if t.endswith("?"):
        return "question"
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", t)
    if _LIST_MARK.match(t):
        return "list_item"
    if words and len(words) <= 12 and t[-1:] not in ".!;:,\"'”)":
        content = [w for w in words if len(w) > 3]
        if content and sum(w[0].isupper() for w in content) / len(content) >= 0.75:
            return "heading"
    return "sentence"


_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us"})
_SECOND_PERSON = frozenset({"you", "your", "yours"})


class TokenView:
    """The token attributes feature rows read, as lists for a whole doc: making ``Token`` objects one by
    one is the slow part of reading a doc in Python. ``text`` may be passed when it is known (Doc.text
    is rebuilt from the tokens on every access)."""

    __slots__ = ("text", "lower_h", "space", "alpha", "num", "vb", "strings", "first_h", "second_h")

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.text = doc.text if text is None else text
        n = len(doc)
        cols = doc.to_array([IS_SPACE, IS_ALPHA, LIKE_NUM, LOWER, TAG]).reshape(n, 5).T.tolist() if n else [[]] * 5
        self.strings = strings = doc.vocab.strings
        vb = strings["VB"]
        self.space, self.alpha, self.num = ([bool(v) for v in c] for c in cols[:3])
        self.lower_h: list[int] = cols[3]  # hashes: strings are looked up only when asked for (lower())
        self.vb = [h == vb for h in cols[4]]
        self.first_h = {strings[w] for w in _FIRST_PERSON}
        self.second_h = {strings[w] for w in _SECOND_PERSON}

    def lower(self, start: int, end: int) -> list[str]:
        """The lower-case forms of tokens ``start``..``end`` (clipped to the doc)."""
        return [self.strings[h] for h in self.lower_h[max(0, start):max(0, end)]]


def span_features(span: Span | Doc, cues: Sequence[Span], tagged: tuple[set[str], set[str], set[str]], kind: str,
                  first: bool = False, view: TokenView | None = None) -> dict[str, Any]:
    """Feature row of one unit: its text, kind, cue presence, a few shape features and ``first`` (the unit
    opens its article).
    ``tagged`` is (generic SAFETY rule ids, weak HEDGE rule ids, decisive HEDGE rule ids) from the hc_cues
    component; ``view`` is the :class:`TokenView` of the span's doc (pass it when making rows for many spans
    of one doc)."""
    generic_rules, weak_rules, decisive_rules = tagged
    counts = dict.fromkeys(CUE_FEATURES, 0)
    decisive = 0.0
    for c in cues:
        if c.label_ == "HEDGE" and c.id_ in decisive_rules:
            decisive = 1.0
        counts[c.label_] = counts.get(c.label_, 0) + 1
        if c.label_ == "SAFETY" and c.id_ not in generic_rules:
            counts["SAFETY_SPECIFIC"] += 1
        if c.label_ == "HEDGE" and c.id_ not in weak_rules:
            counts["HEDGE_STRONG"] += 1
    if isinstance(span, Doc):
        view = view or TokenView(span)
        start, end, text = 0, len(span), view.text
    else:
        view = view or TokenView(span.doc)
        start, end, text = span.start, span.end, view.text[span.start_char:span.end_char]
    toks = [i for i in range(start, end) if not view.space[i]]
    words = [i for i in toks if view.alpha[i]]
    row: dict[str, Any] = {"text": text, "kind": kind}
    for c in CUE_FEATURES:
        row[f"cue_{c}"] = float(counts[c] > 0) + 0.5 * float(counts[c] > 1)
    row["has_number"] = float(any(view.num[i] for i in toks))
    row["n_words_log"] = float(np.log1p(len(words)) / 4.0)
    row["imperative"] = float(bool(words) and words[0] == toks[0] and view.vb[words[0]])
    row["first_person"] = float(any(view.lower_h[i] in view.first_h for i in words))
    row["second_person"] = float(any(view.lower_h[i] in view.second_h for i in words))
    row["no_terminal"] = float(_TERMINAL.search(text) is None)  # headlines, fragments, labels
    row["ref_like"] = float(_REFERENCE.search(text) is not None)
    row["headline"] = float(first and row["no_terminal"] == 1.0)
    row["hedge_decisive"] = decisive
    return row


class SpanIndex:
    """Spans sorted by start token, for O(log n) lookup of the spans that start inside a unit."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.spans]

    def within(self, start: int, end: int) -> list[Span]:
        from bisect import bisect_left

        return self.spans[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def docs_features(nlp: Language, docs: Iterable[Doc]) -> pd.DataFrame:
    """Feature rows for already processed docs, each taken whole as one unit."""
    tagger = nlp.get_pipe("hc_cues")
    tagged = (tagger.generic, tagger.weak, tagger.decisive)
    rows = [span_features(doc, list(doc.spans.get(CUES_KEY, [])), tagged, kind_of_text(doc.text)) for doc in docs]
    return pd.DataFrame(rows, columns=["text", "kind", *NUMERIC_FEATURES, *RULE_FEATURES])


def texts_features(nlp: Language, texts: Iterable[str], *, batch_size: int = 256,
                   disable: Sequence[str] = ()) -> pd.DataFrame:
    """Feature rows for isolated texts, with one ``nlp.pipe`` pass over all of them."""
    return docs_features(nlp, nlp.pipe(texts, batch_size=batch_size, disable=list(disable)))


# --------------------------------------------------------------------------- estimators
class CueRuleClassifier(ClassifierMixin, BaseEstimator):
    """The rule baseline: probabilities from cue features alone. Needs no training data; ``fit`` only
    records the labels. Used when no trained model is installed, and as a baseline in evaluation."""

    def __init__(self, labels: Sequence[str] = LABELS):
        self.labels = labels

    def fit(self, X: pd.DataFrame, y: pd.DataFrame | None = None) -> CueRuleClassifier:
        missing = [c for c in NUMERIC_FEATURES if c not in X.columns]
        if missing:
            raise ValueError(f"feature columns missing: {missing}")
        self.labels_ = list(self.labels)
        return self

    def predict_proba_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        dose = X["cue_DOSE_AMOUNT"] + X["cue_DOSE_FREQ"] * 0.7 + X["cue_DOSE_TIMING"] * 0.3 + X["cue_DOSE_INSTR"] * 0.3
        out = pd.DataFrame(index=X.index)
        structure = X["kind"].isin(list(STRUCTURE_KINDS)).to_numpy()
        content = (X["cue_EFFICACY"] + X["cue_SAFETY"] + X["cue_DOSE_AMOUNT"] + X["cue_HEDGE"]
                   + X["cue_REG_CONTEXT"] + X["cue_DOSE_INSTR"]).to_numpy()
        p_claim = np.clip(0.35 + 0.2 * content - 0.4 * X["cue_NONCLAIM"].to_numpy(), 0.02, 0.98)
        out["is_claim"] = np.where(structure, 0.02, p_claim)
        out["dosing"] = np.clip(0.05 + 0.45 * dose, 0, 0.97)
        out["efficacy"] = np.clip(0.1 + 0.4 * X["cue_EFFICACY"], 0, 0.95)
        out["safety"] = np.clip(0.1 + 0.5 * X["cue_SAFETY_SPECIFIC"] + 0.2 * X["cue_SAFETY"], 0, 0.95)
        out["hedging"] = np.clip(0.1 + 0.6 * X["cue_HEDGE_STRONG"] + 0.2 * X["cue_HEDGE"], 0, 0.95)
        return out[list(self.labels)]


CLAIM_ONLY = ("dosing", "efficacy", "safety", "hedging")  # labels build_model learns on claims only
# Column of ClaimModel.predict_proba: the model's p_is_claim before headings, list fragments, questions and
# references are forced to non-claims. A list fragment such as "Weeks 1 to 2: 1.5 mg at bedtime." is no
# claim by that rule, yet the unsourced-statement flag weighs its p_dosing by how claim-like the model finds it.
MODEL_CLAIM_P = "p_is_claim_model"


class PerLabelClassifier(ClassifierMixin, BaseEstimator):
    """One binary classifier per label, each a clone of ``estimator``. Labels in ``claim_only`` are
    trained on rows whose ``is_claim`` is true (hedging is judged on claims, per ANNOTATION.md)."""

    def __init__(self, estimator=None, labels: Sequence[str] = LABELS, claim_only: Sequence[str] = ("hedging",)):
        self.estimator = estimator
        self.labels = labels
        self.claim_only = claim_only

    def fit(self, X, Y: pd.DataFrame) -> PerLabelClassifier:
        if not isinstance(Y, pd.DataFrame):
            raise TypeError("Y must be a DataFrame with one boolean column per label")
        missing = [lab for lab in self.labels if lab not in Y.columns]
        if missing:
            raise ValueError(f"label columns missing: {missing}")
        if X.shape[0] != len(Y):
            raise ValueError(f"X has {X.shape[0]} rows but Y has {len(Y)}")
        base = self.estimator if self.estimator is not None else default_estimator()
        self.labels_ = list(self.labels)
        self.estimators_ = []
        claim_mask = Y["is_claim"].to_numpy().astype(bool) if "is_claim" in Y else np.ones(len(Y), bool)
        for lab in self.labels_:
            mask = claim_mask if lab in self.claim_only else np.ones(len(Y), bool)
            y = Y[lab].to_numpy().astype(int)[mask]
            if len(np.unique(y)) < 2:
                raise ValueError(f"label {lab!r} has a single class in the training data")
            self.estimators_.append(clone(base).fit(X[mask], y))
        return self

    def predict_proba(self, X) -> np.ndarray:
        return np.column_stack([est.predict_proba(X)[:, 1] for est in self.estimators_])

    def predict(self, X) -> np.ndarray:
        return self.predict_proba(X) >= 0.5


def default_estimator() -> LogisticRegression:
    """Plain (unweighted) logistic regression: its probabilities are calibrated by its loss; class
    imbalance is handled by the per-label thresholds tuned on dev."""
    return LogisticRegression(C=10.0, max_iter=5000)


def build_model(*, seed: int = 13) -> Pipeline:
    """The trained model: word and char n-grams, cue features and mean-pooled static word vectors, one
    logistic regression per label. Vocabularies are capped (10,000 word, 15,000 char n-grams by document
    frequency): larger ones scored the same on dev and made the model file larger. The vectors (since
    v1.3, scale 2: unit length x 2 beside the L2-normalised n-grams) added 0.006-0.015 macro F1 on test,
    dev and the blind short units; see the model card."""
    features = ColumnTransformer([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=10000), "text"),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                                 max_features=15000), "text"),
        ("kind", OneHotEncoder(handle_unknown="ignore"), ["kind"]),
        ("cues", "passthrough", list(MODEL_NUMERIC_FEATURES)),
        ("vec", StaticVectors(scale=2.0), ["text"]),
    ])
    est = LogisticRegression(C=10.0, max_iter=5000, random_state=seed)
    # Since v1.4 the type labels, like hedging, are learnt on claims only: p_dosing/p_efficacy/p_safety are
    # probabilities given that the unit is a claim (decide() requires is_claim anyway). Learnt on all units
    # they also had to tell claims from non-claims, and as short units are mostly headings and calls to
    # action they learnt that a short unit has no type ("Elderberry fights the flu." p_efficacy 0.36; 0.69 so).
    return Pipeline([("features", features), ("clf", PerLabelClassifier(estimator=est, claim_only=CLAIM_ONLY))])


def slim(model: Pipeline) -> Pipeline:
    """Drop fitted attributes not needed to predict (TfidfVectorizer.stop_words_ holds every pruned
    n-gram and would dominate the model file), and store vocabulary indices as plain ints: skops writes
    every numpy scalar as its own file in the zip, which made half of the v1.0 model file overhead."""
    for _, trans, _ in model.named_steps["features"].transformers_:
        if hasattr(trans, "stop_words_"):
            trans.stop_words_ = None
        if hasattr(trans, "_stop_words_id"):  # an id() cache sklearn rebuilds on use; not model content
            del trans._stop_words_id
        if isinstance(getattr(trans, "vocabulary_", None), dict):
            trans.vocabulary_ = {term: int(idx) for term, idx in trans.vocabulary_.items()}
    return model


class ClaimModel:
    """A fitted estimator plus per-label decision thresholds and its provenance."""

    def __init__(self, estimator: Any, thresholds: dict[str, float] | None = None, name: str = "rules",
                 meta: dict[str, Any] | None = None) -> None:
        self.estimator = estimator
        self.thresholds = {lab: 0.5 for lab in LABELS} | dict(thresholds or {})
        self.name = name
        self.meta = meta or {}
        self.predictor: Any = None  # a faster stand-in for estimator.predict_proba (pipeline.fastlinear)

    @property
    def conditional_types(self) -> bool:
        """True when p_dosing/p_efficacy/p_safety are probabilities given that the unit is a claim (models
        since v1.4, trained with ``claim_only`` covering the type labels)."""
        clf = getattr(self.estimator, "named_steps", {}).get("clf")
        return "dosing" in getattr(clf, "claim_only", ())

    @classmethod
    def rules(cls) -> ClaimModel:
        return cls(CueRuleClassifier().fit(pd.DataFrame(columns=["text", "kind", *NUMERIC_FEATURES])),
                   name="rules")

    def predict_proba(self, X: pd.DataFrame) -> pd.DataFrame:
        """Probabilities per label (columns p_<label>), structure kinds forced to non-claims."""
        if len(X) == 0:
            return pd.DataFrame(columns=[f"p_{lab}" for lab in LABELS], dtype=float)
        if isinstance(self.estimator, CueRuleClassifier):
            probs = self.estimator.predict_proba_frame(X).to_numpy()
        else:
            probs = (self.predictor or self.estimator).predict_proba(X)
        out = pd.DataFrame(probs, columns=[f"p_{lab}" for lab in LABELS], index=X.index)
        out[MODEL_CLAIM_P] = out["p_is_claim"]  # before the structure rule (score.joint_p)
        structure = X["kind"].isin(list(STRUCTURE_KINDS)).to_numpy()
        out.loc[structure, "p_is_claim"] = np.minimum(out.loc[structure, "p_is_claim"], 0.01)
        if "hedge_decisive" in X.columns and not isinstance(self.estimator, CueRuleClassifier):
            decisive = X["hedge_decisive"].to_numpy() > 0
            out.loc[decisive, "p_hedging"] = np.maximum(out.loc[decisive, "p_hedging"], DECISIVE_HEDGE_P)
        return out

    def decide(self, probs: pd.DataFrame) -> pd.DataFrame:
        """Booleans from probabilities; a non-claim carries no labels (ANNOTATION.md)."""
        out = pd.DataFrame(index=probs.index)
        out["is_claim"] = probs["p_is_claim"] >= self.thresholds["is_claim"]
        for lab in LABELS[1:]:
            out[lab] = (probs[f"p_{lab}"] >= self.thresholds[lab]) & out["is_claim"]
        return out
