"""The treasurer's ledger: transactions, dues, donations, remittances and event budgets.

Money is integer cents, never float.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import Base, TimestampMixin, UidMixin, str_enum


class EntryKind(enum.StrEnum):
    INCOME = "income"
    EXPENSE = "expense"


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CHEQUE = "cheque"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    ONLINE = "online"
    OTHER = "other"


class Account(enum.StrEnum):
    BANK = "bank"
    CASH = "cash"


class LedgerEntry(UidMixin, TimestampMixin, Base):
    """One line of income or expense; amount_cents is always positive, kind gives the sign."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    category: Mapped[str] = mapped_column(String(100), default="", index=True)
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind))
    amount_cents: Mapped[int] = mapped_column(Integer)
    method: Mapped[PaymentMethod] = mapped_column(
        str_enum(PaymentMethod), default=PaymentMethod.OTHER
    )
    account: Mapped[Account] = mapped_column(str_enum(Account), default=Account.BANK)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    receipt_ref: Mapped[str] = mapped_column(String(200), default="")

    @property
    def signed_cents(self) -> int:
        return self.amount_cents if self.kind is EntryKind.INCOME else -self.amount_cents


class DuesPayment(UidMixin, Base):
    """A member's dues; paying advances their paid-through date."""

    __tablename__ = "dues_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    months: Mapped[int] = mapped_column(Integer, default=12)
    paid_through: Mapped[date] = mapped_column(Date)
    ledger_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id", ondelete="SET NULL")
    )

    ledger_entry: Mapped[LedgerEntry | None] = relationship()


class Donation(UidMixin, Base):
    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    donor_name: Mapped[str] = mapped_column(String(300), default="")  # when not on the roster
    received_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    ledger_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id", ondelete="SET NULL")
    )

    ledger_entry: Mapped[LedgerEntry | None] = relationship()


class Remittance(UidMixin, Base):
    """Money the group sends on to the national office, and whether it was acknowledged."""

    __tablename__ = "remittances"

    id: Mapped[int] = mapped_column(primary_key=True)
    sent_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(100), default="")  # e.g. "2026 Q3"
    reference: Mapped[str] = mapped_column(String(200), default="")
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    ledger_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id", ondelete="SET NULL")
    )

    ledger_entry: Mapped[LedgerEntry | None] = relationship()


class EventBudgetLine(Base):
    """What an event was planned to cost or bring in; actuals come from the ledger."""

    __tablename__ = "event_budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind), default=EntryKind.EXPENSE)
    planned_cents: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
