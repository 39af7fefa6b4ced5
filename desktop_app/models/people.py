"""People on the roster, their tags and their role assignments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import Base, TimestampMixin, UidMixin, UTCDateTime, str_enum
from desktop_app.text import display_name, email_key, search_text, sort_key

if TYPE_CHECKING:
    from desktop_app.models.imports import ImportBatch


class PersonStatus(enum.StrEnum):
    MEMBER = "member"
    ACTIVIST = "activist"
    SUPPORTER = "supporter"
    PROSPECT = "prospect"


class JoinedVia(enum.StrEnum):
    PERSONAL_INVITATION = "personal_invitation"
    TABLING = "tabling"
    ONLINE_TO_OFFLINE = "online_to_offline"
    MEMBER_TO_ACTIVIST = "member_to_activist"
    OTHER = "other"


class LadderStage(enum.StrEnum):
    """The ladder of engagement, lowest rung first."""

    SIGNED_UP = "signed_up"
    FIRST_EVENT = "first_event"
    REGULAR = "regular"
    TAKES_ROLE = "takes_role"
    LEADS = "leads"


person_tags = Table(
    "person_tags",
    Base.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_person_tags_tag_id", "tag_id"),
)


class Tag(Base):
    """An interest or label, e.g. "refugee rights" or "tabling-2026"."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Person(UidMixin, TimestampMixin, Base):
    """Someone the group knows: member, activist, supporter or prospect."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(500), default="")
    family_name: Mapped[str] = mapped_column(String(500), default="")
    preferred_name: Mapped[str] = mapped_column(String(500), default="")
    # As typed; email_key is the lower-cased, trimmed form used to find duplicates.
    email: Mapped[str] = mapped_column(String(500), default="")
    email_key: Mapped[str] = mapped_column(String(500), default="", index=True)
    # E.164 when it could be parsed, otherwise as typed (and needs_review is set).
    phone: Mapped[str] = mapped_column(String(100), default="", index=True)
    address_line1: Mapped[str] = mapped_column(String(500), default="")
    address_line2: Mapped[str] = mapped_column(String(500), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    country: Mapped[str] = mapped_column(String(2), default="")
    status: Mapped[PersonStatus] = mapped_column(
        str_enum(PersonStatus), default=PersonStatus.PROSPECT, index=True
    )
    dues_paid_through: Mapped[date | None] = mapped_column(Date)
    dues_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    school: Mapped[str] = mapped_column(String(200), default="")
    graduation_year: Mapped[int | None] = mapped_column(Integer)
    joined_via: Mapped[JoinedVia] = mapped_column(str_enum(JoinedVia), default=JoinedVia.OTHER)
    joined_on: Mapped[date | None] = mapped_column(Date)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    ladder_stage: Mapped[LadderStage] = mapped_column(
        str_enum(LadderStage), default=LadderStage.SIGNED_UP, index=True
    )
    email_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    mail_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # A volunteer may keep what was written even when it does not validate.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str] = mapped_column(Text, default="")
    # Lower-cased, accent-free text of names, email, phone digits and postal code;
    # the full-text index is built from it (SQLite's trigram tokenizer keeps accents).
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(String(1100), default="")
    # Reversible removal: a removed person sits in the trash until restored.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "Erase personal data" on request: identifying fields are blanked, counts stay.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    origin_laptop: Mapped[str] = mapped_column(String(36), default="")
    source: Mapped[str] = mapped_column(String(500), default="")  # e.g. "import: list.csv"
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )

    # The roster's own order: people not in the trash by sort key, read straight from
    # the index with no sorting step (the trash is the small removed_at range of it).
    __table_args__ = (Index("ix_people_roster_order", "removed_at", "sort_key"),)

    invited_by: Mapped[Person | None] = relationship(remote_side=[id])
    tags: Mapped[list[Tag]] = relationship(secondary=person_tags, order_by=Tag.name)
    role_assignments: Mapped[list[RoleAssignment]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        foreign_keys="RoleAssignment.person_id",
    )
    import_batch: Mapped[ImportBatch | None] = relationship()

    @property
    def display_name(self) -> str:
        return display_name(self.given_name, self.family_name, self.preferred_name)


SEARCHED_FIELDS = ("given_name", "family_name", "preferred_name", "email", "phone", "postal_code")


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _refresh_derived_columns(_mapper: object, _connection: object, person: Person) -> None:
    """Keep the lookup columns in step with what they are made from, on every ORM write.

    Bulk writers (demo, import, merge) bypass the ORM and call the same text functions.
    """
    person.email_key = email_key(person.email or "")
    person.sort_key = sort_key(person.given_name or "", person.family_name or "")
    person.search_text = search_text(
        **{name: getattr(person, name) or "" for name in SEARCHED_FIELDS}
    )


class RoleType(Base):
    """A role a group member can hold; the built-in ones come with every new group."""

    __tablename__ = "role_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


class RoleAssignment(UidMixin, TimestampMixin, Base):
    """A person holding a role for a term; an open end date means they hold it now."""

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role_type_id: Mapped[int] = mapped_column(
        ForeignKey("role_types.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(
        back_populates="role_assignments", foreign_keys=[person_id]
    )
    role_type: Mapped[RoleType] = relationship()


BUILTIN_ROLES: tuple[str, ...] = (
    "Group Coordinator",
    "Treasurer",
    "Secretary",
    "Recruitment/Membership",
    "Urgent Action Coordinator",
    "Case Coordinator",
    "Death Penalty Coordinator",
    "Campaign Coordinator",
    "Events Liaison",
    "Publicity/Media",
    "Legislative Coordinator",
    "Outreach",
    "Student/Local Liaison",
)
