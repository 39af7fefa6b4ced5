"""The command-line contract: exit codes, one line on stderr, one JSON object with --json."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.db import Database, list_backups, open_database
from desktop_app.models import PersonStatus
from desktop_app.services.roster import PersonInput, create_person, remove_people
from tests.helpers.command_line import run, run_json


@pytest.fixture
def roster_db(db: Database) -> Database:
    create_person(
        db,
        PersonInput(
            given_name="Maria",
            family_name="Gonçalves",
            email="maria.g@example.com",
            phone="617-555-0142",
            postal_code="02139",
            status="member",
            tags=("tabling-2026",),
        ),
    )
    create_person(
        db,
        PersonInput(given_name="Kenji", family_name="Sato", status="activist", do_not_contact=True),
    )
    gone = create_person(db, PersonInput(given_name="Removed", family_name="Person"))
    remove_people(db, [gone.person_id])
    return db


def test_roster_list_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], roster_db: Database
) -> None:
    result = run_json(capsys, "--db", str(roster_db.path), "roster", "list")
    assert result["count"] == 2
    people = result["people"]
    assert isinstance(people, list)
    maria = people[0]
    for key in (
        "id",
        "given_name",
        "family_name",
        "email",
        "phone",
        "postal_code",
        "status",
        "roles",
        "tags",
        "do_not_contact",
    ):
        assert key in maria
    assert (maria["family_name"], maria["phone"], maria["postal_code"], maria["tags"]) == (
        "Gonçalves",
        "+16175550142",
        "02139",
        ["tabling-2026"],
    )
    assert people[1]["do_not_contact"] is True


def test_roster_list_search_status_limit_and_trash(
    capsys: pytest.CaptureFixture[str], roster_db: Database
) -> None:
    db = str(roster_db.path)
    assert run_json(capsys, "--db", db, "roster", "list", "--search", "gonc")["count"] == 1
    assert run_json(capsys, "roster", "list", "--status", "activist", "--db", db)["count"] == 1
    tagged = run_json(capsys, "--db", db, "roster", "list", "--tag", "tabling-2026")
    assert [p["given_name"] for p in tagged["people"]] == ["Maria"]  # type: ignore[union-attr]
    limited = run_json(capsys, "--db", db, "roster", "list", "--limit", "1")
    assert (limited["count"], len(limited["people"])) == (2, 1)  # type: ignore[arg-type]
    trash = run_json(capsys, "--db", db, "roster", "list", "--trash")
    assert [p["given_name"] for p in trash["people"]] == ["Removed"]  # type: ignore[union-attr]


def test_status_offers_every_status_a_person_can_have() -> None:
    assert tuple(status.value for status in PersonStatus) == cli.STATUSES


def test_plain_roster_list_prints_a_line_per_person(
    capsys: pytest.CaptureFixture[str], roster_db: Database
) -> None:
    code, out, err = run(capsys, "--db", str(roster_db.path), "roster", "list")
    assert code == 0
    assert out.splitlines()[0].startswith("Maria Gonçalves\tmaria.g@example.com")
    assert err.strip() == "2 people"


@pytest.mark.parametrize(
    "argv",
    [
        ["roster", "list", "--limit", "0"],
        ["roster", "list", "--status", "king"],
        ["roster"],
        ["frobnicate"],
    ],
)
def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1


def test_missing_and_non_database_files_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("shopping list")
    for target, words in [
        (tmp_path / "nope.sqlite", "no such database"),
        (text_file, "not a database"),
    ]:
        code, out, err = run(capsys, "--db", str(target), "roster", "list", "--json")
        assert (code, out) == (1, "")
        assert len(err.strip().splitlines()) == 1
        assert str(target) in err and words in err
    assert text_file.read_text() == "shopping list"


def test_check_passes_a_sound_file_and_fails_a_damaged_one(
    capsys: pytest.CaptureFixture[str], roster_db: Database
) -> None:
    assert roster_db.path is not None
    assert run_json(capsys, "--db", str(roster_db.path), "check")["ok"] is True
    roster_db.close()
    _damage(roster_db.path)
    code, out, err = run(capsys, "--db", str(roster_db.path), "check", "--json")
    assert code == 1
    assert json.loads(out)["ok"] is False
    assert "damaged" in err and len(err.strip().splitlines()) == 1


def _damage(path: Path) -> None:
    """Scribble over the middle of the file's pages, as a failing disk would."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 100, len(data) - 4096, 4096):
        data[offset : offset + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))


def test_backup_then_restore_brings_people_back(
    capsys: pytest.CaptureFixture[str], roster_db: Database, tmp_path: Path
) -> None:
    assert roster_db.path is not None
    db = str(roster_db.path)
    copy = tmp_path / "copy.sqlite"
    result = run_json(capsys, "--db", db, "backup", str(copy))
    assert Path(str(result["path"])) == copy
    automatic = run_json(capsys, "--db", db, "backup")
    assert Path(str(automatic["path"])) in list_backups(roster_db.path)

    create_person(roster_db, PersonInput(given_name="After", family_name="Backup"))
    roster_db.close()
    restored = run_json(capsys, "--db", db, "restore", str(copy))
    assert restored["previous_copy"]
    reopened = open_database(db)
    names = run_json(capsys, "--db", db, "roster", "list")["people"]
    assert [p["given_name"] for p in names] == ["Maria", "Kenji"]  # type: ignore[union-attr]
    reopened.close()
    # The state just before the restore was kept, with the person added after the backup.
    kept = open_database(str(restored["previous_copy"]))
    from desktop_app.services.roster import search_person_ids

    assert len(search_person_ids(kept, "after backup")) == 1
    kept.close()


def test_restore_refuses_a_file_that_is_not_a_backup(
    capsys: pytest.CaptureFixture[str], roster_db: Database, tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    code, _, err = run(capsys, "--db", str(roster_db.path), "restore", str(bogus))
    assert code == 1 and "not a database backup" in err
    assert run_json(capsys, "--db", str(roster_db.path), "roster", "list")["count"] == 2


def test_the_installed_entry_point_speaks_json(roster_db: Database) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "--db",
            str(roster_db.path),
            "roster",
            "list",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["count"] == 2


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`groupdesk roster list | head -1`: the command ends quietly, not with a traceback."""
    target = tmp_path / "big.sqlite"
    made = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(target), "demo", "--people", "2000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    listing = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--db", str(target), "roster", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.read(100)
    listing.stdout.close()  # far less than 2,000 lines read: the writer meets a closed pipe
    errors = listing.stderr.read().decode()
    assert listing.wait(timeout=60) == 0
    assert "Traceback" not in errors


def test_the_program_leaves_with_the_commands_status_and_all_its_output(tmp_path: Path) -> None:
    """`python -m desktop_app` (as the installed script) skips the interpreter's tear-down
    after a command: nothing printed may be lost, and the exit status is the command's."""
    target = tmp_path / "group.sqlite"
    made = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(target), "demo", "--people", "50",
         "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["people"] == 50
    missing = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(tmp_path / "none.sqlite"), "check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert missing.returncode == 1
    assert missing.stderr.strip().endswith("none.sqlite: no such database file")
