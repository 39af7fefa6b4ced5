"""The sign-in sheet: a clipboard page for an event, drawn straight on the canvas.

Every page repeats the header (group, event, date, place), the consent sentence
the ticks refer to and the column titles, and says "Page 2 of 5" at the foot.
Expected people come first, sorted by family name, each with a box to tick; blank
rows for newcomers follow. Cells are plain strings drawn with drawString, not
Platypus tables (a Paragraph in every cell is 4-8 times slower): a 1,000-row sheet
takes a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass

from desktop_app.printing.data import (
    ExpectedPerson,
    PageSize,
    PdfResult,
    PrintError,
    PrintProgress,
    SigninSheetData,
)
from desktop_app.printing.document import Document
from desktop_app.printing.fonts import wrap
from desktop_app.printing.words import when_in_words
from desktop_app.tasks.steps import run_to_end
from desktop_app.text import sort_key

MARGIN = 36.0  # half an inch
ROW_HEIGHT = 22.0  # room to write by hand
MAX_BLANK_ROWS = 2000
CELL_SIZE = 9.0
MIN_CELL_SIZE = 6.0
HEADER_SIZE = 7.5
CONSENT_SIZE = 7.5
PAD = 3.0
BOX = 9.0  # a tick box's side

# (title, share of the table's width) for the columns, left to right.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Here", 0.045),
    ("Name", 0.235),
    ("Email", 0.245),
    ("Phone", 0.145),
    ("Postal code", 0.09),
    ("Interest", 0.16),
    ("Consent", 0.08),
)


@dataclass(frozen=True)
class _Geometry:
    left: float
    width: float
    edges: tuple[float, ...]  # x of each column's left edge, and the table's right edge
    header_top: float
    table_top: float  # top of the first row (under the column titles)
    rows_per_page: int
    consent_lines: tuple[str, ...]


def _geometry(data: SigninSheetData, page: tuple[float, float]) -> _Geometry:
    width, height = page
    table_width = width - 2 * MARGIN
    edges = [MARGIN]
    for _title, share in COLUMNS:
        edges.append(edges[-1] + share * table_width)
    edges[-1] = MARGIN + table_width
    consent = wrap(
        "Consent: " + " ".join(data.consent_text.split()), CONSENT_SIZE, table_width - 2 * PAD
    )
    header_top = height - MARGIN
    # Group line, event title, when and where, the consent sentence, then column titles.
    consent_top = header_top - 14 - 18 - 14 - 4
    titles_top = consent_top - len(consent) * (CONSENT_SIZE * 1.25) - 6
    table_top = titles_top - 14
    bottom = MARGIN + 14  # room for the page number
    rows = int((table_top - bottom) // ROW_HEIGHT)
    return _Geometry(
        left=MARGIN,
        width=table_width,
        edges=tuple(edges),
        header_top=header_top,
        table_top=table_top,
        rows_per_page=max(rows, 1),
        consent_lines=tuple(consent),
    )


def _check(data: SigninSheetData) -> None:
    if not 0 <= data.blank_rows <= MAX_BLANK_ROWS:
        raise PrintError(f"Blank rows: a number from 0 to {MAX_BLANK_ROWS}")
    if not data.expected and data.blank_rows == 0:
        raise PrintError("Blank rows: with nobody expected, the sheet needs at least one row")
    if not data.event_title.strip():
        raise PrintError("Event: the sign-in sheet needs the event's title")


def sorted_expected(people: tuple[ExpectedPerson, ...]) -> list[ExpectedPerson]:
    """Family name, then given name, ignoring case and accents (as the roster sorts)."""
    return sorted(people, key=lambda person: (sort_key(person.given_name, person.family_name),))


def signin_sheet_steps(
    data: SigninSheetData, page_size: PageSize = PageSize.LETTER
) -> Generator[PrintProgress, None, PdfResult]:
    """Draw the sheet, yielding progress after each page; returns the finished PDF."""
    _check(data)
    document = Document(page_size.points, f"Sign-in sheet: {data.event_title}")
    geometry = _geometry(data, document.page_size)
    people = sorted_expected(data.expected)
    total_rows = len(people) + data.blank_rows
    pages = max(1, math.ceil(total_rows / geometry.rows_per_page))
    when = when_in_words(data.starts_at)
    row = 0
    for page in range(1, pages + 1):
        _draw_header(document, data, geometry, when, page, pages)
        on_page = min(geometry.rows_per_page, total_rows - row)
        _draw_grid(document, geometry, on_page)
        top = geometry.table_top
        for slot in range(on_page):
            if row < len(people):
                _draw_person(document, geometry, people[row], top - slot * ROW_HEIGHT, data)
            row += 1
        document.end_page()
        yield PrintProgress(row, total_rows, f"Page {page} of {pages}")
    return document.finish()


def render_signin_sheet(data: SigninSheetData, page_size: PageSize = PageSize.LETTER) -> PdfResult:
    """The sign-in sheet as a PDF (see signin_sheet_steps for progress)."""
    return run_to_end(signin_sheet_steps(data, page_size))


def _draw_header(
    document: Document,
    data: SigninSheetData,
    geometry: _Geometry,
    when: str,
    page: int,
    pages: int,
) -> None:
    canvas = document.canvas
    pen = document.pen
    left, width = geometry.left, geometry.width
    y = geometry.header_top - 10
    canvas.setFillGray(0.35)
    pen.draw_fitted(left, y, data.group_name, width * 0.7, 10, min_size=7, who="group name")
    pen.draw(left + width, y, "Sign-in sheet", 10, align="right")
    canvas.setFillGray(0)
    y -= 18
    pen.draw_fitted(left, y, data.event_title, width, 15, min_size=9, bold=True, who="event title")
    y -= 14
    where = f"{when}  ·  {data.place}" if data.place.strip() else when
    pen.draw_fitted(left, y, where, width, 10, min_size=7, who="event place")
    y -= 4 + CONSENT_SIZE * 1.25
    canvas.setFillGray(0.25)
    for line in geometry.consent_lines:
        pen.draw(left + PAD, y + 2, line, CONSENT_SIZE, who="consent sentence")
        y -= CONSENT_SIZE * 1.25
    canvas.setFillGray(0)
    # Column titles on a grey band.
    titles_top = geometry.table_top + 14
    canvas.setFillGray(0.88)
    canvas.rect(left, geometry.table_top, width, 14, stroke=0, fill=1)
    canvas.setFillGray(0)
    edges = geometry.edges
    for index, (title, _share) in enumerate(COLUMNS):
        pen.draw_fitted(
            edges[index] + PAD,
            titles_top - 10,
            title,
            edges[index + 1] - edges[index] - 2 * PAD,
            HEADER_SIZE,
            min_size=5,
            bold=True,
        )
    canvas.setFillGray(0.35)
    pen.draw(left + width / 2, MARGIN, f"Page {page} of {pages}", 8, align="center")
    pen.draw(left, MARGIN, data.event_title[:60], 8, who="event title")
    canvas.setFillGray(0)


def _draw_grid(document: Document, geometry: _Geometry, rows: int) -> None:
    canvas = document.canvas
    top = geometry.table_top + 14
    bottom = geometry.table_top - rows * ROW_HEIGHT
    left, right = geometry.left, geometry.left + geometry.width
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.45)
    lines = [(left, top, right, top)]
    lines += [
        (
            left,
            geometry.table_top - index * ROW_HEIGHT,
            right,
            geometry.table_top - index * ROW_HEIGHT,
        )
        for index in range(rows + 1)
    ]
    lines += [(x, top, x, bottom) for x in geometry.edges]
    canvas.lines(lines)
    # A consent box in every row.
    box_x = geometry.edges[-2] + (geometry.edges[-1] - geometry.edges[-2] - BOX) / 2
    for index in range(rows):
        y = geometry.table_top - (index + 1) * ROW_HEIGHT + (ROW_HEIGHT - BOX) / 2
        canvas.rect(box_x, y, BOX, BOX, stroke=1, fill=0)
    canvas.setStrokeGray(0)


def _draw_person(
    document: Document,
    geometry: _Geometry,
    person: ExpectedPerson,
    row_top: float,
    data: SigninSheetData,
) -> None:
    canvas = document.canvas
    pen = document.pen
    edges = geometry.edges
    baseline = row_top - ROW_HEIGHT / 2 - CELL_SIZE * 0.35
    here_x = edges[0] + (edges[1] - edges[0] - BOX) / 2
    canvas.setStrokeGray(0.45)
    canvas.rect(here_x, row_top - (ROW_HEIGHT + BOX) / 2, BOX, BOX, stroke=1, fill=0)
    name = person.name
    cell_top = row_top - 1.5
    cell_height = ROW_HEIGHT - 3
    pen.block(
        edges[1] + PAD,
        cell_top,
        edges[2] - edges[1] - 2 * PAD,
        cell_height,
        [name],
        CELL_SIZE,
        min_size=MIN_CELL_SIZE,
        who=name,
        middle=True,
    )
    values = (person.email, person.phone, person.postal_code)
    if data.show_contact_details:
        for column, value in enumerate(values, start=2):
            if value:
                pen.block(
                    edges[column] + PAD,
                    cell_top,
                    edges[column + 1] - edges[column] - 2 * PAD,
                    cell_height,
                    [value],
                    CELL_SIZE,
                    min_size=MIN_CELL_SIZE,
                    who=name,
                    middle=True,
                )
        return
    # A sheet passed round a room shows only that the group has the detail already.
    canvas.setFillGray(0.5)
    for column, value in enumerate(values, start=2):
        if value:
            pen.draw(edges[column] + PAD, baseline, "on file", 7)
    canvas.setFillGray(0)


__all__ = ["COLUMNS", "render_signin_sheet", "signin_sheet_steps", "sorted_expected"]
