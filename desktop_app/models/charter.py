"""The charter checklist a new group works through: five steps, each with items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import Base, UTCDateTime


class CharterStep(Base):
    __tablename__ = "charter_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[CharterItem]] = relationship(
        back_populates="step", order_by="CharterItem.sort_order", cascade="all, delete-orphan"
    )


class CharterItem(Base):
    """One thing to do; evidence_rule names a check that can prove it from the data."""

    __tablename__ = "charter_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(
        ForeignKey("charter_steps.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    evidence_rule: Mapped[str] = mapped_column(String(60), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    step: Mapped[CharterStep] = relationship(back_populates="items")
