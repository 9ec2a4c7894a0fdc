"""Archive-scale figures: build a database of N deliberations and time search, check, export.

    python bench/scale.py --n 100000                      # build /work/scale/scale-100000.db, measure
    python bench/scale.py --n 1000000 --dir /tmp/scale    # 1M (about 10-20 GB of disk)
    python bench/scale.py --n 100000 --reuse              # measure an existing build again
    python bench/scale.py --n 100000 --keep               # keep the database afterwards
    python bench/scale.py --n 1000000 --multiply 50       # 20,000 built, copied 50 times in SQL:
                                                          # minutes instead of hours (search only)
    python bench/scale.py --n 100000 --reuse --keep \
        --postgres postgresql://postgres@127.0.0.1:5432/delib_scale   # the same rows on PostgreSQL
                                                          # (copied once: --reuse measures again)
    python bench/scale.py --n 1000000 --multiply 10 --reuse --keep \
        --postgres postgresql://postgres@127.0.0.1:5432/delib_scale_1m \
        --postgres-from postgresql://postgres@127.0.0.1:5432/delib_scale_100k
                                                          # the million made from the 100,000 in
                                                          # PostgreSQL itself (minutes, not an hour)

How the database is built (streamed, bounded memory):
1. a template: the samples (samples/*.pdf) imported by `delib import` with the code being
   measured (NER on), cached as DIR/template.db;
2. a fresh database created by `open_store` (so the schema, indexes and FTS are the current ones);
3. the template's documents copied again and again, straight through sqlite3, until N
   deliberations: every table the template holds is copied generically (foreign keys remapped
   from `PRAGMA foreign_key_list`), with, per copy, one of 3,000 authorities (persons belong to
   their authority), dates shifted, a new sha256 and path, and the free text varied: words from
   a Zipf-distributed synthetic vocabulary of 200,000 words are sprinkled in, so that the index
   holds frequent, medium and rare words as a real archive does. Rows go in through the
   database's own triggers (the FTS index follows as it would on import).

With `--multiply K`, steps 1-3 build N/K deliberations and `replicate` copies the documents,
their paths and deliberations K-1 more times in SQL (the FTS triggers index them in C): the
words' shares, authorities and dates stay those of the full build, but the texts repeat, and the
other tables (attendance, amounts, pages...) hold the first copy only, so only the search figures
mean the same; the mix's rare word is then the rarest word, from RARE_WORD_RANK on, that the
build holds.

Then it prints one table: search mix median / p95 in-process (`models.search.search`) and as a
whole `delib search` process, `delib check` (first full run, then a second run), `delib export
--format csv`, and the bytes per deliberation by table and index (`dbstat`).

With `--postgres URL`, the SQLite build is then copied to that PostgreSQL database (made if
missing, emptied if not: `copy_to_postgres`) and the search figures are taken there: the same mix
(its rare word, authority and match counts read from the SQLite build, which holds the same
rows), in-process and as whole `delib search --db URL` processes, and the bytes per deliberation
by relation. The SQLite file is only read. With `--reuse`, a PostgreSQL database that already
holds the build's deliberations is measured again without copying. With `--postgres-from URL0`
(and `--multiply K`), the database is made from URL0 (holding the build of N/K) and its rows copied
K-1 times in SQL there (`replicate_postgres`), as `replicate` does in the SQLite build.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTHORITIES = 3000
VOCABULARY = 200_000
RARE_WORD_RANK = 150_000  # a word of this rank appears in a few deliberations per 100k
SPRINKLE = 24  # synthetic words added to each deliberation's text

# The tables a copy of a document is made of, parents first; anything else the template holds
# (import bookkeeping, findings, the nomenclature) is not copied.
SKIP = {"import_runs", "import_failures", "findings", "schema_info", "budget_nomenclature"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- vocabulary --------------------------------------------------------------------------------

_SYLLABLES = [c + v for c in "bcdfglmnprstvz" for v in ("a", "e", "i", "o", "u", "ou", "an", "on")]


def synthetic_word(rank: int) -> str:
    """A pronounceable, deterministic word for a vocabulary rank (never a French word of the
    samples: they all end in 'x' + two letters)."""
    parts = []
    n = rank
    for _ in range(3):
        parts.append(_SYLLABLES[n % len(_SYLLABLES)])
        n //= len(_SYLLABLES)
    return "".join(parts) + "x" + "abcdefghijklmnopqrstuvwxyz"[rank % 26] + "abcdefghijklmnopqrstuvwxyz"[(rank // 26) % 26]


class Zipf:
    """Ranks 0..VOCABULARY-1 with P(rank) ~ 1/(rank+1): sampled by bisecting the cumulative sum."""

    def __init__(self, size: int, rng: random.Random) -> None:
        import bisect
        import itertools

        self._cum = list(itertools.accumulate(1.0 / (r + 1) for r in range(size)))
        self._bisect = bisect.bisect_left
        self._rng = rng

    def sample(self) -> int:
        return self._bisect(self._cum, self._rng.random() * self._cum[-1])


# -- template ----------------------------------------------------------------------------------

def build_template(path: Path) -> None:
    if path.exists():  # made by an earlier delib: brought to the schema of the code measured
        subprocess.run([sys.executable, "-m", "pipeline.cli", "upgrade", "--db", str(path)], check=True, cwd=ROOT,
                       env=_env(), stdout=subprocess.DEVNULL)
        return
    log(f"importing the samples into {path} (NER on) ...")
    subprocess.run([sys.executable, "-m", "pipeline.cli", "import", str(ROOT / "samples"), "--db", str(path),
                    "--workers", "2", "-q"], check=True, cwd=ROOT, env=_env())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


class Template:
    """The template database read into memory: rows per table, per document."""

    def __init__(self, path: Path) -> None:
        con = sqlite3.connect(path)
        con.row_factory = sqlite3.Row
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        self.tables = [n for n in names if n not in SKIP]
        self.columns = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in self.tables}
        self.types = {t: {r[1]: (r[2] or "").upper() for r in con.execute(f"PRAGMA table_info({t})")}
                      for t in self.tables}
        # column -> parent table, from the declared foreign keys
        self.fks = {t: {r[3]: r[2] for r in con.execute(f"PRAGMA foreign_key_list({t})")} for t in self.tables}
        self.order = _parents_first(self.tables, self.fks)
        self.rows = {t: [dict(r) for r in con.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in self.tables}
        if "page_parts" in self.rows:
            # A part may be a slice of its deliberation's text, which each copy varies: the copies
            # get the part's text written out, and the part follows its page (not its deliberation).
            self.rows["page_parts"] = [dict(r) for r in con.execute(
                "SELECT x.page_id, x.position, NULL AS deliberation_id, NULL AS text_start, NULL AS text_length, "
                "COALESCE(x.text, substr(d.text, x.text_start, x.text_length)) AS text "
                "FROM page_parts x LEFT JOIN deliberations d ON d.id = x.deliberation_id ORDER BY x.rowid")]
            page_document = dict(con.execute("SELECT id, document_id FROM document_pages"))
            for row in self.rows["page_parts"]:
                row["document_id"] = page_document[row["page_id"]]
        con.close()
        self.documents = [d["id"] for d in self.rows["documents"]]

    def rows_of(self, table: str, doc_id: int, delib_ids: set[int], person_ids: set[int]) -> list[dict]:
        """The rows of `table` that belong to one document."""
        fks = self.fks[table]
        out = []
        for row in self.rows[table]:
            if table == "documents":
                keep = row["id"] == doc_id
            elif table == "persons":
                keep = row["id"] in person_ids
            else:
                keep = row.get("document_id") == doc_id if table == "page_parts" else False
                for column, parent in fks.items():
                    if parent == "documents" and row[column] == doc_id:
                        keep = True
                    elif parent == "deliberations" and row[column] in delib_ids and column != "cited_deliberation_id":
                        keep = True
            if keep:
                out.append(row)
        return out


def _parents_first(tables: list[str], fks: dict[str, dict[str, str]]) -> list[str]:
    done: list[str] = []
    pending = list(tables)
    while pending:
        for t in pending:
            if all(p == t or p in done or p not in tables for p in fks[t].values()):
                done.append(t)
                pending.remove(t)
                break
        else:
            raise RuntimeError(f"foreign-key cycle among {pending}")
    return done


# -- build ---------------------------------------------------------------------------------------

_WORDS = re.compile(r"(\s+)")


def vary_text(text: str, rng: random.Random, zipf: Zipf) -> str:
    if not text:
        return text
    pieces = text.split(" ")
    for _ in range(SPRINKLE):
        pieces.insert(rng.randrange(len(pieces) + 1), synthetic_word(zipf.sample()))
    return " ".join(pieces)


def authority_name(i: int) -> str:
    kinds = ("Commune de", "Communauté de communes du", "Syndicat intercommunal de", "SIVOM de", "CCAS de")
    return f"{kinds[i % len(kinds)]} {synthetic_word(i * 7919 % VOCABULARY).capitalize()}"


def build(db: Path, n: int, template_path: Path, seed: int = 7) -> None:
    sys.path.insert(0, str(ROOT))
    from models.store import open_store

    if db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    open_store(f"sqlite:///{db}").close()  # the schema as the code being measured defines it
    tpl = Template(template_path)
    per_doc = {}
    for doc in tpl.documents:
        delibs = {r["id"] for r in tpl.rows["deliberations"] if r["document_id"] == doc}
        persons = set()
        for t in tpl.tables:
            for column, parent in tpl.fks[t].items():
                if parent == "persons":
                    persons |= {r[column] for r in tpl.rows[t]
                                if r[column] is not None and r.get("deliberation_id") in delibs}
        per_doc[doc] = {t: tpl.rows_of(t, doc, delibs, persons) for t in tpl.order}
    per_doc = {d: rows for d, rows in per_doc.items() if rows["deliberations"]}
    docs = sorted(per_doc)

    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA cache_size=-200000")
    target_cols = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in tpl.order}
    next_id = {t: (con.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] + 1) for t in tpl.order}
    rng = random.Random(seed)
    zipf = Zipf(VOCABULARY, rng)
    persons_of: dict[tuple[int, object], int] = {}  # (authority index, folded name) -> id
    made = copy = 0
    started = time.perf_counter()
    con.execute("BEGIN")
    while made < n:
        doc = docs[copy % len(docs)]
        rows = per_doc[doc]
        auth = rng.randrange(AUTHORITIES)
        shift = timedelta(days=rng.randrange(-3650, 365))
        remap: dict[str, dict[int, int]] = {t: {} for t in tpl.order}
        for table in tpl.order:
            cols = [c for c in tpl.columns[table] if c in target_cols[table]]
            batch = []
            for row in rows[table]:
                if table == "persons":
                    key = (auth, row.get("normalized_name", row["id"]))  # unique per authority
                    if key in persons_of:
                        remap["persons"][row["id"]] = persons_of[key]
                        continue
                new = dict(row)
                if "id" in new:
                    new["id"] = next_id[table]
                    remap[table][row["id"]] = next_id[table]
                    next_id[table] += 1
                if table == "persons":
                    persons_of[key] = new["id"]
                for column, parent in tpl.fks[table].items():
                    if new.get(column) is not None:
                        new[column] = remap.get(parent, {}).get(new[column])
                _vary(table, new, tpl.types[table], copy, auth, shift, rng, zipf)
                batch.append(tuple(new[c] for c in cols))
            if batch:
                marks = ", ".join("?" for _ in cols)
                con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", batch)
        made += len(rows["deliberations"])
        copy += 1
        if copy % 2000 == 0:
            con.execute("COMMIT")
            con.execute("BEGIN")
            rate = made / (time.perf_counter() - started)
            log(f"  {made:,} deliberations ({rate:,.0f}/s)")
    con.execute("COMMIT")
    flush_terms(con)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("ANALYZE")
    con.close()
    log(f"built {db} with {made:,} deliberations in {time.perf_counter() - started:,.0f} s")


def flush_terms(con: sqlite3.Connection) -> None:
    """Move the words of the rows just written into the index's word list, as the store does
    after each document (the triggers collected them: see models.dialect, "the index's words")."""
    sys.path.insert(0, str(ROOT))
    from models import dialect

    con.execute("BEGIN")
    for statement in dialect.flush_terms_statements():
        con.execute(statement)
    con.execute("COMMIT")


# The tables `replicate` copies: what a search reads (the others stay those of the first copy).
REPLICATED = ("documents", "document_paths", "deliberations")


def copy_sql(table: str, columns: list[str], k: int, top: dict[str, int], hex8: str) -> str:
    """The INSERT that makes copy `k` of `table`'s first rows (ids up to `top[table]`): ids shifted
    past the build, a new sha256 (`hex8`: the dialect's 8 hex digits of k) and path per copy."""
    shifted = {"id": table, "document_id": "documents"}
    values = []
    for c in columns:
        if c in shifted:
            values.append(f"{c} + {k * top[shifted[c]]}")
        elif table == "documents" and c == "sha256":
            values.append(f"substr(sha256, 1, 56) || {hex8}")
        elif table == "document_paths" and c == "path":
            values.append(f"path || '.{k}'")
        else:
            values.append(c)
    return (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {table} WHERE id <= {top[table]} ORDER BY id")


def replicate(db: Path, times: int) -> None:
    """Copy the documents, their paths and deliberations `times - 1` more times, in SQL alone.

    Much faster than `build` (no Python per row: the FTS triggers tokenize in C), for search
    figures: each copy's texts repeat the first copy's, so every word's share of the
    deliberations, the authorities' and the dates' spread stay those of `build`. Attendance,
    amounts, articles, pages... are not copied: filters on them, `check` and `export` measure
    the first copy only.
    """
    con = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-200000"):
        con.execute(f"PRAGMA {pragma}")
    top = {t: con.execute(f"SELECT max(id) FROM {t}").fetchone()[0] for t in REPLICATED}
    columns = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in REPLICATED}
    started = time.perf_counter()
    for k in range(1, times):
        con.execute("BEGIN")
        for table in REPLICATED:
            con.execute(copy_sql(table, columns[table], k, top, f"printf('%08x', {k})"))
        con.execute("COMMIT")
        log(f"  copy {k + 1}/{times}: {(k + 1) * top['deliberations']:,} deliberations "
            f"({time.perf_counter() - started:,.0f} s)")
    flush_terms(con)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("ANALYZE")
    con.close()


def _vary(table: str, row: dict, types: dict[str, str], copy: int, auth: int, shift: timedelta,
          rng: random.Random, zipf: Zipf) -> None:
    name = authority_name(auth)
    for column, kind in types.items():
        value = row.get(column)
        if value is None:
            continue
        if kind == "DATE" and isinstance(value, str) and len(value) == 10:
            try:
                row[column] = (date.fromisoformat(value) + shift).isoformat()
            except ValueError:
                pass
    if "authority" in row and table in ("deliberations", "persons"):
        row["authority"] = name
    if table == "documents":
        row["sha256"] = hashlib.sha256(f"scale-{copy}".encode()).hexdigest()
    elif table == "document_paths":
        row["path"] = f"/archive/{auth:04d}/{copy}/{Path(row['path']).name}"
    elif table in ("deliberations", "deliberation_texts") and row.get("text"):
        row["text"] = vary_text(row["text"], rng, zipf)


# -- PostgreSQL --------------------------------------------------------------------------------------

# What a search on PostgreSQL reads: the documents, their paths, the deliberations (whose generated
# search_vector PostgreSQL computes as they arrive) and the filters' tables.
POSTGRES_TABLES = ("documents", "document_paths", "deliberations", "persons", "attendance", "budget_articles",
                   "amounts")


def copy_to_postgres(db: Path, url: str) -> None:
    """Copy the rows of POSTGRES_TABLES from the SQLite build `db` into the PostgreSQL database at
    `url`, streamed (COPY, row by row from a sqlite3 cursor): the same ids, so the same newest
    matches. The database is made if missing and its schema is the code's (`open_store`); rows
    already there are dropped first. The GIN index is built once at the end (faster than kept up
    to date row by row) and the planner's statistics gathered."""
    sys.path.insert(0, str(ROOT))
    import psycopg

    from models import dialect
    from models.store import open_store

    plain = _psycopg_url(url)
    base, _, name = plain.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    open_store(url).close()  # the schema as the code being measured defines it
    started = time.perf_counter()
    lite = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with psycopg.connect(plain) as pg:
        pg.execute(f"TRUNCATE {', '.join(POSTGRES_TABLES)} CASCADE")
        pg.execute(f"DROP INDEX IF EXISTS {dialect.TS_INDEX}")
        # The rows come consistent from SQLite: no foreign-key trigger per row (needs a superuser;
        # without it the checks run, slower).
        try:
            with pg.transaction():
                pg.execute("SET session_replication_role = replica")
        except psycopg.Error:
            pass
        for table in POSTGRES_TABLES:
            wanted = [r[0] for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() AND is_generated = 'NEVER'", (table,))]
            columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})") if r[1] in wanted]
            rows = 0
            with pg.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"):
                    # PostgreSQL text holds no NUL (the store drops them too: models.dialect).
                    copy.write_row([v.replace("\x00", "") if isinstance(v, str) else v for v in row])
                    rows += 1
            pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
            pg.commit()
            log(f"  {table}: {rows:,} rows ({time.perf_counter() - started:,.0f} s)")
    lite.close()
    index_and_analyze(url)
    log(f"copied {db} to {dialect.display_url(url)} in {time.perf_counter() - started:,.0f} s")


def index_and_analyze(url: str) -> None:
    """The full-text index built once, after the rows (as the schema defines it), then VACUUM
    ANALYZE, so that the planner knows the copied rows."""
    from sqlalchemy import text

    from models import dialect
    from models.store import open_store

    store = open_store(url)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            dialect.create_fts(conn)
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    finally:
        store.close()


def replicate_postgres(source: str, url: str, times: int) -> None:
    """Make the PostgreSQL database `url` from `source` (a copy of the build of N/K deliberations)
    and copy its documents, paths and deliberations `times - 1` more times in SQL, as `replicate`
    does in the SQLite build (the same ids, hashes, paths and texts: the same rows).

    Much faster than `copy_to_postgres` of the replicated build (a million deliberations: over 20
    minutes, most of it computing each row's tsvector): the copies' tsvectors are copied, not
    computed again. To allow it the generated column becomes a plain one in this database (DROP
    EXPRESSION: its values stay), which a search does not see; a database to import into again
    is not made this way. The full-text index is built once at the end, as the schema defines it.
    """
    started = time.perf_counter()
    replicate_postgres_rows(source, url, times)
    sys.path.insert(0, str(ROOT))
    from models import dialect

    index_and_analyze(url)
    log(f"made {dialect.display_url(url)} from {dialect.display_url(source)} in {time.perf_counter() - started:,.0f} s")


def replicate_postgres_rows(source: str, url: str, times: int) -> None:
    """The rows of `replicate_postgres`: the database made from `source`, its full-text indexes
    dropped (built again once at the end), the rows copied."""
    import psycopg

    plain, base = _psycopg_url(url), _psycopg_url(source)
    server, _, name = plain.rpartition("/")
    base_name = base.rpartition("/")[2]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (base_name,))
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base_name}"')
    started = time.perf_counter()
    with psycopg.connect(plain, autocommit=True) as pg:
        for (index,) in pg.execute("SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c "
                                   "ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                                   "WHERE i.indrelid = 'deliberations'::regclass AND a.amname = 'gin'").fetchall():
            pg.execute(f"DROP INDEX {index}")
        pg.execute("ALTER TABLE deliberations ALTER COLUMN search_vector DROP EXPRESSION IF EXISTS")
        try:
            pg.execute("SET session_replication_role = replica")  # no foreign-key trigger per row
        except psycopg.Error:
            pass
        top = {t: pg.execute(f"SELECT max(id) FROM {t}").fetchone()[0] for t in REPLICATED}
        columns = {t: [r[0] for r in pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() ORDER BY ordinal_position", (t,))] for t in REPLICATED}
        for k in range(1, times):
            with pg.transaction():
                for table in REPLICATED:
                    pg.execute(copy_sql(table, columns[table], k, top, f"lpad(to_hex({k}), 8, '0')"))
            log(f"  copy {k + 1}/{times}: {(k + 1) * top['deliberations']:,} deliberations "
                f"({time.perf_counter() - started:,.0f} s)")
        for table in REPLICATED:
            pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")


def postgres_holds(db: Path, url: str) -> bool:
    """Whether the PostgreSQL database at `url` already holds the build's deliberations (the same
    count and the same last id): `--reuse` measures it again without copying (a million
    deliberations take over 20 minutes to copy)."""
    import psycopg

    lite = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        built = lite.execute("SELECT count(*), max(id) FROM deliberations").fetchone()
    finally:
        lite.close()
    try:
        with psycopg.connect(_psycopg_url(url)) as pg:
            held = pg.execute("SELECT count(*), max(id) FROM deliberations").fetchone()
    except psycopg.Error:  # no such database, or no table yet
        return False
    return tuple(held) == tuple(built)


def _psycopg_url(url: str) -> str:
    """The URL as psycopg reads it (no SQLAlchemy driver part)."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}"


def postgres_storage(url: str, n: int) -> list[tuple[str, float]]:
    """Bytes per deliberation of each table (heap and TOAST) and index of the search's tables."""
    import psycopg

    with psycopg.connect(_psycopg_url(url)) as pg:
        rows = pg.execute(
            "SELECT c.relname, pg_table_size(c.oid) FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i') "
            "AND pg_table_size(c.oid) > 0 ORDER BY 2 DESC").fetchall()
    return [(name, size / n) for name, size in rows]


def drop_postgres(url: str) -> None:
    import psycopg

    base, _, name = _psycopg_url(url).rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- measurements ---------------------------------------------------------------------------------

def query_mix(db: Path) -> list[tuple[str, str, dict]]:
    """(label, query, filters): the issue's mix, the rare word read from the database."""
    con = sqlite3.connect(db)
    rare = _rare_word(con)
    authority = con.execute("SELECT authority FROM deliberations WHERE id = 1").fetchone()[0]
    con.close()
    return [
        ("subvention", "subvention", {}),
        ("éclairage public", "éclairage public", {}),
        ('"éclairage public" (phrase)', '"éclairage public"', {}),
        ("deliberation (every one)", "deliberation", {}),
        (f"rare word ({rare})", rare, {}),
        ("subvention + authority", "subvention", {"authority": authority}),
        ("subvention + from 2020", "subvention", {"date_from": date(2020, 1, 1)}),
    ]


def _rare_word(con: sqlite3.Connection) -> str:
    """The word of rank RARE_WORD_RANK, or (a build too small to hold it, or `--multiply`) the
    first more frequent one that some deliberation holds."""
    coarse, fine = range(RARE_WORD_RANK, 0, -997), range(min(RARE_WORD_RANK, 996), 0, -1)
    for rank in (*coarse, *fine):
        word = synthetic_word(rank)
        if con.execute("SELECT 1 FROM deliberations_fts WHERE deliberations_fts MATCH ? LIMIT 1",
                       (f'"{word}"',)).fetchone():
            return word
    return synthetic_word(RARE_WORD_RANK)


def _stats(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return statistics.median(values), p95


def time_search(db: Path, repeat: int, url: str | None = None) -> list[tuple[str, int, float, float]]:
    """The mix, in-process, on the SQLite build or (url) on its PostgreSQL copy."""
    sys.path.insert(0, str(ROOT))
    from models.search import search
    from models.store import open_store

    out = []
    with _opened(db, open_store, url) as store:
        for label, query, filters in query_mix(db):
            search(store, query, **filters)  # warm the cache, as a second search would find it
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                hits = search(store, query, **filters)
                times.append((time.perf_counter() - t) * 1000)
            med, p95 = _stats(times)
            matches = _count(db, query)
            out.append((label, matches, med, p95))
            log(f"  {label}: {med:.1f} / {p95:.1f} ms ({len(hits)} shown)")
    return out


def _opened(db: Path, open_store, url: str | None = None):
    url = url or f"sqlite:///{db}"
    try:
        from models.search import open_search  # the light reader, when there is one

        return open_search(url)
    except ImportError:
        return open_store(url)


def _count(db: Path, query: str) -> int:
    sys.path.insert(0, str(ROOT))
    from models.dialect import fts_query

    match = fts_query(query)
    if match is None:
        return 0
    con = sqlite3.connect(db)
    found = con.execute("SELECT count(*) FROM deliberations_fts WHERE deliberations_fts MATCH ?", (match,)).fetchone()[0]
    con.close()
    return found


def _rare(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return _rare_word(con)
    finally:
        con.close()


def time_process(args: list[str], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, env=_env(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return _stats(times)


def storage(db: Path, n: int) -> list[tuple[str, float]]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    con.close()
    return [(name, size / n) for name, size in rows]


def measure(db: Path, n: int, repeat: int, skip: set[str], url: str | None = None) -> dict:
    """The figures of the SQLite build, or (url) of its PostgreSQL copy: search and storage
    there (check and export are the SQLite build's only)."""
    report: dict = {"n": n, "file_bytes": db.stat().st_size}
    target = url or str(db)
    if url:
        skip = skip | {"check", "export"}
        report["postgres"] = True
    log("search, in-process ...")
    report["search"] = time_search(db, repeat, url)
    log("search, whole process ...")
    report["process"] = {
        "--help": time_process(["--help"], 5),
        "search subvention": time_process(["search", "subvention", "--db", target], 5),
        "search rare word": time_process(["search", _rare(db), "--db", target], 5),
        "search deliberation": time_process(["search", "deliberation", "--db", target], 5),
    }
    if "check" not in skip:
        log("check ...")
        report["check_first"] = time_process(["check", "-q", "--db", str(db)], 1)[0]
        report["check_again"] = time_process(["check", "-q", "--db", str(db)], 1)[0]
    if "export" not in skip:
        log("export ...")
        out = db.parent / f"export-{n}"
        report["export"] = time_process(["export", "--format", "csv", "-o", str(out), "--db", str(db)], 1)[0]
        report["export_bytes"] = sum(f.stat().st_size for f in out.glob("*") if f.is_file())
        for f in out.glob("*"):
            f.unlink()
        out.rmdir()
    if "storage" not in skip:
        log("storage ...")
        report["storage"] = postgres_storage(url, n) if url else storage(db, n)
        if url:
            report["file_bytes"] = sum(size for _, size in report["storage"]) * n
    return report


def print_report(r: dict) -> None:
    n = r["n"]
    where = " on PostgreSQL" if r.get("postgres") else ""
    print(f"\n## {n:,} deliberations{where} ({r['file_bytes'] / 1e9:.2f} GB)\n")
    print("| search (in-process) | matches | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for label, matches, med, p95 in r["search"]:
        print(f"| {label} | {matches:,} | {med:,.1f} | {p95:,.1f} |")
    print("\n| whole process | median s | p95 s |")
    print("|---|---:|---:|")
    for label, (med, p95) in r["process"].items():
        print(f"| delib {label} | {med:.3f} | {p95:.3f} |")
    if "check_first" in r:
        print(f"| delib check (first run) | {r['check_first']:.1f} | |")
        print(f"| delib check (again, nothing changed) | {r['check_again']:.1f} | |")
    if "export" in r:
        print(f"| delib export --format csv ({r['export_bytes'] / 1e9:.2f} GB) | {r['export']:.1f} | |")
    if "storage" not in r:
        return
    total = sum(size for _, size in r["storage"])
    print(f"\n| table or index | bytes per deliberation |\n|---|---:|")
    for name, size in r["storage"]:
        if size >= 1:
            print(f"| {name} | {size:,.0f} |")
    print(f"| **total** | **{total:,.0f}** |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="deliberations to build (default 100000)")
    parser.add_argument("--dir", type=Path, default=Path("/work/scale"), help="where databases go (default /work/scale)")
    parser.add_argument("--reuse", action="store_true", help="measure the existing database, do not rebuild")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (default: delete it)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query in-process (default 20)")
    parser.add_argument("--skip", action="append", default=[], choices=("check", "export", "storage"),
                        help="leave a measurement out (repeatable)")
    parser.add_argument("--template", type=Path, help="template database (default DIR/template.db)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--build-only", action="store_true", help="build, do not measure")
    parser.add_argument("--multiply", type=int, default=1,
                        help="build N/K deliberations, then copy what a search reads K-1 times in SQL "
                             "(much faster; search figures only) (default 1: build all N)")
    parser.add_argument("--postgres-from", metavar="URL",
                        help="with --postgres and --multiply K: make the PostgreSQL database from this one "
                             "(the N/K build, copied by an earlier --postgres) and copy its rows K-1 times "
                             "there (minutes where copying the whole build takes an hour; search only)")
    parser.add_argument("--postgres", metavar="URL",
                        help="copy the build to this PostgreSQL database (made or emptied) and measure "
                             "search there; with --keep it stays, else it is dropped")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    db = args.dir / f"scale-{args.n}.db"
    template = args.template or args.dir / "template.db"
    if not (args.reuse and db.exists()):
        build_template(template)
        build(db, args.n // args.multiply, template)
        if args.multiply > 1:
            replicate(db, args.multiply)
    if args.postgres and not (args.reuse and postgres_holds(db, args.postgres)):
        if args.postgres_from:
            replicate_postgres(args.postgres_from, args.postgres, args.multiply)
        else:
            copy_to_postgres(db, args.postgres)
    if args.build_only:
        return 0
    report = measure(db, args.n, args.repeat, set(args.skip), args.postgres)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, default=str, indent=1))
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        if args.postgres:
            drop_postgres(args.postgres)
    return 0


if __name__ == "__main__":
    sys.exit(main())
