"""The Follow-ups page: who gets back to each new person, by when, and how it went.

Tasks are made on the Events page ("Create follow-ups for new people"); here the
coordinator sees them open, due today, overdue, done or all, gives them to a member,
moves the due date, changes the kind, marks them done with the outcome in words, and
reopens one marked done by mistake. Every action applies to all selected tasks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QActionGroup, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QPushButton,
    QTabBar,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import FollowUpKind
from desktop_app.services.followups import (
    FOLLOWUP_KIND_LABELS,
    FollowUpError,
    FollowUpRow,
    FollowUpState,
    assign,
    complete,
    list_followups,
    reopen,
    set_due,
    set_kind,
)
from desktop_app.views.followup_dialogs import AssignDialog, DueDateDialog, OutcomeDialog
from desktop_app.views.list_tables import ListTableView, size_columns
from desktop_app.views.local_time import local_today
from desktop_app.views.pages import Page, control_row
from desktop_app.views.table_models.followups_model import FollowUpsTableModel
from desktop_app.views.table_models.roster_model import label_text

STATE_TABS: tuple[FollowUpState, ...] = ("open", "due", "overdue", "done", "all")


class FollowUpsPage(Page):
    """Follow-up tasks by state, with assign, due date, kind, done and reopen."""

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followups")
        self._db = db
        self.model = FollowUpsTableModel(self)
        self._build()
        self._connect()
        # Page.showEvent calls reload() when the page is first shown.

    # --- the Page contract -------------------------------------------------------------

    def page_title(self) -> str:
        return self.tr("Follow-ups")

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabBar(self)
        for text in (
            self.tr("&Open"),
            self.tr("&Due today"),
            self.tr("O&verdue"),
            self.tr("Do&ne"),
            self.tr("&All"),
        ):
            self.tabs.addTab(text)
        self.tabs.setAccessibleName(self.tr("Which follow-ups to show"))
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        self.table = ListTableView(self.model, self.tr("Follow-ups"), self, many=True)
        self.focus_after_dialog = self.table
        # Person, event, assigned to, due, kind and state; the outcome takes the rest.
        size_columns(self.table, (170, 170, 140, 135, 110, 150))

        self.assign_button = QPushButton(self.tr("Assi&gn…"), self)
        self.assign_button.setToolTip(self.tr("Give the selected follow-ups to a member"))
        self.due_button = QPushButton(self.tr("Set d&ue date…"), self)
        self.kind_button = QPushButton(self.tr("&Kind"), self)
        self.kind_button.setToolTip(self.tr("A call, a coffee, a one-to-one or a welcome email"))
        self.kind_menu = QMenu(self.kind_button)
        self.kind_actions = QActionGroup(self)
        for kind in FollowUpKind:
            action = QAction(label_text(FOLLOWUP_KIND_LABELS[kind]), self.kind_menu)
            action.setCheckable(True)
            action.setData(kind)
            action.triggered.connect(lambda _checked=False, k=kind: self.change_kind(k))
            self.kind_actions.addAction(action)
            self.kind_menu.addAction(action)
        self.kind_button.setMenu(self.kind_menu)
        self.done_button = QPushButton(self.tr("&Mark done…"), self)
        self.done_button.setToolTip(self.tr("Record how it went (Enter)"))
        self.reopen_button = QPushButton(self.tr("&Reopen"), self)
        self.reopen_button.setToolTip(self.tr("It is not done after all; the outcome is kept"))
        self.message = self.make_message_label()

        self.lay_out_page(
            [
                control_row(self.tabs, None, self.count_label),
                control_row(
                    self.assign_button,
                    self.due_button,
                    self.kind_button,
                    self.done_button,
                    self.reopen_button,
                    None,
                ),
            ],
            self.table,
        )

        order: list[QWidget] = [
            self.tabs,
            self.assign_button,
            self.due_button,
            self.kind_button,
            self.done_button,
            self.reopen_button,
            self.table,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(lambda _index: self.reload())
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.openRequested.connect(self.mark_done)  # Enter, a double click
        self.assign_button.clicked.connect(self.assign_selected)
        self.due_button.clicked.connect(self.set_due_selected)
        self.done_button.clicked.connect(self.mark_done)
        self.reopen_button.clicked.connect(self.reopen_selected)

    # --- reading -----------------------------------------------------------------------

    def state(self) -> FollowUpState:
        return STATE_TABS[max(self.tabs.currentIndex(), 0)]

    def set_state(self, state: FollowUpState) -> None:
        self.tabs.setCurrentIndex(STATE_TABS.index(state))

    def reload(self, select: Sequence[int] = ()) -> None:
        wanted = list(select) or self.selected_ids()
        today = local_today()
        self.model.set_rows(list_followups(self._db, self.state(), today), today)
        due = len(list_followups(self._db, "due", today))
        overdue = len(list_followups(self._db, "overdue", today))
        self.tabs.setTabText(1, self.tr("&Due today ({count})").format(count=due))
        self.tabs.setTabText(2, self.tr("O&verdue ({count})").format(count=overdue))
        count = self.model.rowCount()
        self.count_label.setText(
            self.tr("1 follow-up")
            if count == 1
            else self.tr("{count} follow-ups").format(count=count)
        )
        self._select(wanted)
        self._update_actions()

    def _select(self, followup_ids: Sequence[int]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        rows = [row for row in (self.model.row_of(i) for i in followup_ids) if row >= 0]
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        model = self.table.selectionModel()
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            model.setCurrentIndex(
                self.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def selected_rows(self) -> list[FollowUpRow]:
        selection = self.table.selectionModel()
        if selection is None:
            return []
        found = (self.model.row_at(index.row()) for index in selection.selectedRows())
        return sorted((row for row in found if row is not None), key=lambda r: r.id)

    def selected_ids(self) -> list[int]:
        return [row.id for row in self.selected_rows()]

    def select_ids(self, followup_ids: Sequence[int]) -> None:
        self._select(followup_ids)
        self._update_actions()

    def _update_actions(self) -> None:
        rows = self.selected_rows()
        any_open = any(row.done_at is None for row in rows)
        any_done = any(row.done_at is not None for row in rows)
        for button in (self.assign_button, self.due_button, self.kind_button):
            button.setEnabled(bool(rows))
        self.done_button.setEnabled(any_open or len(rows) == 1)
        self.reopen_button.setEnabled(any_done)
        kinds = {row.kind for row in rows}
        for action in self.kind_actions.actions():
            action.setChecked(len(kinds) == 1 and action.data() in kinds)

    # --- changing ----------------------------------------------------------------------

    def _apply(self, rows: Sequence[FollowUpRow], change: Callable[[int], object]) -> int:
        """Run a service change on each task; report refusals; returns how many worked."""
        done, problems = 0, []
        for row in rows:
            try:
                change(row.id)
            except FollowUpError as exc:
                problems.append(f"{row.person_name}: {exc}")
            else:
                done += 1
        self.reload(select=[row.id for row in rows])
        if problems:
            self.show_message("\n".join(problems))
        return done

    def assign_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        dialog = AssignDialog(self._db, len(rows), self)

        def chosen() -> None:
            person_id = dialog.person_id()
            count = self._apply(rows, lambda i: assign(self._db, i, person_id))
            if count:
                name = dialog.assignee.line_edit.text() if person_id else self.tr("nobody")
                self.show_message(
                    self.tr("Assigned {count} to {name}.").format(count=count, name=name)
                )

        self.open_dialog(dialog, chosen)

    def set_due_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        dialog = DueDateDialog(rows[0].due_on, self)

        def chosen() -> None:
            due = dialog.due_on()
            self._apply(rows, lambda i: set_due(self._db, i, due))
            self.show_message(self.tr("Due date changed."))

        self.open_dialog(dialog, chosen)

    def change_kind(self, kind: FollowUpKind) -> None:
        rows = self.selected_rows()
        if rows:
            self._apply(rows, lambda i: set_kind(self._db, i, kind))

    def mark_done(self) -> None:
        rows = self.selected_rows()
        open_rows = [row for row in rows if row.done_at is None]
        # A single done task can be opened again to change its outcome.
        targets = open_rows or (rows if len(rows) == 1 else [])
        if not targets:
            return
        who = (
            targets[0].person_name
            if len(targets) == 1
            else self.tr("{count} people").format(count=len(targets))
        )
        dialog = OutcomeDialog(who, targets[0].outcome if len(targets) == 1 else "", self)

        def recorded() -> None:
            outcome = dialog.text()
            count = self._apply(targets, lambda i: complete(self._db, i, outcome))
            if count:
                self.show_message(
                    self.tr("Marked done: {who}. Reopen brings it back.").format(who=who)
                )

        self.open_dialog(dialog, recorded)

    def reopen_selected(self) -> None:
        rows = [row for row in self.selected_rows() if row.done_at is not None]
        if rows:
            count = self._apply(rows, lambda i: reopen(self._db, i))
            if count:
                self.show_message(self.tr("Reopened {count}.").format(count=count))


__all__ = ["STATE_TABS", "FollowUpsPage"]
