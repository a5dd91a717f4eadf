"""What happened to a client on a day: a status change, a refused raise, or a warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..model import Ref
from .statuses import Status

EventKind = Literal["new", "set", "undone", "deal_open", "deal_won", "deal_lost", "drop", "loss", "warning"]
"""new: created after the start, so New by itself · set: a person's change ·
undone: a person's change refused · deal_open / deal_won / deal_lost: the
deal rules · drop: one step down · loss: a drop into Lost (a person setting Lost is a
decision, "set", not a loss) · warning: the
client entered its warning window."""
UndoReason = Literal["no_call", "open_deal"]


@dataclass(frozen=True, slots=True)
class Event:
    key: Ref
    kind: EventKind
    on: date
    status_from: Status | None
    status_to: Status | None
    """The new status; for a warning the one it will drop to; for an undone
    change the one that was asked for and refused (the status stays `status_from`)."""
    drop_on: date | None = None
    """Warnings only: the day it drops unless someone touches it."""
    author: int | None = None
    """set and undone: who made the change."""
    reason: UndoReason | None = None

    @property
    def changes_status(self) -> bool:
        return self.kind not in ("undone", "warning")
