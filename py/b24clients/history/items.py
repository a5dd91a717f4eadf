"""One row of a client's history, whatever it came from: a deal, an invoice, an
activity, a generated document or a timeline comment.

Every row has the same columns (history.md "The page"), so filtering,
sorting, counting and the CSV never ask what kind of record a row was.
Moments are aware datetimes in the portal's offset: they sort exactly
(two calls on one day), and their `.date()` is the portal calendar date
that the table and the CSV show (rules.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from .links import DEAL, LEGACY_INVOICE, SMART_INVOICE, Link

ACTIVITY_KINDS = ("call", "email", "meeting", "todo", "task", "openline", "activity")
"""Activities by what they are; "activity" is any other provider (a REST app's, a calendar import)."""
KINDS = ("deal", "invoice", "legacy_invoice", *ACTIVITY_KINDS, "document", "comment")
"""Every kind, in the order the kind column sorts."""
FAMILIES = ("deal", "invoice", "activity", "document", "comment")
"""What the counters group by: smart and legacy invoices are both invoices, every activity an activity."""

OWN_TYPES = {"deal": DEAL, "invoice": SMART_INVOICE, "legacy_invoice": LEGACY_INVOICE}
"""Kinds that are CRM records with a card of their own; the others live in a record's timeline."""

Semantics = Literal["process", "success", "failure"]
"""A stage's meaning in the CRM: in progress, won / paid, lost / cancelled."""
STATUSES = ("overdue", "open", "process", "success", "done", "failure")
"""Every value of `Item.status`."""


@dataclass(frozen=True, slots=True)
class Item:
    kind: str
    """One of KINDS."""
    id: int
    """The record's own ID, in its kind's ID space (smart and legacy invoices have separate ones)."""
    title: str
    """Title, subject or comment text, whitespace-collapsed; "" when the record has none."""
    amount: Decimal | None = None
    currency: str = ""
    stage: str = ""
    """The stage or status name as the CRM calls it; "" when unknown or not applicable."""
    semantics: Semantics | None = None
    """Deals and invoices only: colours the stage (in progress, won/paid, lost/cancelled)."""
    author_id: int | None = None
    """Who created it (next-features.md §A.6)."""
    responsible_id: int | None = None
    """Who must do it or owns it; None for documents and comments, which have no one."""
    created_at: datetime | None = None
    deadline_at: datetime | None = None
    """A deal's end date, an invoice's pay-before date, an activity's deadline."""
    closed_at: datetime | None = None
    """When it was won, lost, paid, cancelled or completed (see docs/history.md for activities)."""
    done: bool = False
    """Finished: a won or lost deal, a paid or cancelled invoice, a completed activity; a
    document or comment is a finished fact from the start."""
    overdue: bool = False
    """Not finished, and its deadline has passed (docs/history.md: what that means per kind)."""
    via: tuple[Link, ...] = ()
    """The records of the client's set it is bound to, other than the client and itself."""
    company_id: int | None = None
    """The company it belongs to: its own company field, else that of its deal or bound record."""
    path: str = ""
    """The portal path that opens it: its own card, or the card whose timeline holds it."""

    @property
    def family(self) -> str:
        if self.kind in ACTIVITY_KINDS:
            return "activity"
        return "invoice" if self.kind == "legacy_invoice" else self.kind

    @property
    def key(self) -> str:
        """Unique in a history: the same record reached through several bindings is one row."""
        space = self.kind if self.family == "invoice" else self.family
        return f"{space}:{self.id}"

    @property
    def link(self) -> Link | None:
        """The record itself, for the kinds that have a card of their own."""
        entity_type = OWN_TYPES.get(self.kind)
        return None if entity_type is None else (entity_type, self.id)

    @property
    def date_at(self) -> datetime | None:
        """The table's "date": when it was finished if it is, else when it was created."""
        if self.done and self.closed_at is not None:
            return self.closed_at
        return self.created_at

    @property
    def date(self) -> date | None:
        return _day(self.date_at)

    @property
    def created(self) -> date | None:
        return _day(self.created_at)

    @property
    def deadline(self) -> date | None:
        return _day(self.deadline_at)

    @property
    def closed(self) -> date | None:
        return _day(self.closed_at)

    @property
    def status(self) -> str | None:
        """The status column in one word: "overdue", else the stage semantics of a deal or
        invoice, else "open" / "done" for an activity; None for documents and comments."""
        if self.overdue:
            return "overdue"
        if self.semantics is not None:
            return self.semantics
        return ("done" if self.done else "open") if self.family == "activity" else None


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()
