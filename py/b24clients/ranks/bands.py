"""When each client must next be touched, and how urgent that is (planning.md).

next touch due = last touch + the rank's gap.  The band, first match wins:
- planned: an open activity of any kind is due today or later — the manager
  has already put it in the diary, so the row leaves the to-do pile at once;
- overdue: the due date has passed (or the client was never touched);
- due_soon: due today or within the next 7 days;
- fine: everything else, N clients (no gap) included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..model import Activity, Crm, Ref, Touch
from ..steps import STEP, Steps, finish
from .attribution import Attribution
from .ranking import Rank
from .settings import Gaps, RankSettings
from .touches import last_touches_steps

Band = Literal["overdue", "due_soon", "planned", "fine"]
BANDS: tuple[Band, ...] = ("overdue", "due_soon", "planned", "fine")
DUE_SOON_DAYS = 7


@dataclass(frozen=True, slots=True)
class TouchStatus:
    rank: Rank
    band: Band
    last_touch: Touch | None = None
    due_on: date | None = None
    """last touch + gap; None when the rank has no gap or the client was never touched."""
    next_planned: date | None = None
    """The earliest deadline, today or later, of the client's open activities."""

    def days_overdue(self, today: date) -> int:
        """How late the touch is (0 when not late): the planning list puts the most overdue first."""
        return max((today - self.due_on).days, 0) if self.due_on is not None else 0


def touch_status(rank: Rank, last_touch: Touch | None, next_planned: date | None, today: date,
                 gaps: Gaps) -> TouchStatus:
    gap = gaps.of(rank)
    due_on = last_touch.on + timedelta(days=gap) if gap is not None and last_touch is not None else None
    if next_planned is not None:
        band: Band = "planned"
    elif gap is None:
        band = "fine"
    elif due_on is None or due_on < today:
        band = "overdue"
    elif due_on <= today + timedelta(days=DUE_SOON_DAYS):
        band = "due_soon"
    else:
        band = "fine"
    return TouchStatus(rank, band, last_touch, due_on, next_planned)


def planned_touches(attribution: Attribution, activities: Iterable[Activity], today: date) -> dict[Ref, date]:
    """Client → earliest deadline, today or later, of its open activities.

    Any kind counts — a planned to-do titled "Call" is how the app itself plans
    a call.  An activity with no deadline plans nothing.
    """
    planned: dict[Ref, date] = {}
    for activity in activities:
        if activity.completed or activity.deadline is None or activity.deadline < today:
            continue
        for client in attribution.of_activity(activity):
            if client not in planned or activity.deadline < planned[client]:
                planned[client] = activity.deadline
    return planned


def touch_statuses(crm: Crm, activities: Iterable[Activity], record_touches: Iterable[tuple[Ref, Touch]],
                   ranks: Mapping[Ref, Rank], settings: RankSettings, today: date) -> dict[Ref, TouchStatus]:
    """Every ranked client's last touch, due date and band.

    Touches are read from the whole CRM, whatever pipelines count for ranks:
    a call is a call, whichever pipeline its deal is in.
    """
    return finish(touch_statuses_steps(crm, activities, record_touches, ranks, settings, today))


def touch_statuses_steps(crm: Crm, activities: Iterable[Activity], record_touches: Iterable[tuple[Ref, Touch]],
                         ranks: Mapping[Ref, Rank], settings: RankSettings,
                         today: date) -> Steps[dict[Ref, TouchStatus]]:
    """`touch_statuses` as a step generator (steps.py): the Planning mode computes its bands
    with pauses, so the page stays responsive while a large portfolio is banded."""
    activities = list(activities)
    attribution = yield from Attribution.steps(crm)
    touches = yield from last_touches_steps(attribution, activities, record_touches, settings.touch_kinds)
    planned = planned_touches(attribution, activities, today)
    yield
    statuses: dict[Ref, TouchStatus] = {}
    for n, (client, rank) in enumerate(ranks.items(), 1):
        statuses[client] = touch_status(rank, touches.get(client), planned.get(client), today, settings.gaps)
        if n % STEP == 0:
            yield
    return statuses
