"""People for the roster GUI tests: a quick bulk insert and fixtures built on it.

Import the fixtures into a test module (``from tests.gui.roster_fixtures import ...``);
tests/gui/conftest.py belongs to the application shell.

Two thousand people through create_person would take a minute (one durable commit
each); one ORM session adds them in well under a second, and the model's own
events still fill the search and sort columns exactly as a normal save does.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop_app.db import Database
from desktop_app.models import (
    JoinedVia,
    LadderStage,
    Person,
    PersonStatus,
    RoleAssignment,
    RoleType,
    Tag,
)
from desktop_app.services import roster
from desktop_app.services.roster import PersonInput

if TYPE_CHECKING:
    # Imported where used, so the model tests need nothing of the page module.
    from desktop_app.views.pages import Page
    from desktop_app.views.person_dialog import PersonPicker
    from desktop_app.views.roster_page import RosterPage

GIVEN = (
    "Maria", "Mario", "Marianne", "Ken", "Kenji", "Aoife", "Siobhán", "Владимир", "Анна",
    "Fatima", "Yusuf", "José", "Zoë", "Wei", "Priya", "Amara", "Tom", "Noor", "Olga", "Léa",
)  # fmt: skip
FAMILY = (
    "Garcia", "Martínez", "Кузнецов", "Sato", "Kennedy", "Ní Bhriain", "O'Brien", "Smith",
    "Müller", "Nguyen", "Khan", "Okafor", "Rossi", "Silva", "Cohen", "Dubois", "Novak",
    "Tanaka", "Murphy", "Walsh",
)  # fmt: skip
TAGS = ("refugee rights", "tabling-2026", "letters", "film night")

AnyPage = TypeVar("AnyPage", bound="Page")

# A completer's popup asks the window system to raise it and grab the keyboard; the
# offscreen platform cannot, and says so. Nothing else is let through.
popup_noise = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints\(\))$"
)


def bulk_add_people(db: Database, count: int, *, seed: int = 7) -> list[int]:
    """Add count varied people in one transaction; returns their ids in insertion order."""
    rng = random.Random(seed)
    today = date.today()
    with db.session() as session:
        role_ids = list(session.scalars(select(RoleType.id).order_by(RoleType.id)))
        tags = [Tag(name=name) for name in TAGS]
        session.add_all(tags)
        people = []
        for number in range(count):
            given = rng.choice(GIVEN)
            family = rng.choice(FAMILY)
            dues = rng.choice([None, today - timedelta(days=40), today + timedelta(days=200)])
            person = Person(
                given_name=given,
                family_name=family,
                preferred_name="",
                email=f"{given.lower()}.{number}@example.org" if number % 9 else "",
                phone=f"+1617555{rng.randrange(10_000):04d}" if number % 4 else "",
                postal_code=f"{rng.randrange(2100, 2300):05d}",
                status=rng.choice(list(PersonStatus)),
                ladder_stage=rng.choice(list(LadderStage)),
                joined_via=rng.choice(list(JoinedVia)),
                dues_paid_through=dues,
                dues_waived=number % 50 == 0,
                email_ok=number % 2 == 0,
                phone_ok=number % 3 == 0,
                mail_ok=number % 5 == 0,
                do_not_contact=number % 17 == 0,
                needs_review=number % 23 == 0,
                review_reason="This phone number is not in use." if number % 23 == 0 else "",
            )
            if number % 6 == 0:
                person.tags = rng.sample(tags, rng.randrange(1, 3))
            if number % 10 == 0:
                person.role_assignments.append(
                    RoleAssignment(role_type_id=rng.choice(role_ids), start_date=today)
                )
            people.append(person)
        session.add_all(people)
        session.flush()
        return [person.id for person in people]


@pytest.fixture
def many_people(db: Database) -> list[int]:
    """Two thousand people on the roster."""
    return bulk_add_people(db, 2000)


@pytest.fixture
def add_person(db: Database) -> Callable[..., int]:
    """Add one person the normal way (create_person); returns the id."""

    def add(**fields: object) -> int:
        return roster.create_person(db, PersonInput(**fields)).person_id  # type: ignore[arg-type]

    return add


@pytest.fixture
def us_english() -> Iterator[None]:
    """Numbers and dates as in the United States ("2,000 people"), whatever the machine's."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def undo_stack() -> Iterator[QUndoStack]:
    stack = QUndoStack()
    yield stack
    stack.clear()


@pytest.fixture
def roster_page(qtbot: QtBot, db: Database, undo_stack: QUndoStack) -> RosterPage:
    """The roster page, shown at a laptop-sized window, with the window's undo stack."""
    from desktop_app.views.roster_page import RosterPage

    page = RosterPage(db, undo_stack)
    page.set_undo_stack(undo_stack)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def show_page(qtbot: QtBot, page: AnyPage, width: int, height: int) -> AnyPage:
    """Show a page at width x height as the active window (pickers' popups need that)."""
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def open_dialog(qtbot: QtBot, page: Page) -> QDialog:
    """The dialog the page has open, once it is on screen."""
    dialog = page.current_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def pick(qtbot: QtBot, picker: PersonPicker, typed: str) -> None:
    """Type into a roster picker and take the first person it offers, by keyboard."""
    picker.line_edit.setFocus()
    qtbot.keyClicks(picker.line_edit, typed)
    popup = picker.completer.popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible())
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.person_id() is not None)
