"""Lists on paper: the roster or phone list, an event's attendance, a meeting agenda.

The phone list shows only the ways each person agreed to be contacted, marks
"do not contact" plainly, and says at its foot that it is not to be passed on.
Tables are drawn straight on the canvas, a row a line, "Page 2 of 5" at the foot.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

from desktop_app.printing.data import (
    AgendaData,
    AttendanceData,
    ContactLine,
    ContactListData,
    PageSize,
    PdfResult,
    PrintError,
    PrintProgress,
)
from desktop_app.printing.document import Document
from desktop_app.printing.fonts import wrap
from desktop_app.printing.words import (
    date_in_words,
    deadline_in_words,
    time_in_words,
    when_in_words,
)
from desktop_app.tasks.steps import run_to_end

MARGIN = 40.0
ROW = 17.0
SIZE = 9.0
MIN_SIZE = 5.5
PAD = 3.0

Cells = Sequence[tuple[str, str]]  # (text, style: "" plain, "grey", "faint" or "alert")
_GREYS = {"grey": 0.3, "faint": 0.55}


@dataclass(frozen=True)
class _Column:
    title: str
    share: float


def _table_steps(
    document: Document,
    *,
    heading: Callable[[Document, float], float],
    columns: Sequence[_Column],
    rows: Sequence[tuple[Cells, str]],
    footer: str,
    unit: str,
) -> Generator[PrintProgress, None, None]:
    """Rows (cells and whose they are) under a heading that repeats on every page."""
    canvas = document.canvas
    pen = document.pen
    width, height = document.page_size
    left, table_width = MARGIN, width - 2 * MARGIN
    edges = [left]
    for column in columns:
        edges.append(edges[-1] + column.share * table_width)
    first_top = None
    bottom = MARGIN + 24
    total = len(rows)
    row_index = 0
    page = 0
    pages = None
    while row_index < total or page == 0:
        page += 1
        top = heading(document, height - MARGIN)
        if first_top is None:
            # The heading is as tall on every page, so the first one tells the page count.
            first_top = top
            per_page = max(1, int((top - 16 - bottom) // ROW))
            pages = max(1, math.ceil(total / per_page))
        top_of_table = top - 16
        canvas.setFillGray(0.88)
        canvas.rect(left, top_of_table, table_width, 14, stroke=0, fill=1)
        canvas.setFillGray(0)
        for index, column in enumerate(columns):
            pen.draw(edges[index] + PAD, top_of_table + 4, column.title, 7.5, bold=True)
        y = top_of_table
        canvas.setStrokeGray(0.75)
        canvas.setLineWidth(0.4)
        while row_index < total and y - ROW >= bottom:
            cells, who = rows[row_index]
            for index, (text, style) in enumerate(cells):
                if not text:
                    continue
                if style == "alert":
                    canvas.setFillColorRGB(0.7, 0.05, 0.05)
                elif style:
                    canvas.setFillGray(_GREYS[style])
                pen.block(
                    edges[index] + PAD,
                    y - 1,
                    edges[index + 1] - edges[index] - 2 * PAD,
                    ROW - 2,
                    [text],
                    SIZE,
                    min_size=MIN_SIZE,
                    bold=style == "alert",
                    who=who,
                    middle=True,
                )
                if style:
                    canvas.setFillGray(0)
            y -= ROW
            canvas.line(left, y, left + table_width, y)
            row_index += 1
        canvas.setFillGray(0.35)
        pen.draw(left, MARGIN, footer, 7.5)
        pen.draw(left + table_width, MARGIN, f"Page {page} of {pages}", 7.5, align="right")
        canvas.setFillGray(0)
        document.end_page()
        yield PrintProgress(row_index, total, f"{row_index} of {total} {unit}")


def _heading(
    title: str, lines: Sequence[str], group_name: str
) -> Callable[[Document, float], float]:
    def draw(document: Document, top: float) -> float:
        pen = document.pen
        width = document.width
        inner = width - 2 * MARGIN
        y = top - 10
        document.canvas.setFillGray(0.35)
        pen.draw_fitted(MARGIN, y, group_name, inner, 10, min_size=7, who="group name")
        document.canvas.setFillGray(0)
        y -= 20
        pen.draw_fitted(MARGIN, y, title, inner, 16, min_size=9, bold=True, who="title")
        for line in lines:
            y -= 14
            pen.draw_fitted(MARGIN, y, line, inner, 9.5, min_size=6, who=line)
        return y - 8

    return draw


# --- roster and phone list ----------------------------------------------------------------


def _contact_cells(line: ContactLine) -> Cells:
    if line.do_not_contact:
        return ((line.name, ""), ("—", "faint"), ("—", "faint"), ("DO NOT CONTACT", "alert"))
    phone = (line.phone, "") if line.phone else ("no calls" if not line.phone_ok else "", "faint")
    email = (line.email, "") if line.email else ("no email" if not line.email_ok else "", "faint")
    notes = ", ".join(part for part in (line.status, *line.roles) if part)
    return ((line.name, ""), phone, email, (notes, "grey"))


CONTACT_COLUMNS = (
    _Column("Name", 0.28),
    _Column("Phone", 0.19),
    _Column("Email", 0.31),
    _Column("Notes", 0.22),
)


def contact_list_steps(
    data: ContactListData, page_size: PageSize = PageSize.LETTER
) -> Generator[PrintProgress, None, PdfResult]:
    """A roster or phone list, yielding progress after each page."""
    if not data.lines:
        raise PrintError(f"{data.title}: nobody matches, so there is nothing to print")
    document = Document(page_size.points, data.title)
    count = len(data.lines)
    lines = [
        f"{count} {'person' if count == 1 else 'people'}"
        + (f" · {data.subtitle}" if data.subtitle else "")
        + f" · printed {date_in_words(data.printed_on)}",
        "Phone numbers and emails show only where the person agreed to be contacted that way.",
    ]
    rows = [(_contact_cells(line), line.name) for line in data.lines]
    yield from _table_steps(
        document,
        heading=_heading(data.title, lines, data.group_name),
        columns=CONTACT_COLUMNS,
        rows=rows,
        footer="Personal details: keep this list safe, do not pass it on, shred it after use.",
        unit="people",
    )
    return document.finish()


def render_contact_list(data: ContactListData, page_size: PageSize = PageSize.LETTER) -> PdfResult:
    return run_to_end(contact_list_steps(data, page_size))


# --- attendance --------------------------------------------------------------------------


ATTENDANCE_COLUMNS = (
    _Column("Name", 0.32),
    _Column("First time", 0.1),
    _Column("Signed in", 0.12),
    _Column("How", 0.14),
    _Column("Interests", 0.32),
)


def render_attendance(data: AttendanceData, page_size: PageSize = PageSize.LETTER) -> PdfResult:
    """Who came to an event, in roster order, with the counts at the top."""
    document = Document(page_size.points, f"Attendance: {data.event_title}")
    count = len(data.entries)
    first = sum(1 for entry in data.entries if entry.first_time)
    when = when_in_words(data.starts_at)
    lines = [
        f"{when} · {data.place}" if data.place.strip() else when,
        f"{count} {'person' if count == 1 else 'people'} signed in, {first} for the first time"
        + (" · this event was cancelled" if data.cancelled else ""),
    ]
    tz = data.starts_at.tzinfo
    rows = []
    for entry in data.entries:
        signed_in = ""
        if entry.signed_in_at is not None:
            local = entry.signed_in_at.astimezone(tz) if tz is not None else entry.signed_in_at
            signed_in = time_in_words(local)
        name = entry.name + ("  (do not contact)" if entry.do_not_contact else "")
        cells: Cells = (
            (name, ""),
            ("first time" if entry.first_time else "", ""),
            (signed_in, ""),
            (entry.source, "grey"),
            (", ".join(entry.interests), ""),
        )
        rows.append((cells, entry.name))
    if not rows:
        rows.append(((("Nobody has signed in yet.", "faint"),), ""))
    for _progress in _table_steps(
        document,
        heading=_heading(f"Attendance: {data.event_title}", lines, data.group_name),
        columns=ATTENDANCE_COLUMNS,
        rows=rows,
        footer="Personal details: keep this list safe.",
        unit="people",
    ):
        pass
    return document.finish()


# --- agenda ------------------------------------------------------------------------------


def render_agenda(data: AgendaData, page_size: PageSize = PageSize.LETTER) -> PdfResult:
    """A meeting agenda: numbered items with room for notes, the open urgent actions
    and their deadlines under "Urgent actions", coming events under "Coming events"."""
    if not data.items:
        raise PrintError("Agenda: there are no items")
    # Drawn twice: the first run counts the pages for "Page 1 of 2" (a page or two: cheap).
    counted = _agenda(data, page_size, None)
    return _agenda(data, page_size, counted.pages)


def _agenda(data: AgendaData, page_size: PageSize, pages: int | None) -> PdfResult:
    document = Document(page_size.points, f"Agenda: {data.meeting_title}")
    canvas = document.canvas
    pen = document.pen
    width, height = document.page_size
    inner = width - 2 * MARGIN
    bottom = MARGIN + 20

    def new_page() -> float:
        y = height - MARGIN - 10
        canvas.setFillGray(0.35)
        pen.draw_fitted(MARGIN, y, data.group_name, inner, 10, min_size=7, who="group name")
        canvas.setFillGray(0)
        return y - 12

    def need(y: float, space: float) -> float:
        if y - space >= bottom:
            return y
        _foot()
        document.end_page()
        return new_page()

    def _foot() -> None:
        canvas.setFillGray(0.35)
        of = f" of {pages}" if pages else ""
        pen.draw(width - MARGIN, MARGIN, f"Page {document.pages + 1}{of}", 7.5, align="right")
        canvas.setFillGray(0)

    y = new_page() - 10
    pen.draw_fitted(
        MARGIN, y, f"Agenda: {data.meeting_title}", inner, 18, min_size=10, bold=True, who="title"
    )
    y -= 18
    if data.starts_at is not None:
        where = when_in_words(data.starts_at) + (f" · {data.place}" if data.place.strip() else "")
        pen.draw_fitted(MARGIN, y, where, inner, 11, min_size=7, who="place")
        y -= 14
    pen.draw(MARGIN, y, "Chair: ____________________     Notes: ____________________", 9.5)
    y -= 24
    canvas.setLineWidth(0.4)
    for number, item in enumerate(data.items, start=1):
        y = need(y, 60)
        heading = wrap(f"{number}. {item}", 12, inner, bold=True)
        for line in heading:
            pen.draw(MARGIN, y, line, 12, bold=True, who="agenda item")
            y -= 15
        lowered = item.lower()
        if lowered.startswith("urgent actions"):
            y = _agenda_actions(document, data, y, need)
        elif lowered.startswith("coming events"):
            y = _agenda_events(document, data, y, need)
        # Ruled lines to write on.
        canvas.setStrokeGray(0.8)
        for _ in range(3):
            y -= 16
            canvas.line(MARGIN + 14, y, width - MARGIN, y)
        canvas.setStrokeGray(0)
        y -= 18
    _foot()
    document.end_page()
    return document.finish()


def _agenda_nothing(document: Document, y: float, words: str) -> float:
    """An agenda section's grey line for an empty list; returns the y below it."""
    document.canvas.setFillGray(0.4)
    document.pen.draw(MARGIN + 14, y - 2, words, 9.5)
    document.canvas.setFillGray(0)
    return y - 14


def _agenda_actions(
    document: Document, data: AgendaData, y: float, need: Callable[[float, float], float]
) -> float:
    if not data.open_actions:
        return _agenda_nothing(document, y, "No open urgent actions.")
    pen = document.pen
    inner = document.width - 2 * MARGIN
    for action in sorted(
        data.open_actions, key=lambda a: (a.deadline is None, a.deadline or data.today, a.number)
    ):
        y = need(y, 30)
        title = " · ".join(part for part in (action.number, action.title, action.country) if part)
        pen.draw_fitted(
            MARGIN + 14,
            y - 2,
            title,
            inner - 14,
            10,
            min_size=7,
            bold=True,
            who=action.number or action.title,
        )
        y -= 13
        deadline = deadline_in_words(action.deadline, data.today) or "no deadline given"
        letters = (
            f"{action.letters_written} letter{'' if action.letters_written == 1 else 's'} so far"
        )
        document.canvas.setFillGray(0.25)
        pen.draw_fitted(
            MARGIN + 24, y - 2, f"Deadline: {deadline} · {letters}", inner - 24, 9, min_size=6
        )
        document.canvas.setFillGray(0)
        y -= 15
    return y


def _agenda_events(
    document: Document, data: AgendaData, y: float, need: Callable[[float, float], float]
) -> float:
    if not data.upcoming_events:
        return _agenda_nothing(document, y, "Nothing planned yet.")
    pen = document.pen
    inner = document.width - 2 * MARGIN
    for event in data.upcoming_events:
        y = need(y, 16)
        text = f"{when_in_words(event.starts_at)} · {event.title}" + (
            f" · {event.place}" if event.place.strip() else ""
        )
        pen.draw_fitted(MARGIN + 14, y - 2, text, inner - 14, 9.5, min_size=6, who=event.title)
        y -= 14
    return y


__all__ = [
    "contact_list_steps",
    "render_agenda",
    "render_attendance",
    "render_contact_list",
]
