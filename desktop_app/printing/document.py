"""What every document shares: a canvas in the bundled fonts, its pages and its notes."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from desktop_app import __version__
from desktop_app.printing.data import PdfResult, PrintError
from desktop_app.printing.fonts import Notes, Pen, base_font


class Document:
    """A PDF being drawn straight on a ReportLab canvas.

    ``canvas`` is ReportLab's, ``pen`` draws text in the bundled fonts, ``notes``
    collects what could not be printed as typed. Call ``end_page()`` after each page
    and ``finish()`` once at the end.
    """

    def __init__(self, page_size: tuple[float, float], title: str, subject: str = "") -> None:
        self.page_size = page_size
        self.width, self.height = page_size
        self._buffer = io.BytesIO()
        # The first font a page selects is ours, so no unembedded Helvetica is referenced.
        self.canvas = Canvas(
            self._buffer,
            pagesize=page_size,
            initialFontName=base_font(),
            initialFontSize=10,
            pageCompression=1,
        )
        self.canvas.setTitle(title)
        self.canvas.setSubject(subject or title)
        self.canvas.setCreator(f"Group Desk {__version__}")
        self.canvas.setAuthor("Group Desk")
        self.notes = Notes()
        self.pen = Pen(self.canvas, self.notes)
        self.pages = 0

    def end_page(self) -> None:
        self.canvas.showPage()
        self.pages += 1

    def finish(self) -> PdfResult:
        """The finished PDF. A document with nothing on it is refused."""
        if self.pages == 0:
            raise PrintError("There is nothing to print")
        self.canvas.save()
        return PdfResult(
            pdf=self._buffer.getvalue(), pages=self.pages, warnings=self.notes.messages()
        )


def page_size_of(value: object) -> tuple[float, float]:
    """Points for a PageSize (or its name, "letter" / "a4")."""
    from desktop_app.printing.data import PageSize

    try:
        return PageSize(str(value).lower()).points
    except ValueError:
        raise PrintError(f"Page size: {value!r} is not letter or a4") from None


__all__ = ["Document", "page_size_of"]
