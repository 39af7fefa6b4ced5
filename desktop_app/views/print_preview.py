"""The print preview: a finished PDF shown page by page, then printed or saved.

Every printed document in Group Desk ends here. The dialog shows one or more PDFs
(letters and their envelopes are two: other paper, another print run) with QtPdf's
QPdfView, the page count, page navigation and zoom, and, in plain words, what could
not be printed as typed (a name no bundled font covers). "Print..." opens the system
print dialog and draws each page into the printer at the printer's resolution;
"Save as PDF..." writes the file whole or not at all.

Long documents are made off the GUI thread first: ``run_print_job`` runs a generator
that yields ``PrintProgress`` (the ``*_steps`` of desktop_app.printing) with a progress
dialog that can be cancelled, then calls back with the result. Neither this module nor
its callers import ReportLab at start-up: the renderers load inside the generators,
and QtPdf loads when the first preview opens.

Keys: Ctrl+P print, Ctrl+S save, Page Up/Down change page, Ctrl++ / Ctrl+- zoom,
Esc closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QObject,
    QPointF,
    QRect,
    QSettings,
    QSize,
    QSizeF,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.tasks.runner import ProgressText, Task, run_task
from desktop_app.tasks.steps import run_to_end
from desktop_app.views.base_dialog import BaseDialog, open_warning
from desktop_app.views.save_paths import export_folder

if TYPE_CHECKING:
    from desktop_app.printing.data import PdfResult, PrintProgress

R = TypeVar("R")

ZOOM_STEPS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
# Pages go to the printer in horizontal bands of at most this many pixels, so a page
# at 1200 dpi (10,200 x 13,200 pixels) never needs more than ~32 MB at once.
BAND_PIXELS = 8_000_000
SAVE_FOLDER_KEY = "printing/save_folder"


@dataclass(frozen=True)
class PreviewDocument:
    """One PDF the preview shows: its name in the chooser and a file name to suggest."""

    name: str
    result: PdfResult
    file_name: str = "document.pdf"


def safe_file_name(text: str, suffix: str = ".pdf") -> str:
    """A file name from a title: "Sign-in sheet: Monthly meeting" becomes
    "sign-in-sheet-monthly-meeting.pdf" (letters of any script kept)."""
    words = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")[:80]
    return f"{words or 'document'}{suffix}"


# --- the questions a test answers instead of a person ----------------------------------


def ask_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """Ask where to save a PDF; None if the user cancelled (tests replace this)."""
    name, _chosen = QFileDialog.getSaveFileName(
        parent,
        title,
        str(suggested),
        QApplication.translate("PrintPreviewDialog", "PDF documents (*.pdf)"),
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def ask_printer(parent: QWidget, printer: QPrinter, pages: int) -> bool:
    """Show the system print dialog for printer; False if the user cancelled."""
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, max(1, pages))
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


# --- printing pages ------------------------------------------------------------------------


def page_layout_for(size_points: QSizeF) -> QPageLayout:
    """A borderless page layout of the PDF page's own size (landscape when wider)."""
    width, height = size_points.width(), size_points.height()
    landscape = width > height
    portrait = QSizeF(min(width, height), max(width, height))
    page_size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0))


def printing_pool() -> QThreadPool:
    """The one thread pages are sent to printers on (not the database's: a long print
    run must not hold up saving)."""
    global _printing_pool
    if _printing_pool is None:
        _printing_pool = QThreadPool()
        _printing_pool.setObjectName("groupdesk-printing")
        _printing_pool.setMaxThreadCount(1)
    return _printing_pool


_printing_pool: QThreadPool | None = None


def load_pdf(pdf: bytes, parent: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QtPdf document read from bytes; keep the buffer as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    document.load(buffer)  # a whole buffer in memory loads at once
    return document, buffer


def print_steps(pdf: bytes, printer: QPrinter) -> Generator[PrintProgress, None, int]:
    """Draw the PDF's pages (the printer's page range, else all) into printer, yielding
    after each page; returns the pages printed.

    Each page is rendered by QtPdf at the printer's resolution, a band at a time, and
    scaled to fit the paper keeping its proportions. Meant for the printing thread
    (QPainter may paint on a QPrinter outside the GUI thread); the document is read
    afresh here, so nothing of the GUI thread is touched. Closing the generator early
    (Cancel) sends no more pages and asks the printer to abort the job: the Windows and
    macOS print engines drop it; Qt's CUPS engine (Linux) cannot abort, so the pages
    already drawn may still print.
    """
    from desktop_app.printing.data import PrintProgress

    document, buffer = load_pdf(pdf)
    count = document.pageCount()
    if count == 0:
        return 0
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
    total = last - first + 1
    printer.setFullPage(True)
    printer.setPageLayout(page_layout_for(document.pagePointSize(first - 1)))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(
            QApplication.translate("PrintPreviewDialog", "The printer could not be started.")
        )
    printed = 0
    try:
        dpi = printer.resolution()
        for number in range(first, last + 1):
            if number > first and not printer.newPage():
                raise OSError(QApplication.translate("PrintPreviewDialog", "The printer stopped."))
            _draw_page(painter, document, number - 1, printer, dpi)
            printed += 1
            yield PrintProgress(printed, total, f"Page {printed} of {total}")
    except GeneratorExit:
        printer.abort()
        raise
    finally:
        if painter.isActive():
            painter.end()
        buffer.close()
    return printed


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """print_steps run to the end here and now; the pages printed."""
    return run_to_end(print_steps(pdf, printer))


def _draw_page(
    painter: QPainter, document: QPdfDocument, index: int, printer: QPrinter, dpi: int
) -> None:
    paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
    size = document.pagePointSize(index)
    scale = min(
        paper.width() / (size.width() / 72 * dpi), paper.height() / (size.height() / 72 * dpi)
    )
    scale = min(scale, 1.0) if scale > 0 else 1.0
    width = max(1, round(size.width() / 72 * dpi * scale))
    height = max(1, round(size.height() / 72 * dpi * scale))
    left = paper.left() + (paper.width() - width) // 2
    top = paper.top() + (paper.height() - height) // 2
    band = max(64, BAND_PIXELS // width)
    for y in range(0, height, band):
        rows = min(band, height - y)
        options = QPdfDocumentRenderOptions()
        options.setScaledSize(QSize(width, height))
        options.setScaledClipRect(QRect(0, y, width, rows))
        image = document.render(index, QSize(width, rows), options)
        painter.drawImage(left, top + y, image)


# --- running a document off the GUI thread -------------------------------------------------


def run_print_job(
    parent: QWidget,
    *,
    title: str,
    steps: Callable[[], Generator[PrintProgress, None, R]],
    on_done: Callable[[R], None],
    on_cancel: Callable[[], None] | None = None,
) -> Task:
    """Make a document on the worker thread (progress dialog after half a second, with
    Cancel), then call on_done with what the generator returned. A failure is shown in
    words; a cancel leaves nothing (the generator was closed, nothing was kept)."""

    def describe(progress: PrintProgress) -> ProgressText:
        return ProgressText(progress.label or title, progress.done, progress.total)

    def failed(error: BaseException) -> None:
        show_print_problem(parent, title, error)

    return run_task(
        steps,
        parent=parent,
        title=title,
        describe=describe,
        on_success=on_done,
        on_failure=failed,
        on_cancel=on_cancel,
    )


def show_print_problem(parent: QWidget, title: str, error: BaseException) -> QMessageBox:
    """Say why a document could not be made, in the renderer's own words (non-blocking)."""
    text = str(error) or type(error).__name__
    nothing = QApplication.translate("PrintPreviewDialog", "Nothing was printed.")
    box = open_warning(parent, title, f"{nothing}\n\n{text}")
    box.setObjectName("printProblem")
    return box


# --- the dialog ----------------------------------------------------------------------------


class PrintPreviewDialog(BaseDialog):
    """Shows PDFs before they are printed or saved.

    Signals:
        printed(int): pages were sent to a printer (how many).
    """

    printed = Signal(int)

    def __init__(
        self,
        documents: Sequence[PreviewDocument],
        *,
        title: str,
        note: str = "",
        printer_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, settings_key="PrintPreviewDialog")
        if not documents:
            raise ValueError("a preview needs at least one document")
        self.setObjectName("printPreview")
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self._documents = list(documents)
        self._title = title
        self._printer_name = printer_name
        self._buffers: dict[int, QBuffer] = {}
        self._pdfs: dict[int, QPdfDocument] = {}
        self._current = 0
        self.printed_pages = 0
        self.saved_path: Path | None = None
        self.print_task: Task | None = None
        self._printer: QPrinter | None = None
        self._build(note)
        self._show_document(0)
        self.resize(900, 860)

    # --- public ------------------------------------------------------------------------

    def documents(self) -> list[PreviewDocument]:
        return list(self._documents)

    def current_document(self) -> PreviewDocument:
        return self._documents[self._current]

    def pdf_document(self) -> QPdfDocument:
        """The QtPdf document shown now."""
        return self._pdf(self._current)

    def page_count(self) -> int:
        return self.pdf_document().pageCount()

    def current_page(self) -> int:
        """The page shown, from 0."""
        return self.view.pageNavigator().currentPage()

    def choose_document(self, index: int) -> None:
        self.document_choice.setCurrentIndex(index)

    def go_to_page(self, index: int) -> None:
        """Show page index (from 0), clamped to the document."""
        index = max(0, min(index, self.page_count() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(index, QPointF(), navigator.currentZoom())
        self._update_page_controls()

    def add_action_button(self, text: str, tip: str = "") -> QPushButton:
        """A button on the left of the button row for what follows printing (e.g. recording
        the letters written)."""
        button = QPushButton(text, self)
        if tip:
            button.setToolTip(tip)
        button.setAutoDefault(False)
        self.extra_buttons.addWidget(button)
        return button

    def save_as(self, path: Path) -> bool:
        """Write the document shown to path (whole or not at all); False after a message."""
        try:
            self.current_document().result.write(path)
        except (OSError, ValueError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._warn(self.tr("The PDF was not saved.") + f"\n\n{path}: {detail}")
            return False
        self.saved_path = path
        QSettings().setValue(SAVE_FOLDER_KEY, str(path.parent))
        self.status.setText(self.tr("Saved to {path}").format(path=path))
        return True

    def print_to(self, printer: QPrinter) -> int:
        """Print the document shown on printer, here and now (no dialog, no thread);
        the pages printed."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            printed = print_pdf(self.current_document().result.pdf, printer)
        except OSError as exc:
            QApplication.restoreOverrideCursor()
            self._print_failed(exc)
            return 0
        QApplication.restoreOverrideCursor()
        self._print_done(printer, printed)
        return printed

    def start_printing(self, printer: QPrinter) -> Task:
        """Print the document shown on printer on the printing thread, with a progress
        dialog (after half a second) whose Cancel stops the job; ``printed`` follows."""
        pdf = self.current_document().result.pdf
        self.print_button.setEnabled(False)
        self.print_action.setEnabled(False)
        self._printer = printer  # kept alive while the thread paints on it
        task = run_task(
            lambda: print_steps(pdf, printer),
            parent=self,
            title=self.tr("Printing"),
            describe=self._describe_printing,
            on_success=lambda printed: self._print_done(printer, printed),
            on_failure=self._print_failed,
            on_cancel=self._print_cancelled,
            pool=printing_pool(),
        )
        task.finished.connect(self._print_finished)
        self.print_task = task
        return task

    def _describe_printing(self, step: PrintProgress) -> ProgressText:
        return ProgressText(
            self.tr("Sending page {done} of {total} to the printer...").format(
                done=step.done, total=step.total
            ),
            step.done,
            step.total,
        )

    def _print_done(self, printer: QPrinter, printed: int) -> None:
        self.printed_pages += printed
        self.status.setText(
            self.tr("Sent {count} page(s) to {printer}.").format(
                count=printed,
                printer=printer.outputFileName() or printer.printerName() or self.tr("the printer"),
            )
        )
        self.printed.emit(printed)

    def _print_failed(self, error: BaseException) -> None:
        self._warn(self.tr("Nothing was printed.") + f"\n\n{error}")

    def _print_cancelled(self) -> None:
        self.status.setText(
            self.tr("Printing stopped. Pages already sent may still come out of the printer.")
        )

    def _print_finished(self) -> None:
        self.print_button.setEnabled(True)
        self.print_action.setEnabled(True)
        self._printer = None

    def done(self, result: int) -> None:
        # Closing while pages are being sent: stop after the page being drawn (a fraction
        # of a second) so the printing thread never paints for a preview that is gone.
        task = self.print_task
        if task is not None and task.is_running():
            task.cancel()
            task.wait()
        super().done(result)

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self._printer_name:
            printer.setPrinterName(self._printer_name)
        printer.setDocName(f"{self._title} — {self.current_document().name}")
        return printer

    # --- building ----------------------------------------------------------------------

    def _build(self, note: str) -> None:
        self.document_choice = QComboBox(self)
        self.document_choice.setAccessibleName(self.tr("Document"))
        for document in self._documents:
            self.document_choice.addItem(document.name)
        document_label = QLabel(self.tr("&Document:"), self)
        document_label.setBuddy(self.document_choice)
        many = len(self._documents) > 1
        document_label.setVisible(many)
        self.document_choice.setVisible(many)

        self.previous_button = QToolButton(self)
        self.previous_button.setText(self.tr("◀ Previous"))
        self.previous_button.setToolTip(self.tr("Previous page (Page Up)"))
        self.next_button = QToolButton(self)
        self.next_button.setText(self.tr("Next ▶"))
        self.next_button.setToolTip(self.tr("Next page (Page Down)"))
        self.page_spin = QSpinBox(self)
        self.page_spin.setAccessibleName(self.tr("Page"))
        self.page_spin.setKeyboardTracking(False)
        page_label = QLabel(self.tr("P&age"), self)
        page_label.setBuddy(self.page_spin)
        self.page_count_label = QLabel(self)
        self.page_count_label.setObjectName("pageCount")

        self.zoom_out_button = QToolButton(self)
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+-)"))
        self.zoom_in_button = QToolButton(self)
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl++)"))
        self.zoom_choice = QComboBox(self)
        self.zoom_choice.setAccessibleName(self.tr("Zoom"))
        self.zoom_choice.addItem(self.tr("Fit width"), "width")
        self.zoom_choice.addItem(self.tr("Whole page"), "page")
        for factor in ZOOM_STEPS:
            self.zoom_choice.addItem(f"{round(factor * 100)} %", factor)

        bar = QHBoxLayout()
        bar.addWidget(document_label)
        bar.addWidget(self.document_choice)
        if many:
            bar.addSpacing(12)
        bar.addWidget(self.previous_button)
        bar.addWidget(page_label)
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_count_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_choice)
        bar.addWidget(self.zoom_in_button)

        self.note_label = QLabel(note, self)
        self.note_label.setObjectName("previewNote")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setAccessibleName(self.tr("Preview of the pages"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.warnings_label = QLabel(self)
        self.warnings_label.setObjectName("warningsHeading")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.warnings_label.font()
        bold.setBold(True)
        self.warnings_label.setFont(bold)
        self.warnings_list = QListWidget(self)
        self.warnings_list.setObjectName("warnings")
        self.warnings_list.setAccessibleName(self.tr("What could not be printed as typed"))
        self.warnings_list.setWordWrap(True)
        self.warnings_list.setMaximumHeight(self.fontMetrics().height() * 7)
        self.warnings_label.setBuddy(self.warnings_list)

        self.status = QLabel(self)
        self.status.setObjectName("previewStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        self.print_action = QAction(self.tr("&Print..."), self)
        self.print_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(self.print_with_dialog)
        self.save_action = QAction(self.tr("&Save as PDF..."), self)
        self.save_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Save))
        self.save_action.triggered.connect(self.save_with_dialog)
        zoom_in = QAction(self)
        zoom_in.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn))
        zoom_in.triggered.connect(self.zoom_in)
        zoom_out = QAction(self)
        zoom_out.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomOut))
        zoom_out.triggered.connect(self.zoom_out)
        next_page = QAction(self)
        next_page.setShortcuts([QKeySequence(Qt.Key.Key_PageDown)])
        next_page.triggered.connect(lambda: self.go_to_page(self.current_page() + 1))
        previous_page = QAction(self)
        previous_page.setShortcuts([QKeySequence(Qt.Key.Key_PageUp)])
        previous_page.triggered.connect(lambda: self.go_to_page(self.current_page() - 1))
        for action in (
            self.print_action,
            self.save_action,
            zoom_in,
            zoom_out,
            next_page,
            previous_page,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

        box = QDialogButtonBox(self)
        self.save_button = box.addButton(
            self.tr("&Save as PDF..."), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setToolTip(
            self.tr("Keep the PDF, e.g. to send it or print elsewhere (Ctrl+S)")
        )
        self.print_button = box.addButton(
            self.tr("&Print..."), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.print_button.setToolTip(self.tr("Choose a printer and print (Ctrl+P)"))
        self.print_button.setDefault(True)
        close = box.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip(self.tr("Close the preview (Esc)"))
        # The box's accepted/rejected are not used: Print keeps the preview open (one may
        # print several copies, or print then save), Close closes it.
        self.save_button.clicked.connect(self.save_with_dialog)
        self.print_button.clicked.connect(self.print_with_dialog)
        close.clicked.connect(self.reject)
        self.extra_buttons = QHBoxLayout()
        buttons = QHBoxLayout()
        buttons.addLayout(self.extra_buttons)
        buttons.addStretch(1)
        buttons.addWidget(box)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.note_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings_list)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.document_choice.currentIndexChanged.connect(self._show_document)
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.page_spin.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_choice.currentIndexChanged.connect(self._on_zoom_chosen)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_controls)
        self.view.setFocus()

    # --- documents and pages -----------------------------------------------------------

    def _pdf(self, index: int) -> QPdfDocument:
        pdf = self._pdfs.get(index)
        if pdf is None:
            pdf, buffer = load_pdf(self._documents[index].result.pdf, self)
            self._buffers[index] = buffer  # QPdfDocument reads from it while shown
            self._pdfs[index] = pdf
        return pdf

    def _show_document(self, index: int) -> None:
        if not 0 <= index < len(self._documents):
            return
        self._current = index
        self.view.setDocument(self._pdf(index))
        count = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1, max(1, count))
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.page_count_label.setText(
            self.tr("of {count}").format(count=count) if count != 1 else self.tr("of 1 (one page)")
        )
        self._show_warnings(self._documents[index].result.warnings)
        self._update_page_controls()

    def _show_warnings(self, warnings: Sequence[str]) -> None:
        self.warnings_list.clear()
        self.warnings_list.addItems(list(warnings))
        if len(warnings) == 1:
            heading = self.tr("One thing could not be printed exactly as typed:")
        else:
            heading = self.tr("{count} things could not be printed exactly as typed:").format(
                count=len(warnings)
            )
        self.warnings_label.setText(heading)
        self.warnings_label.setVisible(bool(warnings))
        self.warnings_list.setVisible(bool(warnings))

    def _update_page_controls(self) -> None:
        page = self.current_page()
        count = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)

    # --- zoom ------------------------------------------------------------------------------

    def _on_zoom_chosen(self, index: int) -> None:
        choice = self.zoom_choice.itemData(index)
        if choice == "width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif choice == "page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        elif isinstance(choice, float):
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(choice)

    def _step_zoom(self, direction: int) -> None:
        factor = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            factor = 1.0
        steps = ZOOM_STEPS if direction > 0 else tuple(reversed(ZOOM_STEPS))
        chosen = next(
            (
                step
                for step in steps
                if (step > factor + 1e-3 if direction > 0 else step < factor - 1e-3)
            ),
            steps[-1],
        )
        self.zoom_choice.setCurrentIndex(self.zoom_choice.findData(chosen))

    def zoom_in(self) -> None:
        self._step_zoom(+1)

    def zoom_out(self) -> None:
        self._step_zoom(-1)

    # --- print and save --------------------------------------------------------------------

    def print_with_dialog(self) -> Task | None:
        """Ask for the printer, then print in the background; None if cancelled."""
        if self.print_task is not None and self.print_task.is_running():
            return None
        printer = self.make_printer()
        if not ask_printer(self, printer, self.page_count()):
            return None
        return self.start_printing(printer)

    def save_with_dialog(self) -> bool:
        suggested = export_folder(SAVE_FOLDER_KEY) / self.current_document().file_name
        path = ask_save_path(self, self.tr("Save as PDF"), suggested)
        if path is None:
            return False
        return self.save_as(path)

    def _warn(self, text: str) -> None:
        """Say text in a warning box, and its first line on the status line."""
        self.status.setText(text.splitlines()[0])
        open_warning(self, self._title, text)


def show_preview(
    parent: QWidget,
    documents: Sequence[PreviewDocument],
    *,
    title: str,
    note: str = "",
    printer_name: str = "",
) -> PrintPreviewDialog:
    """Open a preview (not blocking) that deletes itself when closed."""
    dialog = PrintPreviewDialog(
        documents, title=title, note=note, printer_name=printer_name, parent=parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = [
    "PreviewDocument",
    "PrintPreviewDialog",
    "ask_printer",
    "ask_save_path",
    "page_layout_for",
    "print_pdf",
    "print_steps",
    "printing_pool",
    "run_print_job",
    "safe_file_name",
    "show_preview",
    "show_print_problem",
]
