"""The CRM as the rules see it: a few plain records, already normalised.

Raw REST records (legacy UPPER_CASE strings, crm.item camelCase ints, "0" or
null for "no company") are turned into these once, at the edge
(`records.py`); every rule below works on these types only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Entity = Literal["contact", "company"]
CONTACT: Entity = "contact"
COMPANY: Entity = "company"

Ref = tuple[Entity, int]
"""A contact or company: ("contact", 7)."""


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency.

    Decimal, not float: "19999.99" stays 19999.99, sums of many payments do
    not drift, and two clients with the same revenue tie exactly — which
    decides their rank at a boundary.
    """

    value: Decimal
    currency: str | None = None
    """The portal's code ("RUB", "USD"); None when the record did not say."""


Amount = tuple[Money, ...]
"""A sum of money, one Money per currency; () for nothing (or nothing readable)."""


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    company_ids: tuple[int, ...] = ()
    """Every company the contact is linked to, the primary binding first."""
    has_contact_data: bool = False
    """A phone, email, website or messenger of its own is filled in."""


@dataclass(frozen=True, slots=True)
class Company:
    id: int
    is_mine: bool = False
    """IS_MY_COMPANY = Y: the seller itself, never a client."""
    has_contact_data: bool = False


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    company_id: int | None = None
    contact_id: int | None = None
    succeeded_on: date | None = None
    """Portal date it was won (stage semantics S); None while in progress or lost."""
    category_id: int | None = None
    """Its pipeline (0 is the general one); None when the row did not say."""
    amount: Decimal | None = None
    """OPPORTUNITY; None when absent or unreadable (never a silent zero)."""
    currency: str | None = None
    created_on: date | None = None
    """Portal date it was created: dates the deal as a request."""


@dataclass(frozen=True, slots=True)
class Invoice:
    """A smart invoice or a legacy invoice; `key` keeps the two ID spaces apart."""

    key: str
    deal_id: int | None = None
    company_id: int | None = None
    contact_id: int | None = None
    succeeded_on: date | None = None
    """Portal date it was paid; None while unpaid."""
    amount: Decimal | None = None
    """Smart `opportunity`, legacy PRICE; None when absent or unreadable."""
    currency: str | None = None
    created_on: date | None = None


@dataclass(slots=True)
class Crm:
    """Everything the classification needs, and nothing else."""

    contacts: dict[int, Contact] = field(default_factory=dict)
    companies: dict[int, Company] = field(default_factory=dict)
    deals: list[Deal] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    with_activities: set[Ref] = field(default_factory=set)
    """Contacts and companies that have at least one activity bound to them."""
    with_requisites: set[Ref] = field(default_factory=set)


ActivityKind = Literal["call", "email", "meeting", "openline", "todo", "other"]


@dataclass(frozen=True, slots=True)
class Activity:
    """A CRM activity as the touch rules see it (planning.md "Touch frequency")."""

    id: int
    kind: ActivityKind = "other"
    completed: bool = False
    owners: tuple[Ref, ...] = ()
    """The contacts and companies it is bound to."""
    deal_ids: tuple[int, ...] = ()
    invoice_keys: tuple[str, ...] = ()
    """The invoices it is bound to, keyed like `Invoice.key`."""
    responsible_id: int | None = None
    done_on: date | None = None
    """Portal date it was completed; None while open."""
    deadline: date | None = None
    """Portal date it is due; None when it has none (Bitrix24's year-9999 "no deadline" included)."""


@dataclass(frozen=True, slots=True)
class Touch:
    """The client was last talked to on `on`, by `by` (a user ID, None when unknown)."""

    on: date
    by: int | None = None


@dataclass(frozen=True, slots=True)
class CurrencyRate:
    """One `crm.currency.list` row: how much of the base currency one unit is worth."""

    code: str
    per_unit: Decimal | None
    """AMOUNT / AMOUNT_CNT; None when the row's rate is unreadable."""
    is_base: bool = False
