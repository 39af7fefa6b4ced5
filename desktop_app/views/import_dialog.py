"""Importing people from a list: choose the columns, see what will happen, import, undo.

``ImportDialog`` shows a list read by exports.people_file: one menu per column of the
file with the field it holds (guessed by services.import_mapping, corrected here),
the first rows as the import will read them, the encoding (CSV) and the sheet
(workbook) when there is a choice, an optional tag and event, and the counts a dry
run gives (services.importer.plan_steps) before anything is written. Import runs the
import on the worker thread (tasks.runner): Cancel rolls it back, nothing changed.

``ImportResultDialog`` says what the import did, opens the rejects file in the
spreadsheet program, goes to the Review page, and undoes the import.
``ImportHistoryDialog`` lists every import with an Undo button.

Everything is reachable from the keyboard: each column's menu has its header as its
label, Tab walks through them, and every button has an Alt key. Nothing here touches
the database but through services.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.exports.people_file import PeopleFileError, RawTable, read_people_file
from desktop_app.services.events import list_past, list_upcoming
from desktop_app.services.import_mapping import (
    ColumnMapping,
    Field,
    guess_mapping,
    mapping_problems,
)
from desktop_app.services.importer import (
    ADD,
    MATCH,
    NO_ROWS,
    REJECT,
    REVIEW,
    ImportBatchRow,
    ImportFailed,
    ImportPlan,
    ImportProgress,
    ImportSummary,
    UndoSummary,
    import_steps,
    list_import_batches,
    plan_steps,
    undo_import,
)
from desktop_app.services.roster import list_tags
from desktop_app.tasks.runner import ProgressText, Task, run_task
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import date_text, date_time_text

PREVIEW_ROWS = 20
READ_IN_BACKGROUND_BYTES = 2 * 1024 * 1024  # bigger files are read on the worker thread
COUNT_DELAY_MS = 300  # counts are worked out again this long after the last change
FILE_FILTER_PATTERNS = "*.csv *.tsv *.txt *.xlsx *.xlsm *.ods *.xls"

# CSV encodings offered besides the one found; Python codec names.
ENCODINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16", "UTF-16 (Excel's Unicode Text)"),
    ("cp1252", "Windows-1252 (Western Europe)"),
    ("cp1250", "Windows-1250 (Central Europe)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("mac_roman", "Mac Roman"),
)

# The fields in the order the column menus offer them: "leave out" first.
FIELD_ORDER: tuple[Field, ...] = (Field.IGNORE, *(f for f in Field if f is not Field.IGNORE))


def field_text(chosen: Field) -> str:
    return QCoreApplication.translate("Field", chosen.label())


def people_file_filter() -> str:
    return QCoreApplication.translate(
        "ImportDialog", "People lists ({patterns});;All files (*)"
    ).format(patterns=FILE_FILTER_PATTERNS)


def choose_people_file(parent: QWidget | None, start: str = "") -> Path | None:
    """Ask for a list to import; None if the user cancelled."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("ImportDialog", "Import people"),
        start or str(Path.home()),
        people_file_filter(),
    )
    return Path(name) if name else None


def _reading(path: Path, encoding: str | None, sheet: str | None) -> Any:
    """A one-step generator for run_task: read the file on the worker thread."""
    yield ImportProgress("reading", 0, 0)
    return read_people_file(path, encoding=encoding, sheet=sheet)


class ImportDialog(BaseDialog):
    """Map a list's columns, see the counts, and import it.

    Signals:
        imported(object): the ImportSummary, once the import is committed (the dialog
            then closes itself).
    """

    imported = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._path: Path | None = None
        self._table: RawTable | None = None
        self._mapping: ColumnMapping | None = None
        self._combos: list[QComboBox] = []
        self._plan: ImportPlan | None = None
        self._plan_generation = 0
        self._count_task: Task | None = None
        self._read_task: Task | None = None
        self._import_task: Task | None = None
        self.summary: ImportSummary | None = None
        self.last_error = ""
        self.setWindowTitle(self.tr("Import people"))
        self.setObjectName("importDialog")

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)

        layout = QVBoxLayout(self)
        file_row = QHBoxLayout()
        self.file_label = QLabel(self.tr("No file chosen yet."), self)
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("&Choose file..."), self)
        self.choose_button.clicked.connect(self._on_choose)
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        layout.addLayout(file_row)

        options = QHBoxLayout()
        self.encoding_label = QLabel(self.tr("&Encoding:"), self)
        self.encoding_combo = QComboBox(self)
        self.encoding_label.setBuddy(self.encoding_combo)
        self.encoding_combo.activated.connect(self._on_encoding_chosen)
        self.sheet_label = QLabel(self.tr("S&heet:"), self)
        self.sheet_combo = QComboBox(self)
        self.sheet_label.setBuddy(self.sheet_combo)
        self.sheet_combo.activated.connect(self._on_sheet_chosen)
        for widget in (self.encoding_label, self.encoding_combo, self.sheet_label):
            options.addWidget(widget)
        options.addWidget(self.sheet_combo)
        options.addStretch(1)
        layout.addLayout(options)

        self.warnings_label = QLabel(self)
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings_label.setVisible(False)
        layout.addWidget(self.warnings_label)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        columns_box = QGroupBox(self.tr("What each column holds"), splitter)
        columns_layout = QVBoxLayout(columns_box)
        self.columns_area = QScrollArea(columns_box)
        self.columns_area.setWidgetResizable(True)
        self.columns_widget = QWidget(self.columns_area)
        self.columns_form = QFormLayout(self.columns_widget)
        self.columns_area.setWidget(self.columns_widget)
        columns_layout.addWidget(self.columns_area)
        preview_box = QGroupBox(self.tr("The first rows, and what happens to each"), splitter)
        preview_layout = QVBoxLayout(preview_box)
        self.preview = QTableWidget(preview_box)
        self.preview.setObjectName("importPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.preview.setAlternatingRowColors(True)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        preview_layout.addWidget(self.preview)
        splitter.addWidget(columns_box)
        splitter.addWidget(preview_box)
        splitter.setSizes([280, 320])
        layout.addWidget(splitter, 1)

        extras = QFormLayout()
        self.tag_edit = QLineEdit(self)
        self.tag_edit.setPlaceholderText(self.tr("optional, e.g. street fair 2026"))
        self.tag_edit.setMaxLength(100)
        self.tag_edit.textChanged.connect(self._schedule_count)
        tags = list_tags(db)
        if tags:
            completer = QCompleter(tags, self.tag_edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.tag_edit.setCompleter(completer)
        extras.addRow(self.tr("Give everyone the &tag:"), self.tag_edit)
        self.event_combo = QComboBox(self)
        self.event_combo.addItem(self.tr("(no event)"), None)
        now = datetime.now(UTC)
        for event in [*list_upcoming(db, now), *list_past(db, now, limit=50)]:
            self.event_combo.addItem(
                f"{event.title} — {date_time_text(event.starts_at)}", int(event.id)
            )
        self.event_combo.currentIndexChanged.connect(self._schedule_count)
        self.event_combo.setToolTip(
            self.tr("Everyone in the list is signed in at this event, as having been there.")
        )
        extras.addRow(self.tr("They came to the e&vent:"), self.event_combo)
        layout.addLayout(extras)

        self.counts_label = QLabel(self.tr("Choose a file to see what would happen."), self)
        self.counts_label.setObjectName("importCounts")
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.counts_label)

        box = self.make_button_box(ok_text=self.tr("&Import"))
        layout.addWidget(box)
        self._show_options()
        self.resize(900, 700)

    # --- public --------------------------------------------------------------------------

    @property
    def table(self) -> RawTable | None:
        return self._table

    @property
    def mapping(self) -> ColumnMapping | None:
        return self._mapping

    @property
    def plan(self) -> ImportPlan | None:
        """The latest dry run's result, for the current mapping, tag and event."""
        return self._plan

    @property
    def count_task(self) -> Task | None:
        return self._count_task

    @property
    def read_task(self) -> Task | None:
        return self._read_task

    @property
    def import_task(self) -> Task | None:
        return self._import_task

    def field_combo(self, column: int) -> QComboBox:
        return self._combos[column]

    def set_field(self, column: int, chosen: Field) -> None:
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(chosen.value))

    def counting(self) -> bool:
        return self._count_timer.isActive() or (
            self._count_task is not None and self._count_task.is_running()
        )

    def open_path(
        self, path: Path, *, encoding: str | None = None, sheet: str | None = None
    ) -> bool:
        """Read the list at path (on the worker thread if it is big); False if it cannot
        be read, with the reason shown in the dialog and in ``last_error``."""
        self._path = path
        self.file_label.setText(str(path))
        try:
            big = path.stat().st_size > READ_IN_BACKGROUND_BYTES
        except OSError:
            big = False
        if not big:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                table = read_people_file(path, encoding=encoding, sheet=sheet)
            except PeopleFileError as exc:
                self._refuse(str(exc))
                return False
            finally:
                QApplication.restoreOverrideCursor()
            self._show_table(table)
            return True
        self._set_busy(True, self.tr("Reading {name}...").format(name=path.name))
        self._read_task = run_task(
            lambda: _reading(path, encoding, sheet),
            parent=self,
            title=self.tr("Reading the list"),
            describe=lambda _step: ProgressText(
                self.tr("Reading {name}...").format(name=path.name)
            ),
            on_success=self._on_read,
            on_failure=self._on_read_failed,
            on_cancel=lambda: self._set_busy(False, self.tr("Reading stopped.")),
        )
        return True

    def start_import(self) -> Task | None:
        """Import with the current choices on the worker thread; None if not possible now."""
        table, mapping = self._table, self._mapping
        if table is None or mapping is None or not self.is_complete():
            return None
        self._count_timer.stop()
        if self._count_task is not None and self._count_task.is_running():
            self._count_task.cancel()
        fields = ColumnMapping(list(mapping.fields))
        tag = self.tag_edit.text().strip() or None
        event_id = self.event_combo.currentData()
        db = self._db
        self._set_busy(True, self.tr("Importing..."))
        self._import_task = run_task(
            lambda: import_steps(db, table, fields, tag=tag, event_id=event_id),
            parent=self,
            title=self.tr("Importing people"),
            describe=self._describe_step,
            on_success=self._on_imported,
            on_failure=self._on_import_failed,
            on_cancel=self._on_import_cancelled,
        )
        return self._import_task

    # --- BaseDialog hooks ------------------------------------------------------------------

    def is_complete(self) -> bool:
        return (
            self._table is not None
            and bool(self._table.rows)
            and self._mapping is not None
            and self._mapping.can_import
            and not self._busy()
        )

    def accept(self) -> None:
        # OK is "Import": the dialog closes itself once the import is committed.
        if self.summary is not None:
            super().accept()
            return
        self.start_import()

    def reject(self) -> None:
        if self._import_task is not None and self._import_task.is_running():
            self._import_task.cancel()  # the dialog stays until the rollback is done
            return
        for task in (self._count_task, self._read_task):
            if task is not None and task.is_running():
                task.cancel()
        super().reject()

    # --- reading -----------------------------------------------------------------------------

    def _on_choose(self) -> None:
        start = str(self._path.parent) if self._path else ""
        path = choose_people_file(self, start)
        if path is not None:
            self.open_path(path)

    def _on_read(self, table: RawTable) -> None:
        self._set_busy(False, "")
        self._show_table(table)

    def _on_read_failed(self, error: BaseException) -> None:
        self._set_busy(False, "")
        self._refuse(str(error))

    def _refuse(self, message: str) -> None:
        self.last_error = message
        self._table = None
        self._mapping = None
        self._plan = None
        self._clear_columns()
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self._show_warnings([message])
        self.counts_label.setText(self.tr("This file cannot be imported; nothing was changed."))
        self._show_options()
        self.refresh_ok_button()

    def _on_encoding_chosen(self, _index: int) -> None:
        if self._path is not None and self._table is not None:
            encoding = self.encoding_combo.currentData()
            if encoding and encoding != self._table.encoding:
                self.open_path(self._path, encoding=str(encoding))

    def _on_sheet_chosen(self, _index: int) -> None:
        if self._path is not None and self._table is not None:
            sheet = self.sheet_combo.currentData()
            if sheet and sheet != self._table.sheet:
                self.open_path(self._path, sheet=str(sheet))

    def _show_table(self, table: RawTable) -> None:
        self.last_error = ""
        self._table = table
        self._mapping = guess_mapping(table.headers, table.rows[:200])
        self._plan = None
        self._build_columns(table)
        self._fill_preview()
        self._show_options()
        self._show_problems()
        self.refresh_ok_button()
        if not table.rows:
            self.counts_label.setText(NO_ROWS.capitalize() + ".")
        else:
            self._schedule_count()

    def _show_options(self) -> None:
        table = self._table
        is_csv = table is not None and table.file_kind == "csv"
        self.encoding_combo.blockSignals(True)
        self.encoding_combo.clear()
        if table is not None and is_csv:
            known = dict(ENCODINGS)
            if table.encoding not in known:
                self.encoding_combo.addItem(table.encoding, table.encoding)
            for codec, name in ENCODINGS:
                self.encoding_combo.addItem(name, codec)
            self.encoding_combo.setCurrentIndex(self.encoding_combo.findData(table.encoding))
        self.encoding_combo.blockSignals(False)
        self.encoding_label.setVisible(is_csv)
        self.encoding_combo.setVisible(is_csv)
        sheets = table.sheets if table is not None else ()
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for name in sheets:
            self.sheet_combo.addItem(name, name)
        if table is not None and table.sheet:
            self.sheet_combo.setCurrentIndex(self.sheet_combo.findData(table.sheet))
        self.sheet_combo.blockSignals(False)
        several = len(sheets) > 1
        self.sheet_label.setVisible(several)
        self.sheet_combo.setVisible(several)

    # --- columns -----------------------------------------------------------------------------

    def _clear_columns(self) -> None:
        while self.columns_form.rowCount():
            self.columns_form.removeRow(0)
        self._combos = []

    def _build_columns(self, table: RawTable) -> None:
        self._clear_columns()
        assert self._mapping is not None
        for column, header in enumerate(table.headers):
            combo = QComboBox(self.columns_widget)
            combo.setObjectName(f"fieldCombo{column}")
            for chosen in FIELD_ORDER:
                combo.addItem(field_text(chosen), chosen.value)
            combo.setCurrentIndex(combo.findData(self._mapping.fields[column].value))
            samples = [row[column] for row in table.rows[:50] if row[column].strip()][:3]
            combo.setToolTip(
                self.tr("For example: {values}").format(values="; ".join(samples))
                if samples
                else self.tr("Empty in the first rows.")
            )
            combo.currentIndexChanged.connect(lambda _index, c=column: self._on_field_chosen(c))
            label = QLabel(header, self.columns_widget)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(combo)
            self.columns_form.addRow(label, combo)
            self._combos.append(combo)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Tab goes down the dialog as it reads: file, options, each column, the rest."""
        chain: list[QWidget] = [
            self.choose_button, self.encoding_combo, self.sheet_combo, *self._combos,
            self.preview, self.tag_edit, self.event_combo,
        ]  # fmt: skip
        if self.button_box is not None:
            chain.extend(self.button_box.buttons())
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _on_field_chosen(self, column: int) -> None:
        if self._mapping is None:
            return
        self._mapping.fields[column] = Field(self._combos[column].currentData())
        self._plan = None
        self._set_preview_headers()
        self._show_problems()
        self.refresh_ok_button()
        self._schedule_count()

    def _show_problems(self) -> None:
        problems: list[str] = []
        if self._table is not None:
            problems.extend(self._table.warnings)
            if self._table.truncated:
                problems.append(self.tr("Only the first rows were read."))
        if self._mapping is not None:
            problems.extend(mapping_problems(self._mapping))
        if self._plan is not None and self._plan.previously_imported is not None:
            problems.append(
                self.tr(
                    "This same file was imported on {day}; people already on the roster are "
                    "matched, not added again."
                ).format(day=date_text(self._plan.previously_imported.astimezone().date()))
            )
        self._show_warnings(problems)

    def _show_warnings(self, lines: list[str]) -> None:
        self.warnings_label.setText("\n".join(lines))
        self.warnings_label.setVisible(bool(lines))

    # --- preview -----------------------------------------------------------------------------

    def _fill_preview(self) -> None:
        table = self._table
        self.preview.clear()
        if table is None:
            return
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.setColumnCount(len(table.headers) + 1)
        self.preview.setRowCount(len(rows))
        for line, (number, row) in enumerate(zip(table.row_numbers, rows, strict=False)):
            self.preview.setVerticalHeaderItem(line, QTableWidgetItem(str(number)))
            self.preview.setItem(line, 0, QTableWidgetItem(""))
            for column, value in enumerate(row):
                shown = value if len(value) <= 200 else value[:199] + "…"
                self.preview.setItem(line, column + 1, QTableWidgetItem(shown))
        self._set_preview_headers()
        self._show_decisions()

    def _set_preview_headers(self) -> None:
        table, mapping = self._table, self._mapping
        if table is None or mapping is None:
            return
        labels = [self.tr("What happens")]
        for header, chosen in zip(table.headers, mapping.fields, strict=False):
            target = self.tr("(left out)") if chosen is Field.IGNORE else field_text(chosen)
            labels.append(f"{header}\n→ {target}")
        self.preview.setHorizontalHeaderLabels(labels)

    def _show_decisions(self) -> None:
        table = self._table
        if table is None:
            return
        words = {
            ADD: self.tr("Added"),
            MATCH: self.tr("Already there"),
            REVIEW: self.tr("Added, to review"),
            REJECT: self.tr("Not taken"),
        }
        decided = {}
        if self._plan is not None:
            wanted = set(table.row_numbers[:PREVIEW_ROWS])
            decided = {d.row_number: d for d in self._plan.decisions if d.row_number in wanted}
        for line, number in enumerate(table.row_numbers[:PREVIEW_ROWS]):
            item = self.preview.item(line, 0)
            if item is None:
                continue
            decision = decided.get(number)
            if decision is None:
                item.setText("…" if self.counting() else "")
                item.setToolTip("")
                continue
            item.setText(words.get(decision.action, decision.action))
            item.setToolTip(decision.reason)

    # --- counts ------------------------------------------------------------------------------

    def _schedule_count(self) -> None:
        if self._table is None or self._mapping is None:
            return
        self._plan_generation += 1
        if self._mapping.can_import and self._table.rows:
            self.counts_label.setText(self.tr("Counting..."))
            self._count_timer.start()
        else:
            self._count_timer.stop()
            self.counts_label.setText(
                self.tr("Choose a column with a name, an email or a phone number.")
            )

    def _count(self) -> None:
        table, mapping = self._table, self._mapping
        if table is None or mapping is None or not mapping.can_import or self._busy():
            return
        if self._count_task is not None and self._count_task.is_running():
            self._count_task.cancel()
        generation = self._plan_generation
        fields = ColumnMapping(list(mapping.fields))
        tag = self.tag_edit.text().strip() or None
        event_id = self.event_combo.currentData()
        db = self._db
        self._count_task = run_task(
            lambda: plan_steps(db, table, fields, tag=tag, event_id=event_id),
            parent=self,
            title=self.tr("Counting"),
            on_success=lambda plan: self._on_counted(generation, plan),
            on_failure=lambda error: self._on_count_failed(generation, error),
            show_after_ms=60 * 60 * 1000,  # counting runs in the background, no window
        )

    def _on_counted(self, generation: int, plan: ImportPlan) -> None:
        if generation != self._plan_generation:
            return  # the choices changed meanwhile; a newer count is on its way
        self._plan = plan
        counts = plan.counts
        number = QLocale().toString
        text = self.tr(
            "{rows} rows: {added} new people, {matched} already on the roster "
            "({updated} get new details), {review} to review, {rejected} not taken."
        ).format(
            rows=number(counts.rows),
            added=number(counts.added),
            matched=number(counts.matched),
            updated=number(counts.updated),
            review=number(counts.needs_review),
            rejected=number(counts.rejected),
        )
        if plan.flagged:
            text += " " + self.tr("{n} of the new people have details to check.").format(
                n=number(plan.flagged)
            )
        self.counts_label.setText(text)
        self._show_decisions()
        self._show_problems()

    def _on_count_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._plan_generation:
            self.counts_label.setText(str(error))

    # --- importing ---------------------------------------------------------------------------

    def _describe_step(self, step: ImportProgress) -> ProgressText:
        words = {
            "checking": self.tr("Reading the rows..."),
            "matching": self.tr("Matching people with the roster..."),
            "writing": self.tr("Saving..."),
        }
        return ProgressText(words.get(step.stage, self.tr("Importing...")), step.done, step.total)

    def _busy(self) -> bool:
        return any(
            task is not None and task.is_running() for task in (self._import_task, self._read_task)
        )

    def _set_busy(self, busy: bool, message: str) -> None:
        for widget in (
            self.choose_button, self.encoding_combo, self.sheet_combo, self.columns_area,
            self.tag_edit, self.event_combo,
        ):  # fmt: skip
            widget.setEnabled(not busy)
        if message:
            self.counts_label.setText(message)
        self.refresh_ok_button()

    def _on_imported(self, summary: ImportSummary) -> None:
        self.summary = summary
        self._set_busy(False, "")
        self.imported.emit(summary)
        self.accept()

    def _on_import_failed(self, error: BaseException) -> None:
        self._set_busy(False, "")
        self.last_error = str(error)
        if not isinstance(error, ImportFailed | PeopleFileError):
            self.last_error = self.tr("The import failed ({error}); nothing was changed.").format(
                error=error
            )
        self.counts_label.setText(self.last_error)
        QMessageBox.critical(self, self.windowTitle(), self.last_error)

    def _on_import_cancelled(self) -> None:
        self._set_busy(False, self.tr("The import was stopped. Nothing was changed."))
        self._schedule_count()


# --- after an import ------------------------------------------------------------------------


def summary_lines(summary: ImportSummary) -> list[str]:
    """What an import did, in words, one figure a line."""
    tr = QCoreApplication.translate
    number = QLocale().toString
    counts = summary.counts
    lines = [
        tr("ImportDialog", "Imported {file}.").format(file=summary.source_name),
        "",
        tr("ImportDialog", "Rows in the list: {n}").format(n=number(counts.rows)),
        tr("ImportDialog", "New people added: {n}").format(n=number(counts.added)),
        tr("ImportDialog", "Already on the roster: {n} ({u} got new details)").format(
            n=number(counts.matched), u=number(counts.updated)
        ),
        tr("ImportDialog", "Needing a review: {n}").format(n=number(counts.needs_review))
        if counts.needs_review
        else tr("ImportDialog", "Nothing needs a review."),
        tr("ImportDialog", "Rows not taken: {n}").format(n=number(counts.rejected)),
    ]
    if summary.flagged:
        lines.append(
            tr("ImportDialog", "New people with details to check: {n}").format(
                n=number(summary.flagged)
            )
        )
    if summary.tag:
        lines.append(tr("ImportDialog", "Tagged: {tag}").format(tag=summary.tag))
    if summary.event_id is not None:
        lines.append(
            tr("ImportDialog", "Signed in at the event: {n}").format(n=number(summary.signed_in))
        )
    return lines


def confirm_undo(parent: QWidget, file_name: str) -> bool:
    tr = QCoreApplication.translate
    answer = QMessageBox.question(
        parent,
        tr("ImportDialog", "Undo import"),
        tr(
            "ImportDialog",
            "Undo the import of {file}?\n\nThe people it added go to the trash (people the "
            "group has worked with since stay), and the details it filled in get their old "
            "values back.",
        ).format(file=file_name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def undo_text(undone: UndoSummary) -> str:
    tr = QCoreApplication.translate
    number = QLocale().toString
    lines = [
        tr("ImportDialog", "The import of {file} was undone.").format(file=undone.file_name),
        tr("ImportDialog", "Moved to the trash: {n}").format(n=number(undone.removed)),
        tr("ImportDialog", "Details given their old values back: {n}").format(
            n=number(undone.restored)
        ),
    ]
    if undone.kept:
        shown = ", ".join(undone.kept[:10]) + (", …" if len(undone.kept) > 10 else "")
        lines.append(
            tr(
                "ImportDialog", "Kept, because the group has worked with them since: {names}"
            ).format(names=shown)
        )
    if undone.left:
        lines.append(
            tr("ImportDialog", "Details changed by someone since, left as they are: {n}").format(
                n=number(undone.left)
            )
        )
    return "\n".join(lines)


def _undoing(db: Database, batch_id: int) -> Generator[ImportProgress, None, UndoSummary]:
    yield ImportProgress("undoing", 0, 0)
    return undo_import(db, batch_id)


def run_undo(
    db: Database,
    batch_id: int,
    parent: QWidget,
    on_success: Callable[[UndoSummary], None],
    on_failure: Callable[[BaseException], None],
) -> Task:
    """undo_import on the worker thread (a big batch takes a few seconds), in one
    transaction; a Cancel before it starts leaves everything as it was."""
    tr = QCoreApplication.translate
    return run_task(
        lambda: _undoing(db, batch_id),
        parent=parent,
        title=tr("ImportDialog", "Undoing the import"),
        describe=lambda _step: ProgressText(tr("ImportDialog", "Undoing the import...")),
        on_success=on_success,
        on_failure=on_failure,
    )


class ImportResultDialog(BaseDialog):
    """What an import did, with its rejects file, the review list and Undo at hand."""

    def __init__(
        self,
        db: Database,
        summary: ImportSummary,
        parent: QWidget | None = None,
        *,
        on_changed: Callable[[], object] | None = None,
        on_review: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._summary = summary
        self._on_changed = on_changed
        self._on_review = on_review
        self.undone: UndoSummary | None = None
        self.undo_task: Task | None = None
        self.setWindowTitle(self.tr("Import finished"))
        layout = QVBoxLayout(self)
        self.text_label = QLabel("\n".join(summary_lines(summary)), self)
        self.text_label.setObjectName("importResult")
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text_label)
        box = QDialogButtonBox(self)
        self.rejects_button = box.addButton(
            self.tr("Open &rejects file"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.rejects_button.setEnabled(summary.rejects_file is not None)
        self.rejects_button.setToolTip(
            str(summary.rejects_file) if summary.rejects_file else self.tr("No row was rejected.")
        )
        self.rejects_button.clicked.connect(self.open_rejects_file)
        self.review_button = box.addButton(
            self.tr("Open the &review list"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.review_button.setVisible(on_review is not None and summary.counts.needs_review > 0)
        self.review_button.clicked.connect(self._go_to_review)
        self.undo_button = box.addButton(
            self.tr("&Undo this import"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.clicked.connect(lambda: self.undo())
        close = box.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        close.setDefault(True)
        self.button_box = box
        layout.addWidget(box)

    def open_rejects_file(self) -> bool:
        path = self._summary.rejects_file
        if path is None or not path.exists():
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _go_to_review(self) -> None:
        if self._on_review is not None:
            self._on_review()
        self.accept()

    def undo(self, *, confirm: bool = True) -> Task | None:
        """Undo the import on the worker thread (asking first unless confirm is False);
        None if not started. ``undone`` holds the outcome once it is done."""
        if self.undone is not None or (self.undo_task is not None and self.undo_task.is_running()):
            return None
        if confirm and not confirm_undo(self, self._summary.source_name):
            return None
        self.undo_button.setEnabled(False)
        self.undo_task = run_undo(
            self._db, self._summary.batch_id, self, self._on_undone, self._on_undo_failed
        )
        return self.undo_task

    def _on_undone(self, undone: UndoSummary) -> None:
        self.undone = undone
        self.text_label.setText(undo_text(undone))
        self.review_button.setVisible(False)
        if self._on_changed is not None:
            self._on_changed()

    def _on_undo_failed(self, error: BaseException) -> None:
        self.undo_button.setEnabled(True)
        QMessageBox.warning(self, self.windowTitle(), str(error))


class ImportHistoryDialog(BaseDialog):
    """Every import, newest first, with Undo for the one selected."""

    COLUMNS = 7

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        on_changed: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._on_changed = on_changed
        self._batches: list[ImportBatchRow] = []
        self.undo_task: Task | None = None
        self.last_undone: UndoSummary | None = None
        self.setWindowTitle(self.tr("Import history"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("importHistory")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"), self.tr("File"), self.tr("Rows"), self.tr("Added"),
                self.tr("Matched"), self.tr("Not taken"), self.tr("Undone"),
            ]
        )  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message_label)
        box = QDialogButtonBox(self)
        self.undo_button = box.addButton(
            self.tr("&Undo this import"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.clicked.connect(lambda: self.undo_selected())
        self.rejects_button = box.addButton(
            self.tr("Open the &rows not taken"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.rejects_button.clicked.connect(self.open_rejects_file)
        close = box.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        self.button_box = box
        layout.addWidget(box)
        self.refresh()
        self.resize(760, 420)

    def batches(self) -> list[ImportBatchRow]:
        return list(self._batches)

    def refresh(self) -> None:
        selected = self.selected_batch()
        self._batches = list_import_batches(self._db)
        self.table.setRowCount(len(self._batches))
        number = QLocale().toString
        for line, batch in enumerate(self._batches):
            values = [
                date_time_text(batch.imported_at), batch.file_name, number(batch.rows),
                number(batch.added), number(batch.matched), number(batch.rejected),
                date_text(batch.undone_at.astimezone().date()) if batch.undone_at else "",
            ]  # fmt: skip
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column >= 2 and column < 6:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(line, column, item)
        if not self._batches:
            self.message_label.setText(self.tr("No list has been imported into this database."))
        if selected is not None:
            self.select_batch(selected.id)
        elif self._batches:
            self.table.selectRow(0)
        self._update_buttons()

    def select_batch(self, batch_id: int) -> bool:
        for line, batch in enumerate(self._batches):
            if batch.id == batch_id:
                self.table.selectRow(line)
                return True
        return False

    def selected_batch(self) -> ImportBatchRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        line = rows[0].row()
        return self._batches[line] if 0 <= line < len(self._batches) else None

    def _update_buttons(self) -> None:
        batch = self.selected_batch()
        self.undo_button.setEnabled(batch is not None and not batch.undone)
        rejects = batch.rejects_file if batch is not None else None
        self.rejects_button.setEnabled(rejects is not None)
        if batch is None or not batch.rejected:
            self.rejects_button.setToolTip(self.tr("Every row of this list was taken."))
        elif rejects is None:
            self.rejects_button.setToolTip(
                self.tr("The file of the rows not taken is no longer in the data folder.")
            )
        else:
            self.rejects_button.setToolTip(str(rejects))

    def open_rejects_file(self) -> bool:
        """Open the selected import's rejected rows in the spreadsheet program."""
        batch = self.selected_batch()
        path = batch.rejects_file if batch is not None else None
        if path is None or not path.exists():
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def undo_selected(self, *, confirm: bool = True) -> Task | None:
        """Undo the selected import on the worker thread; None if not started.
        ``last_undone`` holds the outcome once it is done."""
        batch = self.selected_batch()
        if batch is None or batch.undone:
            return None
        if self.undo_task is not None and self.undo_task.is_running():
            return None
        if confirm and not confirm_undo(self, batch.file_name):
            return None
        self.undo_button.setEnabled(False)
        self.undo_task = run_undo(self._db, batch.id, self, self._on_undone, self._on_failed)
        return self.undo_task

    def _on_undone(self, undone: UndoSummary) -> None:
        self.last_undone = undone
        self.message_label.setText(undo_text(undone))
        self.refresh()
        if self._on_changed is not None:
            self._on_changed()

    def _on_failed(self, error: BaseException) -> None:
        self.message_label.setText(str(error))
        self._update_buttons()


__all__ = [
    "ImportDialog",
    "ImportHistoryDialog",
    "ImportResultDialog",
    "choose_people_file",
    "people_file_filter",
    "summary_lines",
]
