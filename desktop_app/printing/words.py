"""Dates and times in words for printed pages: "Thursday 14 May 2026, 7:00 pm".

Day and month are spelled out so a date cannot be misread (3/12 is March in one
country and December in another). Times show in the zone the datetime carries.
"""

from __future__ import annotations

from datetime import date, datetime

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_in_words(day: date, *, weekday: bool = True) -> str:
    """ "Thursday 14 May 2026" (or "14 May 2026" without the weekday)."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAYS[day.weekday()]} {text}" if weekday else text


def time_in_words(moment: datetime) -> str:
    """ "7:00 pm", "12:30 pm" (noon), "12:00 am" (midnight)."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def when_in_words(starts: datetime, ends: datetime | None = None) -> str:
    """ "Thursday 14 May 2026, 7:00 pm – 9:00 pm"; an end on another day names that day."""
    text = f"{date_in_words(starts.date())}, {time_in_words(starts)}"
    if ends is None:
        return text
    ends = ends.astimezone(starts.tzinfo) if starts.tzinfo is not None else ends
    if ends.date() == starts.date():
        return f"{text} – {time_in_words(ends)}"
    return f"{text} – {date_in_words(ends.date())}, {time_in_words(ends)}"


def deadline_in_words(deadline: date | None, today: date) -> str:
    """ "Friday 12 June 2026 (in 5 days)", "... (today)", "... (passed)"; "" for none."""
    if deadline is None:
        return ""
    days = (deadline - today).days
    if days < 0:
        note = "passed"
    elif days == 0:
        note = "today"
    elif days == 1:
        note = "tomorrow"
    else:
        note = f"in {days} days"
    return f"{date_in_words(deadline)} ({note})"


__all__ = ["date_in_words", "deadline_in_words", "time_in_words", "when_in_words"]
