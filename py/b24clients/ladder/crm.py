"""The clients as a pass finds them: history, responsible, and what the CRM holds now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .history import ClientHistory
from .statuses import Status


@dataclass(frozen=True, slots=True)
class Written:
    """The two user fields as last written: "Status (Clients)" and "Status since (Clients)"."""

    status: Status | None = None
    since: date | None = None


@dataclass(frozen=True, slots=True)
class Alarm:
    """The client's open alarm to-do (at most one), as read back from the CRM."""

    id: int
    deadline: date
    """Its deadline's portal date: the drop day it announces."""
    drops_to: Status
    """The status its title names ("…it becomes Cold on 12 March")."""
    created: date


@dataclass(frozen=True, slots=True)
class Client:
    history: ClientHistory
    responsible: int
    written: Written = field(default_factory=Written)
    alarm: Alarm | None = None
