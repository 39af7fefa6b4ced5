"""The event dialog (new or edit), and the small dialog that asks a copy's new date.

Times are edited in local time and handed to services.events as aware datetimes.
The dialog saves through the events service itself: an event change is not an undo
step (a cancelled event is brought back with Restore, not with Ctrl+Z). When the
service refuses, its words (EventError: "Title: please give the event a title.")
show next to the field they name, and the dialog stays open with everything typed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import EventKind
from desktop_app.services.events import (
    EVENT_KIND_LABELS,
    MAX_EXPECTED_ATTENDANCE,
    MAX_PLACE_LENGTH,
    MAX_TITLE_LENGTH,
    EventDetail,
    EventError,
    EventInput,
    campaign_choices,
    check_event,
    create_event,
    get_event,
    update_event,
)
from desktop_app.services.group import get_profile
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import EDIT_DATE_TIME_FORMAT, from_qdatetime, to_qdatetime
from desktop_app.views.table_models.roster_model import label_text

DEFAULT_START = QTime(19, 0)  # groups mostly meet in the evening
DEFAULT_LENGTH = timedelta(hours=2)


def default_start(now: QDateTime | None = None) -> QDateTime:
    """Tonight at seven, or tomorrow evening once tonight's has begun."""
    now = now or QDateTime.currentDateTime()
    start = QDateTime(now.date(), DEFAULT_START)
    return start if start > now else QDateTime(now.date().addDays(1), DEFAULT_START)


def _date_time_edit(parent: QWidget, accessible: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(EDIT_DATE_TIME_FORMAT)
    edit.setAccessibleName(accessible)
    return edit


class EventDialog(BaseDialog):
    """Create an event (event_id None) or change one; ``saved`` holds the result after OK."""

    def __init__(
        self, db: Database, event_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._event_id = event_id
        self._detail: EventDetail | None = get_event(db, event_id) if event_id else None
        self.saved: EventDetail | None = None
        self._length = DEFAULT_LENGTH
        self.setWindowTitle(
            self.tr("New event")
            if self._detail is None
            else self.tr("Edit {title}").format(title=self._detail.data.title)
        )
        self._build()
        self._load()
        self.starts.dateTimeChanged.connect(self._on_start_changed)
        self.ends.dateTimeChanged.connect(self._on_end_changed)
        self.has_end.toggled.connect(self.ends.setEnabled)
        self.title_edit.setFocus()

    def event_id(self) -> int | None:
        return self._event_id

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Kind of event"))
        for kind in EventKind:
            self.kind.addItem(label_text(EVENT_KIND_LABELS[kind]), kind)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(MAX_TITLE_LENGTH)
        self.title_edit.setAccessibleName(self.tr("Title"))
        self.title_edit.setPlaceholderText(self.tr("For example: Monthly meeting"))
        self.title_error = self.make_error_label(self)
        self.starts = _date_time_edit(self, self.tr("Starts"))
        self.starts_error = self.make_error_label(self)
        self.has_end = QCheckBox(self.tr("at"), self)
        self.has_end.setToolTip(self.tr("Untick if the end time is not known."))
        self.ends = _date_time_edit(self, self.tr("Ends"))
        self.ends_error = self.make_error_label(self)
        self.place = QLineEdit(self)
        self.place.setMaxLength(MAX_PLACE_LENGTH)
        self.place.setAccessibleName(self.tr("Place"))
        self.place_error = self.make_error_label(self)
        self.campaign = QComboBox(self)
        self.campaign.setAccessibleName(self.tr("Campaign"))
        self.campaign.addItem(self.tr("No campaign"), None)
        for choice in campaign_choices(self._db):
            self.campaign.addItem(choice.name, choice.id)
        self.campaign_error = self.make_error_label(self)
        self.expected = QSpinBox(self)
        self.expected.setRange(0, MAX_EXPECTED_ATTENDANCE)
        # Nought stands for "not given": an event expected to draw nobody is not planned.
        self.expected.setSpecialValueText(self.tr("not given"))
        self.expected.setAccessibleName(self.tr("Expected attendance"))
        self.expected_error = self.make_error_label(self)
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName(self.tr("Description"))
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(
            self.tr("What it is about; this goes into the calendar entry too.")
        )
        self.save_error = self.make_error_label(self)

        ends_row = QHBoxLayout()
        ends_row.addWidget(self.has_end)
        ends_row.addWidget(self.ends, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Title:"), self.title_edit)
        form.addRow("", self.title_error)
        form.addRow(self.tr("&Starts:"), self.starts)
        form.addRow("", self.starts_error)
        ends_label = QLabel(self.tr("&Ends:"), self)
        ends_label.setBuddy(self.has_end)
        form.addRow(ends_label, ends_row)
        form.addRow("", self.ends_error)
        form.addRow(self.tr("&Place:"), self.place)
        form.addRow("", self.place_error)
        form.addRow(self.tr("Ca&mpaign:"), self.campaign)
        form.addRow("", self.campaign_error)
        form.addRow(self.tr("E&xpected attendance:"), self.expected)
        form.addRow("", self.expected_error)
        form.addRow(self.tr("&Description:"), self.description)

        box = self.make_button_box(
            ok_text=self.tr("Save") if self._detail else self.tr("Add event")
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.save_error)
        layout.addWidget(box)
        self.resize(560, 520)

        # Errors name their field by the words before the colon (services.events).
        self._error_labels: dict[str, QLabel] = {
            "Title": self.title_error,
            "Starts": self.starts_error,
            "Ends": self.ends_error,
            "Place": self.place_error,
            "Campaign": self.campaign_error,
            "Expected attendance": self.expected_error,
        }
        self._fields: dict[str, QWidget] = {
            "Title": self.title_edit,
            "Starts": self.starts,
            "Ends": self.ends,
            "Place": self.place,
            "Campaign": self.campaign,
            "Expected attendance": self.expected,
            "Kind": self.kind,
        }

    def _load(self) -> None:
        if self._detail is None:
            profile = get_profile(self._db)
            start = default_start()
            self.starts.setDateTime(start)
            self.has_end.setChecked(True)
            self.ends.setDateTime(start.addSecs(int(DEFAULT_LENGTH.total_seconds())))
            self.place.setText(profile.meeting_place if profile else "")
            return
        data = self._detail.data
        self.kind.setCurrentIndex(max(self.kind.findData(data.kind), 0))
        self.title_edit.setText(data.title)
        self.title_edit.setCursorPosition(0)
        self.starts.setDateTime(to_qdatetime(data.starts_at))
        self.has_end.setChecked(data.ends_at is not None)
        self.ends.setEnabled(data.ends_at is not None)
        if data.ends_at is not None:
            self.ends.setDateTime(to_qdatetime(data.ends_at))
            self._length = data.ends_at - data.starts_at
        else:
            self.ends.setDateTime(to_qdatetime(data.starts_at + DEFAULT_LENGTH))
        self.place.setText(data.place)
        self.place.setCursorPosition(0)
        index = self.campaign.findData(data.campaign_id)
        if index < 0 and data.campaign_id is not None:
            # Not among the choices (it should be); kept so saving changes nothing.
            self.campaign.addItem(self._detail.campaign_name or "…", data.campaign_id)
            index = self.campaign.count() - 1
        self.campaign.setCurrentIndex(max(index, 0))
        self.expected.setValue(data.expected_attendance or 0)
        self.description.setPlainText(data.description)

    # --- keeping the end with the start ------------------------------------------------

    def _on_start_changed(self, start: QDateTime) -> None:
        # Moving the start moves the end with it: the event keeps its length.
        if self.has_end.isChecked():
            self.ends.blockSignals(True)
            self.ends.setDateTime(start.addSecs(int(self._length.total_seconds())))
            self.ends.blockSignals(False)

    def _on_end_changed(self, end: QDateTime) -> None:
        length = timedelta(seconds=self.starts.dateTime().secsTo(end))
        if length > timedelta(0):
            self._length = length

    # --- reading and saving ------------------------------------------------------------

    def event_input(self) -> EventInput:
        """What the dialog holds, times as aware datetimes."""
        expected = self.expected.value()
        return EventInput(
            title=self.title_edit.text(),
            starts_at=from_qdatetime(self.starts.dateTime()),
            ends_at=from_qdatetime(self.ends.dateTime()) if self.has_end.isChecked() else None,
            kind=self.kind.currentData(),
            place=self.place.text(),
            campaign_id=self.campaign.currentData(),
            description=self.description.toPlainText(),
            expected_attendance=expected or None,
        )

    def _clear_errors(self) -> None:
        for label in (*self._error_labels.values(), self.save_error):
            self.show_field_error(label, "")

    def show_error(self, message: str) -> None:
        """Show a service's message next to the field it names (else under the form)."""
        field, _colon, words = message.partition(": ")
        label = self._error_labels.get(field)
        if label is None:
            self.show_field_error(self.save_error, message)
        else:
            self.show_field_error(label, words)
        widget = self._fields.get(field)
        if widget is not None:
            widget.setFocus()

    def validate(self) -> bool:
        self._clear_errors()
        try:
            check_event(self.event_input())
        except EventError as exc:
            self.show_error(str(exc))
            return False
        return True

    def apply(self) -> bool:
        data = self.event_input()
        try:
            if self._event_id is None:
                self.saved = create_event(self._db, data)
                self._event_id = self.saved.id
            else:
                self.saved = update_event(self._db, self._event_id, data)
        except EventError as exc:
            self.show_error(str(exc))
            return False
        return True


class CopyEventDialog(BaseDialog):
    """Asks when the copy of an event takes place; ``starts_at()`` after OK."""

    def __init__(self, detail: EventDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Copy {title}").format(title=detail.data.title))
        intro = QLabel(
            self.tr("A new event with the same details. Who came to the original is not copied."),
            self,
        )
        intro.setWordWrap(True)
        self.starts = _date_time_edit(self, self.tr("New start"))
        self.starts.setDateTime(self.suggested_start(detail.data.starts_at))
        form = QFormLayout()
        form.addRow(self.tr("&Starts:"), self.starts)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.make_button_box(ok_text=self.tr("Make the copy")))
        self.starts.setFocus()

    @staticmethod
    def suggested_start(original: datetime) -> QDateTime:
        """The same weekday and time, in the first week that is still to come."""
        start = to_qdatetime(original)
        now = QDateTime.currentDateTime()
        start = start.addDays(7)
        while start <= now:
            start = start.addDays(7)
        return start

    def starts_at(self) -> datetime:
        return from_qdatetime(self.starts.dateTime())


__all__ = ["CopyEventDialog", "EventDialog", "default_start"]
