"""Histories for the status ladder's tests, written in days from DAY0."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from b24clients.ladder import (
    ClientHistory,
    Deal,
    Event,
    LadderSettings,
    Planned,
    StatusChange,
    Touch,
)

DAY0 = date(2026, 1, 1)
KEY = ("company", 1)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def at(n: int, hour: int = 10) -> datetime:
    return datetime.combine(day(n), time(hour))


def call(n: int, hour: int = 10) -> Touch:
    return Touch("call", at(n, hour))


def touch(kind: str, n: int, hour: int = 10) -> Touch:
    return Touch(kind, at(n, hour))


def set_to(n: int, status: str | None, hour: int = 12, author: int | None = 7, **extra) -> StatusChange:
    return StatusChange(at(n, hour), status, author, **extra)


def deal(id: int, opened: int, outcome: str = "open", closed: int | None = None) -> Deal:
    return Deal(id, day(opened), outcome, None if closed is None else day(closed))


def planned(created: int, deadline: int) -> Planned:
    return Planned(day(created), day(deadline))


def history(created: int = 0, *, key=KEY, deals=(), touches=(), planned=(), changes=()) -> ClientHistory:
    return ClientHistory(key, day(created), tuple(deals), tuple(touches), tuple(planned), tuple(changes))


def ladder(**overrides) -> LadderSettings:
    """The default settings, started on DAY0."""
    return LadderSettings(**{"started_on": DAY0, **overrides})


def story(events: tuple[Event, ...]) -> list[tuple]:
    """Events as (day number, kind, from, to) — and the drop day for warnings, the reason for undone ones."""
    lines = []
    for e in events:
        line = ((e.on - DAY0).days, e.kind, e.status_from, e.status_to)
        if e.drop_on:
            line += ((e.drop_on - DAY0).days,)
        if e.reason:
            line += (e.reason,)
        lines.append(line)
    return lines
