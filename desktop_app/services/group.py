"""The group's profile, its kiosk PIN, and this database copy's laptop id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, fields

from sqlalchemy import select

from desktop_app.db import Database
from desktop_app.models import AppSetting, GroupKind, GroupProfile, new_uid

PIN_ITERATIONS = 200_000
LAPTOP_ID_KEY = "laptop_id"
DEFAULT_CONSENT_TEXT = (
    "I agree that the group may keep these details to contact me about its work. "
    "I can ask to be removed at any time."
)


class ProfileError(ValueError):
    """A profile value that cannot be saved; str() names the field and the problem."""


@dataclass(frozen=True)
class GroupProfileData:
    """The editable group profile, as plain data for dialogs, the CLI and tests."""

    name: str
    kind: GroupKind = GroupKind.LOCAL
    number: str = ""
    city: str = ""
    region: str = ""
    country: str = "US"
    meeting_place: str = ""
    contact_email: str = ""
    kiosk_consent_text: str = DEFAULT_CONSENT_TEXT
    kiosk_interests: tuple[str, ...] = ()
    currency: str = "USD"


@dataclass(frozen=True)
class GroupProfileView(GroupProfileData):
    uid: str = ""
    has_kiosk_pin: bool = False


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, PIN_ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str | None) -> bool:
    if not stored or "$" not in stored:
        return False
    salt_hex, _ = stored.split("$", 1)
    return hmac.compare_digest(hash_pin(pin, bytes.fromhex(salt_hex)), stored)


def _validate(data: GroupProfileData) -> None:
    if not data.name.strip():
        raise ProfileError("Group name: please give the group's name.")
    if len(data.name) > 200:
        raise ProfileError("Group name: at most 200 characters.")
    if len(data.country) != 2 or not (data.country.isascii() and data.country.isalpha()):
        raise ProfileError("Country: a two-letter country code such as US, GB or IE.")


def get_profile(db: Database) -> GroupProfileView | None:
    """The profile, or None before the first-run dialog has been completed."""
    # A Core read of the table, not an ORM query: the window reads the profile while it
    # starts, and the first ORM query configures every mapper (about 0.17 s).
    table = GroupProfile.__table__
    with db.engine.connect() as conn:
        row = conn.execute(select(table).order_by(table.c.id).limit(1)).mappings().first()
    if row is None:
        return None
    return GroupProfileView(
        name=row["name"],
        kind=GroupKind(row["kind"]),
        number=row["number"] or "",
        city=row["city"],
        region=row["region"],
        country=row["country"],
        meeting_place=row["meeting_place"],
        contact_email=row["contact_email"],
        kiosk_consent_text=row["kiosk_consent_text"],
        kiosk_interests=tuple(line for line in row["kiosk_interests"].splitlines() if line),
        currency=row["currency"],
        uid=row["uid"],
        has_kiosk_pin=bool(row["kiosk_pin_hash"]),
    )


def save_profile(db: Database, data: GroupProfileData, *, kiosk_pin: str | None = None) -> str:
    """Create or update the one profile row; returns the group's uid.

    kiosk_pin: None keeps the PIN as it is; a string of 4-12 digits sets a new one.
    """
    _validate(data)
    # ASCII digits only: "١٢٣٤" would never match a PIN typed on a Latin keypad.
    if kiosk_pin is not None and not (
        kiosk_pin.isascii() and kiosk_pin.isdigit() and 4 <= len(kiosk_pin) <= 12
    ):
        raise ProfileError("Kiosk PIN: 4 to 12 digits.")
    with db.session() as session:
        row = session.scalars(select(GroupProfile).order_by(GroupProfile.id)).first()
        if row is None:
            row = GroupProfile(name=data.name)
            session.add(row)
        for field in fields(GroupProfileData):
            value = getattr(data, field.name)
            if field.name == "kiosk_interests":
                value = "\n".join(item.strip() for item in value if item.strip())
            elif field.name == "country":
                value = value.upper()
            elif isinstance(value, str):
                value = value.strip()
            setattr(row, field.name, value)
        row.number = data.number.strip() or None
        if kiosk_pin is not None:
            row.kiosk_pin_hash = hash_pin(kiosk_pin)
        session.flush()
        return row.uid


def check_kiosk_pin(db: Database, pin: str) -> bool:
    with db.read_session() as session:
        stored = session.scalars(select(GroupProfile.kiosk_pin_hash)).first()
    return pin_matches(pin, stored)


def group_country(db: Database) -> str:
    """The country phone numbers without + are read in; US until a profile says otherwise."""
    profile = get_profile(db)
    return profile.country if profile else "US"


def laptop_id(db: Database) -> str:
    """A stable id for this copy of the database, stamped on what it records."""
    with db.session() as session:
        setting = session.get(AppSetting, LAPTOP_ID_KEY)
        if setting is None:
            setting = AppSetting(key=LAPTOP_ID_KEY, value=new_uid())
            session.add(setting)
        return setting.value
