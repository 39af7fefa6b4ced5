"""An event flyer: picture, title, when and where, a few words, contact and a QR code.

The QR code is ReportLab's own widget (no image library needed); an email address
becomes a mailto: code. Optional tear-off strips along the bottom repeat the
contact, turned on their side, with dashed lines to cut along.
"""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.printing.data import FlyerData, PageSize, PdfResult, PrintError
from desktop_app.printing.document import Document
from desktop_app.printing.fonts import wrap
from desktop_app.printing.words import when_in_words

MARGIN = 0.6 * 72
MAX_STRIPS = 14
MAX_QR_TEXT = 900  # beyond this a printed code is too dense to scan from a wall
QR_SIZE = 1.55 * 72
STRIP_HEIGHT = 1.9 * 72
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s/]+\.[^@\s/]+$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def qr_payload(target: str) -> str:
    """What the QR code holds: the link as given, mailto: for an email, https:// added
    to a bare "www." address. PrintError for anything else."""
    text = target.strip()
    if not text:
        return ""
    if len(text) > MAX_QR_TEXT:
        raise PrintError(f"QR code: at most {MAX_QR_TEXT} characters")
    if _EMAIL.match(text):
        return "mailto:" + text
    lowered = text.lower()
    if lowered.startswith(("http://", "https://", "mailto:", "tel:", "sms:")):
        return text
    if lowered.startswith("www.") and " " not in text:
        return "https://" + text
    if _SCHEME.match(text):
        raise PrintError(f"QR code: {text!r} is not a web or email address")
    raise PrintError(
        f"QR code: {text!r} is neither a web address (https://...) nor an email address"
    )


def _shown_target(payload: str) -> str:
    return payload[len("mailto:") :] if payload.startswith("mailto:") else payload


def check_image(path: Path) -> object:
    """An ImageReader for the picture, or PrintError saying why it cannot be used."""
    from reportlab.lib.utils import ImageReader

    if not path.is_file():
        raise PrintError(f"Picture: {path} does not exist (or is a folder)")
    try:
        reader = ImageReader(str(path))
        width, height = reader.getSize()
    except Exception as exc:  # Pillow raises many kinds for a bad file
        raise PrintError(
            f"Picture: {path.name} could not be read as a picture ({type(exc).__name__}); "
            "choose a PNG or JPEG file"
        ) from None
    if width <= 0 or height <= 0:
        raise PrintError(f"Picture: {path.name} has no pixels")
    return reader


def _check(data: FlyerData) -> None:
    if not data.title.strip():
        raise PrintError("Title: the flyer needs a title")
    if data.starts_at.tzinfo is None:
        raise PrintError("Starts: the time needs its time zone")
    if not 0 <= data.tear_off_strips <= MAX_STRIPS:
        raise PrintError(f"Tear-off strips: a number from 0 to {MAX_STRIPS}")


def render_flyer(data: FlyerData, page_size: PageSize = PageSize.LETTER) -> PdfResult:
    """The flyer as a one-page PDF."""
    _check(data)
    payload = qr_payload(data.qr_target)
    image = check_image(data.image_path) if data.image_path is not None else None
    document = Document(page_size.points, f"Flyer: {data.title}")
    canvas = document.canvas
    pen = document.pen
    width, height = document.page_size
    inner = width - 2 * MARGIN
    strips = data.tear_off_strips
    floor = MARGIN + (STRIP_HEIGHT if strips else 0)
    top = height - MARGIN

    if image is not None:
        image_width, image_height = image.getSize()  # type: ignore[attr-defined]
        box_height = min(2.4 * 72, (height - floor) * 0.2)
        scale = min(inner / image_width, box_height / image_height)
        shown_w, shown_h = image_width * scale, image_height * scale
        canvas.drawImage(
            image,
            MARGIN + (inner - shown_w) / 2,
            top - shown_h,
            shown_w,
            shown_h,
            mask="auto",
        )
        top -= shown_h + 18

    # The title: as large as fits in three lines.
    title_size = 44.0
    while True:
        lines = wrap(data.title, title_size, inner, bold=True)
        if len(lines) <= 3 or title_size <= 20:
            break
        title_size -= 2
    y = top - title_size
    for line in lines[:4]:
        pen.draw(width / 2, y, line, title_size, bold=True, align="center", who="title")
        y -= title_size * 1.12
    y -= 8

    canvas.setFillColorRGB(0.55, 0.1, 0.1)
    when = when_in_words(data.starts_at, data.ends_at)
    pen.draw_fitted(
        width / 2, y, when, inner, 19, min_size=11, bold=True, align="center", who="date"
    )
    canvas.setFillGray(0)
    y -= 26
    if data.place.strip():
        for line in wrap(data.place, 16, inner)[:3]:
            pen.draw(width / 2, y, line, 16, align="center", who="place")
            y -= 20
    y -= 16

    # Contact and QR code sit just above the strips; the description fills what is between.
    contact_top = floor + QR_SIZE + 30
    if data.description.strip():
        available = y - contact_top - 10
        size = 14.0
        while True:
            lines = wrap(data.description, size, inner * 0.92)
            if len(lines) * size * 1.35 <= available or size <= 9:
                break
            size -= 0.5
        fits = max(0, int(available // (size * 1.35)))
        if len(lines) > fits:
            document.notes.add("Description: too long for the flyer, printed cut short")
            lines = lines[:fits]
            if lines:
                lines[-1] = lines[-1].rstrip() + " …"
        pen.paragraph(
            MARGIN + inner * 0.04,
            y,
            "",
            inner * 0.92,
            size,
            leading=size * 1.35,
            lines=lines,
            who="description",
        )

    _draw_contact(document, data, payload, floor)
    if strips:
        _draw_strips(document, data, strips)
    document.end_page()
    return document.finish()


def _draw_contact(document: Document, data: FlyerData, payload: str, floor: float) -> None:
    canvas = document.canvas
    pen = document.pen
    width = document.width
    inner = width - 2 * MARGIN
    base = floor + 12
    text_width = inner - (QR_SIZE + 24 if payload else 0)
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, base + QR_SIZE + 12, width - MARGIN, base + QR_SIZE + 12)
    y = base + QR_SIZE - 16
    if data.group_name.strip():
        pen.draw_fitted(
            MARGIN, y, data.group_name, text_width, 17, min_size=10, bold=True, who="group name"
        )
        y -= 22
    if data.contact.strip():
        for line in wrap(data.contact, 13, text_width)[:4]:
            pen.draw(MARGIN, y, line, 13, who="contact")
            y -= 17
    if payload:
        from reportlab.graphics import renderPDF
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        widget = QrCodeWidget(payload, barLevel="M")
        x1, y1, x2, y2 = widget.getBounds()
        drawing = Drawing(
            QR_SIZE,
            QR_SIZE,
            transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0],
        )
        drawing.add(widget)
        qr_x = width - MARGIN - QR_SIZE
        renderPDF.draw(drawing, canvas, qr_x, base)
        canvas.setFillGray(0.3)
        document.pen.draw_fitted(
            qr_x + QR_SIZE / 2,
            base - 8,
            _shown_target(payload),
            QR_SIZE + 20,
            8,
            min_size=5,
            align="center",
            who="QR code",
        )
        canvas.setFillGray(0)


def _draw_strips(document: Document, data: FlyerData, strips: int) -> None:
    canvas = document.canvas
    pen = document.pen
    width = document.width
    text = data.tear_off_text.strip() or "\n".join(
        part for part in (data.group_name.strip(), data.contact.strip()) if part
    )
    if not text:
        text = data.title
    left, right, top = MARGIN / 2, width - MARGIN / 2, MARGIN / 2 + STRIP_HEIGHT
    strip_width = (right - left) / strips
    canvas.setStrokeGray(0.45)
    canvas.setLineWidth(0.6)
    canvas.setDash(4, 3)
    canvas.line(left, top, right, top)
    for index in range(1, strips):
        x = left + index * strip_width
        canvas.line(x, MARGIN / 2, x, top)
    canvas.setDash()
    # Each strip's text runs bottom to top, turned a quarter left, as on a notice board.
    lines = wrap(text, 9, STRIP_HEIGHT - 14)
    size = 9.0
    while len(lines) * size * 1.15 > strip_width - 6 and size > 5.5:
        size -= 0.5
        lines = wrap(text, size, STRIP_HEIGHT - 14)
    fits = max(1, int((strip_width - 6) // (size * 1.15)))
    if len(lines) > fits:
        document.notes.add(
            "Tear-off strips: the contact is too long for a strip, printed cut short"
        )
        lines = lines[:fits]
    for index in range(strips):
        canvas.saveState()
        canvas.translate(left + index * strip_width + strip_width / 2, MARGIN / 2 + 7)
        canvas.rotate(90)
        block = len(lines) * size * 1.15
        y = block / 2 - size * 0.8
        for line in lines:
            pen.draw(0, y, line, size, who="tear-off strip")
            y -= size * 1.15
        canvas.restoreState()


__all__ = ["check_image", "qr_payload", "render_flyer"]
