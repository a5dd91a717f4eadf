"""Every client's rank, with what the Ranks mode shows beside it (planning.md "Ranks").

Pure and cheap: it needs no request of its own (the payments are already
folded), so the sync engine recomputes it on every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..clients import client_refs, parent_steps
from ..model import Crm, Ref
from ..steps import Steps, finish
from .basis import Measured, measure_steps
from .currency import Rates
from .pareto import Pareto, pareto_steps
from .ranking import RANKS, Rank, assign_steps, by_value_steps
from .settings import RankSettings


@dataclass(frozen=True, slots=True)
class RankShare:
    clients: int
    value: Decimal
    share: Decimal
    """Of the whole basis, 0…1 (0 when nobody has anything)."""


@dataclass(frozen=True, slots=True)
class RankReport:
    ranks: Mapping[Ref, Rank]
    """Every client: non-own companies and contacts of no company.  A member contact
    is not a client; it takes its company's rank like every other value (rules.md §1)."""
    measured: Measured
    pareto: Pareto

    def shares(self) -> dict[Rank, RankShare]:
        """The counters A / B / C / N with their share of the basis."""
        total = sum(self.measured.values.values(), Decimal(0))
        shares = {}
        for rank in RANKS:
            members = [client for client, r in self.ranks.items() if r == rank]
            value = sum((self.measured.values.get(c, Decimal(0)) for c in members), Decimal(0))
            shares[rank] = RankShare(len(members), value, value / total if total else Decimal(0))
        return shares


def client_ranks(crm: Crm, today: date, settings: RankSettings, rates: Rates,
                 pipelines: AbstractSet[int] | None = None) -> RankReport:
    """`pipelines` are the counted deal pipelines, as for the classification (None: all)."""
    return finish(client_ranks_steps(crm, today, settings, rates, pipelines))


def client_ranks_steps(crm: Crm, today: date, settings: RankSettings, rates: Rates,
                       pipelines: AbstractSet[int] | None = None) -> Steps[RankReport]:
    """`client_ranks` as a step generator (steps.py), for a page: at 85k clients the
    whole takes about two seconds of CPython, so it pauses between its passes."""
    parents = yield from parent_steps(crm)
    measured = yield from measure_steps(crm, settings.basis, today, settings.window_months, rates, pipelines,
                                        parents)
    yield
    clients = client_refs(crm, parents)
    yield
    order = yield from by_value_steps(measured.values)
    ranks = yield from assign_steps(measured.values, clients, settings.method, settings.method_cutoffs, order)
    return RankReport(ranks, measured, (yield from pareto_steps(order, ranks)))
