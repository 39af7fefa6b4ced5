"""Opening a Group Desk database: checks, automatic backups, migrations, sessions.

A database is a SQLite file by default, or any SQLAlchemy URL. Opening never
overwrites anything: a missing, foreign, read-only or corrupt file raises a
DatabaseError whose message a volunteer can act on, and the file is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from desktop_app import config
from desktop_app.migrations import SCHEMA_HEAD

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUPS_KEPT = 10


class DatabaseError(Exception):
    """A database that cannot be opened as asked; str() is the message for the user."""


class DatabaseMissing(DatabaseError):
    pass


class NotADatabase(DatabaseError):
    pass


class ForeignDatabase(DatabaseError):
    pass


class DatabaseCorrupt(DatabaseError):
    pass


class DatabaseReadOnly(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


def is_url(target: str) -> bool:
    """True for "dialect://..." targets, false for plain file paths (Windows drives included)."""
    return "://" in target


def sqlite_path_of(target: str) -> Path | None:
    """The file behind a target, or None for a server database or in-memory SQLite."""
    if not is_url(target):
        return Path(target).expanduser().resolve()
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise DatabaseError(f"{target}: not a database address ({exc})") from exc
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().resolve()


def _install_sqlite_pragmas(engine: Engine) -> None:
    """WAL, foreign keys and full durability on every SQLite connection.

    pysqlite's own transaction handling starts transactions late and never for DDL;
    taking it over (isolation_level=None plus our own BEGIN) makes every unit of
    work, migrations included, one real transaction.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        with closing(dbapi_connection.cursor()) as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # FULL: a committed sign-up survives a power cut, not only a crash.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=5000")
            # Erased personal data must not linger in freed pages of the file.
            cursor.execute("PRAGMA secure_delete=ON")

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if not path.exists():
        if create:
            if not os.access(path.parent, os.W_OK):
                raise DatabaseReadOnly(
                    f"{path}: cannot create the database here (the folder is read-only)"
                )
            return
        raise DatabaseMissing(f"{path}: no such database file")
    if path.is_dir():
        raise NotADatabase(f"{path}: is a folder, not a database file")
    if path.stat().st_size == 0:
        if create:
            return
        raise NotADatabase(f"{path}: the file is empty, not a Group Desk database")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot be read ({exc.strerror})") from exc
    if header != SQLITE_MAGIC:
        raise NotADatabase(f"{path}: is not a database file (it may be another kind of file)")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseReadOnly(
            f"{path}: the file or its folder is read-only; copy it somewhere you can write to"
        )


def _damaged(path: Path, problem: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"{path}: the database is damaged ({problem}); restore the latest automatic backup"
    )


def quick_check(path: Path, *, full: bool = False) -> list[str]:
    """SQLite's own consistency check, on a private read-only connection.

    Returns the problems found; an empty list means the file is sound.
    """
    pragma = "integrity_check" if full else "quick_check"
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
            if full:
                rows += [
                    (f"foreign key: {row[0]} row {row[1]} -> {row[2]}",)
                    for row in conn.execute("PRAGMA foreign_key_check").fetchall()
                ]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    return problems


# Alembic is imported only when a database needs upgrading (or by tests): it costs a
# third of a second of start-up, and an up-to-date file is recognised by SCHEMA_HEAD.


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "desktop_app:migrations")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


@dataclass
class Database:
    """An open database: the engine, a session factory and where it lives."""

    target: str
    engine: Engine
    path: Path | None
    migrated_from: str | None = None
    backup_before_migration: Path | None = None
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed if the block ends normally, rolled back if not."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading only; whatever it holds is rolled back at the end."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()


def _engine_for(target: str, path: Path | None) -> Engine:
    if path is not None:
        # NullPool: each unit of work gets a fresh connection, and closing the last one
        # folds the WAL back into the file. A volunteer who copies the .sqlite file to
        # a USB stick while Group Desk is open then copies everything, and backups and
        # restores find the file free. It costs a few milliseconds a unit of work; the
        # kiosk, which saves in bursts, holds a connection of its own instead.
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    else:
        engine = create_engine(target, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        _install_sqlite_pragmas(engine)
    return engine


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the file, or None for a database with no stamp."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def open_database(
    target: str, *, create: bool = False, migrate: bool = True, check: bool = True
) -> Database:
    """Open (and with create=True, make) a Group Desk database and bring it up to date.

    check=False skips SQLite's page-by-page quick check (0.3 s at 100,000 people): the
    window passes it to show itself sooner and runs check_and_backup() in the
    background instead. The header, schema and version are checked either way.
    Raises DatabaseError subclasses with a message naming the file and the problem.
    """
    path = sqlite_path_of(target)
    if path is not None:
        _check_sqlite_file(path, create=create)
        if check and path.exists() and path.stat().st_size > 0:
            problems = quick_check(path)
            if problems:
                raise _damaged(path, problems[0])
    engine = _engine_for(target, path)
    try:
        database = Database(target=target, engine=engine, path=path)
        _bring_up_to_date(database, migrate=migrate)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        # Opened without the quick check, damage shows up as some other failure:
        # name it for what it is, so the caller offers the backup.
        if path is not None and not check and (problems := quick_check(path)):
            raise _damaged(path, problems[0]) from exc
        where = path if path is not None else target
        raise DatabaseError(f"{where}: cannot be opened ({exc})") from exc
    return database


def _read_only_engine(path: Path) -> Engine:
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True),
        poolclass=NullPool,
    )


def _bring_up_to_date(database: Database, *, migrate: bool) -> None:
    engine = database.engine
    path = database.path
    # Look through a read-only connection first: the first read-write one switches the
    # file to WAL, and another program's file must be refused exactly as it was.
    probe = (
        _read_only_engine(path)
        if path is not None and path.exists() and path.stat().st_size > 0
        else engine
    )
    try:
        revision = current_revision(probe)
        table_names = set(inspect(probe).get_table_names()) if revision is None else set()
    finally:
        if probe is not engine:
            probe.dispose()
    if revision == SCHEMA_HEAD:
        return
    if revision is None:
        if table_names:
            raise ForeignDatabase(
                f"{database.display_name}: is a database of another program, "
                "not a Group Desk database; it was left untouched"
            )
    elif revision not in _known_revisions():
        raise DatabaseTooNew(
            f"{database.display_name}: was written by a newer Group Desk; "
            "update Group Desk to open it"
        )
    if not migrate:
        raise DatabaseError(f"{database.display_name}: needs an upgrade before it can be used")
    if revision is not None and database.path is not None:
        database.backup_before_migration = make_backup(database.path, reason="before-upgrade")
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    database.migrated_from = revision


def create_database(target: str) -> Database:
    """Make a new, empty Group Desk database; refuses to touch an existing file."""
    path = sqlite_path_of(target)
    if path is not None and path.exists() and path.stat().st_size > 0:
        raise DatabaseError(f"{path}: a file of that name exists already; choose another name")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return open_database(target, create=True)


# --- backups ---------------------------------------------------------------------------


def backup_folder_for(path: Path) -> Path:
    """Backups of one database live in a folder of their own, named after the file.

    A short hash of the full path keeps two "group.sqlite" files in different folders
    from sharing (and pruning) one another's backups.
    """
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
    folder = config.backups_dir() / f"{path.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _copy_with_backup_api(source: Path, destination: Path) -> None:
    """A consistent copy even while another connection writes (SQLite's backup API)."""
    temporary = destination.with_suffix(destination.suffix + ".part")
    temporary.unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(temporary)) as dst,
    ):
        src.backup(dst)
        # A backup must be one self-contained file, not a file plus a -wal.
        dst.execute("PRAGMA journal_mode=DELETE")
    os.replace(temporary, destination)


def make_backup(
    path: Path, destination: Path | None = None, *, reason: str = "auto", prune: bool = True
) -> Path:
    """Copy the database to destination, or into its backups folder (keeping the last ten).

    prune=False keeps every older backup, for a caller still about to read one of them.
    """
    if destination is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        destination = backup_folder_for(path) / f"{path.stem}-{stamp}-{reason}.sqlite"
        _copy_with_backup_api(path, destination)
        if prune:
            prune_backups(path)
    else:
        destination = destination.expanduser().resolve()
        if destination.is_dir():
            destination = destination / f"{path.stem}-backup.sqlite"
        if destination == path:
            raise DatabaseError(f"{destination}: a backup cannot replace the database itself")
        destination.parent.mkdir(parents=True, exist_ok=True)
        _copy_with_backup_api(path, destination)
    return destination


def list_backups(path: Path) -> list[Path]:
    """Automatic backups of a database, newest first."""
    folder = backup_folder_for(path)
    return sorted(folder.glob(f"{path.stem}-*.sqlite"), key=lambda p: p.name, reverse=True)


def prune_backups(path: Path, keep: int = BACKUPS_KEPT) -> None:
    for old in list_backups(path)[keep:]:
        old.unlink(missing_ok=True)


def backup_if_changed(path: Path) -> Path | None:
    """The backup taken on open: skipped when the newest backup is younger than the file.

    An unchanged database needs no second copy, and skipping it keeps start-up quick.
    """
    backups = list_backups(path)
    newest_change = max(
        (p.stat().st_mtime for p in (path, path.with_name(path.name + "-wal")) if p.exists()),
        default=0.0,
    )
    if backups and backups[0].stat().st_mtime >= newest_change:
        return None
    return make_backup(path)


def check_and_backup(path: Path) -> Path | None:
    """The check and backup on open: a damaged file raises DatabaseCorrupt, unbacked-up.

    Backing up a damaged file would push a sound backup out of the ten kept.
    """
    problems = quick_check(path)
    if problems:
        raise _damaged(path, problems[0])
    return backup_if_changed(path)


def restore_backup(backup: Path, path: Path) -> Path | None:
    """Replace the database with a backup; the current file is backed up first if readable.

    Returns the safety copy of what was replaced (None if there was nothing sound to keep).
    """
    backup = backup.expanduser().resolve()
    if not backup.exists():
        raise DatabaseMissing(f"{backup}: no such backup file")
    with backup.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise NotADatabase(f"{backup}: is not a database backup")
    problems = quick_check(backup, full=True)
    if problems:
        raise DatabaseCorrupt(f"{backup}: the backup itself is damaged ({problems[0]})")
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as conn:
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
    if not has_version:
        raise ForeignDatabase(f"{backup}: is not a Group Desk backup")
    safety: Path | None = None
    if path.exists() and path.stat().st_size > 0 and not quick_check(path):
        # Not pruned: the backup being restored may be the oldest kept, next in line to go.
        safety = make_backup(path, reason="before-restore", prune=False)
    elif path.exists():
        # A damaged file is kept aside, never destroyed: someone may still rescue rows from it.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        safety = path.with_name(f"{path.stem}-damaged-{stamp}{path.suffix}")
        os.replace(path, safety)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    _copy_with_backup_api(backup, path)
    return safety


# The page cache during a bulk write, in KiB, at most (it grows only as pages are
# touched); benchmarks give their raw floors the same, so that comparisons are fair.
BULK_CACHE_KIB = 262_144


@contextmanager
def bulk_write_settings(conn: Connection, *, journal: bool = True) -> Iterator[None]:
    """SQLite settings for one big write (the demo's load, a long import), made before
    its transaction begins and undone after it ends.

    - A page cache big enough for the write: without it the random keys of the people
      indexes and the search index spill to disk again and again.
    - With journal, a rollback journal instead of WAL while the transaction runs, when
      no other connection has the file open. In WAL mode every new page is written
      twice, to the WAL at commit and into the file at the checkpoint; with a rollback
      journal the new pages go straight into the file. It is just as safe: a crash
      midway leaves a hot journal that rolls the write back on the next open. WAL is
      set again straight after, and every Group Desk connection sets it when it
      opens. If another connection has the file open, the switch is refused at once
      (no waiting) and the write simply runs in WAL mode.

    The PRAGMAs go to the driver's connection: a statement through SQLAlchemy would
    begin the transaction first. Other databases are left as they are.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    raw: Any = conn.connection.driver_connection
    previous_cache = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    switched = False
    if journal:
        mode = str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        database = raw.execute("PRAGMA database_list").fetchone()
        if mode == "wal" and database is not None and database[2]:  # a file, not memory
            timeout = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
            raw.execute("PRAGMA busy_timeout=0")  # someone else has it open: don't wait
            try:
                answer = raw.execute("PRAGMA journal_mode=TRUNCATE").fetchone()[0]
                switched = str(answer).lower() == "truncate"
            except sqlite3.OperationalError:
                switched = False
            finally:
                raw.execute(f"PRAGMA busy_timeout={timeout}")
    try:
        yield
    finally:
        if switched:
            raw.execute("PRAGMA journal_mode=WAL")
        raw.execute(f"PRAGMA cache_size={previous_cache}")
