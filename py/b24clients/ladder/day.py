"""The rules of one day, in the order they apply.

1. created: a client created on or after the start becomes New;
2. deals: an open deal lifts a tracked client to In work; when the last open
   deal closes, Hot (a win in the stretch, dated by it) or Warm (all lost);
3. people's changes, in time order: a raise without a recent call, or any
   change away from In work while a deal is open, is undone;
4. lift again: a client someone started tracking today with a deal open;
5. decay: one step down when the status is due (a touch today counts first,
   so a call on the drop day saves the client);
6. warning: the client entered its warning window.

`live` applies them to one day; the walk only calls it on days where one of
them can fire, which is why a catch-up over many days and a pass per day end
in the same state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .agenda import Agenda
from .drops import due_on, in_window
from .events import Event, EventKind, UndoReason
from .history import StatusChange
from .settings import LadderSettings
from .statuses import DROPS_TO, HOT, IN_WORK, LOST, NEW, WARM, Status, is_raise


@dataclass(frozen=True, slots=True)
class State:
    """Where a walk stands after `day`: all it carries from one day to the next."""

    day: date
    status: Status | None = None
    since: date | None = None
    cause: EventKind | None = None
    """The event that set the status; None while it was never tracked."""
    won: date | None = None
    """The latest deal won while the client is In work with other deals still open."""
    warned: tuple[date, Status] | None = None
    """The drop day and status the last warning was about, so each drop is warned once."""


Step = tuple[State, tuple[Event, ...]]
Rule = Callable[[State, Agenda, LadderSettings], Step]


def live(state: State, agenda: Agenda, settings: LadderSettings, day: date) -> Step:
    """Apply the day's rules, in order, to the state after the day before."""
    state, events = replace(state, day=day), []
    for rule in RULES:
        state, fired = rule(state, agenda, settings)
        events += fired
    return state, tuple(events)


def due(state: State, agenda: Agenda, settings: LadderSettings) -> date | None:
    """The first day the status may drop, knowing what is known on `state.day`;
    None when it cannot drop (untracked, Lost, In work with a deal open)."""
    days = settings.days_in(state.status) if state.status else None
    if days is None or state.since is None or (state.status == IN_WORK and agenda.open_on(state.day)):
        return None
    touched = agenda.last_touch(state.day)
    base = max(state.since, touched) if touched else state.since
    planned = agenda.known_planned(state.day) if settings.pause_on_planned else ()
    return due_on(base, days, planned)


def next_drop(state: State, agenda: Agenda, settings: LadderSettings) -> date | None:
    """The day it will drop if nothing else happens: never before tomorrow."""
    first = due(state, agenda, settings)
    return None if first is None else max(first, state.day + timedelta(days=1))


def _move(state: State, agenda: Agenda, status: Status | None, since: date | None,
          kind: EventKind, author: int | None = None) -> Step:
    """Set a new status; the same status again only moves `since` forward, silently."""
    if status == state.status:
        return replace(state, since=max(state.since, since)), ()
    event = Event(agenda.history.key, kind, state.day, state.status, status, author=author)
    return replace(state, status=status, since=since, cause=kind, won=None), (event,)


def _created(state: State, agenda: Agenda, settings: LadderSettings) -> Step:
    created = agenda.history.created
    if (state.day == created and state.cause is None and settings.started_on is not None
            and created >= settings.started_on):
        return _move(state, agenda, NEW, created, "new")
    return state, ()


def _follow_deals(state: State, agenda: Agenda, settings: LadderSettings) -> Step:
    """A deal open today: In work.  The last open deals closed today: Hot if a
    deal was won today or earlier in the stretch (since the latest win), else Warm."""
    if state.status is None:
        return state, ()
    if agenda.open_on(state.day):
        return _lift(state, agenda, settings)
    closed, won = agenda.closing_on(state.day)
    if not closed:
        return state, ()
    if won or state.won:
        return _move(state, agenda, HOT, state.day if won else state.won, "deal_won")
    return _move(state, agenda, WARM, state.day, "deal_lost")


def _lift(state: State, agenda: Agenda, settings: LadderSettings) -> Step:
    """In work while a deal is open; a deal won meanwhile is remembered for the end."""
    if state.status is None or not agenda.open_on(state.day):
        return state, ()
    events: tuple[Event, ...] = ()
    if state.status != IN_WORK:
        state, events = _move(state, agenda, IN_WORK, state.day, "deal_open")
    _, won_today = agenda.closing_on(state.day)
    if won_today:
        state = replace(state, won=state.day)
    return state, events


def _changes(state: State, agenda: Agenda, settings: LadderSettings) -> Step:
    events: list[Event] = []
    for change in agenda.changes.get(state.day, ()):
        if change.status == state.status:
            continue
        reason = _refusal(state, agenda, settings, change)
        if reason:
            events.append(Event(agenda.history.key, "undone", state.day, state.status, change.status,
                                author=change.author, reason=reason))
            continue
        state, fired = _move(state, agenda, change.status,
                             change.starts if change.status else None, "set", change.author)
        events += fired
    return state, tuple(events)


def _refusal(state: State, agenda: Agenda, settings: LadderSettings,
             change: StatusChange) -> UndoReason | None:
    """Why a person's change cannot stand, if it cannot."""
    if state.status == IN_WORK and change.status is not None and agenda.open_on(state.day):
        return "open_deal"
    if (settings.raise_needs_call and is_raise(state.status, change.status)
            and not agenda.called(change.at, settings.raise_call_days)):
        return "no_call"
    return None


def _decay(state: State, agenda: Agenda, settings: LadderSettings) -> Step:
    first = due(state, agenda, settings)
    if first is None or first > state.day:
        return state, ()
    target = DROPS_TO[state.status]
    return _move(state, agenda, target, state.day, "loss" if target == LOST else "drop")


def _warning(state: State, agenda: Agenda, settings: LadderSettings) -> Step:
    drop_on = next_drop(state, agenda, settings)
    if (drop_on is None or (drop_on, state.status) == state.warned
            or not in_window(drop_on, state.day, settings.warn_days)):
        return state, ()
    event = Event(agenda.history.key, "warning", state.day, state.status, DROPS_TO[state.status],
                  drop_on=drop_on)
    return replace(state, warned=(drop_on, state.status)), (event,)


RULES: tuple[Rule, ...] = (_created, _follow_deals, _changes, _lift, _decay, _warning)
