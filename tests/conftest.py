from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pipeline.config import SAMPLES_DIR, SHARED_DIR  # noqa: E402

SEED = SHARED_DIR / "seed" / "kratom_article.txt"


@pytest.fixture(scope="session")
def checker():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="session")
def rules_checker():
    import pipeline

    return pipeline.load("rules")


@pytest.fixture(scope="session")
def nlp(checker):
    return checker.nlp


@pytest.fixture(scope="session")
def seed_text():
    if not SEED.exists():
        pytest.skip(f"{SEED} not present (../shared is beside the repo in CI)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_result(checker, seed_text):
    return checker.check(seed_text, id="seed")


@pytest.fixture(scope="session")
def samples_dir():
    return SAMPLES_DIR
