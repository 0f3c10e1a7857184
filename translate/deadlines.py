"""Priorities and deadlines: parsed from front matter, the batch inbox and `translate prioritize`,
stored normalised, and shown relative to now.

- `priority` is a whole number (higher comes first among equal deadlines; default 0).
- `deadline` is an ISO 8601 date and time WITH a time zone (`2012-10-16T18:00:00+03:00`,
  `2012-10-16T15:00Z`), or a bare date (`2012-10-16`) meaning the end of that day (23:59:59) in the
  desk's time zone (`timezone:` in workflow.yaml, default UTC). A time without a zone is refused:
  it would mean different moments to people in different cities.
- Deadlines are stored in UTC as `YYYY-MM-DDTHH:MM:SS+00:00`, so string order is time order (the
  queue's index sorts them as text).

No SQL and no terminal code here; babel is imported only by the formatting functions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from translate.i18n import _

PRIORITY_LIMIT = 1_000_000
_INT_RE = re.compile(r"^[+-]?\d+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEADLINE_EXAMPLE = "2012-10-16, 2012-10-16T18:00:00+03:00"


class ScheduleError(ValueError):
    """A bad priority or deadline; the message names the value and what is expected (the caller
    prefixes the file and field)."""


def time_zone(name: str | None) -> tzinfo:
    """The IANA zone `name` (None: UTC); ScheduleError when unknown."""
    if not name or name.upper() == "UTC":
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(name) from exc


def parse_priority(value: Any) -> int:
    """A whole number (an int, or text of one); ScheduleError otherwise."""
    if isinstance(value, bool):
        raise ScheduleError(_("'{value}' is not a whole number").format(value=value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT_RE.match(value.strip()):
        number = int(value.strip())
    else:
        raise ScheduleError(_("'{value}' is not a whole number").format(value=value))
    if abs(number) > PRIORITY_LIMIT:
        raise ScheduleError(
            _("{value} is out of range (from -{limit} to {limit})").format(
                value=number, limit=PRIORITY_LIMIT
            )
        )
    return number


def to_utc_iso(moment: datetime) -> str:
    """The stored form: UTC, seconds, '+00:00' (sorts as text)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def end_of_day(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def parse_deadline(value: Any, zone: tzinfo = UTC) -> str:
    """The stored (UTC ISO 8601) form of a deadline given as a date, a datetime with a zone, or
    text of either (YAML gives dates and datetimes already parsed); ScheduleError otherwise."""
    bad = ScheduleError(
        _("'{value}' is not a date or a date and time with a time zone (e.g. {examples})").format(
            value=value, examples=DEADLINE_EXAMPLE
        )
    )
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return to_utc_iso(end_of_day(value, zone))
    elif isinstance(value, str):
        text = value.strip()
        if _DATE_RE.match(text):
            try:
                return to_utc_iso(end_of_day(date.fromisoformat(text), zone))
            except ValueError:
                raise bad from None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise bad from None
    else:
        raise bad
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ScheduleError(
            _(
                "'{value}' has no time zone; add one (e.g. {example}) or give a date for the end "
                "of that day in the desk's time zone"
            ).format(value=value, example="2012-10-16T18:00:00+03:00")
        )
    return to_utc_iso(moment)


def parse_stored(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_in(deadline: str | None, now: datetime) -> timedelta | None:
    """Time left until the deadline (negative when overdue)."""
    if not deadline:
        return None
    return parse_stored(deadline) - now


def iso_duration(delta: timedelta | None) -> str | None:
    """An ISO 8601 duration such as 'PT3H5M' or '-P1DT2H' (negative when overdue), whole seconds."""
    if delta is None:
        return None
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    out = f"{sign}P"
    if days:
        out += f"{days}D"
    clock = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    if clock or not days:
        out += "T" + (clock or "0S")
    return out


def describe_due(deadline: str | None, now: datetime, locale: str) -> str:
    """'in 3 hours' / 'overdue by 2 days' in the UI language (babel's format_timedelta)."""
    delta = due_in(deadline, now)
    if delta is None:
        return ""
    from babel.dates import format_timedelta

    if delta.total_seconds() < 0:
        return _("overdue by {time}").format(
            time=format_timedelta(-delta, threshold=1.1, locale=locale)
        )
    return format_timedelta(delta, add_direction=True, threshold=1.1, locale=locale)


def format_deadline(deadline: str | None, zone: tzinfo, locale: str) -> str:
    """The deadline in the desk's time zone, as people read it in the UI language:
    'Oct 16, 2012, 18:00 MSK'."""
    if not deadline:
        return ""
    from babel.dates import format_date

    local = parse_stored(deadline).astimezone(zone)
    return f"{format_date(local, 'medium', locale=locale)}, {local:%H:%M} {local:%Z}".rstrip()
