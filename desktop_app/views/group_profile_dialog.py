"""The group profile dialog, also shown on the very first start (first-run mode).

It edits what services.group keeps about the group: its name and number, local or
student group, where it meets, the country phone numbers are read in, and the
sign-up kiosk's PIN, consent wording and interests. Problems are shown in words
next to the field they concern; the service's ProfileError names that field.

In first-run mode there is no database yet: OK creates it (through the callable the
caller passes, which knows where and how) and saves the profile into it, and a
third button lets a newcomer look around a demo group instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database, DatabaseError
from desktop_app.models import GroupKind
from desktop_app.services.group import (
    DEFAULT_CONSENT_TEXT,
    GroupProfileData,
    ProfileError,
    get_profile,
    save_profile,
)
from desktop_app.services.validation import check_email
from desktop_app.views.base_dialog import BaseDialog

# "US", "us", "US - United States", "US — United States": the code is what counts.
_COUNTRY_TEXT = re.compile(r"^\s*([A-Za-z]{2})\s*(?:[-–—].*)?$")


class GroupProfileDialog(BaseDialog):
    """Edit the group profile of db, or (first_run=True) create the database with it."""

    #: exec() result when the user chose "Look around with demo data" (first run only).
    DEMO = 2

    def __init__(
        self,
        db: Database | None,
        parent: QWidget | None = None,
        *,
        first_run: bool = False,
        create_database: Callable[[], Database] | None = None,
    ) -> None:
        super().__init__(parent)
        if db is None and create_database is None:
            raise ValueError("GroupProfileDialog needs a database or a way to create one")
        self._db = db
        self._create_database = create_database
        self._first_run = first_run
        self._has_pin = False
        self._currency = "USD"
        self.setWindowTitle(
            self.tr("Welcome to Group Desk") if first_run else self.tr("Group profile")
        )
        self._build()
        self._load()
        self.refresh_ok_button()

    @property
    def database(self) -> Database | None:
        """The database the profile was saved in (in first-run mode, the one just made)."""
        return self._db

    @property
    def first_run(self) -> bool:
        return self._first_run

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        if self._first_run:
            intro = QLabel(
                self.tr(
                    "Tell Group Desk about your group. Only the name is needed now; "
                    "you can change everything later under File > Group profile."
                ),
                self,
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)

        columns = QHBoxLayout()
        columns.addWidget(self._build_group_box(), 1)
        columns.addWidget(self._build_kiosk_box(), 1)
        layout.addLayout(columns)

        self.general_error = self.make_error_label(self)
        layout.addWidget(self.general_error)

        box = self.make_button_box(
            ok_text=self.tr("Create the &database") if self._first_run else ""
        )
        if self._first_run:
            self.demo_button = QPushButton(self.tr("Look &around with demo data"), self)
            self.demo_button.setToolTip(
                self.tr("Open a made-up group to try things out; your own database comes later.")
            )
            box.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.demo_button.clicked.connect(lambda: self.done(self.DEMO))
        layout.addWidget(box)

    def _row(
        self, form: QFormLayout, text: str, field: QWidget, error: QLabel | None = None
    ) -> None:
        """A form row whose label's mnemonic reaches the field, with its error under it."""
        label = QLabel(text, self)
        label.setBuddy(field)
        if error is None:
            form.addRow(label, field)
            return
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(error)
        form.addRow(label, holder)

    def _build_group_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Your group"), self)
        form = QFormLayout(box)

        self.name_edit = QLineEdit(box)
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(self.tr("e.g. Riverside Human Rights Group"))
        self.name_edit.textChanged.connect(self.refresh_ok_button)
        self.name_error = self.make_error_label(box)
        self._row(form, self.tr("Group &name:"), self.name_edit, self.name_error)

        self.number_edit = QLineEdit(box)
        self.number_edit.setMaxLength(40)
        self.number_edit.setPlaceholderText(self.tr("optional, once chartered"))
        self._row(form, self.tr("Group n&umber:"), self.number_edit)

        kinds = QWidget(box)
        kinds_layout = QHBoxLayout(kinds)
        kinds_layout.setContentsMargins(0, 0, 0, 0)
        self.local_radio = QRadioButton(self.tr("&Local group"), kinds)
        self.student_radio = QRadioButton(self.tr("&Student group"), kinds)
        self.local_radio.setChecked(True)
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.local_radio)
        self._kind_group.addButton(self.student_radio)
        kinds_layout.addWidget(self.local_radio)
        kinds_layout.addWidget(self.student_radio)
        kinds_layout.addStretch(1)
        form.addRow(QLabel(self.tr("Kind:"), box), kinds)

        self.city_edit = QLineEdit(box)
        self._row(form, self.tr("Ci&ty:"), self.city_edit)
        self.region_edit = QLineEdit(box)
        self._row(form, self.tr("State / &region:"), self.region_edit)

        self.country_combo = QComboBox(box)
        self.country_combo.setEditable(True)
        self.country_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, name in self._common_countries():
            self.country_combo.addItem(f"{code} — {name}", code)
        self.country_combo.setToolTip(
            self.tr(
                "Phone numbers written without + are read as numbers of this country. "
                "Pick one or type its two-letter code."
            )
        )
        self.country_error = self.make_error_label(box)
        self._row(form, self.tr("Countr&y:"), self.country_combo, self.country_error)

        self.meeting_edit = QLineEdit(box)
        self.meeting_edit.setMaxLength(300)
        self.meeting_edit.setPlaceholderText(self.tr("e.g. Public library, room 2"))
        self._row(form, self.tr("&Meeting place:"), self.meeting_edit)

        self.email_edit = QLineEdit(box)
        self.email_edit.setMaxLength(320)
        self.email_edit.setPlaceholderText(self.tr("e.g. riverside@example.org"))
        self.email_error = self.make_error_label(box)
        self._row(form, self.tr("Contact &email:"), self.email_edit, self.email_error)
        return box

    def _build_kiosk_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sign-up kiosk"), self)
        form = QFormLayout(box)
        digits = QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self)

        self.pin_edit = QLineEdit(box)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setValidator(digits)
        self.pin_edit.setToolTip(
            self.tr("4 to 12 digits. Needed to leave the sign-up kiosk at a table.")
        )
        self.pin_error = self.make_error_label(box)
        self._row(form, self.tr("Kiosk &PIN:"), self.pin_edit, self.pin_error)

        self.pin_confirm_edit = QLineEdit(box)
        self.pin_confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_confirm_edit.setValidator(digits)
        self.pin_confirm_error = self.make_error_label(box)
        self._row(form, self.tr("Con&firm PIN:"), self.pin_confirm_edit, self.pin_confirm_error)

        self.consent_edit = QPlainTextEdit(box)
        self.consent_edit.setTabChangesFocus(True)
        self.consent_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self._row(form, self.tr("Consent &wording:"), self.consent_edit)

        self.interests_edit = QPlainTextEdit(box)
        self.interests_edit.setTabChangesFocus(True)
        self.interests_edit.setPlaceholderText(
            self.tr("One per line, e.g.\nLetter writing\nRefugee rights\nTabling")
        )
        self.interests_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self._row(form, self.tr("&Interests:"), self.interests_edit)
        return box

    def _common_countries(self) -> list[tuple[str, str]]:
        return [
            ("US", self.tr("United States")),
            ("CA", self.tr("Canada")),
            ("GB", self.tr("United Kingdom")),
            ("IE", self.tr("Ireland")),
            ("AU", self.tr("Australia")),
            ("NZ", self.tr("New Zealand")),
            ("DE", self.tr("Germany")),
            ("AT", self.tr("Austria")),
            ("CH", self.tr("Switzerland")),
            ("FR", self.tr("France")),
            ("BE", self.tr("Belgium")),
            ("NL", self.tr("Netherlands")),
            ("ES", self.tr("Spain")),
            ("PT", self.tr("Portugal")),
            ("IT", self.tr("Italy")),
            ("SE", self.tr("Sweden")),
            ("NO", self.tr("Norway")),
            ("DK", self.tr("Denmark")),
            ("FI", self.tr("Finland")),
            ("PL", self.tr("Poland")),
            ("MX", self.tr("Mexico")),
            ("BR", self.tr("Brazil")),
            ("AR", self.tr("Argentina")),
            ("ZA", self.tr("South Africa")),
            ("NG", self.tr("Nigeria")),
            ("KE", self.tr("Kenya")),
            ("GH", self.tr("Ghana")),
            ("IN", self.tr("India")),
            ("JP", self.tr("Japan")),
            ("KR", self.tr("South Korea")),
        ]

    # --- loading and reading back ---------------------------------------------------------

    def _load(self) -> None:
        profile = get_profile(self._db) if self._db is not None else None
        if profile is None:
            self._set_country("US")
            self.consent_edit.setPlainText(DEFAULT_CONSENT_TEXT)
            self.pin_edit.setPlaceholderText(self.tr("optional for now"))
            return
        self.name_edit.setText(profile.name)
        self.number_edit.setText(profile.number)
        self.student_radio.setChecked(profile.kind == GroupKind.STUDENT)
        self.local_radio.setChecked(profile.kind != GroupKind.STUDENT)
        self.city_edit.setText(profile.city)
        self.region_edit.setText(profile.region)
        self._set_country(profile.country)
        self.meeting_edit.setText(profile.meeting_place)
        self.email_edit.setText(profile.contact_email)
        self.consent_edit.setPlainText(profile.kiosk_consent_text)
        self.interests_edit.setPlainText("\n".join(profile.kiosk_interests))
        self._currency = profile.currency
        self._has_pin = profile.has_kiosk_pin
        if profile.has_kiosk_pin:
            self.pin_edit.setPlaceholderText(self.tr("unchanged; type to set a new PIN"))

    def _set_country(self, code: str) -> None:
        index = self.country_combo.findData(code.upper())
        if index >= 0:
            self.country_combo.setCurrentIndex(index)
        else:
            self.country_combo.setEditText(code)

    def country_code(self) -> str:
        """The country as typed or chosen, reduced to its code when there is one."""
        text = self.country_combo.currentText().strip()
        index = self.country_combo.findText(text)
        if index >= 0:
            return str(self.country_combo.itemData(index))
        match = _COUNTRY_TEXT.match(text)
        # Anything else goes to the service as typed, which says what it expects.
        return match.group(1).upper() if match else text

    def profile_data(self) -> GroupProfileData:
        interests = tuple(
            line.strip() for line in self.interests_edit.toPlainText().splitlines() if line.strip()
        )
        return GroupProfileData(
            name=self.name_edit.text().strip(),
            kind=GroupKind.STUDENT if self.student_radio.isChecked() else GroupKind.LOCAL,
            number=self.number_edit.text().strip(),
            city=self.city_edit.text().strip(),
            region=self.region_edit.text().strip(),
            country=self.country_code(),
            meeting_place=self.meeting_edit.text().strip(),
            contact_email=check_email(self.email_edit.text()).value,
            kiosk_consent_text=self.consent_edit.toPlainText().strip(),
            kiosk_interests=interests,
            currency=self._currency,
        )

    # --- validation and saving ------------------------------------------------------------

    def is_complete(self) -> bool:
        return bool(self.name_edit.text().strip())

    def _error_labels(self) -> list[QLabel]:
        return [
            self.name_error,
            self.country_error,
            self.email_error,
            self.pin_error,
            self.pin_confirm_error,
            self.general_error,
        ]

    def validate(self) -> bool:
        for label in self._error_labels():
            self.show_field_error(label, "")
        ok = True
        email = check_email(self.email_edit.text())
        if not email.ok:
            self.show_field_error(self.email_error, email.problem)
            ok = False
        pin, confirm = self.pin_edit.text(), self.pin_confirm_edit.text()
        if pin != confirm:
            self.show_field_error(
                self.pin_confirm_error, self.tr("The two PINs are not the same; type it again.")
            )
            ok = False
        if not ok:
            self._focus_first_error()
        return ok

    def apply(self) -> bool:
        pin = self.pin_edit.text() or None
        data = self.profile_data()
        db = self._db
        if db is None:
            assert self._create_database is not None
            try:
                db = self._create_database()
            except DatabaseError as exc:
                self.show_field_error(self.general_error, str(exc))
                return False
            self._db = db
        try:
            save_profile(db, data, kiosk_pin=pin)
        except ProfileError as exc:
            self._show_profile_error(str(exc))
            return False
        return True

    def _show_profile_error(self, message: str) -> None:
        """Put the service's message next to the field it names ("Country: ...")."""
        field, _, detail = message.partition(":")
        labels = {
            "group name": self.name_error,
            "name": self.name_error,
            "country": self.country_error,
            "kiosk pin": self.pin_error,
            "pin": self.pin_error,
            "contact email": self.email_error,
            "email": self.email_error,
        }
        label = labels.get(field.strip().lower())
        if label is None or not detail.strip():
            self.show_field_error(self.general_error, message)
        else:
            self.show_field_error(label, detail.strip())
        self._focus_first_error()

    def _focus_first_error(self) -> None:
        targets = {
            id(self.name_error): self.name_edit,
            id(self.country_error): self.country_combo,
            id(self.email_error): self.email_edit,
            id(self.pin_error): self.pin_edit,
            id(self.pin_confirm_error): self.pin_confirm_edit,
        }
        for label in self._error_labels():
            if not label.isHidden() and id(label) in targets:
                targets[id(label)].setFocus()
                return
