"""status-ladder.md "Statuses": the six tracked statuses, their order, and where each drops.

An untracked client (the empty field) has no status at all: it is `None`
everywhere in this package, never a seventh value, so that no rule can
mistake "nobody tracks this client" for a step of the ladder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Status = Literal["new", "in_work", "hot", "warm", "cold", "lost"]
STATUSES: tuple[Status, ...] = ("new", "in_work", "hot", "warm", "cold", "lost")
"""In the order the spec lists them, which is the order screens and counts use."""
NEW: Status = "new"
IN_WORK: Status = "in_work"
HOT: Status = "hot"
WARM: Status = "warm"
COLD: Status = "cold"
LOST: Status = "lost"

DROPS_TO: Mapping[Status, Status] = {NEW: LOST, IN_WORK: WARM, HOT: WARM, WARM: COLD, COLD: LOST}
"""One step down.  Lost is terminal, so it has no entry.  In work only drops
when no deal is open (a manual In work without a deal): it falls to Warm,
like a lost deal, never to Hot, which means "just paid"."""

RANK: Mapping[Status, int] = {LOST: 0, COLD: 1, WARM: 2, NEW: 2, HOT: 3, IN_WORK: 4}
"""How warm a client is, for telling a raise from a lowering.  New sits level
with Warm: a fresh lead set to Warm after a first talk is not a raise."""


def is_raise(current: Status | None, target: Status | None) -> bool:
    """A manual change to a warmer status.  Starting or stopping tracking is never a raise."""
    return current is not None and target is not None and RANK[target] > RANK[current]
