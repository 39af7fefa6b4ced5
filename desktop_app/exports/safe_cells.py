"""User text in spreadsheets and CSV files, made safe from formula injection.

A spreadsheet program treats a cell that starts with = + - @ (and, in some programs,
a tab or carriage return before them) as a formula, so a name typed as
``=HYPERLINK("http://evil.example","click")`` would run when a volunteer opens the
export. Two defences, one per format:

- xlsx: every cell of user text is written as a string cell (``data_type = "s"``);
  openpyxl would otherwise store any text starting with "=" as a formula. A risky
  string also gets the cell's *quote prefix* style, Excel's own mark for "text typed
  with a leading apostrophe": the value stays exactly as typed (no apostrophe is added
  to it), and re-editing the cell in Excel or LibreOffice keeps it text.
- CSV has no cell types, so the conventional defence is used: a single quote is put
  before a risky value (``csv_text``). The quote is visible, which is the price of CSV.

Characters XML cannot hold (most C0 controls) are replaced by U+FFFD rather than
dropped, so a reader sees that something was there; text longer than a cell can
hold (32,767 characters) is cut with an ellipsis.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.cell.cell import ERROR_CODES  # type: ignore[import-untyped]

# What makes a spreadsheet read text as a formula (or as a command in old DDE attacks).
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# XML 1.0 forbids these in text; tab, newline and carriage return are allowed.
_ILLEGAL_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_TEXT = 32_767  # Excel's limit per cell


def is_risky(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return bool(text) and (text.startswith(RISKY_STARTS) or ord(text[0]) < 0x20)


def clean_cell_text(text: str) -> str:
    """Text a cell can hold: no XML-illegal characters, at most MAX_CELL_TEXT characters."""
    cleaned = _ILLEGAL_IN_XML.sub("\ufffd", text)
    if len(cleaned) > MAX_CELL_TEXT:
        cleaned = cleaned[: MAX_CELL_TEXT - 1] + "…"
    return cleaned


def text_cell(sheet: Any, text: str, *, font: Any = None, number_format: str = "@") -> Any:
    """A write-only cell holding user text as text, never as a formula.

    number_format "@" (Text) also stops a spreadsheet from turning "02139" or
    "+15551234" into a number when someone edits the cell.
    """
    cell = WriteOnlyCell(sheet, value=clean_cell_text(text))
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    cell.number_format = number_format
    return cell


def text_value(sheet: Any, text: str) -> Any:
    """User text for a write-only row, the cheapest safe way (big sheets use it per cell).

    Most text goes in as the plain string, which a write-only sheet stores as a string
    cell; only what a spreadsheet could take for a formula or an error value ("#N/A")
    becomes a ``text_cell``, and an empty text is no cell at all. Use ``text_cell``
    where the Text format matters even for harmless values (postal codes, phones).
    """
    if not text:
        return None
    if is_risky(text) or text in ERROR_CODES:
        return text_cell(sheet, text, number_format="General")
    if len(text) > MAX_CELL_TEXT or _ILLEGAL_IN_XML.search(text):
        return clean_cell_text(text)
    return text


def csv_text(text: str) -> str:
    """A value for a CSV cell: risky text gets a leading single quote (OWASP's advice)."""
    return "'" + text if is_risky(text) else text


__all__ = [
    "MAX_CELL_TEXT",
    "RISKY_STARTS",
    "clean_cell_text",
    "csv_text",
    "is_risky",
    "text_cell",
    "text_value",
]
