"""Laptops for sign-up bundle tests: copies of one group's database, events, sign-ins, dumps.

A laptop is a database file of its own under tmp_path. ``laptop_copy`` copies a
database the way a volunteer would set up a second laptop (SQLite's backup API, so a
WAL file is never left behind) and gives the copy its own laptop id; ``fresh_laptop``
is an empty database of the same group. ``dump`` reads every table through the
standard library, so "nothing changed" is checked on the file itself.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from desktop_app.db import Database, create_database, make_backup, open_database
from desktop_app.models import AppSetting, Event, EventKind, GroupProfile, SignIn, SignInSource
from desktop_app.services.group import (
    LAPTOP_ID_KEY,
    GroupProfileData,
    laptop_id,
    save_profile,
)
from desktop_app.services.roster import PersonInput, create_person

GROUP = GroupProfileData(name="Cambridge Local Group 133", city="Cambridge", country="US")
FAIR = datetime(2026, 5, 16, 14, 0, tzinfo=UTC)


def set_up_group(db: Database, data: GroupProfileData = GROUP) -> str:
    """Give a database its group profile; returns the group's uid."""
    return save_profile(db, data)


def _new_laptop_id(db: Database) -> str:
    with db.session() as session:
        session.execute(delete(AppSetting).where(AppSetting.key == LAPTOP_ID_KEY))
    return laptop_id(db)


def laptop_copy(source: Database, folder: Path, name: str) -> Database:
    """A copy of source (roster, events and all) that is a laptop of its own."""
    assert source.path is not None
    destination = folder / f"{name}.sqlite"
    make_backup(source.path, destination)
    copy = open_database(str(destination))
    _new_laptop_id(copy)
    return copy


def fresh_laptop(source: Database, folder: Path, name: str) -> Database:
    """An empty database of the same group (same group uid), as a kiosk laptop may be."""
    fresh = create_database(str(folder / f"{name}.sqlite"))
    with source.read_session() as session:
        profile = session.scalars(select(GroupProfile)).one()
        group_uid, group_name = profile.uid, profile.name
    save_profile(fresh, GroupProfileData(name=group_name, country="US"))
    with fresh.session() as session:
        session.execute(update(GroupProfile).values(uid=group_uid))
    laptop_id(fresh)
    return fresh


def add_event(
    db: Database, title: str = "Street fair", starts_at: datetime = FAIR, **fields: Any
) -> int:
    with db.session() as session:
        event = Event(
            title=title,
            starts_at=starts_at,
            kind=fields.pop("kind", EventKind.TABLING),
            origin_laptop=laptop_id(db),
            **fields,
        )
        session.add(event)
        session.flush()
        return event.id


def event_uid(db: Database, event_id: int) -> str:
    with db.read_session() as session:
        return session.scalars(select(Event.uid).where(Event.id == event_id)).one()


def add_person(db: Database, **fields: Any) -> int:
    """Through the roster service, as a volunteer would: validated, phone in E.164."""
    return create_person(db, PersonInput(**fields), source="test").person_id


def sign_in(
    db: Database,
    event_id: int,
    person_id: int,
    *,
    source: SignInSource = SignInSource.KIOSK,
    when: datetime | None = None,
    **fields: Any,
) -> str:
    """Record one sign-in on this laptop; returns its uid."""
    laptop = laptop_id(db)
    with db.session() as session:
        row = SignIn(
            event_id=event_id,
            person_id=person_id,
            source=source,
            signed_in_at=when or FAIR,
            laptop_id=laptop,
            **fields,
        )
        session.add(row)
        session.flush()
        return row.uid


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read from the file with the standard library."""
    assert db.path is not None
    with closing(sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)) as conn:
        tables = [
            str(name)
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            if not table.startswith("person_fts")
            else conn.execute(f'SELECT * FROM "{table}"').fetchall()
            for table in tables
            if table != "sqlite_sequence"
        }


def query(db: Database, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    assert db.path is not None
    with closing(sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)) as conn:
        return list(conn.execute(sql, parameters).fetchall())
