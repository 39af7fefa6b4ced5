"""Phone list with the consent people gave, attendance, and the meeting agenda."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from desktop_app.printing.data import (
    AgendaAction,
    AgendaData,
    AgendaEvent,
    AttendanceData,
    AttendanceEntry,
    ContactLine,
    ContactListData,
    PrintError,
)
from desktop_app.printing.lists import render_agenda, render_attendance, render_contact_list
from tests.helpers.pdf_pages import page_texts

EVENING = datetime(2026, 6, 11, 19, 0, tzinfo=timezone(timedelta(hours=-4)))


def line_of(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(name))


def test_phone_list_shows_only_what_people_agreed_to() -> None:
    data = ContactListData(
        group_name="Group 133",
        title="Phone list",
        printed_on=date(2026, 5, 14),
        lines=(
            ContactLine(
                "Ana Álvarez",
                "(617) 555-0101",
                "ana@example.org",
                True,
                True,
                status="Member",
                roles=("Treasurer",),
            ),
            ContactLine("Ben Okafor", "", "ben@example.org", False, True, status="Activist"),
            ContactLine("Chloé Dubois", "(617) 555-0103", "", True, False),
            ContactLine("Dmitri Orlov", do_not_contact=True, status="Supporter"),
        ),
        subtitle="Members",
    )
    result = render_contact_list(data)
    (text,) = page_texts(result.pdf)
    assert "4 people · Members · printed Thursday 14 May 2026" in text
    assert "(617) 555-0101" in line_of(text, "Ana Álvarez") and "Treasurer" in text
    assert "no calls" in line_of(text, "Ben Okafor")
    assert "no email" in line_of(text, "Chloé Dubois")
    assert "DO NOT CONTACT" in line_of(text, "Dmitri Orlov")
    assert "do not pass it on" in text
    assert "Page 1 of 1" in text


def test_long_lists_number_their_pages() -> None:
    lines = tuple(ContactLine(f"Person {i:03d}", f"555-{i:04d}", phone_ok=True) for i in range(130))
    result = render_contact_list(ContactListData("G", "Roster", date(2026, 5, 1), lines))
    pages = page_texts(result.pdf)
    assert len(pages) == result.pages >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Name" in text and "Phone" in text  # column titles on every page
    assert sum(text.count("Person ") for text in pages) == 130


def test_an_empty_list_is_refused() -> None:
    with pytest.raises(PrintError, match="nobody matches"):
        render_contact_list(ContactListData("G", "Phone list", date(2026, 5, 1), ()))


def test_attendance_lists_people_and_counts() -> None:
    data = AttendanceData(
        group_name="Group 133",
        event_title="Monthly meeting",
        starts_at=EVENING,
        place="Library",
        entries=(
            AttendanceEntry(
                "Ana Álvarez",
                False,
                "Ticked off",
                datetime(2026, 6, 11, 23, 5, tzinfo=UTC),
                ("Refugees",),
            ),
            AttendanceEntry("Γιώργος Π.", True, "Kiosk", None, ("Death penalty", "Tabling")),
            AttendanceEntry("Kim Lee", False, "Paper sheet", do_not_contact=True),
        ),
    )
    (text,) = page_texts(render_attendance(data).pdf)
    assert "Attendance: Monthly meeting" in text
    assert "3 people signed in, 1 for the first time" in text
    assert "7:05 pm" in line_of(text, "Ana Álvarez")  # in the event's own time zone
    assert "first time" in line_of(text, "Γιώργος Π.")
    assert "Death penalty, Tabling" in text
    assert "Kim Lee (do not contact)" in text


def test_agenda_lists_open_actions_by_deadline_and_coming_events() -> None:
    data = AgendaData(
        group_name="Group 133",
        meeting_title="June meeting",
        starts_at=EVENING,
        place="Library",
        today=date(2026, 6, 1),
        open_actions=(
            AgendaAction("UA 229/10", "Student detained", "Valdoria", date(2026, 6, 12), 14),
            AgendaAction("27.22", "Journalist at risk", "Esterra", date(2026, 5, 30), 1),
            AgendaAction("", "No deadline case", "", None, 0),
        ),
        upcoming_events=(AgendaEvent("Write for Rights", EVENING + timedelta(days=9), "Café"),),
    )
    result = render_agenda(data)
    text = "\n".join(page_texts(result.pdf))
    assert "Agenda: June meeting" in text
    order = [
        text.index(title)
        for title in ("Journalist at risk", "Student detained", "No deadline case")
    ]
    assert order == sorted(order)
    assert "Deadline: Saturday 30 May 2026 (passed) · 1 letter so far" in text
    assert "Deadline: Friday 12 June 2026 (in 11 days) · 14 letters so far" in text
    assert "Saturday 20 June 2026, 7:00 pm · Write for Rights · Café" in text
    for number in range(1, 9):
        assert f"{number}. " in text
    assert f"Page 1 of {result.pages}" in text


def test_agenda_without_actions_says_so() -> None:
    data = AgendaData("G", "Meeting", today=date(2026, 6, 1))
    text = "\n".join(page_texts(render_agenda(data).pdf))
    assert "No open urgent actions." in text and "Nothing planned yet." in text
