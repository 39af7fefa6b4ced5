"""The Follow-ups table: one follow-up task per row, overdue ones marked.

A group has tens of open follow-ups, not thousands, so the model holds the service's
rows as they are and is reset when the page reads them again. Overdue is said in
words in the State column and shown in bold red, so it does not rest on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.services.followups import FOLLOWUP_KIND_LABELS, FollowUpRow
from desktop_app.views.local_time import date_text, local_today, to_qdatetime
from desktop_app.views.table_models.roster_model import label_text, plain_text_tooltip
from desktop_app.views.table_models.row_list import RowListModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("FollowUpsModel", text)


def overdue_brush() -> QBrush:
    """A red that stays readable on light and dark window colours (as field errors)."""
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return QBrush(QColor("#ff8a80" if dark else "#b3261e"))


def state_text(row: FollowUpRow, today: date) -> str:
    """Where a task stands, in words: "Overdue by 3 days", "Due today", "Done on …"."""
    state = row.state(today)
    if state == "done":
        if row.done_at is None:
            return _tr("Done")
        done_on = to_qdatetime(row.done_at).date()
        return _tr("Done on {date}").format(
            date=date_text(date(done_on.year(), done_on.month(), done_on.day()))
        )
    if state == "overdue" and row.due_on is not None:
        days = (today - row.due_on).days
        if days == 1:
            return _tr("Overdue by 1 day")
        return _tr("Overdue by {days} days").format(days=days)
    if state == "due":
        return _tr("Due today")
    return _tr("Open")


class FollowUpsTableModel(RowListModel[FollowUpRow]):
    """Follow-up tasks as services.followups lists them."""

    PERSON = 0
    EVENT = 1
    ASSIGNED = 2
    DUE = 3
    KIND = 4
    STATE = 5
    OUTCOME = 6
    COLUMN_COUNT = 7

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("Person"),
            _tr("Event"),
            _tr("Assigned to"),
            _tr("Due"),
            _tr("Kind"),
            _tr("State"),
            _tr("Outcome"),
        )
        super().__init__(headers, parent)
        self._today = local_today()

    def set_rows(self, rows: Sequence[FollowUpRow], today: date) -> None:
        self._today = today
        self._replace_rows(rows)

    def text(self, task: FollowUpRow, column: int) -> str:
        if column == self.PERSON:
            return task.person_name or "…"
        if column == self.EVENT:
            return task.event_title
        if column == self.ASSIGNED:
            return task.assigned_to_name or _tr("nobody yet")
        if column == self.DUE:
            return date_text(task.due_on)
        if column == self.KIND:
            return label_text(FOLLOWUP_KIND_LABELS[task.kind])
        if column == self.STATE:
            return state_text(task, self._today)
        if column == self.OUTCOME:
            # One line in the table; the whole text is in the tool tip.
            return " ".join(task.outcome.split())
        return ""

    def role_data(self, task: FollowUpRow, column: int, role: int) -> Any:
        overdue = task.state(self._today) == "overdue"
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.PERSON, self.EVENT):
            return plain_text_tooltip(self.text(task, column))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.OUTCOME:
            return plain_text_tooltip(task.outcome)
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return overdue_brush()
        if role == Qt.ItemDataRole.FontRole and overdue and column in (self.DUE, self.STATE):
            font = QFont()
            font.setBold(True)
            return font
        return None


__all__ = ["FollowUpsTableModel", "overdue_brush", "state_text"]
