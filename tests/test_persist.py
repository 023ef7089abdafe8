import shutil

import pytest

from pipeline.errors import ModelLoadError
from pipeline.persist import TRUSTED_TYPES, load_model, model_dir


def test_bundled_model_loads_with_trusted_types_only():
    est, meta = load_model(model_dir())
    assert meta["version"] and meta["data_sha256"] and meta["thresholds"]
    assert hasattr(est, "predict_proba")


def test_tampered_model_file_is_refused(tmp_path):
    src = model_dir()
    dst = tmp_path / "m"
    shutil.copytree(src, dst)
    data = bytearray((dst / "model.skops").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (dst / "model.skops").write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="modified"):
        load_model(dst)


def test_untrusted_type_is_refused_even_with_matching_checksum(tmp_path):
    import json

    import skops.io as sio

    from pipeline.persist import file_sha256

    d = tmp_path / "evil"
    d.mkdir()
    import fractions

    sio.dump({"payload": fractions.Fraction(1, 3)}, d / "model.skops")
    (d / "meta.json").write_text(json.dumps({"model_sha256": file_sha256(d / "model.skops")}))
    assert "fractions.Fraction" not in TRUSTED_TYPES
    with pytest.raises(ModelLoadError, match="untrusted"):
        load_model(d)


def test_missing_model_dir_is_a_clear_error(tmp_path):
    with pytest.raises(ModelLoadError):
        load_model(tmp_path)


def test_model_by_name_newest_or_exact_version():
    from pipeline.config import DEFAULT_MODEL_NAME, MODELS_DIR

    versions = sorted(MODELS_DIR.glob(f"{DEFAULT_MODEL_NAME}-v*"))
    assert model_dir() == model_dir(DEFAULT_MODEL_NAME)
    for v in versions:  # a name under models/ with its version picks that version, from any directory
        assert model_dir(v.name) == v
