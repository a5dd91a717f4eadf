"""Calendar months in the portal's offset, as the month filters need them."""

from __future__ import annotations

from datetime import datetime, timezone


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Both ends included."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def month_start(month: str, tz: timezone) -> str:
    """The first instant of the month in the portal's offset, as the REST filters take it."""
    return datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=tz).isoformat()
