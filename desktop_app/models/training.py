"""Trainings, their trainers, and who signed up for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import Base, TimestampMixin, UidMixin, UTCDateTime, utcnow
from desktop_app.models.people import Person


class Trainer(UidMixin, Base):
    __tablename__ = "trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class Training(UidMixin, TimestampMixin, Base):
    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(500), default="")
    online_url: Mapped[str] = mapped_column(String(1000), default="")
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("trainers.id", ondelete="SET NULL"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    trainer: Mapped[Trainer | None] = relationship()
    signups: Mapped[list[TrainingSignup]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )


class TrainingSignup(UidMixin, Base):
    __tablename__ = "training_signups"
    __table_args__ = (
        UniqueConstraint("training_id", "person_id", name="uq_training_signups_training_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    training: Mapped[Training] = relationship(back_populates="signups")
    person: Mapped[Person] = relationship()
