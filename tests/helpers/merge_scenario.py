"""A secretary's laptop and a tabling laptop's bundle, for the merge and review tests.

On the secretary's roster: John Goncalves (asked not to be contacted; came to a
meeting), Maria Garcia and Dana Quist. The tabling laptop (a copy of the roster with
its own laptop id) signs up at a street fair: Jon Gonçalves and Mario Garcia (likely
duplicates of John and Maria), Lin Wu (new) and Dana again with another phone (the
same person by email; the phone is a conflict). Merging it: 3 added, 1 matched,
4 sign-ins, 3 items to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.db import Database
from desktop_app.models import EventKind, SignInSource
from desktop_app.services.bundles import export_bundle
from desktop_app.services.roster import PersonInput, create_person
from tests.gui.shell_fixtures import make_group_database
from tests.helpers.bundle_laptops import add_event, add_person, laptop_copy, sign_in


@dataclass(frozen=True)
class StreetFair:
    db: Database  # the secretary's laptop
    bundle: Path  # the tabling laptop's sign-ups
    john: int
    maria: int
    dana: int
    meeting: int


def on_roster(db: Database, **fields: Any) -> int:
    """Someone the secretary added by hand (no source), as the roster page does."""
    return create_person(db, PersonInput(**fields)).person_id


def street_fair(folder: Path, db: Database | None = None) -> StreetFair:
    """Build the scenario in folder (on db if given: a group database of its own)."""
    db = db or make_group_database(folder / "secretary.sqlite")
    meeting = add_event(db, "Monthly meeting", kind=EventKind.MEETING)
    john = on_roster(
        db,
        given_name="John",
        family_name="Goncalves",
        postal_code="02139",
        email="john.g@example.org",
        do_not_contact=True,
    )
    sign_in(db, meeting, john, source=SignInSource.MEETING)
    maria = on_roster(db, given_name="Maria", family_name="Garcia", postal_code="02139")
    dana = on_roster(
        db, given_name="Dana", family_name="Quist", email="dana@example.com", phone="+16175550100"
    )
    laptop = laptop_copy(db, folder, "tabling-laptop")
    fair = add_event(laptop, "Street fair")
    for fields in (
        {"given_name": "Jon", "family_name": "Gonçalves", "postal_code": "02139",
         "phone": "+16175550123"},
        {"given_name": "Mario", "family_name": "Garcia", "postal_code": "02139"},
        {"given_name": "Lin", "family_name": "Wu", "email": "lin@example.com"},
        {"given_name": "Dana", "family_name": "Quist", "email": "DANA@example.com",
         "phone": "617-555-0199"},
    ):  # fmt: skip
        sign_in(laptop, fair, add_person(laptop, **fields))
    bundle = folder / "tabling-laptop.signups.json"
    export_bundle(laptop, bundle)
    laptop.close()
    return StreetFair(db=db, bundle=bundle, john=john, maria=maria, dana=dana, meeting=meeting)
