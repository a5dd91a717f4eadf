"""Whose items make up a client's history (history.md "What belongs to a client's history").

- A company: its own items and those of all its contacts, primary binding or not.
- A contact: its own items in every role, across all its companies; the
  companies' own items only when the page's toggle asks for them.

The set is read from the client's binding rows: `crm.company.contact.items.get`
(CONTACT_ID per row) for a company, `crm.contact.company.items.get`
(COMPANY_ID per row) for a contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import COMPANY, Ref
from ..records import company_bindings, ref_id
from .links import COMPANY as COMPANY_TYPE
from .links import CONTACT as CONTACT_TYPE
from .links import Link


@dataclass(frozen=True, slots=True)
class ClientSet:
    client: Ref
    contacts: tuple[int, ...]
    """A company's contacts by ID; a contact's history: the contact itself."""
    companies: tuple[int, ...]
    """A company's history: the company itself; a contact's: its companies, the primary one first."""
    include_companies: bool = False
    """The companies' own items belong to the history: always for a company, on the
    toggle for a contact."""

    @property
    def client_link(self) -> Link:
        entity, record_id = self.client
        return (COMPANY_TYPE if entity == COMPANY else CONTACT_TYPE, record_id)

    @property
    def is_company(self) -> bool:
        return self.client[0] == COMPANY

    @property
    def owning_companies(self) -> frozenset[int]:
        """Companies whose own items belong to the history."""
        return frozenset(self.companies) if self.include_companies else frozenset()

    @property
    def owners(self) -> frozenset[Link]:
        """The contacts and companies whose items the history reads."""
        return frozenset({(CONTACT_TYPE, c) for c in self.contacts}
                         | {(COMPANY_TYPE, c) for c in self.owning_companies})


def client_set(client: Ref, bindings: Iterable[object], include_companies: bool = False) -> ClientSet:
    """The set of a company (its contacts) or of a contact (its companies, the primary one
    first, ordered as the rules order them).  Binding rows without a readable ID are absence."""
    entity, record_id = client
    rows = [row for row in bindings if isinstance(row, Mapping)]
    if entity == COMPANY:
        contacts = sorted({c for c in (ref_id(row.get("CONTACT_ID")) for row in rows) if c is not None})
        return ClientSet(client, tuple(contacts), (record_id,), include_companies=True)
    ordered = company_bindings({**row, "CONTACT_ID": record_id} for row in rows).get(record_id, [])
    return ClientSet(client, (record_id,), tuple(ordered), include_companies)
