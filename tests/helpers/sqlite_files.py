"""Helpers for tests that look at database files from outside Group Desk.

They use the standard library's sqlite3 on purpose: what they read is what is in
the file, not what Group Desk's own code says is there.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from desktop_app.db import Database
from desktop_app.models import Person


def add_person(db: Database, given_name: str, family_name: str, **fields: str) -> int:
    """Adds one person through the ORM (so derived columns and triggers run); returns the id."""
    with db.session() as session:
        person = Person(given_name=given_name, family_name=family_name, **fields)
        session.add(person)
        session.flush()
        return person.id


def query(path: Path, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Rows of one query, on a private read-only connection that is closed afterwards."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return list(conn.execute(sql, parameters).fetchall())


def given_names(path: Path) -> list[str]:
    """The given names of everyone in the file, sorted."""
    return sorted(str(row[0]) for row in query(path, "SELECT given_name FROM people"))


def write_foreign_database(path: Path) -> None:
    """Another program's SQLite file: its own tables, a rollback journal, no alembic_version."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT, serves INTEGER)")
        conn.executemany(
            "INSERT INTO recipes (name, serves) VALUES (?, ?)",
            [("lentil soup", 4), ("flatbread", 6)],
        )
        conn.commit()


def side_files(path: Path) -> list[Path]:
    """The -wal, -shm and -journal files SQLite may keep beside a database."""
    return [
        path.with_name(path.name + suffix)
        for suffix in ("-wal", "-shm", "-journal")
        if path.with_name(path.name + suffix).exists()
    ]
