"""Table models of the Treasurer page: the ledger, dues, lapsed members, donations,
remittances and an event's budget.

A group's ledger holds hundreds of lines a year, not hundreds of thousands, and the
page shows a period at a time, so each model holds the service's rows as they are
and is reset when the page reads them again. Amounts are shown in the group's
currency (services.money); a negative balance or an over-budget difference is shown
in red and with its minus sign, so it does not rest on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt

from desktop_app.models import EntryKind
from desktop_app.services.ledger import (
    ACCOUNT_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    BudgetLineReport,
    DonationRow,
    DuesRow,
    LapsedMember,
    LedgerLine,
    RemittanceRow,
)
from desktop_app.services.money import US, MoneyStyle
from desktop_app.views.local_time import date_text
from desktop_app.views.table_models.followups_model import overdue_brush
from desktop_app.views.table_models.roster_model import label_text, plain_text_tooltip
from desktop_app.views.table_models.row_list import RowListModel

RowT = TypeVar("RowT")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerModel", text)


class _MoneyModel(RowListModel[RowT], Generic[RowT]):
    """Rows with some money columns: right-aligned, in the group's currency."""

    MONEY_COLUMNS: frozenset[int] = frozenset()

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(headers, parent)
        self._style: MoneyStyle = US

    def set_rows(self, rows: Sequence[RowT], style: MoneyStyle) -> None:
        self._style = style
        self._replace_rows(rows)

    def money(self, cents: int | None) -> str:
        return "" if cents is None else self._style.format(cents)

    def negative(self, row: RowT, column: int) -> bool:
        """Whether this cell shows an amount to notice (red): below zero, over budget."""
        return False

    def tooltip(self, row: RowT, column: int) -> str:
        return ""

    def role_data(self, row: RowT, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_text_tooltip(self.tooltip(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.MONEY_COLUMNS:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and self.negative(row, column):
            return overdue_brush()
        return None


class LedgerTableModel(_MoneyModel[LedgerLine]):
    """Ledger lines: date, description, category, in, out and the balance after each."""

    DATE = 0
    DESCRIPTION = 1
    CATEGORY = 2
    MONEY_IN = 3
    MONEY_OUT = 4
    BALANCE = 5
    COLUMN_COUNT = 6
    MONEY_COLUMNS = frozenset({MONEY_IN, MONEY_OUT, BALANCE})

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("Date"),
            _tr("Description"),
            _tr("Category"),
            _tr("In"),
            _tr("Out"),
            _tr("Balance"),
        )
        super().__init__(headers, parent)

    def text(self, row: LedgerLine, column: int) -> str:
        data = row.data
        income = data.kind is EntryKind.INCOME
        if column == self.DATE:
            return date_text(data.occurred_on)
        if column == self.DESCRIPTION:
            return " ".join(data.description.split())
        if column == self.CATEGORY:
            return data.category
        if column == self.MONEY_IN:
            return self.money(data.amount_cents) if income else ""
        if column == self.MONEY_OUT:
            return "" if income else self.money(data.amount_cents)
        if column == self.BALANCE:
            return self.money(row.balance_cents)
        return ""

    def negative(self, row: LedgerLine, column: int) -> bool:
        return column == self.BALANCE and row.balance_cents < 0

    def tooltip(self, row: LedgerLine, column: int) -> str:
        data = row.data
        parts = [
            data.description,
            _tr("{account}, {method}").format(
                account=label_text(ACCOUNT_LABELS[data.account]),
                method=label_text(METHOD_LABELS[data.method]).lower(),
            ),
        ]
        if row.person_name:
            parts.append(_tr("Person: {name}").format(name=row.person_name))
        if row.event_title:
            parts.append(_tr("Event: {title}").format(title=row.event_title))
        if data.receipt_ref:
            parts.append(_tr("Receipt: {ref}").format(ref=data.receipt_ref))
        linked = {
            "dues": _tr("Records dues payments (Dues tab)."),
            "donation": _tr("Records a donation (Donations tab)."),
            "remittance": _tr("Records a remittance (Remittances tab)."),
        }.get(row.records)
        if linked:
            parts.append(linked)
        return "\n".join(part for part in parts if part)


class DuesTableModel(_MoneyModel[DuesRow]):
    PAID_ON = 0
    MEMBER = 1
    AMOUNT = 2
    MONTHS = 3
    PAID_THROUGH = 4
    NOW = 5
    COLUMN_COUNT = 6
    MONEY_COLUMNS = frozenset({AMOUNT})

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("Paid on"),
            _tr("Member"),
            _tr("Amount"),
            _tr("Months"),
            _tr("Paid through"),
            _tr("Dues now"),
        )
        super().__init__(headers, parent)

    def text(self, row: DuesRow, column: int) -> str:
        if column == self.PAID_ON:
            return date_text(row.paid_on)
        if column == self.MEMBER:
            return row.member
        if column == self.AMOUNT:
            return self.money(row.amount_cents)
        if column == self.MONTHS:
            return str(row.months)
        if column == self.PAID_THROUGH:
            return date_text(row.paid_through)
        if column == self.NOW:
            words = {"current": _tr("Current"), "lapsed": _tr("Lapsed"), "waived": _tr("Waived")}
            return words.get(row.dues_now, "")
        return ""


class LapsedTableModel(_MoneyModel[LapsedMember]):
    NAME = 0
    PAID_THROUGH = 1
    EMAIL = 2
    PHONE = 3
    COLUMN_COUNT = 4

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (_tr("Member"), _tr("Paid through"), _tr("Email"), _tr("Phone"))
        super().__init__(headers, parent)

    def row_id(self, row: LapsedMember) -> int:
        return row.person_id

    def text(self, row: LapsedMember, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.PAID_THROUGH:
            return date_text(row.paid_through)
        if column == self.EMAIL:
            return _tr("Do not contact") if row.do_not_contact else row.email
        if column == self.PHONE:
            return row.phone
        return ""


class DonationsTableModel(_MoneyModel[DonationRow]):
    RECEIVED = 0
    DONOR = 1
    AMOUNT = 2
    THANKED = 3
    COLUMN_COUNT = 4
    MONEY_COLUMNS = frozenset({AMOUNT})

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (_tr("Received"), _tr("Donor"), _tr("Amount"), _tr("Thanked"))
        super().__init__(headers, parent)

    def text(self, row: DonationRow, column: int) -> str:
        if column == self.RECEIVED:
            return date_text(row.received_on)
        if column == self.DONOR:
            return row.donor
        if column == self.AMOUNT:
            return self.money(row.amount_cents)
        if column == self.THANKED:
            return date_text(row.acknowledged_on) if row.acknowledged_on else _tr("Not yet")
        return ""


class RemittancesTableModel(_MoneyModel[RemittanceRow]):
    SENT = 0
    PERIOD = 1
    AMOUNT = 2
    REFERENCE = 3
    ACKNOWLEDGED = 4
    COLUMN_COUNT = 5
    MONEY_COLUMNS = frozenset({AMOUNT})

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("Sent"),
            _tr("Period"),
            _tr("Amount"),
            _tr("Reference"),
            _tr("Acknowledged"),
        )
        super().__init__(headers, parent)

    def text(self, row: RemittanceRow, column: int) -> str:
        if column == self.SENT:
            return date_text(row.sent_on)
        if column == self.PERIOD:
            return row.period
        if column == self.AMOUNT:
            return self.money(row.amount_cents)
        if column == self.REFERENCE:
            return row.reference
        if column == self.ACKNOWLEDGED:
            if row.acknowledged_on:
                return date_text(row.acknowledged_on)
            return _tr("Awaiting")
        return ""

    def negative(self, row: RemittanceRow, column: int) -> bool:
        return column == self.ACKNOWLEDGED and row.acknowledged_on is None


class BudgetTableModel(_MoneyModel[BudgetLineReport]):
    CATEGORY = 0
    KIND = 1
    PLANNED = 2
    ACTUAL = 3
    DIFFERENCE = 4
    COLUMN_COUNT = 5
    MONEY_COLUMNS = frozenset({PLANNED, ACTUAL, DIFFERENCE})

    def __init__(self, parent: QObject | None = None) -> None:
        headers = (
            _tr("Category"),
            _tr("Kind"),
            _tr("Planned"),
            _tr("Actual"),
            _tr("Difference"),
        )
        super().__init__(headers, parent)

    def text(self, row: BudgetLineReport, column: int) -> str:
        if column == self.CATEGORY:
            return (
                row.category
                if row.id is not None
                else _tr("{name} (not planned)").format(name=row.category)
            )
        if column == self.KIND:
            return label_text(KIND_LABELS[row.kind])
        if column == self.PLANNED:
            return self.money(row.planned_cents)
        if column == self.ACTUAL:
            return self.money(row.actual_cents)
        if column == self.DIFFERENCE:
            difference = row.difference_cents
            text = self.money(difference)
            return f"+{text}" if difference > 0 else text
        return ""

    def negative(self, row: BudgetLineReport, column: int) -> bool:
        """Over budget: spent more than planned, or brought in less."""
        if column != self.DIFFERENCE:
            return False
        if row.kind is EntryKind.EXPENSE:
            return row.difference_cents > 0
        return row.difference_cents < 0


__all__ = [
    "BudgetTableModel",
    "DonationsTableModel",
    "DuesTableModel",
    "LapsedTableModel",
    "LedgerTableModel",
    "RemittancesTableModel",
]
