"""delib's own pages in `delib serve`, fetched over HTTP from the real command serving real sample
PDFs: the home page over the deliberations, a deliberation beside its page images with every value
boxed where it is printed (checked against pdfplumber's own character boxes), the séances, the
charts, `?_search=` on Datasette's tables, and links from query results."""
from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import urllib.parse

import pytest

pytest.importorskip("datasette")

from tests.serve_fixtures import site  # noqa: E402,F401  (the shared server fixture)

DB = "deliberations"  # the database's name in URLs: the file's stem


def text_of(page: str) -> str:
    """The page's text, tags dropped, entities decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def boxes(page: str) -> dict[str, list[tuple[float, float, float, float]]]:
    """The highlight boxes of a deliberation page: key -> (left, top, width, height) in % of the page."""
    found: dict[str, list[tuple[float, float, float, float]]] = {}
    for key, style in re.findall(r'<span class="hl [^"]*" data-key="([^"]+)" style="([^"]+)"', page):
        values = dict(re.findall(r"(left|top|width|height):([0-9.\-]+)%", style))
        found.setdefault(key, []).append(tuple(float(values[k]) for k in ("left", "top", "width", "height")))
    return found


def fact_rows(page: str, prefix: str) -> dict[str, str]:
    """Fact rows of a section (key prefix 'amount', 'budget'...): key -> the row's text."""
    rows = re.findall(rf'<(?:tr|li) class="fact[^"]*" data-key="({prefix}-[0-9]+)">(.*?)</(?:tr|li)>', page, re.S)
    return {key: text_of(body) for key, body in rows}


# -- the home page ------------------------------------------------------------------------------------

def test_serve_home_starts_from_the_deliberations_with_search_and_facets(site):
    status, page = site.get("/")
    assert status == 200
    assert '<input type="search" name="q"' in page
    for facet in ("authority", "year", "body", "vote"):
        assert f'data-facet="{facet}"' in page
    text = text_of(page)
    assert "Commune de Thoiry" in text and "Commune de Reignier-Ésery" in text
    assert "Attribution des subventions aux associations pour l'année 2021" in text
    count = sqlite3.connect(site.db).execute("SELECT COUNT(*) FROM deliberations").fetchone()[0]
    assert f"{count} deliberations" in text


def test_serve_home_search_finds_plural_words_and_shows_a_snippet(site):
    # "subvention" is a prefix: it finds the Thoiry deliberation, whose text says "subventions".
    _, page = site.get("/?q=subvention")
    text = text_of(page)
    assert "Attribution des subventions aux associations pour l'année 2021" in text
    assert "Cession d'un délaissé de voirie" not in text
    assert "«" in text  # the snippet marks the words found


def test_serve_home_facet_narrows_the_list_and_can_be_removed(site):
    _, page = site.get("/?year=2018")
    text = text_of(page)
    assert "1 deliberation ·" in text and "year = 2018" in text
    assert "Cession d'un délaissé de voirie" in text
    assert "Attribution des subventions" not in text
    assert 'href="/"' in page  # removing the only filter leads back home


def test_serve_home_vote_facet_counts_unanimous_and_breakdown(site):
    _, page = site.get("/?vote=unanimous")
    text = text_of(page)
    conn = sqlite3.connect(site.db)
    unanimous = conn.execute("SELECT COUNT(*) FROM deliberations WHERE unanimous = 1").fetchone()[0]
    assert f"{unanimous} deliberation" in text
    assert "unanimité" in text and "pour, " not in text


@pytest.mark.parametrize("typed", ["zzzqqq NOT (", "-- ( *"])
def test_serve_home_says_when_nothing_matches(site, typed):
    _, page = site.get("/?q=" + urllib.parse.quote(typed))
    assert "No deliberation matches" in text_of(page) and "0 deliberations matching" in text_of(page)


def test_serve_home_search_reaches_the_rest_of_the_database(site):
    _, page = site.get("/?q=DUCRET")
    text = text_of(page)
    assert "Elsewhere in the database" in text and "People listed in attendance" in text
    assert "Hélène DUCRET" in text
    # Hélène Ducret is listed once here: the link leads to that deliberation.
    did, _, _ = site.deliberation("commune_subventions_associations")
    assert re.search(rf'<li><a href="/-/deliberation/{did}">Hélène DUCRET</a>', page)


# -- a deliberation beside its pages ------------------------------------------------------------------

def test_serve_deliberation_page_shows_its_facts(site):
    did, extraction, pdf = site.deliberation("commune_subventions_associations")
    status, page = site.get(f"/-/deliberation/{did}")
    assert status == 200
    text = text_of(page)
    d = extraction.deliberations[0]
    assert d.title in text and d.number in text and d.authority in text
    for amount in d.amounts:
        assert amount.text in text
    assert "Subventions de fonctionnement aux associations" in text  # 6574's label
    for decision in d.decisions:
        assert decision.verb in text
    assert "14 pour, 2 contre, 1 abstentions" in text
    assert str(pdf) in text


def test_serve_deliberation_page_boxes_every_amount_where_pdfplumber_prints_it(site):
    import pdfplumber

    did, extraction, pdf = site.deliberation("commune_subventions_associations")
    _, page = site.get(f"/-/deliberation/{did}")
    found = boxes(page)
    amounts = fact_rows(page, "amount")
    assert len(amounts) == len(extraction.deliberations[0].amounts)
    with pdfplumber.open(pdf) as doc:
        for key, row in amounts.items():
            printed, number = row.split(" €")[0] + " €", int(row.split()[-1])
            assert key in found, f"{printed} is not boxed"
            plumber_page = doc.pages[number - 1]
            # pdfplumber's own search, free about spaces and line breaks (16 000 at a line's end, € below)
            hits = plumber_page.search(r"\s*".join(re.escape(w) for w in printed.split()), regex=True)
            assert hits, printed
            # The centre of each of our boxes falls inside one of pdfplumber's boxes for the text.
            for left, top, width, height in found[key]:
                x = (left + width / 2) / 100 * plumber_page.width
                y = (top + height / 2) / 100 * plumber_page.height
                assert any(h["x0"] <= x <= h["x1"] and h["top"] <= y <= h["bottom"] for h in hits), (printed, x, y)


def test_serve_deliberation_page_boxes_counts_next_to_their_words(site):
    did, _, _ = site.deliberation("commune_subventions_associations")
    _, page = site.get(f"/-/deliberation/{did}")
    found = boxes(page)
    # "Membres en exercice : 19 – Présents : 14 – Représentés : 3 – Votants : 17", one line:
    # each count boxed once, left to right in the order printed.
    lefts = [found[k][0][0] for k in ("in_office", "present", "represented", "voters")]
    assert all(len(found[k]) == 1 for k in ("in_office", "present", "represented", "voters"))
    assert lefts == sorted(lefts)
    tops = {round(found[k][0][1], 1) for k in ("in_office", "present", "represented", "voters")}
    assert len(tops) == 1


def test_serve_deliberation_page_shows_the_page_images(site):
    did, extraction, _ = site.deliberation("commune_subventions_associations")
    _, page = site.get(f"/-/deliberation/{did}")
    sources = re.findall(r'<img src="(/-/page/[0-9]+/[0-9]+\.png)"', page)
    assert len(sources) == len(extraction.deliberations[0].pages)
    status, content_type, png = site.get_bytes(sources[0])
    assert status == 200 and content_type == "image/png" and png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.width == 900 and 1.35 < image.height / image.width < 1.45  # an A4 page


def test_serve_deliberation_page_of_a_scan_boxes_what_tesseract_reads(site):
    import shutil

    did, extraction, _ = site.deliberation("seed_genevois_cs2021-15_scan")
    _, page = site.get(f"/-/deliberation/{did}")
    assert "a scan read by OCR" in text_of(page)
    assert boxes(page) == {}  # a scan's boxes come later, from its own address: the page does not wait
    if not shutil.which("tesseract"):
        pytest.skip("no tesseract: a scan's values cannot be boxed")
    assert f'data-boxes="/-/deliberation/{did}/boxes/1.json"' in page
    _, body = site.get(f"/-/deliberation/{did}/boxes/1.json")
    data = json.loads(body)
    assert data["words"] is True
    found: dict[str, list[dict]] = {}
    for box in data["boxes"]:
        found.setdefault(box["key"], []).append(box)
    assert {"number", "in_office", "present", "represented", "session_date"} <= set(found)
    # The margin prints "en Exercice : 44", "Présents : 31", "Pouvoirs : 4" one under the other.
    tops = [found[k][0]["top"] for k in ("in_office", "present", "represented")]
    assert tops == sorted(tops) and all(len(found[k]) == 1 for k in ("in_office", "present", "represented"))
    d = extraction.deliberations[0]
    assert (d.counts.in_office, d.counts.present, d.counts.represented) == (44, 31, 4)


def test_serve_deliberation_page_links_references_and_the_seance(site):
    did, extraction, _ = site.deliberation("commune_subventions_associations")
    _, page = site.get(f"/-/deliberation/{did}")
    refs = fact_rows(page, "reference")
    assert refs and all(ref.startswith("n° ") for ref in refs.values())
    assert f'href="/{DB}/deliberations_citing?number=2021-012"' in page
    assert "/-/seance?authority=Commune+de+Thoiry" in page


@pytest.mark.parametrize("path", ["/-/deliberation/999999", "/-/page/999999/1.png", "/-/page/1/99.png",
                                  "/-/deliberation/1/boxes/99.json"])
def test_serve_unknown_deliberation_or_page_is_not_found(site, path):
    status, _ = site.get(path)
    assert status == 404


# -- séances ------------------------------------------------------------------------------------------

def test_serve_seance_page_lists_items_votes_and_attendance(site):
    _, page = site.get("/-/seance?" + urllib.parse.urlencode(
        {"authority": "Commune de Thoiry", "body": "Conseil municipal", "date": "2021-04-15"}))
    text = text_of(page)
    assert "Séance of 2021-04-15" in text
    assert "Attribution des subventions aux associations pour l'année 2021" in text
    assert "14 pour, 2 contre, 1 abstentions" in text
    assert "Hélène DUCRET" in text and "represented" in text
    assert "No séances yet" not in text  # delib's databases have the v_seances view


def test_serve_seances_lists_the_meetings(site):
    _, page = site.get("/-/seances")
    text = text_of(page)
    assert "No séances yet" not in text  # read from the v_seances view
    assert "2021-04-15" in text and "2018-05-17" in text
    # each séance links to its page, named by authority, body and date
    assert "/-/seance?authority=Commune+de+Thoiry&amp;body=Conseil+municipal&amp;date=2021-04-15" in page


# -- Datasette's own pages -------------------------------------------------------------------------------

@pytest.mark.parametrize("table, key", [("deliberations", "id"), ("v_deliberations", "deliberation_id")])
def test_serve_search_on_the_deliberations_tables(site, table, key):
    _, body = site.get(f"/{DB}/{table}.json?_search=subvention&_shape=array")
    rows = json.loads(body)
    conn = sqlite3.connect(site.db)
    expected = {r[0] for r in conn.execute(
        "SELECT rowid FROM deliberations_fts WHERE deliberations_fts MATCH '\"subvention\"*'")}
    assert expected and {r[key] for r in rows} == expected


def test_serve_search_with_operators_is_plain_words(site):
    # A stray quote and a parenthesis would be FTS5 syntax errors: here they are ignored.
    status, body = site.get(f"/{DB}/deliberations.json?_search=" + urllib.parse.quote('"voirie (') + "&_shape=array")
    assert status == 200
    rows = json.loads(body)
    assert rows and all("voirie" in (r["text"] or "").lower() for r in rows)


def test_serve_table_cells_are_cut_in_lists(site):
    _, page = site.get(f"/{DB}/deliberations")
    cells = re.findall(r'<td class="col-text[^"]*">(.*?)</td>', page, re.S)
    assert cells and all(len(html.unescape(c).strip()) <= 101 for c in cells)
    _, row = site.get(f"/{DB}/deliberations/1")
    assert len(text_of(row)) > 2000  # the row's own page keeps the whole text


def test_serve_query_results_link_to_the_deliberation(site):
    _, page = site.get(f"/{DB}/attendance_of_a_person?name=DUCRET")
    assert re.search(r'<td class="col-deliberation_id[^"]*"><a href="/-/deliberation/[0-9]+">[0-9]+</a>', page)
    sql = urllib.parse.quote("select id as deliberation_id, title from deliberations limit 3")
    _, page = site.get(f"/{DB}?sql={sql}")
    assert len(re.findall(r'href="/-/deliberation/[0-9]+"', page)) == 3


def test_serve_table_titles_link_to_the_deliberation_page(site):
    _, page = site.get(f"/{DB}/v_deliberations")
    assert re.search(r'<td class="col-title[^"]*"><a href="/-/deliberation/[0-9]+">', page)


# -- charts -------------------------------------------------------------------------------------------

def test_serve_charts_page_has_every_chart(site):
    from pipeline.publish.serve import dashboard

    status, page = site.get("/-/dashboards/delib")
    assert status == 200
    with sqlite3.connect(site.db) as conn:  # the charts follow the columns the database has
        beneficiary = "beneficiary" in {r[1] for r in conn.execute("PRAGMA table_info(amounts)")}
    for chart in dashboard(DB, beneficiary)["charts"].values():
        if "title" in chart:
            assert html.escape(chart["title"], quote=False) in page or chart["title"] in text_of(page)


@pytest.mark.parametrize("beneficiary", [False, True])
def test_serve_chart_queries_run_on_a_real_database(site, beneficiary, tmp_path):
    from pipeline.publish.serve import dashboard

    conn = sqlite3.connect(site.db)
    if beneficiary:  # the column the grants work adds: the chart must work with it too
        copy = tmp_path / "copy.db"
        conn.execute(f"VACUUM INTO '{copy}'")
        conn = sqlite3.connect(copy)
        if "beneficiary" not in {r[1] for r in conn.execute("PRAGMA table_info(amounts)")}:
            conn.execute("ALTER TABLE amounts ADD COLUMN beneficiary TEXT")
    for name, chart in dashboard(DB, beneficiary)["charts"].items():
        if "query" not in chart:
            continue
        for authority in (None, "Commune de Thoiry"):
            sql = re.sub(r"\[\[(.*?)\]\]", r"\1" if authority else "", chart["query"])
            rows = conn.execute(sql, {"authority": authority} if authority else {}).fetchall()
            assert rows is not None, name
    total = conn.execute(re.sub(r"\[\[.*?\]\]", "", dashboard(DB)["charts"]["total"]["query"])).fetchone()[0]
    assert total == conn.execute("SELECT COUNT(*) FROM deliberations").fetchone()[0]


def test_serve_database_page_points_to_the_useful_views(site):
    _, page = site.get(f"/{DB}")
    assert f'<a href="/{DB}/v_deliberations">v_deliberations</a>' in page
    assert '<a href="/">the deliberations</a>' in page and '<a href="/-/seances">the séances</a>' in page


@pytest.mark.parametrize("linked", [True, False])
def test_serve_seances_come_from_the_seances_table_once_it_exists(site, tmp_path, linked):
    """A database with a `seances` table (minutes split into séances): its rows are listed and each
    has a page with its deliberations (by `deliberations.seance_id` when there is one, else by its
    authority, body and date)."""
    import asyncio

    from pipeline.publish.serve import build_metadata, inspect, make_datasette

    db = tmp_path / "seances.db"
    sqlite3.connect(site.db).execute(f"VACUUM INTO '{db}'")
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE seances (id INTEGER PRIMARY KEY, authority TEXT, body TEXT, date TEXT, place TEXT)")
    conn.execute("INSERT INTO seances VALUES (7, 'Commune de Thoiry', 'Conseil municipal', '2021-04-15', "
                 "'salle du conseil municipal')")
    if linked:
        conn.execute("ALTER TABLE deliberations ADD COLUMN seance_id INTEGER")
        conn.execute("UPDATE deliberations SET seance_id = 7 WHERE authority = 'Commune de Thoiry'")
    conn.commit()
    conn.close()
    relations, beneficiary = inspect(db, read_only=True)
    ds = make_datasette(db, build_metadata(db.stem, relations=relations, beneficiary=beneficiary), read_only=True)

    async def get(path: str):
        response = await ds.client.get(path)
        return response.status_code, response.text

    status, listing = asyncio.run(get("/-/seances"))
    assert status == 200 and "No séances yet" not in listing
    assert '<a href="/-/seance/7">7</a>' in listing
    status, page = asyncio.run(get("/-/seance/7"))
    text = text_of(page)
    assert status == 200 and "Séance of 2021-04-15" in text and "salle du conseil municipal" in text
    assert "Attribution des subventions aux associations pour l'année 2021" in text
    assert "Hélène DUCRET" in text
    assert asyncio.run(get("/-/seance/8"))[0] == 404
