"""When a status drops: N days after the later of its last touch and the day
it was set, but never while a planned touch known by then is still ahead.

Every planned touch that counts started on or before the day asked about, so
together they pause one unbroken stretch up to the latest deadline: the
first day the client may drop is the day after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .history import Planned


def due_on(base: date, days: int, planned: Iterable[Planned]) -> date:
    """The first day the status may drop: `days` after `base`, and after every
    deadline of `planned` (pass none when the pause option is off)."""
    due = base + timedelta(days=days)
    deadlines = [p.deadline for p in planned]
    return max(due, max(deadlines) + timedelta(days=1)) if deadlines else due


def in_window(drop_on: date, today: date, warn_days: int) -> bool:
    """Within `warn_days` before the drop, or on the drop day itself (only a
    manager's pass, which never drops, sees a client on its drop day)."""
    return drop_on - timedelta(days=warn_days) <= today <= drop_on
