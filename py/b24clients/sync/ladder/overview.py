"""The Status mode's figures (status-ladder.md "Screens"), from the published
statuses (`ladder_status.load_publication`): counters per status, who drops
within a week, who dropped this week, a line per manager, and the last twelve
months.  Pure: the screens pass the rows they may show (a reader sees the
clients their rights show, with the portal-wide truth for each).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, timedelta

from ...dates import months_before
from ...ladder import STATUSES, Status
from ...model import Ref
from .status import Published

SOON_DAYS = 7


@dataclass(frozen=True, slots=True)
class Drop:
    """A client that went down a step (or was lost) on a day."""

    row: Published
    on: date
    status_from: Status | None
    status_to: Status | None
    lost: bool


@dataclass(frozen=True, slots=True)
class ManagerLine:
    manager: int
    counts: dict[Status, int]
    dropping: int
    """Clients that drop within SOON_DAYS unless someone touches them."""
    dropped: int
    """Drops and losses this week."""
    lost: int
    """Losses this week."""


@dataclass(frozen=True, slots=True)
class Overview:
    counts: dict[Status, int]
    """Tracked clients per status, every status (zeros too), in STATUSES order."""
    dropping: tuple[Published, ...]
    """Next drop within SOON_DAYS days (today included), earliest first."""
    dropped: tuple[Drop, ...]
    """Drops and losses since Monday of this week, latest first."""
    managers: tuple[ManagerLine, ...]
    """One line per responsible, most clients dropped this week first."""
    months: tuple[tuple[date, dict[Status, int]], ...]
    """Twelve month ends, oldest first (the last one is today): clients per status then."""


def overview(rows: Iterable[Published], today: date, keys: Set[Ref] | None = None) -> Overview:
    """The figures over `rows` (only those in `keys`, when given)."""
    rows = sorted((r for r in rows if keys is None or r.key in keys), key=lambda r: r.key)
    tracked = [r for r in rows if r.status is not None]
    week = today - timedelta(days=today.weekday())
    soon = today + timedelta(days=SOON_DAYS)
    dropping = tuple(sorted((r for r in tracked if r.drop_on is not None and r.drop_on <= soon),
                            key=lambda r: (r.drop_on, r.key)))
    dropped = tuple(sorted((d for r in rows for d in drops(r) if week <= d.on <= today),
                           key=lambda d: (d.on, d.row.key), reverse=True))
    lines = []
    for manager in sorted({r.responsible for r in rows}):
        own = [r for r in tracked if r.responsible == manager]
        gone = [d for d in dropped if d.row.responsible == manager]
        lines.append(ManagerLine(manager, _counts(r.status for r in own),
                                 sum(1 for r in dropping if r.responsible == manager), len(gone),
                                 sum(1 for d in gone if d.lost)))
    lines.sort(key=lambda line: (-line.dropped, -line.lost, line.manager))
    ends = [_month_end(months_before(today, n)) for n in range(11, 0, -1)] + [today]
    months = tuple((end, _counts(r.status_on(end) for r in rows)) for end in ends)
    return Overview(_counts(r.status for r in tracked), dropping, dropped, tuple(lines), months)


def drops(row: Published) -> list[Drop]:
    """Every drop and loss in a row's trail, with the status it came from."""
    out = []
    for (_, before, _), (on, after, cause) in zip(row.trail, row.trail[1:]):
        if cause in ("drop", "loss"):
            out.append(Drop(row, on, before, after, cause == "loss"))
    return out


def _counts(statuses: Iterable[Status | None]) -> dict[Status, int]:
    counts = {status: 0 for status in STATUSES}
    for status in statuses:
        if status is not None:
            counts[status] += 1
    return counts


def _month_end(day: date) -> date:
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return following - timedelta(days=1)
