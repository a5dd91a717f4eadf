"""The to-do alarms: one per client in its warning window, created for its
responsible with the drop day as deadline, so Bitrix24 itself pings the
manager even on a day nobody opens the app.

Orders are targets, not deltas: an alarm that already says the right thing
is left alone, so planning again after the orders ran asks for nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..model import Ref
from .crm import Client
from .settings import LadderSettings
from .statuses import Status
from .walk import Standing

AlarmAction = Literal["create", "move", "close"]


@dataclass(frozen=True, slots=True)
class AlarmOrder:
    action: AlarmAction
    key: Ref
    responsible: int
    alarm_id: int | None = None
    """The alarm to move or close."""
    deadline: date | None = None
    """create and move: the drop day (the I/O layer adds the portal's working hour)."""
    drops_to: Status | None = None
    pings: tuple[int, ...] = ()
    """create and move: minutes before the deadline: [warn_days × 1440, 0]."""


@dataclass(frozen=True, slots=True)
class AlarmPlan:
    orders: tuple[AlarmOrder, ...]
    """Closes, then moves, then creates, each in client order."""
    alarmed: frozenset[Ref]
    """The clients that have an alarm once the orders ran (the digest says which do not)."""


def plan_alarms(clients: Iterable[tuple[Client, Standing]], settings: LadderSettings, today: date) -> AlarmPlan:
    """An alarm for every client in its warning window, none for the others.

    New alarms are capped per responsible per day (`alarm_cap`, counting the
    ones created earlier today that stay open); the earliest drops go first,
    the rest are left to the digest.  With alarms off, every existing one is
    closed.  An alarm closed today frees its place: the CRM no longer shows it.
    """
    pings = tuple(sorted({settings.warn_days * 1440, 0}, reverse=True))
    orders: list[AlarmOrder] = []
    alarmed: set[Ref] = set()
    wanting: defaultdict[int, list[Standing]] = defaultdict(list)
    created_today: Counter[int] = Counter()
    for client, standing in sorted(clients, key=lambda pair: pair[1].key):
        alarm, key, responsible = client.alarm, standing.key, client.responsible
        wanted = settings.alarms and standing.warning
        if alarm is not None and not wanted:
            orders.append(AlarmOrder("close", key, responsible, alarm.id))
        elif alarm is not None:
            alarmed.add(key)
            if alarm.created == today:
                created_today[responsible] += 1
            if (alarm.deadline, alarm.drops_to) != (standing.drop_on, standing.drops_to):
                orders.append(AlarmOrder("move", key, responsible, alarm.id, standing.drop_on,
                                         standing.drops_to, pings))
        elif wanted:
            wanting[responsible].append(standing)
    for responsible in sorted(wanting):
        budget = max(0, settings.alarm_cap - created_today[responsible])
        for standing in sorted(wanting[responsible], key=lambda s: (s.drop_on, s.key))[:budget]:
            alarmed.add(standing.key)
            orders.append(AlarmOrder("create", standing.key, responsible, None, standing.drop_on,
                                     standing.drops_to, pings))
    order = {"close": 0, "move": 1, "create": 2}
    orders.sort(key=lambda o: (order[o.action], o.key))
    return AlarmPlan(tuple(orders), frozenset(alarmed))
