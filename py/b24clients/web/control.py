"""The head's control table as plain data (planning.md "Manager control"): no `js`.

For a chosen period, per employee: clients, A-clients overdue, activities
created, completed and completed late, open overdue, and the last touch they
made — each number with the list behind it, so a head sees who did what and
when (who created, who was responsible, created and closed dates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from .. import records
from ..dates import portal_datetime
from ..model import Activity, Ref
from ..ranks import TouchStatus
from ..ranks.attribution import Attribution
from ..ranks.touches import TouchKind, counts_as_touch
from .listing import ListRow

PERIODS = ("week", "month", "30d", "custom")
NUMBERS = ("clients", "a_overdue", "created", "completed", "late", "open_overdue")
"""The table's columns that open a list (the last touch is a date)."""


def period_range(key: str, today: date, custom: tuple[date, date] | None = None) -> tuple[date, date]:
    """First and last day of the period, both included: this week (from Monday), this month,
    the last 30 days (today included), or a custom pair (put in order)."""
    if key == "week":
        return today - timedelta(days=today.weekday()), today
    if key == "month":
        return today.replace(day=1), today
    if key == "custom" and custom is not None:
        return min(custom), max(custom)
    return today - timedelta(days=29), today


@dataclass(frozen=True, slots=True)
class Event:
    """An activity as the control table shows it: who did what, when."""

    id: int
    subject: str
    owners: tuple[Ref, ...]
    deal_ids: tuple[int, ...]
    responsible_id: int | None
    author_id: int | None
    created: datetime | None
    closed: datetime | None
    """When it was completed (LAST_UPDATED of a completed activity); None while open."""
    deadline: datetime | None
    """None when it has none (Bitrix24's year 9999)."""

    @property
    def late(self) -> bool:
        """Completed after its deadline."""
        return self.closed is not None and self.deadline is not None and self.closed > self.deadline


def event(raw: Mapping, tz: timezone) -> Event:
    status = records.ref_id(records.field(raw, "STATUS"))
    completed = records.is_yes(records.field(raw, "COMPLETED")) or status in (2, 3)
    deadline_text = records.field(raw, "DEADLINE")
    no_deadline = isinstance(deadline_text, str) and deadline_text.strip().startswith("9999")
    activity = records.activity(raw, tz)
    return Event(
        id=activity.id, subject=str(records.field(raw, "SUBJECT") or ""), owners=activity.owners,
        deal_ids=activity.deal_ids, responsible_id=records.ref_id(records.field(raw, "RESPONSIBLE_ID")),
        author_id=records.ref_id(records.field(raw, "AUTHOR_ID")),
        created=portal_datetime(records.field(raw, "CREATED"), tz),
        closed=portal_datetime(records.field(raw, "LAST_UPDATED"), tz) if completed else None,
        deadline=None if no_deadline else portal_datetime(deadline_text, tz))


@dataclass
class Employee:
    user_id: int | None
    clients: list[ListRow] = field(default_factory=list)
    a_overdue: list[ListRow] = field(default_factory=list)
    created: list[Event] = field(default_factory=list)
    completed: list[Event] = field(default_factory=list)
    late: list[Event] = field(default_factory=list)
    open_overdue: list[Event] = field(default_factory=list)
    last_touch: date | None = None
    """The latest touch they made: a completed activity of the counted kinds they were responsible
    for (not the record's LAST_ACTIVITY_BY, which moves when a to-do is merely created)."""


def last_touches_by(activities: Iterable[Activity], kinds: AbstractSet[TouchKind]) -> dict[int, date]:
    """Employee → the day of the latest touch they made."""
    found: dict[int, date] = {}
    for activity in activities:
        uid = activity.responsible_id
        if uid is not None and counts_as_touch(activity, kinds) and activity.done_on > found.get(uid, date.min):
            found[uid] = activity.done_on
    return found


def control(rows: Iterable[ListRow], statuses: Mapping[Ref, TouchStatus], events: Iterable[Event],
            period: tuple[date, date], today: date, users: frozenset[int] | None, tz: timezone,
            touched: Mapping[int, date]) -> list[Employee]:
    """One line per employee in `users` (None: everyone responsible for a client or an activity),
    the most A-clients overdue first.  Activities count for their responsible; `touched` is
    `last_touches_by`."""
    first, last = period
    start = datetime.combine(first, datetime.min.time(), tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tz)
    now_start = datetime.combine(today, datetime.min.time(), tz)
    table: dict[int | None, Employee] = {uid: Employee(uid) for uid in users or ()}

    def line(uid: int | None) -> Employee | None:
        if users is not None and uid not in users:
            return None
        return table.setdefault(uid, Employee(uid))

    for row in rows:
        employee = line(row.responsible_id)
        if employee is None:
            continue
        employee.clients.append(row)
        status = statuses.get((row.entity, row.id))
        if status is not None and status.rank == "A" and status.band == "overdue":
            employee.a_overdue.append(row)
    for item in sorted(events, key=lambda e: e.id):
        employee = line(item.responsible_id)
        if employee is None:
            continue
        if item.created is not None and start <= item.created < end:
            employee.created.append(item)
        if item.closed is not None and start <= item.closed < end:
            employee.completed.append(item)
            if item.late:
                employee.late.append(item)
        if item.closed is None and item.deadline is not None and item.deadline < now_start:
            employee.open_overdue.append(item)
    for uid, employee in table.items():
        employee.last_touch = touched.get(uid) if uid is not None else None
    return sorted(table.values(), key=lambda e: (-len(e.a_overdue), -len(e.open_overdue), e.user_id or 0))


def client_of(item: Event, attribution: Attribution) -> Ref | None:
    """The client an activity is about (the first of its bindings that has one)."""
    found = attribution.of_activity(Activity(item.id, owners=item.owners, deal_ids=item.deal_ids))
    return min(found) if found else None
