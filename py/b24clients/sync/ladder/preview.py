"""The settings screen's live preview (status-ladder.md "Settings": "with these
settings, 37 clients would drop today, 12 would be lost").

Only an admin's view can say it: it walks the ledger — the whole history the
portal pass keeps — with the settings being edited, from the last pass to
today, and counts what today's pass would change.  The ledger is loaded once
(`load_basis`); each change of a field on the screen is then a pure,
quick `preview`.  Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from ...ladder import LadderSettings, portal_plan, standing
from ...ladder.statuses import LOST, RANK
from ...rest.gateway import Gateway
from .context import mark_day, open_context
from .ledger import Ledger, tracked
from .store import LedgerStore


@dataclass
class Basis:
    ledger: Ledger
    after: date | None
    """The day the last portal pass covered (None: no pass yet)."""
    today: date
    pipelines: frozenset[int] | None


@dataclass(frozen=True, slots=True)
class Preview:
    drop: int
    """Clients today's pass would move down (losses included)."""
    lost: int
    """Of those, clients it would write as Lost."""
    warn: int
    """Clients in their warning window after it."""
    tracked: int


async def load_basis(gateway: Gateway) -> Basis | None:
    """The ledger as the last portal pass left it; None for anyone but an admin."""
    ctx = await open_context(gateway)
    if not ctx.admin:
        return None
    ledger = Ledger(ctx.tz)
    _, chunks = await LedgerStore(gateway).load()
    for chunk in chunks:
        ledger.replay(chunk)
    return Basis(ledger, mark_day(ctx.portal_mark), ctx.today, ctx.pipelines)


def preview(basis: Basis, settings: LadderSettings) -> Preview:
    """What today's pass would do with `settings` (a ladder not started yet counts from today)."""
    settings = settings if settings.started_on else replace(settings, started_on=basis.today)
    after = min(basis.after or settings.started_on - timedelta(days=1), basis.today)
    clients = tracked(basis.ledger.subjects(settings.entity, basis.pipelines), settings, {})
    plan = portal_plan(clients, settings, after, basis.today)
    held = {c.history.key: c.written.status for c in clients}
    drops = [w for w in plan.writes if held[w.key] is not None and RANK[w.status] < RANK[held[w.key]]]
    warn = sum(1 for c in clients if standing(c.history, settings, basis.today).warning)
    return Preview(len(drops), sum(1 for w in drops if w.status == LOST), warn, len(clients))
