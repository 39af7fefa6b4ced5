"""The group's own profile (one row per database) and small per-database settings."""

from __future__ import annotations

import enum

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.models.base import Base, TimestampMixin, UidMixin, str_enum


class GroupKind(enum.StrEnum):
    LOCAL = "local"
    STUDENT = "student"


class GroupProfile(UidMixin, TimestampMixin, Base):
    """Who this database belongs to. Its uid identifies the group in sign-up bundles."""

    __tablename__ = "group_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(40))  # given once chartered
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind), default=GroupKind.LOCAL)
    city: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="US")  # ISO 3166 code, for phones
    meeting_place: Mapped[str] = mapped_column(String(300), default="")
    contact_email: Mapped[str] = mapped_column(String(320), default="")
    # PBKDF2 hash "salt$hash"; the PIN itself is never stored.
    kiosk_pin_hash: Mapped[str | None] = mapped_column(String(200))
    kiosk_consent_text: Mapped[str] = mapped_column(Text, default="")
    kiosk_interests: Mapped[str] = mapped_column(Text, default="")  # one interest per line
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    opening_balance_cents: Mapped[int] = mapped_column(Integer, default=0)
    opening_cash_cents: Mapped[int] = mapped_column(Integer, default=0)


class AppSetting(Base):
    """Key/value settings that belong to the database, e.g. this copy's laptop id."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
