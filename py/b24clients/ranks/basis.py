"""What each client brought in the rolling window: the number ranks are cut from.

Purchases are grouped and attributed exactly as for the classification
(rules.md §2, `payments.purchases` and `payments.owner`), in the same counted
pipelines, so a client's rank and its lifecycle never disagree about whose
money a deal was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from ..classify import in_pipelines
from ..clients import parent_companies
from ..dates import months_before
from ..model import Crm, Ref
from ..payments import Purchase, owner, purchases_steps
from ..steps import CLIENT_STEP, STEP, Steps, finish
from .currency import Rates

Basis = Literal["revenue", "payments", "requests"]
BASES: tuple[Basis, ...] = ("revenue", "payments", "requests")


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Payments in the window whose money could not be counted, said out loud:
    a missing rate must never pass for a client that paid nothing."""

    unknown_currencies: Mapping[str, int] = field(default_factory=dict)
    """Currency code → payments with an amount in it that has no rate."""
    without_amount: int = 0
    """Payments with no readable amount at all."""


@dataclass(frozen=True, slots=True)
class Measured:
    values: Mapping[Ref, Decimal]
    """Every client with something in the window (always > 0); the others have nothing."""
    left_out: LeftOut = LeftOut()


def in_window(day: date | None, start: date) -> bool:
    """After `start` = today − the window's calendar months, like lifecycle's Active:
    a payment exactly that old has left the window.  A date after today (a
    deal closed in advance) is in it."""
    return day is not None and day > start


def measure(crm: Crm, basis: Basis, today: date, window_months: int, rates: Rates,
            pipelines: AbstractSet[int] | None = None) -> Measured:
    """Each client's revenue (in the base currency), payment count, or request count
    in the window.  A request is a purchase of any outcome — a deal with its
    invoices, or an invoice of no deal — dated when it was created."""
    return finish(measure_steps(crm, basis, today, window_months, rates, pipelines, parent_companies(crm)))


def measure_steps(crm: Crm, basis: Basis, today: date, window_months: int, rates: Rates,
                  pipelines: AbstractSet[int] | None, parents: dict[int, int]) -> Steps[Measured]:
    """`measure` as a step generator (steps.py); `parents` is `parent_companies(crm)`
    (it does not depend on deals, so the caller's serves)."""
    crm = in_pipelines(crm, pipelines)
    start = months_before(today, window_months)
    yield
    every = yield from purchases_steps(crm)
    owned = []
    for n, purchase in enumerate(every, 1):
        client = owner(purchase, crm, parents)
        if client is not None:
            owned.append((client, purchase))
        if n % STEP == 0:
            yield
    yield
    if basis == "requests":
        return Measured(_counts(c for c, p in owned if in_window(p.opened_on, start)))
    paid = [(c, p) for c, p in owned if in_window(p.paid_on, start)]
    yield
    if basis == "payments":
        return Measured(_counts(c for c, _ in paid))
    return (yield from _revenue_steps(paid, rates))


def _counts(clients: Iterable[Ref]) -> dict[Ref, Decimal]:
    return {client: Decimal(n) for client, n in Counter(clients).items()}


def _revenue_steps(paid: Iterable[tuple[Ref, Purchase]], rates: Rates) -> Steps[Measured]:
    """Each client's paid amounts in the base currency, CLIENT_STEP purchases to a step
    (each converts Decimals: at 30k clients the whole was 40 ms of CPython in one go)."""
    values: dict[Ref, Decimal] = {}
    unknown: Counter[str] = Counter()
    without_amount = 0
    for n, (client, purchase) in enumerate(paid, 1):
        if n % CLIENT_STEP == 0:
            yield
        if not purchase.amount:
            without_amount += 1
        for part in purchase.amount:
            value = rates.in_base(part)
            if value is None:
                unknown[str(part.currency)] += 1
            else:
                values[client] = values.get(client, Decimal(0)) + value
    yield
    return Measured({c: v for c, v in values.items() if v > 0}, LeftOut(dict(unknown), without_amount))
