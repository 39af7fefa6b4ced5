"""The print preview: pages shown with QtPdf, moved through and zoomed by keyboard,
warnings said in words, printed through QPrinter and saved as a PDF.

Printing goes to QPrinter's own PDF output (no printer is needed), which is then
read back with pdfplumber like any other document: the pages that reached the
"paper", their size, and the names on them.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.printing.data import (
    ExpectedPerson,
    MailingLabel,
    PageSize,
    PdfResult,
    PrintProgress,
    SigninSheetData,
)
from desktop_app.views import print_preview
from desktop_app.views.print_preview import (
    PreviewDocument,
    PrintPreviewDialog,
    page_layout_for,
    print_pdf,
    run_print_job,
    safe_file_name,
)
from tests.helpers.pdf_pages import page_texts


def signin_sheet(blank_rows: int = 60) -> PdfResult:
    from desktop_app.printing.signin_sheet import render_signin_sheet

    data = SigninSheetData(
        group_name="Riverside Group",
        event_title="Monthly meeting",
        starts_at=datetime(2026, 5, 16, 19, 0, tzinfo=UTC),
        expected=(
            ExpectedPerson("தமிழ்", "Devi"),  # a script no bundled font has
            ExpectedPerson("Zoë", "Novak"),
            ExpectedPerson("Владимир", "Кузнецов"),
        ),
        blank_rows=blank_rows,
    )
    return render_signin_sheet(data, PageSize.LETTER)


def envelopes() -> PdfResult:
    from desktop_app.printing.document import Document
    from desktop_app.printing.ua_letters import ENVELOPE_10

    document = Document(ENVELOPE_10, "Envelopes")
    document.pen.draw(300, 150, "Official 1", 11)
    document.end_page()
    return document.finish()


@pytest.fixture
def sheet() -> PdfResult:
    return signin_sheet()


@pytest.fixture
def preview(qtbot: QtBot, sheet: PdfResult) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(
        [PreviewDocument("Sign-in sheet", sheet, "sign-in-sheet.pdf")],
        title="Sign-in sheet: Monthly meeting",
        note="3 people listed, 60 blank rows",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def pdf_printer(path: Path, dpi: int = 100) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)  # the page is rendered at this; a real printer gives its own
    return printer


def page_sizes(path: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as document:
        return [(round(page.width), round(page.height)) for page in document.pages]


def test_the_preview_shows_every_page_the_note_and_the_warnings(
    preview: PrintPreviewDialog, sheet: PdfResult
) -> None:
    assert sheet.pages == 3
    assert preview.page_count() == 3
    assert preview.page_count_label.text() == "of 3"
    assert preview.view.document() is preview.pdf_document()
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.note_label.text() == "3 people listed, 60 blank rows"
    assert not preview.document_choice.isVisibleTo(preview)  # one document: no chooser
    assert preview.warnings_list.isVisibleTo(preview)
    assert preview.warnings_list.count() == 1
    warning = preview.warnings_list.item(0).text()
    assert warning.startswith("தமிழ் Devi:") and "U+0BA4" in warning
    assert preview.warnings_label.text() == "One thing could not be printed exactly as typed:"


def test_no_warnings_no_warning_box(qtbot: QtBot) -> None:
    from desktop_app.printing.labels import render_calibration

    dialog = PrintPreviewDialog([PreviewDocument("Grid", render_calibration("5160"))], title="T")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() == 1
    assert dialog.page_count_label.text() == "of 1 (one page)"
    assert not dialog.warnings_list.isVisibleTo(dialog)
    assert not dialog.warnings_label.isVisibleTo(dialog)
    assert not dialog.next_button.isEnabled() and not dialog.previous_button.isEnabled()


def test_pages_and_zoom_by_keyboard_and_buttons(qtbot: QtBot, preview: PrintPreviewDialog) -> None:
    assert preview.current_page() == 0
    assert not preview.previous_button.isEnabled()
    qtbot.keyClick(preview, Qt.Key.Key_PageDown)
    assert preview.current_page() == 1
    assert preview.page_spin.value() == 2
    preview.next_button.click()
    assert preview.current_page() == 2
    assert not preview.next_button.isEnabled()
    qtbot.keyClick(preview, Qt.Key.Key_PageDown)  # stays on the last page
    assert preview.current_page() == 2
    preview.page_spin.setValue(1)
    assert preview.current_page() == 0
    qtbot.keyClick(preview, Qt.Key.Key_PageUp)
    assert preview.current_page() == 0

    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    qtbot.keyClick(preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.view.zoomFactor() == pytest.approx(1.25)
    preview.zoom_out_button.click()
    preview.zoom_out_button.click()
    assert preview.view.zoomFactor() == pytest.approx(0.75)
    preview.zoom_choice.setCurrentIndex(preview.zoom_choice.findData("page"))
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView


def test_save_as_pdf_writes_a_file_that_reads_back(
    qtbot: QtBot,
    preview: PrintPreviewDialog,
    sheet: PdfResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    asked: list[Path] = []

    def answer(_parent: QWidget, _title: str, suggested: Path) -> Path:
        asked.append(suggested)
        return folder / "sheet.pdf"

    monkeypatch.setattr(print_preview, "ask_save_path", answer)
    qtbot.keyClick(preview, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = folder / "sheet.pdf"
    assert saved.is_file()
    assert asked and asked[0].name == "sign-in-sheet.pdf"
    texts = page_texts(saved.read_bytes())
    assert len(texts) == 3
    assert "Zoë Novak" in texts[0] and "Владимир Кузнецов" in texts[0]
    assert saved.read_bytes() == sheet.pdf
    assert [p.name for p in folder.iterdir()] == ["sheet.pdf"]  # no temporary left over
    assert str(saved) in preview.status.text()
    # The next save starts in the folder used last.
    preview.save_with_dialog()
    assert asked[1].parent == folder


def test_a_save_that_cannot_be_written_says_so_and_writes_nothing(
    qtbot: QtBot, preview: PrintPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "missing-folder" / "sheet.pdf"
    monkeypatch.setattr(print_preview, "ask_save_path", lambda *_args: target)
    assert not preview.save_with_dialog()
    assert not target.exists()
    assert preview.status.text().startswith("The PDF was not saved.")
    assert preview.saved_path is None


def test_print_sends_every_page_to_the_printer(
    qtbot: QtBot, preview: PrintPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"
    shown: list[int] = []

    def answer(_parent: QWidget, printer: QPrinter, pages: int) -> bool:
        shown.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(100)
        return True

    monkeypatch.setattr(print_preview, "ask_printer", answer)
    with qtbot.waitSignal(preview.printed) as blocker:
        qtbot.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [3]
    assert shown == [3]
    assert page_sizes(out) == [(612, 792)] * 3  # US Letter, borderless, as drawn
    assert "Sent 3 page(s)" in preview.status.text()


def test_a_long_print_runs_on_its_own_thread_and_cancel_aborts_the_job(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.printing.labels import render_labels

    labels = render_labels([MailingLabel(("Ana Ruiz", f"{n} Elm St")) for n in range(600)], "5160")
    assert labels.pages == 20
    dialog = PrintPreviewDialog([PreviewDocument("Labels", labels)], title="Labels")
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "long.pdf"
    # The job waits after its first page until the cancel is in (a busy machine could
    # otherwise finish 20 pages before the GUI thread sees the first).
    real_draw = print_preview._draw_page
    gate = threading.Event()
    threads: set[int] = set()

    def gated_draw(*args: Any) -> None:
        if threads:  # the second page waits
            gate.wait(30)
        threads.add(threading.get_ident())
        real_draw(*args)

    monkeypatch.setattr(print_preview, "_draw_page", gated_draw)
    task = dialog.start_printing(pdf_printer(out, dpi=50))
    assert not dialog.print_button.isEnabled()  # one print run at a time

    def cancel(_step: object) -> None:
        task.cancel()
        gate.set()

    task.progressed.connect(cancel)
    with qtbot.waitSignal(task.cancelled, timeout=60_000):
        pass
    qtbot.waitUntil(dialog.print_button.isEnabled)
    assert threads and threading.get_ident() not in threads  # painted on another thread
    assert dialog.printed_pages == 0
    assert dialog.status.text().startswith("Printing stopped.")
    assert not out.exists() or out.stat().st_size == 0 or len(page_sizes(out)) < 20

    # Run to the end on the printing thread: every page reaches the printer.
    gate.set()
    monkeypatch.setattr(print_preview, "_draw_page", real_draw)
    task = dialog.start_printing(pdf_printer(out, dpi=50))
    with qtbot.waitSignal(dialog.printed, timeout=60_000) as blocker:
        pass
    assert blocker.args == [20]
    assert len(page_sizes(out)) == 20

    # Closing the preview while printing stops the thread first.
    gate.clear()
    threads.clear()
    monkeypatch.setattr(print_preview, "_draw_page", gated_draw)
    task = dialog.start_printing(pdf_printer(tmp_path / "closed.pdf", dpi=50))
    qtbot.waitUntil(lambda: bool(threads))
    opener = threading.Timer(0.2, gate.set)  # the page being drawn finishes, then it stops
    opener.start()
    started = time.monotonic()
    dialog.close()
    assert time.monotonic() - started < 10
    assert not task.is_running() or task.wait(10_000)
    assert not dialog.isVisible()


def test_a_page_range_prints_only_those_pages(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop_app.printing.labels import render_labels

    labels = render_labels([MailingLabel(("Ana Ruiz", f"{n} Elm St")) for n in range(75)], "5160")
    assert labels.pages == 3
    out = tmp_path / "range.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_pdf(labels.pdf, printer) == 2
    assert len(page_sizes(out)) == 2


def test_envelopes_print_landscape_on_their_own_size(qtbot: QtBot, tmp_path: Path) -> None:
    result = envelopes()
    layout = page_layout_for(QSizeF(684, 297))
    assert layout.orientation() == layout.Orientation.Landscape
    dialog = PrintPreviewDialog([PreviewDocument("Envelopes", result)], title="Envelopes")
    qtbot.addWidget(dialog)
    out = tmp_path / "envelopes.pdf"
    assert dialog.print_to(pdf_printer(out)) == 1
    ((width, height),) = page_sizes(out)
    assert (width, height) == (684, 297)


def test_a_cancelled_print_dialog_prints_nothing(
    preview: PrintPreviewDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_preview, "ask_printer", lambda *_args: False)
    assert preview.print_with_dialog() is None
    assert preview.printed_pages == 0


def test_two_documents_are_chosen_in_the_preview(qtbot: QtBot, sheet: PdfResult) -> None:
    dialog = PrintPreviewDialog(
        [PreviewDocument("Letters", sheet), PreviewDocument("Envelopes", envelopes())],
        title="Letters",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document_choice.isVisibleTo(dialog)
    assert dialog.page_count() == 3
    dialog.go_to_page(2)
    dialog.choose_document(1)
    assert dialog.current_document().name == "Envelopes"
    assert dialog.page_count() == 1 and dialog.current_page() == 0
    assert not dialog.warnings_list.isVisibleTo(dialog)  # the envelopes have none


def test_escape_closes_the_preview(qtbot: QtBot, preview: PrintPreviewDialog) -> None:
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    assert not preview.isVisible()


def one_step(make: Callable[[], str]) -> Generator[PrintProgress, None, str]:
    """A job of one step whose result is make()'s."""
    yield PrintProgress(0, 1, "Drawing")
    return make()


def test_a_job_runs_in_the_background_and_its_failure_is_said_in_words(qtbot: QtBot) -> None:
    from desktop_app.printing.data import PrintError

    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[str] = []
    task = run_print_job(
        parent,
        title="Flyer",
        steps=lambda: one_step(lambda: "made"),
        on_done=results.append,
    )
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert results == ["made"]

    def refuse() -> str:
        raise PrintError("QR code: 'ftp://x' is not a web or email address")

    task = run_print_job(
        parent, title="Flyer", steps=lambda: one_step(refuse), on_done=results.append
    )
    with qtbot.waitSignal(task.failed, timeout=10_000):
        pass
    box = parent.findChild(print_preview.QMessageBox, "printProblem")
    assert box is not None
    assert "Nothing was printed." in box.text() and "ftp://x" in box.text()
    box.close()


def test_file_names_come_from_titles() -> None:
    assert safe_file_name("Sign-in sheet: Monthly meeting") == "sign-in-sheet-monthly-meeting.pdf"
    assert safe_file_name("Письма: UA 229/10") == "письма-ua-229-10.pdf"
    assert safe_file_name("???") == "document.pdf"
