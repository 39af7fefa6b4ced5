"""`groupdesk import` and `groupdesk imports list|undo`: the command-line contract.

Exit 0 and exactly one JSON object with --json, its first keys those the issue names;
exit 1 and one line on stderr naming the file for a bad file, with the database
unchanged. One test runs the installed console script in a subprocess, as a script would.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.db import Database
from desktop_app.services.group import laptop_id
from tests.helpers.bundle_laptops import add_event, dump, query, set_up_group
from tests.helpers.command_line import one_line, run, run_json

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "import_corpus"
CONTRACT = ["rows", "added", "matched", "updated", "needs_review", "rejected", "rejects_file"]


@pytest.fixture
def secretary(db: Database) -> Database:
    set_up_group(db)
    laptop_id(db)
    return db


def test_import_prints_the_contract_and_the_people_are_there(
    secretary: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_json(
        capsys, "--db", str(secretary.path), "import", str(SAMPLES / "nationbuilder_people.csv")
    )
    assert list(result)[: len(CONTRACT)] == CONTRACT
    assert {key: result[key] for key in CONTRACT[:-1]} == {
        "rows": 7, "added": 5, "matched": 1, "updated": 0, "needs_review": 1, "rejected": 1,
    }  # fmt: skip
    rejects = Path(str(result["rejects_file"]))
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        assert [row[:2] for row in csv.reader(handle)][1:] == [
            ["8", "no name and no email or phone"]
        ]
    assert query(secretary, "SELECT COUNT(*) FROM people") == [(5,)]
    assert isinstance(result["batch_id"], int)


def test_dry_run_counts_and_changes_nothing(
    secretary: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(secretary)
    result = run_json(
        capsys,
        "import",
        str(SAMPLES / "surveymonkey_tabling.csv"),
        "--dry-run",
        "--db",
        str(secretary.path),
    )
    assert result["dry_run"] is True and result["rejects_file"] is None
    assert result["batch_id"] is None
    assert result["added"] == 5  # Maria twice, once with her email in capitals
    assert dump(secretary) == before


def test_the_same_file_twice_adds_nobody_the_second_time(
    secretary: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("--db", str(secretary.path), "import", str(SAMPLES / "surveymonkey_tabling.csv"))
    first = run_json(capsys, *argv, "--tag", "tabling")
    second = run_json(capsys, *argv, "--tag", "tabling")
    assert (first["added"], second["added"], second["matched"]) == (5, 0, 6)
    assert second["updated"] == 0


def test_tag_and_event_reach_everyone(
    secretary: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    fair = add_event(secretary, "Street fair")
    result = run_json(
        capsys,
        "--db",
        str(secretary.path),
        "import",
        str(SAMPLES / "surveymonkey_tabling.csv"),
        "--tag",
        "fair-2026",
        "--event",
        str(fair),
    )
    assert result["signed_in"] == result["added"] == 5
    assert query(secretary, "SELECT COUNT(*) FROM sign_ins WHERE source = 'import'") == [(5,)]
    assert query(
        secretary,
        "SELECT COUNT(*) FROM person_tags JOIN tags ON tags.id = tag_id WHERE name = 'fair-2026'",
    ) == [(5,)]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("binary_junk.csv", "binary"),
        ("header_only.csv", "no rows"),
        ("word_document.xlsx", ""),
        ("truncated.xlsx", ""),
        ("no_name_columns.csv", ""),
    ],
)
def test_a_bad_file_exits_1_with_one_line_naming_it_and_changes_nothing(
    secretary: Database, capsys: pytest.CaptureFixture[str], name: str, words: str
) -> None:
    before = dump(secretary)
    code, out, err = run(capsys, "--db", str(secretary.path), "import", str(CORPUS / name))
    assert code == cli.EXIT_FAILED
    assert out == ""
    assert one_line(err).startswith(f"groupdesk: {name}: ")
    assert words in err
    assert dump(secretary) == before


def test_a_missing_file_and_an_unknown_event_are_one_line_each(
    secretary: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", str(secretary.path), "import", str(tmp_path / "no.csv"))
    assert code == cli.EXIT_FAILED and "no.csv" in one_line(err)
    sample = str(SAMPLES / "nationbuilder_people.csv")
    code, _, err = run(capsys, "--db", str(secretary.path), "import", sample, "--event", "77")
    assert code == cli.EXIT_FAILED
    assert one_line(err) == (
        "groupdesk: nationbuilder_people.csv: there is no event 77 to sign these people in at\n"
    )
    code, _, err = run(capsys, "--db", str(secretary.path), "import", sample, "--event", "x")
    assert code == cli.EXIT_USAGE and one_line(err)


def test_imports_list_and_undo(secretary: Database, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", str(secretary.path))
    done = run_json(capsys, *db, "import", str(SAMPLES / "nationbuilder_people.csv"))
    listed = run_json(capsys, *db, "imports", "list")
    (batch,) = listed["imports"]  # type: ignore[misc]
    assert batch["batch_id"] == done["batch_id"] and batch["undone_at"] is None
    assert (batch["file_name"], batch["added"]) == ("nationbuilder_people.csv", 5)
    assert batch["rejects_file"] == done["rejects_file"]  # still there, to open again
    undone = run_json(capsys, *db, "imports", "undo", str(done["batch_id"]))
    assert (undone["removed"], undone["kept"], undone["reviews_closed"]) == (5, 0, 1)
    assert query(secretary, "SELECT COUNT(*) FROM people WHERE removed_at IS NULL") == [(0,)]
    code, _, err = run(capsys, *db, "imports", "undo", str(done["batch_id"]))
    assert code == cli.EXIT_FAILED and "already undone" in one_line(err)
    code, _, err = run(capsys, *db, "imports", "undo", "12")
    assert code == cli.EXIT_FAILED and one_line(err) == (
        "groupdesk: Import 12: there is no such import\n"
    )
    # Imported again after the undo: everyone is back, as new people.
    again = run_json(capsys, *db, "import", str(SAMPLES / "nationbuilder_people.csv"))
    assert again["added"] == 5


def test_plain_output_says_how_to_undo(
    secretary: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--db", str(secretary.path), "import", str(SAMPLES / "nationbuilder_people.csv")
    )
    assert code == cli.EXIT_OK
    assert out.startswith("7 rows: added 5, matched 1 (0 updated), 1 to review, 1 rejected\n")
    assert "rejected rows: " in out
    assert err.strip().startswith("to undo: groupdesk imports undo ")


@pytest.mark.skipif(shutil.which("groupdesk") is None and not Path(sys.prefix, "bin", "groupdesk")
                    .exists(), reason="console script not installed")  # fmt: skip
def test_the_installed_command_imports_in_a_process_of_its_own(
    secretary: Database, tmp_path: Path
) -> None:
    script = Path(sys.prefix, "bin", "groupdesk")
    secretary.close()
    completed = subprocess.run(
        [str(script), "--db", str(secretary.path), "import",
         str(SAMPLES / "nationbuilder_people.csv"), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
        env={"GROUPDESK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path)},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert list(result)[:7] == CONTRACT and result["added"] == 5
    assert Path(result["rejects_file"]).parent == tmp_path / "data" / "rejects"
