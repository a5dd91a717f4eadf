"""Walking a client's history from day to day, and what the walk answers.

There is one code path: `walk` jumps from one day where a rule can fire to
the next (a recorded fact, a drop, a warning) and applies the day's rules
there.  A daily pass is `walk` up to today from yesterday's state; a
catch-up after missed days is `walk` over all of them at once.  Both end in
the same state with the same events, because nothing can happen on a day
the walk skips.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..model import Ref
from .agenda import Agenda
from .day import State, live, next_drop
from .drops import in_window
from .events import Event, EventKind
from .history import ClientHistory
from .settings import LadderSettings
from .statuses import DROPS_TO, Status


@dataclass(frozen=True, slots=True)
class Standing:
    """A client on a day: its status and since when, and what comes next."""

    key: Ref
    on: date
    status: Status | None
    since: date | None
    cause: EventKind | None
    """What set the status: "loss" marks a client its manager let decay into Lost."""
    drop_on: date | None
    """The next drop if nobody touches it; None when it cannot drop."""
    drops_to: Status | None
    warning: bool
    """In its warning window: `warn_days` or fewer before `drop_on`."""


@dataclass(frozen=True, slots=True)
class Walk:
    state: State
    """Hand it back to `walk` to go on from here."""
    events: tuple[Event, ...]
    """What happened after the state it started from, up to and including `until`."""
    standing: Standing
    """Where the client stands at the end of `until`."""


def walk(history: ClientHistory, settings: LadderSettings, until: date, state: State | None = None) -> Walk:
    """The history lived through to the end of `until`, from `state` (a previous
    walk's) or from the beginning."""
    agenda = Agenda.of(history, settings)
    state = state or State(day=agenda.days[0] - timedelta(days=1))
    events: list[Event] = []
    while (day := _next_day(state, agenda, settings)) is not None and day <= until:
        state, fired = live(state, agenda, settings, day)
        events += fired
    state = replace(state, day=max(state.day, until))
    return Walk(state, tuple(events), _standing(state, agenda, settings))


def standing(history: ClientHistory, settings: LadderSettings, day: date) -> Standing:
    """Where the client stands at the end of `day`."""
    return walk(history, settings, day).standing


def events_between(history: ClientHistory, settings: LadderSettings, after: date, until: date) -> tuple[Event, ...]:
    """Every event dated after `after`, up to and including `until`."""
    return walk(history, settings, until, walk(history, settings, after).state).events


def _next_day(state: State, agenda: Agenda, settings: LadderSettings) -> date | None:
    """The first day after `state.day` on which a rule can fire."""
    candidates = [agenda.next_day(state.day)]
    drop_on = next_drop(state, agenda, settings)
    if drop_on is not None:
        candidates.append(drop_on)
        warn_from = max(drop_on - timedelta(days=settings.warn_days), state.day + timedelta(days=1))
        if (drop_on, state.status) != state.warned and warn_from < drop_on:
            candidates.append(warn_from)
    return min((day for day in candidates if day is not None), default=None)


def _standing(state: State, agenda: Agenda, settings: LadderSettings) -> Standing:
    drop_on = next_drop(state, agenda, settings)
    return Standing(
        key=agenda.history.key, on=state.day, status=state.status, since=state.since, cause=state.cause,
        drop_on=drop_on, drops_to=DROPS_TO[state.status] if drop_on else None,
        warning=drop_on is not None and in_window(drop_on, state.day, settings.warn_days),
    )
