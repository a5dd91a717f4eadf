"""What the Planning mode reads and writes beyond the client list (planning.md
"Planning view"), always with the user's own rights.

The touches and the planned activities behind the bands are the activities
of a window: the open ones due from today on, and those completed within the
longest touch gap (older ones cannot change a band — the client is overdue
for every rank then — and the record's own LAST_ACTIVITY_TIME /
LAST_COMMUNICATION_TIME, already in the cards, still gives the date).  Where
this user's own computing run has a store, its aggregates already hold every
activity it may read (planning.md "Speed": no extra pass), and the window is
taken from them; otherwise (a reading run) it is read here, in two chained
lists that share batches.  Plus the company structure (`department.get`, any
user may read it) and, for a head, the employees of their tree; a
responsible's month of open activities for the load calendar (one chained
list); and the to-do a planned call or meeting becomes
(`crm.activity.todo.add` with a ping).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from .. import records
from ..model import COMPANY, Activity, Ref
from ..ranks import RankSettings
from ..ranks.bands import DUE_SOON_DAYS
from ..ranks.scope import Department, department
from ..rest.gateway import MAX_BATCH, PAGE, Gateway, ListSpec
from ..steps import STEP, Steps, finish, with_pauses
from .plan import ACTIVITY_SELECT

LOAD_SELECT = ["ID", "DEADLINE", "RESPONSIBLE_ID", "COMPLETED", "STATUS"]
AHEAD_DAYS = 400
"""Open activities are read up to this far ahead: the year-9999 "no deadline" is left out
by the filter itself (reference C.4), and nothing a year away changes a band."""
PING_MINUTES = (15,)
"""The planned touch pings its responsible this many minutes before it."""
TYPE_ID = {"contact": 3, "company": 4}


@dataclass
class PlanningRead:
    today: date
    tz: timezone
    user_id: int
    activities: list[Activity] = field(default_factory=list)
    departments: dict[int, Department] = field(default_factory=dict)
    since: date | None = None
    """Completed activities were read from this day on."""


async def portal_now(gateway: Gateway) -> tuple[datetime, int]:
    """The portal's clock and offset (an answer's `time.date_start`) and who is asking."""
    body = await gateway.call_raw("user.current")
    return datetime.fromisoformat(body["time"]["date_start"]), int(body["result"]["ID"])


def lookback_days(settings: RankSettings) -> int:
    """How far back a completed activity can still change a band: the longest gap of any rank."""
    gaps = [gap for gap in (settings.gaps.a, settings.gaps.b, settings.gaps.c, settings.gaps.n) if gap is not None]
    return max(gaps, default=0) + DUE_SOON_DAYS + 1


def activity_specs(today: date, tz: timezone, since: date) -> dict[str, ListSpec]:
    start = _midnight(today, tz)
    return {
        "open": ListSpec("crm.activity.list", {"select": ACTIVITY_SELECT, "filter": {
            "COMPLETED": "N", ">=DEADLINE": start, "<DEADLINE": _midnight(today + timedelta(days=AHEAD_DAYS), tz)}},
            pages=4),
        "done": ListSpec("crm.activity.list", {"select": ACTIVITY_SELECT, "filter": {
            "COMPLETED": "Y", ">=LAST_UPDATED": _midnight(since, tz)}}, pages=8),
    }


async def read_planning(gateway: Gateway, settings: RankSettings, *, today: date,
                        folded: Mapping[int, Activity] | None = None,
                        pause: Callable[[], Awaitable[None]] | None = None,
                        names: Callable[[set[int]], Awaitable[None]] | None = None) -> PlanningRead:
    """The activities behind the bands and the company structure.  `folded`: the activities
    of this user's own computing run (`Aggregates.activities`), from which the window is
    taken with pauses and no activity request; None: the window is read.  `names` is given
    the activities' responsibles (the page reads the people it will name): alongside the
    clock and the structure when the activities are folded."""
    since = today - timedelta(days=lookback_days(settings))
    names = names or _nobody
    if folded is not None:  # a snapshot of the values: a run may fold more in while this pauses
        steps = window_steps(list(folded.values()), today, since)
        activities = await with_pauses(steps, pause) if pause else finish(steps)
        (now, user_id), departments, _ = await asyncio.gather(
            portal_now(gateway), read_departments(gateway), names(responsibles(activities)))
    else:
        (now, user_id), departments = await asyncio.gather(portal_now(gateway), read_departments(gateway))
        activities = await read_window(gateway, today, now.tzinfo or timezone.utc, since)
        await names(responsibles(activities))
    return PlanningRead(today, now.tzinfo or timezone.utc, user_id, activities, departments, since)


def responsibles(activities: Iterable[Activity]) -> set[int]:
    """The people a row may name as who touched or will touch the client."""
    return {a.responsible_id for a in activities if a.responsible_id}


async def _nobody(_: set[int]) -> None:
    pass


async def read_window(gateway: Gateway, today: date, tz: timezone, since: date) -> list[Activity]:
    """The window's activities from the portal (`activity_specs`), each once."""
    found = await gateway.read_many(activity_specs(today, tz, since))
    activities = {}
    for raw in (*found["open"], *found["done"]):
        try:
            activity = records.activity(raw, tz)
        except Exception:  # noqa: BLE001 - an unreadable row is no touch, never a stop
            continue
        activities[activity.id] = activity
    return list(activities.values())


def in_window(activity: Activity, today: date, since: date) -> bool:
    """What `activity_specs` asks the portal for: open and due from today to AHEAD_DAYS
    ahead, or completed since `since`."""
    if activity.completed:
        return activity.done_on is not None and activity.done_on >= since
    return activity.deadline is not None and today <= activity.deadline < today + timedelta(days=AHEAD_DAYS)


def window_steps(activities: list[Activity], today: date, since: date) -> Steps[list[Activity]]:
    """The activities `in_window`, a pause every STEP."""
    kept: list[Activity] = []
    for start in range(0, len(activities), STEP):
        kept += [a for a in activities[start:start + STEP] if in_window(a, today, since)]
        yield
    return kept


async def read_departments(gateway: Gateway) -> dict[int, Department]:
    rows = await _pages(gateway, "department.get", {})
    return {d.id: d for d in filter(None, map(department, rows))}


async def read_members(gateway: Gateway, department_ids: Iterable[int]) -> list[dict]:
    """Active employees of these departments (`user.get` takes an array, REF §9)."""
    ids = sorted(set(department_ids))
    if not ids:
        return []
    return await _pages(gateway, "user.get", {"FILTER": {"UF_DEPARTMENT": ids, "ACTIVE": True}})


async def read_month(gateway: Gateway, responsible_id: int, year: int, month: int, tz: timezone) -> list[Activity]:
    """The responsible's open activities due in the month: one chained list (reference C.4)."""
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    rows: list[Activity] = []
    async for page in gateway.read_all("crm.activity.list", {"select": LOAD_SELECT, "filter": {
            "COMPLETED": "N", "@RESPONSIBLE_ID": [responsible_id], ">=DEADLINE": _midnight(first, tz),
            "<DEADLINE": _midnight(after, tz)}}):
        rows.extend(records.activity(raw, tz) for raw in page)
    return rows


CONTROL_SELECT = [*ACTIVITY_SELECT, "SUBJECT"]


def control_specs(first: date, last: date, today: date, tz: timezone,
                  responsibles: Iterable[int] | None) -> dict[str, ListSpec]:
    """The head's control table (planning.md "Manager control"): activities created in the
    period, completed in it, and open past their deadline — of these responsibles (None: all
    this user may read)."""
    start, end = _midnight(first, tz), _midnight(last + timedelta(days=1), tz)
    who = {} if responsibles is None else {"@RESPONSIBLE_ID": sorted(set(responsibles))}
    filters = {"created": {">=CREATED": start, "<CREATED": end},
               "completed": {"COMPLETED": "Y", ">=LAST_UPDATED": start, "<LAST_UPDATED": end},
               "open_overdue": {"COMPLETED": "N", "<DEADLINE": _midnight(today, tz)}}
    return {name: ListSpec("crm.activity.list", {"select": CONTROL_SELECT, "filter": {**f, **who}}, pages=4)
            for name, f in filters.items()}


async def read_control(gateway: Gateway, first: date, last: date, today: date, tz: timezone,
                       responsibles: Iterable[int] | None) -> list[dict]:
    """Those activities' rows, each once, in shared batches."""
    if responsibles is not None and not set(responsibles):
        return []
    found = await gateway.read_many(control_specs(first, last, today, tz, responsibles))
    rows = {}
    for raw in (row for rows_ in found.values() for row in rows_):
        rid = records.ref_id(raw.get("ID"))
        if rid is not None:
            rows[rid] = raw
    return [rows[rid] for rid in sorted(rows)]


def todo_params(client: Ref, when: datetime, title: str, responsible_id: int, *, description: str = "") -> dict:
    """`crm.activity.todo.add` for a planned call or meeting on a contact or company."""
    entity, rid = client
    return {"ownerTypeId": TYPE_ID[entity], "ownerId": rid, "deadline": when.isoformat(timespec="seconds"),
            "title": title, "description": description, "responsibleId": responsible_id,
            "pingOffsets": list(PING_MINUTES), "colorId": "1" if entity == COMPANY else "2"}


async def plan_touch(gateway: Gateway, client: Ref, when: datetime, title: str, responsible_id: int,
                     tz: timezone) -> Activity:
    """Create the to-do; the Activity the bands then count as planned (open, due `when`)."""
    answer = await gateway.call("crm.activity.todo.add", todo_params(client, when, title, responsible_id))
    new_id = records.ref_id((answer.result or {}).get("id")) if isinstance(answer.result, Mapping) else None
    return Activity(id=new_id or 0, kind="todo", owners=(client,), responsible_id=responsible_id,
                    deadline=when.astimezone(tz).date())


def _midnight(day: date, tz: timezone) -> str:
    return datetime.combine(day, time(), tz).isoformat()


async def _pages(gateway: Gateway, method: str, params: dict) -> list[dict]:
    """A counted list (department.get, user.get): the first page, then the rest in one batch."""
    first = await gateway.call(method, params)
    rows = list(first.result or [])
    starts = list(range(PAGE, first.total or 0, PAGE))
    for chunk in range(0, len(starts), MAX_BATCH):
        part = starts[chunk:chunk + MAX_BATCH]
        answer = await gateway.batch({f"p{s}": (method, {**params, "start": s}) for s in part})
        for s in part:
            rows.extend(answer.results.get(f"p{s}") or [])
    return rows
