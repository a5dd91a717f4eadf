"""The statuses as the last portal pass derived them, published for everyone
(spec/sync.md "Who computes, who reads"; status-ladder.md "Screens").

The two CRM fields hold each client's status and since; what the screens
also need — the next drop, and the changes of the last year for "dropped this
week" and the 12-month chart — only a run that sees the whole CRM can derive.
So the portal pass publishes one row per tracked client in the `status`
storage (every user reads it, only admins write it), grouped by responsible so
that a manager's pass reads only its own; the publication's mark in
`app.option` (`ladder_status`) lists the items that count, so a reader never
mixes two publications.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ...ladder import Client, LadderSettings, Status, walk, written_standing
from ...model import Ref
from ...rest.gateway import Gateway
from . import storage
from .storage import STATUS

OPTION = "ladder_status"
ROWS_PER_ITEM = 2000
TRAIL_DAYS = 400
"""How far back each row keeps its changes: a year of months for the chart, and some."""


@dataclass(frozen=True, slots=True)
class Published:
    key: Ref
    responsible: int
    status: Status | None
    since: date | None
    drop_on: date | None
    """The next drop if nobody touches the client (None: it cannot drop)."""
    drops_to: Status | None
    trail: tuple[tuple[date, Status | None, str], ...] = ()
    """The status on the window's first day ("start"), then every change since: (day, status, cause)."""

    def status_on(self, day: date) -> Status | None:
        """The status at the end of `day` (within the trail's window)."""
        status = None
        for on, value, _ in self.trail:
            if on > day:
                break
            status = value
        return status


@dataclass
class Publication:
    day: date | None = None
    """The day of the portal pass that published it."""
    read: datetime | None = None
    """When that pass read the CRM: a manager's pass reads touches from here on."""
    by: int | None = None
    rows: dict[Ref, Published] = field(default_factory=dict)


def published(client: Client, settings: LadderSettings, today: date) -> Published:
    """A client's row: its status and since as the CRM holds them after the pass (`client.written`),
    the next drop as of today from there, and its changes — derived through yesterday (whole
    days, `ladder_pass.day_plan`), then today's, when the fields already say something newer
    (the starting point, a person's change this morning)."""
    walked = walk(client.history, settings, today - timedelta(days=1))
    start = today - timedelta(days=TRAIL_DAYS)
    before = [e for e in walked.events if e.changes_status and e.on <= start]
    trail = [(start, before[-1].status_to if before else None, "start")]
    trail += [(e.on, e.status_to, e.kind) for e in walked.events if e.changes_status and e.on > start]
    now = client.written
    if now.status != trail[-1][1]:
        trail.append((today, now.status, "set"))
    ahead = written_standing(client, settings, today)
    return Published(client.history.key, client.responsible, now.status, now.since, ahead.drop_on, ahead.drops_to,
                     tuple(trail))


async def publish(gateway: Gateway, rows: Iterable[Published], *, day: date, read: datetime, by: int) -> int:
    """Write the new publication, point the mark at it, then remove the old one; the items written."""
    by_manager: dict[int, list[Published]] = defaultdict(list)
    for row in rows:
        if row.status is not None or len(row.trail) > 1:
            by_manager[row.responsible].append(row)
    names, chunks = [], []
    for manager, part in sorted(by_manager.items()):
        part.sort(key=lambda r: r.key)
        for n, start in enumerate(range(0, len(part), ROWS_PER_ITEM)):
            names.append(f"status:{manager}:{n}")
            chunks.append([_row(r) for r in part[start:start + ROWS_PER_ITEM]])
    ids = await storage.add_texts(gateway, STATUS, list(zip(names, chunks)))
    mark = {"day": day.isoformat(), "read": read.isoformat(), "by": by, "items": list(ids)}
    await gateway.call("app.option.set", {"options": {OPTION: json.dumps(mark, separators=(",", ":"))}})
    old = [item.id for item in await storage.items(gateway, STATUS, {"%NAME": "status:"}) if item.id not in ids]
    await storage.delete_many(gateway, STATUS, old)
    return len(ids)


async def load_publication(gateway: Gateway, manager: int | None = None) -> Publication:
    """The last publication (only `manager`'s rows, when given); empty when there is none."""
    mark = _mark((await gateway.call("app.option.get", {"option": OPTION})).result)
    if mark is None:
        return Publication()
    flt = {"%NAME": f"status:{manager}:"} if manager is not None else {"%NAME": "status:"}
    listed = set(mark.get("items") or [])
    out = Publication(date.fromisoformat(mark["day"]), datetime.fromisoformat(mark["read"]), mark.get("by"))
    for item in await storage.items(gateway, STATUS, flt):
        if item.id in listed and (manager is None or item.name.startswith(f"status:{manager}:")):
            for row in item.data() or []:
                published_row = _unrow(row)
                out.rows[published_row.key] = published_row
    return out


def _mark(value: object) -> dict | None:
    try:
        data = json.loads(value) if isinstance(value, str) else value
        return data if isinstance(data, dict) and data.get("day") and data.get("read") else None
    except ValueError:
        return None


def _ord(day: date | None) -> int | None:
    return day.toordinal() if day else None


def _day(value: int | None) -> date | None:
    return date.fromordinal(value) if value else None


def _row(r: Published) -> list:
    return [r.key[0], r.key[1], r.responsible, r.status, _ord(r.since), _ord(r.drop_on), r.drops_to,
            [[on.toordinal(), status, cause] for on, status, cause in r.trail]]


def _unrow(row: list) -> Published:
    entity, rid, responsible, status, since, drop_on, drops_to, trail = row
    return Published((entity, rid), responsible, status, _day(since), _day(drop_on), drops_to,
                     tuple((date.fromordinal(on), value, cause) for on, value, cause in trail))
