"""PostgreSQL as the archive database: every command works on a server, and gives what SQLite gives.

Needs a PostgreSQL server where the test user may CREATE DATABASE: by default
postgresql://postgres@127.0.0.1:5432/postgres, else $DELIB_TEST_POSTGRES. Each test module makes
its own database (delib_test_<pid>_<random>) and drops it. Without a server, the tests are skipped.

The samples are imported once into SQLite and once into PostgreSQL through the command line; the
two archives must hold the same deliberations, field for field, and answer searches alike.
"""
from __future__ import annotations

import csv
import json
import os
import secrets
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import dialect
from models.schema import (
    Amount, Attendance, BudgetArticle, Decision, Deliberation, DeliberationReference, Document,
    DocumentPath, Person,
)
from models.search import open_search, search
from models.store import open_store
from pipeline.cli import main
from tests.conftest import SAMPLES

psycopg = pytest.importorskip("psycopg")

SERVER = os.environ.get("DELIB_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
HOW = ("PostgreSQL tests need a server where this user may create databases: start one on "
       "127.0.0.1:5432 (user postgres, trust auth) or set DELIB_TEST_POSTGRES=postgresql://USER@HOST:PORT/postgres")
FAST = ["--workers", "2", "--no-entities", "--ocr", "never", "--quiet"]
# Born-digital samples (the scanned ones need OCR: the same code path, minutes slower).
PDFS = sorted(SAMPLES.glob("*.pdf"))


def _server_or_skip() -> str:
    try:
        psycopg.connect(SERVER, connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"{HOW} ({str(exc).splitlines()[0]})")
    return SERVER


class Server:
    """Makes and drops databases on the test server, each with a unique name."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.made: list[str] = []

    def _admin(self):
        return psycopg.connect(self.url, autocommit=True)

    def database(self) -> str:
        name = f"delib_test_{os.getpid()}_{secrets.token_hex(4)}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    made = Server(_server_or_skip())
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def archives(server, tmp_path_factory) -> dict[str, str]:
    """The same files imported by `delib import` into SQLite and into PostgreSQL: the samples,
    and a corrupt PDF that must be recorded as a failure."""
    folder = tmp_path_factory.mktemp("pdfs")
    for pdf in PDFS:
        (folder / pdf.name).symlink_to(pdf)
    (folder / "corrupt.pdf").write_bytes(PDFS[0].read_bytes()[:2000])
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'archive.db'}",
            "postgresql": server.database()}
    for url in urls.values():
        assert main(["import", str(folder), "--db", url, *FAST]) == 1  # 1: the corrupt file failed
    urls["folder"] = str(folder)
    return urls


# -- the same archive, field for field --------------------------------------------------------

def _archive(url: str) -> dict[str, object]:
    """Everything extracted, keyed by file and position instead of ids (which are the database's)."""
    with open_store(url) as store, store.engine.connect() as conn:
        path_of = dict(conn.execute(select(DocumentPath.document_id, DocumentPath.path)
                                    .where(DocumentPath.is_current.is_(True))).all())
        key_of: dict[int, tuple[str, int]] = {}
        delibs: dict[tuple[str, int], dict] = {}
        skip = {"id", "document_id"}
        for row in conn.execute(select(Deliberation)).mappings():
            key = (path_of[row["document_id"]], row["position"])
            key_of[row["id"]] = key
            delibs[key] = {k: v for k, v in row.items() if k not in skip}
        person = dict(conn.execute(select(Person.id, Person.normalized_name)).all())
        children: dict[str, dict] = {}

        def rows(table, owner: str, drop: set[str], refs: dict[str, dict] = {}) -> dict:
            found: dict = {}
            for row in conn.execute(select(table).order_by(table.id)).mappings():
                values = {k: (refs[k].get(v) if k in refs else v) for k, v in row.items()
                          if k not in drop | {"id", owner}}
                found.setdefault(key_of[row[owner]], []).append(values)
            return found

        person_refs = {"person_id": person, "substitute_for_person_id": person, "proxy_to_person_id": person}
        children["amounts"] = rows(Amount, "deliberation_id", set())
        children["attendance"] = rows(Attendance, "deliberation_id", set(), person_refs)
        children["decisions"] = rows(Decision, "deliberation_id", set())
        children["budget_articles"] = rows(BudgetArticle, "deliberation_id", set())
        children["references"] = rows(DeliberationReference, "citing_deliberation_id", set(),
                                      {"cited_deliberation_id": key_of})
        documents = {path_of[row["id"]]: {k: v for k, v in row.items() if k not in ("id", "imported_at")}
                     for row in conn.execute(select(Document)).mappings() if row["id"] in path_of}
        pages = {}
        # The view `pages`: each page's text joined again from its parts (slices of deliberations).
        for row in conn.execute(text("SELECT * FROM pages ORDER BY document_id, page_number")).mappings():
            pages.setdefault(path_of.get(row["document_id"]), []).append(
                {k: v for k, v in row.items() if k not in ("id", "document_id")})
    return {"deliberations": delibs, "documents": documents, "pages": pages, **children}


def test_postgres_import_gives_the_same_deliberations_as_sqlite_field_for_field(archives):
    lite, pg = _archive(archives["sqlite"]), _archive(archives["postgresql"])
    assert len(lite["deliberations"]) >= len(PDFS)  # every sample gave at least one deliberation
    for part in lite:
        assert set(pg[part]) == set(lite[part]), part
        for key in lite[part]:
            assert pg[part][key] == lite[part][key], (part, key)


def test_postgres_scanned_document_gives_the_same_rows_as_sqlite(server, tmp_path):
    """OCR'd pages: their text and confidence (floats) come back from either database unchanged."""
    scan = SAMPLES / "scanned" / "ville_montpellier_2014_accuse_scan.pdf"
    urls = [f"sqlite:///{tmp_path / 'scan.db'}", server.database()]
    for url in urls:
        assert main(["import", str(scan), "--db", url, "--workers", "1", "--no-entities", "--quiet"]) == 0
    lite, pg = (_archive(url) for url in urls)
    assert any(page["ocr"] and page["ocr_confidence"] for page in lite["pages"][str(scan)])
    assert pg == lite


def test_postgres_amounts_are_exact_numerics_and_dates_are_dates(archives):
    """420 million euros is 42 billion cents: more than a 32-bit integer holds."""
    with open_store(archives["postgresql"]) as store, store.engine.connect() as conn:
        types = dict(conn.execute(text(
            "SELECT table_name || '.' || column_name, data_type || coalesce('(' || numeric_precision || ','"
            " || numeric_scale || ')', '') FROM information_schema.columns WHERE table_name IN "
            "('amounts', 'deliberations') AND column_name IN ('value', 'value_cents', 'session_date')")).all())
        biggest = conn.execute(select(Amount.value, Amount.value_cents).order_by(Amount.value_cents.desc())).first()
        when = conn.scalar(select(Deliberation.session_date).where(Deliberation.session_date.is_not(None)))
    assert types["amounts.value"] == "numeric(18,2)"
    assert types["amounts.value_cents"].startswith("bigint")
    assert types["deliberations.session_date"] == "date"
    assert biggest.value == Decimal("420000000.00") and biggest.value_cents == 42_000_000_000
    assert isinstance(when, date)


# -- search ------------------------------------------------------------------------------------

def _found(url: str, words: str, **filters) -> set[tuple]:
    with open_search(url) as source:
        return {(h.path, h.number, h.title) for h in search(source, words, limit=100, **filters)}


@pytest.mark.parametrize("words", ["deliberation", "eclairage", "Eclairage public", "subvention",
                                   '"eclairage public"', "ordures menageres", "voirie"])
def test_postgres_search_without_accents_finds_what_sqlite_finds(archives, words):
    lite = _found(archives["sqlite"], words)
    assert lite, f"the samples should hold {words!r}"
    assert _found(archives["postgresql"], words) == lite


@pytest.mark.parametrize("filters", [{"authority": "gex"}, {"date_from": date(2021, 1, 1)},
                                     {"date_to": date(2015, 1, 1)}, {"min_amount": 10000},
                                     {"article": "65"}])
def test_postgres_search_filters_narrow_as_on_sqlite(archives, filters):
    for words in ("", "conseil"):
        assert _found(archives["postgresql"], words, **filters) == _found(archives["sqlite"], words, **filters)


def test_postgres_search_marks_the_words_and_ranks_the_title_first(archives):
    with open_search(archives["postgresql"]) as source:
        hits = search(source, "eclairage", limit=5)
    assert hits and all("«" in h.snippet and "»" in h.snippet for h in hits)
    assert "clairage" in (hits[0].title or "").lower()  # a title match ranks before a text match
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


@pytest.mark.parametrize("words", ["NOT OR (", "\"", "-", "l'eau*", "art:*", "a & b | !c"])
def test_postgres_search_any_text_is_safe_to_type(archives, words):
    with open_search(archives["postgresql"]) as source:
        search(source, words, limit=5)  # no syntax error, whatever was typed


def test_postgres_search_cli_reads_delib_db_from_the_environment(archives, monkeypatch, capsys):
    monkeypatch.setenv("DELIB_DB", archives["postgresql"])
    assert main(["search", "eclairage", "--format", "json"]) == 0
    shown = {(r["number"], r["title"]) for r in json.loads(capsys.readouterr().out)}
    assert shown == {(n or "", t or "") for _, n, t in _found(archives["sqlite"], "eclairage")}
    assert main(["search", "zzzyxwv"]) == 1


# -- the other commands, on the server ------------------------------------------------------------

def test_postgres_search_of_a_database_delib_did_not_make_says_so(server, capsys):
    other = server.database()  # empty: no deliberations, no text search configuration
    assert main(["search", "budget", "--db", other]) == 2
    err = capsys.readouterr().err
    assert err.startswith("delib: cannot open the database ") and "this is not a delib database" in err
    assert "Traceback" not in err


def test_postgres_failures_lists_the_corrupt_file(archives, capsys):
    assert main(["failures", "--json", "--db", archives["postgresql"]]) == 0
    failed = json.loads(capsys.readouterr().out)
    assert [Path(f["path"]).name for f in failed] == ["corrupt.pdf"]


def test_postgres_runs_lists_the_import(archives, capsys):
    assert main(["runs", "--json", "--db", archives["postgresql"]]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert runs[-1]["status"] == "failures" and runs[-1]["failed"] == 1
    assert runs[-1]["imported"] == len(_archive(archives["postgresql"])["documents"])


def test_postgres_retry_reads_the_still_failing_file_again(archives, capsys):
    assert main(["retry", "--db", archives["postgresql"], *FAST]) == 1
    assert "corrupt.pdf" in capsys.readouterr().err


def test_postgres_check_records_findings(archives, capsys):
    assert main(["check", "--all", "--json", "--db", archives["postgresql"]]) == 0
    pg = json.loads(capsys.readouterr().out)
    assert main(["check", "--all", "--json", "--db", archives["sqlite"]]) == 0
    lite = json.loads(capsys.readouterr().out)
    assert pg["checked"] == lite["checked"] > 0
    assert pg["counts"] == lite["counts"]


def _read_export(folder: Path, fmt: str) -> dict[str, list[dict]]:
    tables = {}
    for file in sorted(folder.glob(f"*.{fmt}")):
        with file.open(encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream)) if fmt == "csv" else [json.loads(line) for line in stream]
        tables[file.stem] = rows
    return tables


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_postgres_export_writes_what_sqlite_exports(archives, tmp_path, fmt):
    for name in ("sqlite", "postgresql"):
        assert main(["export", "--format", fmt, "-o", str(tmp_path / name), "--db", archives[name]]) == 0
    lite, pg = _read_export(tmp_path / "sqlite", fmt), _read_export(tmp_path / "postgresql", fmt)
    assert set(pg) == set(lite) and "deliberations" in pg
    for table in lite:
        assert len(pg[table]) == len(lite[table]), table
    money = sorted(r["value"] for r in pg["amounts"])
    assert money == sorted(r["value"] for r in lite["amounts"]) and "420000000.00" in money


def test_postgres_scdl_export_is_the_same_file_as_sqlite(archives, tmp_path):
    for name in ("sqlite", "postgresql"):
        assert main(["export", "--format", "scdl", "-o", str(tmp_path / f"{name}.csv"), "--db", archives[name]]) in (0, 1)
    assert (tmp_path / "postgresql.csv").read_text(encoding="utf-8") == (tmp_path / "sqlite.csv").read_text(encoding="utf-8")


def test_postgres_views_answer_as_on_sqlite(archives):
    from models.views import VIEW_NAMES

    answers = {}
    for name in ("sqlite", "postgresql"):
        with open_store(archives[name]) as store, store.engine.connect() as conn:
            answers[name] = {view: conn.scalar(text(f"SELECT count(*) FROM {view}")) for view in VIEW_NAMES}
            answers[name]["years"] = sorted(conn.execute(text(
                "SELECT DISTINCT year FROM v_deliberations WHERE year IS NOT NULL")).scalars())
            answers[name]["unanimous"] = conn.scalar(text("SELECT sum(unanimous) FROM v_seances"))
    assert answers["postgresql"] == answers["sqlite"]
    assert answers["sqlite"]["v_deliberations"] > 0 and answers["sqlite"]["years"]


def test_postgres_reextract_keeps_ids_and_rows(archives, capsys):
    before = _archive(archives["postgresql"])
    with open_store(archives["postgresql"]) as store, store.engine.connect() as conn:
        ids = conn.execute(select(Deliberation.id).order_by(Deliberation.id)).scalars().all()
    assert main(["reextract", "--all", "--db", archives["postgresql"], *FAST]) == 0
    with open_store(archives["postgresql"]) as store, store.engine.connect() as conn:
        assert conn.execute(select(Deliberation.id).order_by(Deliberation.id)).scalars().all() == ids
    assert _archive(archives["postgresql"])["deliberations"] == before["deliberations"]


def test_postgres_authority_settings_are_stored_on_the_server(archives, capsys):
    url = archives["postgresql"]
    assert main(["authority", "set", "Commune de Thoiry", "--siret", "210 104 193 00013", "--db", url]) == 0
    capsys.readouterr()
    assert main(["authority", "list", "--json", "--db", url]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert [(a["name"], a["siret"]) for a in stored] == [("Commune de Thoiry", "21010419300013")]


def test_postgres_serve_says_it_needs_sqlite(archives, capsys):
    assert main(["serve", "--db", archives["postgresql"]]) == 2
    err = capsys.readouterr().err
    assert "SQLite" in err and "Traceback" not in err


# -- the import lock: across machines, on the server ---------------------------------------------

def test_postgres_second_import_while_one_holds_the_lock_exits_3(server, capsys):
    from pipeline.batch.importer import import_lock

    url = server.database()
    with import_lock(url):  # its own connection: another machine, as far as the server knows
        assert main(["import", str(PDFS[0]), "--db", url, *FAST]) == 3
        assert "already running" in capsys.readouterr().err
        assert main(["runs", "--json", "--db", url]) == 0
    assert main(["import", str(PDFS[0]), "--db", url, *FAST]) == 0


def test_postgres_lock_is_released_when_its_connection_ends(server):
    from pipeline.batch.importer import AlreadyRunning, import_lock

    url = server.database()
    lock = import_lock(url)
    lock.__enter__()
    with pytest.raises(AlreadyRunning, match="delib import, pid"):
        with import_lock(url):
            pass
    lock._conn.invalidate()  # the holder dies without releasing (kill -9, lost network)
    lock._close()
    with import_lock(url):
        pass


# -- readers and the writer ------------------------------------------------------------------------

def test_postgres_search_works_while_a_write_transaction_is_open(server):
    from tests.store_fixtures import CLUSES_MARCH_2020

    url = server.database()
    with open_store(url) as store:
        store.save(CLUSES_MARCH_2020, path="/archive/a.pdf", size_bytes=1, mtime=1.0, extractor_version="t")
    writer = psycopg.connect(url)
    try:
        writer.execute("UPDATE deliberations SET title = 'Réfection du gymnase' WHERE number = '2020-016'")
        with open_search(url) as source:  # the update is not committed: readers neither wait nor see it
            assert [h.number for h in search(source, "voirie")] == ["2020-016"]
            assert search(source, "gymnase") == []
        writer.commit()
        with open_search(url) as source:
            assert [h.number for h in search(source, "gymnase")] == ["2020-016"]
    finally:
        writer.close()


def test_postgres_readers_see_each_document_as_soon_as_the_import_commits_it(server):
    """Searched while `delib import` runs in another process: a partial archive, never an error."""
    import subprocess
    import sys
    import time

    url = server.database()
    # Every sample, one worker: on a busy machine ten documents could all be written between two
    # looks, and the partial archive would never be seen.
    files = [str(p) for p in PDFS]
    with open_store(url):
        pass  # the schema exists before the import starts
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "import", *files, "--db", url,
                             *FAST[2:], "--workers", "1"])
    seen: list[int] = []  # deliberations found while the import held its lock
    try:
        while proc.poll() is None:
            with open_search(url) as source:
                running = dialect.import_lock_held(source.engine)
                found = len(search(source, "", limit=1000))
            if running:
                seen.append(found)
            time.sleep(0.05)
    finally:
        proc.wait(timeout=600)
    assert proc.returncode == 0
    with open_search(url) as source:
        total = len(search(source, "", limit=1000))
    assert any(0 < n < total for n in seen), (seen, total)


# -- the database itself ---------------------------------------------------------------------------

def test_postgres_plain_url_uses_psycopg_3(server):
    url = server.database()
    assert dialect.engine_url(url).startswith("postgresql+psycopg://")
    assert dialect.engine_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert dialect.engine_url("postgresql+psycopg2://u@h/d") == "postgresql+psycopg2://u@h/d"  # asked for
    with open_store(url) as store:
        assert store.engine.driver == "psycopg"


def test_postgres_full_text_setup_is_idempotent_and_folds_accents(server):
    url = server.database()
    with open_store(url) as store:
        for _ in range(2):
            with dialect.write_transaction(store.engine) as conn:
                dialect.create_fts(conn)
        with store.engine.connect() as conn:
            extensions = conn.execute(text("SELECT extname FROM pg_extension")).scalars().all()
            words, stems = conn.execute(text("SELECT to_tsvector('delib_words', 'Délibérations ÉCLAIRAGE')::text, "
                                             "to_tsvector('delib_fr', 'Délibérations ÉCLAIRAGE')::text")).one()
    assert "unaccent" in extensions
    assert (words, stems) == ("'deliberations':1 'eclairage':2", "'deliber':1 'eclairag':2")


def test_postgres_text_with_a_nul_character_is_stored_without_it(server):
    from dataclasses import replace

    from tests.store_fixtures import CLUSES_MARCH_2020

    url = server.database()
    first = CLUSES_MARCH_2020.deliberations[0]
    broken = replace(CLUSES_MARCH_2020, deliberations=(replace(first, title="Sub\x00ventions"),))
    with open_store(url) as store:
        store.save(broken, path="/archive/nul.pdf", size_bytes=1, mtime=1.0, extractor_version="t")
        with store.engine.connect() as conn:
            assert conn.scalar(select(Deliberation.title)) == "Subventions"


def test_postgres_a_database_that_does_not_exist_is_a_one_line_error(server, capsys):
    url = server.url.rpartition("/")[0] + f"/delib_absent_{secrets.token_hex(4)}"
    assert main(["search", "x", "--db", url]) == 2
    assert main(["failures", "--db", url]) == 2
    assert main(["import", str(PDFS[0]), "--db", url, *FAST]) == 2  # the lock's connection says it first
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
