"""HTML reports in a real browser (headless Chromium): hostile content stays inert, pages render.

Chromium is looked for at /usr/bin/chromium (or on PATH). When it is missing it is installed with
apt-get once per session, but only as root with CI or CLAIMCHECK_INSTALL_BROWSER set; otherwise the
tests skip."""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from pipeline.report import article_html, write_html_report
from pipeline.schema import ArticleResult, Claim, Cue, Flag

pytestmark = pytest.mark.browser

TIMEOUT = 60
# if this ran, the title would become PWNED; as text it does not contain the marker itself
HOSTILE_TITLE = "</title><script>document.title=['PW','NED'].join('')</script>"
PAYLOADS = [
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "<svg onload=\"document.title='PWNED'\"></svg>",
    "<iframe srcdoc=\"<script>parent.document.title='PWNED'</script>\"></iframe>",
]


def _find_chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _find_chromium()
    if path:
        return path
    allowed = os.environ.get("CI") or os.environ.get("CLAIMCHECK_INSTALL_BROWSER")
    if not allowed or not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(
            "headless Chromium not found at /usr/bin/chromium; install it (apt-get install -y chromium) "
            "or run as root with CI=1 or CLAIMCHECK_INSTALL_BROWSER=1 to let the tests install it"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update"], check=True, capture_output=True, timeout=600, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
            check=True,
            capture_output=True,
            timeout=900,
            env=env,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"could not install chromium with apt-get: {exc}")
    path = _find_chromium()
    if not path:
        pytest.skip("apt-get install chromium did not provide a chromium binary")
    return path


def run_chromium(binary: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile}",
        *args,
    ]
    try:
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env={**os.environ, "HOME": str(tmp)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish within {TIMEOUT} s: {' '.join(cmd)}")


def dump_dom(binary: str, page: Path, tmp: Path) -> str:
    # --virtual-time-budget lets timers and image error events fire before the DOM is dumped
    proc = run_chromium(binary, tmp, "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri())
    assert proc.returncode == 0 and "<html" in proc.stdout, proc.stderr[-2000:]
    return proc.stdout


def title_of(dom: str) -> str:
    m = re.search(r"<title>(.*?)</title>", dom, re.S)
    return htmllib.unescape(m.group(1)) if m else ""


def hostile_result() -> ArticleResult:
    text = (
        "Hostile article\n\n"
        + "\n".join(f"Take 2 grams of kratom daily {p} for pain." for p in PAYLOADS)
        + "\n[click](javascript:document.title='PWNED')"
    )
    units, start = [], 0
    for k, line in enumerate(text.split("\n")):
        if line:
            units.append(
                Claim(
                    index=k,
                    text=line,
                    start=start,
                    end=start + len(line),
                    labels=["dosing"],
                    cues=[Cue("HEDGE", line[:4], start, start + 4)],
                    sourcing="citation",
                    sourcing_evidence={
                        "kind": "link",
                        "text": line[:4],
                        "start": start,
                        "end": start + 4,
                        "url": "javascript:document.title='PWNED'",
                    },
                )
            )
        start += len(line) + 1
    flags = [
        Flag(
            "unsourced_claim",
            "high",
            PAYLOADS[0],
            2,
            PAYLOADS[1],
            {
                "text": PAYLOADS[2],
                "url": "javascript:document.title='PWNED'",
                "facts": {
                    "name": PAYLOADS[0],
                    "references": [{"url": "javascript:document.title='PWNED'", "title": PAYLOADS[1]}],
                },
            },
        )
    ]
    return ArticleResult(
        id="hostile-" + PAYLOADS[0],
        text=text,
        units=units,
        flags=flags,
        score=10.0,
        grade="A",
        meta={"title": HOSTILE_TITLE},
    )


def normal_result() -> ArticleResult:
    paras = [
        ("Magnesium for sleep: what the evidence says", "heading", []),
        ("Magnesium may help some adults fall asleep faster, a 2021 review found.", "sentence", ["efficacy"]),
        ("Most studies used 250 to 500 mg of magnesium a day.", "sentence", ["dosing"]),
        (
            "High doses from supplements can cause diarrhoea and are unsafe with kidney disease.",
            "sentence",
            ["safety"],
        ),
        (
            "The NIH sets an upper limit of 350 mg a day from supplements for adults.",
            "sentence",
            ["dosing", "safety"],
        ),
        ("This article is for information only.", "sentence", []),
    ] * 6
    text, units, pos, n = "", [], 0, 0
    for sent, kind, labels in paras:
        is_claim = bool(labels)
        cues = (
            [Cue("HEDGE", "may", pos + sent.index("may"), pos + sent.index("may") + 3)]
            if " may " in sent
            else []
        )
        units.append(
            Claim(
                index=n if is_claim else -1,
                text=sent,
                start=pos,
                end=pos + len(sent),
                kind=kind,
                is_claim=is_claim,
                labels=labels,
                hedging=bool(cues),
                cues=cues,
                sourcing=("citation", "named", "vague", "none")[n % 4] if is_claim else "none",
            )
        )
        n += is_claim
        text += sent + "\n\n"
        pos = len(text)
    flags = [
        Flag(
            "unsourced_claim", "high", "Dosing claim with no source.", 1, "magnesium", {"text": units[2].text}
        ),
        Flag(
            "missing_regulatory_context",
            "medium",
            "Status not stated.",
            0,
            "magnesium",
            {
                "facts": {
                    "name": "Magnesium",
                    "status": [
                        {
                            "jurisdiction": "US",
                            "regulator": "FDA",
                            "status": "dietary_supplement",
                            "detail": "Sold as a dietary supplement.",
                            "source": "https://ods.od.nih.gov/",
                        }
                    ],
                    "concerns": ["gastrointestinal"],
                    "references": [{"url": "https://ods.od.nih.gov/", "title": "NIH ODS"}],
                }
            },
        ),
    ]
    return ArticleResult(
        id="magnesium",
        text=text,
        units=units,
        flags=flags,
        score=42.0,
        grade="C",
        breakdown={"unsourced_claim": 4.5},
        sourcing_grade=2,
        meta={"title": "Magnesium"},
    )


def test_control_unescaped_payload_does_run(chromium, tmp_path):
    """The harness can see a payload run: the same payload written raw does change the title."""
    page = tmp_path / "control.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>safe</title></head><body>{PAYLOADS[1]}</body></html>",
        encoding="utf-8",
    )
    assert title_of(dump_dom(chromium, page, tmp_path)) == "PWNED"


def test_hostile_article_is_inert_in_browser(chromium, tmp_path):
    r = hostile_result()
    index = write_html_report([r], tmp_path / "html")
    (page,) = [p for p in index.parent.iterdir() if p.name != "index.html" and not p.name.startswith(".")]
    for path, expected in ((page, f"claimcheck: {HOSTILE_TITLE}"), (index, "claimcheck report")):
        dom = dump_dom(chromium, path, tmp_path)
        title = title_of(dom)
        assert "PWNED" not in title and title == expected, title
        assert not re.search(r"<(script|img|svg|iframe)\b[^>]*PWNED", dom)
    dom = dump_dom(chromium, page, tmp_path)
    # every payload is on the page as text, escaped
    for p in PAYLOADS:
        assert htmllib.escape(p, quote=False) in dom, p
    assert not re.search(r"href=\"\s*javascript:", dom, re.I)


def test_fragment_is_inert_in_browser(chromium, tmp_path):
    page = tmp_path / "fragment.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>notebook</title></head><body>"
        + article_html(hostile_result(), standalone=False)
        + "</body></html>",
        encoding="utf-8",
    )
    assert title_of(dump_dom(chromium, page, tmp_path)) == "notebook"


def _png_size_and_rows(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_screenshot_of_report(chromium, tmp_path):
    index = write_html_report([normal_result()], tmp_path / "html")
    page = index.parent / "magnesium.html"
    shot = tmp_path / "shot.png"
    proc = run_chromium(
        chromium,
        tmp_path,
        "--hide-scrollbars",
        f"--screenshot={shot}",
        "--window-size=1200,900",
        page.resolve().as_uri(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 5_000
    data = shot.read_bytes()
    width, height, raw = _png_size_and_rows(data)
    assert (width, height) == (1200, 900)
    try:
        from matplotlib.image import imread
    except ImportError:  # stdlib only: many distinct byte values in the decoded image
        assert len(set(raw)) > 32
    else:
        img = imread(shot)
        colours = {tuple(px) for px in (img[::7, ::7, :3] * 255).astype(int).reshape(-1, 3).tolist()}
        assert len(colours) > 20  # text, highlight colours, badges: not a blank page
        # the highlight colours of the claim types are on screen
        for rgb in ((0xFF, 0xD9, 0x66), (0xA9, 0xD8, 0xFF), (0xFF, 0xB3, 0xB3)):
            assert rgb in colours, rgb
