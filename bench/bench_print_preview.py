"""The print preview with 500 letters: opening it, and sending pages to a printer.

open: a PrintPreviewDialog over 500 one-page letters (250 writers x 2 officials),
built and shown, with its page count read. The floor is a bare QPdfView showing the
same bytes the same way (many pages, fit to width). Target: under 1 s and no more
than 3x the floor.

print: pages sent through print_steps (QtPdf renders each page at the printer's
resolution, a band at a time, and QPainter draws it into a QPrinter) to Qt's own PDF
printer at 300 dpi, the output a CUPS printer on Linux gets too. The floor is QtPdf
rendering the same pages at 300 dpi into images and nothing else. The difference is
Qt's print engine compressing each 8-megapixel page, which no caller can change;
the figure is what a volunteer waits per page, so the limit is absolute: under
0.5 s a page, and the run is off the GUI thread with Cancel either way.

Each figure is the median of RUNS runs.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
for folder in (REPO_ROOT, REPO_ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from common import (  # noqa: E402
    OtherLoad,
    exit_status,
    median,
    python_speed,
    report,
    temporary_folder,
    time_call,
)

RUNS = int(os.environ.get("BENCH_PREVIEW_RUNS", "3"))
WRITERS = 250
PRINTED_PAGES = 10
DPI = 300


def letters_pdf(writer_count: int) -> bytes:
    from desktop_app.printing.data import Addressee, LetterBatch, UrgentActionData, Writer
    from desktop_app.printing.templates import DEFAULT_LETTER_TEMPLATE
    from desktop_app.printing.ua_letters import render_letters

    action = UrgentActionData(
        number="UA 229/10",
        title="Journalist held incommunicado",
        country="Ruritania",
        persons_at_risk="José Martí",
        addressees=(
            Addressee("Ana Pérez", "Minister of the Interior", "Calle Mayor 1\nMadrid"),
            Addressee("Luis Gómez", "Attorney General", "Plaza 2\nMadrid", "Dear Sir"),
        ),
    )
    writers = tuple(
        Writer(f"Writer {n}", f"{n} Elm Street\nRiverside, CA 92501", "Riverside")
        for n in range(writer_count)
    )
    batch = LetterBatch(action, writers, DEFAULT_LETTER_TEMPLATE, date(2026, 5, 16))
    return render_letters(batch).letters.pdf


def main() -> int:
    from PySide6.QtCore import QSize
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from desktop_app.views.print_preview import (
        PreviewDocument,
        PrintPreviewDialog,
        load_pdf,
        print_pdf,
    )

    pdf = letters_pdf(WRITERS)
    results = []
    print(f"python speed {python_speed():.2f} s (10M additions)")

    def floor_open() -> None:
        document, _buffer = load_pdf(pdf)
        view = QPdfView()
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setDocument(document)
        view.resize(900, 700)
        view.show()
        app.processEvents()
        assert document.pageCount() == 2 * WRITERS
        view.close()
        view.deleteLater()
        app.processEvents()

    def preview_open() -> None:
        dialog = PrintPreviewDialog([PreviewDocument("Letters", pdf_result)], title="Letters")
        dialog.show()
        app.processEvents()
        assert dialog.page_count() == 2 * WRITERS
        dialog.close()
        dialog.deleteLater()
        app.processEvents()

    from desktop_app.printing.data import PdfResult

    pdf_result = PdfResult(pdf, 2 * WRITERS)
    opened, floors = [], []
    with OtherLoad() as load:
        for _ in range(RUNS):
            floors += time_call(floor_open)
            opened += time_call(preview_open)
    results.append(
        report("preview.open_500_letters", median(opened), median(floors), "s", 3.0, 1.0)
    )

    # Ten letters printed to Qt's PDF printer.
    document, _buffer = load_pdf(pdf)
    width, height = round(8.5 * DPI), round(11 * DPI)

    def floor_render() -> None:
        for page in range(PRINTED_PAGES):
            document.render(page, QSize(width, height))

    first = letters_pdf(PRINTED_PAGES // 2)  # the same letters, ten pages
    with temporary_folder("bench-print-preview") as folder:

        def printed() -> None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(folder / "out.pdf"))
            printer.setResolution(DPI)
            assert print_pdf(first, printer) == PRINTED_PAGES

        sent, rendered = [], []
        for _ in range(RUNS):
            rendered += time_call(floor_render)
            sent += time_call(printed)
    per_page = median(sent) / PRINTED_PAGES
    results.append(
        report(
            f"preview.print_page_{DPI}dpi",
            per_page,
            median(rendered) / PRINTED_PAGES,
            "s",
            limit_abs=0.5,
        )
    )
    print(
        f"500 letters at {DPI} dpi: about {per_page * 500:.0f} s on the printing thread"
        + (f" (other processes kept {load.cores:.1f} cores busy)" if load.cores else "")
    )
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
