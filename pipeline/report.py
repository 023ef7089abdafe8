"""HTML reports: one article with its claims highlighted in place, a sortable index of many articles,
and the rich display of results in Jupyter.

This module only reads :mod:`pipeline.schema` objects: it imports no stage module (spaCy, the model,
the KB are never needed to render a result). Every piece of article-derived text is escaped, and a URL
becomes a link only when it is ``http://`` or ``https://``; an article full of ``<script>`` tags,
``onerror=`` handlers or ``javascript:`` links renders as inert text.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from pipeline.schema import ArticleResult, Claim, Flag, articles_frame, claims_frame, flags_frame

__all__ = [
    "article_html",
    "index_html",
    "index_row",
    "write_html_report",
    "HtmlReportWriter",
    "batch_html",
    "ResultBatch",
    "safe_url",
    "page_name",
]

TYPE_ORDER = ("dosing", "efficacy", "safety")
SOURCING_ORDER = ("citation", "named", "vague", "none")
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# article-level problems first in the flag list (within a severity)
CODE_ORDER = {
    c: i
    for i, c in enumerate(
        (
            "missing_regulatory_context",
            "missing_safety_context",
            "dose_above_reference",
            "vague_attribution",
            "unsourced_claim",
        )
    )
}
_ATTR_CUES = {"ATTR_VAGUE": "cc-attr-vague", "ATTR_NAMED": "cc-attr-named", "CITATION": "cc-attr-cite"}
_EVIDENCE_KINDS = {
    "link": "cc-attr-cite",
    "citation": "cc-attr-cite",
    "attr_named": "cc-attr-named",
    "attr_vague": "cc-attr-vague",
}
_render_ids = itertools.count(1)


# --------------------------------------------------------------------------- escaping
def _e(value: Any) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL without whitespace or control characters, else None."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if not re.match(r"(?i)^https?://[^\s/?#]+", u) or any(ord(ch) < 33 or ord(ch) == 127 for ch in u):
        return None
    return u


def _link(url: Any, label: Any = None) -> str:
    """An <a> for a safe URL; otherwise the URL (or label) as plain escaped text."""
    good = safe_url(url)
    text = _e(label if label not in (None, "") else url)
    if good is None:
        return f'<span class="cc-nolink">{text}</span>'
    return f'<a href="{_e(good)}" rel="noopener noreferrer nofollow" target="_blank">{text}</a>'


def _fmt(x: Any, nd: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return _e(x)


# --------------------------------------------------------------------------- CSS
_CSS = """
.cc-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1f;
 line-height:1.5;font-size:15px;max-width:1400px}
.cc-report *{box-sizing:border-box}
.cc-report h1{font-size:1.35em;margin:.2em 0 .4em}
.cc-report h2{font-size:1.05em;margin:1em 0 .4em}
.cc-report .cc-head{display:flex;flex-wrap:wrap;gap:.6em 1.4em;align-items:baseline;
 border-bottom:1px solid #ddd;padding-bottom:.6em;margin-bottom:.6em}
.cc-report .cc-meta{color:#555;font-size:.9em}
.cc-report .cc-grade{display:inline-block;min-width:2em;text-align:center;font-weight:700;font-size:1.5em;
 border-radius:6px;padding:0 .3em;color:#fff}
.cc-report .cc-grade-A{background:#1e7b34}.cc-report .cc-grade-B{background:#5b8f1c}
.cc-report .cc-grade-C{background:#b88a00}.cc-report .cc-grade-D{background:#c25400}
.cc-report .cc-grade-F{background:#b3261e}.cc-report .cc-grade-x{background:#777}
.cc-report .cc-kv{border-collapse:collapse;font-size:.88em}
.cc-report .cc-kv td,.cc-report .cc-kv th{padding:.1em .6em;border-bottom:1px solid #eee;text-align:left}
.cc-report .cc-kv td.cc-num{text-align:right;font-variant-numeric:tabular-nums}
.cc-report .cc-layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(280px,2fr);gap:1.5em;
 align-items:start}
.cc-report .cc-text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e3e3e3;
 border-radius:6px;padding:1em 1.2em;font-size:1em}
.cc-report .cc-side{max-height:none}
.cc-report.cc-standalone .cc-side{position:sticky;top:.5em;max-height:calc(100vh - 1em);overflow:auto}
.cc-report .cc-heading{font-weight:700;font-size:1.05em}
.cc-report .cc-plain{color:#333}
.cc-report .cc-claim{border-radius:3px;padding:0 1px;color:inherit}
.cc-report .cc-claim:target{outline:3px solid #6a1b9a;outline-offset:1px}
.cc-report .cc-claim.cc-t-dosing{background:#ffd966}.cc-report .cc-claim.cc-t-efficacy{background:#a9d8ff}
.cc-report .cc-claim.cc-t-safety{background:#ffb3b3}.cc-report .cc-claim.cc-t-none{background:#e4e4e4}
.cc-report .cc-claim.cc-also-dosing{box-shadow:inset 0 -4px 0 #e0a800}
.cc-report .cc-claim.cc-also-efficacy{box-shadow:inset 0 -4px 0 #3d8fd1}
.cc-report .cc-claim.cc-also-safety{box-shadow:inset 0 -4px 0 #d9534f}
.cc-report .cc-claim.cc-flagged{border-left:3px solid #b3261e}
.cc-report .cc-hedge{text-decoration:underline wavy #6a1b9a;text-decoration-thickness:1.5px;
 text-underline-offset:3px}
.cc-report .cc-attr-vague{border-bottom:2px dotted #b86300}
.cc-report .cc-attr-named,.cc-report .cc-attr-cite{border-bottom:2px dotted #1e7b34}
.cc-report .cc-dose{font-weight:700;outline:1px solid #8a6d00;border-radius:2px}
.cc-report .cc-badge{display:inline-block;font-size:.68em;line-height:1.3;vertical-align:super;
 border-radius:8px;padding:0 .45em;margin:0 .15em;color:#fff;font-weight:600;white-space:nowrap}
.cc-report .cc-src-citation{background:#1e7b34}.cc-report .cc-src-named{background:#17708a}
.cc-report .cc-src-vague{background:#b86300}.cc-report .cc-src-none{background:#b3261e}
.cc-report a.cc-badge{text-decoration:none;color:#fff}
.cc-report .cc-flagref{font-size:.72em;vertical-align:super;text-decoration:none;margin-right:.1em}
.cc-report .cc-sev{display:inline-block;font-size:.75em;font-weight:700;text-transform:uppercase;
 border-radius:4px;padding:0 .4em;color:#fff}
.cc-report .cc-sev-high{background:#b3261e}.cc-report .cc-sev-medium{background:#c77700}
.cc-report .cc-sev-low{background:#6b7280}
.cc-report a.cc-flagref.cc-sev-high{color:#b3261e;background:none}
.cc-report a.cc-flagref.cc-sev-medium{color:#c77700;background:none}
.cc-report a.cc-flagref.cc-sev-low{color:#6b7280;background:none}
.cc-report .cc-flags{list-style:none;margin:0;padding:0}
.cc-report .cc-flag{border:1px solid #e3e3e3;border-radius:6px;padding:.5em .7em;margin:0 0 .6em;
 background:#fcfcfc}
.cc-report .cc-flag:target{outline:3px solid #6a1b9a}
.cc-report .cc-flag code{font-size:.85em}
.cc-report .cc-msg{margin:.25em 0}
.cc-report .cc-ev{margin:.3em 0;padding:.2em .6em;border-left:3px solid #ccc;color:#333;font-size:.92em}
.cc-report .cc-facts{font-size:.88em;margin-top:.4em}
.cc-report .cc-facts summary{cursor:pointer;font-weight:600}
.cc-report .cc-facts ul{margin:.2em 0 .3em 1.1em;padding:0}
.cc-report .cc-nolink{color:#555;font-family:ui-monospace,monospace;font-size:.9em;overflow-wrap:anywhere}
.cc-report .cc-legend{display:flex;flex-wrap:wrap;gap:.35em .9em;font-size:.85em;margin:.4em 0 .8em}
.cc-report .cc-legend .cc-claim{padding:0 .3em}
.cc-report .cc-error{border:1px solid #b3261e;background:#fdecea;border-radius:6px;padding:.6em .9em}
.cc-report table.cc-table{border-collapse:collapse;font-size:.88em}
.cc-report table.cc-table th,.cc-report table.cc-table td{border-bottom:1px solid #e5e5e5;padding:.25em .6em;
 text-align:left;vertical-align:top}
.cc-report table.cc-table td.cc-num{text-align:right;font-variant-numeric:tabular-nums}
.cc-report table.cc-table th{background:#f4f4f4;position:sticky;top:0}
.cc-report table.cc-sortable th{cursor:pointer;user-select:none}
.cc-report table.cc-sortable th[aria-sort=ascending]::after{content:" \\25B2"}
.cc-report table.cc-sortable th[aria-sort=descending]::after{content:" \\25BC"}
.cc-report tr.cc-row-error td{background:#fdecea}
@media (max-width:900px){.cc-report .cc-layout{grid-template-columns:1fr}
 .cc-report.cc-standalone .cc-side{position:static;max-height:none}}
"""


def _style() -> str:
    return f"<style>{_CSS}</style>"


def _document(title: str, body: str, script: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(title)}</title>\n{_style()}\n"
        "<style>body{margin:1em 1.5em;background:#f7f7f8}</style>\n</head>\n<body>\n"
        f"{body}\n{script}</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- one article
def primary_type(claim: Claim) -> str:
    """The claim's first type in dosing / efficacy / safety order, or ``none``."""
    return next((t for t in TYPE_ORDER if t in claim.labels), "none")


def _claim_layers(result: ArticleResult, c: Claim, lo: int, hi: int) -> str:
    """The claim's text text[lo:hi] with hedge cues, attribution cues and doses as nested layers."""
    text = result.text
    marks: list[tuple[int, int, str]] = []
    for q in c.cues:
        cls = "cc-hedge" if q.label == "HEDGE" else _ATTR_CUES.get(q.label)
        if cls and isinstance(q.start, int) and isinstance(q.end, int):
            marks.append((max(q.start, lo), min(q.end, hi), cls))
    ev = c.sourcing_evidence if isinstance(c.sourcing_evidence, dict) else {}
    ev_cls = _EVIDENCE_KINDS.get(str(ev.get("kind", "")))
    if ev_cls and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
        marks.append((max(ev["start"], lo), min(ev["end"], hi), ev_cls))
    for d in c.doses:
        s, t = d.get("start"), d.get("end")
        if isinstance(s, int) and isinstance(t, int):
            marks.append((max(s, lo), min(t, hi), "cc-dose"))
    marks = [m for m in marks if m[0] < m[1]]
    if not marks:
        return _e(text[lo:hi])
    cuts = sorted({lo, hi, *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in itertools.pairwise(cuts):
        classes = sorted({cls for s, t, cls in marks if s <= a and b <= t})
        piece = _e(text[a:b])
        if classes:
            tag = "u" if "cc-hedge" in classes else "span"
            out.append(f'<{tag} class="{" ".join(classes)}">{piece}</{tag}>')
        else:
            out.append(piece)
    return "".join(out)


def _claim_title(c: Claim) -> str:
    parts = [f"claim {c.index}", ", ".join(c.labels) or "no type"]
    if c.hedging:
        parts.append("hedged")
    ev = c.sourcing_evidence if isinstance(c.sourcing_evidence, dict) else {}
    src = f"sourcing: {c.sourcing}"
    if ev.get("text"):
        src += f" ({ev['text']!s})"
    if ev.get("url"):
        src += f" -> {ev['url']!s}"
    parts.append(src)
    if c.substances:
        parts.append("about: " + ", ".join(c.substances))
    probs = [f"p({k})={v:.2f}" for k, v in c.probs.items() if isinstance(v, int | float)]
    if probs:
        parts.append(" ".join(probs))
    return " · ".join(parts)


def _render_text(result: ArticleResult, prefix: str, flag_ids: dict[int, list[tuple[str, str]]]) -> str:
    """The whole article with every unit in place; text between units is kept as is."""
    text = result.text or ""
    out: list[str] = []
    pos = 0
    units = sorted(
        (u for u in result.units if isinstance(u.start, int) and isinstance(u.end, int)),
        key=lambda u: (u.start, u.end),
    )
    for u in units:
        lo, hi = max(u.start, pos, 0), min(u.end, len(text))
        if lo >= hi:
            continue
        if lo > pos:
            out.append(_e(text[pos:lo]))
        if u.is_claim:
            ptype = primary_type(u)
            classes = ["cc-claim", f"cc-t-{ptype}"]
            classes += [f"cc-also-{t}" for t in TYPE_ORDER if t in u.labels and t != ptype][:1]
            if u.flags:
                classes.append("cc-flagged")
            src = u.sourcing if u.sourcing in SOURCING_ORDER else "none"
            refs = "".join(
                f'<a class="cc-flagref cc-sev-{_e(sev)}" href="#{prefix}flag-{_e(fid)}" '
                f'title="{_e(sev)} flag">&#9873;</a>'
                for fid, sev in flag_ids.get(u.index, [])
            )
            ev = u.sourcing_evidence if isinstance(u.sourcing_evidence, dict) else {}
            url = safe_url(ev.get("url")) if src == "citation" else None
            badge = (
                f'<a class="cc-badge cc-src-{src}" href="{_e(url)}" rel="noopener noreferrer nofollow" '
                f'target="_blank" title="sourcing: {src}: {_e(url)}">{src}</a>'
                if url
                else f'<span class="cc-badge cc-src-{src}" title="sourcing: {src}">{src}</span>'
            )
            out.append(
                f'<mark id="{prefix}claim-{_e(u.index)}" class="{" ".join(classes)}" '
                f'data-claim="{_e(u.index)}" title="{_e(_claim_title(u))}">'
                f"{_claim_layers(result, u, lo, hi)}</mark>{badge}{refs}"
            )
        elif u.kind == "heading":
            out.append(f'<strong class="cc-heading">{_e(text[lo:hi])}</strong>')
        else:
            out.append(f'<span class="cc-plain">{_e(text[lo:hi])}</span>')
        pos = hi
    if pos < len(text):
        out.append(_e(text[pos:]))
    if not text and result.units:  # a result without its text (e.g. read back from JSONL): list the units
        for u in result.units:
            out.append(_e(u.text) + "\n")
    return "".join(out)


def _facts_html(facts: dict[str, Any]) -> str:
    name = facts.get("name") or facts.get("id") or "substance"
    parts = [
        f'<details class="cc-facts" open><summary>About {_e(name)}'
        + (f" ({_e(facts['category'])})" if facts.get("category") else "")
        + "</summary>"
    ]
    status = facts.get("status") or []
    if isinstance(status, list) and status:
        items = []
        for s in status:
            if not isinstance(s, dict):
                continue
            where = " ".join(_e(s.get(k)) for k in ("jurisdiction", "regulator") if s.get(k))
            kind = f" <code>{_e(s.get('status'))}</code>" if s.get("status") else ""
            src = f" [{_link(s.get('source'), 'source')}]" if s.get("source") else ""
            items.append(f"<li><strong>{where}</strong>{kind}: {_e(s.get('detail'))}{src}</li>")
        parts.append("<div>Regulatory status:</div><ul>" + "".join(items) + "</ul>")
    concerns = facts.get("concerns") or []
    if isinstance(concerns, list) and concerns:
        parts.append(
            "<div>Known concerns: " + ", ".join(_e(str(c).replace("_", " ")) for c in concerns) + "</div>"
        )
    mdd = facts.get("max_daily_dose")
    if isinstance(mdd, dict) and mdd:
        parts.append(
            f"<div>Published maximum: {_e(mdd.get('amount'))} {_e(mdd.get('unit'))} a day"
            + (f" ({_e(mdd.get('population'))})" if mdd.get("population") else "")
            + "</div>"
        )
    refs = facts.get("references") or []
    if isinstance(refs, list) and refs:
        items = []
        for r in refs:
            if isinstance(r, dict):
                label = r.get("title") or r.get("url")
                pub = f" ({_e(r['publisher'])})" if r.get("publisher") else ""
                items.append(f"<li>{_link(r.get('url'), label)}{pub}</li>")
            else:
                items.append(f"<li>{_link(r)}</li>")
        parts.append("<div>References:</div><ul>" + "".join(items) + "</ul>")
    if facts.get("checked"):
        parts.append(f'<div class="cc-meta">KB entry checked {_e(facts["checked"])}</div>')
    parts.append("</details>")
    return "".join(parts)


def _flag_html(f: Flag, fid: str, prefix: str, claim_ids: set[int]) -> str:
    sev = f.severity if f.severity in SEVERITY_ORDER else "low"
    ev = f.evidence if isinstance(f.evidence, dict) else {}
    head = [f'<span class="cc-sev cc-sev-{sev}">{_e(f.severity)}</span> <code>{_e(f.code)}</code>']
    if f.substance:
        head.append(f" · {_e(f.substance)}")
    if f.claim_index is not None and f.claim_index in claim_ids:
        head.append(f' · <a href="#{prefix}claim-{_e(f.claim_index)}">claim {_e(f.claim_index)}</a>')
    body = [f'<p class="cc-msg">{_e(f.message)}</p>']
    if ev.get("text"):
        body.append(f'<blockquote class="cc-ev">{_e(ev["text"])}</blockquote>')
    cue = ev.get("cue")
    if isinstance(cue, dict) and cue.get("text"):
        body.append(
            f'<div class="cc-meta">cue: &ldquo;{_e(cue["text"])}&rdquo;'
            + (f" ({_e(cue.get('kind'))})" if cue.get("kind") else "")
            + "</div>"
        )
    others = ev.get("claims")
    if isinstance(others, list) and len(others) > 1:
        links = ", ".join(
            f'<a href="#{prefix}claim-{_e(i)}">{_e(i)}</a>' if i in claim_ids else _e(i) for i in others
        )
        body.append(f'<div class="cc-meta">claims: {links}</div>')
    mdd = ev.get("max_daily_dose")
    if isinstance(mdd, dict) and mdd:
        body.append(
            f'<div class="cc-meta">published maximum: {_e(mdd.get("amount"))} {_e(mdd.get("unit"))} a day'
            + (f" ({_e(mdd.get('basis'))})" if mdd.get("basis") else "")
            + "</div>"
        )
    if isinstance(ev.get("facts"), dict):
        body.append(_facts_html(ev["facts"]))
    if ev.get("url"):
        body.append(f'<div class="cc-meta">link: {_link(ev.get("url"))}</div>')
    return f'<li class="cc-flag" id="{prefix}flag-{_e(fid)}"><div>{"".join(head)}</div>{"".join(body)}</li>'


def _legend() -> str:
    types = "".join(
        f'<span><mark class="cc-claim cc-t-{t}">{t if t != "none" else "claim (no type)"}</mark></span>'
        for t in (*TYPE_ORDER, "none")
    )
    srcs = "".join(f'<span class="cc-badge cc-src-{s}">{s}</span>' for s in SOURCING_ORDER)
    return (
        '<div class="cc-legend"><strong>Legend:</strong>'
        + types
        + '<span><u class="cc-hedge">hedge cue</u></span>'
        + '<span><span class="cc-attr-vague">vague attribution</span></span>'
        + '<span><span class="cc-attr-cite">citation / named source</span></span>'
        + '<span><span class="cc-dose">dose</span></span>'
        + f"<span>sourcing: {srcs}</span>"
        + '<span><span class="cc-sev cc-sev-high">&#9873;</span> flag</span>'
        + "<span>plain text: not a claim</span></div>"
    )


def _breakdown(result: ArticleResult) -> str:
    claims = result.claims
    types = Counter(t for c in claims for t in c.labels)
    srcs = Counter(c.sourcing for c in claims)
    rows = [
        f'<tr><th>{_e(code)}</th><td class="cc-num">{_fmt(pts, 2)}</td></tr>'
        for code, pts in sorted((result.breakdown or {}).items(), key=lambda kv: -float(kv[1] or 0))
    ]
    points = (
        '<table class="cc-kv"><tr><th colspan="2">score points by flag</th></tr>'
        + ("".join(rows) or '<tr><td colspan="2">none</td></tr>')
        + "</table>"
    )
    counts = (
        '<table class="cc-kv"><tr><th colspan="2">claims</th></tr>'
        + f'<tr><th>total</th><td class="cc-num">{len(claims)}</td></tr>'
        + "".join(f'<tr><th>{t}</th><td class="cc-num">{types.get(t, 0)}</td></tr>' for t in TYPE_ORDER)
        + f'<tr><th>hedged</th><td class="cc-num">{sum(c.hedging for c in claims)}</td></tr></table>'
    )
    sourcing = (
        '<table class="cc-kv"><tr><th colspan="2">sourcing</th></tr>'
        + "".join(f'<tr><th>{s}</th><td class="cc-num">{srcs.get(s, 0)}</td></tr>' for s in SOURCING_ORDER)
        + "</table>"
    )
    return f'<div class="cc-head">{points}{counts}{sourcing}</div>'


def article_html(result: ArticleResult, *, standalone: bool = True, back_href: str | None = None) -> str:
    """One article as HTML: text with claims highlighted, flags with evidence and KB facts, score on top.

    ``standalone`` gives a full HTML document (inline CSS only); otherwise a ``<div>`` fragment for
    Jupyter whose element ids are prefixed so that several results can share a page."""
    prefix = (
        ""
        if standalone
        else f"cc{next(_render_ids)}-{hashlib.sha1(str(result.id).encode()).hexdigest()[:6]}-"
    )
    title = str(result.meta.get("title") or result.id) if isinstance(result.meta, dict) else str(result.id)
    grade = result.grade if result.grade in {"A", "B", "C", "D", "F"} else "x"
    head = []
    if back_href is not None:
        head.append(f'<div class="cc-meta"><a href="{_e(back_href)}">&larr; all articles</a></div>')
    head.append(f"<h1>{_e(title)}</h1>")
    meta_bits = [f"id <code>{_e(result.id)}</code>"]
    if result.source:
        meta_bits.append(f"source <code>{_e(result.source)}</code>")
    if isinstance(result.meta, dict) and result.meta.get("genre"):
        meta_bits.append(f"genre {_e(result.meta['genre'])}")
    head.append(f'<div class="cc-meta">{" · ".join(meta_bits)}</div>')
    if result.error:
        err = result.error if isinstance(result.error, dict) else {"message": result.error}
        body = (
            f'<div class="cc-error"><strong>Not scored: {_e(err.get("code", "error"))}</strong>'
            f"<div>{_e(err.get('message', ''))}</div></div>"
        )
        content = "".join(head) + body
    else:
        claims = result.claims
        claim_ids = {c.index for c in claims}
        flags = sorted(
            enumerate(result.flags),
            key=lambda kv: (
                SEVERITY_ORDER.get(kv[1].severity, 3),
                CODE_ORDER.get(kv[1].code, len(CODE_ORDER)),
                kv[0],
            ),
        )
        flag_ids: dict[int, list[tuple[str, str]]] = {}
        for k, f in flags:
            if f.claim_index is not None:
                flag_ids.setdefault(f.claim_index, []).append((str(k), f.severity))
        summary = (
            '<div class="cc-head">'
            f'<div>problem score <strong style="font-size:1.5em">{_fmt(result.score)}</strong>'
            '<span class="cc-meta"> / 100 (0 = no problems found)</span></div>'
            f'<div>grade <span class="cc-grade cc-grade-{grade}">{_e(result.grade or "–")}</span></div>'
            f"<div>sourcing grade <strong>{_fmt(result.sourcing_grade)}</strong></div>"
            f"<div>{len(claims)} claims in {len(result.units)} units · {len(result.flags)} flags</div></div>"
        )
        sev_counts = Counter(f.severity for f in result.flags)
        flag_list = (
            "".join(_flag_html(f, str(k), prefix, claim_ids) for k, f in flags)
            or '<li class="cc-flag">No flags.</li>'
        )
        side = (
            f'<aside class="cc-side"><h2>Flags ({len(result.flags)}: '
            + ", ".join(f"{sev_counts[s]} {s}" for s in SEVERITY_ORDER if sev_counts.get(s))
            + ")</h2>"
            f'<ul class="cc-flags">{flag_list}</ul></aside>'
        )
        main = (
            f'<div class="cc-main"><div class="cc-text">{_render_text(result, prefix, flag_ids)}</div></div>'
        )
        content = (
            "".join(head)
            + summary
            + _breakdown(result)
            + _legend()
            + f'<div class="cc-layout">{main}{side}</div>'
        )
    if standalone:
        return _document(f"claimcheck: {title}", f'<div class="cc-report cc-standalone">{content}</div>')
    return f'<div class="cc-report">{_style()}{content}</div>'


# --------------------------------------------------------------------------- many articles
_SORT_JS = """<script>
(function(){
  function key(td){var v=td.getAttribute('data-sort');if(v===null)v=td.textContent.trim();
    var n=parseFloat(v);return (v!==''&&!isNaN(n)&&isFinite(v))?{n:true,v:n}:{n:false,v:v.toLowerCase()};}
  document.querySelectorAll('table.cc-sortable').forEach(function(table){
    var heads=table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads,function(th,col){
      th.addEventListener('click',function(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);
          if(x.v===''&&y.v!=='')return 1; if(y.v===''&&x.v!=='')return -1;
          var c=(x.n&&y.n)?x.v-y.v:String(x.v).localeCompare(String(y.v));return asc?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
})();
</script>
"""


def index_row(result: ArticleResult, href: str | None = None) -> dict[str, Any]:
    """The few fields of a result that the index table needs (so the result itself can be dropped)."""
    meta = result.meta if isinstance(result.meta, dict) else {}
    err = result.error
    return {
        "id": str(result.id),
        "href": href,
        "title": meta.get("title"),
        "genre": meta.get("genre"),
        "source": result.source,
        "score": result.score,
        "grade": result.grade,
        "sourcing_grade": result.sourcing_grade,
        "n_claims": result.n_claims,
        "n_flags": len(result.flags),
        "flags": dict(Counter(f.code for f in result.flags)),
        "error": None
        if not err
        else (f"{err.get('code')}: {err.get('message')}" if isinstance(err, dict) else str(err)),
    }


def _table(rows: list[dict[str, Any]], *, links: bool, sortable: bool) -> str:
    codes = sorted({c for r in rows for c in (r.get("flags") or {})})
    has_title = any(r.get("title") for r in rows)
    heads = [
        "id",
        *(["title"] if has_title else []),
        "score",
        "grade",
        "sourcing",
        "claims",
        "flags",
        *codes,
        "error",
    ]
    numeric = {"score", "sourcing", "claims", "flags", *codes}
    num_cls = ' class="cc-num"'
    th = "".join(
        f'<th scope="col"{num_cls if h in numeric else ""}>{_e(h.replace("_", " "))}</th>' for h in heads
    )
    body = []
    for r in rows:
        rid = _e(r.get("id"))
        href = r.get("href")
        cells = [
            f'<td data-sort="{rid}"><a href="{_e(href)}">{rid}</a></td>'
            if links and href
            else f'<td data-sort="{rid}">{rid}</td>'
        ]
        if has_title:
            cells.append(f"<td>{_e(r.get('title') or '')}</td>")
        score = r.get("score")
        cells.append(
            f'<td class="cc-num" data-sort="{"" if score is None else _e(score)}">{_fmt(score)}</td>'
        )
        cells.append(f"<td>{_e(r.get('grade') or '')}</td>")
        sg = r.get("sourcing_grade")
        cells.append(f'<td class="cc-num" data-sort="{"" if sg is None else _e(sg)}">{_fmt(sg)}</td>')
        cells.append(f'<td class="cc-num">{_e(r.get("n_claims", 0))}</td>')
        cells.append(f'<td class="cc-num">{_e(r.get("n_flags", sum((r.get("flags") or {}).values())))}</td>')
        cells += [f'<td class="cc-num">{_e((r.get("flags") or {}).get(c, 0))}</td>' for c in codes]
        cells.append(f"<td>{_e(r.get('error') or '')}</td>")
        cls = ' class="cc-row-error"' if r.get("error") else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    cls = "cc-table cc-sortable" if sortable else "cc-table"
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>' + "\n".join(body) + "</tbody></table>"


def _summary_line(rows: list[dict[str, Any]]) -> str:
    scored = [r for r in rows if not r.get("error") and r.get("score") is not None]
    errors = sum(1 for r in rows if r.get("error"))
    mean = sum(float(r["score"]) for r in scored) / len(scored) if scored else None
    grades = Counter(str(r.get("grade")) for r in scored)
    grade_text = ", ".join(f"{g} {n}" for g, n in sorted(grades.items()))
    return (
        f'<div class="cc-head"><div><strong>{len(rows)}</strong> articles</div>'
        f"<div>{len(scored)} scored · {errors} failed</div>"
        f"<div>mean problem score <strong>{_fmt(mean)}</strong></div>"
        f"<div>grades: {_e(grade_text)}</div></div>"
    )


def index_html(rows: list[dict[str, Any]]) -> str:
    """A self-contained HTML page: a table of articles, sortable by clicking a column heading.

    Each row is a dict as made by :func:`index_row` (``id``, ``href``, ``score``, ``grade``,
    ``n_claims``, ``flags`` = counts per flag code, ``error`` ...)."""
    body = (
        '<div class="cc-report cc-standalone"><h1>claimcheck report</h1>'
        + _summary_line(rows)
        + '<p class="cc-meta">Click a column heading to sort. Problem score: 0 = no problems found, '
        "100 = many serious problems.</p>" + _table(rows, links=True, sortable=True) + "</div>"
    )
    return _document("claimcheck report", body, _SORT_JS)


def page_name(article_id: str, used: set[str]) -> str:
    """A safe, unique file name for an article page; records it (lower-cased) in ``used``."""
    sid = str(article_id)
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", sid).strip("._-")[:80] or "article"
    if base != sid or base.lower() in {"index", "con", "prn", "aux", "nul"}:
        base = f"{base}-{hashlib.sha1(sid.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    name, n = f"{base}.html", 1
    while name.lower() in used:
        n += 1
        name = f"{base}-{n}.html"
    used.add(name.lower())
    return name


class HtmlReportWriter:
    """Writes one page per result as results arrive, and the index on :meth:`close`.

    Only the index rows are kept, so a batch of any size streams through::

        with HtmlReportWriter("out/html") as w:
            for r in checker.check_articles(articles):
                w.add(r)
    """

    ROWS_FILE = ".index_rows.jsonl"  # index rows so far, one per line: what --resume picks up

    def __init__(self, out_dir: str | os.PathLike[str], *, resume: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._rows: list[dict[str, Any]] = []
        self._resumed: dict[tuple[str, str], int] = {}  # (source, id) -> position, rows of an earlier run
        self._used: set[str] = {"index.html"}
        self.index_path = self.out_dir / "index.html"
        self.closed = False
        rows_path = self.out_dir / self.ROWS_FILE
        if resume and rows_path.exists():
            for line in rows_path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    row = json.loads(line)
                    key = (str(row["source"]), str(row["id"]))
                    self._used.add(unquote(row["href"]).lower())
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a torn last line from a killed run
                if key in self._resumed:
                    self._rows[self._resumed[key]] = row
                else:
                    self._resumed[key] = len(self._rows)
                    self._rows.append(row)
        self._rows_fh = rows_path.open("a" if resume else "w", encoding="utf-8")

    def add(self, result: ArticleResult) -> Path:
        if self.closed:
            raise ValueError("HtmlReportWriter is closed")
        at = self._resumed.pop((str(result.source), str(result.id)), None)  # scored again after a kill
        name = unquote(self._rows[at]["href"]) if at is not None else page_name(result.id, self._used)
        path = self.out_dir / name
        row = index_row(result, href=quote(name))
        try:
            page = article_html(result, standalone=True, back_href="index.html")
        except Exception as exc:  # noqa: BLE001 - one odd result must not stop a batch report
            err = {"code": "render_error", "message": f"{type(exc).__name__}: {exc}"}
            failed = ArticleResult(id=result.id, source=result.source, error=err)
            page = article_html(failed, back_href="index.html")
            row["error"] = f"{err['code']}: {err['message']}"
        _write_text(path, page)
        if at is None:
            self._rows.append(row)
        else:
            self._rows[at] = row
        self._rows_fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._rows_fh.flush()
        return path

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The index rows so far, one per page; with ``resume``, an earlier run's rows come first and an
        article scored again replaces its row."""
        return list(self._rows)

    def close(self) -> Path:
        if not self.closed:
            _write_text(self.index_path, index_html(self.rows))
            self._rows_fh.close()
            self.closed = True
        return self.index_path

    def __enter__(self) -> HtmlReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_html_report(results: Iterable[ArticleResult], out_dir: str | os.PathLike[str]) -> Path:
    """Write ``out_dir/index.html`` and one page per result (streamed); return the index path."""
    with HtmlReportWriter(out_dir) as w:
        for r in results:
            w.add(r)
    return w.index_path


# --------------------------------------------------------------------------- Jupyter
def batch_html(results: list[ArticleResult]) -> str:
    """A summary table of many results, as an HTML fragment (for Jupyter)."""
    rows = [index_row(r) for r in results]
    table = _table(rows, links=False, sortable=False)
    return f'<div class="cc-report">{_style()}{_summary_line(rows)}{table}</div>'


class ResultBatch(list):
    """A list of ArticleResults that shows as a summary table in Jupyter and converts to DataFrames."""

    def _repr_html_(self) -> str:
        return batch_html(list(self))

    def to_frame(self, kind: str = "articles"):
        """``claims`` (one row per claim), ``flags`` (one per flag) or ``articles`` (one per article)."""
        if kind == "claims":
            return claims_frame(list(self))
        if kind == "flags":
            return flags_frame(list(self))
        if kind in ("articles", "article"):
            return articles_frame(list(self))
        raise ValueError(f"kind must be 'claims', 'flags' or 'articles', not {kind!r}")
