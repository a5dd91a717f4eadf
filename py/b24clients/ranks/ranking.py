"""ABC ranks from one number per client (planning.md "Ranks", reference C.1).

Two methods cut the clients, sorted by that number, largest first:
- "cumulative": by the share of the whole number the clients above have
  brought — A until 80 %, B until 95 %, C the rest;
- "clients": by the share of clients above — the top 20 % A, the next 30 % B,
  the rest C.
A client is placed by what lies *before* it, so the client that crosses a
cut-off still belongs to the higher rank (a sole client is A, not C), and the
whole group of clients with an equal number takes the place of its first
member: ties at a boundary go to the higher rank.  Clients with nothing get N.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Literal, TypeVar

from ..steps import STEP, Steps, finish

Rank = Literal["A", "B", "C", "N"]
RANKS: tuple[Rank, ...] = ("A", "B", "C", "N")
Method = Literal["cumulative", "clients"]
METHODS: tuple[Method, ...] = ("cumulative", "clients")

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """Where A and B end, in percent (of the number for "cumulative", of the clients for "clients")."""

    a: Decimal
    b: Decimal

    def __post_init__(self) -> None:
        if not 0 < self.a <= self.b <= 100:
            raise ValueError(f"need 0 < A ≤ B ≤ 100 %, got {self.a} and {self.b}")


DEFAULT_CUTOFFS: dict[Method, Cutoffs] = {
    "cumulative": Cutoffs(Decimal(80), Decimal(95)),
    "clients": Cutoffs(Decimal(20), Decimal(50)),
}


def by_value(values: Mapping[K, Decimal]) -> list[tuple[K, Decimal]]:
    """Clients with something, largest first; equal ones in key order, so the
    result never depends on the order the CRM rows arrived in.  Two stable sorts
    on plain items, not one on a built key: at 60k clients the key's negated
    Decimals and tuples took 150 ms of CPython."""
    return finish(by_value_steps(values))


def by_value_steps(values: Mapping[K, Decimal]) -> Steps[list[tuple[K, Decimal]]]:
    """`by_value` as a step generator (steps.py): a pause between its two sorts."""
    order = [(k, v) for k, v in values.items() if v > 0]
    order.sort(key=itemgetter(0))
    yield
    order.sort(key=itemgetter(1), reverse=True)  # stable: equal values keep key order
    return order


def assign_ranks(values: Mapping[K, Decimal], clients: Iterable[K], method: Method,
                 cutoffs: Cutoffs) -> dict[K, Rank]:
    """A rank for every client of `clients` and of `values`; N for those with nothing."""
    return finish(assign_steps(values, clients, method, cutoffs, by_value(values)))


def assign_steps(values: Mapping[K, Decimal], clients: Iterable[K], method: Method, cutoffs: Cutoffs,
                 order: list[tuple[K, Decimal]]) -> Steps[dict[K, Rank]]:
    """`assign_ranks` as a step generator (steps.py) over `by_value(values)`."""
    ranks: dict[K, Rank] = {**dict.fromkeys(clients, "N"), **dict.fromkeys(values, "N")}
    yield
    whole = sum((v for _, v in order), Decimal(0)) if method == "cumulative" else Decimal(len(order))
    before = Decimal(0)
    for n, (value, group) in enumerate(groupby(order, key=itemgetter(1)), 1):
        members = [client for client, _ in group]
        rank = _rank(before, whole, cutoffs)
        ranks.update(dict.fromkeys(members, rank))
        before += value * len(members) if method == "cumulative" else len(members)
        if n % STEP == 0:
            yield
    return ranks


def _rank(before: Decimal, whole: Decimal, cutoffs: Cutoffs) -> Rank:
    """By the share before the client, compared exactly (no division, no rounding)."""
    if before * 100 < cutoffs.a * whole:
        return "A"
    if before * 100 < cutoffs.b * whole:
        return "B"
    return "C"
