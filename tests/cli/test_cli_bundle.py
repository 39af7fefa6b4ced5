"""`groupdesk bundle export` and `groupdesk bundle merge`: the command-line contract.

Exit 0 and exactly one JSON object with --json; exit 1 and one line on stderr naming
the file for a bad bundle, with the database unchanged; a bundle from another group
needs --other-group.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.db import Database, open_database
from desktop_app.services.group import GroupProfileData
from tests.helpers.bundle_laptops import (
    add_event,
    add_person,
    dump,
    laptop_copy,
    query,
    set_up_group,
    sign_in,
)
from tests.helpers.command_line import one_line, run, run_json

MERGE_KEYS = {"people_added", "people_matched", "signins_added", "needs_review", "already_merged"}


@pytest.fixture
def secretary(db: Database) -> Database:
    set_up_group(db)
    add_event(db)
    add_person(db, given_name="Dana", family_name="Quist", email="dana@example.com")
    return db


@pytest.fixture
def laptop(secretary: Database, tmp_path: Path) -> Iterator[Database]:
    copy = laptop_copy(secretary, tmp_path, "laptop-a")
    for fields in (
        {"given_name": "Dana", "family_name": "Quist", "email": "DANA@example.com"},
        {"given_name": "Lin", "family_name": "Wu", "email": "lin@example.com"},
    ):
        sign_in(copy, 1, add_person(copy, **fields))
    yield copy
    copy.close()


def test_export_then_merge_print_the_documented_figures(
    capsys: pytest.CaptureFixture[str], secretary: Database, laptop: Database, tmp_path: Path
) -> None:
    path = tmp_path / "fair.signups.json"
    laptop.close()  # the command opens the file itself

    exported = run_json(capsys, "--db", str(laptop.path), "bundle", "export", str(path))
    merged = run_json(capsys, "--db", str(secretary.path), "bundle", "merge", str(path))
    again = run_json(capsys, "bundle", "merge", str(path), "--db", str(secretary.path))

    assert set(exported) == {"path", "people", "signins", "events", "bundle_uid"}
    assert (exported["path"], exported["people"], exported["signins"], exported["events"]) == (
        str(path.resolve()),
        2,
        2,
        1,
    )
    assert merged == {
        "people_added": 1,
        "people_matched": 1,
        "signins_added": 2,
        "needs_review": 0,
        "already_merged": False,
    }
    assert again == {key: 0 for key in MERGE_KEYS} | {"already_merged": True}


def test_export_of_one_event_since_a_day(
    capsys: pytest.CaptureFixture[str], laptop: Database, tmp_path: Path
) -> None:
    path = tmp_path / "one.json"

    result = run_json(
        capsys,
        "--db",
        str(laptop.path),
        "bundle",
        "export",
        str(path),
        "--event",
        "1",
        "--since",
        "2026-05-01",
    )
    later = run_json(
        capsys, "--db", str(laptop.path), "bundle", "export", str(path), "--since", "2026-06-01"
    )

    assert (result["signins"], later["signins"]) == (2, 0)


def test_a_bundle_from_another_group_needs_other_group(
    capsys: pytest.CaptureFixture[str], secretary: Database, tmp_path: Path, migrated_template: Path
) -> None:
    other_path = tmp_path / "students.sqlite"
    shutil.copyfile(migrated_template, other_path)
    other = open_database(str(other_path))
    set_up_group(other, GroupProfileData(name="Tufts Students", country="US"))
    sign_in(other, add_event(other), add_person(other, given_name="Lin", family_name="Wu"))
    path = tmp_path / "tufts.signups.json"
    run_json(capsys, "--db", str(other_path), "bundle", "export", str(path))
    other.close()
    before = dump(secretary)

    code, out, err = run(
        capsys, "--db", str(secretary.path), "bundle", "merge", str(path), "--json"
    )

    assert (code, out) == (cli.EXIT_FAILED, "")
    line = one_line(err)
    assert "tufts.signups.json" in line and '"Tufts Students"' in line
    assert "--other-group" in line
    assert dump(secretary) == before
    merged = run_json(
        capsys, "--db", str(secretary.path), "bundle", "merge", str(path), "--other-group"
    )
    assert merged["people_added"] == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"", "empty"),
        (b'{"format": "groupdesk-signups", "format_version": 1, "sha256": "ab', "cut short"),
        (b'{"format": "groupdesk-signups", "format_version": 9}', "newer Group Desk"),
        (b"given,family\nLin,Wu\n", "text file of another kind"),
    ],
)
def test_a_bad_file_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    secretary: Database,
    tmp_path: Path,
    content: bytes,
    words: str,
) -> None:
    path = tmp_path / "from-the-usb-stick.json"
    path.write_bytes(content)
    before = dump(secretary)

    code, out, err = run(capsys, "--db", str(secretary.path), "bundle", "merge", str(path))

    assert (code, out) == (cli.EXIT_FAILED, "")
    line = one_line(err)
    assert "from-the-usb-stick.json" in line and words in line
    assert dump(secretary) == before


def test_export_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], laptop: Database, tmp_path: Path
) -> None:
    code, _, err = run(
        capsys,
        "--db",
        str(laptop.path),
        "bundle",
        "export",
        str(tmp_path / "x.json"),
        "--event",
        "42",
    )
    assert code == cli.EXIT_FAILED
    assert "there is no event 42" in one_line(err)

    code, _, err = run(
        capsys, "--db", str(laptop.path), "bundle", "export", "x.json", "--since", "16/05/2026"
    )
    assert code == cli.EXIT_USAGE
    assert "'16/05/2026' is not a date" in one_line(err)

    code, _, err = run(capsys, "--db", str(laptop.path), "bundle")
    assert code == cli.EXIT_USAGE
    one_line(err)


def test_merge_runs_as_a_program(secretary: Database, laptop: Database, tmp_path: Path) -> None:
    path = tmp_path / "fair.signups.json"
    laptop.close()
    for argv in (
        ["--db", str(laptop.path), "bundle", "export", str(path)],
        ["--db", str(secretary.path), "bundle", "merge", str(path), "--json"],
    ):
        completed = subprocess.run(
            [sys.executable, "-m", "desktop_app", *argv],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr
    assert set(json.loads(completed.stdout)) == MERGE_KEYS
    assert query(secretary, "SELECT COUNT(*) FROM sign_ins") == [(2,)]
