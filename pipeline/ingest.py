"""Readers for every input format: text, markdown and HTML become plain text with link offsets and
structure blocks; JSONL, CSV, Parquet and HF datasets become one Article per row. Lazy throughout."""

from __future__ import annotations

import codecs
import csv
import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pipeline.errors import BadRecord, ClaimcheckError, DecodeError, InputNotFound, UnsupportedFormat
from pipeline.schema import Article, Block, Link

TEXT_EXTS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html"}
TABLE_EXTS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
TEXT_FIELDS = ("text", "body", "content", "article")
ID_FIELDS = ("id", "doc_id", "article_id", "url")


# --------------------------------------------------------------------------- decoding
def decode_bytes(data: bytes, *, source: str = "") -> tuple[str, dict[str, str]]:
    """Decode bytes to text; BOMs first, then UTF-8, then a detected encoding, said in the returned notes."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), {"encoding": enc}
    head = data[:8192]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head) // 2 and len(data) % 2 == 0:
        # UTF-16 without a BOM: every other byte is NUL for Latin text
        enc16 = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        text = data.decode(enc16, errors="replace")
        if not _looks_binary(text):
            return text, {"encoding": enc16, "decode_note": f"no BOM; decoded as {enc16}"}
    try:
        text, notes = data.decode("utf-8"), {"encoding": "utf-8"}
    except UnicodeDecodeError:
        enc = None
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data[:200_000]).best()
            enc = best.encoding if best is not None else None
        except ImportError:  # pragma: no cover - charset_normalizer ships with requests
            enc = None
        enc = enc or "cp1252"
        text = data.decode(enc, errors="replace")
        notes = {"encoding": enc, "decode_note": f"not valid UTF-8; decoded as {enc}"}
    if b"\x00" in head or _looks_binary(text):
        raise DecodeError(f"{source or 'input'} looks binary (control bytes), not text",
                          hint="give text, markdown, HTML or table files")
    return text, notes


def _looks_binary(text: str) -> bool:
    sample = text[:10000]
    if not sample:
        return False
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return ctrl / len(sample) > 0.05 or sample.count("\ufffd") / len(sample) > 0.2




# --------------------------------------------------------------------------- markdown
_MD_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_REFLINK = re.compile(r"\[([^\]\n]+)\]\[([^\]\n]*)\]")
_MD_REFDEF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*(\S+).*$", re.M)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LIST = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")


def parse_markdown(md: str) -> tuple[str, list[Link], list[Block]]:
    """Markdown to plain text: links become anchor text with a Link, headings lose their hashes."""
    refs = {m.group(1).lower(): m.group(2) for m in _MD_REFDEF.finditer(md)}
    out: list[str] = []
    links: list[Link] = []
    blocks: list[Block] = []
    pos = 0
    in_code = False
    for raw_line in md.splitlines():
        if raw_line.strip().startswith("```"):
            in_code = not in_code
            continue
        if in_code or _MD_REFDEF.match(raw_line):
            continue
        line = raw_line
        kind = None
        m = _MD_HEADING.match(line)
        if m:
            line, kind = m.group(2), "heading"
        elif _MD_LIST.match(line):
            kind = "list_item"
        line = _MD_EMPH.sub(r"\2", line)
        # links: rebuild the line piece by piece so offsets stay exact
        pieces: list[str] = []
        line_links: list[tuple[int, int, str]] = []
        cur = 0
        length = 0
        for lm in _iter_md_links(line, refs):
            start, end, anchor, url, is_image = lm
            pieces.append(line[cur:start])
            length += start - cur
            if not is_image:
                pieces.append(anchor)
                line_links.append((length, length + len(anchor), url))
                length += len(anchor)
            cur = end
        pieces.append(line[cur:])
        line = "".join(pieces)
        for s, e, url in line_links:
            links.append(Link(pos + s, pos + e, url))
        if kind and line.strip():
            lead = len(line) - len(line.lstrip())
            blocks.append(Block(pos + lead, pos + len(line.rstrip()), kind))
        out.append(line)
        pos += len(line) + 1
    return "\n".join(out), links, blocks


def _iter_md_links(line: str, refs: dict[str, str]) -> Iterator[tuple[int, int, str, str, bool]]:
    found = [(m.start(), m.end(), m.group(2), m.group(3), m.group(1) == "!") for m in _MD_LINK.finditer(line)]
    for m in _MD_REFLINK.finditer(line):
        url = refs.get((m.group(2) or m.group(1)).lower())
        if url and not any(s <= m.start() < e for s, e, *_ in found):
            found.append((m.start(), m.end(), m.group(1), url, False))
    yield from sorted(found)


# --------------------------------------------------------------------------- HTML
_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "br",
               "table", "tr", "ul", "ol", "dl", "dt", "dd", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
               "figure", "figcaption", "hr", "nav", "form", "td", "th", "caption", "address"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "math"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}


class _HTMLText(HTMLParser):
    """Collects visible text with link and block offsets; scripts, styles and comments are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.skip = 0
        self.links: list[Link] = []
        self.blocks: list[Block] = []
        self.open_links: list[tuple[int, str]] = []
        self.open_blocks: list[tuple[str, int]] = []
        self.title = ""
        self._in_title = False

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def _last_char(self) -> str:
        for p in reversed(self.parts):
            if p:
                return p[-1]
        return "\n"

    def _newline(self, n: int = 1) -> None:
        tail = "".join(self.parts[-3:])[-n:] if self.parts else "\n" * n
        if tail != "\n" * n:
            self._emit("\n" * (n - len(tail) + len(tail.rstrip("\n"))) if not tail.endswith("\n") else "\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag in _BLOCK_TAGS:
            self._newline(2 if tag in _HEADINGS or tag == "p" else 1)
        if tag == "li":
            self._emit("- ")
        if tag in _HEADINGS or tag == "li":
            self.open_blocks.append((tag, self.length))
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.open_links.append((self.length, href))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "a" and self.open_links:
            start, href = self.open_links.pop()
            if href and self.length > start and not href.lower().startswith(("javascript:", "#", "mailto:")):
                self.links.append(Link(start, self.length, href))
        if (tag in _HEADINGS or tag == "li") and self.open_blocks:
            for i in range(len(self.open_blocks) - 1, -1, -1):
                if self.open_blocks[i][0] == tag:
                    _, start = self.open_blocks.pop(i)
                    if self.length > start:
                        kind = "heading" if tag in _HEADINGS else "list_item"
                        self.blocks.append(Block(start, self.length, kind))
                    break
        if tag in _BLOCK_TAGS:
            self._newline(2 if tag in _HEADINGS or tag == "p" else 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self.skip:
            return
        text = re.sub(r"\s+", " ", strip_invisible(data))
        if not text.strip() and self._last_char() in "\n ":
            return
        if self._last_char() in "\n " and text.startswith(" "):
            text = text.lstrip()
        if text:
            self._emit(text)


def parse_html(html: str) -> tuple[str, list[Link], list[Block], str]:
    """HTML to plain text with links, heading/list blocks and the page title."""
    parser = _HTMLText()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient; a failure here is a truly broken document
        raise BadRecord(f"HTML could not be parsed: {exc}") from exc
    raw = "".join(parser.parts)
    # strip trailing spaces on lines while mapping offsets
    text, mapping = _strip_line_ends(raw)
    links = [Link(mapping[ln.start], mapping[ln.end], ln.url) for ln in parser.links]
    blocks = [Block(mapping[b.start], mapping[b.end], b.kind) for b in parser.blocks]
    links = [ln for ln in links if ln.end > ln.start]
    blocks = sorted((b for b in blocks if b.end > b.start), key=lambda b: (b.start, b.end))
    return text, links, blocks, parser.title.strip()


def _strip_line_ends(raw: str) -> tuple[str, list[int]]:
    """Remove spaces before newlines and at the very start/end; return text and an old->new offset map."""
    keep = [True] * len(raw)
    i = len(raw) - 1
    trailing = True
    while i >= 0:
        ch = raw[i]
        if ch == "\n":
            trailing = True
        elif ch == " " and trailing:
            keep[i] = False
        else:
            trailing = False
        i -= 1
    mapping = [0] * (len(raw) + 1)
    n = 0
    out = []
    for i, ch in enumerate(raw):
        mapping[i] = n
        if keep[i]:
            out.append(ch)
            n += 1
    mapping[len(raw)] = n
    return "".join(out), mapping


# Hard-wrapped text (press releases, e-mails, PDF and terminal copies: every line cut at a fixed width).
# A line break is a wrap when the line could not take the next line's first word within the text's wrap
# width; such breaks become spaces (same length: offsets stay exact), so a wrapped sentence is one unit,
# not a fragment per line. Short lines (headings, unmarked lists, lines ending a paragraph) stay broken.
_WRAP_MIN_WIDTH = 45  # narrower "widths" are lists of short lines, not wrapping
_WRAP_MAX_WIDTH = 120  # one paragraph per line: nothing is wrapped
_NOT_CONTINUATION = re.compile(r"^\s*(?:[-*+•·▪►✓✔➤>|#]|\d{1,3}[.)]\s|[a-z][.)]\s)")


# HTML character references left in scraped plain text ("300&nbsp;mg", "fish oil &amp; krill", "don&#39;t"):
# decoded, since spaCy would read "Ashwagandha&nbsp;may" as one token and miss the hedge. Offsets are then
# into the decoded text (the article text that `--with-text` returns).
_CHAR_REF = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def decode_char_refs(text: str) -> str:
    """``text`` with its HTML character references decoded (unknown names are left as they are)."""
    if "&" not in text:
        return text
    return _CHAR_REF.sub(lambda m: html.unescape(m.group(0)).replace("\xa0", " "), text)


# Invisible format characters inside words ("Mel\u200batonin", "ashwa\u00adgandha" from a CMS's soft hyphens)
# split a word in two for spaCy and hide a substance or a cue from the matchers. Soft hyphens, zero-width
# spaces, word joiners and byte-order marks are removed; zero-width (non-)joiners only between letters (in
# emoji sequences they are part of the character). Offsets are into the cleaned text, as for char refs.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]|(?<=[^\W\d_])[\u200c\u200d](?=[^\W\d_])")


def strip_invisible(text: str) -> str:
    """``text`` without the invisible format characters that split words (see above)."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def unwrap_lines(text: str, keep: list[Block] = ()) -> str:
    """``text`` with the line breaks of hard-wrapped paragraphs turned into spaces (see above). Breaks next
    to a ``keep`` block (markdown headings and list items) are left alone."""
    lines = text.split("\n")
    lengths = [len(line.rstrip()) for line in lines]
    filled = sorted(n for n in lengths if n)
    if len(filled) < 3:
        return text
    width = filled[int(0.9 * (len(filled) - 1))]
    if not _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH:
        return text
    blocked = bytearray(len(text) + 1)  # 1 inside a kept block
    for blk in keep:
        blocked[blk.start:blk.end] = b"\x01" * max(0, min(blk.end, len(text)) - blk.start)
    out = list(text)
    pos = 0
    for a, b in zip(lines, lines[1:], strict=False):
        brk = pos + len(a)
        pos = brk + 1
        a_words, b_words = a.split(), b.split()
        if len(a_words) < 3 or not b_words or _NOT_CONTINUATION.match(b) or a.lstrip()[:1] in ("#", ">", "|"):
            continue  # a short line, a blank line, or a new list item, heading, quote or table row
        if a.rstrip().endswith(":"):
            continue  # introduces what follows
        if len(a.rstrip()) + 1 + len(b_words[0]) <= width - 2:
            continue  # the next word would have fitted: a real break
        if blocked[brk - len(a):brk].count(1) or blocked[pos:pos + len(b)].count(1):
            continue
        out[brk] = " "
    return "".join(out)


# --------------------------------------------------------------------------- articles
FORMAT_ALIASES = {"text": "text", "txt": "text", "plain": "text", "markdown": "markdown", "md": "markdown",
                  "html": "html", "htm": "html", "auto": "auto"}


def article_from_text(text: str, *, id: str, source: str = "", fmt: str = "text",
                      meta: dict[str, Any] | None = None) -> Article:
    """Build an Article from a string in the given format (text, markdown or html; "md", "htm", "txt"
    are understood; anything else is guessed from the text)."""
    meta = dict(meta or {})
    fmt = FORMAT_ALIASES.get(str(fmt).strip().lower(), "auto")
    if fmt == "auto":
        fmt = sniff_format(text)
    if fmt == "markdown":
        plain, links, blocks = parse_markdown(strip_invisible(decode_char_refs(text)))
        plain = unwrap_lines(plain, blocks)
    elif fmt == "html":
        plain, links, blocks, title = parse_html(text)
        if title:
            meta.setdefault("title", title)
    else:
        plain = strip_invisible(decode_char_refs(text.replace("\r\n", "\n").replace("\r", "\n")))
        plain, links, blocks = unwrap_lines(plain), [], []
    meta["format"] = fmt
    return Article(id=str(id), text=plain, source=source, links=links, blocks=blocks, meta=meta)


_HTML_SNIFF = re.compile(r"<(?:html|body|p|div|h[1-6]|ul|li|a\s[^>]*href|br)\b", re.I)
_MD_SNIFF = re.compile(r"^\s{0,3}#{1,6}\s|\[[^\]\n]+\]\([^)\s]+\)", re.M)


def sniff_format(text: str) -> str:
    """Guess text / markdown / html for strings from tables (JSONL, CSV) with no format column."""
    head = text[:5000]
    if len(_HTML_SNIFF.findall(head)) >= 2:
        return "html"
    if _MD_SNIFF.search(head):
        return "markdown"
    return "text"


def error_article(id: str, source: str, exc: BaseException) -> Article:
    """An Article that carries an error row instead of text."""
    if isinstance(exc, ClaimcheckError):
        err = {"code": exc.code, "message": str(exc)}
    else:
        err = {"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"}
    return Article(id=str(id), text="", source=source, error=err)


def expand_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Files given, plus supported files under given folders, in sorted order. Missing paths raise."""
    files: list[Path] = []
    for inp in inputs:
        p = Path(inp)
        if str(inp) == "-" or (p.is_dir() and (p / "dataset_info.json").exists()):
            files.append(p)  # stdin, or an HF dataset saved with save_to_disk
        elif p.is_dir():
            files.extend(sorted(f for f in p.rglob("*")
                                if f.is_file() and f.suffix.lower() in TEXT_EXTS | TABLE_EXTS
                                and not f.name.startswith(".") and f.stem.upper() != "README"))
        elif p.exists():
            if p.suffix.lower() not in TEXT_EXTS | TABLE_EXTS and not (p / "dataset_info.json").exists():
                raise UnsupportedFormat(f"{p}: unsupported file type {p.suffix or '(none)'}")
            files.append(p)
        else:
            raise InputNotFound(f"{p} does not exist")
    return files


def iter_articles(inputs: Iterable[str | Path], *, text_col: str | None = None,
                  id_col: str | None = None) -> Iterator[Article]:
    """Yield one Article per document, lazily; a broken document yields an Article with ``error``."""
    for path in expand_paths(inputs):
        yield from iter_file(path, text_col=text_col, id_col=id_col)


def iter_file(path: Path, *, text_col: str | None = None, id_col: str | None = None) -> Iterator[Article]:
    src = str(path)
    if src == "-":
        yield from _iter_records(_jsonl_records(sys.stdin, "<stdin>"), "<stdin>", text_col, id_col)
        return
    if path.is_dir():  # an HF dataset saved with save_to_disk
        yield from _iter_records(_hf_records(path), src, text_col, id_col)
        return
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        try:
            text, notes = decode_bytes(path.read_bytes(), source=src)
            yield article_from_text(text, id=path.stem, source=src, fmt=TEXT_EXTS[ext], meta=notes)
        except (OSError, ClaimcheckError) as exc:
            yield error_article(path.stem, src, exc)
        return
    kind = TABLE_EXTS[ext]
    try:
        if kind == "jsonl":
            fh = path.open("r", encoding="utf-8", errors="replace", newline="")
            with fh:
                yield from _iter_records(_jsonl_records(fh, src), src, text_col, id_col)
        elif kind == "csv":
            with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
                yield from _iter_records(_csv_records(fh, src), src, text_col, id_col)
        else:
            yield from _iter_records(_parquet_records(path), src, text_col, id_col)
    except (OSError, ClaimcheckError) as exc:
        yield error_article(path.stem, src, exc)


def _jsonl_records(fh, src: str) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    for lineno, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("line is not a JSON object")
            yield lineno, rec
        except ValueError as exc:
            yield lineno, BadRecord(f"{src} line {lineno}: invalid JSON ({exc})",
                                    hint="each line must be one JSON object such as {\"id\": ..., \"text\": ...}")


def _csv_records(fh, src: str) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(fh)
    row = 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row += 1
            yield row, BadRecord(f"{src} row {row}: malformed CSV ({exc})")
            continue
        row += 1
        yield row, dict(rec)


def _parquet_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    import pyarrow.parquet as pq

    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=512):
        for rec in batch.to_pylist():
            n += 1
            yield n, rec


def _hf_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    from pipeline.datasets_io import load_local_dataset

    yield from enumerate(load_local_dataset(path), 1)


def iter_records(records: Iterable[dict[str, Any]], *, source: str = "records", text_col: str | None = None,
                 id_col: str | None = None) -> Iterator[Article]:
    """Articles from any iterable of dicts, lazily: a Hugging Face ``datasets.Dataset`` (e.g. from
    ``load_dataset("json", data_files=...)``), ``df.to_dict("records")``, a generator. Fields as for
    JSONL input; a record that is not a dict, or has no text, becomes an error article."""
    def numbered() -> Iterator[tuple[int, dict[str, Any] | Exception]]:
        for n, rec in enumerate(records, 1):
            yield n, rec if isinstance(rec, dict) else BadRecord(f"{source} record {n}: not a mapping "
                                                                 f"({type(rec).__name__})")

    yield from _iter_records(numbered(), source, text_col, id_col)


def _iter_records(records: Iterable[tuple[int, dict[str, Any] | Exception]], src: str,
                  text_col: str | None, id_col: str | None) -> Iterator[Article]:
    stem = Path(src).stem
    for n, rec in records:
        default_id = f"{stem}:{n}"
        if isinstance(rec, Exception):
            yield error_article(default_id, f"{src}:{n}", rec)
            continue
        rid = _pick(rec, (id_col,) if id_col else ID_FIELDS)
        rid = default_id if rid in (None, "") else str(rid)
        try:
            text = _pick(rec, (text_col,) if text_col else TEXT_FIELDS)
            if text is None or not isinstance(text, str):
                fields = ", ".join(sorted(map(str, rec))[:10])
                raise BadRecord(f"{src} record {n} (id {rid}): no text field "
                                f"'{text_col or 'text'}' (fields: {fields})")
            fmt = str(rec.get("format") or "auto")
            meta = {k: v for k, v in rec.items() if k not in {text_col, id_col, *TEXT_FIELDS, "id"}
                    and isinstance(v, str | int | float | bool)}
            yield article_from_text(text, id=rid, source=f"{src}:{n}", fmt=fmt, meta=meta)
        except ClaimcheckError as exc:
            yield error_article(rid, f"{src}:{n}", exc)


def _pick(rec: dict[str, Any], keys: Iterable[str | None]) -> Any:
    for k in keys:
        if k and k in rec and rec[k] is not None:
            return rec[k]
    return None


_EN_WORDS = frozenset(["the", "of", "and", "to", "a", "in", "is", "it", "that", "for", "on", "with", "as", "are", "be", "this", "by", "or", "from", "at", "can", "your", "you", "not", "may", "have", "has", "was", "an", "which", "but", "if", "more", "will", "they", "their", "also", "take", "its", "we", "our", "these", "do", "than", "been", "about", "when", "some", "should", "most", "other", "after", "what", "who", "all", "one", "use"])
_ALPHA = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\x00-\x7f\u00c0-\u024f]")  # letters neither ASCII nor Latin-1 Supplement/Extended-A/B


def looks_english(text: str, *, sample: int = 20000) -> tuple[bool, str]:
    """A cheap check that text is English: share of common English function words among its words,
    and share of Latin letters. Short texts (under 15 words) pass."""
    words = _ALPHA.findall(text[:sample])
    letters = "".join(words)
    latin = (len(letters) - len(_NON_LATIN.findall(letters))) / max(1, len(letters))
    if len(letters) >= 40 and latin < 0.6:
        return False, f"mostly non-Latin script ({100 * (1 - latin):.0f}% of letters)"
    if len(words) < 15:
        return True, "too short to tell"
    share = sum(1 for w in words if w.lower() in _EN_WORDS) / len(words)
    if share < 0.08:
        return False, f"few English function words ({100 * share:.0f}% of words)"
    return True, f"{100 * share:.0f}% English function words"
