"""The responsible's month at a glance: open activities per day, against the
daily capacity (planning.md "Plan a call"), so a call lands on a day that is
not already full.  The infoservice case (reference C.6: >30 call tasks a day,
notifications switched off) is why the capacity is shown at all.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model import Activity


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: date
    open: int
    """Open activities of the responsible due that day."""
    room: int
    """capacity − open: 0 is a full day, below 0 a day over capacity."""

    @property
    def over(self) -> bool:
        return self.room < 0


def month_load(activities: Iterable[Activity], responsible_id: int, year: int, month: int,
               capacity: int) -> list[DayLoad]:
    """Every day of the month, in order.  Completed activities and those without
    a deadline load no day."""
    counts = Counter(
        a.deadline for a in activities
        if a.responsible_id == responsible_id and not a.completed and a.deadline is not None
        and (a.deadline.year, a.deadline.month) == (year, month)
    )
    days = calendar.monthrange(year, month)[1]
    return [DayLoad(day, counts[day], capacity - counts[day])
            for day in (date(year, month, d) for d in range(1, days + 1))]
