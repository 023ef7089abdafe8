import numpy as np
import pytest

from pipeline import vectors as vec
from pipeline.errors import VectorsMissing


@pytest.fixture(scope="module")
def fitted():
    return vec.StaticVectors(scale=2.0).fit(["x"])


@pytest.fixture(scope="module")
def spacy_vectors():
    """spaCy's own reader of the same files: the reference for the compact one."""
    from spacy.vectors import Vectors

    return Vectors().from_disk(vec.vectors_dir())


def _row(spacy_vectors, word):
    from spacy.strings import hash_string

    return spacy_vectors.data[int(spacy_vectors.find(key=hash_string(word)))]


def test_compact_table_agrees_with_spacys_reader(spacy_vectors):
    table = vec.load_table(vec.vectors_dir())
    assert table.shape == spacy_vectors.shape and len(table.keys) == len(spacy_vectors.key2row)
    rng = np.random.default_rng(0)
    keys = np.array(list(spacy_vectors.key2row), dtype=np.uint64)[rng.integers(0, len(spacy_vectors.key2row), 2000)]
    np.testing.assert_array_equal(table.find(keys), [spacy_vectors.key2row[int(k)] for k in keys])
    assert (table.find(np.array([1, 2, 2**64 - 1], dtype=np.uint64)) == -1).all()  # absent keys
    np.testing.assert_array_equal(np.asarray(table.data), spacy_vectors.data)


def test_key2row_reader_refuses_other_files():
    with pytest.raises(VectorsMissing):
        vec._read_key2row(b"\x93NUMPY")
    with pytest.raises(VectorsMissing):
        vec._read_key2row(bytes([0x81, 0xCF, *b"\0" * 8, 0xA1, 0x41]))  # a string value


def test_mean_of_word_vectors_scaled_to_length(fitted, spacy_vectors):
    out = fitted.transform(["Ginger eases nausea.", "Nausea, 12 mg!!"])
    assert out.shape == (2, fitted.dim_) and out.dtype == np.float32
    mean = (_row(spacy_vectors, "Ginger") + _row(spacy_vectors, "eases") + _row(spacy_vectors, "nausea")) / 3
    np.testing.assert_allclose(out[0], 2.0 * mean / np.linalg.norm(mean), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), [2.0, 2.0], rtol=1e-5)


def test_words_without_vectors_are_skipped_and_empty_units_are_zero(fitted):
    out = fitted.transform(["", "500 — 1,000 %", "nausea qzxqzvvk", "nausea"])
    assert not out[0].any() and not out[1].any()
    np.testing.assert_allclose(out[2], out[3], rtol=1e-6)


def test_accepts_a_one_column_frame(fitted):
    import pandas as pd

    frame = pd.DataFrame({"text": ["Zinc shortens colds.", "Sign up today"]})
    np.testing.assert_array_equal(fitted.transform(frame), fitted.transform(list(frame["text"])))


def test_similar_claims_are_closer_than_unrelated_text(fitted):
    a, b, c = fitted.transform(["Ginger eases nausea.", "Peppermint relieves stomach upset.",
                                "Subscribe to our newsletter for discounts."])
    assert a @ b > a @ c


def test_scale_must_be_positive():
    with pytest.raises(ValueError, match="scale"):
        vec.StaticVectors(scale=0).fit(["x"])


def test_a_different_table_is_refused(fitted):
    import copy

    other = copy.copy(fitted)
    other.table_sha256_ = "0" * 64
    with pytest.raises(VectorsMissing, match="not the ones"):
        other.transform(["Ginger eases nausea."])


def test_missing_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(vec, "VECTOR_PACKAGES", ("no_such_vectors_package",))
    with pytest.raises(VectorsMissing) as info:
        vec.vectors_dir()
    assert "make venv" in str(info.value) and "claim-clf-v1.2" in str(info.value)


def test_check_vectors_walks_the_fitted_pipeline(fitted, monkeypatch):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    ct = ColumnTransformer([("vec", fitted, ["text"])])
    ct.transformers_ = ct.transformers  # as after fit
    pipe = Pipeline([("features", ct)])
    assert vec.check_vectors(pipe) == 1
    monkeypatch.setattr(vec, "VECTOR_PACKAGES", ("no_such_vectors_package",))
    with pytest.raises(VectorsMissing):
        vec.check_vectors(pipe)
