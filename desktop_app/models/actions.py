"""Campaigns and Urgent Actions: cases, their addressees, updates and letters written."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import Base, TimestampMixin, UidMixin, str_enum


class UrgentActionStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Campaign(UidMixin, Base):
    """A campaign the group joins; priority campaigns count towards the yearly two."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    year: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class UrgentAction(UidMixin, TimestampMixin, Base):
    """A case: someone at risk, officials to write to, and a deadline."""

    __tablename__ = "urgent_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), default="")  # "UA 229/10" or "27.22"
    title: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(120), default="")
    persons_at_risk: Mapped[str] = mapped_column(Text, default="")
    issue: Mapped[str] = mapped_column(String(300), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[UrgentActionStatus] = mapped_column(
        str_enum(UrgentActionStatus), default=UrgentActionStatus.OPEN
    )
    template: Mapped[str] = mapped_column(Text, default="")  # letter with {placeholders}
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    addressees: Mapped[list[UAAddressee]] = relationship(
        back_populates="urgent_action",
        order_by="UAAddressee.sort_order",
        cascade="all, delete-orphan",
    )
    updates: Mapped[list[UAUpdate]] = relationship(
        back_populates="urgent_action", order_by="UAUpdate.issued_on", cascade="all, delete-orphan"
    )


class UAAddressee(Base):
    """An official to write to, or (is_copy) a diplomatic representative to copy."""

    __tablename__ = "ua_addressees"

    id: Mapped[int] = mapped_column(primary_key=True)
    urgent_action_id: Mapped[int] = mapped_column(
        ForeignKey("urgent_actions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    salutation: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(40), default="")
    is_copy: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    urgent_action: Mapped[UrgentAction] = relationship(back_populates="addressees")


class UAUpdate(Base):
    __tablename__ = "ua_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    urgent_action_id: Mapped[int] = mapped_column(
        ForeignKey("urgent_actions.id", ondelete="CASCADE"), index=True
    )
    issued_on: Mapped[date | None] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(100), default="")  # e.g. "first update"
    summary: Mapped[str] = mapped_column(Text, default="")

    urgent_action: Mapped[UrgentAction] = relationship(back_populates="updates")


class LetterWritten(UidMixin, Base):
    """Letters a writer sent on a case, for the group's counts."""

    __tablename__ = "letters_written"

    id: Mapped[int] = mapped_column(primary_key=True)
    urgent_action_id: Mapped[int] = mapped_column(
        ForeignKey("urgent_actions.id", ondelete="CASCADE"), index=True
    )
    addressee_id: Mapped[int | None] = mapped_column(
        ForeignKey("ua_addressees.id", ondelete="SET NULL")
    )
    writer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    written_on: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=1)
