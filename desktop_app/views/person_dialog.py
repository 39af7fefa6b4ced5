"""The person dialog: add someone to the roster or change what the group knows of them.

The dialog edits a PersonInput and hands it to a save callback given by the page,
which saves through an undo command; the dialog itself never writes. If the save is
refused, the message shows here and the dialog stays open, so nothing typed is lost.

Email, phone and postal code are checked as they are typed and the problem is shown
in words next to the field, but a problem never blocks saving: a volunteer copying a
sign-up sheet must be able to keep what was written. The person is then flagged for
review. Only a person with no name, email and phone at all cannot be saved.

Before saving someone whose email or phone is already on the roster, the dialog shows
who has it (as a link that opens that person instead) and asks: save anyway, or go back.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import JoinedVia, LadderStage, PersonStatus
from desktop_app.services.group import group_country
from desktop_app.services.labels import JOINED_VIA_LABELS, LADDER_LABELS, STATUS_LABELS
from desktop_app.services.roster import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    DuplicateHit,
    PersonDetail,
    PersonError,
    PersonInput,
    RoleTerm,
    RoleTypeRow,
    add_role_type,
    find_duplicates,
    get_person,
    list_role_types,
    list_tags,
    person_choices,
)
from desktop_app.services.validation import check_email, check_phone, check_postal_code
from desktop_app.text import email_key
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.table_models.roster_model import label_text

SaveCallback = Callable[[PersonInput], str]
"""Saves what the dialog holds; returns "" on success or the refusal, in words."""

PICKER_DELAY_MS = 150
_PERSON_LINK = "person:"


# --- small editors --------------------------------------------------------------------------


class OptionalDateEdit(QWidget):
    """A date that may be absent: a tick box that says whether there is one, and the date.

    A tick box is plainer than a date field with a magic "no date" value, and works
    the same with the keyboard (Space) and the mouse.
    """

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")  # unambiguous in every country
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.edit.setAccessibleName(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._on_toggled)
        self.edit.dateChanged.connect(self.changed)

    def _on_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        chosen = self.edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is None:
            self.edit.setDate(QDate.currentDate())
        else:
            self.edit.setDate(QDate(value.year, value.month, value.day))


class TagCompleter(QCompleter):
    """Completes the tag after the last comma of a comma-separated list."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        chosen = super().pathFromIndex(index)
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = [part.strip() for part in text.split(",")[:-1] if part.strip()]
        return ", ".join([*head, chosen])


class PersonPicker(QWidget):
    """Pick a person by typing part of a name, email or phone ("invited by").

    Signals:
        personChanged(object): the chosen person's id, or None when cleared.
    """

    personChanged = Signal(object)

    def __init__(
        self, db: Database, exclude_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._exclude_id = exclude_id
        self._person_id: int | None = None
        self._chosen_text = ""
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(self.tr("Type part of a name, email or phone"))
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setMaxLength(MAX_NAME_LENGTH)
        self._choices = QStandardItemModel(self)
        self.completer = QCompleter(self._choices, self)
        # The roster service already chose the best matches; show them all.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.line_edit)
        # The overload with the index, whose UserRole holds the person's id.
        self.completer.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PICKER_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.line_edit.textEdited.connect(self._on_edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit)
        self.setFocusProxy(self.line_edit)

    def person_id(self) -> int | None:
        return self._person_id

    def set_person(self, person_id: int | None, text: str = "") -> None:
        self._person_id = person_id
        self._chosen_text = text if person_id is not None else ""
        self.line_edit.setText(self._chosen_text)

    def _on_edited(self, text: str) -> None:
        if self._person_id is not None and text != self._chosen_text:
            self._person_id = None
            self._chosen_text = ""
            self.personChanged.emit(None)
        self._timer.start()

    def _search(self) -> None:
        text = self.line_edit.text().strip()
        self._choices.clear()
        popup = self.completer.popup()
        if not text:
            if popup is not None:
                popup.hide()
            return
        for choice in person_choices(self._db, text, exclude_id=self._exclude_id):
            label = choice.display_name or choice.detail
            if choice.detail and choice.display_name:
                label = f"{choice.display_name} — {choice.detail}"
            item = QStandardItem(label)
            item.setData(choice.id, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self._choices.appendRow(item)
        if self._choices.rowCount():
            self.completer.complete()
        elif popup is not None:
            popup.hide()

    def _on_activated(self, index: QModelIndex) -> None:
        person_id = index.data(Qt.ItemDataRole.UserRole)
        if person_id is None:
            return
        self._person_id = int(person_id)
        self._chosen_text = str(index.data(Qt.ItemDataRole.DisplayRole))
        # A completer set with setWidget() (not QLineEdit.setCompleter) writes no text.
        self.line_edit.setText(self._chosen_text)
        self.personChanged.emit(self._person_id)


@dataclass
class _RoleRow:
    combo: QComboBox
    start: OptionalDateEdit
    end: OptionalDateEdit
    remove: QToolButton
    term_id: int | None
    notes: str


class RoleTermsEditor(QWidget):
    """The roles a person holds or held: role, from, until; rows added and removed."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._role_types: list[RoleTypeRow] = list_role_types(db)
        self._rows: list[_RoleRow] = []
        self._grid = QGridLayout()
        self._grid.setColumnStretch(0, 1)
        for column, text in enumerate((self.tr("Role"), self.tr("From"), self.tr("Until"))):
            header = QLabel(text, self)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self._grid.addWidget(header, 0, column)
        self._empty = QLabel(self.tr("No roles yet."), self)
        self._grid.addWidget(self._empty, 1, 0, 1, 4)
        self.add_button = QPushButton(self.tr("&Add a role term"), self)
        self.add_button.setToolTip(self.tr("A role this person holds, or held, for a time."))
        self.add_button.clicked.connect(self._on_add_clicked)
        self.message = BaseDialog.make_error_label(self)
        outer = QVBoxLayout(self)
        outer.addLayout(self._grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        outer.addWidget(self.message)
        outer.addStretch(1)

    # Reading and writing ----------------------------------------------------------------

    def set_terms(self, terms: tuple[RoleTerm, ...]) -> None:
        for term in terms:
            self.add_row(term)

    def terms(self) -> tuple[RoleTerm, ...]:
        terms = []
        for row in self._rows:
            role_type_id = row.combo.currentData()
            if not isinstance(role_type_id, int):
                continue
            terms.append(
                RoleTerm(
                    role_type_id=role_type_id,
                    start_date=row.start.value(),
                    end_date=row.end.value(),
                    notes=row.notes,
                    id=row.term_id,
                )
            )
        return tuple(terms)

    def problem(self) -> str:
        for row in self._rows:
            start, end = row.start.value(), row.end.value()
            if start and end and end < start:
                name = row.combo.currentText()
                return self.tr("{role}: the end date is before the start date.").format(role=name)
        return ""

    # Rows -------------------------------------------------------------------------------

    def _on_add_clicked(self) -> None:
        row = self.add_row(RoleTerm(role_type_id=-1, start_date=date.today()))
        row.combo.setFocus()

    def add_row(self, term: RoleTerm) -> _RoleRow:
        combo = QComboBox(self)
        combo.setAccessibleName(self.tr("Role"))
        self._fill_combo(combo, term.role_type_id)
        # The column headings say From and Until; the tick boxes need no words of their own.
        start = OptionalDateEdit("", self)
        start.check.setAccessibleName(self.tr("Start date known"))
        start.edit.setAccessibleName(self.tr("Start date"))
        start.set_value(term.start_date)
        end = OptionalDateEdit("", self)
        end.check.setAccessibleName(self.tr("Has ended"))
        end.edit.setAccessibleName(self.tr("End date"))
        end.check.setToolTip(self.tr("Leave unticked while they still hold the role."))
        end.set_value(term.end_date)
        remove = QToolButton(self)
        remove.setText(self.tr("Remove"))
        remove.setToolTip(self.tr("Remove this role term"))
        row = _RoleRow(combo, start, end, remove, term.id, term.notes)
        self._rows.append(row)
        grid_row = len(self._rows)
        self._grid.addWidget(combo, grid_row, 0)
        self._grid.addWidget(start, grid_row, 1)
        self._grid.addWidget(end, grid_row, 2)
        self._grid.addWidget(remove, grid_row, 3)
        self._empty.setVisible(False)
        combo.activated.connect(lambda _index, c=combo: self._on_role_chosen(c))
        combo.currentIndexChanged.connect(self._on_changed)
        start.changed.connect(self._on_changed)
        end.changed.connect(self._on_changed)
        remove.clicked.connect(lambda _checked=False, r=row: self.remove_row(r))
        self._on_changed()
        return row

    def remove_row(self, row: _RoleRow) -> None:
        self._rows.remove(row)
        for gone in (row.combo, row.start, row.end, row.remove):
            self._grid.removeWidget(gone)
            gone.deleteLater()
        # Rows below move up a line, so the grid keeps no holes.
        for number, kept in enumerate(self._rows, start=1):
            for column, widget in enumerate((kept.combo, kept.start, kept.end, kept.remove)):
                self._grid.addWidget(widget, number, column)
        self._empty.setVisible(not self._rows)
        self.add_button.setFocus()
        self._on_changed()

    def _on_changed(self) -> None:
        BaseDialog.show_field_error(self.message, self.problem())
        self.changed.emit()

    # Role types -------------------------------------------------------------------------

    def _fill_combo(self, combo: QComboBox, selected: int | None) -> None:
        with QSignalBlocker(combo):
            combo.clear()
            if selected == -1:
                combo.addItem(self.tr("Choose a role…"), None)
            for role in self._role_types:
                combo.addItem(role.name, role.id)
            combo.addItem(self.tr("Add a role…"), "new")
            index = combo.findData(selected)
            combo.setCurrentIndex(max(index, 0))

    def _on_role_chosen(self, combo: QComboBox) -> None:
        if combo.currentData() != "new":
            return
        name, ok = QInputDialog.getText(
            self,
            self.tr("Add a role"),
            self.tr("Name of the new role (for example Social Media):"),
        )
        new_id: int | None = None
        if ok and name.strip():
            try:
                new_id = add_role_type(self._db, name).id
            except PersonError as exc:
                BaseDialog.show_field_error(self.message, str(exc))
        previous = {id(row.combo): row.combo.currentData() for row in self._rows}
        self._role_types = list_role_types(self._db)
        for row in self._rows:
            wanted = new_id if row.combo is combo else previous[id(row.combo)]
            if row.combo is combo and new_id is None:
                wanted = -1  # back to "Choose a role…"
            self._fill_combo(row.combo, wanted)
        self._on_changed()


# --- the dialog ------------------------------------------------------------------------------


class PersonDialog(BaseDialog):
    """Add a person (person_id None) or edit one; returns a PersonInput via person_input().

    Signals:
        openPersonRequested(int): the user chose to open an existing person (from the
            duplicate warning) instead of saving this one; the dialog closes first.
    """

    openPersonRequested = Signal(int)

    def __init__(
        self,
        db: Database,
        person_id: int | None = None,
        parent: QWidget | None = None,
        *,
        save: SaveCallback | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._person_id = person_id
        self._save = save
        self._country = group_country(db)
        self._detail: PersonDetail | None = get_person(db, person_id) if person_id else None
        self._duplicates_accepted_for: tuple[str, str] | None = None
        self._consent_before_dnc = (False, False, False)
        self.setWindowTitle(
            self.tr("New person")
            if self._detail is None
            else self.tr("Edit {name}").format(name=self._detail.display_name or "…")
        )
        self._build()
        self._load(self._detail.data if self._detail else self._new_person_defaults())
        self._connect()
        self._refresh_checks()
        self.refresh_ok_button()

    # --- what the page asks ------------------------------------------------------------------

    def person_id(self) -> int | None:
        return self._person_id

    def loaded_input(self) -> PersonInput | None:
        """The person as read when the dialog opened (None for a new person)."""
        return self._detail.data if self._detail else None

    def person_input(self) -> PersonInput:
        """What the dialog holds now, text as typed."""
        return PersonInput(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            preferred_name=self.preferred_name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            address_line1=self.address_line1.text(),
            address_line2=self.address_line2.text(),
            city=self.city.text(),
            region=self.region.text(),
            postal_code=self.postal_code.text(),
            country=self.country.text(),
            status=self.status.currentData(),
            dues_paid_through=self.dues_paid_through.value(),
            dues_waived=self.dues_waived.isChecked(),
            school=self.school.text(),
            graduation_year=self._graduation_year(),
            joined_via=self.joined_via.currentData(),
            joined_on=self.joined_on.value(),
            invited_by_id=self.invited_by.person_id(),
            ladder_stage=self.ladder_stage.currentData(),
            email_ok=self.email_ok.isChecked(),
            phone_ok=self.phone_ok.isChecked(),
            mail_ok=self.mail_ok.isChecked(),
            do_not_contact=self.do_not_contact.isChecked(),
            notes=self.notes.toPlainText(),
            tags=tuple(part.strip() for part in self.tags.text().split(",") if part.strip()),
            roles=self.roles.terms(),
        )

    # --- building ----------------------------------------------------------------------------

    def _line(self, accessible: str, max_length: int = MAX_TEXT_LENGTH) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setMaxLength(max_length)
        edit.setAccessibleName(accessible)
        return edit

    def _build(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_contact_tab(), self.tr("&Contact"))
        self.tabs.addTab(self._build_membership_tab(), self.tr("&Membership"))
        self.roles = RoleTermsEditor(self._db, self)
        self._roles_tab = self._scrolling(self.roles)
        self.tabs.addTab(self._roles_tab, self.tr("&Roles"))
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.tabs.addTab(self.notes, self.tr("N&otes"))
        if self._detail is not None:
            self.tabs.addTab(self._build_history_tab(self._detail), self.tr("Histor&y"))

        self.incomplete_message = QLabel(self)
        self.incomplete_message.setTextFormat(Qt.TextFormat.PlainText)
        self.incomplete_message.setWordWrap(True)
        self.review_message = QLabel(self)
        self.review_message.setTextFormat(Qt.TextFormat.PlainText)
        self.review_message.setWordWrap(True)
        self.review_message.setVisible(False)
        self.save_error = self.make_error_label(self)
        self._build_duplicate_panel()

        box = self.make_button_box(
            ok_text=self.tr("Save") if self._detail else self.tr("Add to roster")
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.incomplete_message)
        layout.addWidget(self.review_message)
        layout.addWidget(self.duplicate_panel)
        layout.addWidget(self.save_error)
        layout.addWidget(box)
        self.resize(640, 600)

    def _buddy(self, text: str, field: QWidget) -> QLabel:
        """A form label whose Alt+letter goes to field (rows holding a layout need one)."""
        label = QLabel(text, self)
        label.setBuddy(field)
        return label

    def _beside(self, first: QWidget, text: str, second: QWidget) -> QHBoxLayout:
        """A row: first taking the room, then second with its label (Alt+letter to it)."""
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addWidget(self._buddy(text, second))
        row.addWidget(second)
        return row

    @staticmethod
    def _scrolling(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(widget)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

    def _build_contact_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.given_name = self._line(self.tr("Given name"), MAX_NAME_LENGTH)
        self.family_name = self._line(self.tr("Family name"), MAX_NAME_LENGTH)
        self.preferred_name = self._line(self.tr("Preferred name"), MAX_NAME_LENGTH)
        self.preferred_name.setPlaceholderText(self.tr("What they like to be called, if not that"))
        self.email = self._line(self.tr("Email"))
        self.email_problem = self.make_error_label(page)
        self.phone = self._line(self.tr("Phone"), 100)
        self.phone.setPlaceholderText(self.tr("With area code, or + and the country code"))
        self.phone_problem = self.make_error_label(page)
        self.address_line1 = self._line(self.tr("Address"))
        self.address_line2 = self._line(self.tr("Address line 2"))
        self.city = self._line(self.tr("City"), 200)
        self.region = self._line(self.tr("State or region"), 200)
        self.postal_code = self._line(self.tr("Postal code"), 20)
        self.postal_problem = self.make_error_label(page)
        self.country = self._line(self.tr("Country"), 2)
        self.country.setPlaceholderText(self._country)
        self.country.setToolTip(
            self.tr("Two letters, like US, GB or IE; leave empty for the group's own country.")
        )
        self.country.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMMMM"))

        form.addRow(self.tr("&Given name:"), self.given_name)
        form.addRow(self.tr("&Family name:"), self.family_name)
        form.addRow(self.tr("&Preferred name:"), self.preferred_name)
        form.addRow(self.tr("&Email:"), self.email)
        form.addRow("", self.email_problem)
        form.addRow(self.tr("P&hone:"), self.phone)
        form.addRow("", self.phone_problem)
        form.addRow(self.tr("&Address:"), self.address_line1)
        form.addRow("", self.address_line2)
        form.addRow(self.tr("Ci&ty:"), self.city)
        form.addRow(self.tr("&State/region:"), self.region)
        postal_row = self._beside(self.postal_code, self.tr("Co&untry:"), self.country)
        form.addRow(self._buddy(self.tr("Postal co&de:"), self.postal_code), postal_row)
        form.addRow("", self.postal_problem)

        consent = QGroupBox(self.tr("May the group contact them?"), page)
        self.email_ok = QCheckBox(self.tr("By email"), consent)
        self.phone_ok = QCheckBox(self.tr("By phone"), consent)
        self.mail_ok = QCheckBox(self.tr("By post"), consent)
        self.do_not_contact = QCheckBox(self.tr("Do &not contact"), consent)
        dnc_help = self.tr(
            "They asked not to be contacted at all. This turns off email, phone and post, "
            "and every export, label run and mailing list leaves them out."
        )
        self.do_not_contact.setToolTip(dnc_help)
        consent_layout = QHBoxLayout(consent)
        for box in (self.email_ok, self.phone_ok, self.mail_ok, self.do_not_contact):
            consent_layout.addWidget(box)
        consent_layout.addStretch(1)

        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(consent)
        layout.addStretch(1)
        return page

    def _build_membership_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.status = QComboBox(page)
        for status in PersonStatus:
            self.status.addItem(label_text(STATUS_LABELS[status]), status)
        self.ladder_stage = QComboBox(page)
        for stage in LadderStage:
            self.ladder_stage.addItem(label_text(LADDER_LABELS[stage]), stage)
        self.ladder_stage.setToolTip(
            self.tr(
                "The ladder of engagement: signed up, came to a first event, comes "
                "regularly, takes a role, leads."
            )
        )
        self.joined_via = QComboBox(page)
        for via in JoinedVia:
            self.joined_via.addItem(label_text(JOINED_VIA_LABELS[via]), via)
        self.invited_by = PersonPicker(self._db, self._person_id, page)
        self.invited_by.line_edit.setAccessibleName(self.tr("Invited by"))
        self.joined_on = OptionalDateEdit(self.tr("known"), page)
        self.dues_paid_through = OptionalDateEdit(self.tr("paid through"), page)
        self.dues_waived = QCheckBox(self.tr("Dues waived"), page)
        self.dues_waived.setToolTip(self.tr("They are a member without paying dues."))
        dues_row = QHBoxLayout()
        dues_row.addWidget(self.dues_paid_through)
        dues_row.addWidget(self.dues_waived)
        dues_row.addStretch(1)
        self.tags = self._line(self.tr("Tags"))
        self.tags.setPlaceholderText(self.tr("Separated by commas, e.g. letters, tabling-2026"))
        self._tag_model = QStringListModel(list_tags(self._db), self)
        tag_completer = TagCompleter(self._tag_model, self)
        tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(tag_completer)
        self.school = self._line(self.tr("School"), 200)
        self.graduation_year = QSpinBox(page)
        this_year = date.today().year
        # One below the range means "not given"; the spin box shows a dash there.
        self.graduation_year.setRange(1949, this_year + 10)
        self.graduation_year.setSpecialValueText(self.tr("—"))
        self.graduation_year.setAccessibleName(self.tr("Graduation year"))
        school_row = self._beside(self.school, self.tr("&Graduating in:"), self.graduation_year)

        form.addRow(self.tr("&Status:"), self.status)
        form.addRow(self.tr("&Ladder stage:"), self.ladder_stage)
        form.addRow(self.tr("How they &joined:"), self.joined_via)
        form.addRow(self.tr("&Invited by:"), self.invited_by)
        form.addRow(self.tr("Joined o&n:"), self.joined_on)
        form.addRow(self._buddy(self.tr("&Dues:"), self.dues_paid_through), dues_row)
        form.addRow(self.tr("&Tags:"), self.tags)
        form.addRow(self._buddy(self.tr("Sc&hool:"), self.school), school_row)
        return page

    def _build_history_tab(self, detail: PersonDetail) -> QWidget:
        history = QListWidget(self)
        history.setAccessibleName(self.tr("History"))
        history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for item in detail.history:
            when = item.when.isoformat() if item.when else "…"
            history.addItem(f"{when}   {item.text}")
        return history

    def _build_duplicate_panel(self) -> None:
        self.duplicate_panel = QFrame(self)
        self.duplicate_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.duplicate_label = QLabel(self.duplicate_panel)
        # Rich text only for the links; every name in it is escaped (see _show_duplicates).
        self.duplicate_label.setTextFormat(Qt.TextFormat.RichText)
        self.duplicate_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.linkActivated.connect(self._on_duplicate_link)
        self.save_anyway_button = QPushButton(self.tr("Save anyway"), self.duplicate_panel)
        self.go_back_button = QPushButton(self.tr("Go back"), self.duplicate_panel)
        self.save_anyway_button.clicked.connect(self._on_save_anyway)
        self.go_back_button.clicked.connect(self._on_go_back)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.go_back_button)
        buttons.addWidget(self.save_anyway_button)
        layout = QVBoxLayout(self.duplicate_panel)
        layout.addWidget(self.duplicate_label)
        layout.addLayout(buttons)
        self.duplicate_panel.setVisible(False)

    # --- loading -------------------------------------------------------------------------------

    def _new_person_defaults(self) -> PersonInput:
        return PersonInput(joined_on=date.today())

    def _load(self, data: PersonInput) -> None:
        for name in (
            "given_name",
            "family_name",
            "preferred_name",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "country",
            "school",
        ):
            edit: QLineEdit = getattr(self, name)
            edit.setText(getattr(data, name))
            edit.setCursorPosition(0)
        self.status.setCurrentIndex(self.status.findData(data.status))
        self.ladder_stage.setCurrentIndex(self.ladder_stage.findData(data.ladder_stage))
        self.joined_via.setCurrentIndex(self.joined_via.findData(data.joined_via))
        self.joined_on.set_value(data.joined_on)
        self.dues_paid_through.set_value(data.dues_paid_through)
        self.dues_waived.setChecked(data.dues_waived)
        self.graduation_year.setValue(data.graduation_year or self.graduation_year.minimum())
        invited_name = self._detail.invited_by_name if self._detail else ""
        self.invited_by.set_person(data.invited_by_id, invited_name)
        self.email_ok.setChecked(data.email_ok)
        self.phone_ok.setChecked(data.phone_ok)
        self.mail_ok.setChecked(data.mail_ok)
        self._consent_before_dnc = (data.email_ok, data.phone_ok, data.mail_ok)
        self.do_not_contact.setChecked(data.do_not_contact)
        self._apply_do_not_contact(data.do_not_contact)
        self.notes.setPlainText(data.notes)
        self.tags.setText(", ".join(data.tags))
        self.roles.set_terms(data.roles)

    def _graduation_year(self) -> int | None:
        value = self.graduation_year.value()
        return None if value == self.graduation_year.minimum() else value

    def _connect(self) -> None:
        for edit in (self.given_name, self.family_name, self.email, self.phone):
            edit.textChanged.connect(self._on_identity_changed)
        self.email.textChanged.connect(self._refresh_checks)
        self.phone.textChanged.connect(self._refresh_checks)
        self.postal_code.textChanged.connect(self._refresh_checks)
        self.country.textChanged.connect(self._refresh_checks)
        self.do_not_contact.toggled.connect(self._on_do_not_contact)
        self.roles.changed.connect(self.refresh_ok_button)

    # --- checks as you type ----------------------------------------------------------------------

    def is_complete(self) -> bool:
        if self._detail is not None and self._detail.erased_at is not None:
            return False
        return (
            any(edit.text().strip() for edit in (self.given_name, self.family_name))
            or bool(self.email.text().strip() or self.phone.text().strip())
        ) and not self.roles.problem()

    def _on_identity_changed(self) -> None:
        self._hide_duplicates()
        self.refresh_ok_button()

    def refresh_ok_button(self) -> None:
        super().refresh_ok_button()
        if not hasattr(self, "incomplete_message"):
            return  # called by make_button_box while the dialog is being built
        missing = not any(
            edit.text().strip()
            for edit in (self.given_name, self.family_name, self.email, self.phone)
        )
        message = ""
        if self._detail is not None and self._detail.erased_at is not None:
            message = self.tr(
                "This person's data was erased on their request; the record cannot be edited."
            )
        elif missing:
            message = self.tr("Give at least a name, an email or a phone number to save.")
        self.incomplete_message.setText(message)
        self.incomplete_message.setVisible(bool(message))

    def _refresh_checks(self) -> None:
        country = self.country.text().strip().upper() or self._country
        checks = (
            (self.email_problem, check_email(self.email.text()).problem),
            (self.phone_problem, check_phone(self.phone.text(), self._country).problem),
            (self.postal_problem, check_postal_code(self.postal_code.text(), country).problem),
        )
        for label, problem in checks:
            self.show_field_error(label, problem)
        flagged = any(problem for _label, problem in checks)
        self.review_message.setText(
            self.tr(
                "You can still save: what is written is kept as it is, and the person is "
                "flagged for review so someone can check it later."
            )
            if flagged
            else ""
        )
        self.review_message.setVisible(flagged)

    def _on_do_not_contact(self, on: bool) -> None:
        if on:
            self._consent_before_dnc = (
                self.email_ok.isChecked(),
                self.phone_ok.isChecked(),
                self.mail_ok.isChecked(),
            )
        self._apply_do_not_contact(on)
        if not on:
            # Unticking by mistake gives back what was ticked before.
            for box, was in zip(
                (self.email_ok, self.phone_ok, self.mail_ok), self._consent_before_dnc, strict=True
            ):
                box.setChecked(was)

    def _apply_do_not_contact(self, on: bool) -> None:
        why = self.tr("Turned off: this person asked not to be contacted.")
        for box in (self.email_ok, self.phone_ok, self.mail_ok):
            if on:
                box.setChecked(False)
            box.setEnabled(not on)
            box.setToolTip(why if on else "")

    # --- saving ----------------------------------------------------------------------------------

    def validate(self) -> bool:
        self.show_field_error(self.save_error, "")
        problem = self.roles.problem()
        if problem:
            self.tabs.setCurrentWidget(self._roles_tab)
            return False
        email, phone = self.email.text(), self.phone.text()
        key = (email_key(email), phone.strip())
        if self._duplicates_accepted_for == key:
            return True
        hits = find_duplicates(self._db, email=email, phone=phone, exclude_id=self._person_id)
        if not hits:
            return True
        self._show_duplicates(hits)
        return False

    def _show_duplicates(self, hits: list[DuplicateHit]) -> None:
        lines = []
        for hit in hits[:5]:
            name = html.escape(hit.display_name or hit.email or hit.phone or "…")
            reason = self.tr("same email") if hit.reason == "same email" else self.tr("same phone")
            where = self.tr(", in the trash") if hit.in_trash else ""
            lines.append(f"<a href='{_PERSON_LINK}{hit.id}'>{name}</a> ({reason}{where})")
        intro = html.escape(
            self.tr("Already on the roster with this email or phone:")
            if len(hits) == 1
            else self.tr("Already on the roster with this email or phone ({count} people):").format(
                count=len(hits)
            )
        )
        hint = html.escape(
            self.tr(
                "Click a name to open that person instead (what you typed here is not saved), "
                "or save this person as well."
            )
        )
        self.duplicate_label.setText(f"{intro}<br>{'<br>'.join(lines)}<br><small>{hint}</small>")
        self.duplicate_panel.setVisible(True)
        self.go_back_button.setDefault(True)
        self.go_back_button.setFocus()

    def _hide_duplicates(self) -> None:
        if self.duplicate_panel.isHidden():
            return
        self.duplicate_panel.setVisible(False)
        # Enter means OK again once the question is answered.
        self.go_back_button.setDefault(False)
        ok = self.ok_button()
        if ok is not None:
            ok.setDefault(True)

    def _on_save_anyway(self) -> None:
        self._duplicates_accepted_for = (email_key(self.email.text()), self.phone.text().strip())
        self._hide_duplicates()
        self.accept()

    def _on_go_back(self) -> None:
        self._hide_duplicates()
        self.tabs.setCurrentIndex(0)
        self.email.setFocus()

    def _on_duplicate_link(self, link: str) -> None:
        if not link.startswith(_PERSON_LINK):
            return
        person_id = int(link.removeprefix(_PERSON_LINK))
        # Said before closing, so whoever opened the dialog knows why it closed.
        self.openPersonRequested.emit(person_id)
        self.reject()

    def apply(self) -> bool:
        if self._save is None:
            return True
        error = self._save(self.person_input())
        if error:
            self.show_field_error(self.save_error, error)
            return False
        return True
