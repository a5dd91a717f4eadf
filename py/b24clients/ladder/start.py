"""The starting point (status-ladder.md "Starting point"): a first status for
every client, proposed from what the app already knows, with counts to show
the admin before they confirm.  Confirming records each row as a person's
change (`StartRow.change`), dated at the confirmation, counting from `since`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..lifecycle import Lifecycle
from ..model import Ref
from .history import StatusChange
from .settings import LadderSettings
from .statuses import COLD, HOT, IN_WORK, LOST, NEW, STATUSES, WARM, Status

_PAID: Mapping[Lifecycle, Status] = {"active": WARM, "sleeping": COLD, "lost": LOST}


@dataclass(frozen=True, slots=True)
class StartFacts:
    """What the app knows of a client (classify's row plus two CRM dates)."""

    key: Ref
    created: date
    lifecycle: Lifecycle
    last_payment: date | None = None
    open_deal_since: date | None = None
    """When the oldest of its open deals opened; None with no deal open."""


@dataclass(frozen=True, slots=True)
class StartRow:
    key: Ref
    status: Status
    since: date

    def change(self, at: datetime, author: int | None) -> StatusChange:
        return StatusChange(at, self.status, author, since=self.since)


@dataclass(frozen=True, slots=True)
class StartProposal:
    rows: tuple[StartRow, ...]
    counts: Mapping[Status, int]
    """Every status, zeros included, in STATUSES order."""


def propose_start(facts: Iterable[StartFacts], settings: LadderSettings, today: date) -> StartProposal:
    rows = tuple(sorted((_row(fact, settings, today) for fact in facts), key=lambda row: row.key))
    found = Counter(row.status for row in rows)
    return StartProposal(rows, {status: found[status] for status in STATUSES})


def _row(fact: StartFacts, settings: LadderSettings, today: date) -> StartRow:
    """The first rule that fits, in the spec's order.  Since dates keep what is
    known: Hot counts from the payment, In work from the deal, New from the
    creation; the others start counting on the day of the proposal."""
    if fact.open_deal_since is not None:
        return StartRow(fact.key, IN_WORK, min(fact.open_deal_since, today))
    if fact.last_payment is not None and fact.last_payment + timedelta(days=settings.hot_days) > today:
        return StartRow(fact.key, HOT, min(fact.last_payment, today))
    if fact.lifecycle in _PAID:
        return StartRow(fact.key, _PAID[fact.lifecycle], today)
    if fact.created + timedelta(days=settings.new_days) > today:
        return StartRow(fact.key, NEW, min(fact.created, today))
    return StartRow(fact.key, COLD, today)
