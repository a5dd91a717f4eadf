"""The Pareto chart of the Ranks mode: clients sorted by the basis, the
cumulative line, and where the cut-offs fall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..model import Ref
from ..steps import STEP, Steps, finish
from .ranking import Rank, by_value


@dataclass(frozen=True, slots=True)
class ParetoPoint:
    client: Ref
    value: Decimal
    cumulative: Decimal
    """Share of the whole basis up to and including this client, 0…1."""
    rank: Rank


@dataclass(frozen=True, slots=True)
class Pareto:
    points: tuple[ParetoPoint, ...]
    """Clients with something, in rank order; N clients are not on the chart."""
    a_end: int
    """Index of the first point after the A clients (= how many are A): the first cut-off line."""
    b_end: int
    """Index of the first C point: the second cut-off line."""


def pareto(values: Mapping[Ref, Decimal], ranks: Mapping[Ref, Rank]) -> Pareto:
    """The cut-offs are read from the ranks, not recomputed, so the chart marks
    exactly what the ranks say, ties included."""
    return finish(pareto_steps(by_value(values), ranks))


def pareto_steps(order: list[tuple[Ref, Decimal]], ranks: Mapping[Ref, Rank]) -> Steps[Pareto]:
    """`pareto` as a step generator (steps.py) over `by_value(values)`."""
    total = sum((v for _, v in order), Decimal(0))
    points: list[ParetoPoint] = []
    running = Decimal(0)
    for n, (client, value) in enumerate(order, 1):
        running += value
        points.append(ParetoPoint(client, value, running / total, ranks[client]))
        if n % STEP == 0:
            yield
    a_end = sum(1 for p in points if p.rank == "A")
    return Pareto(tuple(points), a_end, a_end + sum(1 for p in points if p.rank == "B"))
