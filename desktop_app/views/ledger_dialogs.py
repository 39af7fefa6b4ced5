"""Dialogs of the Treasurer page: a ledger line, a dues payment, a donation, a
remittance, a planned budget line, opening balances, an acknowledgement date, and
the year of the treasurer's workbook.

Amounts are typed as a volunteer writes them ("12.50", "12,50", "$12.50") and read
with services.money; a negative or zero amount is refused next to the field, in
words. Dialogs that save take a ``save`` callback returning "" or the service's
refusal: the page runs the change as an undoable command, and a refusal keeps the
dialog open with nothing typed lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import Account, EntryKind, PaymentMethod
from desktop_app.services.ledger import (
    ACCOUNT_LABELS,
    KIND_LABELS,
    MAX_CATEGORY,
    MAX_DESCRIPTION,
    MAX_DUES_MONTHS,
    MAX_RECEIPT,
    BudgetLineInput,
    DonationInput,
    EventChoice,
    LedgerError,
    LedgerLineInput,
    RemittanceInput,
    budget_event_choices,
    category_suggestions,
    default_account,
    member_dues,
    next_paid_through,
)
from desktop_app.services.ledger import METHOD_LABELS as METHOD_WORDS
from desktop_app.services.money import MoneyError, MoneyStyle, parse_money
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.local_time import (
    EDIT_DATE_FORMAT,
    date_text,
    from_qdate,
    local_today,
    to_qdate,
)
from desktop_app.views.person_dialog import OptionalDateEdit, PersonPicker
from desktop_app.views.table_models.roster_model import label_text


class MoneyEdit(QLineEdit):
    """An amount as typed; ``cents()`` reads it in the group's style or raises MoneyError."""

    def __init__(self, style: MoneyStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._style = style
        self.setPlaceholderText(style.format(1250))
        self.setMaxLength(30)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def cents(self) -> int:
        return parse_money(self.text(), self._style)

    def set_cents(self, cents: int) -> None:
        self.setText(self._style.plain(cents))


def chosen_method(combo: QComboBox) -> PaymentMethod:
    """The method a combo shows (Qt hands enum data back as plain text)."""
    return PaymentMethod(combo.currentData() or PaymentMethod.OTHER)


def chosen_account(combo: QComboBox) -> Account:
    return Account(combo.currentData() or Account.BANK)


def chosen_kind(combo: QComboBox) -> EntryKind:
    return EntryKind(combo.currentData() or EntryKind.EXPENSE)


def date_edit(parent: QWidget, value: date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(EDIT_DATE_FORMAT)
    edit.setDate(to_qdate(value or local_today()))
    return edit


def method_combo(parent: QWidget, selected: PaymentMethod = PaymentMethod.OTHER) -> QComboBox:
    combo = QComboBox(parent)
    for method, words in METHOD_WORDS.items():
        combo.addItem(label_text(words), method)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


def account_combo(parent: QWidget, selected: Account = Account.BANK) -> QComboBox:
    combo = QComboBox(parent)
    for account, words in ACCOUNT_LABELS.items():
        combo.addItem(label_text(words), account)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


def kind_combo(parent: QWidget, selected: EntryKind) -> QComboBox:
    combo = QComboBox(parent)
    for kind, words in KIND_LABELS.items():
        combo.addItem(label_text(words), kind)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


def category_combo(parent: QWidget, names: Sequence[str], current: str = "") -> QComboBox:
    """An editable list of categories: pick one in use or type a new one."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(names))
    edit = combo.lineEdit()
    if edit is not None:
        edit.setMaxLength(MAX_CATEGORY)
    combo.setCurrentText(current)
    return combo


class _AmountDialog(BaseDialog):
    """A dialog with an amount field and one error label below the form."""

    def __init__(self, style: MoneyStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_of_money = style
        self.amount = MoneyEdit(style, self)
        self.amount.setAccessibleName(self.tr("Amount"))
        self.amount.textChanged.connect(self.refresh_ok_button)
        self.error = self.make_error_label(self)

    def read_amount(self, *, allow_zero: bool = False) -> int | None:
        """The amount in cents, or None after showing what is wrong with it."""
        try:
            cents = self.amount.cents()
        except MoneyError as exc:
            self.show_field_error(self.error, str(exc))
            self.amount.setFocus()
            return None
        if cents < 0 or (cents == 0 and not allow_zero):
            self.show_field_error(
                self.error,
                self.tr("Amount: must be zero or more.")
                if allow_zero
                else self.tr("Amount: must be more than zero."),
            )
            self.amount.setFocus()
            return None
        self.show_field_error(self.error, "")
        return cents

    def refused(self, message: str) -> bool:
        """Show the service's refusal; True when there was none."""
        self.show_field_error(self.error, message)
        return not message


class LineDialog(_AmountDialog):
    """Add or edit one income or expense line."""

    def __init__(
        self,
        db: Database,
        style: MoneyStyle,
        save: Callable[[LedgerLineInput], str],
        *,
        kind: EntryKind = EntryKind.EXPENSE,
        data: LedgerLineInput | None = None,
        person_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(style, parent)
        self._db = db
        self._save = save
        self._account_touched = data is not None
        kind = data.kind if data is not None else kind
        if data is None:
            self.setWindowTitle(
                self.tr("Money in") if kind is EntryKind.INCOME else self.tr("Money out")
            )
        else:
            self.setWindowTitle(self.tr("Change ledger line"))
        self.occurred_on = date_edit(self, data.occurred_on if data else None)
        self.kind = kind_combo(self, kind)
        self.description = QLineEdit(self)
        self.description.setMaxLength(MAX_DESCRIPTION)
        self.description.setPlaceholderText(self.tr("For example: Flyers for the vigil"))
        self.category = category_combo(self, [], data.category if data else "")
        self._fill_categories(kind)
        if data is not None:
            self.category.setCurrentText(data.category)
        self.method = method_combo(self, data.method if data else PaymentMethod.OTHER)
        self.account = account_combo(self, data.account if data else Account.BANK)
        self.person = PersonPicker(db, parent=self)
        self.person.line_edit.setPlaceholderText(self.tr("Optional: who paid or was paid"))
        self.event_choice = QComboBox(self)
        self.event_choice.addItem(self.tr("No event"), None)
        events = budget_event_choices(db)
        if (
            data is not None
            and data.event_id is not None
            and not any(choice.id == data.event_id for choice in events)
        ):
            events = [EventChoice(data.event_id, self.tr("(an older event)"), date.min), *events]
        for choice in events:
            when = date_text(choice.starts_on) if choice.starts_on != date.min else ""
            self.event_choice.addItem(
                f"{choice.title} — {when}" if when else choice.title, choice.id
            )
        self.receipt = QLineEdit(self)
        self.receipt.setMaxLength(MAX_RECEIPT)
        self.receipt.setPlaceholderText(self.tr("Optional: receipt or cheque number"))
        if data is not None:
            self.description.setText(data.description)
            self.amount.set_cents(data.amount_cents)
            if data.person_id is not None:
                self.person.set_person(data.person_id, person_name)
            self.event_choice.setCurrentIndex(max(self.event_choice.findData(data.event_id), 0))
            self.receipt.setText(data.receipt_ref)

        form = QFormLayout()
        form.addRow(self.tr("&Date:"), self.occurred_on)
        form.addRow(self.tr("&In or out:"), self.kind)
        form.addRow(self.tr("&Amount:"), self.amount)
        form.addRow(self.tr("&Category:"), self.category)
        form.addRow(self.tr("D&escription:"), self.description)
        form.addRow(self.tr("&Method:"), self.method)
        form.addRow(self.tr("Acc&ount:"), self.account)
        form.addRow(self.tr("&Person:"), self.person)
        form.addRow(self.tr("E&vent:"), self.event_choice)
        form.addRow(self.tr("&Receipt:"), self.receipt)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.make_button_box())
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_categories(self.kind_value()))
        self.method.currentIndexChanged.connect(self._method_changed)
        self.account.activated.connect(self._account_chosen)
        self.category.currentTextChanged.connect(self.refresh_ok_button)
        self.resize(520, 420)
        self.amount.setFocus()

    def kind_value(self) -> EntryKind:
        return chosen_kind(self.kind)

    def _fill_categories(self, kind: EntryKind) -> None:
        typed = self.category.currentText()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItems(category_suggestions(self._db, kind))
        self.category.setCurrentText(typed)
        self.category.blockSignals(False)

    def _method_changed(self, _index: int) -> None:
        # Cash goes in the cash box unless the treasurer chose the account.
        if not self._account_touched:
            account = default_account(chosen_method(self.method))
            self.account.setCurrentIndex(self.account.findData(account))

    def _account_chosen(self, _index: int) -> None:
        self._account_touched = True

    def is_complete(self) -> bool:
        return bool(self.amount.text().strip()) and bool(self.category.currentText().strip())

    def value(self, cents: int) -> LedgerLineInput:
        return LedgerLineInput(
            occurred_on=from_qdate(self.occurred_on.date()),
            description=self.description.text(),
            category=self.category.currentText(),
            kind=self.kind_value(),
            amount_cents=cents,
            method=chosen_method(self.method),
            account=chosen_account(self.account),
            person_id=self.person.person_id(),
            event_id=self.event_choice.currentData(),
            receipt_ref=self.receipt.text(),
        )

    def apply(self) -> bool:
        cents = self.read_amount()
        if cents is None:
            return False
        return self.refused(self._save(self.value(cents)))


@dataclass(frozen=True)
class DuesInput:
    person_id: int
    amount_cents: int
    paid_on: date
    months: int
    method: PaymentMethod
    receipt_ref: str


class DuesDialog(_AmountDialog):
    """Record a member's dues: pick them from the roster, the amount and the months."""

    def __init__(
        self,
        db: Database,
        style: MoneyStyle,
        save: Callable[[DuesInput], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(style, parent)
        self._db = db
        self._save = save
        self.setWindowTitle(self.tr("Record dues payment"))
        self.member = PersonPicker(db, parent=self)
        self.member.line_edit.setAccessibleName(self.tr("Member"))
        self.member.line_edit.setPlaceholderText(self.tr("Type part of the member's name"))
        self.paid_on = date_edit(self)
        self.months = QSpinBox(self)
        self.months.setRange(1, MAX_DUES_MONTHS)
        self.months.setValue(12)
        self.months.setSuffix(self.tr(" months"))
        self.method = method_combo(self, PaymentMethod.CASH)
        self.receipt = QLineEdit(self)
        self.receipt.setMaxLength(MAX_RECEIPT)
        self.preview = QLabel(self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Member:"), self.member)
        form.addRow(self.tr("&Amount:"), self.amount)
        form.addRow(self.tr("&Paid on:"), self.paid_on)
        form.addRow(self.tr("&For:"), self.months)
        form.addRow(self.tr("M&ethod:"), self.method)
        form.addRow(self.tr("&Receipt:"), self.receipt)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.make_button_box())
        self.member.personChanged.connect(lambda _id: self._update_preview())
        self.member.personChanged.connect(lambda _id: self.refresh_ok_button())
        self.paid_on.dateChanged.connect(lambda _d: self._update_preview())
        self.months.valueChanged.connect(lambda _v: self._update_preview())
        self._update_preview()
        self.resize(480, 320)
        self.member.setFocus()

    def _update_preview(self) -> None:
        person_id = self.member.person_id()
        if person_id is None:
            self.preview.setText(self.tr("Pick the member from the list that appears as you type."))
            return
        try:
            current, waived = member_dues(self._db, person_id)
        except LedgerError as exc:
            self.preview.setText(str(exc))
            return
        after = next_paid_through(current, from_qdate(self.paid_on.date()), self.months.value())
        now = date_text(current) if current else self.tr("never paid")
        text = self.tr("Paid through now: {now}. After this payment: {after}.").format(
            now=now, after=date_text(after)
        )
        if waived:
            text += " " + self.tr("(Their dues are waived.)")
        self.preview.setText(text)

    def is_complete(self) -> bool:
        return self.member.person_id() is not None and bool(self.amount.text().strip())

    def apply(self) -> bool:
        cents = self.read_amount()
        person_id = self.member.person_id()
        if cents is None or person_id is None:
            return False
        return self.refused(
            self._save(
                DuesInput(
                    person_id=person_id,
                    amount_cents=cents,
                    paid_on=from_qdate(self.paid_on.date()),
                    months=self.months.value(),
                    method=chosen_method(self.method),
                    receipt_ref=self.receipt.text(),
                )
            )
        )


class DonationDialog(_AmountDialog):
    """A donation from someone on the roster, or from a name typed here."""

    def __init__(
        self,
        db: Database,
        style: MoneyStyle,
        save: Callable[[DonationInput], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(style, parent)
        self._save = save
        self.setWindowTitle(self.tr("Record donation"))
        self.donor = PersonPicker(db, parent=self)
        self.donor.line_edit.setPlaceholderText(self.tr("Someone on the roster"))
        self.donor_name = QLineEdit(self)
        self.donor_name.setMaxLength(300)
        self.donor_name.setPlaceholderText(self.tr("…or the name of a donor not on the roster"))
        self.received_on = date_edit(self)
        self.method = method_combo(self, PaymentMethod.CHEQUE)
        self.receipt = QLineEdit(self)
        self.receipt.setMaxLength(MAX_RECEIPT)
        self.thanked = OptionalDateEdit(self.tr("&Thanked on"), self)
        form = QFormLayout()
        form.addRow(self.tr("&Donor:"), self.donor)
        form.addRow("", self.donor_name)
        form.addRow(self.tr("&Amount:"), self.amount)
        form.addRow(self.tr("&Received on:"), self.received_on)
        form.addRow(self.tr("&Method:"), self.method)
        form.addRow(self.tr("Re&ceipt:"), self.receipt)
        form.addRow("", self.thanked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.make_button_box())
        self.donor.personChanged.connect(lambda _id: self.refresh_ok_button())
        self.donor_name.textChanged.connect(self.refresh_ok_button)
        self.resize(480, 320)
        self.donor.setFocus()

    def is_complete(self) -> bool:
        has_donor = self.donor.person_id() is not None or bool(self.donor_name.text().strip())
        return has_donor and bool(self.amount.text().strip())

    def apply(self) -> bool:
        cents = self.read_amount()
        if cents is None:
            return False
        person_id = self.donor.person_id()
        return self.refused(
            self._save(
                DonationInput(
                    received_on=from_qdate(self.received_on.date()),
                    amount_cents=cents,
                    person_id=person_id,
                    donor_name="" if person_id is not None else self.donor_name.text(),
                    method=chosen_method(self.method),
                    acknowledged_on=self.thanked.value(),
                    receipt_ref=self.receipt.text(),
                )
            )
        )


def last_quarter(today: date) -> str:
    """The quarter before today's, as remittances name periods: "2026 Q3"."""
    quarter = (today.month - 1) // 3
    return f"{today.year - 1} Q4" if quarter == 0 else f"{today.year} Q{quarter}"


class RemittanceDialog(_AmountDialog):
    """Money sent on to the national office."""

    def __init__(
        self,
        style: MoneyStyle,
        save: Callable[[RemittanceInput], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(style, parent)
        self._save = save
        self.setWindowTitle(self.tr("Record remittance to the national office"))
        self.sent_on = date_edit(self)
        self.period = QLineEdit(last_quarter(local_today()), self)
        self.period.setMaxLength(100)
        self.reference = QLineEdit(self)
        self.reference.setMaxLength(200)
        self.method = method_combo(self, PaymentMethod.BANK_TRANSFER)
        self.acknowledged = OptionalDateEdit(self.tr("A&cknowledged on"), self)
        form = QFormLayout()
        form.addRow(self.tr("&Amount:"), self.amount)
        form.addRow(self.tr("&Sent on:"), self.sent_on)
        form.addRow(self.tr("&For the period:"), self.period)
        form.addRow(self.tr("&Reference:"), self.reference)
        form.addRow(self.tr("&Method:"), self.method)
        form.addRow("", self.acknowledged)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.make_button_box())
        self.resize(460, 280)
        self.amount.setFocus()

    def is_complete(self) -> bool:
        return bool(self.amount.text().strip())

    def apply(self) -> bool:
        cents = self.read_amount()
        if cents is None:
            return False
        method = chosen_method(self.method)
        return self.refused(
            self._save(
                RemittanceInput(
                    sent_on=from_qdate(self.sent_on.date()),
                    amount_cents=cents,
                    period=self.period.text(),
                    reference=self.reference.text(),
                    method=method,
                    account=default_account(method),
                    acknowledged_on=self.acknowledged.value(),
                )
            )
        )


class BudgetLineDialog(_AmountDialog):
    """A planned amount for one category of an event."""

    def __init__(
        self,
        db: Database,
        style: MoneyStyle,
        save: Callable[[BudgetLineInput], str],
        *,
        event_title: str,
        data: BudgetLineInput | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(style, parent)
        self._db = db
        self._save = save
        self.setWindowTitle(self.tr("Budget for {title}").format(title=event_title))
        kind = data.kind if data is not None else EntryKind.EXPENSE
        self.kind = kind_combo(self, kind)
        self.category = category_combo(
            self, category_suggestions(db, kind), data.category if data else ""
        )
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().height() * 4)
        if data is not None:
            self.amount.set_cents(data.planned_cents)
            self.notes.setPlainText(data.notes)
        form = QFormLayout()
        form.addRow(self.tr("&In or out:"), self.kind)
        form.addRow(self.tr("&Category:"), self.category)
        form.addRow(self.tr("&Planned:"), self.amount)
        form.addRow(self.tr("&Notes:"), self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.make_button_box())
        self.category.currentTextChanged.connect(self.refresh_ok_button)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.resize(440, 260)
        self.category.setFocus()

    def _kind_changed(self, _index: int) -> None:
        typed = self.category.currentText()
        self.category.clear()
        kind = chosen_kind(self.kind)
        self.category.addItems(category_suggestions(self._db, kind))
        self.category.setCurrentText(typed)

    def is_complete(self) -> bool:
        return bool(self.category.currentText().strip()) and bool(self.amount.text().strip())

    def apply(self) -> bool:
        cents = self.read_amount(allow_zero=True)
        if cents is None:
            return False
        return self.refused(
            self._save(
                BudgetLineInput(
                    category=self.category.currentText(),
                    kind=chosen_kind(self.kind),
                    planned_cents=cents,
                    notes=self.notes.toPlainText(),
                )
            )
        )


class OpeningBalancesDialog(_AmountDialog):
    """The bank and cash balances before the first ledger line."""

    def __init__(
        self,
        style: MoneyStyle,
        bank_cents: int,
        cash_cents: int,
        save: Callable[[int, int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(style, parent)
        self._save = save
        self.setWindowTitle(self.tr("Opening balances"))
        intro = QLabel(
            self.tr(
                "What the bank account and the cash box held before the first line of "
                "this ledger. Every balance is counted on from these."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.amount.set_cents(bank_cents)
        self.amount.setAccessibleName(self.tr("Bank"))
        self.cash = MoneyEdit(style, self)
        self.cash.setAccessibleName(self.tr("Cash"))
        self.cash.set_cents(cash_cents)
        form = QFormLayout()
        form.addRow(self.tr("&Bank:"), self.amount)
        form.addRow(self.tr("&Cash:"), self.cash)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.make_button_box())
        self.resize(420, 200)
        self.amount.setFocus()

    def apply(self) -> bool:
        values = []
        for label, edit in ((self.tr("Bank"), self.amount), (self.tr("Cash"), self.cash)):
            try:
                values.append(edit.cents() if edit.text().strip() else 0)
            except MoneyError as exc:
                self.show_field_error(self.error, f"{label}: {exc}")
                edit.setFocus()
                return False
        return self.refused(self._save(values[0], values[1]))


class AcknowledgeDialog(BaseDialog):
    """The day something was thanked or acknowledged, or none."""

    def __init__(
        self, title: str, label: str, value: date | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.day = OptionalDateEdit(label, self)
        self.day.set_value(value or local_today())
        layout = QVBoxLayout(self)
        layout.addWidget(self.day)
        layout.addWidget(QLabel(self.tr("Untick for not yet."), self))
        layout.addWidget(self.make_button_box())
        self.day.edit.setFocus()

    def value(self) -> date | None:
        return self.day.value()


class WorkbookYearDialog(BaseDialog):
    """Which year the treasurer's workbook covers, or the whole ledger."""

    def __init__(self, years: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Treasurer's workbook"))
        self.year = QComboBox(self)
        for year in years:
            self.year.addItem(str(year), year)
        self.year.addItem(self.tr("All years"), None)
        intro = QLabel(
            self.tr(
                "A workbook with a summary by category and month (live formulas), every "
                "transaction, and the dues, donations and remittances."
            ),
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Year:"), self.year)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.make_button_box(ok_text=self.tr("Choose file…")))
        self.resize(420, 160)

    def chosen_year(self) -> int | None:
        value = self.year.currentData()
        return value if isinstance(value, int) else None


__all__ = [
    "AcknowledgeDialog",
    "BudgetLineDialog",
    "DonationDialog",
    "DuesDialog",
    "DuesInput",
    "LineDialog",
    "MoneyEdit",
    "OpeningBalancesDialog",
    "RemittanceDialog",
    "WorkbookYearDialog",
    "last_quarter",
]
