"""Address labels on the sheets office supply stores sell, and a calibration page.

Layouts are in ``data.LABEL_LAYOUTS`` (Avery 5160, 5163, L7160, L7163). Label
sheets and printers drift by a millimetre or two, so every function takes the
printer's offset (x to the right, y down, in millimetres; the windows keep it per
printer in the settings). The calibration page draws the cells with that offset on
a millimetre grid: printed on plain paper and held against a label sheet to the
light, it shows which way to move.

An address that is too long shrinks, then wraps, inside its label; it never
spills onto the next one, and one that cannot fit even so is cut and named in
the warnings.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

from desktop_app.printing.data import (
    MM,
    Cell,
    LabelLayout,
    MailingLabel,
    PdfResult,
    PrintError,
    PrintProgress,
    label_layout,
)
from desktop_app.printing.document import Document
from desktop_app.tasks.steps import run_to_end

MAX_OFFSET_MM = 25.0
TEXT_SIZE = 10.0
MIN_TEXT_SIZE = 5.5
PAD_X = 0.09 * 72  # inside each label, clear of the die-cut edge
PAD_Y = 0.06 * 72


def _layout(layout: LabelLayout | str) -> LabelLayout:
    return layout if isinstance(layout, LabelLayout) else label_layout(layout)


def check_offset(offset_x_mm: float, offset_y_mm: float) -> None:
    for name, value in (("Horizontal offset", offset_x_mm), ("Vertical offset", offset_y_mm)):
        if not -MAX_OFFSET_MM <= value <= MAX_OFFSET_MM:
            raise PrintError(
                f"{name}: {value:g} mm is more than a label sheet drifts; "
                f"use a value from -{MAX_OFFSET_MM:g} to {MAX_OFFSET_MM:g} mm"
            )


def text_area(cell: Cell) -> Cell:
    """Where a label's text may go inside its cell."""
    return Cell(
        x=cell.x + PAD_X,
        y=cell.y + PAD_Y,
        width=cell.width - 2 * PAD_X,
        height=cell.height - 2 * PAD_Y,
    )


def draw_label(document: Document, cell: Cell, label: MailingLabel) -> None:
    """One label's lines, shrunk or wrapped to stay inside cell, centred top to bottom."""
    area = text_area(cell)
    document.pen.block(
        area.x,
        area.y + area.height,
        area.width,
        area.height,
        label.lines,
        TEXT_SIZE,
        min_size=MIN_TEXT_SIZE,
        who=label.who or (label.lines[0] if label.lines else "a label"),
        middle=True,
    )


def labels_steps(
    labels: Sequence[MailingLabel],
    layout: LabelLayout | str,
    *,
    offset_x_mm: float = 0.0,
    offset_y_mm: float = 0.0,
    first_position: int = 1,
    outlines: bool = False,
) -> Generator[PrintProgress, None, PdfResult]:
    """Draw the labels, across then down, yielding progress after each sheet.

    first_position (1 = top left) skips labels already used on a part-used sheet;
    outlines draws each label's edge (for plain paper, or checking by eye).
    """
    sheet = _layout(layout)
    check_offset(offset_x_mm, offset_y_mm)
    if not 1 <= first_position <= sheet.per_sheet:
        raise PrintError(
            f"First label: a position from 1 to {sheet.per_sheet} on a {sheet.code} sheet"
        )
    if not labels:
        raise PrintError("Labels: there are no addresses to print")
    document = Document(sheet.page_size.points, f"Labels ({sheet.code})")
    dx, dy = offset_x_mm * MM, offset_y_mm * MM
    position = first_position - 1
    total = len(labels)
    canvas = document.canvas
    for done, label in enumerate(labels, start=1):
        cell = sheet.cell(position, dx, dy)
        if outlines:
            canvas.setStrokeGray(0.7)
            canvas.setLineWidth(0.3)
            canvas.roundRect(cell.x, cell.y, cell.width, cell.height, 4, stroke=1, fill=0)
        draw_label(document, cell, label)
        position += 1
        if position == sheet.per_sheet or done == total:
            document.end_page()
            position = 0
            yield PrintProgress(done, total, f"{done} of {total} labels")
    return document.finish()


def render_labels(
    labels: Sequence[MailingLabel],
    layout: LabelLayout | str,
    *,
    offset_x_mm: float = 0.0,
    offset_y_mm: float = 0.0,
    first_position: int = 1,
    outlines: bool = False,
) -> PdfResult:
    """The labels as a PDF (see labels_steps)."""
    return run_to_end(
        labels_steps(
            labels,
            layout,
            offset_x_mm=offset_x_mm,
            offset_y_mm=offset_y_mm,
            first_position=first_position,
            outlines=outlines,
        )
    )


def render_calibration(
    layout: LabelLayout | str, *, offset_x_mm: float = 0.0, offset_y_mm: float = 0.0
) -> PdfResult:
    """One page: a millimetre grid, every label's outline (with the offset) and its number."""
    sheet = _layout(layout)
    check_offset(offset_x_mm, offset_y_mm)
    document = Document(sheet.page_size.points, f"Label calibration ({sheet.code})")
    canvas = document.canvas
    pen = document.pen
    width, height = document.page_size
    # Grid: a light line every 5 mm, a darker one every 10 mm numbered from the top left.
    canvas.setLineWidth(0.2)
    step = 5
    for index in range(int(width / (step * MM)) + 1):
        x = index * step * MM
        canvas.setStrokeGray(0.6 if index % 2 == 0 else 0.85)
        canvas.line(x, 0, x, height)
    for index in range(int(height / (step * MM)) + 1):
        y = height - index * step * MM
        canvas.setStrokeGray(0.6 if index % 2 == 0 else 0.85)
        canvas.line(0, y, width, y)
    canvas.setFillGray(0.45)
    for millimetres in range(10, int(width / MM), 10):
        pen.draw(millimetres * MM + 1, height - 7, str(millimetres), 5)
    for millimetres in range(10, int(height / MM), 10):
        pen.draw(1.5, height - millimetres * MM - 6, str(millimetres), 5)
    canvas.setFillGray(0)
    dx, dy = offset_x_mm * MM, offset_y_mm * MM
    canvas.setStrokeColorRGB(0.8, 0.1, 0.1)
    canvas.setLineWidth(0.6)
    for position in range(sheet.per_sheet):
        cell = sheet.cell(position, dx, dy)
        canvas.roundRect(cell.x, cell.y, cell.width, cell.height, 4, stroke=1, fill=0)
        centre_x, centre_y = cell.x + cell.width / 2, cell.y + cell.height / 2
        canvas.line(centre_x - 4, centre_y, centre_x + 4, centre_y)
        canvas.line(centre_x, centre_y - 4, centre_x, centre_y + 4)
        pen.draw(cell.x + 4, cell.y + cell.height - 10, str(position + 1), 7)
    # Instructions in the middle label's place, on white so the grid does not hide them.
    middle = sheet.cell((sheet.rows // 2) * sheet.columns, dx, dy)
    box_width = min(width - 2 * middle.x, 150 * MM)
    lines = [
        f"{sheet.description}",
        f"Offset now: {offset_x_mm:+.1f} mm across, {offset_y_mm:+.1f} mm down.",
        "Print this page on plain paper, lay it on a label sheet and hold both to the light.",
        "Red outlines right of the labels: make the across offset smaller (negative moves left).",
        "Outlines below the labels: make the down offset smaller (negative moves up).",
    ]
    box_height = len(lines) * 11 + 8
    box_x = (width - box_width) / 2
    box_y = middle.y + middle.height / 2 - box_height / 2
    canvas.setFillGray(1)
    canvas.setStrokeGray(0)
    canvas.rect(box_x, box_y, box_width, box_height, stroke=1, fill=1)
    canvas.setFillGray(0)
    pen.block(
        box_x + 6, box_y + box_height - 4, box_width - 12, box_height - 8, lines, 8, min_size=5
    )
    document.end_page()
    return document.finish()


__all__ = [
    "check_offset",
    "draw_label",
    "labels_steps",
    "render_calibration",
    "render_labels",
    "text_area",
]
