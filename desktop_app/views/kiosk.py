"""The sign-up kiosk: a locked, full-screen form for strangers at a street-fair table.

What it promises the people at the table:

- **Nobody sees anyone else's data.** The form shows only what the group configured
  (its name, the event, the interests and the consent sentence). Nothing is ever read
  back from the roster: a returning person is linked silently by the service, and the
  screen says the same "thank you" to everyone. There is no autocomplete, no list, no
  undo history left in a field, and the clipboard is emptied with the form, so the
  next person cannot bring the last one's text back with Ctrl+Z or a paste.
- **Nothing they see as saved is lost.** ``save_kiosk_signup`` commits durably before
  it returns; only then does the thank-you appear. If saving fails the form says so
  and keeps what was typed.
- **Only a volunteer leaves.** Esc, Alt+F4 and the window manager's close are refused;
  leaving needs the group's PIN (``check_kiosk_pin``). The kiosk stays on top and the
  main window is hidden meanwhile.

Enter moves to the next field and, on the last one, signs up. A form left alone for
``IDLE_CLEAR_MS`` empties itself, so a half-typed sign-up does not wait for the next
person to read it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import EventKind
from desktop_app.services.events import (
    EVENT_KIND_LABELS,
    EventError,
    EventInput,
    EventRow,
    create_event,
    list_upcoming,
)
from desktop_app.services.group import check_kiosk_pin, get_profile
from desktop_app.services.signin import (
    KioskSettings,
    KioskSignup,
    SaveFailed,
    SignInError,
    close_kiosk,
    prepare_kiosk,
    save_kiosk_signup,
)
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import date_time_text
from desktop_app.views.table_models.roster_model import label_text

log = logging.getLogger(__name__)

IDLE_CLEAR_MS = 60_000  # a form nobody touches for a minute empties itself
THANK_YOU_MS = 2_000  # how long "Thank you" stays before the empty form comes back
# Longer than any field the service takes (at most 500 characters), so the service's
# own message ("at most 200 characters") is what a too-long text gets, not a silent cut.
FIELD_MAX_LENGTH = 1_000
PIN_MAX_LENGTH = 12

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.InputMethod,
    }
)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


# --- starting: pick the event ---------------------------------------------------------------


class KioskStartDialog(BaseDialog):
    """Choose the event the kiosk takes sign-ups for, or start a tabling event now.

    Upcoming events are offered, tabling events first chosen; with none, a new tabling
    event today is the choice, with a title to give it.
    """

    NEW_EVENT = -1

    def __init__(self, db: Database, parent: QWidget | None = None, *, now: datetime) -> None:
        super().__init__(parent)
        self._db = db
        self._now = now
        self._chosen_id: int | None = None
        self.setWindowTitle(self.tr("Start the sign-up kiosk"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The kiosk fills the screen with a short sign-up form for people at your "
                "table. Nobody can see the roster from it, and leaving it needs the "
                "group's kiosk PIN."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("kioskEventChoice")
        self.event_combo.setAccessibleName(self.tr("Event"))
        form.addRow(self.tr("&Event:"), self.event_combo)
        self.title_edit = QLineEdit(self.tr("Tabling"), self)
        self.title_edit.setObjectName("kioskNewEventTitle")
        self.title_edit.setMaxLength(300)
        self.title_label = QLabel(self.tr("&Title of the new event:"), self)
        self.title_label.setBuddy(self.title_edit)
        form.addRow(self.title_label, self.title_edit)
        layout.addLayout(form)
        self.error_label = self.make_error_label(self)
        layout.addWidget(self.error_label)

        self._fill(list_upcoming(db, now))
        self.event_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.title_edit.textChanged.connect(self.refresh_ok_button)
        box = self.make_button_box(ok_text=self.tr("&Start the kiosk"))
        layout.addWidget(box)
        self._on_choice_changed()

    def _fill(self, events: Sequence[EventRow]) -> None:
        first_tabling = -1
        for event in events:
            if event.cancelled:
                continue
            kind = label_text(EVENT_KIND_LABELS[event.kind])
            self.event_combo.addItem(
                self.tr("{title} — {when} ({kind})").format(
                    title=event.title, when=date_time_text(event.starts_at), kind=kind
                ),
                event.id,
            )
            if first_tabling < 0 and event.kind == EventKind.TABLING:
                first_tabling = self.event_combo.count() - 1
        self.event_combo.addItem(self.tr("A new tabling event, starting now"), self.NEW_EVENT)
        if first_tabling >= 0:
            self.event_combo.setCurrentIndex(first_tabling)
        elif self.event_combo.count() > 1:
            self.event_combo.setCurrentIndex(0)
        else:
            self.event_combo.setCurrentIndex(self.event_combo.count() - 1)

    def _new_event_chosen(self) -> bool:
        return self.event_combo.currentData() == self.NEW_EVENT

    def _on_choice_changed(self) -> None:
        new = self._new_event_chosen()
        self.title_label.setVisible(new)
        self.title_edit.setVisible(new)
        self.show_field_error(self.error_label, "")
        self.refresh_ok_button()

    def is_complete(self) -> bool:
        return not self._new_event_chosen() or bool(self.title_edit.text().strip())

    def apply(self) -> bool:
        if not self._new_event_chosen():
            self._chosen_id = int(self.event_combo.currentData())
            return True
        try:
            made = create_event(
                self._db,
                EventInput(
                    title=self.title_edit.text(), starts_at=self._now, kind=EventKind.TABLING
                ),
            )
        except EventError as exc:
            self.show_field_error(self.error_label, str(exc))
            return False
        self._chosen_id = made.id
        return True

    def event_id(self) -> int | None:
        """The chosen (or just made) event, once the dialog was accepted."""
        return self._chosen_id


# --- leaving: the PIN ---------------------------------------------------------------------


class KioskPinDialog(BaseDialog):
    """Asks a volunteer for the group's kiosk PIN; accepted only with the right one."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, settings_key="KioskPinDialog")
        self._db = db
        self.setObjectName("KioskPinDialog")
        self.setWindowTitle(self.tr("Leave the kiosk"))
        # Above the kiosk, which stays on top of everything else.
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        layout = QVBoxLayout(self)
        # Sized to what it shows, growing when the "not the PIN" line appears. Its texts
        # are short and kept on one line each: a wrapping label in a top-level window
        # is given too little height and its first line is cut off.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        label = QLabel(self.tr("Volunteers: enter the group's kiosk &PIN to leave."), self)
        layout.addWidget(label)
        self.pin_edit = QLineEdit(self)
        self.pin_edit.setObjectName("kioskPin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(PIN_MAX_LENGTH)
        self.pin_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.pin_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        label.setBuddy(self.pin_edit)
        layout.addWidget(self.pin_edit)
        self.error_label = self.make_error_label(self)
        self.error_label.setObjectName("kioskPinError")
        self.error_label.setWordWrap(False)
        layout.addWidget(self.error_label)
        box = self.make_button_box(ok_text=self.tr("&Leave the kiosk"))
        layout.addWidget(box)
        self.pin_edit.textChanged.connect(self.refresh_ok_button)
        self.refresh_ok_button()

    def is_complete(self) -> bool:
        return bool(self.pin_edit.text())

    def validate(self) -> bool:
        if check_kiosk_pin(self._db, self.pin_edit.text()):
            return True
        self.pin_edit.setText("")
        self.show_field_error(self.error_label, self.tr("That is not the kiosk PIN."))
        self.pin_edit.setFocus()
        return False


# --- the kiosk window -------------------------------------------------------------------------


def _field(
    object_name: str, accessible: str, hints: Qt.InputMethodHint, parent: QWidget
) -> QLineEdit:
    """A kiosk field: no completer (QLineEdit has none unless given one), no prediction,
    nothing kept by the input method, no context menu, no drops, a finite length."""
    edit = QLineEdit(parent)
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible)
    edit.setMaxLength(FIELD_MAX_LENGTH)
    edit.setInputMethodHints(
        hints | Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
    )
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    edit.setAcceptDrops(False)
    return edit


class KioskWindow(QWidget):
    """The full-screen sign-up form; made by ``KioskWindow.start`` (which calls prepare_kiosk).

    Signals:
        thank_you_shown(): a sign-up was committed and the thank-you is on the screen.
        form_ready(): the empty form is back (after the thank-you, or after idling).
        left(): the right PIN was given; close_kiosk was called and the window closes.
    """

    thank_you_shown = Signal()
    form_ready = Signal()
    left = Signal()

    def __init__(
        self,
        db: Database,
        settings: KioskSettings,
        *,
        group_name: str = "",
        idle_ms: int = IDLE_CLEAR_MS,
        thank_you_ms: int = THANK_YOU_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        # Its own window, above the others (the hidden main window included).
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._db = db
        self._settings = settings
        self._group_name = group_name
        self._unlocked = False
        self._pin_dialog: KioskPinDialog | None = None
        self.setWindowTitle(self.tr("Sign up"))
        self._build()
        self._idle_timer = QTimer(self)
        self._idle_timer.setObjectName("kioskIdleTimer")
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(idle_ms)
        self._idle_timer.timeout.connect(self._on_idle)
        self._thank_you_timer = QTimer(self)
        self._thank_you_timer.setSingleShot(True)
        self._thank_you_timer.setInterval(thank_you_ms)
        self._thank_you_timer.timeout.connect(self._back_to_form)
        self._watching_input = False

    @classmethod
    def start(
        cls,
        db: Database,
        event_id: int,
        *,
        idle_ms: int = IDLE_CLEAR_MS,
        thank_you_ms: int = THANK_YOU_MS,
    ) -> KioskWindow:
        """Prepare the kiosk for an event (raises SignInError if it cannot take sign-ups)."""
        settings = prepare_kiosk(db, event_id)
        profile = get_profile(db)
        return cls(
            db,
            settings,
            group_name=profile.name if profile else "",
            idle_ms=idle_ms,
            thank_you_ms=thank_you_ms,
        )

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        # Large type, readable standing at a table a step back from the screen. Sizes go
        # in the style sheet: with one set, a parent's setFont no longer reaches children.
        base = max(18.0, QApplication.font().pointSizeF() * 1.7)
        self.setStyleSheet(
            f"#KioskWindow, #KioskWindow * {{ font-size: {base:.0f}pt; }}"
            "QLineEdit { padding: 6px 10px; }"
            "QCheckBox::indicator { width: 30px; height: 30px; }"
            "QCheckBox { spacing: 14px; }"
            f"QLabel#kioskHeading {{ font-size: {base * 1.3:.0f}pt; font-weight: bold; }}"
            f"QPushButton#kioskSignUp {{ font-size: {base * 1.3:.0f}pt; font-weight: bold;"
            " padding: 8px 48px; }"
            "QLabel#kioskProblem { color: #b3261e; font-weight: bold; }"
            f"QLabel#kioskThanks {{ font-size: {base * 2.5:.0f}pt; font-weight: bold; }}"
            f"QPushButton#kioskLeave {{ font-size: {max(9.0, base * 0.5):.0f}pt; }}"
            # Set apart from the form behind it even where no window manager frames it.
            "QDialog#KioskPinDialog { border: 2px solid #5f6368; }"
        )
        outer = QGridLayout(self)
        outer.setContentsMargins(24, 8, 8, 8)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("kioskPages")
        self.form_page = self._build_form()
        self.thanks_page = self._build_thanks()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.thanks_page)
        outer.addWidget(self.pages, 0, 0)
        # In the corner above the pages, so the form keeps the whole height of the screen.
        self.leave_button = QPushButton(self.tr("Volunteers: leave the kiosk"), self)
        self.leave_button.setObjectName("kioskLeave")
        self.leave_button.setFlat(True)
        self.leave_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never reached by Tab/Enter
        self.leave_button.clicked.connect(self.ask_for_pin)
        outer.addWidget(
            self.leave_button, 0, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
        )

    def _build_form(self) -> QScrollArea:
        page = QWidget(self)
        column = QVBoxLayout(page)
        heading = QLabel(
            self.tr("Stay in touch with {group}").format(group=self._group_name)
            if self._group_name
            else self.tr("Stay in touch with us"),
            page,
        )
        heading.setObjectName("kioskHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        column.addWidget(heading)
        column.addSpacing(6)

        hint = Qt.InputMethodHint
        self.given_edit = _field("kioskGivenName", self.tr("Given name"), hint.ImhNone, page)
        self.family_edit = _field("kioskFamilyName", self.tr("Family name"), hint.ImhNone, page)
        self.email_edit = _field(
            "kioskEmail",
            self.tr("Email"),
            hint.ImhEmailCharactersOnly | hint.ImhNoAutoUppercase | hint.ImhPreferLowercase,
            page,
        )
        self.phone_edit = _field(
            "kioskPhone", self.tr("Phone"), hint.ImhDialableCharactersOnly, page
        )
        self.postal_edit = _field(
            "kioskPostalCode", self.tr("Postal code"), hint.ImhPreferUppercase, page
        )
        self.how_heard_edit = _field(
            "kioskHowHeard", self.tr("How did you hear about us?"), hint.ImhNone, page
        )
        # Two fields a row, each with its label above it: the whole form fits a laptop
        # screen in large type, and reads in the order Enter goes through it.
        form = QGridLayout()
        form.setHorizontalSpacing(32)
        form.setVerticalSpacing(4)
        for number, (label, edit) in enumerate(
            (
                (self.tr("Given name"), self.given_edit),
                (self.tr("Family name"), self.family_edit),
                (self.tr("Email"), self.email_edit),
                (self.tr("Phone"), self.phone_edit),
                (self.tr("Postal code"), self.postal_edit),
            )
        ):
            row, col = 2 * (number // 2), number % 2
            form.addWidget(self._form_label(label, page, edit), row, col)
            form.addWidget(edit, row + 1, col)
        form.setColumnStretch(0, 1)
        form.setColumnStretch(1, 1)
        column.addLayout(form)

        self.interest_boxes: list[QCheckBox] = []
        if self._settings.interests:
            column.addSpacing(10)
            column.addWidget(self._form_label(self.tr("I am interested in"), page))
            grid = QGridLayout()
            grid.setHorizontalSpacing(32)
            columns = 2 if len(self._settings.interests) > 3 else 1
            for number, interest in enumerate(self._settings.interests):
                box = QCheckBox(interest.replace("&", "&&"), page)
                box.setObjectName(f"kioskInterest{number}")
                self.interest_boxes.append(box)
                grid.addWidget(box, number // columns, number % columns)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(columns - 1, 1)
            column.addLayout(grid)
        column.addSpacing(10)
        column.addWidget(
            self._form_label(self.tr("How did you hear about us?"), page, self.how_heard_edit)
        )
        column.addWidget(self.how_heard_edit)

        self.consent_label = QLabel(self._settings.consent_text, page)
        self.consent_label.setObjectName("kioskConsentText")
        self.consent_label.setTextFormat(Qt.TextFormat.PlainText)  # the group's words, not markup
        self.consent_label.setWordWrap(True)
        column.addSpacing(8)
        column.addWidget(self.consent_label)
        self.consent_box = QCheckBox(self.tr("Yes, I agree"), page)
        self.consent_box.setObjectName("kioskConsent")
        column.addWidget(self.consent_box)

        self.problem_label = QLabel(page)
        self.problem_label.setObjectName("kioskProblem")
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        column.addWidget(self.problem_label)

        self.sign_up_button = QPushButton(self.tr("Sign up"), page)
        self.sign_up_button.setObjectName("kioskSignUp")
        self.sign_up_button.clicked.connect(self.submit)
        button_row = QHBoxLayout()
        button_row.addWidget(self.sign_up_button)
        button_row.addStretch(1)
        column.addSpacing(8)
        column.addLayout(button_row)
        column.addStretch(1)

        self._order: list[QWidget] = [
            self.given_edit,
            self.family_edit,
            self.email_edit,
            self.phone_edit,
            self.postal_edit,
            *self.interest_boxes,
            self.how_heard_edit,
            self.consent_box,
        ]
        for earlier, later in zip(
            self._order, [*self._order[1:], self.sign_up_button], strict=True
        ):
            QWidget.setTabOrder(earlier, later)
        for widget in (*self._order, self.sign_up_button):
            widget.installEventFilter(self)

        # A readable column in the middle of a wide screen; scrolls on a small one.
        holder = QWidget(self)
        centred = QHBoxLayout(holder)
        centred.addStretch(1)
        page.setMaximumWidth(1100)
        page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        centred.addWidget(page, 10)
        centred.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("kioskFormScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)
        return scroll

    @staticmethod
    def _form_label(text: str, parent: QWidget, buddy: QWidget | None = None) -> QLabel:
        label = QLabel(text, parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if buddy is not None:
            label.setBuddy(buddy)
        return label

    def _build_thanks(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("kioskThanksPage")
        column = QVBoxLayout(page)
        column.addStretch(1)
        self.thanks_label = QLabel(self.tr("Thank you!"), page)
        self.thanks_label.setObjectName("kioskThanks")
        self.thanks_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.thanks_label)
        saved = QLabel(self.tr("Your sign-up is saved. The group will be in touch."), page)
        saved.setObjectName("kioskThanksDetail")
        saved.setAlignment(Qt.AlignmentFlag.AlignCenter)
        saved.setWordWrap(True)
        column.addWidget(saved)
        column.addStretch(1)
        return page

    # --- public -----------------------------------------------------------------------------

    def show_kiosk(self) -> None:
        """Fill the screen. The geometry is set as well: without a window manager (a
        bare kiosk session) a full-screen request alone may be ignored."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()

    @property
    def settings(self) -> KioskSettings:
        return self._settings

    def fields(self) -> list[QWidget]:
        """The form's inputs in Enter order (the Sign up button comes after the last)."""
        return list(self._order)

    def showing_thanks(self) -> bool:
        return self.pages.currentWidget() is self.thanks_page

    def is_empty(self) -> bool:
        edits = (
            self.given_edit,
            self.family_edit,
            self.email_edit,
            self.phone_edit,
            self.postal_edit,
            self.how_heard_edit,
        )
        return not any(edit.text() for edit in edits) and not any(
            box.isChecked() for box in (*self.interest_boxes, self.consent_box)
        )

    def typed_signup(self) -> KioskSignup:
        return KioskSignup(
            given_name=self.given_edit.text(),
            family_name=self.family_edit.text(),
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
            postal_code=self.postal_edit.text(),
            interests=tuple(
                interest
                for interest, box in zip(self._settings.interests, self.interest_boxes, strict=True)
                if box.isChecked()
            ),
            how_heard=self.how_heard_edit.text(),
            consent_given=self.consent_box.isChecked(),
            consent_text=self._settings.consent_text,
        )

    def submit(self) -> bool:
        """Save what was typed; True when it was committed and the thank-you shows."""
        if self.showing_thanks():
            return False
        signup = self.typed_signup()
        try:
            save_kiosk_signup(self._db, self._settings.event_id, signup)
        except SignInError as exc:
            self._show_problem(str(exc))
            self._focus_field_named(str(exc))
            return False
        except SaveFailed as exc:
            self._show_problem(
                self.tr("Your sign-up was NOT saved. Please tell a volunteer.") + "\n" + str(exc)
            )
            return False
        except Exception as exc:  # whatever went wrong, the person must be told, not crashed on
            log.exception("kiosk save failed")
            self._show_problem(
                self.tr("Your sign-up was NOT saved. Please tell a volunteer.")
                + "\n"
                + (str(exc) or type(exc).__name__)
            )
            return False
        self._show_thank_you()
        return True

    def ask_for_pin(self) -> None:
        """Open the PIN dialog (once); the right PIN leaves the kiosk."""
        if self._unlocked:
            return
        if self._pin_dialog is not None:
            self._pin_dialog.raise_()
            self._pin_dialog.activateWindow()
            return
        dialog = KioskPinDialog(self._db, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._leave)
        dialog.finished.connect(self._on_pin_dialog_finished)
        self._pin_dialog = dialog
        dialog.open()

    @property
    def pin_dialog(self) -> KioskPinDialog | None:
        return self._pin_dialog

    def is_unlocked(self) -> bool:
        return self._unlocked

    def reset_form(self) -> None:
        """An empty form, with nothing of the last person left to bring back."""
        for edit in (
            self.given_edit,
            self.family_edit,
            self.email_edit,
            self.phone_edit,
            self.postal_edit,
            self.how_heard_edit,
        ):
            # setText, not clear(): clear() is an undoable edit, and Ctrl+Z would bring
            # the last person's text back; setText also forgets the undo history.
            edit.setText("")
        for box in (*self.interest_boxes, self.consent_box):
            box.setChecked(False)
        self._show_problem("")
        clipboard = QGuiApplication.clipboard()
        # What the last person copied or selected must not be one paste away.
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self.form_page.verticalScrollBar().setValue(0)
        self.given_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- events -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._watching_input:
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
                self._watching_input = True
        self._idle_timer.start()
        if not self.showing_thanks():
            self.given_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS:
            self._idle_timer.start()
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and watched in (*self._order, self.sign_up_button)
        ):
            self._on_enter(watched)
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc and Alt+F4 typed into the form go nowhere; leaving is by the PIN only.
        if event.key() == Qt.Key.Key_Escape or (
            event.key() == Qt.Key.Key_F4 and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._unlocked:
            self._stop_watching()
            event.accept()
            return
        # The window manager's close, Alt+F4 handled by it, or close() from elsewhere.
        event.ignore()
        QTimer.singleShot(0, self.ask_for_pin)

    # --- behind the events --------------------------------------------------------------------

    def _on_enter(self, widget: QObject) -> None:
        if widget is self.sign_up_button or widget is self._order[-1]:
            self.submit()
            return
        index = self._order.index(widget)  # type: ignore[arg-type]
        following = self._order[index + 1]
        following.setFocus(Qt.FocusReason.TabFocusReason)

    def _show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_label.setVisible(bool(message))

    def _focus_field_named(self, message: str) -> None:
        """The service's messages begin with the field's label: put the cursor there."""
        fields: list[tuple[str, QWidget]] = [
            ("Email or phone", self.email_edit),
            ("Given name", self.given_edit),
            ("Family name", self.family_edit),
            ("Name", self.given_edit),
            ("Email", self.email_edit),
            ("Phone", self.phone_edit),
            ("Postal code", self.postal_edit),
            ("How you heard", self.how_heard_edit),
            ("Consent", self.consent_box),
        ]
        if self.interest_boxes:
            fields.append(("Interests", self.interest_boxes[0]))
        for prefix, widget in fields:
            if message.startswith(prefix):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                if isinstance(widget, QLineEdit):
                    widget.selectAll()
                return

    def _show_thank_you(self) -> None:
        self.reset_form()
        self.pages.setCurrentWidget(self.thanks_page)
        self.thanks_page.setFocus(Qt.FocusReason.OtherFocusReason)
        # Painted now, before anyone is told it is on the screen.
        self.thanks_page.repaint()
        self._thank_you_timer.start()
        self.thank_you_shown.emit()

    def _back_to_form(self) -> None:
        self.pages.setCurrentWidget(self.form_page)
        self.given_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._idle_timer.start()
        self.form_ready.emit()

    def _on_idle(self) -> None:
        if self._pin_dialog is not None:
            self._pin_dialog.reject()
        if self.showing_thanks():
            return  # the thank-you timer brings the empty form back
        self.reset_form()
        self.form_ready.emit()

    def _on_pin_dialog_finished(self) -> None:
        dialog, self._pin_dialog = self._pin_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _leave(self) -> None:
        self._unlocked = True
        self._idle_timer.stop()
        self._thank_you_timer.stop()
        self.reset_form()
        close_kiosk(self._db)
        self.left.emit()  # the main window shows itself before this one goes
        self.close()

    def _stop_watching(self) -> None:
        if self._watching_input:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._watching_input = False
