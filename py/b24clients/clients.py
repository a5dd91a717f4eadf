"""rules.md §1 — who is a client, and whose member a contact is.

Bitrix24 has no "client": a company is a B2B client, a contact with no
company is a B2C client, a contact of a company is a *member* of that
company's client, and the portal's own companies are left out entirely.
"""

from __future__ import annotations

from typing import Literal

from .model import COMPANY, CONTACT, Crm, Ref
from .steps import STEP, Steps, finish

ClientType = Literal["b2b", "b2c", "company_contact"]
B2B: ClientType = "b2b"
B2C: ClientType = "b2c"
COMPANY_CONTACT: ClientType = "company_contact"


def is_client_company(crm: Crm, company_id: int | None) -> bool:
    """A company in the CRM that is not one of the seller's own."""
    company = crm.companies.get(company_id) if company_id is not None else None
    return company is not None and not company.is_mine


def parent_companies(crm: Crm) -> dict[int, int]:
    """Contact ID → its parent company, for every contact that is a member (`parent_steps`)."""
    return finish(parent_steps(crm))


def parent_steps(crm: Crm) -> Steps[dict[int, int]]:
    """Contact ID → its parent company, for every contact that is a member.

    The parent is the primary binding.  A link to one of the seller's own
    companies, or to a company missing from the CRM (deleted, or hidden from
    this user), makes nobody a member: the next linked client company takes
    its place, and a contact with none left is a B2C client.
    """
    parents: dict[int, int] = {}
    for n, contact in enumerate(crm.contacts.values(), 1):
        parent = parent_of(crm, contact.company_ids)
        if parent is not None:
            parents[contact.id] = parent
        if n % STEP == 0:
            yield
    return parents


def parent_of(crm: Crm, company_ids: tuple[int, ...]) -> int | None:
    """The first of a contact's companies that is a client company."""
    return next((company_id for company_id in company_ids if is_client_company(crm, company_id)), None)


def client_type(ref: Ref, parents: dict[int, int]) -> ClientType:
    entity, record_id = ref
    if entity == COMPANY:
        return B2B
    return COMPANY_CONTACT if record_id in parents else B2C


def client_of_contact(contact_id: int, parents: dict[int, int]) -> Ref:
    """The client a contact's history counts for: its parent company, else itself."""
    parent = parents.get(contact_id)
    return (COMPANY, parent) if parent is not None else (CONTACT, contact_id)


def client_refs(crm: Crm, parents: dict[int, int]) -> list[Ref]:
    """Every client, in order: the companies that are not the seller's, then the
    contacts that are members of none."""
    companies: list[Ref] = [(COMPANY, c.id) for c in crm.companies.values() if not c.is_mine]
    contacts: list[Ref] = [(CONTACT, c.id) for c in crm.contacts.values() if c.id not in parents]
    return sorted(companies) + sorted(contacts)
