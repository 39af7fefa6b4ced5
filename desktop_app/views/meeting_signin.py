"""Meeting sign-in (secretary mode): tick people off at one event as they come in.

The secretary types a few letters of a name, email or phone into the big search
box; the best matches from the roster appear under it (Up and Down move the
highlight without leaving the box) and Enter, or a click, ticks the highlighted
person. The box empties for the next one, and the count of who came updates at
once. Someone new is added in a compact row without leaving the screen; a likely
duplicate (same email or phone) is offered to be ticked instead.

Every tick is a step on the dialog's own undo stack: Ctrl+Z takes the last one
back, whatever has the focus (unless the search box has typing of its own to undo).
The stack is the dialog's own because it is modal: the main window's Undo cannot be
reached while it is open, and steps from the roster must not be undone from here.

Attending moves people up the ladder of engagement by the service's rule
(services.signin.ladder_after_attending); a tick that did is shown in the list.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import LadderStage, SignInSource
from desktop_app.services.events import AttendanceRow, EventDetail, attendance, get_event
from desktop_app.services.group import group_country
from desktop_app.services.labels import LADDER_LABELS
from desktop_app.services.roster import (
    MAX_NAME_LENGTH,
    DuplicateHit,
    PersonChoice,
    PersonInput,
    find_duplicates,
)
from desktop_app.services.signin import SignInResult, paper_suggestions
from desktop_app.services.validation import check_email, check_phone, check_postal_code
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import span_text, time_text
from desktop_app.views.signin_commands import (
    NewcomerCommand,
    RemoveTickCommand,
    SignInCommand,
    SignInContext,
)
from desktop_app.views.table_models.events_model import source_text
from desktop_app.views.table_models.roster_model import label_text

MAX_MATCHES = 10
SEARCH_DELAY_MS = 80  # a fast typist's next letter usually comes sooner
PersonIdRole = Qt.ItemDataRole.UserRole + 1
NameRole = Qt.ItemDataRole.UserRole + 2


def _scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def guess_newcomer(text: str) -> PersonInput:
    """What the search box holds, as a start for the newcomer row.

    "Noor Haddad" -> given Noor, family Haddad; an address -> email; digits -> phone.
    """
    text = text.strip()
    if "@" in text:
        return PersonInput(email=text)
    if text and sum(ch.isdigit() for ch in text) >= len(text.replace(" ", "")) / 2:
        return PersonInput(phone=text)
    given, _space, family = text.partition(" ")
    return PersonInput(given_name=given, family_name=family.strip())


class MeetingSignInDialog(BaseDialog):
    """Tick people off at one event; its undo stack is ``undo_stack``."""

    def __init__(self, db: Database, event_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, settings_key="MeetingSignIn")
        self._db = db
        self._event_id = event_id
        self._event: EventDetail = get_event(db, event_id)
        self._country = group_country(db)
        self._rows: list[AttendanceRow] = []
        self._signed_in_ids: set[int] = set()
        # Stage reached by a tick made here, for people whose stage it changed.
        self._raised: dict[int, LadderStage] = {}
        self._searched_text = ""
        self._duplicate_buttons: list[QPushButton] = []
        self.undo_stack = QUndoStack(self)
        self._context = SignInContext(db, event_id, self._on_attendance_changed, self._on_failed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)

        self.setWindowTitle(self.tr("Sign-in: {title}").format(title=self._event.data.title))
        self._build()
        self._connect()
        self._reload()
        self._show_hint()
        self.resize(1060, 700)
        self.search.setFocus()

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.title_label = QLabel(self._event.data.title, self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setFont(_scaled_font(self, 1.4, bold=True))
        self.title_label.setWordWrap(True)
        when = span_text(self._event.data.starts_at, self._event.data.ends_at)
        place = self._event.data.place
        self.when_label = QLabel(f"{when} · {place}" if place else when, self)
        self.when_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setFont(_scaled_font(self, 1.6, bold=True))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setAccessibleName(self.tr("Number signed in"))

        self.search = QLineEdit(self)
        self.search.setFont(_scaled_font(self, 1.7))
        self.search.setPlaceholderText(self.tr("Type a few letters of a name, email or phone"))
        self.search.setAccessibleName(self.tr("Find a person to sign in"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(MAX_NAME_LENGTH)
        self.search.installEventFilter(self)
        search_label = QLabel(self.tr("&Find a person:"), self)
        search_label.setFont(_scaled_font(self, 1.2))
        search_label.setBuddy(self.search)

        self.matches = QListWidget(self)
        self.matches.setFont(_scaled_font(self, 1.3))
        self.matches.setAccessibleName(self.tr("People matching the search"))
        self.matches.setUniformItemSizes(True)
        self.matches.setSpacing(2)
        self.matches.installEventFilter(self)
        matches_label = QLabel(self.tr("Matches (Enter or a click signs in):"), self)

        self.signed_in = QTreeWidget(self)
        self.signed_in.setRootIsDecorated(False)
        self.signed_in.setUniformRowHeights(True)
        self.signed_in.setAlternatingRowColors(True)
        self.signed_in.setFont(_scaled_font(self, 1.25))
        self.signed_in.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.signed_in.setHeaderLabels(
            [self.tr("Name"), self.tr("First time"), self.tr("Ladder"), self.tr("Time")]
        )
        self.signed_in.setAccessibleName(self.tr("Signed in"))
        self.signed_in.installEventFilter(self)
        header = self.signed_in.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        signed_in_label = QLabel(self.tr("Signed &in, latest first:"), self)
        signed_in_label.setBuddy(self.signed_in)

        self.newcomer = self._build_newcomer_panel()
        self.newcomer.setVisible(False)

        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setFont(_scaled_font(self, 1.1))
        self.message.setAccessibleName(self.tr("What happened"))
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2)

        self.newcomer_button = QPushButton(self.tr("&Add newcomer"), self)
        self.newcomer_button.setToolTip(self.tr("Someone new: add them to the roster (Ctrl+N)"))
        self.undo_button = QPushButton(self.tr("&Undo"), self)
        self.undo_button.setEnabled(False)
        self.remove_button = QPushButton(self.tr("&Remove tick"), self)
        self.remove_button.setToolTip(
            self.tr("Take back the tick of the person selected in the list (Delete)")
        )
        self.remove_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("&Close"), self)
        # Enter belongs to the search box and the newcomer row; it never closes the screen.
        for button in (
            self.newcomer_button,
            self.undo_button,
            self.remove_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
            button.setDefault(False)

        self.undo_action = QAction(self.tr("Undo"), self)
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setEnabled(False)
        self.addAction(self.undo_action)
        self.newcomer_action = QAction(self.tr("Add newcomer"), self)
        self.newcomer_action.setShortcuts(QKeySequence.StandardKey.New)
        self.newcomer_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.newcomer_action)

        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.when_label)
        heading.addLayout(titles, 1)
        heading.addWidget(self.count_label)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(matches_label)
        left_layout.addWidget(self.matches, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(signed_in_label)
        right_layout.addWidget(self.signed_in, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([480, 560])

        buttons = QHBoxLayout()
        buttons.addWidget(self.newcomer_button)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addSpacing(6)
        layout.addWidget(search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.newcomer)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _build_newcomer_panel(self) -> QGroupBox:
        panel = QGroupBox(self.tr("Someone new"), self)
        self.given_name = QLineEdit(panel)
        self.family_name = QLineEdit(panel)
        self.email = QLineEdit(panel)
        self.phone = QLineEdit(panel)
        self.postal_code = QLineEdit(panel)
        self.email_problem = self.make_error_label(panel)
        self.phone_problem = self.make_error_label(panel)
        self.postal_problem = self.make_error_label(panel)
        self.add_button = QPushButton(self.tr("Add and &sign in"), panel)
        self.cancel_newcomer_button = QPushButton(self.tr("Ca&ncel"), panel)
        for button in (self.add_button, self.cancel_newcomer_button):
            button.setAutoDefault(False)
        grid = QGridLayout()
        fields = (
            (self.tr("&Given name"), self.given_name, None, MAX_NAME_LENGTH, 3),
            (self.tr("Fa&mily name"), self.family_name, None, MAX_NAME_LENGTH, 3),
            (self.tr("&Email"), self.email, self.email_problem, 254, 4),
            (self.tr("&Phone"), self.phone, self.phone_problem, 40, 3),
            (self.tr("P&ostal code"), self.postal_code, self.postal_problem, 20, 2),
        )
        for column, (text, edit, problem, length, stretch) in enumerate(fields):
            label = QLabel(text, panel)
            label.setBuddy(edit)
            edit.setMaxLength(length)
            edit.setAccessibleName(text.replace("&", ""))
            edit.installEventFilter(self)
            grid.addWidget(label, 0, column)
            grid.addWidget(edit, 1, column)
            if problem is not None:
                problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                grid.addWidget(problem, 2, column)
            grid.setColumnStretch(column, stretch)
        grid.addWidget(self.add_button, 1, len(fields))
        grid.addWidget(self.cancel_newcomer_button, 1, len(fields) + 1)

        self.review_note = QLabel(
            self.tr(
                "You can still add them: what is written is kept as it is, and they are "
                "flagged for review so someone can check it later."
            ),
            panel,
        )
        self.review_note.setWordWrap(True)
        self.review_note.setVisible(False)
        self.newcomer_error = self.make_error_label(panel)

        self.duplicate_panel = QFrame(panel)
        self.duplicate_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.duplicate_label = QLabel(self.duplicate_panel)
        self.duplicate_label.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate_label.setWordWrap(True)
        self.add_anyway_button = QPushButton(
            self.tr("Add as a new person anyway"), self.duplicate_panel
        )
        self.add_anyway_button.setAutoDefault(False)
        self._duplicate_buttons_row = QHBoxLayout()
        duplicate_layout = QVBoxLayout(self.duplicate_panel)
        duplicate_layout.addWidget(self.duplicate_label)
        duplicate_layout.addLayout(self._duplicate_buttons_row)
        self.duplicate_panel.setVisible(False)

        layout = QVBoxLayout(panel)
        layout.addLayout(grid)
        layout.addWidget(self.review_note)
        layout.addWidget(self.newcomer_error)
        layout.addWidget(self.duplicate_panel)
        return panel

    def _connect(self) -> None:
        self.search.textEdited.connect(self._on_search_edited)
        self.matches.itemClicked.connect(self._on_match_clicked)
        self.signed_in.itemSelectionChanged.connect(self._update_buttons)
        self.newcomer_button.clicked.connect(self.show_newcomer)
        self.newcomer_action.triggered.connect(self.show_newcomer)
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_action.triggered.connect(self.undo_last)
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button.clicked.connect(self.accept)
        self.add_button.clicked.connect(lambda: self.add_newcomer())
        self.add_anyway_button.clicked.connect(lambda: self.add_newcomer(force=True))
        self.cancel_newcomer_button.clicked.connect(self.hide_newcomer)
        for edit in (self.email, self.phone, self.postal_code):
            edit.textChanged.connect(self._refresh_checks)
        for edit in (self.given_name, self.family_name, self.email, self.phone):
            edit.textEdited.connect(self._hide_duplicates)
        self.undo_stack.canUndoChanged.connect(self._update_buttons)
        self.undo_stack.undoTextChanged.connect(self._update_buttons)

        order: list[QWidget] = [
            self.search,
            self.given_name,
            self.family_name,
            self.email,
            self.phone,
            self.postal_code,
            self.add_button,
            self.cancel_newcomer_button,
            self.add_anyway_button,
            self.matches,
            self.signed_in,
            self.newcomer_button,
            self.undo_button,
            self.remove_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- keys ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.search and kind == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            # The box claims Ctrl+Z even with nothing to undo; then the tick is undone.
            if event.matches(QKeySequence.StandardKey.Undo) and not self.search.isUndoAvailable():
                return True
        if kind != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.search:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._flush_search()
                self._move_highlight(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._flush_search()
                self._move_highlight(MAX_MATCHES if key == Qt.Key.Key_PageDown else -MAX_MATCHES)
                return True
            if enter:
                self._flush_search()
                self.tick_highlighted()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self._clear_search()
                return True
        elif watched is self.matches and (enter or key == Qt.Key.Key_Space):
            self.tick_highlighted()
            return True
        elif watched is self.signed_in and key == Qt.Key.Key_Delete:
            self.remove_selected()
            return True
        elif enter and watched in (
            self.given_name,
            self.family_name,
            self.email,
            self.phone,
            self.postal_code,
        ):
            self.add_newcomer()
            return True
        elif key == Qt.Key.Key_Escape and watched in (
            self.given_name,
            self.family_name,
            self.email,
            self.phone,
            self.postal_code,
        ):
            self.hide_newcomer()
            return True
        return super().eventFilter(watched, event)

    # --- searching -----------------------------------------------------------------------

    def _on_search_edited(self) -> None:
        self._search_timer.start()

    def _flush_search(self) -> None:
        if self._search_timer.isActive() or self.search.text() != self._searched_text:
            self._run_search()

    def _run_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text()
        self._searched_text = text
        self.matches.clear()
        if not text.strip():
            self._show_hint()
            return
        choices = paper_suggestions(self._db, text, limit=MAX_MATCHES)
        for choice in choices:
            self.matches.addItem(self._match_item(choice))
        if choices:
            self.matches.setCurrentRow(0)
            return
        # The last tick's confirmation stays in the message line; the list says what now.
        for line in (
            self.tr("Nobody on the roster matches."),
            self.tr("Enter adds “{text}” as someone new.").format(text=text.strip()),
        ):
            item = QListWidgetItem(line)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.matches.addItem(item)

    def _match_item(self, choice: PersonChoice) -> QListWidgetItem:
        name = choice.display_name or choice.detail or "…"
        text = f"{name} — {choice.detail}" if choice.detail and choice.display_name else name
        item = QListWidgetItem(text)
        item.setData(PersonIdRole, choice.id)
        item.setData(NameRole, name)
        if choice.id in self._signed_in_ids:
            # Said next to the name, where a narrow list cannot cut it off.
            signed = self.tr("{name} (signed in)").format(name=name)
            item.setText(f"{signed} — {choice.detail}" if choice.detail else signed)
            item.setForeground(
                self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
        return item

    def _move_highlight(self, step: int) -> None:
        people = [row for row in range(self.matches.count()) if self._person_at(row) is not None]
        if not people:
            return
        current = self.matches.currentRow()
        position = people.index(current) if current in people else -1
        wanted = min(max(position + step, 0), len(people) - 1)
        self.matches.setCurrentRow(people[wanted])

    def _person_at(self, row: int) -> int | None:
        item = self.matches.item(row)
        value = item.data(PersonIdRole) if item is not None else None
        return value if isinstance(value, int) else None

    def _clear_search(self) -> None:
        self._search_timer.stop()
        # setText, not clear(): the typing is not kept for the box's own undo, so the
        # next Ctrl+Z takes back the tick.
        self.search.setText("")
        self._searched_text = ""
        self.matches.clear()
        self._show_hint()

    def _show_hint(self) -> None:
        if self.matches.count() == 0 and not self.search.text():
            item = QListWidgetItem(self.tr("Type a few letters; the best matches show here."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.matches.addItem(item)

    # --- ticking -------------------------------------------------------------------------

    def _on_match_clicked(self, item: QListWidgetItem) -> None:
        person_id = item.data(PersonIdRole)
        if isinstance(person_id, int):
            self.matches.setCurrentItem(item)
            self.tick_highlighted()

    def tick_highlighted(self) -> None:
        """Sign in the highlighted match (the first one unless moved); with none, the
        search text starts a newcomer."""
        row = self.matches.currentRow()
        person_id = self._person_at(row) if row >= 0 else None
        if person_id is None:
            if self.search.text().strip():
                self.show_newcomer()
            return
        item = self.matches.item(row)
        name = str(item.data(NameRole)) if item is not None else ""
        self.tick(person_id, name)

    def tick(self, person_id: int, name: str) -> None:
        command = SignInCommand(self._context, person_id, name)
        error = command.save_first()
        self._clear_search()
        self.search.setFocus()
        if error:
            self._on_failed(error)
            return
        result = command.result
        assert result is not None
        if not result.signed_in:
            self.message.setText(
                self.tr("{name} was already signed in.").format(name=result.display_name)
            )
            return
        self.undo_stack.push(command)

    def undo_last(self) -> None:
        if not self.undo_stack.canUndo():
            return
        step = self.undo_stack.undoText()
        steps = self.undo_stack.count()
        self.undo_stack.undo()
        # A refused step leaves the stack (see ServiceCommand) and its reason is shown.
        if self.undo_stack.count() == steps:
            self.message.setText(self.tr("Undone: {step}.").format(step=step.replace("&&", "&")))
        self.search.setFocus()

    def remove_selected(self) -> None:
        items = self.signed_in.selectedItems()
        if not items:
            return
        row = self._row_of_item(items[0])
        if row is None:
            return
        name = row.display_name or "…"
        if row.source != SignInSource.MEETING:
            self.message.setText(
                self.tr(
                    "{name} signed in another way ({how}); that sign-in keeps what they "
                    "told us, so it is not taken back here."
                ).format(name=name, how=source_text(row.source))
            )
            return
        command = RemoveTickCommand(self._context, row.person_id, name)
        error = command.save_first()
        if error:
            self._on_failed(error)
            return
        self.undo_stack.push(command)
        self.message.setText(
            self.tr("Took back the tick for {name}. Ctrl+Z ticks them again.").format(name=name)
        )

    # --- newcomers -----------------------------------------------------------------------

    def show_newcomer(self) -> None:
        """Open the newcomer row, filled from the search box when that holds something."""
        if self.search.text().strip():
            guess = guess_newcomer(self.search.text())
            self.given_name.setText(guess.given_name)
            self.family_name.setText(guess.family_name)
            self.email.setText(guess.email)
            self.phone.setText(guess.phone)
        self.newcomer.setVisible(True)
        self.show_field_error(self.newcomer_error, "")
        first_empty = next(
            (
                edit
                for edit in (self.given_name, self.family_name, self.email)
                if not edit.text().strip()
            ),
            self.email,
        )
        first_empty.setFocus()

    def hide_newcomer(self) -> None:
        for edit in (self.given_name, self.family_name, self.email, self.phone, self.postal_code):
            edit.clear()
        self._hide_duplicates()
        self.show_field_error(self.newcomer_error, "")
        self.newcomer.setVisible(False)
        self.search.setFocus()

    def newcomer_input(self) -> PersonInput:
        return PersonInput(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            postal_code=self.postal_code.text(),
        )

    def _refresh_checks(self) -> None:
        checks = (
            (self.email_problem, check_email(self.email.text()).problem),
            (self.phone_problem, check_phone(self.phone.text(), self._country).problem),
            (
                self.postal_problem,
                check_postal_code(self.postal_code.text(), self._country).problem,
            ),
        )
        for label, problem in checks:
            self.show_field_error(label, problem)
            label.setToolTip(problem)
        self.review_note.setVisible(any(problem for _label, problem in checks))

    def add_newcomer(self, *, force: bool = False) -> None:
        """Add the newcomer row's person and sign them in; first offer a likely duplicate."""
        data = self.newcomer_input()
        if not any(
            value.strip() for value in (data.given_name, data.family_name, data.email, data.phone)
        ):
            self.show_field_error(
                self.newcomer_error, self.tr("Give at least a name, an email or a phone number.")
            )
            self.given_name.setFocus()
            return
        if not force:
            hits = find_duplicates(self._db, email=data.email, phone=data.phone)
            if hits:
                self._show_duplicates(hits)
                return
        command = NewcomerCommand(self._context, data)
        error = command.save_first()
        if error:
            self.show_field_error(self.newcomer_error, error)
            return
        self.undo_stack.push(command)
        self.hide_newcomer()
        self._clear_search()

    def _show_duplicates(self, hits: Sequence[DuplicateHit]) -> None:
        self._hide_duplicates()
        lines = []
        for hit in hits[:3]:
            reason = self.tr("same email") if hit.reason == "same email" else self.tr("same phone")
            where = self.tr(", in the trash") if hit.in_trash else ""
            lines.append(f"{hit.display_name or hit.email or hit.phone} ({reason}{where})")
        self.duplicate_label.setText(
            self.tr("Already on the roster with this email or phone:")
            + "\n"
            + "\n".join(lines)
            + "\n"
            + self.tr("Sign in the person already there, or add this one as well.")
        )
        for hit in hits[:3]:
            if hit.in_trash:
                continue  # the service refuses to tick someone in the trash
            name = hit.display_name or hit.email or hit.phone
            button = QPushButton(
                self.tr("Sign in {name} instead").format(name=name.replace("&", "&&")),
                self.duplicate_panel,
            )
            button.setAutoDefault(False)
            button.clicked.connect(
                lambda _checked=False, pid=hit.id, n=name: self._tick_duplicate(pid, n)
            )
            self._duplicate_buttons_row.addWidget(button)
            self._duplicate_buttons.append(button)
        self._duplicate_buttons_row.addStretch(1)
        self._duplicate_buttons_row.addWidget(self.add_anyway_button)
        self.duplicate_panel.setVisible(True)
        (
            self._duplicate_buttons[0] if self._duplicate_buttons else self.add_anyway_button
        ).setFocus()

    def _hide_duplicates(self) -> None:
        for button in self._duplicate_buttons:
            self._duplicate_buttons_row.removeWidget(button)
            button.deleteLater()
        self._duplicate_buttons = []
        while self._duplicate_buttons_row.count():
            self._duplicate_buttons_row.takeAt(0)
        self.duplicate_panel.setVisible(False)

    def _tick_duplicate(self, person_id: int, name: str) -> None:
        self.hide_newcomer()
        self.tick(person_id, name)

    # --- after a change ------------------------------------------------------------------

    def _on_attendance_changed(self, result: SignInResult | None) -> None:
        if result is not None and result.signed_in:
            if result.ladder_raised:
                self._raised[result.person_id] = result.ladder_after
            self.message.setText(self._tick_message(result))
        self._reload(select=result.person_id if result is not None else None)

    def _tick_message(self, result: SignInResult) -> str:
        parts = [self.tr("Signed in {name}.").format(name=result.display_name or "…")]
        if result.first_time:
            parts.append(self.tr("First time at an event: welcome them!"))
        if result.ladder_raised:
            parts.append(
                self.tr("Ladder: now {stage}.").format(
                    stage=label_text(LADDER_LABELS[result.ladder_after])
                )
            )
        if result.problems:
            parts.append(
                self.tr("Flagged for review: {problems}").format(problems=" ".join(result.problems))
            )
        return " ".join(parts)

    def _on_failed(self, message: str) -> None:
        self.message.setText(message)

    def _reload(self, select: int | None = None) -> None:
        self._rows = sorted(
            attendance(self._db, self._event_id),
            key=lambda row: (row.signed_in_at, row.sign_in_id),
            reverse=True,
        )
        self._signed_in_ids = {row.person_id for row in self._rows}
        # A tick taken back no longer explains a stage shown for it.
        self._raised = {pid: s for pid, s in self._raised.items() if pid in self._signed_in_ids}
        self.signed_in.clear()
        bold = _scaled_font(self, 1.25, bold=True)
        # Rows with room around the names: read at arm's length, clicked without aiming.
        row_height = QFontMetrics(bold).height() + 10
        for row in self._rows:
            stage = self._raised.get(row.person_id)
            item = QTreeWidgetItem(
                [
                    row.display_name or row.email or row.phone or "…",
                    self.tr("new") if row.first_time else "",
                    self.tr("now {stage}").format(stage=label_text(LADDER_LABELS[stage]))
                    if stage is not None
                    else "",
                    time_text(row.signed_in_at),
                ]
            )
            item.setData(0, PersonIdRole, row.person_id)
            item.setSizeHint(0, QSize(0, row_height))
            if row.first_time:
                item.setFont(1, bold)
            self.signed_in.addTopLevelItem(item)
            if row.person_id == select:
                self.signed_in.setCurrentItem(item)
        self._update_count()
        self._update_buttons()
        if self._searched_text:
            self._run_search()  # the marks "signed in" follow the change

    def _row_of_item(self, item: QTreeWidgetItem) -> AttendanceRow | None:
        person_id = item.data(0, PersonIdRole)
        return next((row for row in self._rows if row.person_id == person_id), None)

    def _update_count(self) -> None:
        total = len(self._rows)
        new = sum(1 for row in self._rows if row.first_time)
        if total == 0:
            text = self.tr("Nobody signed in yet")
        elif new:
            text = self.tr("{count} signed in, {new} new").format(count=total, new=new)
        else:
            text = self.tr("{count} signed in").format(count=total)
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        can_undo = self.undo_stack.canUndo()
        self.undo_button.setEnabled(can_undo)
        self.undo_action.setEnabled(can_undo)
        step = self.undo_stack.undoText().replace("&&", "&")
        self.undo_button.setToolTip(
            self.tr("Undo: {step} (Ctrl+Z)").format(step=step) if can_undo else ""
        )
        self.remove_button.setEnabled(bool(self.signed_in.selectedItems()))

    # --- what the events page and tests read ---------------------------------------------

    def signed_in_count(self) -> int:
        return len(self._rows)

    def event_id(self) -> int:
        return self._event_id


__all__ = ["MeetingSignInDialog", "guess_newcomer"]
