"""Times as volunteers see them: stored in UTC, shown and edited in local time.

Services take and return aware datetimes. These helpers turn them into QDateTime
values for editors and into short texts for tables, and back, always through a
point on the time line (milliseconds since the epoch) so no naive datetime is ever
guessed at.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale

# Day and month in words: "3 Dec 2026" cannot be misread as 12 March anywhere.
DATE_FORMAT = "ddd d MMM yyyy"
EDIT_DATE_TIME_FORMAT = "ddd d MMM yyyy  HH:mm"
EDIT_DATE_FORMAT = "d MMM yyyy"


def to_qdatetime(value: datetime) -> QDateTime:
    """An aware datetime as a QDateTime in local time."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("times are stored with their time zone")
    return QDateTime.fromMSecsSinceEpoch(round(value.timestamp() * 1000))


def from_qdatetime(value: QDateTime) -> datetime:
    """What an editor shows (local time) as an aware datetime, to the minute."""
    moment = datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, tz=UTC)
    return moment.astimezone().replace(second=0, microsecond=0)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_text(value: date | None) -> str:
    """A date in words and the locale's order; "" when there is none."""
    if value is None:
        return ""
    return QLocale().toString(to_qdate(value), DATE_FORMAT)


def time_text(value: datetime) -> str:
    """The local time of day, in the locale's short form (19:00 or 7:00 PM)."""
    return QLocale().toString(to_qdatetime(value).time(), QLocale.FormatType.ShortFormat)


def date_time_text(value: datetime | None) -> str:
    """A moment as "Thu 3 Dec 2026, 19:00" in local time; "" when there is none."""
    if value is None:
        return ""
    local = to_qdatetime(value)
    day = QLocale().toString(local.date(), DATE_FORMAT)
    return f"{day}, {QLocale().toString(local.time(), QLocale.FormatType.ShortFormat)}"


def span_text(starts_at: datetime, ends_at: datetime | None) -> str:
    """An event's time: "Thu 3 Dec 2026, 19:00–21:00", the end's day too if another."""
    text = date_time_text(starts_at)
    if ends_at is None:
        return text
    if to_qdatetime(ends_at).date() == to_qdatetime(starts_at).date():
        return f"{text}–{time_text(ends_at)}"
    return f"{text} – {date_time_text(ends_at)}"


def local_today() -> date:
    return datetime.now().astimezone().date()


__all__ = [
    "DATE_FORMAT",
    "EDIT_DATE_FORMAT",
    "EDIT_DATE_TIME_FORMAT",
    "date_text",
    "date_time_text",
    "from_qdate",
    "from_qdatetime",
    "local_today",
    "span_text",
    "time_text",
    "to_qdate",
    "to_qdatetime",
]
