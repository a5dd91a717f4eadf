"""What the ladder reads about one client: its deals, touches, planned touches
and recorded status changes, already normalised by the I/O layer.

Every date and time is on the portal's calendar (`dates.portal_date`), and
times are all naive or all aware in the portal's offset, so that a call and
a raise on the same day compare by their clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from ..model import Ref
from .statuses import Status

Outcome = Literal["open", "won", "lost"]
TouchKind = Literal["call", "email", "meeting", "openline", "todo", "other"]
"""A completed activity's kind: calls, e-mails, meetings, open-line chats,
completed to-dos, and anything else (tasks, SMS, provider-specific ones)."""


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    opened: date
    outcome: Outcome = "open"
    closed: date | None = None
    """The close date of a won or lost deal; ignored while open (Bitrix24 fills
    CLOSEDATE with the *planned* close date of an open deal)."""

    @property
    def ends_on(self) -> date | None:
        """The day it closed, never before it opened (a backdated CLOSEDATE
        closes the deal on its opening day); None while open."""
        if self.outcome == "open":
            return None
        return max(self.closed or self.opened, self.opened)

    def open_on(self, day: date) -> bool:
        """Open through the whole of `day`: opened by then and not closed on or before it."""
        end = self.ends_on
        return self.opened <= day and (end is None or end > day)


@dataclass(frozen=True, slots=True)
class Touch:
    """A completed activity on the client or on any of its contacts, deals and invoices."""

    kind: TouchKind
    at: datetime


@dataclass(frozen=True, slots=True)
class Planned:
    """An open to-do, call or meeting.  It pauses decay from the day it was
    created until its deadline has passed; the ladder's own alarm to-dos must
    not be given here, or every alarm would pause the drop it announces."""

    created: date
    deadline: date


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A status set by a person (or by the starting point) at a moment.

    Changes the pass wrote itself carry `auto=True` and are ignored when the
    ladder is derived: they are the ladder's own output, and re-deriving them
    is what lets a new threshold re-derive every status.
    """

    at: datetime
    status: Status | None
    """The status asked for; None clears the field (stop tracking)."""
    author: int | None = None
    auto: bool = False
    since: date | None = None
    """When the status counts from, if not the change's own day: the starting
    point sets Hot since the last payment, In work since the deal opened."""

    @property
    def starts(self) -> date:
        return self.since or self.at.date()


@dataclass(frozen=True, slots=True)
class ClientHistory:
    """One client's whole history; the ladder is a pure function of it and the settings."""

    key: Ref
    created: date
    deals: tuple[Deal, ...] = ()
    touches: tuple[Touch, ...] = ()
    planned: tuple[Planned, ...] = ()
    changes: tuple[StatusChange, ...] = ()
