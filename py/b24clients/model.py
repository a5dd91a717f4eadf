"""The CRM as the rules see it: a few plain records, already normalised.

Raw REST records (legacy UPPER_CASE strings, crm.item camelCase ints, "0" or
null for "no company") are turned into these once, at the edge
(`records.py`); every rule below works on these types only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Entity = Literal["contact", "company"]
CONTACT: Entity = "contact"
COMPANY: Entity = "company"

Ref = tuple[Entity, int]
"""A contact or company: ("contact", 7)."""


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


@dataclass(frozen=True, slots=True)
class Invoice:
    """A smart invoice or a legacy invoice; `key` keeps the two ID spaces apart."""

    key: str
    deal_id: int | None = None
    company_id: int | None = None
    contact_id: int | None = None
    succeeded_on: date | None = None
    """Portal date it was paid; None while unpaid."""


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
