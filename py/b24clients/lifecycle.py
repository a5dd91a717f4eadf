"""rules.md §3–§5 — lifecycle, sales frequency, and the no-payment segments.

Every client gets exactly one of seven lifecycle values: Active, Sleeping or
Lost when it has paid, else the first segment that fits in the order With
requests, With dialogs, With contacts, Without contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from .dates import months_before

Lifecycle = Literal[
    "active", "sleeping", "lost", "with_requests", "with_dialogs", "with_contacts", "without_contacts"
]
LIFECYCLES: tuple[Lifecycle, ...] = (
    "active", "sleeping", "lost", "with_requests", "with_dialogs", "with_contacts", "without_contacts"
)
PAID: tuple[Lifecycle, ...] = LIFECYCLES[:3]
"""§3: the lifecycles of clients with payments."""

Frequency = Literal["regular", "first_purchase", "no_payments"]
FREQUENCIES: tuple[Frequency, ...] = ("regular", "first_purchase", "no_payments")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Admin-configurable lifecycle thresholds, in calendar months."""

    active_months: int = 6
    lost_months: int = 18

    def __post_init__(self) -> None:
        if not 1 <= self.active_months < self.lost_months:
            raise ValueError(
                f"need 1 ≤ active months < lost months, got {self.active_months} and {self.lost_months}"
            )


@dataclass(frozen=True, slots=True)
class Boundaries:
    """§3's two dates for one `today`, computed once per classification."""

    active_after: date
    sleeping_after: date

    @classmethod
    def on(cls, today: date, thresholds: Thresholds) -> Boundaries:
        return cls(months_before(today, thresholds.active_months), months_before(today, thresholds.lost_months))

    def lifecycle(self, last_payment: date) -> Lifecycle:
        """Active while the last payment is younger than `active_months` calendar
        months; Sleeping from the day it turns that old; Lost from the day it turns
        `lost_months` old.  Time alone moves a client along, with no CRM change."""
        if last_payment > self.active_after:
            return "active"
        if last_payment > self.sleeping_after:
            return "sleeping"
        return "lost"


def paid_lifecycle(last_payment: date, today: date, thresholds: Thresholds) -> Lifecycle:
    """§3 for one client (see `Boundaries.lifecycle`)."""
    return Boundaries.on(today, thresholds).lifecycle(last_payment)


def frequency(payments: int) -> Frequency:
    """§4: more than one payment is a regular client."""
    if payments > 1:
        return "regular"
    return "first_purchase" if payments == 1 else "no_payments"


def unpaid_lifecycle(has_requests: bool, has_dialogs: bool, has_contact_data: bool) -> Lifecycle:
    """§5: the first segment that fits, in this order."""
    if has_requests:
        return "with_requests"
    if has_dialogs:
        return "with_dialogs"
    if has_contact_data:
        return "with_contacts"
    return "without_contacts"
