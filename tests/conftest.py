"""Shared fixtures: every test gets its own data folder and database file under tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.db import Database, create_database, open_database


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


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly migrated database per test session; each test gets a copy of it.

    Running every migration for every test would cost a third of a second each.
    """
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    create_database(str(path)).close()
    return path


@pytest.fixture
def db(db_path: Path, migrated_template: Path) -> Iterator[Database]:
    """A new, migrated, empty database file of this test's own."""
    shutil.copyfile(migrated_template, db_path)
    database = open_database(str(db_path))
    yield database
    database.close()
