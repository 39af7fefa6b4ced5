"""The person search index: its DDL copy matches the migration, and its upkeep works."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from desktop_app import search_index
from desktop_app.db import Database
from desktop_app.models import Person
from desktop_app.search_index import PERSON_FTS_DDL, PERSON_FTS_TABLE, PERSON_TRIGGERS


def _master(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name = ? OR type = 'trigger'",
            (PERSON_FTS_TABLE,),
        ).fetchall()
    return {str(name): str(sql) for name, sql in rows}


def _path(db: Database) -> Path:
    assert db.path is not None
    return db.path


def test_ddl_is_what_the_migration_made(db: Database) -> None:
    """Migrations are frozen; this module's copy of their SQL must stay word for word."""
    master = _master(_path(db))
    assert master[PERSON_FTS_TABLE] == PERSON_FTS_DDL
    for name, sql in PERSON_TRIGGERS.items():
        assert master[name] == sql
    assert set(master) == {PERSON_FTS_TABLE, *PERSON_TRIGGERS}


def test_triggers_drop_and_come_back_identical(db: Database) -> None:
    before = _master(_path(db))
    with db.engine.begin() as conn:
        search_index.drop_person_triggers(conn)
        search_index.drop_person_triggers(conn)  # dropping twice is harmless
    assert set(_master(_path(db))) == {PERSON_FTS_TABLE}
    with db.engine.begin() as conn:
        search_index.create_person_triggers(conn)
    assert _master(_path(db)) == before


def _search(db: Database, fragment: str) -> list[int]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT rowid FROM person_fts WHERE person_fts MATCH ? ORDER BY rowid",
            (f'"{fragment}"',),
        ).all()
    return [int(row[0]) for row in rows]


def test_bulk_load_without_triggers_then_index(db: Database) -> None:
    with db.session() as session:
        session.add(Person(given_name="Ελένη", family_name="Παπαδοπούλου"))
    with db.engine.begin() as conn:
        search_index.drop_person_triggers(conn)
        conn.exec_driver_sql(
            "INSERT INTO people (id, given_name, family_name, preferred_name, email, email_key,"
            " phone, address_line1, address_line2, city, region, postal_code, country, status,"
            " dues_waived, school, joined_via, ladder_stage, email_ok, phone_ok, mail_ok,"
            " do_not_contact, notes, needs_review, review_reason, search_text, sort_key,"
            " origin_laptop, source, uid, created_at, updated_at) VALUES"
            " (?, '', '', '', '', '', '', '', '', '', '', '', '', 'prospect', 0, '', 'other',"
            " 'signed_up', 0, 0, 0, 0, '', 0, '', ?, '', '', '', ?, '2026-01-01 00:00:00.000000',"
            " '2026-01-01 00:00:00.000000')",
            [(10, "ольга иванова", "u-10"), (11, "sean o briain", "u-11")],
        )
        assert _search(db, "иван") == []  # not indexed yet: the triggers were off
        added = search_index.index_people(conn, 10, 11)
        search_index.create_person_triggers(conn)
    assert added == 2
    assert _search(db, "иван") == [10]
    assert _search(db, "παπα") == [1]
    with db.engine.begin() as conn:
        assert search_index.rebuild_person_index(conn) == 3
    assert _search(db, "briain") == [11]
    assert _search(db, "παπα") == [1]


def test_rebuild_matches_people(db: Database) -> None:
    with db.session() as session:
        session.add_all(
            [
                Person(given_name="Aoife", family_name="Ní Bhriain"),
                Person(given_name="Kenji", family_name="Satō"),
            ]
        )
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM person_fts")  # an index gone out of step
        assert search_index.rebuild_person_index(conn) == 2
        indexed = conn.exec_driver_sql(
            "SELECT rowid, search_text FROM person_fts ORDER BY rowid"
        ).all()
        people = conn.exec_driver_sql("SELECT id, search_text FROM people ORDER BY id").all()
    assert indexed == people
    assert _search(db, "bhriain") == [1]


class _NotSqlite:
    """A stand-in connection to another database: nothing may be executed on it."""

    dialect = SimpleNamespace(name="postgresql")

    def exec_driver_sql(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("search_index ran SQL on a non-SQLite database")


def test_other_databases_are_left_alone() -> None:
    conn: Any = _NotSqlite()
    search_index.drop_person_triggers(conn)
    search_index.create_person_triggers(conn)
    search_index.clear_person_index(conn)
    assert search_index.index_people(conn) == 0
    assert search_index.rebuild_person_index(conn) == 0


def _merge_settings(db: Database) -> dict[str, int]:
    with closing(sqlite3.connect(_path(db))) as conn:
        rows = conn.execute(f"SELECT k, v FROM {PERSON_FTS_TABLE}_config").fetchall()
    return {k: v for k, v in rows if k in ("automerge", "crisismerge")}


def test_a_bulk_load_relaxes_merging_and_puts_the_defaults_back(db: Database) -> None:
    with db.engine.begin() as conn:
        search_index.relax_merging(conn)
    assert _merge_settings(db) == {"automerge": 0, "crisismerge": 64}
    with db.engine.begin() as conn:
        search_index.restore_merging(conn)
    assert _merge_settings(db) == {"automerge": 4, "crisismerge": 16}


def test_the_demo_leaves_the_index_merging_as_usual(db: Database) -> None:
    from desktop_app.services.demo import create_demo

    create_demo(db, 300, seed=3)
    assert _merge_settings(db) == {"automerge": 4, "crisismerge": 16}
