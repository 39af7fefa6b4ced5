"""Where Group Desk keeps its files, and how a database location is chosen.

Qt-free so that the CLI and services can use it; window settings live in QSettings.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "GroupDesk"
APP_AUTHOR = "GroupDesk"
DB_ENV_VAR = "GROUPDESK_DB"
# Tests and portable installs point this at a folder of their own.
DATA_DIR_ENV_VAR = "GROUPDESK_DATA_DIR"


def data_dir() -> Path:
    """The user data folder: default database, backups, rejects files."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "groupdesk.sqlite"


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_target(cli_value: str | None = None) -> str:
    """The database to open: --db, then $GROUPDESK_DB, then the default file.

    The result is either a filesystem path or a SQLAlchemy URL ("postgresql+psycopg://...").
    """
    if cli_value:
        return cli_value
    env_value = os.environ.get(DB_ENV_VAR)
    if env_value:
        return env_value
    return str(default_database_path())
