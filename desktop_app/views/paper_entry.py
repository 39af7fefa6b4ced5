"""Typing up a paper sign-in sheet after the event, one line of the sheet per row.

Built for speed at the keyboard: Tab moves along a row, Enter saves it and starts
the next. While a name is typed, people on the roster who match it are listed under
the sheet; Down moves into that list and Enter (or a click) ties the row to that
person instead of adding someone new. A likely slip in an email's domain
("gmial.com") is pointed out with a one-click fix. Each saved row is tied to the
event at once (services.signin.save_paper_row, its own transaction), then greyed,
with what became of it: matched someone on the roster, or added someone new.

Nothing here blocks keeping what the sheet says: an email or phone that does not
check out is saved as written and the person flagged for review, as in the person
dialog.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.services.events import EventDetail, attendance, get_event
from desktop_app.services.group import get_profile, group_country
from desktop_app.services.roster import MAX_NAME_LENGTH, PersonChoice, list_tags
from desktop_app.services.signin import (
    KIOSK_LIMITS,
    PaperRow,
    SignInResult,
    email_typo_hint,
    paper_suggestions,
    save_paper_row,
)
from desktop_app.services.validation import check_email, check_phone, check_postal_code
from desktop_app.text import fold
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import span_text
from desktop_app.views.person_dialog import TagCompleter

SUGGEST_DELAY_MS = 150
MAX_SUGGESTIONS = 8
PersonIdRole = Qt.ItemDataRole.UserRole + 1

# Column of each field in the grid; 0 holds the line's number.
GIVEN, FAMILY, EMAIL, PHONE, POSTAL, INTERESTS, CONSENT, RESULT = range(1, 9)


@dataclass
class PaperLine:
    """The widgets of one line of the sheet, and what the typist tied it to."""

    number: QLabel
    given: QLineEdit
    family: QLineEdit
    email: QLineEdit
    phone: QLineEdit
    postal: QLineEdit
    interests: QLineEdit
    consent: QCheckBox
    result: QLabel
    person_id: int | None = None
    tied_to: str = ""
    saved: SignInResult | None = None
    problems: tuple[str, ...] = field(default=())

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.given, self.family, self.email, self.phone, self.postal, self.interests)

    def identity_edits(self) -> tuple[QLineEdit, ...]:
        """The fields a tie to a roster person replaces."""
        return (self.given, self.family, self.email, self.phone, self.postal)

    def widgets(self) -> tuple[QWidget, ...]:
        return (*self.edits(), self.consent)

    def is_empty(self) -> bool:
        return self.person_id is None and not any(edit.text().strip() for edit in self.edits())

    def paper_row(self) -> PaperRow:
        interests = tuple(part.strip() for part in self.interests.text().split(","))
        return PaperRow(
            person_id=self.person_id,
            given_name=self.given.text(),
            family_name=self.family.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            postal_code=self.postal.text(),
            consent_given=self.consent.isChecked(),
            interests=tuple(part for part in interests if part),
        )


class PaperEntryDialog(BaseDialog):
    """Type up one event's paper sheet; ``lines`` holds every row typed so far."""

    def __init__(self, db: Database, event_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, settings_key="PaperEntry")
        self._db = db
        self._event_id = event_id
        self._event: EventDetail = get_event(db, event_id)
        self._country = group_country(db)
        self._signed_in_ids = {row.person_id for row in attendance(db, event_id)}
        self.lines: list[PaperLine] = []
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self._suggest)
        profile = get_profile(db)
        interests = list(profile.kiosk_interests) if profile else []
        self._interest_words = QStringListModel(
            list(dict.fromkeys([*interests, *list_tags(db)])), self
        )
        self.setWindowTitle(self.tr("Paper sheet: {title}").format(title=self._event.data.title))
        self._build()
        self.add_line()
        self.resize(1180, 680)

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self._event.data.title, self)
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        when = QLabel(span_text(self._event.data.starts_at, self._event.data.ends_at), self)
        when.setTextFormat(Qt.TextFormat.PlainText)
        intro = QLabel(
            self.tr(
                "One row per line of the sheet. Tab moves along a row; Enter saves it and "
                "starts the next. When people on the roster match the name, Down goes to "
                "them and Enter ties the row to that person."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.sheet = QWidget(self)
        self.grid = QGridLayout(self.sheet)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        headers = {
            0: "#",
            GIVEN: self.tr("Given name"),
            FAMILY: self.tr("Family name"),
            EMAIL: self.tr("Email"),
            PHONE: self.tr("Phone"),
            POSTAL: self.tr("Postal code"),
            INTERESTS: self.tr("Interests"),
            CONSENT: self.tr("May contact"),
            RESULT: self.tr("Saved as"),
        }
        for column, text in headers.items():
            label = QLabel(text, self.sheet)
            bold = QFont(label.font())
            bold.setBold(True)
            label.setFont(bold)
            self.grid.addWidget(label, 0, column)
        for column, stretch in (
            (GIVEN, 3),
            (FAMILY, 3),
            (EMAIL, 5),
            (PHONE, 3),
            (POSTAL, 2),
            (INTERESTS, 3),
            (RESULT, 4),
        ):
            self.grid.setColumnStretch(column, stretch)
        self.grid.setRowStretch(1000, 1)  # rows stay at the top while the sheet is short
        self.sheet_area = QScrollArea(self)
        self.sheet_area.setWidget(self.sheet)
        self.sheet_area.setWidgetResizable(True)
        self.sheet_area.setFrameShape(QFrame.Shape.StyledPanel)

        self.suggestions = QListWidget(self)
        self.suggestions.setAccessibleName(self.tr("People on the roster matching the name"))
        self.suggestions.installEventFilter(self)
        self.suggestions.itemClicked.connect(self._on_suggestion_clicked)
        suggestions_label = QLabel(self.tr("On the &roster:"), self)
        suggestions_label.setBuddy(self.suggestions)
        self.suggestions.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)

        self.typo_label = QLabel(self)
        self.typo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.typo_label.setWordWrap(True)
        bold = QFont(self.typo_label.font())
        bold.setBold(True)
        self.typo_label.setFont(bold)
        self.fix_button = QPushButton(self)
        self.fix_button.setAutoDefault(False)
        self.fix_button.clicked.connect(self.apply_email_fix)
        self.problems_label = self.make_error_label(self)
        self.tie_label = QLabel(self)
        self.tie_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tie_label.setWordWrap(True)
        self.untie_button = QPushButton(self.tr("Un&tie"), self)
        self.untie_button.setAutoDefault(False)
        self.untie_button.setToolTip(self.tr("Type this line as someone new instead (Esc)"))
        self.untie_button.clicked.connect(self.untie_active)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton(self.tr("&Save row"), self)
        self.save_button.setToolTip(self.tr("Save this line of the sheet (Enter)"))
        self.done_button = QPushButton(self.tr("&Done"), self)
        for button in (self.save_button, self.done_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_active_line)
        self.done_button.clicked.connect(self.accept)

        typo_row = QHBoxLayout()
        typo_row.addWidget(self.typo_label, 1)
        typo_row.addWidget(self.fix_button)
        tie_row = QHBoxLayout()
        tie_row.addWidget(self.tie_label, 1)
        tie_row.addWidget(self.untie_button)
        checks = QVBoxLayout()
        checks.addLayout(tie_row)
        checks.addLayout(typo_row)
        checks.addWidget(self.problems_label)
        checks.addWidget(self.message)
        checks.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(suggestions_label)
        left.addWidget(self.suggestions)
        below = QHBoxLayout()
        below.addLayout(left, 2)
        below.addSpacing(12)
        below.addLayout(checks, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.done_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(when)
        layout.addWidget(intro)
        layout.addWidget(self.sheet_area, 1)
        layout.addLayout(below)
        layout.addLayout(buttons)
        self._show_checks()
        self._update_summary()

    def _edit(self, accessible: str, max_length: int) -> QLineEdit:
        edit = QLineEdit(self.sheet)
        edit.setAccessibleName(accessible)
        edit.setMaxLength(max_length)
        edit.installEventFilter(self)
        return edit

    def add_line(self) -> PaperLine:
        """Start a new line at the bottom of the sheet and put the cursor in it."""
        number = len(self.lines) + 1
        row = number  # grid row 0 holds the headings
        label = QLabel(str(number), self.sheet)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        line = PaperLine(
            number=label,
            given=self._edit(self.tr("Line {n}: given name").format(n=number), MAX_NAME_LENGTH),
            family=self._edit(self.tr("Line {n}: family name").format(n=number), MAX_NAME_LENGTH),
            email=self._edit(self.tr("Line {n}: email").format(n=number), KIOSK_LIMITS["email"][1]),
            phone=self._edit(self.tr("Line {n}: phone").format(n=number), KIOSK_LIMITS["phone"][1]),
            postal=self._edit(
                self.tr("Line {n}: postal code").format(n=number), KIOSK_LIMITS["postal_code"][1]
            ),
            interests=self._edit(self.tr("Line {n}: interests").format(n=number), 500),
            consent=QCheckBox(self.sheet),
            result=QLabel(self.sheet),
        )
        line.interests.setPlaceholderText(self.tr("e.g. letters, tabling"))
        completer = TagCompleter(self._interest_words, line.interests)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        line.interests.setCompleter(completer)
        line.consent.setAccessibleName(self.tr("Line {n}: may be contacted").format(n=number))
        line.consent.setToolTip(self.tr("Ticked on the sheet: the group may contact them"))
        line.consent.installEventFilter(self)
        line.result.setTextFormat(Qt.TextFormat.PlainText)
        for column, widget in (
            (0, line.number),
            (GIVEN, line.given),
            (FAMILY, line.family),
            (EMAIL, line.email),
            (PHONE, line.phone),
            (POSTAL, line.postal),
            (INTERESTS, line.interests),
            (CONSENT, line.consent),
            (RESULT, line.result),
        ):
            self.grid.addWidget(widget, row, column)
            # Shown now, not when the layout gets round to it, so the focus can go there.
            widget.show()
        self.grid.setAlignment(line.consent, Qt.AlignmentFlag.AlignCenter)
        for edit in (line.given, line.family, line.email):
            edit.textEdited.connect(self._suggest_timer.start)
        for edit in (line.email, line.phone, line.postal):
            edit.textChanged.connect(self._show_checks)
        self.lines.append(line)
        # The new line's fields come after the saved ones and before the panels below.
        chain: list[QWidget] = [
            *line.widgets(),
            self.suggestions,
            self.untie_button,
            self.fix_button,
            self.save_button,
            self.done_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._clear_panels()
        line.given.setFocus()
        QTimer.singleShot(0, lambda: self.sheet_area.ensureWidgetVisible(line.given))
        return line

    # --- the line being typed ------------------------------------------------------------

    def active_line(self) -> PaperLine:
        return self.lines[-1]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        line = self.active_line()
        if watched is self.suggestions:
            if enter or key == Qt.Key.Key_Space:
                self.tie_to_suggestion()
                return True
            if key == Qt.Key.Key_Escape or (
                key == Qt.Key.Key_Up and self.suggestions.currentRow() <= 0
            ):
                line.given.setFocus()
                return True
            return super().eventFilter(watched, event)
        if watched not in line.widgets():
            return super().eventFilter(watched, event)
        completer = line.interests.completer()
        popup = completer.popup() if completer is not None else None
        if watched is line.interests and popup is not None and popup.isVisible():
            return super().eventFilter(watched, event)  # Enter picks the completion
        if enter:
            self.save_active_line()
            return True
        if key == Qt.Key.Key_Down and watched in (line.given, line.family, line.email):
            self._suggest()
            if self.suggestions.count() and self._suggestion_id(0) is not None:
                self.suggestions.setCurrentRow(0)
                self.suggestions.setFocus()
            return True
        if key == Qt.Key.Key_Escape and line.person_id is not None:
            self.untie_active()
            return True
        return super().eventFilter(watched, event)

    def _search_text(self, line: PaperLine) -> str:
        names = f"{line.given.text().strip()} {line.family.text().strip()}".strip()
        return names or line.email.text().strip()

    def _suggest(self) -> None:
        self._suggest_timer.stop()
        line = self.active_line()
        self.suggestions.clear()
        if line.person_id is not None:
            self._hint(self.tr("This line is tied to {name}.").format(name=line.tied_to))
            return
        text = self._search_text(line)
        if len(fold(text)) >= 2:
            for choice in paper_suggestions(self._db, text, limit=MAX_SUGGESTIONS):
                self.suggestions.addItem(self._suggestion_item(choice))
        if self.suggestions.count() == 0:
            self._hint(
                self.tr("Nobody on the roster matches yet: a new person will be added.")
                if len(fold(text)) >= 2
                else self.tr("People on the roster whose names match show here.")
            )

    def _hint(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.suggestions.addItem(item)

    def _suggestion_item(self, choice: PersonChoice) -> QListWidgetItem:
        name = choice.display_name or choice.detail or "…"
        text = f"{name} — {choice.detail}" if choice.detail and choice.display_name else name
        if choice.id in self._signed_in_ids:
            text = self.tr("{person} (already signed in)").format(person=text)
        item = QListWidgetItem(text)
        item.setData(PersonIdRole, choice.id)
        item.setData(Qt.ItemDataRole.UserRole, name)
        return item

    def _suggestion_id(self, row: int) -> int | None:
        item = self.suggestions.item(row)
        value = item.data(PersonIdRole) if item is not None else None
        return value if isinstance(value, int) else None

    def _on_suggestion_clicked(self, item: QListWidgetItem) -> None:
        self.suggestions.setCurrentItem(item)
        self.tie_to_suggestion()

    def tie_to_suggestion(self) -> None:
        """Tie the line being typed to the highlighted person on the roster."""
        item = self.suggestions.currentItem()
        person_id = item.data(PersonIdRole) if item is not None else None
        if item is None or not isinstance(person_id, int):
            return
        line = self.active_line()
        line.person_id = person_id
        line.tied_to = str(item.data(Qt.ItemDataRole.UserRole))
        for edit in line.identity_edits():
            edit.setReadOnly(True)
            edit.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        line.result.setText(self.tr("→ {name}").format(name=line.tied_to))
        self._suggest()
        self._show_checks()
        # Names and contact details are the roster's now; interests and Enter are left.
        line.interests.setFocus()

    def untie_active(self) -> None:
        line = self.active_line()
        if line.person_id is None:
            return
        line.person_id = None
        line.tied_to = ""
        for edit in line.identity_edits():
            edit.setReadOnly(False)
            edit.setForegroundRole(QPalette.ColorRole.Text)
        line.result.setText("")
        self._suggest()
        self._show_checks()
        line.given.setFocus()

    # --- checks on the line being typed --------------------------------------------------

    def _clear_panels(self) -> None:
        self.suggestions.clear()
        self._hint(self.tr("People on the roster whose names match show here."))
        self._show_checks()

    def _show_checks(self) -> None:
        if not self.lines:
            self.typo_label.setText("")
            self.fix_button.setVisible(False)
            self.tie_label.setVisible(False)
            self.untie_button.setVisible(False)
            self.show_field_error(self.problems_label, "")
            return
        line = self.active_line()
        tied = line.person_id is not None
        self.tie_label.setVisible(tied)
        self.untie_button.setVisible(tied)
        if tied:
            self.tie_label.setText(
                self.tr(
                    "This line is {name}, already on the roster: their details there are "
                    "kept. Enter signs them in."
                ).format(name=line.tied_to)
            )
        hint = None if tied else email_typo_hint(line.email.text())
        self.fix_button.setVisible(hint is not None)
        if hint is not None:
            self.typo_label.setText(self.tr("Did you mean {email}?").format(email=hint))
            self.fix_button.setText(self.tr("&Use {email}").format(email=hint.replace("&", "&&")))
            self.fix_button.setProperty("suggestion", hint)
        else:
            self.typo_label.setText("")
        problems = []
        if not tied:
            for word, problem in (
                (self.tr("Email"), check_email(line.email.text()).problem),
                (self.tr("Phone"), check_phone(line.phone.text(), self._country).problem),
                (
                    self.tr("Postal code"),
                    check_postal_code(line.postal.text(), self._country).problem,
                ),
            ):
                if problem:
                    problems.append(
                        self.tr("{field}: {problem}").format(field=word, problem=problem)
                    )
        if problems:
            problems.append(self.tr("It can still be saved as written, flagged for review."))
        self.show_field_error(self.problems_label, "\n".join(problems))

    def apply_email_fix(self) -> None:
        """Put the suggested address in the email field (the one-click fix)."""
        hint = self.fix_button.property("suggestion")
        if not isinstance(hint, str) or not hint:
            return
        line = self.active_line()
        line.email.setText(hint)
        line.email.setFocus()

    # --- saving --------------------------------------------------------------------------

    def save_active_line(self) -> None:
        """Save the line being typed and start the next; an empty line saves nothing."""
        line = self.active_line()
        self.message.setText("")
        if line.is_empty():
            self.message.setText(self.tr("This line is empty: type it, or press Done."))
            line.given.setFocus()
            return
        try:
            result = save_paper_row(self._db, self._event_id, line.paper_row())
        except ValueError as exc:  # SignInError, PersonError: the service's words
            self.message.setText(str(exc))
            return
        line.saved = result
        line.problems = result.problems
        self._signed_in_ids.add(result.person_id)
        self._mark_saved(line, result)
        self._update_summary()
        self.add_line()

    def _mark_saved(self, line: PaperLine, result: SignInResult) -> None:
        for widget in line.widgets():
            # Greyed and out of the Tab chain: the sheet's next line is what is typed now.
            widget.setEnabled(False)
        line.interests.setPlaceholderText("")
        if not result.signed_in:
            text = self.tr("Already signed in: {name}").format(name=result.display_name)
        elif line.person_id is not None:
            text = self.tr("Matched {name}").format(name=result.display_name)
        else:
            text = self.tr("New on the roster")
        if result.problems:
            text = self.tr("{saved}; flagged for review").format(saved=text)
            line.result.setToolTip("\n".join(result.problems))
        line.result.setText(text)

    def saved_lines(self) -> list[PaperLine]:
        return [line for line in self.lines if line.saved is not None]

    def _update_summary(self) -> None:
        saved = self.saved_lines()
        matched = sum(1 for line in saved if line.person_id is not None)
        new = len(saved) - matched
        if not saved:
            self.summary.setText(self.tr("No lines saved yet."))
        elif len(saved) == 1:
            self.summary.setText(
                self.tr("1 line saved: {what}.").format(
                    what=self.tr("matched someone on the roster") if matched else self.tr("new")
                )
            )
        else:
            self.summary.setText(
                self.tr(
                    "{count} lines saved: {matched} matched someone on the roster, {new} new."
                ).format(count=len(saved), matched=matched, new=new)
            )


__all__ = ["PaperEntryDialog", "PaperLine"]
