"""The Urgent Actions page: the cases the group writes letters for, and the letters.

The coordinator enters a case from the action's sheet (number, title, country, who
is at risk, the deadline, the officials to write to and the representatives to
copy, the letter), prints a personalised letter for each writer and official with
their envelopes or labels, and afterwards records the letters written, which the
list counts for the group's report. Cases are closed, never deleted, so their
letters stay counted.

Letters are made in the background (500 take well under a few seconds, with a
progress dialog that can cancel), then shown in the print preview, whose "Record N
letters as written" button records them once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QPushButton,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import UrgentActionStatus
from desktop_app.services.urgent_actions import (
    UrgentActionDetail,
    UrgentActionError,
    get_urgent_action,
    list_urgent_actions,
    record_letters_written,
    set_status,
    writer_tallies,
)
from desktop_app.tasks.runner import Task
from desktop_app.views.list_detail_page import ListDetailPage
from desktop_app.views.list_tables import ListTableView, size_columns
from desktop_app.views.local_time import date_text
from desktop_app.views.table_models.urgent_actions_model import UrgentActionsTableModel

if TYPE_CHECKING:
    from desktop_app.printing.data import LetterDocuments, PrintProgress
    from desktop_app.views.print_preview import PrintPreviewDialog
    from desktop_app.views.urgent_action_dialog import LetterOptions

TALLIES_SHOWN = 8


class UrgentActionsPage(ListDetailPage[UrgentActionDetail]):
    """Urgent action cases: enter, edit, print letters, record them, close."""

    DETAIL_ERRORS = (UrgentActionError,)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgentActions")
        self._db = db
        self.letters_task: Task | None = None
        self.preview: QDialog | None = None
        self.model = UrgentActionsTableModel(self)
        self._build()
        self._connect()
        # Page.showEvent calls reload() when the page is first shown.

    # --- the Page contract -------------------------------------------------------------

    def page_title(self) -> str:
        return self.tr("Urgent Actions")

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.closed_check = QCheckBox(self.tr("Show c&losed cases"), self)
        self.new_button = QPushButton(self.tr("&New case…"), self)
        self.new_button.setToolTip(self.tr("Enter an urgent action from its sheet"))
        self.edit_button = QPushButton(self.tr("Ed&it…"), self)
        self.edit_button.setToolTip(self.tr("Change the selected case (Enter)"))
        self.print_button = QPushButton(self.tr("&Print letters…"), self)
        self.print_button.setToolTip(
            self.tr("A personalised letter from each writer to each official, and envelopes")
        )
        self.close_button = QPushButton(self.tr("&Close case"), self)
        self.close_button.setToolTip(
            self.tr("No more letters are needed; its letters stay counted")
        )
        self.reopen_button = QPushButton(self.tr("&Reopen case"), self)

        self.table = ListTableView(self.model, self.tr("Urgent actions"), self)
        # The title is what people read: the other columns take what their text needs.
        size_columns(
            self.table,
            stretch=UrgentActionsTableModel.TITLE,
            fit=(
                UrgentActionsTableModel.NUMBER,
                UrgentActionsTableModel.COUNTRY,
                UrgentActionsTableModel.DEADLINE,
                UrgentActionsTableModel.STATUS,
                UrgentActionsTableModel.OFFICIALS,
                UrgentActionsTableModel.LETTERS,
            ),
        )

        self.make_detail_labels()
        self.detail_text.setObjectName("caseDetail")
        self.detail_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message = self.make_message_label()
        self.detail_layout(text_stretch=1)
        self.lay_out_list_and_detail(
            self.closed_check,
            (
                self.new_button,
                self.edit_button,
                self.print_button,
                self.close_button,
                self.reopen_button,
            ),
            (760, 320),
        )

    def _connect(self) -> None:
        self.closed_check.toggled.connect(lambda _on: self.reload())
        self.table.openRequested.connect(self.edit_selected)  # Enter, a double click
        self.new_button.clicked.connect(self.new_case)
        self.edit_button.clicked.connect(self.edit_selected)
        self.print_button.clicked.connect(self.print_letters)
        self.close_button.clicked.connect(lambda: self._set_status(UrgentActionStatus.CLOSED))
        self.reopen_button.clicked.connect(lambda: self._set_status(UrgentActionStatus.OPEN))

    # --- reading ---------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Read the cases again, keeping (or moving to) the selected one."""
        wanted = select if select is not None else self.selected_id()
        status = None if self.closed_check.isChecked() else UrgentActionStatus.OPEN
        rows = list_urgent_actions(self._db, status)
        if select is not None and not any(row.id == select for row in rows):
            self.closed_check.blockSignals(True)
            self.closed_check.setChecked(True)  # a case just closed or saved as closed
            self.closed_check.blockSignals(False)
            rows = list_urgent_actions(self._db)
        self.model.set_rows(rows)
        self.show_rows(wanted)

    def select_case(self, ua_id: int) -> None:
        self.reload(select=ua_id)

    def read_detail(self, record_id: int) -> UrgentActionDetail:
        return get_urgent_action(self._db, record_id)

    def show_detail(self) -> None:
        detail = self.detail
        if detail is None:
            if self.model.rowCount() == 0:
                self.detail_title.setText(self.tr("No urgent actions yet"))
                self.detail_text.setText(
                    self.tr(
                        "Enter one from the action's sheet with New case: the person at "
                        "risk, the officials to write to and the deadline. Then print a "
                        "letter from each writer to each official."
                    )
                )
            else:
                self.detail_title.setText(self.tr("No case selected"))
                self.detail_text.setText("")
            return
        data = detail.data
        self.detail_title.setText(data.heading)
        lines = []
        if data.country:
            lines.append(self.tr("Country: {country}").format(country=data.country))
        if data.persons_at_risk:
            lines.append(self.tr("At risk: {who}").format(who=data.persons_at_risk))
        if data.issue:
            lines.append(self.tr("Issue: {issue}").format(issue=data.issue))
        if data.deadline is not None:
            lines.append(self.tr("Deadline: {date}").format(date=date_text(data.deadline)))
        if data.status != UrgentActionStatus.OPEN:
            lines.append(self.tr("This case is closed."))
        lines.append("")
        officials = [a for a in data.addressees if not a.is_copy]
        copies = [a for a in data.addressees if a.is_copy]
        if officials:
            lines.append(self.tr("Write to:"))
            lines += [f"  • {self._addressee_line(a.name, a.title)}" for a in officials]
        else:
            lines.append(self.tr("No officials to write to yet: add them with Edit."))
        if copies:
            lines.append(self.tr("Copies to:"))
            lines += [f"  • {self._addressee_line(a.name, a.title)}" for a in copies]
        lines.append("")
        lines.append(self.tr("Letters written: {count}").format(count=detail.letters_written))
        tallies = writer_tallies(self._db, detail.id) if detail.letters_written else []
        for tally in tallies[:TALLIES_SHOWN]:
            lines.append(f"  {tally.name}: {tally.letters}")
        if len(tallies) > TALLIES_SHOWN:
            lines.append(
                self.tr("  … and {count} more writers").format(count=len(tallies) - TALLIES_SHOWN)
            )
        self.detail_text.setText("\n".join(lines))

    @staticmethod
    def _addressee_line(name: str, title: str) -> str:
        return f"{name}, {title}" if title else name

    def update_actions(self) -> None:
        detail = self.detail
        chosen = detail is not None
        is_open = detail is not None and detail.data.status == UrgentActionStatus.OPEN
        self.edit_button.setEnabled(chosen)
        has_officials = detail is not None and any(not a.is_copy for a in detail.data.addressees)
        self.print_button.setEnabled(chosen and has_officials)
        self.print_button.setToolTip(
            self.tr("A personalised letter from each writer to each official, and envelopes")
            if has_officials or not chosen
            else self.tr("Add the officials to write to first (Edit)")
        )
        self.close_button.setVisible(not chosen or is_open)
        self.close_button.setEnabled(is_open)
        self.reopen_button.setVisible(chosen and not is_open)
        self.reopen_button.setEnabled(chosen and not is_open)

    # --- dialogs -----------------------------------------------------------------------

    def new_case(self) -> None:
        from desktop_app.views.urgent_action_dialog import UrgentActionDialog

        dialog = UrgentActionDialog(self._db, None, self)

        def saved() -> None:
            if dialog.saved is not None:
                self.show_message("")
                self.reload(select=dialog.saved.id)

        self.open_dialog(dialog, saved)

    def edit_selected(self) -> None:
        from desktop_app.views.urgent_action_dialog import UrgentActionDialog

        ua_id = self.selected_id()
        if ua_id is None:
            return
        try:
            dialog = UrgentActionDialog(self._db, ua_id, self)
        except UrgentActionError as exc:
            self.show_message(str(exc))
            self.reload()
            return

        def saved() -> None:
            if dialog.saved is not None:
                self.reload(select=dialog.saved.id)

        self.open_dialog(dialog, saved)

    def _set_status(self, status: UrgentActionStatus) -> None:
        ua_id = self.selected_id()
        if ua_id is None:
            return
        try:
            set_status(self._db, ua_id, status)
        except UrgentActionError as exc:
            self.show_message(str(exc))
            return
        self.show_message(
            self.tr("Case closed; its letters stay counted.")
            if status == UrgentActionStatus.CLOSED
            else self.tr("Case reopened.")
        )
        self.reload(select=ua_id)

    # --- letters -----------------------------------------------------------------------

    def print_letters(self) -> None:
        """Ask who writes and on what paper, then make the letters and preview them."""
        from desktop_app.services.printing_data import page_size_for
        from desktop_app.views.print_dialogs import event_choices
        from desktop_app.views.urgent_action_dialog import PrintLettersDialog

        ua_id = self.selected_id()
        if ua_id is None:
            return
        dialog = PrintLettersDialog(
            self._db,
            ua_id,
            page_size=page_size_for(self._db),
            events=event_choices(self._db),
            parent=self,
        )

        def chosen() -> None:
            self.make_letters(dialog.options())

        self.open_dialog(dialog, chosen)

    def make_letters(self, options: LetterOptions) -> Task:
        """Make the letters in the background; the preview opens when they are ready."""
        from desktop_app.views.print_preview import run_print_job

        db = self._db

        def steps() -> Generator[PrintProgress, None, LetterDocuments]:
            from desktop_app.printing.ua_letters import letters_steps
            from desktop_app.services.printing_data import letter_batch

            batch = letter_batch(
                db,
                options.ua_id,
                options.writer_ids,
                letter_date=options.letter_date,
                envelopes=options.envelopes,
                label_layout=options.label_layout,
                print_copies=options.print_copies,
            )
            return (yield from letters_steps(batch, options.page_size))

        detail = get_urgent_action(db, options.ua_id)
        title = self.tr("Letters: {case}").format(case=detail.data.heading)
        self.show_message("")
        task = run_print_job(
            self,
            title=title,
            steps=steps,
            on_done=lambda documents: self._show_letters(title, options, documents),
            on_cancel=lambda: self.show_message(
                self.tr("Stopped: no letters were made, nothing was recorded.")
            ),
        )
        self.letters_task = task
        return task

    def _show_letters(self, title: str, options: LetterOptions, documents: LetterDocuments) -> None:
        from desktop_app.printing.data import EnvelopeStyle
        from desktop_app.views.print_preview import PreviewDocument, safe_file_name, show_preview

        shown = [PreviewDocument(self.tr("Letters"), documents.letters, safe_file_name(title))]
        if documents.envelopes is not None:
            name = (
                self.tr("Envelopes")
                if options.envelopes is EnvelopeStyle.ENVELOPE_10
                else self.tr("Address labels")
            )
            shown.append(
                PreviewDocument(name, documents.envelopes, safe_file_name(f"{title} {name}"))
            )
        writers = len(options.writer_ids)
        note = self.tr("{letters} letter(s): {writers} writer(s), {each} official(s) each").format(
            letters=documents.letter_count, writers=writers, each=documents.letters_per_writer
        )
        if documents.copy_count:
            note += self.tr(", and {copies} copies").format(copies=documents.copy_count)
        if documents.envelopes is not None:
            note += self.tr(". The envelopes or labels are the second document.")
        preview = show_preview(self, shown, title=title, note=note)
        LetterRecorder(self._db, options, documents, preview, on_recorded=self._on_recorded)
        preview.finished.connect(self._forget_preview)
        self.preview = preview

    def _on_recorded(self, ua_id: int) -> None:
        self.reload(select=ua_id)

    def _forget_preview(self) -> None:
        self.preview = None


class LetterRecorder(QObject):
    """The preview's "Record N letters as written" button and what it does (once).

    A child of the preview, so it goes when the preview closes; its slots are bound
    methods, so no closure keeps the preview alive.
    """

    def __init__(
        self,
        db: Database,
        options: LetterOptions,
        documents: LetterDocuments,
        preview: PrintPreviewDialog,
        *,
        on_recorded: Callable[[int], None],
    ) -> None:
        super().__init__(preview)
        self._db = db
        self._options = options
        self._documents = documents
        self._preview = preview
        self._on_recorded = on_recorded
        self.button = preview.add_action_button(
            self.tr("&Record {count} letters as written").format(count=documents.letter_count),
            self.tr("Count them for the group's report, once they have gone out"),
        )
        self.button.setObjectName("recordLetters")
        self.button.clicked.connect(self.record)
        preview.printed.connect(self.after_printing)

    def record(self) -> int:
        """Record the letters against each writer and the case; the letters recorded."""
        options = self._options
        try:
            recorded = record_letters_written(
                self._db,
                options.ua_id,
                list(options.writer_ids),
                self._documents.letters_per_writer,
                written_on=options.letter_date,
                event_id=options.event_id,
            )
        except UrgentActionError as exc:
            self._preview.status.setText(str(exc))
            return 0
        self.button.setEnabled(False)  # recording twice would count twice
        self.button.setText(self.tr("Recorded {count} letters").format(count=recorded))
        self._preview.status.setText(
            self.tr("{count} letters recorded against the writers and this case.").format(
                count=recorded
            )
        )
        self._on_recorded(options.ua_id)
        return recorded

    def after_printing(self, _pages: int) -> None:
        if self.button.isEnabled():
            self.button.setDefault(True)
            self._preview.status.setText(
                self._preview.status.text()
                + " "
                + self.tr("When the letters have gone out, record them for the group's count.")
            )


__all__ = ["LetterRecorder", "UrgentActionsPage"]
