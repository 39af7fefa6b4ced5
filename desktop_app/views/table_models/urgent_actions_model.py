"""The Urgent Actions table: one case per row, its deadline in words and its letters.

A group has a few dozen cases, so the model holds the rows services.urgent_actions
lists (open first, soonest deadline first) and is reset when the page reads them
again. A passed deadline of an open case is said in words ("12 Jun 2026 (passed)")
and shown in bold red, so it does not rest on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QFont

from desktop_app.models import UrgentActionStatus
from desktop_app.services.urgent_actions import UrgentActionRow
from desktop_app.views.local_time import date_text, local_today
from desktop_app.views.table_models.followups_model import overdue_brush
from desktop_app.views.table_models.roster_model import plain_text_tooltip
from desktop_app.views.table_models.row_list import RowListModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("UrgentActionsModel", text)


def deadline_text(row: UrgentActionRow, today: date) -> str:
    """ "Fri 12 Jun 2026", with "today", "passed" or "in 3 days" for an open case."""
    if row.deadline is None:
        return _tr("no deadline")
    text = date_text(row.deadline)
    if row.status != UrgentActionStatus.OPEN:
        return text
    days = (row.deadline - today).days
    if days < 0:
        return _tr("{date} (passed)").format(date=text)
    if days == 0:
        return _tr("{date} (today)").format(date=text)
    if days <= 14:
        return _tr("{date} (in {days} days)").format(date=text, days=days)
    return text


def status_text(status: UrgentActionStatus) -> str:
    return _tr("Open") if status == UrgentActionStatus.OPEN else _tr("Closed")


class UrgentActionsTableModel(RowListModel[UrgentActionRow]):
    """Urgent action cases as services.urgent_actions lists them."""

    NUMBER = 0
    TITLE = 1
    COUNTRY = 2
    DEADLINE = 3
    STATUS = 4
    OFFICIALS = 5
    LETTERS = 6
    COLUMN_COUNT = 7

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("Number"),
            _tr("Title"),
            _tr("Country"),
            _tr("Deadline"),
            _tr("Status"),
            _tr("Officials"),
            _tr("Letters"),
        )
        super().__init__(headers, parent)
        self._today = local_today()

    def set_rows(self, rows: Sequence[UrgentActionRow], today: date | None = None) -> None:
        self._today = today or local_today()
        self._replace_rows(rows)

    def _late(self, row: UrgentActionRow) -> bool:
        return (
            row.status == UrgentActionStatus.OPEN
            and row.deadline is not None
            and row.deadline < self._today
        )

    def text(self, row: UrgentActionRow, column: int) -> str:
        if column == self.NUMBER:
            return row.number
        if column == self.TITLE:
            return " ".join(row.title.split())
        if column == self.COUNTRY:
            return row.country
        if column == self.DEADLINE:
            return deadline_text(row, self._today)
        if column == self.STATUS:
            return status_text(row.status)
        if column == self.OFFICIALS:
            return str(row.officials)
        if column == self.LETTERS:
            return str(row.letters_written)
        return ""

    def role_data(self, row: UrgentActionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.TITLE, self.COUNTRY):
            text = row.title if column == self.TITLE else row.country
            if column == self.TITLE and row.persons_at_risk:
                text += "\n" + _tr("At risk: {who}").format(who=row.persons_at_risk)
            return plain_text_tooltip(text)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.LETTERS:
            return _tr("{count} letters written on this case").format(count=row.letters_written)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.OFFICIALS and row.copies:
            return _tr("{count} representative(s) get a copy").format(count=row.copies)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.OFFICIALS, self.LETTERS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        late = self._late(row)
        if role == Qt.ItemDataRole.ForegroundRole and late and column == self.DEADLINE:
            return overdue_brush()
        if role == Qt.ItemDataRole.FontRole and late and column == self.DEADLINE:
            font = QFont()
            font.setBold(True)
            return font
        return None


__all__ = ["UrgentActionsTableModel", "deadline_text", "status_text"]
