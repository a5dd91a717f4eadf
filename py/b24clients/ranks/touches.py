"""Last touch per client (planning.md "Touch frequency").

A touch is a completed activity of the counted kinds on the client, its
member contacts, or the deals and invoices attributed to it.  A restricted
user cannot list a colleague's call on a shared client, so what the portal
keeps on the contact or company row itself (LAST_COMMUNICATION_TIME,
LAST_ACTIVITY_TIME, or what an admin's run wrote) counts too: the later wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Literal

from ..model import Activity, Ref, Touch
from .attribution import Attribution

TouchKind = Literal["call", "email", "meeting", "openline", "todo", "any"]
TOUCH_KINDS: tuple[TouchKind, ...] = ("call", "email", "meeting", "openline", "todo", "any")
DEFAULT_TOUCH_KINDS: frozenset[TouchKind] = frozenset({"call"})
"""The status ladder's default too: a call is the touch a sales director means."""


def counts_as_touch(activity: Activity, kinds: AbstractSet[TouchKind]) -> bool:
    return activity.done_on is not None and ("any" in kinds or activity.kind in kinds)


def later(current: Touch | None, other: Touch) -> Touch:
    """The later touch; on the same day the one that says who (first come otherwise)."""
    if current is None or (other.on, other.by is not None) > (current.on, current.by is not None):
        return other
    return current


def last_touches(attribution: Attribution, activities: Iterable[Activity],
                 record_touches: Iterable[tuple[Ref, Touch]], kinds: AbstractSet[TouchKind]) -> dict[Ref, Touch]:
    """Client → its latest touch.  `record_touches` are (contact or company, touch)
    pairs — `records.record_touch` of each row, plus anything a run wrote —
    and count for that record's client like an activity on it."""
    touches: dict[Ref, Touch] = {}
    for activity in sorted(activities, key=lambda a: a.id):
        if counts_as_touch(activity, kinds):
            touch = Touch(activity.done_on, activity.responsible_id)
            for client in attribution.of_activity(activity):
                touches[client] = later(touches.get(client), touch)
    for record, touch in record_touches:
        client = attribution.of_record(record)
        if client is not None:
            touches[client] = later(touches.get(client), touch)
    return touches
