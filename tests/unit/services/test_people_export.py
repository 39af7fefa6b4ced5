"""Roster, mailing lists and attendance files: who is in them (consent), what is left
out, text kept as text, hostile cells neutralised; read back with openpyxl, csv and
LibreOffice."""

from __future__ import annotations

import csv
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from desktop_app.db import Database
from desktop_app.models import PersonStatus
from desktop_app.services import events, roster, signin
from desktop_app.services.people_export import (
    COLUMNS,
    ExportError,
    export_attendance_file,
    export_people,
)
from desktop_app.services.roster import PersonInput, RosterFilter
from tests.helpers.libreoffice import sheets_as_csv

HOSTILE = "=cmd|' /C calc'!A0"


def person(db: Database, given: str, family: str, **more: object) -> int:
    return roster.create_person(
        db,
        PersonInput(given_name=given, family_name=family, **more),  # type: ignore[arg-type]
    ).person_id


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    address = {"address_line1": "1 Main St", "city": "Cambridge", "postal_code": "02139"}
    return {
        "ana": person(
            db, "Ana", "Lima", email="ana@example.org", phone="617 555 0142", email_ok=True,
            mail_ok=True, phone_ok=True, status=PersonStatus.MEMBER, tags=("tabling",),
            dues_paid_through=date(2020, 1, 1), **address,
        ),
        "ben": person(db, "Ben", "Okafor", email="ben@example.org", mail_ok=True),  # no address
        "dora": person(
            db, "Dora", "Quiet", email="dora@example.org", phone="617 555 0199", email_ok=True,
            mail_ok=True, phone_ok=True, do_not_contact=True, **address,
        ),
        "eve": person(db, HOSTILE, "Zed", email="eve@example.org", email_ok=False, **address),
        "gone": person(db, "Gone", "Away", email="gone@example.org", email_ok=True),
    }  # fmt: skip


@pytest.fixture
def exported(db: Database, people: dict[str, int]) -> Database:
    roster.remove_people(db, [people["gone"]])
    return db


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_roster_lists_everyone_but_hides_do_not_contact_details(
    exported: Database, tmp_path: Path
) -> None:
    result = export_people(exported, tmp_path / "roster.xlsx", today=date(2026, 6, 1))
    assert (result.rows, result.left_out) == (4, {})
    sheet = load_workbook(result.path)["Roster"]
    headers = [c.value for c in sheet[1]]
    assert headers == [column.header for column in COLUMNS["roster"]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:V5"
    assert all(c.font.b for c in sheet[1])
    rows = {r[1].value: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2)}
    assert list(rows) == ["Lima", "Okafor", "Quiet", "Zed"]  # roster order, no trash
    ana = rows["Lima"]
    assert ana["Postal code"].value == "02139" and ana["Postal code"].number_format == "@"
    assert ana["Phone"].value == "+16175550142" and ana["Phone"].data_type == "s"
    assert ana["Tags"].value == "tabling" and ana["Status"].value == "Member"
    assert ana["Dues paid through"].value == datetime(2020, 1, 1)
    assert ana["Dues"].value == "Lapsed" and ana["Email OK"].value == "Yes"
    dora = rows["Quiet"]
    assert dora["Contact"].value == "Do not contact"
    for hidden in ("Email", "Phone", "Address line 1"):
        assert dora[hidden].value is None, hidden
    assert dora["Postal code"].value == "02139"
    eve = rows["Zed"]["Given name"]
    assert eve.value == HOSTILE and eve.data_type == "s" and eve.quotePrefix
    with zipfile.ZipFile(result.path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"dora@example.org" not in everything and b"6175550199" not in everything
    assert b"<f>" not in everything


def test_roster_filters_by_status_and_tag(exported: Database, tmp_path: Path) -> None:
    members = export_people(
        exported,
        tmp_path / "m.csv",
        RosterFilter(statuses=frozenset({PersonStatus.MEMBER})),
    )
    assert [row["Family name"] for row in read_csv(members.path)] == ["Lima"]
    tagged = export_people(exported, tmp_path / "t.csv", RosterFilter(tag="tabling"))
    assert tagged.rows == 1
    with pytest.raises(ExportError, match="trash"):
        export_people(exported, tmp_path / "x.csv", RosterFilter(in_trash=True))


def test_mailing_list_only_those_who_said_yes_to_post_with_an_address(
    exported: Database, tmp_path: Path
) -> None:
    result = export_people(exported, tmp_path / "labels.csv", kind="mail")
    rows = read_csv(result.path)
    assert [row["Name"] for row in rows] == ["Ana Lima"]
    assert rows[0]["Postal code"] == "02139" and rows[0]["Address line 1"] == "1 Main St"
    assert list(rows[0]) == [column.header for column in COLUMNS["mail"]]
    assert result.left_out == {"no_address": 1, "do_not_contact": 1, "no_consent": 1}


def test_email_and_phone_lists_follow_their_own_consent(exported: Database, tmp_path: Path) -> None:
    emails = export_people(exported, tmp_path / "emails.xlsx", kind="email")
    sheet = load_workbook(emails.path)["Email list"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Ana Lima", "Ana", "Lima", "ana@example.org"]
    ]
    assert emails.left_out == {"no_consent": 2, "do_not_contact": 1}
    phones = export_people(exported, tmp_path / "phones.csv", kind="phone")
    assert read_csv(phones.path) == [{"Name": "Ana Lima", "Phone": "'+16175550142"}]


def test_csv_neutralises_formulas_and_keeps_accents(exported: Database, tmp_path: Path) -> None:
    person(exported, "José", "Ñúñez", email="j@example.org")
    result = export_people(exported, tmp_path / "roster.csv")
    raw = result.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with its byte order mark
    rows = read_csv(result.path)
    assert rows[-1]["Given name"] == "'" + HOSTILE
    assert any(row["Family name"] == "Ñúñez" for row in rows)
    assert rows[0]["Dues paid through"] == "2020-01-01"


def test_bad_file_names_are_refused_and_nothing_is_written(
    exported: Database, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx or \.csv"):
        export_people(exported, tmp_path / "roster.pdf")
    assert not (tmp_path / "roster.pdf").exists()


def test_libreoffice_reads_the_roster_with_its_text_intact(
    exported: Database, tmp_path: Path
) -> None:
    result = export_people(exported, tmp_path / "roster.xlsx")
    sheets = sheets_as_csv(result.path)
    [rows] = sheets.values()
    header = rows[0]
    ana = dict(zip(header, rows[1], strict=True))
    assert ana["Postal code"] == "02139"
    assert ana["Phone"] == "+16175550142"
    eve = dict(zip(header, rows[4], strict=True))
    assert eve["Given name"] == HOSTILE  # shown as typed, not run


def test_attendance_as_csv_and_xlsx(db: Database, tmp_path: Path) -> None:
    event_id = events.create_event(
        db, events.EventInput(title="Vigil", starts_at=datetime(2026, 5, 1, 18, tzinfo=UTC))
    ).id
    loud = person(db, "Ana", "Lima", email="ana@example.org", postal_code="02139")
    quiet = person(db, "Dora", "Quiet", email="dora@example.org", do_not_contact=True)
    signin.sign_in(db, event_id, loud)
    signin.sign_in(db, event_id, quiet)
    as_csv = export_attendance_file(db, event_id, tmp_path / "vigil.csv")
    assert (as_csv.rows, as_csv.left_out) == (2, {"details_hidden": 1})
    rows = read_csv(as_csv.path)
    assert [(r["Name"], r["Email"], r["Contact"]) for r in rows] == [
        ("Ana Lima", "ana@example.org", ""),
        ("Dora Quiet", "", "Do not contact"),
    ]
    assert rows[0]["Postal code"] == "02139"
    assert len(rows[0]["Signed in"]) == len("2026-05-01 18:00")
    as_xlsx = export_attendance_file(db, event_id, tmp_path / "vigil.xlsx")
    assert load_workbook(as_xlsx.path).sheetnames == ["Attendance", "Summary"]
