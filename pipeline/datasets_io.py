"""Hugging Face ``datasets`` access, local files only (HF_DATASETS_OFFLINE is forced on)."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def load_local_dataset(path: str | Path):
    """Load a dataset saved with ``save_to_disk`` or a local JSONL/CSV/Parquet file; never the hub."""
    import datasets

    p = Path(path)
    if p.is_dir():
        return datasets.load_from_disk(str(p))
    kind = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}[p.suffix.lower()]
    return datasets.load_dataset(kind, data_files=str(p), split="train")


def load_jsonl_splits(files: dict[str, str | Path]):
    """A DatasetDict from local JSONL files, e.g. {"train": ..., "dev": ..., "test": ...}."""
    import datasets

    return datasets.load_dataset("json", data_files={k: str(v) for k, v in files.items()})
