"""Lists of people (the roster, mailing lists, an event's attendance) as .xlsx or .csv.

Takes columns and rows of plain values and knows nothing of sessions; the file kind
follows the file name's suffix. In .xlsx (openpyxl write-only): a bold, frozen
header row, an autofilter, set column widths, real dates, and every value of a text
column a string cell: postal codes and phone numbers in Text format, so "02139"
keeps its zero and "+16175550142" stays a phone number. In .csv (UTF-8 with a byte
order mark, so Excel reads accents right): dates as 2026-11-30, and text that a
spreadsheet could run as a formula gets a leading apostrophe (``safe_cells.csv_text``);
a CSV file cannot say "this is text", so a program opening it may still drop the
zero of a postal code: the .xlsx keeps it.

Either way the file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from desktop_app.exports.atomic import replaced_on_success
from desktop_app.exports.safe_cells import csv_text, text_cell, text_value
from desktop_app.exports.workbooks import new_workbook, start_list_sheet
from desktop_app.tasks.steps import run_to_end

SUFFIXES = (".xlsx", ".csv")
DATE_FORMAT = "yyyy-mm-dd"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
PROGRESS_EVERY = 5_000


@dataclass(frozen=True)
class Column:
    """A column: its header, width in characters, and kind.

    kind: "s" text, "t" text that must stay text (postal codes, phones: Text format),
    "d" a date (or datetime).
    """

    header: str
    width: float = 16
    kind: str = "s"


def check_suffix(path: Path) -> str:
    """The file kind (".xlsx" or ".csv"); ValueError in words for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: the file name must end in .xlsx or .csv")
    return suffix


def write_table_steps(
    path: Path,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    row_count: int,
) -> Generator[int, None, int]:
    """Write rows (row_count of them) to path; yields rows written now and then, returns
    how many were written."""
    path = Path(path)
    if check_suffix(path) == ".csv":
        with replaced_on_success(path) as temporary:
            written = yield from _csv(temporary, columns, rows)
    else:
        with new_workbook(path, title) as workbook:
            written = yield from _xlsx(workbook, title, columns, rows, row_count)
    return written


def write_table(
    path: Path, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> int:
    """write_table_steps run to the end."""
    return run_to_end(write_table_steps(path, title, columns, rows, len(rows)))


def _csv_value(kind: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if kind == "d":
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
    return csv_text(str(value))


def _csv(
    temporary: Path, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> Generator[int, None, int]:
    written = 0
    kinds = [column.kind for column in columns]
    with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_text(column.header) for column in columns])
        for row in rows:
            writer.writerow(
                [_csv_value(kind, value) for kind, value in zip(kinds, row, strict=True)]
            )
            written += 1
            if written % PROGRESS_EVERY == 0:
                yield written
    return written


def _xlsx(
    workbook: Any,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    row_count: int,
) -> Generator[int, None, int]:
    # A sheet title may not hold []:*?/\ and is at most 31 characters.
    sheet_title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "People"
    sheet = workbook.create_sheet(sheet_title)
    start_list_sheet(sheet, [(column.header, column.width) for column in columns], row_count)
    kinds = [column.kind for column in columns]
    written = 0
    for row in rows:
        cells: list[Any] = []
        for kind, value in zip(kinds, row, strict=True):
            if value is None or value == "":
                cells.append(None)
            elif kind == "d":
                # Each date cell of a row needs its own object; rows have one or two.
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = (
                    DATE_TIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
                )
                cells.append(cell)
            elif kind == "t":
                cells.append(text_cell(sheet, str(value)))
            else:
                cells.append(text_value(sheet, str(value)))
        sheet.append(cells)
        written += 1
        if written % PROGRESS_EVERY == 0:
            yield written
    if written != row_count:
        raise ValueError(f"expected {row_count} rows, got {written}")
    return written


__all__ = ["SUFFIXES", "Column", "check_suffix", "write_table", "write_table_steps"]
