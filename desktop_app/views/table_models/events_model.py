"""Item models for the Events page: the list of events, and who came to one of them.

Both lists are small (a group holds a few meetings a month; a meeting has tens of
people), so each model holds its rows as plain service dataclasses and is reset
whenever the page reads them again. Everything shown is text exactly as stored;
tool tips that Qt would read as markup are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QObject,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.models import SignInSource
from desktop_app.services.events import (
    EVENT_KIND_LABELS,
    SOURCE_LABELS,
    AttendanceRow,
    EventRow,
)
from desktop_app.views.local_time import date_time_text, span_text, time_text, to_qdatetime
from desktop_app.views.table_models.roster_model import label_text, plain_text_tooltip
from desktop_app.views.table_models.row_list import RowListModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventsModel", text)


def _muted_brush() -> QBrush:
    """The palette's colour for text that matters less (cancelled events)."""
    palette = QApplication.palette()
    return QBrush(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))


def attendance_text(attendance: int, first_timers: int) -> str:
    """ "14 (3 new)", "14", or "" for nobody yet."""
    if not attendance:
        return ""
    if first_timers:
        return _tr("{count} ({new} new)").format(count=attendance, new=first_timers)
    return str(attendance)


class EventsTableModel(RowListModel[EventRow]):
    """Events as listed by services.events (upcoming or past), one per row."""

    WHEN = 0
    TITLE = 1
    KIND = 2
    PLACE = 3
    CAMPAIGN = 4
    ATTENDANCE = 5
    COLUMN_COUNT = 6

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("When"),
            _tr("Title"),
            _tr("Kind"),
            _tr("Place"),
            _tr("Campaign"),
            _tr("Came"),
        )
        super().__init__(headers, parent)

    def set_rows(self, rows: Sequence[EventRow]) -> None:
        self._replace_rows(rows)

    def text(self, event: EventRow, column: int) -> str:
        if column == self.WHEN:
            return span_text(event.starts_at, event.ends_at)
        if column == self.TITLE:
            # Said in words, not by the strike-through alone, for screen readers and print.
            if event.cancelled:
                return _tr("Cancelled: {title}").format(title=event.title)
            return event.title
        if column == self.KIND:
            return label_text(EVENT_KIND_LABELS[event.kind])
        if column == self.PLACE:
            return event.place
        if column == self.CAMPAIGN:
            return event.campaign_name
        if column == self.ATTENDANCE:
            return attendance_text(event.attendance, event.first_timers)
        return ""

    def role_data(self, event: EventRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            if event.cancelled:
                return _tr("Cancelled. Restore brings it back; its sign-ins are kept.")
            if column in (self.TITLE, self.PLACE):
                return plain_text_tooltip(self.text(event, column))
            return None
        if role == Qt.ItemDataRole.FontRole and event.cancelled:
            font = QFont()
            font.setStrikeOut(column != self.TITLE)
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and event.cancelled:
            return _muted_brush()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.ATTENDANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def source_text(source: SignInSource) -> str:
    """How a person came to be on the attendance list, in words."""
    return label_text(SOURCE_LABELS.get(source, str(source)))


class AttendanceTableModel(RowListModel[AttendanceRow]):
    """Who signed in at one event, first-timers marked "new"."""

    NAME = 0
    NEW = 1
    SOURCE = 2
    TIME = 3
    COLUMN_COUNT = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((_tr("Name"), _tr("First time"), _tr("How"), _tr("Signed in")), parent)
        self._event_day: QDate | None = None

    def set_rows(self, rows: Sequence[AttendanceRow], event_starts: datetime | None = None) -> None:
        """The people, and when the event began: a sign-in on its day shows the time only."""
        self._event_day = to_qdatetime(event_starts).date() if event_starts else None
        self._replace_rows(rows)

    def _time_text(self, signed_in_at: datetime) -> str:
        if self._event_day is not None and to_qdatetime(signed_in_at).date() == self._event_day:
            return time_text(signed_in_at)
        return date_time_text(signed_in_at)

    def first_timers(self) -> int:
        return sum(1 for row in self._rows if row.first_time)

    def row_id(self, row: AttendanceRow) -> int:
        return row.person_id

    def text(self, person: AttendanceRow, column: int) -> str:
        if column == self.NAME:
            return person.display_name or person.email or person.phone or "…"
        if column == self.NEW:
            return _tr("new") if person.first_time else ""
        if column == self.SOURCE:
            return source_text(person.source)
        if column == self.TIME:
            return self._time_text(person.signed_in_at)
        return ""

    def role_data(self, person: AttendanceRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column == self.NEW and person.first_time:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return plain_text_tooltip(person.display_name)
        return None


__all__ = ["AttendanceTableModel", "EventsTableModel", "attendance_text", "source_text"]
