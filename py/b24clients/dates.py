"""Portal calendar dates (rules.md §2) and calendar-month arithmetic (rules.md §3).

Bitrix24 answers every timestamp with the portal's UTC offset, and a sales
team thinks in the portal's calendar: a deal closed at 00:30 Moscow time was
closed that day, not the day before in UTC.  So every date the rules see is
the timestamp's calendar date *in the portal's offset*.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_offset(text: str) -> timezone:
    """'+03:00' → UTC+3.  Raises ValueError on anything else, so a bad portal
    setting is reported once at the edge instead of skewing every date."""
    if text in ("Z", "UTC", "+00:00"):
        return timezone.utc
    match = _OFFSET.match(text or "")
    if not match:
        raise ValueError(f"not a UTC offset like +03:00: {text!r}")
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta >= timedelta(hours=24):
        raise ValueError(f"UTC offset out of range: {text!r}")
    return timezone(-delta if sign == "-" else delta)


def portal_date(value: object, portal_tz: timezone) -> date | None:
    """The portal's calendar date of a REST timestamp, or None when absent or unreadable."""
    moment = portal_datetime(value, portal_tz)
    return None if moment is None else moment.date()


def portal_datetime(value: object, portal_tz: timezone) -> datetime | None:
    """A REST timestamp as an aware moment in the portal's offset, or None when absent or unreadable.

    A timestamp with an offset is moved into the portal's offset first (the
    REST API already answers in it, so this is usually a no-op); one without
    an offset, or a bare date, is taken as portal-local already.  Its
    `.date()` is therefore always the portal's calendar date, and moments
    from one portal compare and sort without naive/aware mix-ups.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=portal_tz)
    try:
        return moment.astimezone(portal_tz)
    except OverflowError:  # year 1 or 9999 pushed off the calendar by the offset change
        return None


def today_in(portal_tz: timezone, now: datetime) -> date:
    """Today's date on the portal's calendar, given an aware 'now' from the caller's clock."""
    return now.astimezone(portal_tz).date()


def months_before(day: date, months: int) -> date:
    """Calendar months back, clamped at month end: 31 Aug − 6 months = 28/29 Feb."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))
