"""The to-do alarms in the CRM (status-ladder.md "To-do as the alarm clock";
next-features.md §B.2.2): created, moved and deleted as the plans order.

A created alarm is a `crm.activity.todo.add` on the client for its responsible,
due on the drop day at the portal's working hour, with pings
`[warn_days × 1440, 0]`: Bitrix24 itself reminds the manager on the first
day of the warning window and on the drop day, whether anyone opens the app
or not.  Its description ends with the tag that names the status it
announces, which is how every pass finds it again.

Two passes may create an alarm for the same client at the same moment (a
portal pass and a manager's pass, or two managers' devices): after creating,
the pass reads the alarms again and deletes all but the lowest ID of each
client — the lock recipe again, so whoever looks last cleans up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from ...ladder import AlarmOrder
from ...model import Ref
from ...rest.gateway import Gateway
from .fields import TYPE_IDS
from .messages import Texts
from .reading import Alarms, OpenAlarm, portal_clock, read_alarms
from .writes import Command, send_all


@dataclass
class AlarmStats:
    created: int = 0
    moved: int = 0
    closed: int = 0
    duplicates: int = 0
    """Alarms deleted because another pass had created one for the same client at the same time."""
    skipped: int = 0
    """Orders for clients this user may not edit."""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def deadline(day: date, hour: int, tz: timezone) -> str:
    """The drop day at the working hour, in the portal's offset."""
    return datetime.combine(day, time(hour), tz).isoformat()


def order_command(order: AlarmOrder, texts: Texts, names: Mapping[Ref, str], hour: int, tz: timezone) -> Command:
    entity, rid = order.key
    if order.action == "close":
        return "crm.activity.delete", {"id": order.alarm_id}
    params = {"ownerTypeId": TYPE_IDS[entity], "ownerId": rid, "deadline": deadline(order.deadline, hour, tz),
              "title": texts.alarm_title(names.get(order.key, f"#{rid}"), order.drops_to, order.deadline),
              "description": texts.alarm_description(order.drops_to), "responsibleId": order.responsible,
              "pingOffsets": list(order.pings)}
    if order.action == "create":
        return "crm.activity.todo.add", params
    return "crm.activity.todo.update", {"id": order.alarm_id, **params}


def reassigned_alarms(alarms: Mapping[Ref, OpenAlarm], responsible: Mapping[Ref, int],
                      orders: Iterable[AlarmOrder]) -> list[OpenAlarm]:
    """Alarms the plan keeps as they are but whose client now has another responsible."""
    touched = {order.key for order in orders}
    return [alarm for ref, alarm in sorted(alarms.items())
            if ref not in touched and ref in responsible and responsible[ref] not in (0, alarm.responsible)]


async def carry_out(gateway: Gateway, orders: Iterable[AlarmOrder], texts: Texts, names: Mapping[Ref, str],
                    *, hour: int, tz: timezone, handover: Iterable[tuple[OpenAlarm, int]] = (),
                    recheck: Mapping | None = None) -> AlarmStats:
    """Run the orders (closes, moves, creates); `handover` gives kept alarms to their client's
    new responsible; `recheck` is the filter to read the alarms again with after creating."""
    orders = list(orders)
    stats = AlarmStats()
    commands: dict[object, Command] = {order: order_command(order, texts, names, hour, tz) for order in orders}
    for alarm, user in handover:
        commands[("handover", alarm.alarm.id)] = ("crm.activity.todo.updateResponsibleUser", {
            "id": alarm.alarm.id, "ownerTypeId": TYPE_IDS[alarm.key[0]], "ownerId": alarm.key[1],
            "responsibleId": user})
    outcome = await send_all(gateway, commands)
    done = Counter(key.action for key in outcome.done if isinstance(key, AlarmOrder))
    done["close"] += sum(1 for key in outcome.gone if isinstance(key, AlarmOrder) and key.action == "close")
    stats.created, stats.moved, stats.closed = done["create"], done["move"], done["close"]
    stats.skipped = len(outcome.denied)
    if stats.created and recheck is not None:
        stats.duplicates = await remove_duplicates(gateway, tz, recheck)
    return stats


async def remove_duplicates(gateway: Gateway, tz: timezone, flt: Mapping) -> int:
    """Delete every alarm but the lowest-ID one of each client; how many this pass deleted
    (another pass may have deleted some of the same a moment before)."""
    found: Alarms = await read_alarms(gateway, tz, flt)
    return await _delete(gateway, found.extra)


async def close_all(gateway: Gateway) -> int:
    """Delete every open alarm the ladder made (it was turned off: no pass will move or close
    them, and Bitrix24 would go on pinging managers about drops that never come); how many.
    Those on clients this user may not edit stay."""
    found = await read_alarms(gateway, (await portal_clock(gateway)).tzinfo)
    return await _delete(gateway, [*found.by_client.values(), *found.extra])


async def _delete(gateway: Gateway, alarms: Iterable[OpenAlarm]) -> int:
    outcome = await send_all(gateway, {alarm.alarm.id: ("crm.activity.delete", {"id": alarm.alarm.id})
                                       for alarm in alarms})
    return len(outcome.done)
