"""Prediction without stacking the feature blocks: for the trained model (a ``ColumnTransformer`` feeding
one binary ``LogisticRegression`` per label) each block's matrix is multiplied by its slice of the
stacked weights and the products are summed. ``ColumnTransformer`` would first copy every block into one
sparse matrix (the dense word-vector block included), which took as long as the products themselves.
The logits equal scikit-learn's up to float rounding (tests/test_fastlinear.py); probabilities are
``expit(logit)`` as in ``LogisticRegression.predict_proba``."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline


class BlockLinearPredictor:
    """``predict_proba(X) -> (n, labels)`` of class 1 per label, for a fitted model :func:`supported` accepts."""

    def __init__(self, model: Pipeline) -> None:
        if not supported(model):
            raise ValueError("only Pipeline(ColumnTransformer, PerLabelClassifier of binary LogisticRegression)")
        features: ColumnTransformer = model.named_steps["features"]
        clf = model.named_steps["clf"]
        coef = np.vstack([est.coef_[0] for est in clf.estimators_])  # (labels, features)
        self.intercept = np.array([est.intercept_[0] for est in clf.estimators_], dtype=np.float64)
        self.blocks: list[tuple[str, Any, Any, np.ndarray]] = []
        for name, trans, cols in features.transformers_:
            part = features.output_indices_[name]
            if trans == "drop" or part.stop == part.start:
                continue
            self.blocks.append((name, trans, cols, np.ascontiguousarray(coef[:, part].T)))

    def predict_proba(self, X) -> np.ndarray:
        with _blas().limit(limits=1, user_api="blas"):  # small products: threads cost more than they give,
            return self._predict_proba(X)  # and -j N already uses every core

    def _predict_proba(self, X) -> np.ndarray:
        logits = np.tile(self.intercept, (len(X), 1))
        for _name, trans, cols, weights in self.blocks:
            if isinstance(trans, str):  # "passthrough"
                block = X[cols].to_numpy(dtype=np.float64)
            else:
                block = trans.transform(X[cols])
                if not sp.issparse(block):
                    block = np.asarray(block, dtype=np.float64)
            logits += block @ weights
        return expit(logits)


@cache
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def supported(model: Any) -> bool:
    if not isinstance(model, Pipeline) or [n for n, _ in model.steps] != ["features", "clf"]:
        return False
    features, clf = model.named_steps["features"], model.named_steps["clf"]
    if not isinstance(features, ColumnTransformer) or not hasattr(features, "output_indices_"):
        return False
    if any(t == "passthrough" and n == "remainder" for n, t, _ in features.transformers_):
        return False
    ests = getattr(clf, "estimators_", None)
    return bool(ests) and all(isinstance(e, LogisticRegression) and e.coef_.shape[0] == 1
                              and list(e.classes_) == [0, 1] for e in ests)


def speed_up(model: Any) -> BlockLinearPredictor | None:
    """The block predictor for ``model``, or None when its shape is not the one supported."""
    return BlockLinearPredictor(model) if supported(model) else None
