"""Small dialogs for follow-ups: make them after an event, assign, set a due date, and
record the outcome when one is done.

Only CreateFollowUpsDialog saves by itself (one service call for the whole event);
the others ask for one value and the Follow-ups page applies it to every selected
task, so the same dialog serves one task or ten.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import FollowUpKind
from desktop_app.services.events import EventDetail
from desktop_app.services.followups import (
    DEFAULT_DUE_DAYS,
    FOLLOWUP_KIND_LABELS,
    MAX_DUE_DAYS,
    FollowUpError,
    create_followups_for_new_people,
)
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import date_text, local_today
from desktop_app.views.person_dialog import OptionalDateEdit, PersonPicker
from desktop_app.views.table_models.roster_model import label_text


def kind_combo(parent: QWidget, selected: FollowUpKind = FollowUpKind.CALL) -> QComboBox:
    """A menu of the kinds of follow-up (call, coffee, one-to-one, welcome email)."""
    combo = QComboBox(parent)
    for kind in FollowUpKind:
        combo.addItem(label_text(FOLLOWUP_KIND_LABELS[kind]), kind)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


class CreateFollowUpsDialog(BaseDialog):
    """One follow-up task for each first-timer at an event; ``created`` counts them."""

    def __init__(self, db: Database, event: EventDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._event = event
        self.created: int | None = None
        self.setWindowTitle(self.tr("Follow-ups for {title}").format(title=event.data.title))
        intro = QLabel(
            self.tr(
                "A follow-up task for each person who came for the first time ({count} at "
                "this event). People who asked not to be contacted, or who already have an "
                "open follow-up, are left out."
            ).format(count=event.first_timers),
            self,
        )
        intro.setWordWrap(True)
        self.assignee = PersonPicker(db, parent=self)
        self.assignee.line_edit.setAccessibleName(self.tr("Assign to"))
        self.assignee.line_edit.setPlaceholderText(
            self.tr("Type part of a member's name; empty: nobody yet")
        )
        self.kind = kind_combo(self)
        self.kind.setAccessibleName(self.tr("Kind of follow-up"))
        self.due_days = QSpinBox(self)
        self.due_days.setRange(0, MAX_DUE_DAYS)
        self.due_days.setValue(DEFAULT_DUE_DAYS)
        self.due_days.setSuffix(self.tr(" days"))
        self.due_days.setAccessibleName(self.tr("Due in how many days"))
        self.due_date = QLabel(self)
        self.due_date.setTextFormat(Qt.TextFormat.PlainText)
        self.due_days.valueChanged.connect(self._show_due_date)
        self.error = self.make_error_label(self)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_days)
        due_row.addWidget(self.due_date, 1)
        form = QFormLayout()
        form.addRow(self.tr("&Assign to:"), self.assignee)
        form.addRow(self.tr("&Kind:"), self.kind)
        due_label = QLabel(self.tr("&Due in:"), self)
        due_label.setBuddy(self.due_days)
        form.addRow(due_label, due_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.make_button_box(ok_text=self.tr("Create follow-ups")))
        self._show_due_date()
        self.resize(520, 260)
        self.assignee.setFocus()

    def _show_due_date(self) -> None:
        due = local_today() + timedelta(days=self.due_days.value())
        self.due_date.setText(self.tr("on {date}").format(date=date_text(due)))

    def apply(self) -> bool:
        try:
            self.created = create_followups_for_new_people(
                self._db,
                self._event.id,
                assigned_to_id=self.assignee.person_id(),
                due_days=self.due_days.value(),
                kind=self.kind.currentData(),
                today=local_today(),
            )
        except FollowUpError as exc:
            self.show_field_error(self.error, str(exc))
            return False
        return True


class AssignDialog(BaseDialog):
    """Pick the member who follows up; empty means nobody."""

    def __init__(self, db: Database, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Assign a follow-up")
            if count == 1
            else self.tr("Assign {count} follow-ups").format(count=count)
        )
        self.assignee = PersonPicker(db, parent=self)
        self.assignee.line_edit.setAccessibleName(self.tr("Assign to"))
        self.assignee.line_edit.setPlaceholderText(self.tr("Type part of a member's name"))
        note = QLabel(self.tr("Leave it empty to assign nobody."), self)
        form = QFormLayout()
        form.addRow(self.tr("&Assign to:"), self.assignee)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.make_button_box())
        self.resize(460, 140)
        self.assignee.setFocus()

    def person_id(self) -> int | None:
        return self.assignee.person_id()


class DueDateDialog(BaseDialog):
    """A new due date, or none."""

    def __init__(self, due_on: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Due date"))
        self.due = OptionalDateEdit(self.tr("&Due by"), self)
        # Opened to set a date, so one is ticked and shown even when there was none.
        self.due.set_value(due_on or local_today())
        layout = QVBoxLayout(self)
        layout.addWidget(self.due)
        layout.addWidget(QLabel(self.tr("Untick for no due date."), self))
        layout.addWidget(self.make_button_box())
        self.due.edit.setFocus()

    def due_on(self) -> date | None:
        return self.due.value()


class OutcomeDialog(BaseDialog):
    """How the follow-up went, in words; it is what marking it done records."""

    def __init__(self, who: str, outcome: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mark done: {who}").format(who=who))
        label = QLabel(self.tr("&How did it go? What was agreed?"), self)
        self.outcome = QPlainTextEdit(self)
        self.outcome.setTabChangesFocus(True)
        self.outcome.setAccessibleName(self.tr("Outcome"))
        self.outcome.setPlaceholderText(
            self.tr("For example: Called; she wants to help at the next tabling.")
        )
        self.outcome.setPlainText(outcome)
        label.setBuddy(self.outcome)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.outcome, 1)
        layout.addWidget(self.make_button_box(ok_text=self.tr("Mark done")))
        self.outcome.textChanged.connect(self.refresh_ok_button)
        self.resize(480, 260)
        self.outcome.setFocus()

    def is_complete(self) -> bool:
        return bool(self.outcome.toPlainText().strip())

    def text(self) -> str:
        return self.outcome.toPlainText().strip()


__all__ = [
    "AssignDialog",
    "CreateFollowUpsDialog",
    "DueDateDialog",
    "OutcomeDialog",
    "kind_combo",
]
