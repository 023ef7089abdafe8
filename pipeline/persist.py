"""Saving and loading models with skops, trusting only an explicit list of types (never pickle)."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from pipeline.config import DEFAULT_MODEL_NAME, MODELS_DIR
from pipeline.errors import ModelLoadError

MODEL_FILE = "model.skops"
META_FILE = "meta.json"

# Every type a claimcheck model file may contain. Anything else in a file is refused.
TRUSTED_TYPES = [
    "pipeline.classify.PerLabelClassifier",
    "pipeline.vectors.StaticVectors",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.utils._bunch.Bunch",
    "sklearn.frozen._frozen.FrozenEstimator",
    "builtins.slice",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "collections.defaultdict",
    "builtins.object",
    "numpy.float32",
    "numpy.int32",
    "builtins.int",
    "builtins.float",
]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save_model(estimator: Any, directory: Path, meta: dict[str, Any]) -> Path:
    """Write model.skops and meta.json (with the model file's sha256) into ``directory``."""
    import skops.io as sio

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    sio.dump(estimator, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    _canonicalise(path)
    untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    if untrusted:
        raise ModelLoadError(f"the model contains types outside the trusted list: {untrusted}",
                             hint="add them to pipeline.persist.TRUSTED_TYPES after review")
    meta = dict(meta, model_sha256=file_sha256(path))
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


_ID_REF = re.compile(r'("__id__": )(\d+)|("file": ")(\d+)(\.npy")')


def _canonicalise(path: Path) -> None:
    """Make the skops file a function of the model alone: skops names objects and array files by their
    memory addresses (``id()``) and stamps entries with the current time, so two identical models would
    give different bytes. Renumber those ids in order of first appearance and fix the timestamps."""
    with zipfile.ZipFile(path) as zin:
        schema = zin.read("schema.json").decode("utf-8")
        files = {n: zin.read(n) for n in zin.namelist() if n != "schema.json"}
    ids: dict[str, int] = {}

    def renumber(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + str(ids.setdefault(m.group(2), len(ids) + 1))
        return m.group(3) + str(ids.setdefault(m.group(4), len(ids) + 1)) + m.group(5)

    schema = _ID_REF.sub(renumber, schema)
    renamed = {f"{ids[n[:-4]]}.npy" if n.endswith(".npy") and n[:-4] in ids else n: data for n, data in files.items()}
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as zout:
        for name, data in [("schema.json", schema.encode("utf-8")), *sorted(renamed.items())]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data, compresslevel=9)
    tmp.replace(path)


def model_dir(name: str | Path | None = None) -> Path:
    """The directory of a model: a path, a name under models/, or the newest version of the default."""
    return model_dirs(name)[0]


def model_dirs(name: str | Path | None = None) -> list[Path]:
    """Like :func:`model_dir`, with the older versions of a base name after the newest."""
    if name is not None and Path(name).exists():
        return [Path(name)]
    if name is not None and (MODELS_DIR / str(name)).is_dir():
        return [MODELS_DIR / str(name)]  # an exact version: "claim-clf-v1.1"
    base = name or DEFAULT_MODEL_NAME
    candidates = sorted(MODELS_DIR.glob(f"{base}-v*"), key=lambda p: _version_key(p.name), reverse=True)
    if not candidates:
        raise ModelLoadError(f"no model named {base!r} under {MODELS_DIR}")
    return candidates


def _version_key(name: str) -> tuple[int, ...]:
    ver = name.rsplit("-v", 1)[-1]
    return tuple(int(p) if p.isdigit() else 0 for p in ver.split("."))


def load_model(directory: Path) -> tuple[Any, dict[str, Any]]:
    """Load a model: its sha256 must match meta.json and every type in it must be trusted."""
    import skops.io as sio

    path = directory / MODEL_FILE
    meta_path = directory / META_FILE
    if not path.exists() or not meta_path.exists():
        raise ModelLoadError(f"{directory} has no {MODEL_FILE} and {META_FILE}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelLoadError(f"{meta_path} is not valid JSON: {exc}") from exc
    digest = file_sha256(path)
    if meta.get("model_sha256") != digest:
        raise ModelLoadError(f"{path} does not match the checksum in {meta_path}: the file was modified")
    try:
        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ModelLoadError(f"{path} contains untrusted types {untrusted}; refusing to load it")
        est = sio.load(path, trusted=TRUSTED_TYPES)
    except ModelLoadError:
        raise
    except Exception as exc:
        raise ModelLoadError(f"{path} could not be loaded: {type(exc).__name__}: {exc}") from exc
    from pipeline.vectors import check_vectors

    check_vectors(est)  # VectorsMissing names the package to install
    return est, meta
