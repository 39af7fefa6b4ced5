"""What every Group Desk workbook shares: a write-only workbook that appears whole or
not at all, and the layout of a list sheet.

``new_workbook`` gives an openpyxl write-only workbook (title and creator set) that is
saved to the path when the block ends well, replacing an earlier file only then; a
failure or a cancel (GeneratorExit in a generator writer) discards it, its sheets'
temporary files too, and leaves any earlier file as it was (see atomic.py).

``start_list_sheet`` lays out a list: set column widths, a frozen header row, an
autofilter over header and rows, and the bold header row itself. A write-only sheet
takes its layout before its first row, so this comes first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from desktop_app.exports.atomic import replaced_on_success
from desktop_app.exports.safe_cells import text_cell

CREATOR = "Group Desk"


@contextmanager
def new_workbook(path: Path, title: str) -> Iterator[Any]:
    """A write-only workbook saved to path when the block ends well (see the module)."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = CREATOR
    try:
        with replaced_on_success(Path(path)) as temporary:
            yield workbook
            workbook.save(temporary)
    except BaseException:
        _discard(workbook)
        raise


def _discard(workbook: Any) -> None:
    """Let go of an openpyxl write-only workbook that will not be saved (a failure, a
    cancel): each sheet's temporary file is finished and removed now, rather than
    complaining when Python collects it and lingering until the program ends."""
    for sheet in getattr(workbook, "worksheets", ()):
        writer = getattr(sheet, "_writer", None)
        # A half-written sheet is thrown away: whatever closing it says does not matter.
        with suppress(Exception):
            if not sheet.closed:
                sheet.close()
        if writer is not None:
            with suppress(OSError, ValueError):
                writer.cleanup()


def start_list_sheet(sheet: Any, columns: Sequence[tuple[str, float]], rows: int) -> None:
    """Widths, frozen header and autofilter for rows data rows, then the bold header row.

    columns: (header, width in characters), in column order.
    """
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, header, font=bold) for header, _ in columns])


__all__ = ["CREATOR", "new_workbook", "start_list_sheet"]
