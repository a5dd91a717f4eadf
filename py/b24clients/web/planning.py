"""The Planning mode as plain data (planning.md "Planning view"): no `js`, no DOM.

Clients grouped by rank, then band (overdue, due within 7 days, planned,
fine), the most overdue first; the "Slipping soon" group; the people picker's
scope applied; the row that moves to "planned" the moment a call is planned;
the load calendar's weeks.  `planning_view.py` only draws these.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..lifecycle import Thresholds
from ..model import COMPANY, Activity, Company, Contact, Crm, Ref, Touch
from ..ranks import BANDS, RANKS, Band, DayLoad, Rank, RankSettings, TouchStatus, touch_status
from ..ranks.bands import touch_statuses_steps
from ..ranks.slipping import slips_soon
from ..steps import Steps, finish
from .listing import ListRow

SLIPPING = "slipping"
OPEN_BANDS: tuple[Band, ...] = ("overdue", "due_soon")
"""The groups a manager has to act on: shown open, the others folded."""


@dataclass(frozen=True, slots=True)
class PlanRow:
    row: ListRow
    status: TouchStatus

    @property
    def ref(self) -> Ref:
        return (self.row.entity, self.row.id)


@dataclass(frozen=True)
class Group:
    key: str
    """"A.overdue" … "N.fine", or "slipping"."""
    rank: Rank | None
    band: Band | None
    rows: tuple[PlanRow, ...]

    @property
    def folded(self) -> bool:
        """Shown folded: an empty group, and those nobody has to act on today."""
        return not self.rows or self.band is not None and (self.band not in OPEN_BANDS or self.rank == "N")


def statuses(rows: Iterable[ListRow], crm: Crm, activities: Iterable[Activity], settings: RankSettings,
             today: date) -> dict[Ref, TouchStatus]:
    """Every listed client's band.  The record's own last touch is the row's (a company's
    includes its member contacts'), read from the portal whatever the user may list."""
    return finish(statuses_steps(rows, crm, activities, settings, today))


def statuses_steps(rows: Iterable[ListRow], crm: Crm, activities: Iterable[Activity], settings: RankSettings,
                   today: date) -> Steps[dict[Ref, TouchStatus]]:
    """`statuses` as a step generator (steps.py), for the page."""
    rows = list(rows)
    ranks = {(row.entity, row.id): row.rank for row in rows}
    record_touches = [((row.entity, row.id), Touch(row.last_touch)) for row in rows if row.last_touch is not None]
    return (yield from touch_statuses_steps(crm, activities, record_touches, ranks, settings, today))


def rows_crm(rows: Iterable[ListRow]) -> Crm:
    """The clients alone, for a reading run (it holds no deals): a call bound to a client
    counts, one bound only to a deal does not; the record's own last touch still does."""
    rows = list(rows)
    return Crm(companies={r.id: Company(r.id) for r in rows if r.entity == COMPANY},
               contacts={r.id: Contact(r.id) for r in rows if r.entity != COMPANY})


def in_scope(rows: Iterable[ListRow], users: frozenset[int] | None) -> list[ListRow]:
    """The clients of these responsibles (None: everyone's)."""
    return list(rows) if users is None else [row for row in rows if row.responsible_id in users]


def _order(band: Band | None):
    def key(plan: PlanRow):
        status = plan.status
        if band == "planned":
            first = status.next_planned or date.max
        elif band == "overdue":  # never touched first of all, then the longest overdue
            first = date.min if status.due_on is None else status.due_on
        else:
            first = status.due_on or date.max
        return (first, plan.row.folded, plan.row.order)
    return key


def groups(rows: Iterable[ListRow], statuses: Mapping[Ref, TouchStatus], today: date,
           thresholds: Thresholds) -> list[Group]:
    """"Slipping soon" (Active clients turning Sleeping within 30 days, soonest first), then
    each rank's bands in order, the most overdue first; empty groups are kept (a zero says
    something too)."""
    rows = list(rows)
    by_group: dict[tuple[Rank, Band], list[PlanRow]] = {(r, b): [] for r in RANKS for b in BANDS}
    slipping: list[PlanRow] = []
    for row in rows:
        status = statuses.get((row.entity, row.id))
        if status is None:
            continue
        plan = PlanRow(row, status)
        by_group[(status.rank, status.band)].append(plan)
        if row.lifecycle == "active" and row.last_payment is not None and slips_soon(row.last_payment, today,
                                                                                     thresholds):
            slipping.append(plan)
    slipping.sort(key=lambda p: (p.row.last_payment, p.row.folded, p.row.order))
    out = [Group(SLIPPING, None, None, tuple(slipping))]
    for (rank, band), members in by_group.items():
        members.sort(key=_order(band))
        out.append(Group(f"{rank}.{band}", rank, band, tuple(members)))
    return out


def counts(found: Iterable[Group]) -> dict[str, int]:
    """Each group's size, and each band's over the ranks ("band.overdue" …)."""
    out: dict[str, int] = {}
    for group in found:
        out[group.key] = len(group.rows)
        if group.band is not None:
            out[f"band.{group.band}"] = out.get(f"band.{group.band}", 0) + len(group.rows)
    return out


def planned(all_statuses: dict[Ref, TouchStatus], client: Ref, day: date, today: date,
            settings: RankSettings) -> TouchStatus | None:
    """A call planned on `day`: the client's row moves to "planned" at once (the to-do is
    open and due today or later).  Returns the new status, also put in `all_statuses`."""
    status = all_statuses.get(client)
    if status is None or day < today:
        return status
    first = day if status.next_planned is None else min(status.next_planned, day)
    new = touch_status(status.rank, status.last_touch, first, today, settings.gaps)
    all_statuses[client] = new
    return new


def weeks(loads: list[DayLoad]) -> list[list[DayLoad | None]]:
    """The load calendar's rows, Monday first; None where the month has no day."""
    if not loads:
        return []
    first = loads[0].day
    lead = calendar.weekday(first.year, first.month, first.day)
    cells: list[DayLoad | None] = [None] * lead + list(loads)
    cells += [None] * (-len(cells) % 7)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]
