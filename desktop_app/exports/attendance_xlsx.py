"""An event's attendance as an .xlsx workbook (openpyxl, write-only mode).

Takes plain data (AttendanceSheet), knows nothing of sessions. The first sheet lists
everyone who signed in, with a bold, frozen header and an autofilter; times are real
spreadsheet dates in local time; phone numbers and postal codes are text, so "02139"
keeps its zero. A second sheet sums it up with formulas.

An attendance sheet is the group's internal record, so it lists everyone, but a
do-not-contact person is marked as such and their email and phone are left out: the
writer enforces that itself, whatever data it is given. All user text goes through
``safe_cells`` so no spreadsheet program runs a name as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from desktop_app.exports.safe_cells import text_cell
from desktop_app.exports.workbooks import new_workbook, start_list_sheet

DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
ATTENDANCE_SHEET = "Attendance"
SUMMARY_SHEET = "Summary"
YES = "Yes"
DO_NOT_CONTACT = "Do not contact"

# (header, width in characters); the order is the column order.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Name", 28),
    ("Family name", 20),
    ("Given name", 18),
    ("First time", 10),
    ("Signed in", 17),
    ("How", 13),
    ("Email", 30),
    ("Phone", 17),
    ("Postal code", 12),
    ("Contact", 15),
    ("How they heard", 30),
    ("Interests", 36),
)
FIRST_TIME_COLUMN = get_column_letter(4)
CONTACT_COLUMN = get_column_letter(10)


@dataclass(frozen=True)
class AttendanceLine:
    """One person at the event. signed_in_at is aware (UTC)."""

    name: str
    given_name: str
    family_name: str
    first_time: bool
    source: str  # in words, e.g. "Kiosk"
    signed_in_at: datetime
    email: str = ""
    phone: str = ""
    postal_code: str = ""
    do_not_contact: bool = False
    how_heard: str = ""
    interests: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttendanceSheet:
    """The event and everyone who signed in, in the order they are to be listed."""

    title: str
    kind: str
    starts_at: datetime
    place: str
    cancelled: bool
    lines: Sequence[AttendanceLine]


def local_naive(value: datetime, tz: tzinfo | None = None) -> datetime:
    """An aware time as the local wall-clock time spreadsheets store (they keep no zone)."""
    return value.astimezone(tz).replace(tzinfo=None)


def _date_cell(sheet: Any, value: datetime, tz: tzinfo | None) -> Any:
    cell = WriteOnlyCell(sheet, value=local_naive(value, tz))
    cell.number_format = DATE_TIME_FORMAT
    return cell


def attendance_values(line: AttendanceLine, tz: tzinfo | None = None) -> list[Any]:
    """One person's row as plain values, in COLUMNS order (the sign-in time as a naive
    local datetime); a do-not-contact person's email and phone are left out here, so
    every file made from it (xlsx or csv) leaves them out."""
    hidden = line.do_not_contact  # their contact details stay out of the file
    return [
        line.name,
        line.family_name,
        line.given_name,
        YES if line.first_time else "",
        local_naive(line.signed_in_at, tz),
        line.source,
        "" if hidden else line.email,
        "" if hidden else line.phone,
        line.postal_code,
        DO_NOT_CONTACT if hidden else "",
        line.how_heard,
        "; ".join(line.interests),
    ]


def _attendance_rows(sheet: Any, lines: Sequence[AttendanceLine], tz: tzinfo | None) -> None:
    start_list_sheet(sheet, COLUMNS, len(lines))
    for line in lines:
        values = attendance_values(line, tz)
        cells = [text_cell(sheet, value) if isinstance(value, str) else value for value in values]
        cells[4] = _date_cell(sheet, line.signed_in_at, tz)
        sheet.append(cells)


def _summary_rows(sheet: Any, data: AttendanceSheet, tz: tzinfo | None) -> None:
    bold = Font(bold=True)
    # An empty sheet still gets a valid range: row 2 alone, which counts nothing.
    last = max(len(data.lines) + 1, 2)
    names = f"'{ATTENDANCE_SHEET}'!A2:A{last}"
    first = f"'{ATTENDANCE_SHEET}'!{FIRST_TIME_COLUMN}2:{FIRST_TIME_COLUMN}{last}"
    contact = f"'{ATTENDANCE_SHEET}'!{CONTACT_COLUMN}2:{CONTACT_COLUMN}{last}"
    rows: list[tuple[str, Any]] = [
        ("Event", text_cell(sheet, data.title)),
        ("Kind", text_cell(sheet, data.kind)),
        ("Starts", _date_cell(sheet, data.starts_at, tz)),
        ("Place", text_cell(sheet, data.place)),
        ("Status", text_cell(sheet, "Cancelled" if data.cancelled else "")),
        ("Attended", f"=COUNTA({names})"),
        ("First time", f'=COUNTIF({first},"{YES}")'),
        (DO_NOT_CONTACT, f'=COUNTIF({contact},"{DO_NOT_CONTACT}")'),
    ]
    for label, value in rows:
        sheet.append([text_cell(sheet, label, font=bold), value])


def write_attendance(data: AttendanceSheet, path: Path, *, tz: tzinfo | None = None) -> Path:
    """Write the workbook to path (tz: the local zone times are shown in; default: this
    computer's). An existing file is replaced only once the new one is complete."""
    path = Path(path)
    with new_workbook(path, data.title) as workbook:
        _attendance_rows(workbook.create_sheet(ATTENDANCE_SHEET), data.lines, tz)
        summary = workbook.create_sheet(SUMMARY_SHEET)
        summary.column_dimensions["A"].width = 16
        summary.column_dimensions["B"].width = 40
        _summary_rows(summary, data, tz)
    return path


__all__ = [
    "COLUMNS",
    "DO_NOT_CONTACT",
    "AttendanceLine",
    "AttendanceSheet",
    "attendance_values",
    "local_naive",
    "write_attendance",
]
