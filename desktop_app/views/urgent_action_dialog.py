"""The urgent action dialog (a new case or a change to one), and the dialog that sets up
a batch of letters for a case.

UrgentActionDialog edits what services.urgent_actions saves: the case (number in
either style, title, country, the people at risk, issue, dates, status), its
addressees (officials to write to, and the diplomatic representatives a copy goes
to), and the letter template with its {placeholders}. The template is checked as it
is typed; a mistake ("line 3: {writer} is not a placeholder...") shows in words
under it and OK keeps the dialog open. The service's own refusals show at the top,
on the tab they concern, with everything typed kept.

PrintLettersDialog chooses who writes (everyone who signed in at a letter-writing
night, and/or people picked from the roster), the envelopes, the paper and the date;
the Urgent Actions page then makes the letters in the background and previews them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import UrgentActionStatus
from desktop_app.printing.data import EnvelopeStyle, PageSize
from desktop_app.printing.templates import (
    DEFAULT_LETTER_TEMPLATE,
    PLACEHOLDERS,
    TemplateError,
    check_template,
)
from desktop_app.services.urgent_actions import (
    MAX_COUNTRY,
    MAX_ISSUE,
    MAX_LANGUAGE,
    MAX_NAME,
    MAX_NUMBER,
    MAX_TITLE,
    AddresseeInput,
    UrgentActionDetail,
    UrgentActionError,
    UrgentActionInput,
    create_urgent_action,
    get_urgent_action,
    normalise_number,
    update_urgent_action,
)
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import date_text, from_qdate, to_qdate
from desktop_app.views.person_dialog import OptionalDateEdit, PersonPicker

CASE_TAB, ADDRESSEES_TAB, LETTER_TAB = 0, 1, 2


def _line_edit(parent: QWidget, limit: int, accessible: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setMaxLength(limit)
    edit.setAccessibleName(accessible)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class UrgentActionDialog(BaseDialog):
    """Create a case (ua_id None) or change one; ``saved`` holds the result after OK."""

    def __init__(
        self, db: Database, ua_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._ua_id = ua_id
        self._detail: UrgentActionDetail | None = get_urgent_action(db, ua_id) if ua_id else None
        self._entries: list[AddresseeInput] = []
        self.saved: UrgentActionDetail | None = None
        self.setWindowTitle(
            self.tr("New urgent action")
            if self._detail is None
            else self.tr("Edit urgent action {number}").format(
                number=self._detail.data.number or self._detail.data.title
            )
        )
        self._build()
        self._load()
        self.title_edit.setFocus()

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.error_label = self.make_error_label(self)
        self.error_label.setObjectName("dialogError")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_case(), self.tr("&Case"))
        self.tabs.addTab(self._build_addressees(), self.tr("&Addressees"))
        self.tabs.addTab(self._build_letter(), self.tr("&Letter"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.make_button_box())
        self.resize(760, 620)

    def _build_case(self) -> QWidget:
        page = QWidget(self)
        self.number_edit = _line_edit(
            page, MAX_NUMBER, self.tr("Number"), self.tr("e.g. UA 229/10 or 27.22")
        )
        self.number_edit.editingFinished.connect(self._tidy_number)
        self.title_edit = _line_edit(
            page, MAX_TITLE, self.tr("Title"), self.tr("e.g. Student activist detained")
        )
        self.title_edit.textChanged.connect(self.refresh_ok_button)
        self.country_edit = _line_edit(page, MAX_COUNTRY, self.tr("Country"))
        self.persons_edit = QPlainTextEdit(page)
        self.persons_edit.setAccessibleName(self.tr("Person or people at risk"))
        self.persons_edit.setTabChangesFocus(True)
        self.persons_edit.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        self.issue_edit = _line_edit(
            page, MAX_ISSUE, self.tr("Issue"), self.tr("e.g. fear of torture, death penalty")
        )
        self.issued_edit = OptionalDateEdit(self.tr("Known"), page)
        self.deadline_edit = OptionalDateEdit(self.tr("Known"), page)
        self.status_combo = QComboBox(page)
        self.status_combo.setAccessibleName(self.tr("Status"))
        self.status_combo.addItem(
            self.tr("Open: letters are being written"), UrgentActionStatus.OPEN
        )
        self.status_combo.addItem(self.tr("Closed"), UrgentActionStatus.CLOSED)
        self.notes_edit = QPlainTextEdit(page)
        self.notes_edit.setAccessibleName(self.tr("Notes"))
        self.notes_edit.setTabChangesFocus(True)
        form = QFormLayout(page)
        form.addRow(self.tr("&Number:"), self.number_edit)
        form.addRow(self.tr("&Title:"), self.title_edit)
        form.addRow(self.tr("Co&untry:"), self.country_edit)
        form.addRow(self.tr("&At risk:"), self.persons_edit)
        form.addRow(self.tr("&Issue:"), self.issue_edit)
        form.addRow(self.tr("Issued &on:"), self.issued_edit)
        form.addRow(self.tr("&Deadline:"), self.deadline_edit)
        form.addRow(self.tr("&Status:"), self.status_combo)
        form.addRow(self.tr("No&tes:"), self.notes_edit)
        return page

    def _build_addressees(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            self.tr(
                "Each writer writes one letter to each official. Representatives "
                "(e.g. the country's embassy) are listed as “copies to” at the foot of "
                "every letter, and can be sent a copy."
            ),
            page,
        )
        intro.setWordWrap(True)
        self.addressee_list = QListWidget(page)
        self.addressee_list.setObjectName("addressees")
        self.addressee_list.setAccessibleName(self.tr("Addressees"))
        self.addressee_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.add_official_button = QPushButton(self.tr("Add o&fficial"), page)
        self.add_copy_button = QPushButton(self.tr("Add &representative"), page)
        self.remove_button = QPushButton(self.tr("Re&move"), page)
        self.up_button = QPushButton(self.tr("Move &up"), page)
        self.down_button = QPushButton(self.tr("Move do&wn"), page)
        list_buttons = QGridLayout()
        list_buttons.addWidget(self.add_official_button, 0, 0)
        list_buttons.addWidget(self.add_copy_button, 0, 1)
        list_buttons.addWidget(self.remove_button, 1, 0)
        list_buttons.addWidget(self.up_button, 2, 0)
        list_buttons.addWidget(self.down_button, 2, 1)
        left = QVBoxLayout()
        left.addWidget(self.addressee_list, 1)
        left.addLayout(list_buttons)

        self.editor = QGroupBox(self.tr("The addressee"), page)
        self.name_edit = _line_edit(self.editor, MAX_NAME, self.tr("Name"))
        self.official_title_edit = _line_edit(
            self.editor, MAX_NAME, self.tr("Title"), self.tr("e.g. Minister of Justice")
        )
        self.address_edit = QPlainTextEdit(self.editor)
        self.address_edit.setAccessibleName(self.tr("Address"))
        self.address_edit.setTabChangesFocus(True)
        self.address_edit.setPlaceholderText(self.tr("One line per line of the envelope"))
        self.salutation_edit = _line_edit(
            self.editor, MAX_NAME, self.tr("Salutation"), self.tr("e.g. Dear Minister")
        )
        self.language_edit = _line_edit(
            self.editor, MAX_LANGUAGE, self.tr("Preferred language"), self.tr("e.g. es, fr, ar")
        )
        self.copy_check = QCheckBox(
            self.tr("Representative: gets a &copy, not a letter of their own"), self.editor
        )
        form = QFormLayout(self.editor)
        form.addRow(self.tr("Na&me:"), self.name_edit)
        form.addRow(self.tr("T&itle:"), self.official_title_edit)
        form.addRow(self.tr("Addre&ss:"), self.address_edit)
        form.addRow(self.tr("Sa&lutation:"), self.salutation_edit)
        form.addRow(self.tr("Lan&guage:"), self.language_edit)
        form.addRow("", self.copy_check)

        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addWidget(self.editor, 3)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(row, 1)

        self.addressee_list.currentRowChanged.connect(self._show_entry)
        self.add_official_button.clicked.connect(lambda: self.add_addressee(is_copy=False))
        self.add_copy_button.clicked.connect(lambda: self.add_addressee(is_copy=True))
        self.remove_button.clicked.connect(self.remove_addressee)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(+1))
        for edit in (
            self.name_edit,
            self.official_title_edit,
            self.salutation_edit,
            self.language_edit,
        ):
            edit.textEdited.connect(self._store_entry)
        self.address_edit.textChanged.connect(self._store_entry)
        self.copy_check.toggled.connect(self._store_entry)
        return page

    def _build_letter(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            self.tr(
                "The letter each writer signs. Words in braces are filled in for each "
                "writer and official; pick one on the right and Insert it where the "
                "cursor is. Write {{ or }} for a brace itself."
            ),
            page,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.template_edit = QPlainTextEdit(page)
        self.template_edit.setObjectName("template")
        self.template_edit.setAccessibleName(self.tr("Letter template"))
        self.template_edit.setTabChangesFocus(True)
        self.template_error = self.make_error_label(page)
        self.template_error.setObjectName("templateError")
        self.template_note = QLabel(page)
        self.template_note.setWordWrap(True)
        self.placeholder_list = QListWidget(page)
        self.placeholder_list.setObjectName("placeholders")
        self.placeholder_list.setAccessibleName(self.tr("Placeholders"))
        for name, meaning in PLACEHOLDERS.items():
            item = QListWidgetItem("{" + name + "}", self.placeholder_list)
            item.setToolTip(meaning)
            item.setData(Qt.ItemDataRole.UserRole, name)
        self.placeholder_list.setCurrentRow(0)
        self.placeholder_meaning = QLabel(page)
        self.placeholder_meaning.setWordWrap(True)
        self.placeholder_meaning.setTextFormat(Qt.TextFormat.PlainText)
        self.insert_button = QPushButton(self.tr("I&nsert"), page)
        self.standard_button = QPushButton(self.tr("Use the standard letter"), page)
        self.standard_button.setToolTip(self.tr("Replace the text with Group Desk's letter"))
        right = QVBoxLayout()
        placeholders_label = QLabel(self.tr("&Placeholders:"), page)
        placeholders_label.setBuddy(self.placeholder_list)
        right.addWidget(placeholders_label)
        right.addWidget(self.placeholder_list, 1)
        right.addWidget(self.placeholder_meaning)
        right.addWidget(self.insert_button)
        right.addWidget(self.standard_button)
        left = QVBoxLayout()
        left.addWidget(self.template_edit, 1)
        left.addWidget(self.template_error)
        left.addWidget(self.template_note)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addLayout(right, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(row, 1)
        self.template_edit.textChanged.connect(self._check_template)
        self.placeholder_list.currentRowChanged.connect(self._show_meaning)
        self.placeholder_list.itemActivated.connect(lambda _item: self.insert_placeholder())
        self.insert_button.clicked.connect(lambda: self.insert_placeholder())
        self.standard_button.clicked.connect(
            lambda: self.template_edit.setPlainText(DEFAULT_LETTER_TEMPLATE)
        )
        self._show_meaning(0)
        return page

    # --- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        detail = self._detail
        if detail is None:
            self.status_combo.setCurrentIndex(0)
            self.status_combo.setEnabled(False)  # a new case is open
            self.template_edit.setPlainText(DEFAULT_LETTER_TEMPLATE)
            self._refresh_addressee_buttons()
            self._check_template()
            return
        data = detail.data
        self.number_edit.setText(data.number)
        self.title_edit.setText(data.title)
        self.country_edit.setText(data.country)
        self.persons_edit.setPlainText(data.persons_at_risk)
        self.issue_edit.setText(data.issue)
        self.issued_edit.set_value(data.issued_on)
        self.deadline_edit.set_value(data.deadline)
        self.status_combo.setCurrentIndex(self.status_combo.findData(data.status))
        self.notes_edit.setPlainText(data.notes)
        self.template_edit.setPlainText(detail.letter_template)
        self._entries = list(data.addressees)
        self._fill_addressee_list(0 if self._entries else -1)
        self._check_template()

    # --- addressees ----------------------------------------------------------------------

    def addressees(self) -> list[AddresseeInput]:
        return list(self._entries)

    def _entry_text(self, entry: AddresseeInput) -> str:
        name = entry.name.strip() or self.tr("(no name yet)")
        text = f"{name} — {entry.title.strip()}" if entry.title.strip() else name
        return self.tr("Copy: {text}").format(text=text) if entry.is_copy else text

    def _fill_addressee_list(self, current: int) -> None:
        self.addressee_list.blockSignals(True)
        self.addressee_list.clear()
        for entry in self._entries:
            QListWidgetItem(self._entry_text(entry), self.addressee_list)
        self.addressee_list.blockSignals(False)
        self.addressee_list.setCurrentRow(current)
        self._show_entry(current)

    def add_addressee(self, *, is_copy: bool = False) -> None:
        self._entries.append(AddresseeInput(name="", is_copy=is_copy))
        self._fill_addressee_list(len(self._entries) - 1)
        self.tabs.setCurrentIndex(ADDRESSEES_TAB)
        self.name_edit.setFocus()

    def remove_addressee(self) -> None:
        row = self.addressee_list.currentRow()
        if 0 <= row < len(self._entries):
            del self._entries[row]
            self._fill_addressee_list(min(row, len(self._entries) - 1))

    def _move(self, step: int) -> None:
        row = self.addressee_list.currentRow()
        target = row + step
        if 0 <= row < len(self._entries) and 0 <= target < len(self._entries):
            entries = self._entries
            entries[row], entries[target] = entries[target], entries[row]
            self._fill_addressee_list(target)

    def _show_entry(self, row: int) -> None:
        entry = self._entries[row] if 0 <= row < len(self._entries) else None
        self.editor.setEnabled(entry is not None)
        shown = entry or AddresseeInput(name="")
        widgets = (
            self.name_edit,
            self.official_title_edit,
            self.address_edit,
            self.salutation_edit,
            self.language_edit,
            self.copy_check,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.name_edit.setText(shown.name)
        self.official_title_edit.setText(shown.title)
        self.address_edit.setPlainText(shown.address)
        self.salutation_edit.setText(shown.salutation)
        self.language_edit.setText(shown.language)
        self.copy_check.setChecked(shown.is_copy)
        for widget in widgets:
            widget.blockSignals(False)
        self._refresh_addressee_buttons()

    def _store_entry(self) -> None:
        row = self.addressee_list.currentRow()
        if not 0 <= row < len(self._entries):
            return
        # The id stays: letters already recorded against this addressee stay linked to it.
        entry = replace(
            self._entries[row],
            name=self.name_edit.text(),
            title=self.official_title_edit.text(),
            address=self.address_edit.toPlainText(),
            salutation=self.salutation_edit.text(),
            language=self.language_edit.text(),
            is_copy=self.copy_check.isChecked(),
        )
        self._entries[row] = entry
        item = self.addressee_list.item(row)
        if item is not None:
            item.setText(self._entry_text(entry))

    def _refresh_addressee_buttons(self) -> None:
        row = self.addressee_list.currentRow()
        chosen = 0 <= row < len(self._entries)
        self.remove_button.setEnabled(chosen)
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and row < len(self._entries) - 1)

    # --- the template --------------------------------------------------------------------

    def _show_meaning(self, row: int) -> None:
        item = self.placeholder_list.item(row)
        self.placeholder_meaning.setText(item.toolTip() if item is not None else "")

    def insert_placeholder(self, name: str | None = None) -> None:
        """Put {name} (or the placeholder chosen in the list) at the cursor."""
        if name is None:
            item = self.placeholder_list.currentItem()
            if item is None:
                return
            name = str(item.data(Qt.ItemDataRole.UserRole))
        cursor: QTextCursor = self.template_edit.textCursor()
        cursor.insertText("{" + name + "}")
        self.template_edit.setTextCursor(cursor)
        self.template_edit.setFocus()

    def template_problem(self) -> str:
        """What is wrong with the template, in words; "" when it can be printed."""
        text = self.template_edit.toPlainText()
        if not text.strip():
            return ""
        try:
            check_template(text)
        except TemplateError as exc:
            return str(exc)
        return ""

    def _check_template(self) -> None:
        problem = self.template_problem()
        self.show_field_error(self.template_error, problem)
        text = self.template_edit.toPlainText()
        if not text.strip():
            note = self.tr("Empty: the standard letter will be printed.")
        elif text == DEFAULT_LETTER_TEMPLATE:
            note = self.tr("This is Group Desk's standard letter.")
        else:
            note = ""
        self.template_note.setText(note)
        self.template_note.setVisible(bool(note) and not problem)

    # --- OK ------------------------------------------------------------------------------

    def _tidy_number(self) -> None:
        tidy = normalise_number(self.number_edit.text())
        if tidy != self.number_edit.text():
            self.number_edit.setText(tidy)

    def is_complete(self) -> bool:
        return bool(self.title_edit.text().strip())

    def data(self) -> UrgentActionInput:
        """What is typed, as the service takes it (the standard letter saved as "")."""
        template = self.template_edit.toPlainText()
        if template.strip() == DEFAULT_LETTER_TEMPLATE.strip():
            template = ""
        status = self.status_combo.currentData()
        base = self._detail.data if self._detail is not None else UrgentActionInput(title="")
        return replace(
            base,
            title=self.title_edit.text(),
            number=self.number_edit.text(),
            country=self.country_edit.text(),
            persons_at_risk=self.persons_edit.toPlainText(),
            issue=self.issue_edit.text(),
            issued_on=self.issued_edit.value(),
            deadline=self.deadline_edit.value(),
            status=UrgentActionStatus(status) if status else UrgentActionStatus.OPEN,
            template=template,
            notes=self.notes_edit.toPlainText(),
            addressees=tuple(self.addressees()),
        )

    def validate(self) -> bool:
        problem = self.template_problem()
        if problem:
            self.tabs.setCurrentIndex(LETTER_TAB)
            self.show_field_error(self.template_error, problem)
            self.show_field_error(self.error_label, self.tr("The letter template has a mistake."))
            self.template_edit.setFocus()
            return False
        return True

    def apply(self) -> bool:
        data = self.data()
        try:
            if self._ua_id is None:
                self.saved = create_urgent_action(self._db, data)
            else:
                self.saved = update_urgent_action(self._db, self._ua_id, data)
        except UrgentActionError as exc:
            message = str(exc)
            self.show_field_error(self.error_label, message)
            self._go_to_problem(message)
            return False
        self.show_field_error(self.error_label, "")
        return True

    def _go_to_problem(self, message: str) -> None:
        if message.startswith("Addressee"):
            self.tabs.setCurrentIndex(ADDRESSEES_TAB)
            number = message.split(":", 1)[0].split(",", 1)[0].removeprefix("Addressee").strip()
            if number.isdigit() and 0 < int(number) <= len(self._entries):
                self.addressee_list.setCurrentRow(int(number) - 1)
                self.name_edit.setFocus()
        elif message.startswith("Letter template"):
            self.tabs.setCurrentIndex(LETTER_TAB)
            self.template_edit.setFocus()
        else:
            self.tabs.setCurrentIndex(CASE_TAB)


# --- printing letters ----------------------------------------------------------------------


@dataclass(frozen=True)
class LetterOptions:
    """What PrintLettersDialog chose."""

    ua_id: int
    writer_ids: tuple[int, ...]
    event_id: int | None
    envelopes: EnvelopeStyle
    label_layout: str
    print_copies: bool
    page_size: PageSize
    letter_date: date


class PrintLettersDialog(BaseDialog):
    """Who writes, and on what paper: the letters of one case for a batch of writers."""

    def __init__(
        self,
        db: Database,
        ua_id: int,
        *,
        page_size: PageSize,
        events: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._detail = get_urgent_action(db, ua_id)
        self._writers: dict[int, str] = {}
        self._event_id: int | None = None
        data = self._detail.data
        self._officials = sum(1 for a in data.addressees if not a.is_copy)
        self._copies = sum(1 for a in data.addressees if a.is_copy)
        self.setWindowTitle(self.tr("Print letters: {case}").format(case=data.heading))
        self._build(page_size, events)
        self._update_summary()

    def _build(self, page_size: PageSize, events: list[tuple[int, str]]) -> None:
        from desktop_app.views.print_dialogs import make_label_sheet_combo, make_page_size_combo

        data = self._detail.data
        officials = QLabel(self)
        officials.setWordWrap(True)
        officials.setTextFormat(Qt.TextFormat.PlainText)
        names = ", ".join(a.name for a in data.addressees if not a.is_copy)
        officials.setText(
            self.tr("Officials: {names}").format(names=names)
            if names
            else self.tr("This case has no officials to write to yet: add them with Edit.")
        )

        writers_box = QGroupBox(self.tr("Who writes"), self)
        self.event_combo = QComboBox(writers_box)
        self.event_combo.setAccessibleName(self.tr("Letter-writing event"))
        self.event_combo.addItem(self.tr("(choose an event)"), None)
        for event_id, text in events:
            self.event_combo.addItem(text, event_id)
        self.add_event_button = QPushButton(self.tr("Add everyone who si&gned in"), writers_box)
        self.picker = PersonPicker(self._db, parent=writers_box)
        self.picker.setAccessibleName(self.tr("Add a writer from the roster"))
        self.picker.personChanged.connect(self._on_picked)
        self.writer_list = QListWidget(writers_box)
        self.writer_list.setObjectName("writers")
        self.writer_list.setAccessibleName(self.tr("Writers"))
        self.writer_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remove_writer_button = QPushButton(self.tr("Remo&ve from the list"), writers_box)
        self.clear_writers_button = QPushButton(self.tr("Clear the list"), writers_box)
        event_row = QHBoxLayout()
        event_row.addWidget(self.event_combo, 1)
        event_row.addWidget(self.add_event_button)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.remove_writer_button)
        list_buttons.addWidget(self.clear_writers_button)
        list_buttons.addStretch(1)
        writers_form = QFormLayout(writers_box)
        event_label = QLabel(self.tr("At an &event:"), writers_box)
        event_label.setBuddy(self.event_combo)
        writers_form.addRow(event_label, event_row)
        writers_form.addRow(self.tr("&From the roster:"), self.picker)
        writers_form.addRow(self.writer_list)
        writers_form.addRow(list_buttons)

        paper_box = QGroupBox(self.tr("Paper"), self)
        self.page_size_combo = make_page_size_combo(paper_box, page_size)
        self.envelope_combo = QComboBox(paper_box)
        self.envelope_combo.setAccessibleName(self.tr("Envelopes"))
        self.envelope_combo.addItem(self.tr("No envelopes"), EnvelopeStyle.NONE)
        self.envelope_combo.addItem(
            self.tr("Address labels on a label sheet"), EnvelopeStyle.LABELS
        )
        self.envelope_combo.addItem(
            self.tr("#10 envelopes (9½ × 4⅛ in)"), EnvelopeStyle.ENVELOPE_10
        )
        self.layout_combo = make_label_sheet_combo(paper_box, page_size)
        self.copies_check = QCheckBox(
            self.tr("Also print a &copy of each letter for each representative ({count})").format(
                count=self._copies
            ),
            paper_box,
        )
        self.copies_check.setVisible(self._copies > 0)
        self.date_edit = QDateEdit(QDate.currentDate(), paper_box)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setAccessibleName(self.tr("Date on the letters"))
        paper_form = QFormLayout(paper_box)
        paper_form.addRow(self.tr("&Paper size:"), self.page_size_combo)
        paper_form.addRow(self.tr("En&velopes:"), self.envelope_combo)
        paper_form.addRow(self.tr("&Label sheet:"), self.layout_combo)
        paper_form.addRow(self.tr("&Date on the letters:"), self.date_edit)
        paper_form.addRow("", self.copies_check)

        self.summary = QLabel(self)
        self.summary.setObjectName("letterSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.summary.font()
        bold.setBold(True)
        self.summary.setFont(bold)

        layout = QVBoxLayout(self)
        layout.addWidget(officials)
        layout.addWidget(writers_box, 1)
        layout.addWidget(paper_box)
        layout.addWidget(self.summary)
        box = self.make_button_box(ok_text=self.tr("&Make the letters"))
        layout.addWidget(box)

        self.add_event_button.clicked.connect(self.add_event_writers)
        self.event_combo.currentIndexChanged.connect(self._refresh_buttons)
        self.remove_writer_button.clicked.connect(self.remove_selected_writers)
        self.clear_writers_button.clicked.connect(self.clear_writers)
        self.writer_list.itemSelectionChanged.connect(self._refresh_buttons)
        self.envelope_combo.currentIndexChanged.connect(self._refresh_buttons)
        self.copies_check.toggled.connect(self._update_summary)
        self._refresh_buttons()
        self.resize(620, 640)

    # --- writers -------------------------------------------------------------------------

    def writer_ids(self) -> list[int]:
        return list(self._writers)

    def add_writer(self, person_id: int, name: str) -> None:
        if person_id in self._writers:
            return
        self._writers[person_id] = name
        item = QListWidgetItem(name, self.writer_list)
        item.setData(Qt.ItemDataRole.UserRole, person_id)
        self._update_summary()

    def choose_event(self, event_id: int) -> None:
        index = self.event_combo.findData(event_id)
        if index >= 0:
            self.event_combo.setCurrentIndex(index)

    def add_event_writers(self) -> int:
        """Add everyone who signed in at the chosen event; how many were added."""
        from desktop_app.services.printing_data import writers_at_event
        from desktop_app.services.roster import fetch_rows

        event_id = self.event_combo.currentData()
        if event_id is None:
            return 0
        ids = writers_at_event(self._db, int(event_id))
        before = len(self._writers)
        for row in fetch_rows(self._db, ids):
            self.add_writer(row.id, row.display_name)
        self._event_id = int(event_id)
        added = len(self._writers) - before
        if not ids:
            self.summary.setText(self.tr("Nobody signed in at that event yet."))
        return added

    def _on_picked(self, person_id: object) -> None:
        if isinstance(person_id, int):
            text = self.picker.line_edit.text().split(" — ", 1)[0]
            self.add_writer(person_id, text)
            self.picker.set_person(None)

    def remove_selected_writers(self) -> None:
        for item in self.writer_list.selectedItems():
            self._writers.pop(int(item.data(Qt.ItemDataRole.UserRole)), None)
            self.writer_list.takeItem(self.writer_list.row(item))
        self._update_summary()

    def clear_writers(self) -> None:
        self._writers.clear()
        self.writer_list.clear()
        self._event_id = None
        self._update_summary()

    # --- the rest ------------------------------------------------------------------------

    def _refresh_buttons(self) -> None:
        self.add_event_button.setEnabled(self.event_combo.currentData() is not None)
        self.remove_writer_button.setEnabled(bool(self.writer_list.selectedItems()))
        self.clear_writers_button.setEnabled(bool(self._writers))
        self.layout_combo.setEnabled(self.envelope_combo.currentData() == EnvelopeStyle.LABELS)
        self.refresh_ok_button()

    def letter_count(self) -> int:
        return len(self._writers) * self._officials

    def _update_summary(self) -> None:
        writers, officials = len(self._writers), self._officials
        text = self.tr(
            "{writers} writer(s) × {officials} official(s) = {letters} letter(s)"
        ).format(writers=writers, officials=officials, letters=self.letter_count())
        if self.copies_check.isChecked() and self._copies:
            text += self.tr(", and {copies} copies").format(
                copies=writers * officials * self._copies
            )
        deadline = self._detail.data.deadline
        if deadline is not None:
            text += "\n" + self.tr("Deadline: {date}").format(date=date_text(deadline))
        self.summary.setText(text)
        self._refresh_buttons()

    def is_complete(self) -> bool:
        return bool(self._writers) and self._officials > 0

    def options(self) -> LetterOptions:
        return LetterOptions(
            ua_id=self._detail.id,
            writer_ids=tuple(self._writers),
            event_id=self._event_id,
            envelopes=EnvelopeStyle(self.envelope_combo.currentData()),
            label_layout=str(self.layout_combo.currentData()),
            print_copies=self.copies_check.isChecked() and self._copies > 0,
            page_size=PageSize(self.page_size_combo.currentData()),
            letter_date=from_qdate(self.date_edit.date()),
        )

    def set_letter_date(self, value: date) -> None:
        self.date_edit.setDate(to_qdate(value))


__all__ = [
    "LetterOptions",
    "PrintLettersDialog",
    "UrgentActionDialog",
]
