"""The status ladder (spec/status-ladder.md): pure rules, no I/O.

A client's status on any day is a function of its history (deals, touches,
planned touches, people's status changes) and the settings; the passes turn
that into plans (fields to write, alarm to-dos, digests, reassignments) for
an I/O layer to carry out.  Every date comes in from the caller.
docs/ladder.md says where each rule of the spec lives.
"""

from __future__ import annotations

from .alarms import AlarmOrder
from .crm import Alarm, Client, Written
from .digest import Digest, HeadNotice, Loss, Soon
from .events import Event, EventKind, UndoReason
from .history import ClientHistory, Deal, Planned, StatusChange, Touch, TouchKind
from .passes import (
    ManagerPlan,
    PortalPlan,
    Write,
    manager_plan,
    portal_plan,
    written_standing,
)
from .reassign import assignees
from .settings import (
    DEFAULTS,
    OPTION,
    LadderSettings,
    Parsed,
    Reassign,
    from_json,
    to_json,
)
from .start import StartFacts, StartProposal, StartRow, propose_start
from .statuses import STATUSES, Status
from .walk import Standing, Walk, events_between, standing, walk

__all__ = [
    "DEFAULTS", "OPTION", "STATUSES", "Alarm", "AlarmOrder", "Client", "ClientHistory", "Deal", "Digest",
    "Event", "EventKind", "HeadNotice", "LadderSettings", "Loss", "ManagerPlan", "Parsed", "Planned",
    "PortalPlan", "Reassign", "Soon", "Standing", "StartFacts", "StartProposal", "StartRow", "Status",
    "StatusChange", "Touch", "TouchKind", "UndoReason", "Walk", "Write", "Written", "assignees",
    "events_between", "from_json", "manager_plan", "portal_plan", "propose_start",
    "standing", "to_json", "walk", "written_standing",
]
