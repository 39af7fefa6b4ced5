"""desktop_app/db.py: opening refuses what is not a sound Group Desk file, and backups.

Every refusal is checked twice: the right error with a message that names the file,
and the file left exactly as it was, byte for byte, with nothing left beside it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select

from desktop_app.db import (
    BACKUPS_KEPT,
    Database,
    DatabaseCorrupt,
    DatabaseError,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    ForeignDatabase,
    NotADatabase,
    alembic_config,
    backup_folder_for,
    backup_if_changed,
    check_and_backup,
    create_database,
    head_revision,
    list_backups,
    make_backup,
    open_database,
    quick_check,
    restore_backup,
)
from desktop_app.models import Person
from tests.helpers.sqlite_files import (
    add_person,
    given_names,
    query,
    side_files,
    write_foreign_database,
)

PAGE_SIZE = 4096


def _assert_refused_untouched(
    path: Path, error: type[DatabaseError], *message_parts: str
) -> DatabaseError:
    """Opening path raises error naming the file, and leaves the file exactly as it was."""
    before = path.read_bytes()
    with pytest.raises(error) as info:
        open_database(str(path))
    assert path.name in str(info.value)
    for part in message_parts:
        assert part in str(info.value)
    assert path.read_bytes() == before
    # SQLite's read-only look at a WAL file may leave an empty -wal and its index (-shm)
    # behind; nothing may have been written for the file, though.
    written = [
        side for side in side_files(path) if not side.name.endswith("-shm") and side.stat().st_size
    ]
    assert written == []
    return info.value


def _make_database_with_people(path: Path, count: int) -> None:
    database = create_database(str(path))
    try:
        with database.session() as session:
            session.add_all(
                Person(
                    given_name=f"Given{number}",
                    family_name=f"Family{number}",
                    email=f"person{number}@example.org",
                    notes="Met at the spring fair. " * 8,
                )
                for number in range(count)
            )
    finally:
        database.close()


# --- opening: what is refused --------------------------------------------------------


def test_missing_file_is_named_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.sqlite"

    with pytest.raises(DatabaseMissing, match=r"nowhere\.sqlite"):
        open_database(str(path))

    assert not path.exists()
    assert side_files(path) == []


def test_folder_is_not_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "group.sqlite"
    folder.mkdir()

    with pytest.raises(NotADatabase, match="folder") as info:
        open_database(str(folder))

    assert "group.sqlite" in str(info.value)
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_empty_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()

    _assert_refused_untouched(path, NotADatabase, "empty")

    assert path.stat().st_size == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("members.csv", "given,family,email\nAoife,Ní Bhriain,aoife@example.org\n".encode()),
        ("poster.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16),
    ],
    ids=["text", "png"],
)
def test_other_kinds_of_file_are_not_databases(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    _assert_refused_untouched(path, NotADatabase, "not a database")

    assert path.read_bytes() == content


def test_another_programs_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "recipes.sqlite"
    write_foreign_database(path)

    _assert_refused_untouched(path, ForeignDatabase, "another program")

    # Still the other program's: its journal mode was not switched to WAL either.
    assert query(path, "SELECT name FROM recipes ORDER BY id") == [
        ("lentil soup",),
        ("flatbread",),
    ]
    assert query(path, "PRAGMA journal_mode") == [("delete",)]


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """The file made unwritable for this process, even as root.

    Root ignores permission bits, so as root the file is made immutable instead
    (chattr +i), which binds root too; where that is not allowed the test is skipped.
    """
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root, where permission bits do not apply, and chattr is missing")
    made = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(
            "running as root, where permission bits do not apply, and this file system "
            f"refuses chattr +i: {made.stderr.strip()}"
        )
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_read_only_file_is_refused_with_advice(db: Database, db_path: Path) -> None:
    add_person(db, "Kenji", "Sato")
    db.close()

    with _read_only(db_path):
        assert not os.access(db_path, os.W_OK)
        _assert_refused_untouched(db_path, DatabaseReadOnly, "read-only", "copy it")

    assert given_names(db_path) == ["Kenji"]


def _damage_middle_pages(db_path: Path) -> None:
    _make_database_with_people(db_path, 300)
    # Closing the last connection folds the WAL into the file: what is damaged below is
    # all there is, not something a -wal file could paper over.
    assert side_files(db_path) == []
    assert quick_check(db_path) == []
    data = bytearray(db_path.read_bytes())
    pages = len(data) // PAGE_SIZE
    assert pages > 20, "the database should span many pages for this test to mean anything"
    middle = pages // 2
    data[middle * PAGE_SIZE : (middle + 4) * PAGE_SIZE] = b"\xa5" * (4 * PAGE_SIZE)
    db_path.write_bytes(bytes(data))


def test_check_and_backup_refuses_to_back_up_a_damaged_file(db_path: Path) -> None:
    _damage_middle_pages(db_path)
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        check_and_backup(db_path)
    assert list_backups(db_path) == []


def test_check_and_backup_backs_up_a_sound_file(db_path: Path) -> None:
    _make_database_with_people(db_path, 3)
    made = check_and_backup(db_path)
    assert made is not None and list_backups(db_path) == [made]


def test_corrupt_file_is_refused_and_kept_for_rescue(db_path: Path) -> None:
    _damage_middle_pages(db_path)

    error = _assert_refused_untouched(db_path, DatabaseCorrupt, "damaged", "backup")

    assert quick_check(db_path) != []
    assert str(db_path) in str(error)


def test_database_from_a_newer_group_desk_is_refused(db: Database, db_path: Path) -> None:
    add_person(db, "Amara", "Okafor")
    db.close()
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        conn.commit()

    _assert_refused_untouched(db_path, DatabaseTooNew, "newer Group Desk")

    assert query(db_path, "SELECT version_num FROM alembic_version") == [("9999_from_the_future",)]


# --- opening: what works ---------------------------------------------------------------


def test_reopening_keeps_rows_and_needs_no_upgrade(db: Database, db_path: Path) -> None:
    add_person(db, "Siobhán", "Ó Murchú")
    db.close()

    reopened = open_database(str(db_path))
    try:
        with reopened.read_session() as session:
            names = session.scalars(select(Person.family_name)).all()
        assert names == ["Ó Murchú"]
        assert reopened.migrated_from is None
        assert reopened.backup_before_migration is None
        assert query(db_path, "PRAGMA journal_mode") == [("wal",)]
    finally:
        reopened.close()


def test_create_database_refuses_an_existing_file(db: Database, db_path: Path) -> None:
    add_person(db, "Kenji", "Sato")
    db.close()
    before = db_path.read_bytes()

    with pytest.raises(DatabaseError, match="exists already"):
        create_database(str(db_path))

    assert db_path.read_bytes() == before


def test_upgrade_from_an_older_revision_takes_a_backup_first(tmp_path: Path) -> None:
    """An older database is backed up, as it was, before its schema is upgraded.

    With a single migration there is no older Group Desk schema to start from: the only
    state before the first revision is an empty file, which has nothing to back up. The
    test therefore skips itself until a second migration exists, and then runs as it
    stands, starting from the revision just before head.
    """
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_revision(head_revision())
    assert head is not None
    previous = head.down_revision
    if previous is None:
        pytest.skip("needs a second migration")
    assert isinstance(previous, str), "a merge at head needs its own version of this test"
    path = tmp_path / "older.sqlite"
    database = create_database(str(path))
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), previous)
        connection.exec_driver_sql(
            "INSERT INTO app_settings (key, value) VALUES ('kept', 'across the upgrade')"
        )
    database.close()

    upgraded = open_database(str(path))
    try:
        assert upgraded.migrated_from == previous
        backup = upgraded.backup_before_migration
        assert backup is not None
        assert backup.parent == backup_folder_for(path)
        assert "before-upgrade" in backup.name
        assert query(backup, "SELECT version_num FROM alembic_version") == [(previous,)]
        assert query(path, "SELECT version_num FROM alembic_version") == [(head.revision,)]
        assert query(path, "SELECT value FROM app_settings WHERE key = 'kept'") == [
            ("across the upgrade",)
        ]
    finally:
        upgraded.close()


# --- backups ---------------------------------------------------------------------------


def test_backup_goes_to_the_backups_folder_as_one_file(
    db: Database, db_path: Path, isolated_data_dir: Path
) -> None:
    add_person(db, "Aoife", "Ní Bhriain")

    backup = make_backup(db_path)

    assert backup.parent.parent == isolated_data_dir / "backups"
    assert backup.parent.name.startswith(f"{db_path.stem}-")
    assert backup.name.startswith(f"{db_path.stem}-") and backup.suffix == ".sqlite"
    assert given_names(backup) == ["Aoife"]
    assert quick_check(backup, full=True) == []
    # Self-contained: a rollback-journal file with nothing beside it.
    assert query(backup, "PRAGMA journal_mode") == [("delete",)]
    assert side_files(backup) == []
    assert list_backups(db_path) == [backup]


def test_same_named_databases_keep_separate_backups(tmp_path: Path) -> None:
    first = create_database(str(tmp_path / "a" / "group.sqlite"))
    second = create_database(str(tmp_path / "b" / "group.sqlite"))
    assert first.path is not None and second.path is not None
    assert backup_folder_for(first.path) != backup_folder_for(second.path)
    make_backup(first.path)
    assert list_backups(second.path) == []
    first.close()
    second.close()


def test_backup_to_a_chosen_place(db: Database, db_path: Path, tmp_path: Path) -> None:
    add_person(db, "Aoife", "Ní Bhriain")
    usb = tmp_path / "usb stick"
    usb.mkdir()

    into_folder = make_backup(db_path, usb)
    named = make_backup(db_path, usb / "march.sqlite")

    assert into_folder == usb / f"{db_path.stem}-backup.sqlite"
    assert given_names(into_folder) == given_names(named) == ["Aoife"]
    assert list_backups(db_path) == [], "a chosen place does not count as an automatic backup"
    with pytest.raises(DatabaseError, match="cannot replace the database"):
        make_backup(db_path, db_path)
    assert given_names(db_path) == ["Aoife"]


def test_only_the_last_ten_backups_are_kept(db: Database, db_path: Path) -> None:
    assert BACKUPS_KEPT == 10
    made = [make_backup(db_path) for _ in range(BACKUPS_KEPT + 2)]

    kept = list_backups(db_path)

    assert kept == list(reversed(made[2:]))
    assert not made[0].exists()
    assert not made[1].exists()


def test_backup_if_changed_skips_an_unchanged_database(db: Database, db_path: Path) -> None:
    add_person(db, "Kenji", "Sato")

    first = backup_if_changed(db_path)
    assert first is not None
    assert backup_if_changed(db_path) is None
    assert list_backups(db_path) == [first]

    # The first backup was taken a minute ago (file times are too coarse to tell apart
    # two writes made within the same few milliseconds); then someone is added.
    a_minute_ago = time.time() - 60
    os.utime(first, (a_minute_ago, a_minute_ago))
    add_person(db, "Amara", "Okafor")

    second = backup_if_changed(db_path)
    assert second is not None and second != first
    assert given_names(second) == ["Amara", "Kenji"]
    assert given_names(first) == ["Kenji"]


def test_backup_includes_rows_still_only_in_the_wal(db: Database, db_path: Path) -> None:
    # While another connection is open, committed rows stay in the -wal file and the main
    # file does not have them yet; a plain file copy would lose them.
    with closing(sqlite3.connect(db_path)) as keeper:
        keeper.execute("SELECT count(*) FROM people").fetchone()
        add_person(db, "Wanjiru", "Kamau")
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        main_file_only = db_path.with_name("main-file-only.sqlite")
        shutil.copyfile(db_path, main_file_only)
        assert given_names(main_file_only) == []

        backup = make_backup(db_path)

    assert given_names(backup) == ["Wanjiru"]
    assert side_files(backup) == []


def test_restore_brings_back_rows_and_keeps_a_safety_copy(db: Database, db_path: Path) -> None:
    add_person(db, "Before", "Backup")
    backup = make_backup(db_path)
    add_person(db, "After", "Backup")

    safety = restore_backup(backup, db_path)

    assert given_names(db_path) == ["Before"]
    assert safety is not None
    assert given_names(safety) == ["After", "Before"]
    assert safety.parent == backup_folder_for(db_path)
    assert "before-restore" in safety.name
    reopened = open_database(str(db_path))
    try:
        with reopened.read_session() as session:
            assert session.scalars(select(Person.given_name)).all() == ["Before"]
    finally:
        reopened.close()


def test_restore_of_the_oldest_kept_backup(db: Database, db_path: Path) -> None:
    """With ten backups kept, the oldest can be restored: the safety copy made first must
    not push it out of the folder."""
    add_person(db, "Oldest", "Backup")
    oldest = make_backup(db_path)
    add_person(db, "Later", "Change")
    for _ in range(BACKUPS_KEPT - 1):
        make_backup(db_path)
    assert list_backups(db_path)[-1] == oldest

    safety = restore_backup(oldest, db_path)

    assert given_names(db_path) == ["Oldest"]
    assert safety is not None
    assert given_names(safety) == ["Later", "Oldest"]


def test_restore_over_a_damaged_database_keeps_it_aside(db_path: Path) -> None:
    _make_database_with_people(db_path, 300)
    backup = make_backup(db_path)
    data = bytearray(db_path.read_bytes())
    middle = len(data) // PAGE_SIZE // 2
    data[middle * PAGE_SIZE : (middle + 4) * PAGE_SIZE] = b"\xa5" * (4 * PAGE_SIZE)
    db_path.write_bytes(bytes(data))
    damaged = bytes(data)

    kept_aside = restore_backup(backup, db_path)

    assert kept_aside is not None and "damaged" in kept_aside.name
    assert kept_aside.read_bytes() == damaged
    assert quick_check(db_path) == []
    assert len(given_names(db_path)) == 300


@pytest.mark.parametrize("kind", ["text", "foreign", "missing"])
def test_restore_refuses_what_is_not_a_backup(
    db: Database, db_path: Path, tmp_path: Path, kind: str
) -> None:
    add_person(db, "Kenji", "Sato")
    db.close()
    before = db_path.read_bytes()
    candidate = tmp_path / f"candidate-{kind}.sqlite"
    expected: type[DatabaseError]
    if kind == "text":
        candidate.write_text("given,family\nAmara,Okafor\n", encoding="utf-8")
        expected = NotADatabase
    elif kind == "foreign":
        write_foreign_database(candidate)
        expected = ForeignDatabase
    else:
        expected = DatabaseMissing

    with pytest.raises(expected) as info:
        restore_backup(candidate, db_path)

    assert candidate.name in str(info.value)
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == [], "no safety copy is made for a refused restore"
