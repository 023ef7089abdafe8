"""HTML reports (pipeline.report): highlights in place, flags linked to claims, KB facts, escaping of
hostile articles, the sortable index and the streamed report folder."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from pipeline.report import (
    HtmlReportWriter,
    ResultBatch,
    article_html,
    batch_html,
    index_html,
    index_row,
    page_name,
    primary_type,
    safe_url,
    write_html_report,
)
from pipeline.schema import ArticleResult, Claim, Cue, Flag

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Dom(HTMLParser):
    """A tiny DOM: every element with its tag, attributes, text (textContent) and ancestors; inside the
    article text (``.cc-text``, badges and flag markers set aside) also its [pos0, pos1) character span."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.article_text: list[str] = []
        self.pos = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        el = {
            "tag": tag,
            "attrs": dict(attrs),
            "attr_list": attrs,
            "text": "",
            "parents": list(self.stack),
            "pos0": self.pos,
            "pos1": None,
        }
        self.elements.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(
            {
                "tag": tag,
                "attrs": dict(attrs),
                "attr_list": attrs,
                "text": "",
                "parents": list(self.stack),
                "pos0": self.pos,
                "pos1": self.pos,
            }
        )

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                for el in self.stack[i:]:
                    el["pos1"] = self.pos
                del self.stack[i:]
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data
        classes = [set(el["attrs"].get("class", "").split()) for el in self.stack]
        if any("cc-text" in c for c in classes) and not any(c & {"cc-badge", "cc-flagref"} for c in classes):
            self.article_text.append(data)
            self.pos += len(data)

    def find(self, tag=None, cls=None, **attrs):
        out = []
        for el in self.elements:
            if tag and el["tag"] != tag:
                continue
            if cls and cls not in el["attrs"].get("class", "").split():
                continue
            if any(el["attrs"].get(k) != v for k, v in attrs.items()):
                continue
            out.append(el)
        return out

    def covered(self, cls: str) -> set[int]:
        """Offsets into the article text covered by elements of class ``cls``."""
        return {i for el in self.find(cls=cls) for i in range(el["pos0"], el["pos1"] or el["pos0"])}


def assert_inert(html: str, *, allow_scripts: int = 0) -> Dom:
    """No script from content, no event-handler attribute, no URL with a scheme other than http(s),
    no content <img>/<iframe>/<svg>."""
    dom = Dom(html)
    assert len(dom.find("script")) == allow_scripts
    for el in dom.elements:
        assert el["tag"] not in {"img", "iframe", "object", "embed", "svg", "form", "base", "meta"} or (
            el["tag"] == "meta" and not any(p["tag"] == "body" for p in el["parents"])
        ), el["tag"]
        for name, value in el["attr_list"]:
            assert not name.lower().startswith("on"), (el["tag"], name, value)
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "srcdoc"}:
                v = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()  # browsers drop these before parsing
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", v)
                assert scheme is None or scheme.group(1) in ("http", "https"), (el["tag"], name, value)
    return dom


# --------------------------------------------------------------------------- fixtures
FACTS = {
    "id": "kratom",
    "name": "Kratom",
    "category": "botanical",
    "status": [
        {
            "jurisdiction": "US",
            "regulator": "FDA",
            "status": "unapproved",
            "detail": "No FDA-approved medical use.",
            "source": "https://www.fda.gov/kratom",
        },
        {
            "jurisdiction": "US",
            "regulator": "DEA",
            "status": "drug_of_concern",
            "detail": "Drug of concern <b>bold?</b>",
            "source": "javascript:alert('kb')",
        },
    ],
    "concerns": ["dependence", "liver_injury"],
    "max_daily_dose": None,
    "references": [
        {"url": "https://www.nccih.nih.gov/health/kratom", "title": "Kratom", "publisher": "NIH NCCIH"},
        {"url": "javascript:alert('ref')", "title": "Evil reference", "publisher": "x"},
        {"url": "data:text/html,<script>alert(1)</script>", "title": "Data ref", "publisher": "y"},
    ],
    "checked": "2026-11-24",
}


def make_result(text: str | None = None) -> ArticleResult:
    """A hand-built result: a heading, three claims of different types, one non-claim, two flags."""
    text = text or (
        "Kratom guide\n\nTake 2 grams of kratom daily.\nIt may ease pain, studies suggest.\n"
        "Some sentence that is not a claim.\nKratom can cause liver injury [1]."
    )

    def span(s: str) -> tuple[int, int]:
        i = text.index(s)
        return i, i + len(s)

    units = []
    h = span("Kratom guide")
    units.append(Claim(index=-1, text="Kratom guide", start=h[0], end=h[1], kind="heading", is_claim=False))
    s0 = span("Take 2 grams of kratom daily.")
    d = span("2 grams")
    units.append(
        Claim(
            index=0,
            text=text[s0[0] : s0[1]],
            start=s0[0],
            end=s0[1],
            labels=["dosing"],
            sourcing="none",
            substances=["kratom"],
            doses=[{"text": "2 grams", "start": d[0], "end": d[1]}],
            flags=["unsourced_claim"],
            probs={"is_claim": 0.9, "dosing": 0.8},
        )
    )
    s1 = span("It may ease pain, studies suggest.")
    may = span("may")
    vague = span("studies suggest")
    units.append(
        Claim(
            index=1,
            text=text[s1[0] : s1[1]],
            start=s1[0],
            end=s1[1],
            labels=["efficacy", "safety"],
            hedging=True,
            sourcing="vague",
            sourcing_evidence={
                "kind": "attr_vague",
                "text": "studies suggest",
                "start": vague[0],
                "end": vague[1],
            },
            cues=[
                Cue("HEDGE", "may", may[0], may[1], "hedge-1"),
                Cue("ATTR_VAGUE", "studies suggest", vague[0], vague[1], "vague-1"),
            ],
            flags=["vague_attribution"],
        )
    )
    n = span("Some sentence that is not a claim.")
    units.append(Claim(index=-1, text=text[n[0] : n[1]], start=n[0], end=n[1], is_claim=False))
    s2 = span("Kratom can cause liver injury [1].")
    units.append(
        Claim(
            index=2,
            text=text[s2[0] : s2[1]],
            start=s2[0],
            end=s2[1],
            labels=["safety"],
            sourcing="citation",
            sourcing_evidence={
                "kind": "link",
                "text": "[1]",
                "start": s2[1] - 4,
                "end": s2[1] - 1,
                "url": "https://example.org/study",
            },
        )
    )
    flags = [
        Flag(
            "unsourced_claim",
            "high",
            "Dosing claim with no source.",
            0,
            "kratom",
            {"text": units[1].text, "start": s0[0], "end": s0[1]},
        ),
        Flag(
            "vague_attribution",
            "medium",
            "Vague attribution ('studies suggest').",
            1,
            None,
            {"text": units[2].text, "cue": {"kind": "attr_vague", "text": "studies suggest"}},
        ),
        Flag(
            "missing_regulatory_context",
            "high",
            "Kratom is dosed here but ...",
            0,
            "kratom",
            {"claims": [0, 1], "text": units[1].text, "facts": FACTS},
        ),
    ]
    return ArticleResult(
        id="synthetic-1",
        source="mem",
        text=text,
        units=units,
        flags=flags,
        score=61.2,
        grade="D",
        breakdown={"unsourced_claim": 4.5, "missing_regulatory_context": 37.5},
        sourcing_grade=1,
        meta={"title": "Kratom guide", "genre": "seo"},
    )


HOSTILE_MD = """# Miracle <script>alert(1)</script> cure

Take 500 mg of kratom daily <img src=x onerror=alert(1)> for pain, as [this study](javascript:alert(1)) shows.

[click](javascript:alert(1)) <iframe src="javascript:alert(2)"></iframe> <a href="javascript:alert(3)">x</a>

<script>document.title='PWNED'</script> It's believed kratom may cure anxiety. " onmouseover="alert(4)
"""


def hostile_result() -> ArticleResult:
    """A hand-built result whose every text field carries a payload."""
    text = (
        "<script>alert(1)</script> Take 3 g daily.\n<img src=x onerror=alert(1)> It works, "
        '[click](javascript:alert(1)).\n"><svg onload=alert(5)>'
    )
    s0 = (text.index("<script>"), text.index("daily.") + 6)
    s1 = (text.index("<img"), text.index("(1)).") + 5)
    units = [
        Claim(
            index=0,
            text=text[s0[0] : s0[1]],
            start=s0[0],
            end=s0[1],
            labels=["dosing"],
            cues=[Cue("HEDGE", "<script>", s0[0], s0[0] + 8)],
        ),
        Claim(
            index=1,
            text=text[s1[0] : s1[1]],
            start=s1[0],
            end=s1[1],
            labels=["efficacy"],
            sourcing="citation",
            sourcing_evidence={
                "kind": "link",
                "text": "click",
                "start": text.index("click"),
                "end": text.index("click") + 5,
                "url": "javascript:alert(1)",
            },
        ),
    ]
    flags = [
        Flag(
            "unsourced_claim<script>",
            'high" onclick="alert(6)',
            "<script>alert('msg')</script>",
            0,
            "<b>kratom</b>",
            {
                "text": "<img src=x onerror=alert(7)>",
                "url": "javascript:alert(8)",
                "cue": {"kind": "<i>", "text": "<script>x</script>"},
                "facts": {**FACTS, "name": "<script>alert('facts')</script>"},
            },
        )
    ]
    return ArticleResult(
        id="<script>alert('id')</script>\"'><img src=x onerror=alert(9)>",
        source="javascript:alert(1)",
        text=text,
        units=units,
        flags=flags,
        score=50.0,
        grade="<b>C</b>",
        meta={"title": "</title><script>alert('title')</script>"},
    )


@pytest.fixture(scope="module")
def report_checker():
    import pipeline
    from pipeline.errors import ModelLoadError

    try:
        return pipeline.load()
    except ModelLoadError:  # no trained model installed: the rendering does not depend on which model labels
        return pipeline.load("rules")


@pytest.fixture(scope="module")
def kratom_result(report_checker, samples_dir):
    return report_checker.check(
        (samples_dir / "kratom_guide.txt").read_text(encoding="utf-8"), id="kratom_guide"
    )


# --------------------------------------------------------------------------- one article
def _check_highlights(result: ArticleResult, html: str, prefix: str = "") -> Dom:
    dom = Dom(html)
    marks = dom.find("mark", cls="cc-claim")
    marks = [m for m in marks if "id" in m["attrs"]]  # the legend's marks have no id
    assert len(marks) == result.n_claims > 0
    by_id = {m["attrs"]["id"]: m for m in marks}
    for c in result.claims:
        m = by_id[f"{prefix}claim-{c.index}"]
        assert m["text"] == result.text[c.start : c.end] == c.text
        assert f"cc-t-{primary_type(c)}" in m["attrs"]["class"].split()
    # every claim is followed by its sourcing badge, in document order
    badges = [
        el
        for el in dom.find(cls="cc-badge")
        if any("cc-text" in p["attrs"].get("class", "") for p in el["parents"])
    ]
    assert [b["text"] for b in badges] == [c.sourcing for c in result.claims]
    # the article text survives intact (line breaks included) once badges and flag markers are set aside
    assert len(dom.find(cls="cc-text")) == 1
    assert "".join(dom.article_text) == result.text
    for c in result.claims:  # and each mark sits at its claim's offsets
        m = by_id[f"{prefix}claim-{c.index}"]
        assert (m["pos0"], m["pos1"]) == (c.start, c.end)
    return dom


def test_synthetic_claims_highlighted_in_place():
    r = make_result()
    html = article_html(r)
    dom = _check_highlights(r, html)
    assert html.startswith("<!DOCTYPE html>")
    # types: primary background, secondary layer
    m1 = dom.find("mark", id="claim-1")[0]
    assert {"cc-t-efficacy", "cc-also-safety", "cc-flagged"} <= set(m1["attrs"]["class"].split())
    assert "cc-t-dosing" in dom.find("mark", id="claim-0")[0]["attrs"]["class"]
    # hedge cue underlined inside its claim, vague attribution dotted, dose outlined: at their offsets
    may, vague, dose = (r.text.index(w) for w in ("may", "studies suggest", "2 grams"))
    assert dom.covered("cc-hedge") == set(range(may, may + 3))
    assert [h["text"] for h in dom.find(cls="cc-hedge")] == ["hedge cue", "may"]  # legend, then the claim
    assert dom.covered("cc-attr-vague") == set(range(vague, vague + len("studies suggest")))
    assert dom.covered("cc-dose") == set(range(dose, dose + len("2 grams")))
    assert dom.covered("cc-claim") == {i for c in r.claims for i in range(c.start, c.end)}
    # heading bold, non-claim plain (not marked)
    assert [el["text"] for el in dom.find("strong", cls="cc-heading")] == ["Kratom guide"]
    assert [el["text"] for el in dom.find(cls="cc-plain")] == ["Some sentence that is not a claim."]
    # a citation link becomes a badge link
    assert dom.find("a", cls="cc-src-citation")[0]["attrs"]["href"] == "https://example.org/study"


def test_real_article_claims_and_hedges(kratom_result):
    r = kratom_result
    html = article_html(r)
    dom = _check_highlights(r, html)
    want = {
        i
        for c in r.claims
        for q in c.cues
        if q.label == "HEDGE"
        for i in range(max(q.start, c.start), min(q.end, c.end))
    }
    assert want, "the kratom guide has hedged claims ('may', 'It's believed')"
    assert dom.covered("cc-hedge") == want
    doses = {
        i for c in r.claims for d in c.doses for i in range(max(d["start"], c.start), min(d["end"], c.end))
    }
    assert dom.covered("cc-dose") == doses
    assert dom.find("strong", cls="cc-heading")
    assert_inert(html)


def test_flags_link_to_claims_and_show_facts():
    r = make_result()
    dom = Dom(article_html(r))
    items = dom.find("li", cls="cc-flag")
    assert len(items) == len(r.flags)
    # high severity first; within it, article-level (regulatory) flags first
    assert [i["attrs"]["id"] for i in items] == ["flag-2", "flag-0", "flag-1"]
    ids = {el["attrs"]["id"] for el in dom.elements if "id" in el["attrs"]}
    for k, f in enumerate(r.flags):
        li = dom.find("li", id=f"flag-{k}")[0]
        assert f.message in li["text"] and f.severity in li["text"] and f.code in li["text"]
        links = [a["attrs"]["href"] for a in dom.find("a") if any(p is li for p in a["parents"])]
        assert f"#claim-{f.claim_index}" in links
        assert f"claim-{f.claim_index}" in ids
        # and the claim links back to its flags
        assert dom.find("a", cls="cc-flagref", href=f"#flag-{k}")
    reg = dom.find("li", id="flag-2")[0]
    assert "No FDA-approved medical use." in reg["text"] and "Drug of concern <b>bold?</b>" in reg["text"]
    assert "dependence" in reg["text"] and "liver injury" in reg["text"]
    hrefs = [a["attrs"]["href"] for a in dom.find("a") if any(p is reg for p in a["parents"])]
    assert "https://www.fda.gov/kratom" in hrefs and "https://www.nccih.nih.gov/health/kratom" in hrefs
    assert not any("javascript" in h or h.startswith("data:") for h in hrefs)
    assert (
        "Evil reference" in reg["text"] and "javascript:alert('ref')" not in reg["text"]
    )  # title shown as text
    # score, grade and breakdown at the top
    head = dom.find(cls="cc-head")[0]
    assert "61.2" in head["text"] and "D" in dom.find(cls="cc-grade")[0]["text"]
    assert "missing_regulatory_context" in dom.find(cls="cc-head")[1]["text"]
    assert dom.find(cls="cc-legend")


def test_hostile_result_renders_inert():
    r = hostile_result()
    for html in (article_html(r), article_html(r, standalone=False)):
        dom = assert_inert(html)
        assert "<script>alert(1)</script>" in dom.find(cls="cc-text")[0]["text"]  # shown as text
        assert "&lt;script&gt;alert(&#x27;msg&#x27;)&lt;/script&gt;" in html  # the flag message
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "javascript:alert(8)" in html  # the evidence URL is shown, as text only
        assert 'onclick="' not in html
    dom = Dom(article_html(r))
    assert dom.find("title")[0]["text"].startswith("claimcheck: </title><script>")


def test_hostile_article_through_pipeline_renders_inert(report_checker):
    r = report_checker.check(HOSTILE_MD, id="hostile", fmt="markdown")
    assert r.error is None and r.n_claims >= 1
    for html in (article_html(r), article_html(r, standalone=False)):
        dom = assert_inert(html)
        text = dom.find(cls="cc-text")[0]["text"]
        assert "<script>alert(1)</script>" in text
        assert "<img src=x onerror=alert(1)>" in text
        assert "<script>document.title='PWNED'</script>" in text
        assert not [a for a in dom.find("a") if "javascript" in a["attrs"].get("href", "").lower()]


def test_safe_url():
    assert safe_url("https://example.org/x?a=1&b=2") == "https://example.org/x?a=1&b=2"
    assert safe_url(" HTTP://EXAMPLE.ORG ") == "HTTP://EXAMPLE.ORG"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:x",
        "data:text/html,x",
        "//evil.org",
        "vbscript:x",
        "/relative",
        "https://",
        "https://ex ample.org",
        "https://a.org/\nx",
        None,
        3,
        "java\tscript:alert(1)",
    ):
        assert safe_url(bad) is None, bad


def test_fragment_for_jupyter():
    r = make_result()
    a, b = r._repr_html_(), article_html(r, standalone=False)
    assert a.startswith('<div class="cc-report">') and "<html" not in a and "<body" not in a
    assert "<script" not in a
    dom_a, dom_b = Dom(a), Dom(b)
    ids_a = {el["attrs"]["id"] for el in dom_a.elements if "id" in el["attrs"]}
    ids_b = {el["attrs"]["id"] for el in dom_b.elements if "id" in el["attrs"]}
    assert ids_a and not ids_a & ids_b  # two results shown in one notebook do not share anchors
    prefix = next(i for i in ids_a if i.endswith("claim-0"))[: -len("claim-0")]
    _check_highlights(r, a, prefix)
    for link in dom_a.find("a"):
        href = link["attrs"]["href"]
        if href.startswith("#"):
            assert href[1:] in ids_a
    # CSS is scoped under the report's root class
    css = a[a.index("<style>") + 7 : a.index("</style>")]
    rules = [r.strip() for r in css.split("}") if "{" in r and not r.strip().startswith("@")]
    for rule in rules:
        for sel in rule.split("{")[0].split(","):
            assert sel.strip().startswith(".cc-report"), sel


def test_error_result():
    r = ArticleResult(
        id="broken<1>", source="x.txt", error={"code": "decode_error", "message": "looks <binary>"}
    )
    dom = assert_inert(article_html(r))
    err = dom.find(cls="cc-error")[0]["text"]
    assert "decode_error" in err and "looks <binary>" in err


def test_report_imports_no_stage_module():
    code = (
        "import sys, pipeline.report; "
        "print(sorted(m for m in sys.modules if m.startswith(('pipeline', 'spacy', 'sklearn'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert eval(out) == ["pipeline", "pipeline.report", "pipeline.schema"]  # noqa: S307 - our own output


# --------------------------------------------------------------------------- many articles
def test_index_is_sortable_table():
    rows = [
        index_row(make_result(), href="a.html"),
        index_row(hostile_result(), href="b.html"),
        index_row(
            ArticleResult(id="bad", error={"code": "decode_error", "message": "binary"}), href="c.html"
        ),
    ]
    html = index_html(rows)
    dom = assert_inert(html, allow_scripts=1)
    (table,) = dom.find("table", cls="cc-sortable")
    heads = [th["text"] for th in dom.find("th")]
    assert heads[:3] == ["id", "title", "score"]
    assert {"unsourced claim", "missing regulatory context", "unsourced claim<script>"} <= set(heads)
    body_rows = [tr for tr in dom.find("tr") if any(p["tag"] == "tbody" for p in tr["parents"])]
    assert len(body_rows) == 3
    assert [a["attrs"]["href"] for a in dom.find("a")] == ["a.html", "b.html", "c.html"]
    assert "cc-row-error" in body_rows[2]["attrs"].get("class", "")
    assert "decode_error: binary" in body_rows[2]["text"]
    script = dom.find("script")[0]["text"]
    assert "addEventListener('click'" in script and "sort(" in script
    # numeric cells carry a sort key
    scores = [
        td["attrs"].get("data-sort") for td in dom.find("td", cls="cc-num") if td["text"] in ("61.2", "50.0")
    ]
    assert scores == ["61.2", "50.0"]


def test_page_names_safe_and_unique():
    used = {"index.html"}
    names = [
        page_name(i, used) for i in ("a", "a", "../../etc/passwd", "x/y", "index", "INDEX", "A", "", "é")
    ]
    assert len(set(n.lower() for n in names)) == len(names)
    for n in names:
        assert n.endswith(".html") and "/" not in n and "\\" not in n and not n.startswith(".")
        assert n.lower() != "index.html"


def test_write_html_report(tmp_path):
    results = [
        make_result(),
        hostile_result(),
        make_result(),
        ArticleResult(id="../escape", error={"code": "x", "message": "y"}),
    ]
    gen = (r for r in results)  # any iterable, consumed once
    index = write_html_report(gen, tmp_path / "html")
    files = sorted(p for p in (tmp_path / "html").iterdir() if not p.name.startswith("."))
    assert index == tmp_path / "html" / "index.html" and index in files
    assert len(files) == len(results) + 1
    assert not list(tmp_path.glob("*.html"))  # nothing escaped the folder
    dom = Dom(index.read_text(encoding="utf-8"))
    hrefs = [a["attrs"]["href"] for a in dom.find("a")]
    assert len(hrefs) == len(results)
    for href in hrefs:
        page = (index.parent / href).resolve()
        assert page.parent == index.parent.resolve() and page.exists()
        assert_inert(page.read_text(encoding="utf-8"))
    assert Dom(files[0].read_text(encoding="utf-8")).find("a", href="index.html")  # pages link back


def test_html_report_writer_streams(tmp_path):
    w = HtmlReportWriter(tmp_path)
    p = w.add(make_result())
    assert p.exists() and not (tmp_path / "index.html").exists()
    assert not hasattr(w, "results")
    assert w.rows == [index_row(make_result(), href=p.name)]
    assert w.close() == tmp_path / "index.html"
    assert w.close() == tmp_path / "index.html"  # idempotent
    with pytest.raises(ValueError):
        w.add(make_result())
    assert json.dumps(w.rows)  # rows are plain data


def test_writer_survives_a_result_that_cannot_render(tmp_path):
    bad = make_result()
    bad.units[1].cues = [None]  # not a Cue
    with HtmlReportWriter(tmp_path) as w:
        w.add(bad)
        w.add(make_result())
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) == 3
    assert w.rows[0]["error"].startswith("render_error: AttributeError") and w.rows[1]["error"] is None
    assert "render_error" in (tmp_path / w.rows[0]["href"]).read_text(encoding="utf-8")


def test_batch_and_frames():
    b = ResultBatch([make_result(), hostile_result()])
    html = b._repr_html_()
    assert html == batch_html(list(b))
    dom = assert_inert(html)
    assert len([tr for tr in dom.find("tr") if any(p["tag"] == "tbody" for p in tr["parents"])]) == 2
    assert len(b.to_frame("claims")) == 5 and len(b.to_frame("flags")) == 4
    arts = b.to_frame("articles")
    assert list(arts["id"]) == [b[0].id, b[1].id]
    with pytest.raises(ValueError):
        b.to_frame("nope")
    assert isinstance(b, list) and len(b) == 2


def test_written_sample_pages(tmp_path, report_checker, samples_dir):
    from pipeline.ingest import iter_articles

    paths = [
        p
        for p in sorted(samples_dir.iterdir())
        if p.suffix in {".txt", ".md", ".html"} and p.name != "README.md"
    ]
    results = list(report_checker.check_articles(iter_articles(paths)))
    index = write_html_report(results, tmp_path)
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) == len(results) + 1
    for r in results:
        page = tmp_path / f"{r.id}.html"
        html = page.read_text(encoding="utf-8")
        _check_highlights(r, html)
        assert_inert(html)
    assert len(Dom(index.read_text(encoding="utf-8")).find("tr")) == len(results) + 1


def test_article_without_text_lists_units():
    r = make_result()
    r.text = ""
    dom = assert_inert(article_html(r))
    assert "Take 2 grams of kratom daily." in dom.find(cls="cc-text")[0]["text"]


def test_cue_offsets_out_of_range_are_clipped():
    r = make_result()
    r.units[1].cues.append(Cue("HEDGE", "x", -50, 10_000))
    r.units[2].cues.append(Cue("HEDGE", "y", 10_000, 10_010))
    dom = _check_highlights(r, article_html(r))
    may = r.text.index("may")
    assert dom.covered("cc-hedge") == set(range(r.units[1].start, r.units[1].end)) | {may, may + 1, may + 2}


def test_writer_resume_keeps_earlier_rows_and_replaces_a_rescored_one(tmp_path):
    first, second = make_result(), hostile_result()
    with HtmlReportWriter(tmp_path) as w:
        w.add(first)
    with (tmp_path / HtmlReportWriter.ROWS_FILE).open("a", encoding="utf-8") as fh:
        fh.write('{"id": "torn')  # killed mid-line
    with HtmlReportWriter(tmp_path, resume=True) as w:
        w.add(second)
        w.add(first)  # scored again after a kill: same page, one row
    assert [r["id"] for r in w.rows] == [first.id, second.id]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count(f'href="{w.rows[0]["href"]}"') == 1 and w.rows[1]["href"] in index
    with HtmlReportWriter(tmp_path) as w:  # a fresh run starts a fresh index
        w.add(second)
    assert [r["id"] for r in w.rows] == [second.id]
