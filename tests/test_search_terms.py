"""A prefix word searched as the index's words it stands for (SQLite).

`subvention` is searched as `"subvention" OR "subventions" OR ...`, the words read from the
index's word list: FTS5 walks an OR newest first and stops, where it merges a prefix's doclists
first. The word list must hold every word of the index, whoever wrote the row: the store moves
the words of what it writes into it, and the triggers keep whatever else was written in a small
index of their own until then. Either way a search finds exactly what the prefix finds.
"""
from __future__ import annotations

import sqlite3

import pytest

import models.search
from models import dialect
from models.search import open_search, search
from models.store import open_store
from tests.store_fixtures import fill


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "delib.db"
    with open_store(f"sqlite:///{path}") as store:
        fill(store)
    return path


def words(db, table: str = dialect.TERMS_TABLE) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute(f"SELECT term FROM {table}")}


def prefix_matches(db, word: str) -> set[int]:
    """What FTS5's own prefix query finds: the reference."""
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute(
            f"SELECT rowid FROM {dialect.FTS_TABLE} WHERE {dialect.FTS_TABLE} MATCH ?", (f'"{word}"*',))}


def found(db, query: str) -> set[int]:
    with open_search(f"sqlite:///{db}") as opened:
        return {hit.deliberation_id for hit in search(opened, query, limit=1000, window=None)}


def test_the_store_moves_the_words_of_what_it_writes_into_the_word_list(db):
    assert {"subventions", "voirie", "cluses", "042"} <= words(db)
    assert "délibération" not in words(db) and "deliberation" in words(db)  # as the index folds them
    assert words(db, dialect.NEW_TERMS_VOCAB) == set()  # nothing left waiting


@pytest.mark.parametrize("query", ["subvention", "SUBV*", "délibér*", "voirie", "mobil*", "prog*", "zzzz"])
def test_a_prefix_word_finds_what_the_prefix_finds(db, query):
    stem = query.rstrip("*").lower().replace("é", "e")
    assert found(db, query) == prefix_matches(db, stem)


def test_a_prefix_word_is_searched_as_the_words_it_stands_for(db):
    starting = sorted(w for w in words(db) if w.startswith("subvention"))
    assert starting[:2] == ["subvention", "subventions"]
    with open_search(f"sqlite:///{db}") as opened:
        assert models.search._expanded(opened.conn, "Subvention voirie") == \
            "(" + " OR ".join(f'"{w}"' for w in starting) + ') AND "voirie"'
        assert models.search._expanded(opened.conn, "voirie") == '"voirie"'  # one word: no OR
        # A phrase, or a token the tokenizer splits, stays as typed.
        assert models.search._expanded(opened.conn, '"programme de"*') == '"programme de"*'
        assert models.search._expanded(opened.conn, "l'année") == "\"l'année\"*"


def test_rows_written_behind_the_store_are_found_before_their_words_are_moved(db):
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE deliberations SET text = text || ' subventionnement' WHERE id = "
                     "(SELECT min(id) FROM deliberations)")
    assert words(db, dialect.NEW_TERMS_VOCAB) >= {"subventionnement"}
    assert "subventionnement" not in words(db)
    assert found(db, "subventionnem") == prefix_matches(db, "subventionnem") != set()
    # The store's next write moves them.
    with open_store(f"sqlite:///{db}") as store:
        with store.engine.begin() as conn:
            dialect.flush_terms(conn)
    assert "subventionnement" in words(db) and words(db, dialect.NEW_TERMS_VOCAB) == set()
    assert found(db, "subventionnem") == prefix_matches(db, "subventionnem")


def test_a_prefix_of_very_many_words_stays_a_prefix(db, monkeypatch):
    monkeypatch.setattr(models.search, "MAX_PREFIX_WORDS", 1)
    with open_search(f"sqlite:///{db}") as opened:
        assert models.search._expanded(opened.conn, "subvention") == '"subvention"*'
    assert found(db, "subvention") == prefix_matches(db, "subvention")


def test_a_database_without_the_word_list_is_searched_by_prefix(db):
    expected = found(db, "subvention")
    with sqlite3.connect(db) as conn:
        for trigger in (f"{dialect.TERMS_TABLE}_ai", f"{dialect.TERMS_TABLE}_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        for table in (dialect.NEW_TERMS_VOCAB, dialect.NEW_TERMS_TABLE, dialect.TERMS_TABLE):
            conn.execute(f"DROP TABLE {table}")
    assert found(db, "subvention") == expected


def test_rebuilding_the_index_refills_the_word_list(db):
    with sqlite3.connect(db) as conn:
        conn.execute(f"DELETE FROM {dialect.TERMS_TABLE}")
    with open_store(f"sqlite:///{db}") as store:
        with store.engine.begin() as conn:
            dialect.rebuild_fts(conn)
    assert {"subventions", "voirie"} <= words(db)
