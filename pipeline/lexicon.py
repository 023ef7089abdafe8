"""Rule and lexicon files (JSONL, one rule per line) with a schema checked on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.errors import DataFileError

CUE_LABELS = frozenset({
    "HEDGE", "DOSE_AMOUNT", "DOSE_FREQ", "DOSE_TIMING", "DOSE_DURATION", "DOSE_INSTR", "ATTR_VAGUE",
    "ATTR_NAMED", "CITATION", "REG_CONTEXT", "SAFETY", "EFFICACY", "NONCLAIM", "RISK_DOWN", "RISK_UP",
})
ATTRS = frozenset({"LOWER", "LEMMA", "ORTH"})
RULE_KEYS = frozenset({"id", "label", "pattern", "phrase", "regex", "attr", "note", "source", "tags"})


def validate_rule(rule: Any, where: str) -> dict[str, Any]:
    """Check one rule against the schema; raise DataFileError naming the file and line."""
    if not isinstance(rule, dict):
        raise DataFileError(f"{where}: a rule must be a JSON object")
    extra = set(rule) - RULE_KEYS
    if extra:
        raise DataFileError(f"{where}: unknown keys {sorted(extra)}")
    if not isinstance(rule.get("id"), str) or not rule["id"]:
        raise DataFileError(f"{where}: 'id' must be a non-empty string")
    if rule.get("label") not in CUE_LABELS:
        raise DataFileError(f"{where}: 'label' must be one of {sorted(CUE_LABELS)}, not {rule.get('label')!r}")
    kinds = [k for k in ("pattern", "phrase", "regex") if k in rule]
    if len(kinds) != 1:
        raise DataFileError(f"{where}: give exactly one of 'pattern', 'phrase' or 'regex'")
    kind = kinds[0]
    if kind == "phrase" and (not isinstance(rule["phrase"], str) or not rule["phrase"].strip()):
        raise DataFileError(f"{where}: 'phrase' must be a non-empty string")
    if kind == "pattern" and (not isinstance(rule["pattern"], list) or not rule["pattern"]
                              or not all(isinstance(t, dict) for t in rule["pattern"])):
        raise DataFileError(f"{where}: 'pattern' must be a non-empty list of spaCy token patterns")
    if kind == "regex":
        import re

        try:
            re.compile(rule["regex"])
        except (re.error, TypeError) as exc:
            raise DataFileError(f"{where}: 'regex' does not compile ({exc})") from exc
    if rule.get("attr", "LOWER") not in ATTRS:
        raise DataFileError(f"{where}: 'attr' must be one of {sorted(ATTRS)}")
    if "tags" in rule and not (isinstance(rule["tags"], list) and all(isinstance(t, str) for t in rule["tags"])):
        raise DataFileError(f"{where}: 'tags' must be a list of strings")
    return rule


def read_jsonl(path: Path) -> list[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line; JSON errors name the line."""
    out = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append((n, json.loads(line)))
                except ValueError as exc:
                    raise DataFileError(f"{path} line {n}: invalid JSON ({exc})") from exc
    return out


def load_rules(paths: list[Path]) -> list[dict[str, Any]]:
    """All rules from the given JSONL files, validated; duplicate ids are refused."""
    rules: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in paths:
        for n, obj in read_jsonl(path):
            where = f"{path} line {n}"
            rule = validate_rule(obj, where)
            if rule["id"] in seen:
                raise DataFileError(f"{where}: duplicate rule id {rule['id']!r} (first in {seen[rule['id']]})")
            seen[rule["id"]] = where
            rules.append(rule)
    return rules
