"""`delib serve` in a real browser: real sample PDFs imported and served by the real command
(tests/serve_fixtures.py), headless Chromium (Debian's `chromium`, installed by scripts/setup.sh)
runs each page's scripts, and we read the DOM it built and look at its screenshot.

Screenshots are written to the test's temporary folder (printed with -s), or to the folder named by
$DELIB_SCREENSHOTS (say /tmp/delib-screenshots) to keep them; never to the repository.
Skipped, with the reason, where no Chromium is installed; the rest of the suite still runs.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

pytest.importorskip("datasette")

from tests.serve_fixtures import site  # noqa: E402,F401  (the shared server fixture)

# How Chromium runs on a closed machine, as root or not.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--virtual-time-budget=8000")
WINDOW = (1280, 2000)
BROWSER_TIMEOUT = 40  # seconds for one Chromium run


@pytest.fixture(scope="module")
def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no chromium binary on PATH (scripts/setup.sh installs Debian's chromium)")
    return found


def run_chromium(browser: str, work: Path, *args: str, window: tuple[int, int] = WINDOW) -> subprocess.CompletedProcess:
    profiles = work / "profiles"
    profiles.mkdir(exist_ok=True)
    profile = Path(subprocess.check_output(["mktemp", "-d", "-p", str(profiles)], text=True).strip())
    try:
        return subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={window[0]},{window[1]}", *args],
            capture_output=True, timeout=BROWSER_TIMEOUT, cwd=work,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"chromium took more than {BROWSER_TIMEOUT}s: {exc.stderr!r}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def dom(browser: str, site, path: str) -> str:
    done = run_chromium(browser, site.work, "--dump-dom", site.base + path)
    page = done.stdout.decode("utf-8", errors="replace")
    assert done.returncode == 0 and "</html>" in page, done.stderr.decode(errors="replace")[-2000:]
    return page


def screenshot(browser: str, site, path: str, name: str, window: tuple[int, int] = WINDOW):
    """The page as Chromium draws it, saved under the test's temporary folder; an RGB image."""
    from PIL import Image

    folder = Path(os.environ.get("DELIB_SCREENSHOTS") or site.work / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{name}.png"
    done = run_chromium(browser, site.work, f"--screenshot={out}", site.base + path, window=window)
    assert done.returncode == 0 and out.exists(), done.stderr.decode(errors="replace")[-2000:]
    print(f"screenshot: {out}")
    with Image.open(out) as image:
        assert image.size == window
        return image.convert("RGB")


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", page, flags=re.S))).split())


def share(image, test) -> float:
    """The share of the image's pixels for which test(r, g, b) holds."""
    data = image.tobytes()
    pixels = len(data) // 3
    return sum(1 for i in range(0, len(data), 3) if test(data[i], data[i + 1], data[i + 2])) / pixels


def drawn_text(image) -> bool:
    dark = share(image, lambda r, g, b: r + g + b < 300)
    return 0.002 < dark < 0.5


# -- Datasette's row page -------------------------------------------------------------------------------

def test_serve_browser_renders_a_deliberation_row(browser, site):
    did, extraction, pdf = site.deliberation("commune_subventions_associations")
    deliberation = extraction.deliberations[0]
    page = dom(browser, site, f"/deliberations/deliberations/{did}")
    assert deliberation.title in text(page) and deliberation.number in text(page)
    # serve.py's render_cell: the pages beside the file they are in, in its own span.
    pages = ", ".join(str(p) for p in deliberation.pages)
    label = "pages" if len(deliberation.pages) > 1 else "page"
    sources = [html.unescape(s) for s in re.findall(r'<span class="delib-source">(.*?)</span>', page, re.S)]
    assert sources == [f"{label} {pages} of {pdf}"]


# -- delib's pages --------------------------------------------------------------------------------------

def test_serve_browser_home_page(browser, site):
    page = dom(browser, site, "/")
    facets = re.findall(r'data-facet="([a-z]+)"', page)
    assert facets == ["authority", "year", "body", "vote"]
    results = re.findall(r'<article class="delib-result">', page)
    assert len(results) == sum(len(e.deliberations) for _, e, _ in site.imported.values())
    image = screenshot(browser, site, "/", "home", window=(1280, 1000))
    assert drawn_text(image)


def test_serve_browser_home_search(browser, site):
    page = dom(browser, site, "/?q=" + urllib.parse.quote("emprunt voirie"))
    titles = re.findall(r'<h2><a href="/-/deliberation/[0-9]+">(.*?)</a></h2>', page)
    assert [html.unescape(t) for t in titles] == ["Voirie intercommunale – Financement du programme 2017 – Contrat de prêt"]
    screenshot(browser, site, "/?q=emprunt+voirie", "home-search", window=(1280, 800))


def test_serve_browser_deliberation_beside_its_pages(browser, site):
    did, extraction, _ = site.deliberation("commune_subventions_associations")
    page = dom(browser, site, f"/-/deliberation/{did}")
    deliberation = extraction.deliberations[0]
    # Every amount is listed, boxed on the page image, and its row is "marked" (found).
    for i, amount in enumerate(deliberation.amounts):
        assert re.search(rf'<tr class="fact marked" data-key="amount-{i}"><td>{re.escape(amount.text)}</td>', page), amount.text
        assert f'data-key="amount-{i}"' in page.split('class="delib-pages"', 1)[1]
    images = re.findall(r'<img src="(/-/page/[0-9]+/[0-9]+\.png)"', page)
    assert len(images) == len(deliberation.pages)

    image = screenshot(browser, site, f"/-/deliberation/{did}", "deliberation")
    assert drawn_text(image)
    # The amounts' red boxes and the counts' orange ones are drawn over the page image.
    red = share(image, lambda r, g, b: r > 170 and g < 90 and b < 110)
    orange = share(image, lambda r, g, b: r > 200 and 100 < g < 160 and b < 80)
    assert red > 0.0005 and orange > 0.0001, (red, orange)


def test_serve_browser_deliberation_of_a_scan(browser, site):
    did, _, _ = site.deliberation("seed_genevois_cs2021-15_scan")
    if not shutil.which("tesseract"):
        pytest.skip("no tesseract: a scan's values cannot be boxed")
    site.get(f"/-/deliberation/{did}/boxes/1.json")  # Tesseract reads the page once; the server keeps it
    page = dom(browser, site, f"/-/deliberation/{did}")
    assert "a scan read by OCR" in text(page)
    # The page's script fetched the boxes of page 1 and drew them over the image.
    boxed = re.search(r'<figure class="delib-page" data-page="1" data-boxes="[^"]+" data-boxed="([0-9]+)"', page)
    assert boxed and int(boxed.group(1)) > 10, page[:0]
    assert re.search(r'<span class="hl hl-present" data-key="present"', page)
    # The boxes are drawn once the page's script has fetched them: on a loaded machine headless
    # Chromium may take its picture first (the page then says "reading the page..."), so the
    # picture is taken again, a few times at most; the DOM above already proved them drawn.
    for _ in range(3):
        image = screenshot(browser, site, f"/-/deliberation/{did}", "deliberation-scan", window=(1280, 1200))
        orange = share(image, lambda r, g, b: r > 200 and 100 < g < 160 and b < 80)
        if orange > 0.00005:
            break
    assert drawn_text(image) and orange > 0.00005, orange


def test_serve_browser_seance_page(browser, site):
    query = urllib.parse.urlencode({"authority": "Commune de Thoiry", "body": "Conseil municipal", "date": "2021-04-15"})
    page = dom(browser, site, f"/-/seance?{query}")
    assert "Séance of 2021-04-15" in text(page)
    rows = re.findall(r'<tr class="status-(present|represented|excused|absent)">', page)
    assert rows.count("present") == 14 and rows.count("represented") == 3
    screenshot(browser, site, f"/-/seance?{query}", "seance", window=(1280, 1000))


def test_serve_browser_charts_are_drawn(browser, site):
    page = dom(browser, site, "/-/dashboards/delib")
    # vega-embed replaced each chart's placeholder by a drawing (canvas or SVG).
    drawings = len(re.findall(r"<canvas|<svg[^>]*class=\"marks\"", page))
    assert drawings >= 5, drawings
    image = screenshot(browser, site, "/-/dashboards/delib", "charts", window=(1280, 1800))
    # Vega's default bar colour (#4c78a8) fills the bars.
    bars = share(image, lambda r, g, b: abs(r - 76) < 12 and abs(g - 120) < 12 and abs(b - 168) < 12)
    assert bars > 0.002, bars


def test_serve_browser_search_on_the_deliberations_table(browser, site):
    page = dom(browser, site, "/deliberations/deliberations?_search=subvention")
    assert re.search(r"[0-9]+ rows? where search matches", text(page))
    # The column descriptions fold away (static/delib.js): the rows come first.
    assert '<details class="delib-columns-help">' in page
    screenshot(browser, site, "/deliberations/deliberations?_search=subvention", "table-search", window=(1280, 1200))
