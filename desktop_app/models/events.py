"""Events, who signed in at them, follow-ups with new people, and merged sign-up bundles."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import (
    Base,
    TimestampMixin,
    UidMixin,
    UTCDateTime,
    str_enum,
    utcnow,
)
from desktop_app.models.people import Person


class EventKind(enum.StrEnum):
    MEETING = "meeting"
    TABLING = "tabling"
    LETTER_WRITING = "letter_writing"
    VIGIL = "vigil"
    TRAINING = "training"
    SOCIAL = "social"
    LOBBY_DAY = "lobby_day"
    OTHER = "other"


class SignInSource(enum.StrEnum):
    MEETING = "meeting"  # ticked off by the secretary
    KIOSK = "kiosk"  # typed by the person at a tabling kiosk
    PAPER = "paper"  # typed up from a paper sheet afterwards
    BUNDLE = "bundle"  # merged from another laptop
    IMPORT = "import"


class FollowUpKind(enum.StrEnum):
    CALL = "call"
    COFFEE = "coffee"
    ONE_TO_ONE = "one_to_one"
    WELCOME_EMAIL = "welcome_email"


class Event(UidMixin, TimestampMixin, Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind), default=EventKind.MEETING)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(500), default="")
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    expected_attendance: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[str] = mapped_column(Text, default="")  # decisions taken at a meeting
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    origin_laptop: Mapped[str] = mapped_column(String(36), default="")

    sign_ins: Mapped[list[SignIn]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class SignIn(UidMixin, Base):
    """One person's attendance at one event, with what they told the kiosk."""

    __tablename__ = "sign_ins"
    __table_args__ = (UniqueConstraint("event_id", "person_id", name="uq_sign_ins_event_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[SignInSource] = mapped_column(
        str_enum(SignInSource), default=SignInSource.MEETING
    )
    first_time: Mapped[bool] = mapped_column(Boolean, default=False)
    laptop_id: Mapped[str] = mapped_column(String(36), default="")
    how_heard: Mapped[str] = mapped_column(String(500), default="")
    interests: Mapped[str] = mapped_column(Text, default="")  # one per line, as ticked
    consent_text: Mapped[str] = mapped_column(Text, default="")  # the sentence they agreed to
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="sign_ins")
    person: Mapped[Person] = relationship()


class FollowUp(UidMixin, TimestampMixin, Base):
    """A task to get back to someone new: a call, a coffee, a one-to-one."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[FollowUpKind] = mapped_column(str_enum(FollowUpKind), default=FollowUpKind.CALL)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    assigned_to: Mapped[Person | None] = relationship(foreign_keys=[assigned_to_id])


class MergedBundle(Base):
    """A sign-up bundle already merged; merging it again changes nothing."""

    __tablename__ = "merged_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_uid: Mapped[str] = mapped_column(String(36), unique=True)
    laptop_id: Mapped[str] = mapped_column(String(36), default="")
    file_name: Mapped[str] = mapped_column(String(500), default="")
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="")  # JSON of the counts


class ReviewItem(Base):
    """Something a person must decide: a likely duplicate, or conflicting values."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "duplicate" or "conflict"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    other_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    details: Mapped[str] = mapped_column(Text, default="")  # JSON: fields and both values
    origin: Mapped[str] = mapped_column(String(500), default="")  # bundle or import it came from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str] = mapped_column(String(40), default="")  # merged / kept_apart / ...
