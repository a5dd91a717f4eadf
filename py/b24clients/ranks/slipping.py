"""planning.md "Slipping soon": Active clients whose last payment turns
`active_months` old within 30 days — the cheapest sales to save.

Decided by lifecycle's own boundaries (rules.md §3), so "slips on day X" and
"is Sleeping from day X" can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ..classify import ClientRow
from ..lifecycle import Boundaries, Thresholds

SLIPPING_DAYS = 30


def slips_soon(last_payment: date, today: date, thresholds: Thresholds, days: int = SLIPPING_DAYS) -> bool:
    """Active today, no longer Active `days` from today."""
    return (Boundaries.on(today, thresholds).lifecycle(last_payment) == "active"
            and Boundaries.on(today + timedelta(days=days), thresholds).lifecycle(last_payment) != "active")


def slipping_soon(rows: Iterable[ClientRow], today: date, thresholds: Thresholds) -> list[ClientRow]:
    """The clients (not their member contacts) that slip within SLIPPING_DAYS, soonest first."""
    slipping = [row for row in rows if row.is_client and row.lifecycle == "active"
                and row.last_payment is not None and slips_soon(row.last_payment, today, thresholds)]
    return sorted(slipping, key=lambda row: (row.last_payment, row.entity, row.id))
