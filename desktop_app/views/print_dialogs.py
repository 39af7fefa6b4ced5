"""File > Print: a small options dialog for each kind of document, then its preview.

Each dialog asks only what that document needs (which event, who is on it, the
paper) and turns the answers into a PrintJob: a generator, run off the GUI thread by
``start_print_job``, that gathers the data (services.printing_data, consent applied
there) and draws the PDF (desktop_app.printing, loaded only then), yielding progress
so a long run can be cancelled. The result opens in the print preview.

Who is printed comes from a PeopleChooser: the roster as it is filtered on the
roster page now, everyone, or a status and a tag.

Mailing labels drift on some printers: the labels dialog keeps an offset across and
down, in millimetres, for each printer by name (QSettings ``printing/labelOffsets``),
and prints a calibration page with it to check by holding it against a sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import PersonStatus
from desktop_app.printing.data import LABEL_LAYOUTS, PageSize, PdfResult, PrintProgress
from desktop_app.services.events import get_event, list_past, list_upcoming
from desktop_app.services.group import get_profile
from desktop_app.services.labels import STATUS_LABELS
from desktop_app.services.roster import RosterFilter, list_tags, roster_summary
from desktop_app.tasks.runner import Task
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import date_time_text
from desktop_app.views.table_models.roster_model import label_text

if TYPE_CHECKING:
    from desktop_app.services.printing_data import LabelRun
    from desktop_app.views.print_preview import PreviewDocument, PrintPreviewDialog

PAST_EVENTS = 60
MAX_STRIPS = 14  # the flyer renderer's limit (it checks again)
MAX_BLANK_ROWS = 2000  # the sign-in sheet renderer's limit
MAX_OFFSET_MM = 25.0  # the labels renderer's limit
OFFSETS_KEY = "printing/labelOffsets"
DEFAULT_PRINTER = "default"


# --- what a dialog produces ---------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """What a print job made: the documents to preview, and a line about them."""

    documents: tuple[PreviewDocument, ...]
    note: str = ""


@dataclass(frozen=True)
class PrintJob:
    """A document to make off the GUI thread, then preview."""

    title: str
    steps: Callable[[], Generator[PrintProgress, None, Printed]]
    printer_name: str = ""


def start_print_job(
    parent: QWidget,
    job: PrintJob,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> Task:
    """Make the job's documents in the background, then open them in the preview."""
    from desktop_app.views.print_preview import run_print_job, show_preview

    def done(printed: Printed) -> None:
        preview = show_preview(
            parent,
            printed.documents,
            title=job.title,
            note=printed.note,
            printer_name=job.printer_name,
        )
        if on_preview is not None:
            on_preview(preview)

    return run_print_job(parent, title=job.title, steps=job.steps, on_done=done)


def _document(name: str, result: PdfResult, title: str) -> PreviewDocument:
    from desktop_app.views.print_preview import PreviewDocument, safe_file_name

    return PreviewDocument(name, result, safe_file_name(title))


# --- what the window can tell a dialog ----------------------------------------------------


@dataclass(frozen=True)
class RosterView:
    """The roster page's filter and search text as they are now."""

    flt: RosterFilter
    text: str = ""


@dataclass(frozen=True)
class PrintContext:
    """The open database, and what the pages have chosen (the defaults of the dialogs)."""

    db: Database
    event_id: int | None = None
    roster: RosterView | None = None


def context_from(db: Database, pages: Sequence[QWidget]) -> PrintContext:
    """The event selected on the Events page and the roster page's filter, if built."""
    event_id: int | None = None
    roster: RosterView | None = None
    for page in pages:
        selected = getattr(page, "selected_event_id", None)
        if callable(selected) and event_id is None:
            value = selected()
            event_id = value if isinstance(value, int) else None
        current_filter = getattr(page, "current_filter", None)
        model = getattr(page, "model", None)
        if callable(current_filter) and roster is None:
            flt = current_filter()
            search_text = getattr(model, "search_text", None)
            text = search_text() if callable(search_text) else ""
            if isinstance(flt, RosterFilter) and not flt.in_trash:
                roster = RosterView(flt, text if isinstance(text, str) else "")
    return PrintContext(db, event_id, roster)


def _event_choices(db: Database, now: datetime) -> tuple[list[tuple[int, str]], set[int]]:
    """event_choices, and which of them are still to come."""
    upcoming = list_upcoming(db, now)
    choices = []
    for row in [*upcoming, *list_past(db, now, limit=PAST_EVENTS)]:
        text = f"{' '.join(row.title.split())} — {date_time_text(row.starts_at)}"
        if row.cancelled:
            text += QCoreApplication.translate("PrintDialogs", " (cancelled)")
        choices.append((row.id, text))
    return choices, {row.id for row in upcoming}


def event_choices(db: Database, now: datetime | None = None) -> list[tuple[int, str]]:
    """Events to choose from: the coming ones (soonest first), then past ones (latest first)."""
    return _event_choices(db, now or datetime.now(UTC))[0]


def make_page_size_combo(parent: QWidget, chosen: PageSize) -> QComboBox:
    """Letter or A4 (the PageSize as item data), chosen selected."""
    combo = QComboBox(parent)
    combo.setAccessibleName(parent.tr("Paper size"))
    combo.addItem(parent.tr("Letter (8½ × 11 in)"), PageSize.LETTER)
    combo.addItem(parent.tr("A4 (210 × 297 mm)"), PageSize.A4)
    combo.setCurrentIndex(combo.findData(chosen))
    return combo


def make_label_sheet_combo(parent: QWidget, page_size: PageSize) -> QComboBox:
    """The label sheets (their code as item data); on A4 paper the A4 sheet L7160 selected."""
    combo = QComboBox(parent)
    combo.setAccessibleName(parent.tr("Label sheet"))
    for code, sheet in LABEL_LAYOUTS.items():
        combo.addItem(sheet.description, code)
    if page_size is PageSize.A4:
        combo.setCurrentIndex(combo.findData("L7160"))
    return combo


def _default_page_size(db: Database) -> PageSize:
    from desktop_app.services.printing_data import page_size_for

    return page_size_for(db)


class EventCombo(QComboBox):
    """An event to print for; the Events page's choice first, else the next event."""

    def __init__(
        self,
        db: Database,
        chosen: int | None,
        parent: QWidget | None = None,
        *,
        prefer_past: bool = False,
        none_text: str = "",
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Event"))
        choices, upcoming = _event_choices(db, datetime.now(UTC))
        if none_text:
            self.addItem(none_text, None)
        for event_id, text in choices:
            self.addItem(text, event_id)
        index = self.findData(chosen) if chosen is not None else -1
        if index < 0 and not none_text:
            # Sheets and flyers are for what comes next; attendance for what has been.
            wanted = [
                self.itemData(i)
                for i in range(self.count())
                if (self.itemData(i) in upcoming) != prefer_past
            ]
            index = self.findData(wanted[0]) if wanted else 0
        self.setCurrentIndex(max(0, index))

    def event_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None


class PeopleChooser(QGroupBox):
    """Who is printed: the roster as filtered now, everyone, or a status and a tag.

    Signals (inherited): none; call ``selection()`` when needed.
    """

    def __init__(
        self, db: Database, roster: RosterView | None, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self._db = db
        self._roster = roster
        self.as_shown = QRadioButton(self)
        self.everyone = QRadioButton(self.tr("&Everyone on the roster"), self)
        self.chosen = QRadioButton(self.tr("&Only:"), self)
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName(self.tr("Status"))
        self.status_combo.addItem(self.tr("any status"), None)
        for status in PersonStatus:
            self.status_combo.addItem(label_text(STATUS_LABELS[status]), status)
        self.tag_combo = QComboBox(self)
        self.tag_combo.setAccessibleName(self.tr("Tag"))
        self.tag_combo.addItem(self.tr("any tag"), None)
        for tag in list_tags(db):
            self.tag_combo.addItem(tag, tag)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.group = QButtonGroup(self)
        for button in (self.as_shown, self.everyone, self.chosen):
            self.group.addButton(button)
        narrowed = roster is not None and (roster.flt != RosterFilter() or roster.text.strip())
        if narrowed and roster is not None:
            count = roster_summary(db, roster.text, roster.flt)
            self.as_shown.setText(
                self.tr("As the &roster shows them now ({count} people)").format(count=count)
            )
            self.as_shown.setChecked(True)
        else:
            self.as_shown.setVisible(False)
            self.everyone.setChecked(True)
        only = QHBoxLayout()
        only.addWidget(self.chosen)
        only.addWidget(self.status_combo, 1)
        only.addWidget(self.tag_combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.as_shown)
        layout.addWidget(self.everyone)
        layout.addLayout(only)
        layout.addWidget(self.count_label)
        self.group.buttonToggled.connect(self._update)
        self.status_combo.currentIndexChanged.connect(self._choose_only)
        self.tag_combo.currentIndexChanged.connect(self._choose_only)
        self._update()

    def _choose_only(self) -> None:
        self.chosen.setChecked(True)
        self._update()

    def selection(self) -> RosterView:
        if self.as_shown.isChecked() and self._roster is not None:
            return self._roster
        if self.chosen.isChecked():
            status = self.status_combo.currentData()
            return RosterView(
                RosterFilter(
                    statuses=frozenset({status}) if status is not None else frozenset(),
                    tag=self.tag_combo.currentData(),
                )
            )
        return RosterView(RosterFilter())

    def description(self) -> str:
        """Which people, in words for the document's subtitle ("" for everyone)."""
        if self.as_shown.isChecked():
            return self.tr("as filtered on the roster")
        if self.chosen.isChecked():
            parts = []
            if self.status_combo.currentData() is not None:
                parts.append(self.status_combo.currentText())
            if self.tag_combo.currentData() is not None:
                parts.append(self.tr("tag {tag}").format(tag=self.tag_combo.currentText()))
            return " · ".join(parts)
        return ""

    def _update(self) -> None:
        if not self.chosen.isChecked():
            self.count_label.setText("")
            return
        chosen = self.selection()
        count = roster_summary(self._db, chosen.text, chosen.flt)
        self.count_label.setText(self.tr("{count} people").format(count=count))


class PrintOptionsDialog(BaseDialog):
    """The base of the File > Print dialogs: OK is "Preview", ``job()`` is the result."""

    page_size_combo: QComboBox  # made by add_page_size_row, in the dialogs that ask

    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.db = context.db
        self.task: Task | None = None  # making the document, once Preview was pressed
        self._on_preview: Callable[[PrintPreviewDialog], None] | None = None
        self.error_label = self.make_error_label(self)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(self.form)

    def add_page_size_row(self) -> None:
        """The paper size row (page_size_combo), the group's usual size chosen."""
        self.page_size_combo = make_page_size_combo(self, _default_page_size(self.db))
        self.form.addRow(self.tr("Paper si&ze:"), self.page_size_combo)

    def page_size(self) -> PageSize:
        return PageSize(self.page_size_combo.currentData())

    def finish_layout(self) -> None:
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addStretch(1)
        box = self.make_button_box(ok_text=self.tr("&Preview"))
        layout.addWidget(box)

    def job(self) -> PrintJob:
        raise NotImplementedError

    def open_for_preview(
        self, on_preview: Callable[[PrintPreviewDialog], None] | None = None
    ) -> None:
        """Show the dialog (not blocking); Preview makes the document and shows it."""
        self._on_preview = on_preview
        # A bound method, not a closure over the dialog: the dialog deletes itself on
        # close, and a closure it holds on to would keep its wrapper in a cycle.
        self.accepted.connect(self._make_document)
        self.open()

    def _make_document(self) -> None:
        owner = self.parentWidget() or self
        self.task = start_print_job(owner, self.job(), self._on_preview)


class EventPrintDialog(PrintOptionsDialog):
    """The options of a document about one event (its event_combo): Preview needs one."""

    event_combo: EventCombo

    def is_complete(self) -> bool:
        return self.event_combo.event_id() is not None

    def chosen_event_id(self) -> int:
        """The event chosen; job() is only asked for once there is one (is_complete)."""
        event_id = self.event_combo.event_id()
        assert event_id is not None
        return event_id


# --- flyer ---------------------------------------------------------------------------------


class FlyerDialog(EventPrintDialog):
    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Print a flyer"))
        profile = get_profile(self.db)
        contact = profile.contact_email if profile is not None else ""
        self.event_combo = EventCombo(self.db, context.event_id, self)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setAccessibleName(self.tr("Description"))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self.qr_edit = QLineEdit(contact, self)
        self.qr_edit.setAccessibleName(self.tr("QR code"))
        self.qr_edit.setPlaceholderText(self.tr("A web address or an email; empty: no code"))
        self.contact_edit = QLineEdit(contact, self)
        self.contact_edit.setAccessibleName(self.tr("Contact"))
        self.image_edit = QLineEdit(self)
        self.image_edit.setAccessibleName(self.tr("Picture or logo"))
        self.image_edit.setPlaceholderText(self.tr("none"))
        choose = QPushButton(self.tr("C&hoose..."), self)
        choose.clicked.connect(self._choose_image)
        image_row = QHBoxLayout()
        image_row.addWidget(self.image_edit, 1)
        image_row.addWidget(choose)
        self.strips_spin = QSpinBox(self)
        self.strips_spin.setRange(0, MAX_STRIPS)
        self.strips_spin.setAccessibleName(self.tr("Tear-off strips"))
        self.strips_spin.setSpecialValueText(self.tr("none"))
        self.form.addRow(self.tr("&Event:"), self.event_combo)
        self.form.addRow(self.tr("&Description:"), self.description_edit)
        self.form.addRow(self.tr("&QR code for:"), self.qr_edit)
        self.form.addRow(self.tr("C&ontact:"), self.contact_edit)
        image_label = QLabel(self.tr("P&icture:"), self)
        image_label.setBuddy(self.image_edit)
        self.form.addRow(image_label, image_row)
        self.form.addRow(self.tr("&Tear-off strips:"), self.strips_spin)
        self.add_page_size_row()
        self.finish_layout()
        self.event_combo.currentIndexChanged.connect(self._fill_description)
        self._fill_description()
        self.resize(560, 460)

    def _fill_description(self) -> None:
        event_id = self.event_combo.event_id()
        text = get_event(self.db, event_id).data.description if event_id is not None else ""
        self.description_edit.setPlainText(text)
        self.refresh_ok_button()

    def _choose_image(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a picture"), "", self.tr("Pictures (*.png *.jpg *.jpeg)")
        )
        if name:
            self.image_edit.setText(name)

    def job(self) -> PrintJob:
        db = self.db
        event_id = self.chosen_event_id()
        qr, contact = self.qr_edit.text().strip(), self.contact_edit.text().strip()
        description = self.description_edit.toPlainText().strip()
        image = Path(self.image_edit.text().strip()) if self.image_edit.text().strip() else None
        strips = self.strips_spin.value()
        page_size = self.page_size()
        title = self.tr("Flyer: {event}").format(event=self.event_combo.currentText())

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.flyer import render_flyer
            from desktop_app.services.printing_data import flyer_data

            yield PrintProgress(0, 1, "Drawing the flyer")
            data = flyer_data(
                db,
                event_id,
                qr_target=qr,
                image_path=image,
                tear_off_strips=strips,
                description=description,
                contact=contact,
            )
            result = render_flyer(data, page_size)
            return Printed((_document("Flyer", result, f"flyer {data.title}"),))

        return PrintJob(title, steps)


# --- sign-in sheet -------------------------------------------------------------------------


class SigninSheetDialog(EventPrintDialog):
    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Print a sign-in sheet"))
        self.event_combo = EventCombo(self.db, context.event_id, self)
        expected = QGroupBox(self.tr("Names printed on the sheet"), self)
        self.regulars_radio = QRadioButton(expected)
        self.roster_radio = QRadioButton(self.tr("People from the &roster:"), expected)
        self.nobody_radio = QRadioButton(self.tr("&Nobody: blank rows only"), expected)
        self.people = PeopleChooser(self.db, context.roster, self.tr("Who"), expected)
        self.people.setFlat(True)
        self.people.setEnabled(False)
        self.regulars_radio.setChecked(True)
        expected_layout = QVBoxLayout(expected)
        expected_layout.addWidget(self.regulars_radio)
        expected_layout.addWidget(self.roster_radio)
        expected_layout.addWidget(self.people)
        expected_layout.addWidget(self.nobody_radio)
        self.blank_spin = QSpinBox(self)
        self.blank_spin.setRange(0, MAX_BLANK_ROWS)
        self.blank_spin.setValue(20)
        self.blank_spin.setAccessibleName(self.tr("Blank rows for newcomers"))
        self.details_check = QCheckBox(
            self.tr("Print the email and phone we have for the people listed"), self
        )
        self.details_check.setToolTip(
            self.tr("Otherwise the sheet says “on file”: it is passed round a room")
        )
        self.form.addRow(self.tr("&Event:"), self.event_combo)
        self.form.addRow(expected)
        self.form.addRow(self.tr("&Blank rows:"), self.blank_spin)
        self.form.addRow("", self.details_check)
        self.add_page_size_row()
        self.finish_layout()
        self.roster_radio.toggled.connect(self.people.setEnabled)
        self.event_combo.currentIndexChanged.connect(self._count_regulars)
        self._count_regulars()
        self.resize(560, 480)

    def _count_regulars(self) -> None:
        from desktop_app.services.printing_data import expected_regulars

        event_id = self.event_combo.event_id()
        count = len(expected_regulars(self.db, event_id)) if event_id is not None else 0
        self.regulars_radio.setText(
            self.tr("The &regulars of this series ({count} people)").format(count=count)
        )
        self.refresh_ok_button()

    def validate(self) -> bool:
        if self.nobody_radio.isChecked() and self.blank_spin.value() == 0:
            self.show_field_error(
                self.error_label, self.tr("With nobody listed, the sheet needs some blank rows.")
            )
            self.blank_spin.setFocus()
            return False
        return True

    def job(self) -> PrintJob:
        db = self.db
        event_id = self.chosen_event_id()
        kind = (
            "regulars"
            if self.regulars_radio.isChecked()
            else "roster"
            if self.roster_radio.isChecked()
            else "nobody"
        )
        people = self.people.selection()
        blank_rows = self.blank_spin.value()
        details = self.details_check.isChecked()
        page_size = self.page_size()
        title = self.tr("Sign-in sheet: {event}").format(event=self.event_combo.currentText())

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.signin_sheet import signin_sheet_steps
            from desktop_app.services.printing_data import (
                expected_from_filter,
                expected_regulars,
                signin_sheet_data,
            )

            if kind == "regulars":
                expected = expected_regulars(db, event_id)
            elif kind == "roster":
                expected = expected_from_filter(db, people.flt, people.text)
            else:
                expected = ()
            data = signin_sheet_data(
                db,
                event_id,
                expected=expected,
                blank_rows=blank_rows,
                show_contact_details=details,
            )
            result = yield from signin_sheet_steps(data, page_size)
            note = f"{len(expected)} people listed, {blank_rows} blank rows"
            name = f"sign-in sheet {data.event_title} {data.starts_at.date().isoformat()}"
            return Printed((_document("Sign-in sheet", result, name),), note)

        return PrintJob(title, steps)


# --- mailing labels ------------------------------------------------------------------------


def _settings_name(printer: str) -> str:
    # QSettings reads "/" and "\" as group separators.
    return printer.replace("/", "_").replace("\\", "_") or DEFAULT_PRINTER


def saved_offset(printer: str) -> tuple[float, float]:
    """The label offset (across, down; mm) saved for a printer by name."""
    settings = QSettings()
    values = []
    for axis in ("x", "y"):
        value = settings.value(f"{OFFSETS_KEY}/{_settings_name(printer)}/{axis}", 0.0)
        try:
            number = float(str(value))
        except ValueError:
            number = 0.0
        values.append(max(-MAX_OFFSET_MM, min(MAX_OFFSET_MM, number)))
    return values[0], values[1]


def save_offset(printer: str, offset_x_mm: float, offset_y_mm: float) -> None:
    settings = QSettings()
    settings.setValue(f"{OFFSETS_KEY}/{_settings_name(printer)}/x", round(offset_x_mm, 2))
    settings.setValue(f"{OFFSETS_KEY}/{_settings_name(printer)}/y", round(offset_y_mm, 2))
    settings.sync()


def left_out_text(run: LabelRun) -> str:
    """Who got no label, and why, in words (consent is honoured, so some are left out)."""
    words = {
        "no_consent": "did not agree to post",
        "do_not_contact": "do not contact",
        "no_address": "no postal address",
    }
    parts = [f"{count} {words.get(reason, reason)}" for reason, count in run.left_out.items()]
    return ", ".join(parts)


class LabelsDialog(PrintOptionsDialog):
    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Print mailing labels"))
        self.people = PeopleChooser(self.db, context.roster, self.tr("Who gets a label"), self)
        consent = QLabel(
            self.tr(
                "Only people who agreed to post, are not marked do-not-contact and have "
                "an address get a label."
            ),
            self,
        )
        consent.setWordWrap(True)
        self.layout_combo = make_label_sheet_combo(self, _default_page_size(self.db))
        self.household_check = QCheckBox(
            self.tr("One label per &household (people at the same address)"), self
        )
        self.first_spin = QSpinBox(self)
        self.first_spin.setAccessibleName(self.tr("First label to use"))
        self.first_spin.setToolTip(
            self.tr("On a sheet already partly used, start at this label (across, then down)")
        )
        self.printer_combo = QComboBox(self)
        self.printer_combo.setAccessibleName(self.tr("Printer"))
        self.printer_combo.addItem(self.tr("The default printer"), "")
        default = QPrinterInfo.defaultPrinterName()
        for name in QPrinterInfo.availablePrinterNames():
            self.printer_combo.addItem(name, name)
        if default:
            self.printer_combo.setCurrentIndex(max(0, self.printer_combo.findData(default)))
        self.offset_x = self._offset_spin(self.tr("Offset across (mm)"))
        self.offset_y = self._offset_spin(self.tr("Offset down (mm)"))
        offsets = QHBoxLayout()
        offsets.addWidget(QLabel(self.tr("across"), self))
        offsets.addWidget(self.offset_x)
        offsets.addWidget(QLabel(self.tr("down"), self))
        offsets.addWidget(self.offset_y)
        offsets.addStretch(1)
        self.calibration_button = QPushButton(self.tr("Print a &calibration page..."), self)
        self.calibration_button.setToolTip(
            self.tr("A grid with every label's outline, to hold against a sheet of labels")
        )
        self.form.addRow(self.people)
        self.form.addRow(consent)
        self.form.addRow(self.tr("&Label sheet:"), self.layout_combo)
        self.form.addRow("", self.household_check)
        self.form.addRow(self.tr("&Start at label:"), self.first_spin)
        self.form.addRow(self.tr("P&rinter:"), self.printer_combo)
        offset_label = QLabel(self.tr("Printer &offset:"), self)
        offset_label.setBuddy(self.offset_x)
        self.form.addRow(offset_label, offsets)
        self.form.addRow("", self.calibration_button)
        self.finish_layout()
        self.layout_combo.currentIndexChanged.connect(self._on_layout)
        self.printer_combo.currentIndexChanged.connect(self._load_offset)
        self.calibration_button.clicked.connect(self.print_calibration)
        self._on_layout()
        self._load_offset()
        self.resize(600, 540)

    def _offset_spin(self, accessible: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
        spin.setSingleStep(0.5)
        spin.setDecimals(1)
        spin.setSuffix(" mm")
        spin.setAccessibleName(accessible)
        return spin

    def _on_layout(self) -> None:
        layout = LABEL_LAYOUTS[str(self.layout_combo.currentData())]
        self.first_spin.setRange(1, layout.per_sheet)

    def printer_name(self) -> str:
        return str(self.printer_combo.currentData() or "")

    def _load_offset(self) -> None:
        x, y = saved_offset(self.printer_name())
        self.offset_x.setValue(x)
        self.offset_y.setValue(y)

    def remember_offset(self) -> None:
        save_offset(self.printer_name(), self.offset_x.value(), self.offset_y.value())

    def print_calibration(self) -> Task:
        """Preview the calibration page with the offset shown now (the offset is kept)."""
        self.remember_offset()
        code = str(self.layout_combo.currentData())
        x, y = self.offset_x.value(), self.offset_y.value()

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.labels import render_calibration

            yield PrintProgress(0, 1, "Drawing the calibration page")
            result = render_calibration(code, offset_x_mm=x, offset_y_mm=y)
            name = f"label calibration {code}"
            note = (
                f"Offset {x:+.1f} mm across, {y:+.1f} mm down. Print on plain paper, hold "
                "it against a sheet of labels, then change the offset here if they differ."
            )
            return Printed((_document("Calibration", result, name),), note)

        title = self.tr("Label calibration ({code})").format(code=code)
        return start_print_job(self, PrintJob(title, steps, self.printer_name()))

    def apply(self) -> bool:
        self.remember_offset()
        return True

    def job(self) -> PrintJob:
        db = self.db
        people = self.people.selection()
        code = str(self.layout_combo.currentData())
        household = self.household_check.isChecked()
        first = self.first_spin.value()
        x, y = self.offset_x.value(), self.offset_y.value()
        title = self.tr("Mailing labels ({code})").format(code=code)

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.labels import labels_steps
            from desktop_app.services.printing_data import mailing_labels

            run = mailing_labels(db, people.flt, people.text, household=household)
            result = yield from labels_steps(
                run.labels, code, offset_x_mm=x, offset_y_mm=y, first_position=first
            )
            note = f"{len(run.labels)} labels for {run.people} people"
            if run.households_merged:
                note += f" ({run.households_merged} fewer by sharing a household's label)"
            left = left_out_text(run)
            if left:
                note += f"; no label for: {left}"
            return Printed((_document("Labels", result, f"labels {code}"),), note)

        return PrintJob(title, steps, self.printer_name())


# --- lists ---------------------------------------------------------------------------------


class ContactListDialog(PrintOptionsDialog):
    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Print a phone list or roster"))
        self.title_combo = QComboBox(self)
        self.title_combo.setAccessibleName(self.tr("Title"))
        self.title_combo.addItem(self.tr("Phone list"), "Phone list")
        self.title_combo.addItem(self.tr("Roster"), "Roster")
        self.people = PeopleChooser(self.db, context.roster, self.tr("Who is on it"), self)
        consent = QLabel(
            self.tr(
                "Phone numbers and emails are printed only where the person agreed to be "
                "contacted that way."
            ),
            self,
        )
        consent.setWordWrap(True)
        self.form.addRow(self.tr("&Title:"), self.title_combo)
        self.form.addRow(self.people)
        self.form.addRow(consent)
        self.add_page_size_row()
        self.finish_layout()
        self.resize(520, 380)

    def job(self) -> PrintJob:
        db = self.db
        people = self.people.selection()
        title_text = str(self.title_combo.currentData())
        subtitle = self.people.description()
        page_size = self.page_size()
        title = self.title_combo.currentText()

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.lists import contact_list_steps
            from desktop_app.services.printing_data import contact_list_data

            data = contact_list_data(
                db, people.flt, people.text, title=title_text, subtitle=subtitle
            )
            result = yield from contact_list_steps(data, page_size)
            return Printed(
                (_document(title_text, result, title_text),), f"{len(data.lines)} people"
            )

        return PrintJob(title, steps)


class AttendanceDialog(EventPrintDialog):
    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Print an event's attendance"))
        self.event_combo = EventCombo(self.db, context.event_id, self, prefer_past=True)
        self.form.addRow(self.tr("&Event:"), self.event_combo)
        self.add_page_size_row()
        self.finish_layout()
        self.event_combo.currentIndexChanged.connect(self.refresh_ok_button)
        self.resize(520, 200)

    def job(self) -> PrintJob:
        db = self.db
        event_id = self.chosen_event_id()
        page_size = self.page_size()
        title = self.tr("Attendance: {event}").format(event=self.event_combo.currentText())

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.lists import render_attendance
            from desktop_app.services.printing_data import attendance_data

            yield PrintProgress(0, 1, "Listing who came")
            data = attendance_data(db, event_id)
            result = render_attendance(data, page_size)
            name = f"attendance {data.event_title} {data.starts_at.date().isoformat()}"
            return Printed(
                (_document("Attendance", result, name),), f"{len(data.entries)} people signed in"
            )

        return PrintJob(title, steps)


class AgendaDialog(PrintOptionsDialog):
    def __init__(self, context: PrintContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Print a meeting agenda"))
        self.event_combo = EventCombo(
            self.db, context.event_id, self, none_text=self.tr("(no particular meeting)")
        )
        if context.event_id is None:
            self._choose_next_meeting()
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(self.tr("Title"))
        self.title_edit.setPlaceholderText(self.tr("the meeting's title, or “Group meeting”"))
        note = QLabel(
            self.tr("The agenda lists the open urgent actions with their deadlines."), self
        )
        note.setWordWrap(True)
        self.form.addRow(self.tr("&Meeting:"), self.event_combo)
        self.form.addRow(self.tr("&Title:"), self.title_edit)
        self.form.addRow(note)
        self.add_page_size_row()
        self.finish_layout()
        self.resize(520, 240)

    def _choose_next_meeting(self) -> None:
        from desktop_app.models import EventKind

        for row in list_upcoming(self.db, datetime.now(UTC)):
            if row.kind == EventKind.MEETING and not row.cancelled:
                self.event_combo.setCurrentIndex(max(0, self.event_combo.findData(row.id)))
                return

    def job(self) -> PrintJob:
        db = self.db
        event_id = self.event_combo.event_id()
        meeting_title = self.title_edit.text().strip()
        page_size = self.page_size()
        title = self.tr("Meeting agenda")

        def steps() -> Generator[PrintProgress, None, Printed]:
            from desktop_app.printing.lists import render_agenda
            from desktop_app.services.printing_data import agenda_data

            yield PrintProgress(0, 1, "Drawing the agenda")
            data = agenda_data(db, event_id, title=meeting_title)
            result = render_agenda(data, page_size)
            note = f"{len(data.open_actions)} open urgent actions listed"
            return Printed((_document("Agenda", result, f"agenda {data.meeting_title}"),), note)

        return PrintJob(title, steps)


# --- opening one ---------------------------------------------------------------------------

DIALOGS: dict[str, type[PrintOptionsDialog]] = {
    "flyer": FlyerDialog,
    "signin_sheet": SigninSheetDialog,
    "labels": LabelsDialog,
    "contact_list": ContactListDialog,
    "attendance": AttendanceDialog,
    "agenda": AgendaDialog,
}


def open_print_dialog(
    parent: QWidget,
    kind: str,
    context: PrintContext,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> PrintOptionsDialog:
    """Open the options dialog for kind (not blocking); on Preview the document is made
    in the background and shown. Returns the dialog (it deletes itself when closed)."""
    dialog = DIALOGS[kind](context, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open_for_preview(on_preview)
    return dialog


__all__ = [
    "DIALOGS",
    "AgendaDialog",
    "AttendanceDialog",
    "ContactListDialog",
    "EventPrintDialog",
    "FlyerDialog",
    "LabelsDialog",
    "PeopleChooser",
    "PrintContext",
    "PrintJob",
    "PrintOptionsDialog",
    "Printed",
    "RosterView",
    "SigninSheetDialog",
    "context_from",
    "event_choices",
    "left_out_text",
    "open_print_dialog",
    "save_offset",
    "saved_offset",
    "start_print_job",
]
