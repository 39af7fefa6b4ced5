"""Merging a bundle of 2,000 sign-ups into a 100,000-person roster: under 3 s.

The roster is the demo group at 100,000 people. A kiosk laptop of the same group
(an empty database with the group's id) takes 2,000 sign-ups at one street fair, a
realistic mix: about 30% people already on the roster giving their email (in another
case), 10% giving only their phone (written another way), 5% near-duplicates (a name
typed a little differently, same postal code) and the rest new. The laptop exports its
bundle; the secretary's database merges it, file reading and commit included.

Floor: a raw sqlite3 executemany of 2,000 people rows into the same database in one
transaction (full-text trigger included) and its commit, with the same pragmas
(WAL, synchronous FULL). Prints both, the ratio, and exits 1 above 3 s.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update

from bench.common import OtherLoad, Timer, exit_status, report, temporary_folder
from desktop_app.db import Database, create_database
from desktop_app.models import (
    Event,
    EventKind,
    GroupProfile,
    JoinedVia,
    Person,
    SignIn,
    SignInSource,
)
from desktop_app.services import bundles
from desktop_app.services import group as group_service
from desktop_app.services.demo import create_demo
from desktop_app.text import email_key, search_text, sort_key

ROSTER = 100_000
SIGN_UPS = 2_000
LIMIT_SECONDS = 3.0
SEED = 2026
MIX = {"email": 0.30, "phone": 0.10, "near_duplicate": 0.05}  # the rest are new

_SYLLABLES = ("ka", "lo", "mi", "ren", "ta", "vos", "zel", "an", "bri", "du", "ek", "fo", "gal")


def _made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _national(e164: str) -> str:
    """+16175550142 -> (617) 555-0142, as someone at a table writes it."""
    digits = e164[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _near(name: str, rng: random.Random) -> str:
    """One letter dropped or doubled: a typo the eye misses."""
    if len(name) < 4:
        return name + name[-1]
    at = rng.randrange(1, len(name) - 1)
    return name[:at] + name[at + 1 :] if rng.random() < 0.5 else name[:at] + name[at] + name[at:]


def build_laptop(folder: Path, roster: Database) -> tuple[Database, dict[str, int]]:
    """A kiosk database of the roster's group, with one fair and SIGN_UPS sign-ups."""
    rng = random.Random(SEED)
    laptop = create_database(str(folder / "kiosk.sqlite"))
    profile = group_service.get_profile(roster)
    assert profile is not None
    group_service.save_profile(
        laptop, group_service.GroupProfileData(name=profile.name, country=profile.country)
    )
    with laptop.session() as session:
        session.execute(update(GroupProfile).values(uid=profile.uid))
    laptop_id = group_service.laptop_id(laptop)

    with roster.read_session() as session:
        active = session.execute(
            select(
                Person.given_name,
                Person.family_name,
                Person.email,
                Person.phone,
                Person.postal_code,
            )
            .where(Person.removed_at.is_(None), Person.erased_at.is_(None))
            .order_by(Person.id)  # the same sample from the same seed, run after run
        ).all()
    with_email = [p for p in active if p.email]
    with_phone_only = [p for p in active if p.phone and not p.email]
    with_postal = [p for p in active if p.postal_code and p.given_name and p.family_name]
    postal_codes = sorted({p.postal_code for p in with_postal})
    wanted = {kind: round(SIGN_UPS * share) for kind, share in MIX.items()}
    wanted["new"] = SIGN_UPS - sum(wanted.values())

    people: list[dict[str, object]] = []

    def person(given: str, family: str, email: str = "", phone: str = "", postal: str = "") -> None:
        people.append(
            {
                "uid": str(uuid.uuid4()),
                "given_name": given,
                "family_name": family,
                "email": email,
                "phone": phone,
                "postal_code": postal,
                "joined_via": JoinedVia.TABLING,
                "origin_laptop": laptop_id,
                "source": "kiosk",
                "email_key": email_key(email),
                "sort_key": sort_key(given, family),
                "search_text": search_text(
                    given_name=given,
                    family_name=family,
                    preferred_name="",
                    email=email,
                    phone=phone,
                    postal_code=postal,
                ),
            }
        )

    for p in rng.sample(with_email, wanted["email"]):
        person(p.given_name, p.family_name, p.email.upper(), postal=p.postal_code)
    for p in rng.sample(with_phone_only, wanted["phone"]):
        # The kiosk keeps a number it could not check as typed; the merge normalises it.
        person(
            p.given_name,
            p.family_name,
            phone=_national(p.phone) if p.phone[:2] == "+1" else p.phone,
        )
    for p in rng.sample(with_postal, wanted["near_duplicate"]):
        person(_near(p.given_name, rng), p.family_name, postal=p.postal_code)
    for number in range(wanted["new"]):
        given, family = _made_up_name(rng), _made_up_name(rng)
        email = f"{given.lower()}.{family.lower()}{number}@example.net"
        person(given, family, email, postal=rng.choice(postal_codes))

    fair = datetime(2026, 5, 16, 14, 0, tzinfo=UTC)
    with laptop.session() as session:
        event_id = session.execute(
            insert(Event)
            .values(kind=EventKind.TABLING, title="Street fair", starts_at=fair,
                    origin_laptop=laptop_id)
            .returning(Event.id)
        ).scalar_one()  # fmt: skip
        ids = session.execute(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), people
        ).scalars().all()  # fmt: skip
        session.execute(
            insert(SignIn),
            [
                {
                    "event_id": event_id,
                    "person_id": person_id,
                    "signed_in_at": fair + timedelta(seconds=20 * k),
                    "source": SignInSource.KIOSK,
                    "first_time": True,
                    "laptop_id": laptop_id,
                    "how_heard": "street fair",
                    "consent_given": True,
                }
                for k, person_id in enumerate(ids)
            ],
        )
    return laptop, wanted


def floor_seconds(path: Path) -> float:
    """Raw sqlite3: SIGN_UPS people rows in one transaction, committed, same pragmas."""
    columns = (
        "uid", "given_name", "family_name", "preferred_name", "email", "email_key", "phone",
        "address_line1", "address_line2", "city", "region", "postal_code", "country", "status",
        "dues_waived", "school", "joined_via", "ladder_stage", "email_ok", "phone_ok",
        "mail_ok", "do_not_contact", "notes", "needs_review", "review_reason", "search_text",
        "sort_key", "origin_laptop", "source", "created_at", "updated_at",
    )  # fmt: skip
    stamp = "2026-05-16 14:00:00.000000"
    rows = [
        (str(uuid.uuid4()), f"Floor{k}", "Row", "", f"floor{k}@example.org",
         f"floor{k}@example.org", "", "", "", "", "", "02139", "", "prospect", 0, "",
         "tabling", "signed_up", 0, 0, 0, 0, "", 0, "",
         f"floor{k} row row floor{k} | floor{k}@example.org | 02139", f"row floor{k}", "",
         "floor", stamp, stamp)
        for k in range(SIGN_UPS)
    ]  # fmt: skip
    marks = ", ".join("?" * len(columns))
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        with Timer() as timer:
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO people ({', '.join(columns)}) VALUES ({marks})", rows)
            conn.execute("COMMIT")
        return timer.seconds


def main() -> int:
    results: list[bool] = []
    with temporary_folder("groupdesk-bench-merge-") as folder:
        os.environ["GROUPDESK_DATA_DIR"] = str(folder / "data")  # backups stay in here
        with Timer() as build:
            roster = create_database(str(folder / "roster.sqlite"))
            create_demo(roster, ROSTER)
        print(f"roster: {ROSTER:,} people (the demo group), built in {build.seconds:.1f} s")
        laptop, wanted = build_laptop(folder, roster)
        path = folder / "fair.signups.json"
        with Timer() as exporting:
            exported = bundles.export_bundle(laptop, path)
        laptop.close()
        print(
            f"bundle: {exported.signins:,} sign-ups, {exported.bytes / 1024:.0f} KiB; mix {wanted}"
        )
        # The build's writes go to disk first: on ext4 the merge's fsync would otherwise
        # wait for the writeback of 100 MB it did not write.
        os.sync()
        with OtherLoad() as load, Timer() as merging:
            summary = bundles.merge_bundle(roster, path)
        with Timer() as again_timer:
            again = bundles.merge_bundle(roster, path)
        roster.close()
        os.sync()
        floor = floor_seconds(folder / "roster.sqlite")

    results.append(
        report(
            f"merge.{SIGN_UPS}_signups_into_{ROSTER}",
            merging.seconds,
            floor,
            "s",
            limit_abs=LIMIT_SECONDS,
        )
    )
    report("merge.export_on_the_laptop", exporting.seconds, None, "s")
    report("merge.same_bundle_again", again_timer.seconds, None, "s")
    print(load.describe())
    print(
        f"summary: {summary.counts()} events_added={summary.events_added} "
        f"filled={summary.people_filled}; again: already_merged={again.already_merged}"
    )
    expected_matched = wanted["email"] + wanted["phone"]
    right = (
        summary.people_matched == expected_matched
        and summary.people_added == SIGN_UPS - expected_matched
        and summary.signins_added == SIGN_UPS
        and summary.needs_review >= wanted["near_duplicate"] * 0.9
        and again.already_merged
    )
    if not right:
        print(
            f"FAILED: expected {expected_matched} matched, {SIGN_UPS - expected_matched} added, "
            f"{SIGN_UPS} sign-ins and about {wanted['near_duplicate']} reviews"
        )
    results.append(right)
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
