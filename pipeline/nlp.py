"""Builds the spaCy pipeline: the packaged English model (no download) plus the hc_ components."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline import cues as _cues  # noqa: F401  (registers hc_cues)
from pipeline import segment as _segment  # noqa: F401  (registers hc_lines, hc_segment)
from pipeline.config import SPACY_MODELS
from pipeline.errors import SpacyModelMissing
from pipeline.fastattrs import speed_up
from pipeline.regulatory import KnowledgeBase, add_substance_ruler

# Components of en_core_web_sm that claimcheck does not use.
EXCLUDE = ("ner",)
# How sentences are found: the dependency parser, or the sentence recogniser (no parse).
SENTENCE_MODES = ("parser", "senter")
SENTENCES = "senter"  # measured: see README "Sentence splitting"
# Components not needed to classify isolated texts (no segmentation, no substances).
CLASSIFY_DISABLE = ("parser", "senter", "hc_lines", "hc_segment", "hc_substances", "hc_substance_spans")


def spacy_model_name() -> str:
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise SpacyModelMissing("no English spaCy pipeline is installed")


def build_nlp(kb: KnowledgeBase, *, lexicon_paths: list[Path] | None = None, model: str | None = None,
              sentences: str = SENTENCES) -> Language:
    """The full claimcheck pipeline. Nothing is downloaded: the model must be an installed package.
    ``sentences``: "senter" (default: the sentence recogniser) or "parser" (the dependency parser;
    slightly better sentence boundaries, 1.4x slower). Optional clause splitting uses the parse when
    there is one, else part-of-speech tags. See the README for the measured trade-off."""
    if sentences not in SENTENCE_MODES:
        raise ValueError(f"sentences must be one of {SENTENCE_MODES}, not {sentences!r}")
    name = model or spacy_model_name()
    exclude = list(EXCLUDE) + (["parser"] if sentences == "senter" else ["senter"])
    try:
        nlp = spacy.load(name, exclude=exclude)
    except OSError as exc:
        raise SpacyModelMissing(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    if sentences == "senter":
        nlp.enable_pipe("senter")
    if "attribute_ruler" in nlp.pipe_names:
        speed_up(nlp.get_pipe("attribute_ruler"))  # same output, about twice as fast
    nlp.add_pipe("hc_lines", before=sentences)
    nlp.add_pipe("hc_segment", last=True)
    cue_tagger = nlp.add_pipe("hc_cues", last=True)
    cue_tagger.load_lexicons(lexicon_paths)
    add_substance_ruler(nlp, kb)
    return nlp
