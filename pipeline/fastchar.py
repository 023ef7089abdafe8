"""Exact, vectorised counting for a fitted ``char_wb`` n-gram vectorizer (the slowest step of the model).

scikit-learn builds every character n-gram of every word as a Python string and looks it up in the
vocabulary. Here each n-gram of up to five characters is packed into one 64-bit key (3 bits of length,
12 bits per character over the vocabulary's own alphabet; a character the vocabulary never uses packs
as 0, so an n-gram holding one can match nothing) and looked up with ``numpy.searchsorted``. The n-grams
are the ones ``_char_wb_ngrams`` makes (inside words padded with a space; a word no longer than the
largest n counted once whole), so the counts, and the TF-IDF matrix built from them, are identical
(tests/test_fastchar.py compares them on real and random text)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

_MAX_N = 5
_BITS = 12
_MULT = 0x9E3779B97F4A7C15  # Fibonacci hashing


class FastCharWbCounts:
    """Stands in for ``vectorizer._count_vocab`` at transform time; fitting uses scikit-learn's own."""

    def __init__(self, vectorizer: CountVectorizer) -> None:
        if not supported(vectorizer):
            raise ValueError("only a fitted char_wb vectorizer with plain lower-casing is supported")
        self.vec = vectorizer
        self._build()

    def _build(self) -> None:
        vectorizer = self.vec
        self.min_n, self.max_n = vectorizer.ngram_range
        self.preprocess = vectorizer.build_preprocessor()
        vocab = self.vocab = vectorizer.vocabulary_
        alphabet = sorted({ch for term in vocab for ch in term})
        self.table = np.zeros(0x110000, dtype=np.uint16)
        for k, ch in enumerate(alphabet, 1):
            self.table[ord(ch)] = k
        # open-addressing hash table of the vocabulary's keys (0 = empty: every real key has a length)
        size = 1 << max(4, (4 * len(vocab)).bit_length())
        self.mask = np.uint64(size - 1)
        self.tkeys = np.zeros(size, dtype=np.uint64)
        self.tcols = np.full(size, -1, dtype=np.int64)
        for term, col in vocab.items():
            slot = self._slot(self._key(term))
            while self.tkeys[slot]:
                slot = (slot + 1) & int(self.mask)
            self.tkeys[slot] = self._key(term)
            self.tcols[slot] = col
        self.n_features = len(vocab)

    def _slot(self, key: int) -> int:
        return ((key * _MULT) & 0xFFFFFFFFFFFFFFFF) >> 40 & int(self.mask)

    def _lookup(self, key: np.ndarray) -> np.ndarray:
        """Vocabulary column of each key, -1 when absent (vectorised linear probing)."""
        cols = np.full(key.shape, -1, dtype=np.int64)
        pending = np.arange(key.size)
        slot = ((key * np.uint64(_MULT)) >> np.uint64(40)) & self.mask
        while pending.size:
            held = self.tkeys[slot]
            want = key[pending]
            found = held == want
            cols[pending[found]] = self.tcols[slot[found]]
            more = ~found & (held != 0)
            pending, slot = pending[more], (slot[more] + np.uint64(1)) & self.mask
        return cols

    def _key(self, term: str) -> int:
        key = len(term) << 60
        for k, ch in enumerate(term):
            key |= int(self.table[ord(ch)]) << (_BITS * (_MAX_N - 1 - k))
        return key

    def __call__(self, raw_documents, fixed_vocab: bool):
        if not fixed_vocab:
            return type(self.vec)._count_vocab(self.vec, raw_documents, fixed_vocab)
        if self.vec.vocabulary_ is not self.vocab or self.vec.ngram_range != (self.min_n, self.max_n):
            if not supported(self.vec):  # refitted into something this cannot reproduce
                return type(self.vec)._count_vocab(self.vec, raw_documents, fixed_vocab)
            self._build()
        return self.vec.vocabulary_, self.count(raw_documents)

    def count(self, raw_documents) -> sp.csr_array:
        vec = self.vec
        words: list[str] = []
        per_doc: list[int] = []
        for doc in raw_documents:
            text = vec._white_spaces.sub(" ", self.preprocess(vec.decode(doc)))
            ws = text.split()
            words.extend(ws)
            per_doc.append(len(ws))
        n_docs = len(per_doc)
        if not words:
            return sp.csr_array((n_docs, self.n_features), dtype=vec.dtype)
        lens = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2  # padded " w "
        big = " " + "  ".join(words) + " "
        sym = self.table[np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)].astype(np.uint64)
        starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
        doc_of_word = np.repeat(np.arange(n_docs, dtype=np.int64), per_doc)
        keys, rows = [], []
        for n in range(self.min_n, self.max_n + 1):  # every window of n < word length
            m = lens > n
            if not m.any():
                continue
            nwin = lens[m] - n + 1
            first = np.repeat(starts[m], nwin)
            pos = first + (np.arange(int(nwin.sum())) - np.repeat(np.cumsum(nwin) - nwin, nwin))
            key = np.full(pos.shape, np.uint64(n) << np.uint64(60), dtype=np.uint64)
            for k in range(n):
                key |= sym[pos + k] << np.uint64(_BITS * (_MAX_N - 1 - k))
            keys.append(key)
            rows.append(np.repeat(doc_of_word[m], nwin))
        whole = lens <= self.max_n  # a short word, counted once whole
        if whole.any():
            length, start = lens[whole], starts[whole]
            key = length.astype(np.uint64) << np.uint64(60)
            for k in range(self.max_n):
                inside = k < length
                idx = np.minimum(start + k, len(sym) - 1)
                key |= np.where(inside, sym[idx], 0).astype(np.uint64) << np.uint64(_BITS * (_MAX_N - 1 - k))
            keys.append(key)
            rows.append(doc_of_word[whole])
        col = self._lookup(np.concatenate(keys))
        row = np.concatenate(rows)
        hit = col >= 0
        X = sp.csr_array((np.ones(int(hit.sum()), dtype=vec.dtype), (row[hit], col[hit])),
                         shape=(n_docs, self.n_features), dtype=vec.dtype)
        X.sum_duplicates()
        X.sort_indices()
        return X


def supported(vec) -> bool:
    """A fitted char_wb vectorizer whose n-grams this module can reproduce exactly."""
    return (isinstance(vec, CountVectorizer) and vec.analyzer == "char_wb" and vec.preprocessor is None
            and vec.strip_accents is None and vec.input == "content" and hasattr(vec, "vocabulary_")
            and 1 <= vec.ngram_range[0] <= vec.ngram_range[1] <= _MAX_N and vec.vocabulary_
            and len({ch for term in vec.vocabulary_ for ch in term}) < 2 ** _BITS)


def parts(estimator) -> Iterator[Any]:
    """The estimator and, recursively, every step of a Pipeline and transformer of a fitted ColumnTransformer."""
    stack = [estimator]
    while stack:
        obj = stack.pop()
        yield obj
        for attr in ("steps", "transformers_"):
            stack.extend(item[1] for item in getattr(obj, attr, None) or [])


def speed_up(estimator) -> int:
    """Give every supported char_wb vectorizer inside a fitted Pipeline / ColumnTransformer the fast
    counter (in place); returns how many were sped up. Only for prediction: do not save it afterwards."""
    done = 0
    for obj in parts(estimator):
        if isinstance(obj, TfidfVectorizer | CountVectorizer) and supported(obj) \
                and not isinstance(obj.__dict__.get("_count_vocab"), FastCharWbCounts):
            obj._count_vocab = FastCharWbCounts(obj)
            done += 1
    return done
