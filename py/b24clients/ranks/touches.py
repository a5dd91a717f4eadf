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

from ..ladder.settings import DEFAULTS as LADDER_DEFAULTS
from ..ladder.settings import TOUCH_OPTIONS as TOUCH_KINDS
from ..ladder.settings import TouchOption as TouchKind
from ..model import Activity, Ref, Touch
from ..steps import STEP, Steps, finish
from .attribution import Attribution

__all__ = ["DEFAULT_TOUCH_KINDS", "TOUCH_KINDS", "TouchKind", "counts_as_touch", "last_touches",
           "last_touches_steps", "later"]

DEFAULT_TOUCH_KINDS: frozenset[TouchKind] = LADDER_DEFAULTS.touch_kinds
"""The kinds and their default are the status ladder's (planning.md: "same setting as the
status ladder: calls by default"): one vocabulary, and one stored value while the ladder is
on (`settings.in_force`)."""


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
    return finish(last_touches_steps(attribution, activities, record_touches, kinds))


def last_touches_steps(attribution: Attribution, activities: Iterable[Activity],
                       record_touches: Iterable[tuple[Ref, Touch]],
                       kinds: AbstractSet[TouchKind]) -> Steps[dict[Ref, Touch]]:
    """`last_touches` as a step generator (steps.py): a pause every STEP activities or records."""
    touches: dict[Ref, Touch] = {}
    for n, activity in enumerate(sorted(activities, key=lambda a: a.id), 1):
        if counts_as_touch(activity, kinds):
            touch = Touch(activity.done_on, activity.responsible_id)
            for client in attribution.of_activity(activity):
                touches[client] = later(touches.get(client), touch)
        if n % STEP == 0:
            yield
    for n, (record, touch) in enumerate(record_touches, 1):
        client = attribution.of_record(record)
        if client is not None:
            touches[client] = later(touches.get(client), touch)
        if n % STEP == 0:
            yield
    return touches
