"""Shared fixtures: every test gets its own data folder and database file under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.db import Database, create_database


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups, settings and default databases go to a private folder, never the user's."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("GROUPDESK_DATA_DIR", str(folder))
    monkeypatch.delenv("GROUPDESK_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "group.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A new, migrated, empty database file."""
    database = create_database(str(db_path))
    yield database
    database.close()
