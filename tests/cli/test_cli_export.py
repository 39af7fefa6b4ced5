"""`groupdesk export ...`: exit codes, one line on stderr, one JSON object, files read back."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from desktop_app.db import Database
from desktop_app.models import EntryKind, PersonStatus
from desktop_app.services import events, ledger, signin
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.ledger import LedgerLineInput
from desktop_app.services.roster import PersonInput, create_person
from tests.helpers.command_line import refused, run, run_json


@pytest.fixture
def group_db(db: Database) -> Database:
    save_profile(db, GroupProfileData(name="Riverside Group"))
    for day, cents, category, kind in (
        (date(2025, 12, 1), 4_000, "Grants", EntryKind.INCOME),
        (date(2026, 1, 5), 2_500, "Dues", EntryKind.INCOME),
        (date(2026, 2, 5), 1_000, "Printing", EntryKind.EXPENSE),
    ):
        ledger.add_line(db, LedgerLineInput(day, "", category, kind, cents))
    create_person(
        db,
        PersonInput(
            given_name="Ana",
            family_name="Lima",
            email="ana@example.org",
            postal_code="02139",
            address_line1="1 Main St",
            mail_ok=True,
            status=PersonStatus.MEMBER,
            tags=("tabling",),
        ),
    )
    create_person(db, PersonInput(given_name="Dora", family_name="Quiet", do_not_contact=True))
    return db


def test_export_treasurer_json_and_workbook(
    capsys: pytest.CaptureFixture[str], group_db: Database, tmp_path: Path
) -> None:
    target = tmp_path / "books.xlsx"
    result = run_json(
        capsys, "--db", str(group_db.path), "export", "treasurer", str(target), "--year", "2026"
    )
    assert result == {
        "path": str(target.resolve()),
        "rows": 2,
        "year": 2026,
        "dues": 0,
        "donations": 0,
        "remittances": 0,
    }
    sheet = load_workbook(target)["Transactions"]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["Dues", "Printing"]
    everything = run_json(capsys, "--db", str(group_db.path), "export", "treasurer", str(target))
    assert everything["rows"] == 3 and everything["year"] is None


def test_export_roster_kinds(
    capsys: pytest.CaptureFixture[str], group_db: Database, tmp_path: Path
) -> None:
    base = ["--db", str(group_db.path), "export", "roster"]
    whole = run_json(capsys, *base, str(tmp_path / "roster.csv"))
    assert (whole["rows"], whole["kind"], whole["left_out"]) == (2, "roster", {})
    labels = run_json(capsys, *base, str(tmp_path / "labels.xlsx"), "--mailing-list")
    assert labels["rows"] == 1 and labels["left_out"] == {"do_not_contact": 1}
    members = run_json(capsys, *base, str(tmp_path / "m.csv"), "--status", "member")
    with (tmp_path / "m.csv").open(encoding="utf-8-sig") as handle:
        assert [row["Name"] for row in csv.DictReader(handle)] == ["Ana Lima"]
    assert members["rows"] == 1
    tagged = run_json(capsys, *base, str(tmp_path / "t.csv"), "--tag", "nobody-has-this")
    assert tagged["rows"] == 0
    # Without --json: the path on stdout, a count on stderr.
    code, out, err = run(capsys, *base, str(tmp_path / "e.csv"), "--email-list")
    assert code == 0 and out.strip() == str(tmp_path / "e.csv")
    assert "0 rows written" in err


def test_export_attendance(
    capsys: pytest.CaptureFixture[str], group_db: Database, tmp_path: Path
) -> None:
    event_id = events.create_event(
        group_db,
        events.EventInput(title="Vigil", starts_at=datetime(2026, 5, 1, 18, tzinfo=UTC)),
    ).id
    for person_id in (1, 2):
        signin.sign_in(group_db, event_id, person_id)
    result = run_json(
        capsys,
        "--db",
        str(group_db.path),
        "export",
        "attendance",
        str(event_id),
        str(tmp_path / "vigil.csv"),
    )
    assert (result["rows"], result["event_id"], result["details_hidden"]) == (2, event_id, 1)
    assert (tmp_path / "vigil.csv").read_text(encoding="utf-8-sig").count("\n") == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "treasurer", "{tmp}/books.csv"], "must end in .xlsx"),
        (["export", "treasurer", "{tmp}/missing/books.xlsx"], "no such folder"),
        (["export", "treasurer", "{tmp}"], "must end in .xlsx"),
        (["export", "treasurer", "{tmp}/b.xlsx", "--year", "26"], "'26' is not a year like 2026"),
        (["export", "treasurer", "{tmp}/b.xlsx", "--year", "x"], "'x' is not a year like 2026"),
        (["export", "roster", "{tmp}/r.pdf"], ".xlsx or .csv"),
        (["export", "roster", "{tmp}/r.csv", "--mailing-list", "--email-list"], "not allowed"),
        (["export", "roster", "{tmp}/r.csv", "--status", "boss"], "invalid choice"),
        (["export", "attendance", "999", "{tmp}/a.csv"], "No event with id 999"),
        (["export", "attendance", "x", "{tmp}/a.csv"], "'x' is not an event id (a number)"),
        (["export", "attendance", "0", "{tmp}/a.csv"], "'0' is not an event id (a number)"),
        (["export"], "required"),
    ],
)
def test_bad_exports_say_what_is_wrong_in_one_line(
    capsys: pytest.CaptureFixture[str],
    group_db: Database,
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    args = [part.replace("{tmp}", str(tmp_path)) for part in argv]
    err = refused(capsys, "--db", str(group_db.path), *args)
    assert message in err
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob("*.csv"))
