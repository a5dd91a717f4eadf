"""A client's history arranged by day, as the walk reads it.

Built once per walk: the days on which something is recorded, the counted
touches and the people's changes of each day, and the calls the raise guard
looks back on.  Which touches count depends on the settings, so an agenda
belongs to one history *and* one set of settings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .history import ClientHistory, Planned, StatusChange
from .settings import LadderSettings


@dataclass(frozen=True, slots=True)
class Agenda:
    history: ClientHistory
    days: tuple[date, ...]
    """Every day with a recorded fact, ascending, no repeats."""
    touch_days: tuple[date, ...]
    """Days with at least one counted touch, ascending."""
    changes: dict[date, tuple[StatusChange, ...]]
    """People's changes per day, in time order (the pass's own are left out)."""
    calls: tuple[datetime, ...]
    """Every completed call, ascending, whatever the counted kinds are."""

    @classmethod
    def of(cls, history: ClientHistory, settings: LadderSettings) -> Agenda:
        touch_days = sorted({t.at.date() for t in history.touches if settings.counts(t.kind)})
        by_day: defaultdict[date, list[StatusChange]] = defaultdict(list)
        for change in sorted((c for c in history.changes if not c.auto), key=lambda c: c.at):
            by_day[change.at.date()].append(change)
        days = {history.created, *touch_days, *by_day, *(p.created for p in history.planned)}
        days |= {deal.opened for deal in history.deals}
        days |= {deal.ends_on for deal in history.deals if deal.ends_on is not None}
        return cls(history, tuple(sorted(days)), tuple(touch_days),
                   {day: tuple(changes) for day, changes in by_day.items()},
                   tuple(sorted(t.at for t in history.touches if t.kind == "call")))

    def next_day(self, after: date) -> date | None:
        """The first day after `after` with a recorded fact."""
        index = bisect_right(self.days, after)
        return self.days[index] if index < len(self.days) else None

    def last_touch(self, by: date) -> date | None:
        """The last day with a counted touch on or before `by`."""
        index = bisect_right(self.touch_days, by)
        return self.touch_days[index - 1] if index else None

    def called(self, at: datetime, days: int) -> bool:
        """A call at or before `at`, on its day or one of the `days` days before."""
        index = bisect_right(self.calls, at)
        return bool(index) and self.calls[index - 1].date() >= at.date() - timedelta(days=days)

    def open_on(self, day: date) -> bool:
        return any(deal.open_on(day) for deal in self.history.deals)

    def closing_on(self, day: date) -> tuple[bool, bool]:
        """(any deal closed on `day`, any of them won)."""
        closing = [deal for deal in self.history.deals if deal.ends_on == day]
        return bool(closing), any(deal.outcome == "won" for deal in closing)

    def known_planned(self, on: date) -> tuple[Planned, ...]:
        """The planned touches already created on `on`."""
        return tuple(p for p in self.history.planned if p.created <= on)
