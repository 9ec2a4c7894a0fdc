"""`delib serve` in a real browser: import a few sample PDFs, start the server on a free loopback
port, and let headless Chromium (Debian's `chromium`, installed by scripts/setup.sh) render a
deliberation's page: the DOM it built must show the title, the number and the source file with its
pages, and its screenshot must be a real picture of a page.

Skipped, with the reason, where no Chromium is installed; the rest of the suite still runs.
"""
from __future__ import annotations

import html
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("datasette")

from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("commune_subventions_associations", "commune_cession_terrain", "sivom_voirie_emprunt")
# `delib serve`, as the installed console script runs it, without depending on .venv/bin/delib.
LAUNCH = "import sys\nfrom pipeline.cli import main\nsys.exit(main(sys.argv[1:]))\n"
# How Chromium runs on a closed machine, as root or not (see the module docstring).
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")
WINDOW = (1280, 2000)
BROWSER_TIMEOUT = 20  # seconds for one Chromium run


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no chromium binary on PATH (scripts/setup.sh installs Debian's chromium)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A database of three real samples, served by `delib serve`; yields (base URL, the first
    deliberation as extracted, the PDF it was read from)."""
    from models.store import open_store

    browser = chromium()  # skip before the imports and the server when there is no browser
    work = tmp_path_factory.mktemp("serve_browser")
    db = work / "deliberations.db"  # Datasette names the database after the file: /deliberations/...
    first = None
    with open_store(f"sqlite:///{db}") as store:
        for name in SAMPLES:
            pdf = ROOT / "samples" / f"{name}.pdf"
            extraction = extract_document(pdf, ExtractOptions(entities=False))
            store.save(extraction, path=str(pdf), size_bytes=pdf.stat().st_size, mtime=pdf.stat().st_mtime,
                       extractor_version=EXTRACTOR_VERSION)
            if first is None:
                first = (extraction.deliberations[0], pdf)

    port = free_port()
    log_path = work / "server.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"delib serve did not start: {log_path.read_text(errors='replace')}")
                time.sleep(0.2)
        yield browser, base, work, first
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def run_chromium(browser: str, work: Path, profile: str, *args: str) -> subprocess.CompletedProcess:
    profile_dir = work / profile  # a new, empty profile for every run
    profile_dir.mkdir()
    try:
        return subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}",
             f"--window-size={WINDOW[0]},{WINDOW[1]}", *args],
            capture_output=True, timeout=BROWSER_TIMEOUT, cwd=work,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"chromium took more than {BROWSER_TIMEOUT}s: {exc.stderr!r}")


def test_serve_browser_renders_a_deliberation_page(site):
    browser, base, work, (deliberation, pdf) = site
    url = f"{base}/deliberations/deliberations/1"
    done = run_chromium(browser, work, "profile-dom", "--dump-dom", url)
    dom = done.stdout.decode("utf-8", errors="replace")
    assert done.returncode == 0 and "</html>" in dom, done.stderr.decode(errors="replace")[-2000:]

    text = html.unescape(dom)
    assert deliberation.title in text
    assert deliberation.number in text
    # serve.py's render_cell: the pages beside the file they are in, in its own span.
    pages = ", ".join(str(p) for p in deliberation.pages)
    label = "pages" if len(deliberation.pages) > 1 else "page"
    sources = [html.unescape(s) for s in re.findall(r'<span class="delib-source">(.*?)</span>', dom, re.S)]
    assert sources == [f"{label} {pages} of {pdf}"]


def test_serve_browser_screenshot_of_a_deliberation_page(site):
    from PIL import Image

    browser, base, work, _ = site
    out = work / "deliberation.png"
    done = run_chromium(browser, work, "profile-shot", f"--screenshot={out}",
                        f"{base}/deliberations/deliberations/1")
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert out.exists()
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a blank page of this size compresses to a few kB
    with Image.open(out) as image:
        assert image.size == WINDOW
        grey = image.convert("L")
        # Text was drawn: a fair number of dark pixels, and not everything is dark.
        histogram = grey.histogram()
        dark, total = sum(histogram[:100]), WINDOW[0] * WINDOW[1]
        assert 1_000 < dark < total // 2, (dark, total)
