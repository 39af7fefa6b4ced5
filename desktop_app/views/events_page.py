"""The Events page: upcoming and past events, and who came to the one selected.

From here the secretary plans events (new, edit, copy to another date, cancel and
restore), opens the meeting sign-in or the paper-sheet entry for one, makes the
follow-up tasks for its first-timers, and exports it to a calendar (.ics) or its
attendance to a workbook (.xlsx).

Event changes are not undo steps: cancelling is itself undone by Restore, and a
cancelled event keeps its sign-ins. Times are shown in local time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QTabBar,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.services.events import (
    EVENT_KIND_LABELS,
    EventDetail,
    EventError,
    EventRow,
    attendance,
    cancel_event,
    copy_event,
    export_attendance,
    export_calendar,
    get_event,
    list_past,
    list_upcoming,
    restore_event,
)
from desktop_app.views.event_dialog import CopyEventDialog, EventDialog
from desktop_app.views.followup_dialogs import CreateFollowUpsDialog
from desktop_app.views.list_detail_page import ListDetailPage
from desktop_app.views.list_tables import ListTableView, size_columns
from desktop_app.views.local_time import span_text
from desktop_app.views.save_paths import ask_export_path
from desktop_app.views.table_models.events_model import (
    AttendanceTableModel,
    EventsTableModel,
)
from desktop_app.views.table_models.roster_model import label_text

UPCOMING, PAST = 0, 1
PAST_LIMIT = 200  # a few years of a busy group's events
EXPORT_FOLDER_KEY = "events/export_folder"


def file_stem(detail: EventDetail) -> str:
    """A file name for an event: "monthly-meeting-2026-12-03", any script kept."""
    day = detail.data.starts_at.astimezone().date().isoformat()
    words = re.sub(r"[^\w]+", "-", detail.data.title.casefold()).strip("-_")[:60]
    return f"{words or 'event'}-{day}"


class EventsPage(ListDetailPage[EventDetail]):
    """Events: plan them, sign people in, see who came, export."""

    DETAIL_ERRORS = (EventError,)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("events")
        self._db = db
        self._upcoming: list[EventRow] = []
        self._past: list[EventRow] = []
        self.model = EventsTableModel(self)
        self.attendance_model = AttendanceTableModel(self)
        self._build()
        self._connect()
        # Page.showEvent calls reload() when the page is first shown.

    # --- the Page contract -------------------------------------------------------------

    def page_title(self) -> str:
        return self.tr("Events")

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabBar(self)
        self.tabs.addTab(self.tr("&Upcoming"))
        self.tabs.addTab(self.tr("Pa&st"))
        self.tabs.setAccessibleName(self.tr("Upcoming or past events"))
        self.table = ListTableView(self.model, self.tr("Events"), self)
        # When, the title (the room left), kind, place, campaign, and who came.
        size_columns(self.table, (205, None, 120, None, None, 80), stretch=EventsTableModel.TITLE)
        # Place and campaign are in the panel beside the list: on a laptop's width the
        # title is worth more room than they are.
        self.table.setColumnHidden(EventsTableModel.PLACE, True)
        self.table.setColumnHidden(EventsTableModel.CAMPAIGN, True)

        self.new_button = QPushButton(self.tr("&New event"), self)
        self.new_button.setToolTip(self.tr("Plan a meeting, a tabling, a vigil…"))
        self.edit_button = QPushButton(self.tr("Ed&it…"), self)
        self.edit_button.setToolTip(self.tr("Change the selected event (Enter)"))
        self.copy_button = QPushButton(self.tr("C&opy…"), self)
        self.copy_button.setToolTip(self.tr("The same event on another date"))
        self.cancel_button = QPushButton(self.tr("Cance&l event"), self)
        self.cancel_button.setToolTip(
            self.tr("Mark it cancelled (Delete); it keeps its sign-ins and can be restored")
        )
        self.restore_button = QPushButton(self.tr("&Restore event"), self)
        self.restore_button.setToolTip(self.tr("It takes place after all"))

        self.make_detail_labels()
        self.attendance_label = QLabel(self)
        self.attendance_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.attendance_label.font())
        bold.setBold(True)
        self.attendance_label.setFont(bold)
        self.attendance_table = ListTableView(
            self.attendance_model, self.tr("Who came"), self, many=True
        )
        size_columns(
            self.attendance_table,
            stretch=AttendanceTableModel.NAME,
            fit=(AttendanceTableModel.NEW, AttendanceTableModel.SOURCE, AttendanceTableModel.TIME),
        )
        self.attendance_label.setBuddy(self.attendance_table)

        self.signin_button = QPushButton(self.tr("Si&gn in people…"), self)
        self.signin_button.setToolTip(self.tr("Tick people off as they arrive"))
        self.paper_button = QPushButton(self.tr("T&ype up a paper sheet…"), self)
        self.paper_button.setToolTip(self.tr("Enter the lines of a paper sign-in sheet"))
        self.followups_button = QPushButton(self.tr("Create follo&w-ups for new people…"), self)
        self.followups_button.setToolTip(
            self.tr("A task for each first-timer: a call, a coffee, a one-to-one…")
        )
        self.ics_button = QPushButton(self.tr("Export to &calendar (.ics)…"), self)
        self.ics_button.setToolTip(self.tr("A file calendar programs can import"))
        self.xlsx_button = QPushButton(self.tr("Export &attendance (.xlsx)…"), self)
        self.xlsx_button.setToolTip(self.tr("Who came, as a spreadsheet"))
        self.print_sheet_button = QPushButton(self.tr("Print sign-in s&heet…"), self)
        self.print_sheet_button.setToolTip(
            self.tr("The regulars' names already on it, and blank rows for newcomers")
        )
        self.print_flyer_button = QPushButton(self.tr("Print &flyer…"), self)
        self.print_flyer_button.setToolTip(self.tr("Date, place and a QR code"))
        self.message = self.make_message_label()

        right_layout = self.detail_layout()
        right_layout.addSpacing(4)
        right_layout.addWidget(self.attendance_label)
        right_layout.addWidget(self.attendance_table, 1)
        grid = QGridLayout()
        grid.addWidget(self.signin_button, 0, 0)
        grid.addWidget(self.paper_button, 0, 1)
        grid.addWidget(self.followups_button, 1, 0, 1, 2)
        grid.addWidget(self.ics_button, 2, 0)
        grid.addWidget(self.xlsx_button, 2, 1)
        grid.addWidget(self.print_sheet_button, 3, 0)
        grid.addWidget(self.print_flyer_button, 3, 1)
        right_layout.addLayout(grid)
        self.lay_out_list_and_detail(
            self.tabs,
            (
                self.new_button,
                self.edit_button,
                self.copy_button,
                self.cancel_button,
                self.restore_button,
            ),
            (620, 420),
            then=(
                self.attendance_table,
                self.signin_button,
                self.paper_button,
                self.followups_button,
                self.ics_button,
                self.xlsx_button,
                self.print_sheet_button,
                self.print_flyer_button,
            ),
        )

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.table.openRequested.connect(self.edit_selected)  # Enter, a double click
        self.table.deleteRequested.connect(self.cancel_selected)
        self.new_button.clicked.connect(self.new_event)
        self.edit_button.clicked.connect(self.edit_selected)
        self.copy_button.clicked.connect(self.copy_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.signin_button.clicked.connect(self.open_signin)
        self.paper_button.clicked.connect(self.open_paper_entry)
        self.followups_button.clicked.connect(self.create_followups)
        self.ics_button.clicked.connect(self.export_ics)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.print_sheet_button.clicked.connect(lambda: self.print_document("signin_sheet"))
        self.print_flyer_button.clicked.connect(lambda: self.print_document("flyer"))

    # --- reading ---------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Read both lists again, keeping (or moving to) the selected event."""
        wanted = select if select is not None else self.selected_event_id()
        now = datetime.now(UTC)
        self._upcoming = list_upcoming(self._db, now)
        self._past = list_past(self._db, now, limit=PAST_LIMIT)
        self.tabs.setTabText(
            UPCOMING, self.tr("&Upcoming ({count})").format(count=len(self._upcoming))
        )
        self.tabs.setTabText(PAST, self.tr("Pa&st ({count})").format(count=len(self._past)))
        if wanted is not None and select is not None:
            # A new or copied event may be on the other list: go where it is.
            if any(row.id == wanted for row in self._past) and not any(
                row.id == wanted for row in self._upcoming
            ):
                self.tabs.setCurrentIndex(PAST)
            elif any(row.id == wanted for row in self._upcoming):
                self.tabs.setCurrentIndex(UPCOMING)
        self._fill_table(wanted)

    def _on_tab_changed(self, _index: int) -> None:
        self._fill_table(None)

    def _fill_table(self, select: int | None) -> None:
        rows = self._upcoming if self.tabs.currentIndex() == UPCOMING else self._past
        self.model.set_rows(rows)
        self.show_rows(select)

    def selected_event_id(self) -> int | None:
        return self.selected_id()

    def select_event(self, event_id: int) -> None:
        self.reload(select=event_id)

    def read_detail(self, record_id: int) -> EventDetail:
        return get_event(self._db, record_id)

    def show_detail(self) -> None:
        detail = self.detail
        if detail is None:
            self.detail_title.setText(self.tr("No event selected"))
            self.detail_text.setText(
                self.tr("Choose an event on the left, or make one with New event.")
            )
            self.attendance_label.setText("")
            self.attendance_model.set_rows([])
            return
        data = detail.data
        title = data.title
        if detail.cancelled:
            title = self.tr("Cancelled: {title}").format(title=title)
        self.detail_title.setText(title)
        kind = label_text(EVENT_KIND_LABELS[data.kind])
        lines = [f"{kind} · {span_text(data.starts_at, data.ends_at)}"]
        if data.place:
            lines.append(data.place)
        extras = []
        if detail.campaign_name:
            extras.append(self.tr("Campaign: {name}").format(name=detail.campaign_name))
        if data.expected_attendance:
            extras.append(self.tr("Expected: {count}").format(count=data.expected_attendance))
        if extras:
            lines.append(" · ".join(extras))
        if data.description:
            lines.append("")
            lines.append(data.description)
        self.detail_text.setText("\n".join(lines))
        rows = attendance(self._db, detail.id)
        self.attendance_model.set_rows(rows, data.starts_at)
        self.attendance_label.setText(self._attendance_text(len(rows), detail.first_timers))

    def _attendance_text(self, total: int, new: int) -> str:
        if total == 0:
            return self.tr("Atten&dance: nobody signed in yet")
        if new:
            return self.tr("Atten&dance: {count} signed in, {new} new").format(count=total, new=new)
        return self.tr("Atten&dance: {count} signed in").format(count=total)

    def update_actions(self) -> None:
        detail = self.detail
        chosen = detail is not None
        cancelled = detail is not None and detail.cancelled
        self.edit_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen)
        self.cancel_button.setVisible(not cancelled)
        self.cancel_button.setEnabled(chosen and not cancelled)
        self.restore_button.setVisible(cancelled)
        self.restore_button.setEnabled(cancelled)
        for button in (self.signin_button, self.paper_button):
            button.setEnabled(chosen and not cancelled)
        has_new = detail is not None and detail.first_timers > 0
        self.followups_button.setEnabled(has_new)
        self.ics_button.setEnabled(chosen)
        self.xlsx_button.setEnabled(chosen)
        self.print_sheet_button.setEnabled(chosen and not cancelled)
        self.print_flyer_button.setEnabled(chosen and not cancelled)

    # --- dialogs -----------------------------------------------------------------------

    def new_event(self) -> None:
        dialog = EventDialog(self._db, None, self)

        def saved() -> None:
            if dialog.saved is not None:
                self.show_message(self.tr("Added {title}.").format(title=dialog.saved.data.title))
                self.reload(select=dialog.saved.id)

        self.open_dialog(dialog, saved)

    def edit_selected(self) -> None:
        event_id = self.selected_event_id()
        if event_id is None:
            return
        try:
            dialog = EventDialog(self._db, event_id, self)
        except EventError as exc:
            self.show_failure(str(exc))
            self.reload()
            return

        def saved() -> None:
            if dialog.saved is not None:
                self.show_message(self.tr("Saved {title}.").format(title=dialog.saved.data.title))
                self.reload(select=dialog.saved.id)

        self.open_dialog(dialog, saved)

    def copy_selected(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = CopyEventDialog(detail, self)

        def copy() -> None:
            try:
                made = copy_event(self._db, detail.id, dialog.starts_at())
            except EventError as exc:
                self.show_failure(str(exc))
                return
            self.show_message(
                self.tr("Copied {title} to {when}.").format(
                    title=made.data.title, when=span_text(made.data.starts_at, made.data.ends_at)
                )
            )
            self.reload(select=made.id)

        self.open_dialog(dialog, copy)

    def cancel_selected(self) -> None:
        detail = self.detail
        if detail is None or detail.cancelled:
            return
        try:
            cancel_event(self._db, detail.id)
        except EventError as exc:
            self.show_failure(str(exc))
            return
        self.show_message(
            self.tr("Cancelled {title}. Its sign-ins are kept; Restore brings it back.").format(
                title=detail.data.title
            )
        )
        self.reload(select=detail.id)

    def restore_selected(self) -> None:
        detail = self.detail
        if detail is None or not detail.cancelled:
            return
        try:
            restore_event(self._db, detail.id)
        except EventError as exc:
            self.show_failure(str(exc))
            return
        self.show_message(self.tr("Restored {title}.").format(title=detail.data.title))
        self.reload(select=detail.id)

    def open_signin(self) -> None:
        detail = self.detail
        if detail is None or detail.cancelled:
            return
        # Loaded on first use: the sign-in service brings rapidfuzz, which start-up skips.
        from desktop_app.views.meeting_signin import MeetingSignInDialog

        dialog = MeetingSignInDialog(self._db, detail.id, self)
        dialog.finished.connect(lambda _result: self.reload(select=detail.id))
        self.open_dialog(dialog)

    def open_paper_entry(self) -> None:
        detail = self.detail
        if detail is None or detail.cancelled:
            return
        from desktop_app.views.paper_entry import PaperEntryDialog

        dialog = PaperEntryDialog(self._db, detail.id, self)
        dialog.finished.connect(lambda _result: self.reload(select=detail.id))
        self.open_dialog(dialog)

    def create_followups(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = CreateFollowUpsDialog(self._db, detail, self)

        def created() -> None:
            count = dialog.created or 0
            if count == 0:
                text = self.tr(
                    "No new follow-ups: everyone new here already has one, or may not be contacted."
                )
            elif count == 1:
                text = self.tr("Made 1 follow-up. It is on the Follow-ups page.")
            else:
                text = self.tr("Made {count} follow-ups. They are on the Follow-ups page.").format(
                    count=count
                )
            self.show_message(text)

        self.open_dialog(dialog, created)

    # --- exports -----------------------------------------------------------------------

    def print_document(self, kind: str) -> QDialog | None:
        """The sign-in sheet or flyer of the selected event: options, then the preview."""
        from desktop_app.views.print_dialogs import PrintContext, open_print_dialog

        event_id = self.selected_event_id()
        if event_id is None:
            return None
        return open_print_dialog(self.window(), kind, PrintContext(self._db, event_id))

    def export_ics(self) -> None:
        detail = self.detail
        if detail is None:
            return
        path = ask_export_path(
            self,
            self.tr("Export to calendar"),
            file_stem(detail),
            {".ics": self.tr("Calendar files (*.ics)")},
            EXPORT_FOLDER_KEY,
        )
        if path is None:
            return
        try:
            export_calendar(self._db, [detail.id], path)
        except (OSError, EventError) as exc:
            self.show_failure(
                self.tr("The calendar file was not written: {problem}").format(problem=exc)
            )
            return
        self.show_message(self.tr("Saved the calendar file {path}.").format(path=path))

    def export_xlsx(self) -> None:
        detail = self.detail
        if detail is None:
            return
        path = ask_export_path(
            self,
            self.tr("Export attendance"),
            self.tr("{name}-attendance").format(name=file_stem(detail)),
            {".xlsx": self.tr("Excel workbooks (*.xlsx)")},
            EXPORT_FOLDER_KEY,
        )
        if path is None:
            return
        try:
            export_attendance(self._db, detail.id, path)
        except (OSError, EventError) as exc:
            self.show_failure(
                self.tr("The workbook was not written: {problem}").format(problem=exc)
            )
            return
        self.show_message(self.tr("Saved the attendance workbook {path}.").format(path=path))


__all__ = ["EventsPage", "file_stem"]
