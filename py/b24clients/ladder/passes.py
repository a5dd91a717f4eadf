"""The two daily passes as plans: plain data for an I/O layer to carry out.

The **portal pass** (an admin's run, which sees the whole CRM) re-derives
every client from its history and writes target states; the **manager's
pass** (any user, a partial view) never changes a status: it projects the
statuses as last written forward with the touches it can see, to keep that
manager's alarms and digest right.  Writes are the state wanted, never a
delta, so planning again after a plan ran asks for no writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from ..model import Ref
from .agenda import Agenda
from .alarms import AlarmOrder, plan_alarms
from .crm import Client
from .day import State, due
from .digest import Digest, HeadNotice, Loss, Seen, digests, head_notices
from .drops import in_window
from .events import Event
from .reassign import assignees
from .settings import LadderSettings
from .statuses import DROPS_TO, LOST, Status
from .walk import Standing, walk

NO_HEADS: Mapping[int, int] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Write:
    """The two fields to set on a client, and, for a client just lost, its new responsible."""

    key: Ref
    status: Status
    since: date
    assign_to: int | None = None


@dataclass(frozen=True, slots=True)
class PortalPlan:
    writes: tuple[Write, ...]
    alarms: tuple[AlarmOrder, ...]
    digests: tuple[Digest, ...]
    heads: tuple[HeadNotice, ...]
    events: tuple[Event, ...]
    """Everything that happened since the last pass, for the clients' timelines."""


@dataclass(frozen=True, slots=True)
class ManagerPlan:
    alarms: tuple[AlarmOrder, ...]
    digest: Digest | None


def portal_plan(clients: Iterable[Client], settings: LadderSettings, after: date, today: date,
                heads: Mapping[int, int] = NO_HEADS) -> PortalPlan:
    """What the portal pass on `today` does, the last one having covered `after`.

    Missed days are lived through in one walk with their true dates; each
    manager still gets one digest.  A client written as something other than
    Lost whose status is now a loss is reassigned in the same write, so a
    write that ran is never repeated and nor is its reassignment.
    """
    seen = sorted((_seen(client, settings, after, today) for client in clients), key=lambda s: s.standing.key)
    newly_lost = [(s.standing.key, s.client.responsible) for s in seen if _newly_lost(s)]
    moves = assignees(newly_lost, settings.reassign, heads, today)
    alarms = plan_alarms(((s.client, s.standing) for s in seen), settings, today)
    losses = [Loss(s.standing.key, s.client.responsible, event.on, moves.get(s.standing.key))
              for s in seen for event in s.events if event.kind == "loss"]
    return PortalPlan(
        writes=tuple(Write(s.standing.key, s.standing.status, s.standing.since, moves.get(s.standing.key))
                     for s in seen if _differs(s)),
        alarms=alarms.orders,
        digests=digests(seen, alarms.alarmed) if settings.digest else (),
        heads=head_notices(losses, heads),
        events=tuple(event for s in seen for event in s.events),
    )


def manager_plan(clients: Iterable[Client], settings: LadderSettings, manager: int, today: date) -> ManagerPlan:
    """What one manager's pass on `today` does for the clients they are responsible for."""
    seen = [Seen(client, written_standing(client, settings, today))
            for client in clients if client.responsible == manager]
    alarms = plan_alarms(((s.client, s.standing) for s in seen), settings, today)
    found = digests(seen, alarms.alarmed) if settings.digest else ()
    return ManagerPlan(alarms.orders, found[0] if found else None)


def written_standing(client: Client, settings: LadderSettings, today: date) -> Standing:
    """The status as last written, projected with the touches and planned
    touches this history holds.  A drop already due shows as due today: the
    manager is warned, and the next portal pass applies it with its true date."""
    agenda = Agenda.of(client.history, settings)
    state = State(day=today, status=client.written.status, since=client.written.since)
    first = due(state, agenda, settings)
    drop_on = None if first is None else max(first, today)
    return Standing(
        key=client.history.key, on=today, status=state.status, since=state.since, cause=None,
        drop_on=drop_on, drops_to=DROPS_TO[state.status] if drop_on else None,
        warning=drop_on is not None and in_window(drop_on, today, settings.warn_days),
    )


def _seen(client: Client, settings: LadderSettings, after: date, today: date) -> Seen:
    before = walk(client.history, settings, after)
    now = walk(client.history, settings, today, before.state)
    return Seen(client, now.standing, now.events)


def _differs(seen: Seen) -> bool:
    """A tracked status the CRM does not hold yet.  The pass never clears a
    field: only a person stops tracking, and they already cleared it."""
    standing, written = seen.standing, seen.client.written
    return standing.status is not None and (written.status, written.since) != (standing.status, standing.since)


def _newly_lost(seen: Seen) -> bool:
    """Lost by decay since the last pass, and not written as Lost yet.  A person's change
    refused after the loss (the CRM then holds the raise, not Lost) moves nobody again."""
    return (seen.standing.status == LOST and seen.standing.cause == "loss"
            and seen.client.written.status != LOST and any(e.kind == "loss" for e in seen.events))
