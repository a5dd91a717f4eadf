"""rules.md §2 — payments: one deal = one payment, and who it belongs to.

A deal and every invoice linked to it are one purchase.  The purchase is a
payment when the deal is won or any of its invoices is paid, dated by the
latest of those successes; an invoice linked to no deal is a purchase of its
own.  The amount never matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .clients import client_of_contact, is_client_company
from .model import COMPANY, Crm, Deal, Invoice, Ref


@dataclass(frozen=True, slots=True)
class Purchase:
    company_id: int | None
    contact_id: int | None
    paid_on: date | None
    """Latest success date in the group; None when nothing in it succeeded."""


def purchases(crm: Crm) -> list[Purchase]:
    """Group deals with their invoices (smart `parentId2`, legacy `UF_DEAL_ID`).

    Invoices pointing at a deal that is not in the CRM still form one purchase
    per deal ID: three paid instalments of a deal this user cannot see are
    still one purchase.  The group's company is the deal's, else the first
    linked invoice's; the same for its contact.
    """
    groups: dict[object, list[Deal | Invoice]] = {("deal", deal.id): [deal] for deal in crm.deals}
    for invoice in sorted(crm.invoices, key=lambda i: i.key):
        key = ("deal", invoice.deal_id) if invoice.deal_id is not None else invoice.key
        groups.setdefault(key, []).append(invoice)
    return [_purchase(members) for members in groups.values()]


def _purchase(members: list[Deal | Invoice]) -> Purchase:
    successes = [m.succeeded_on for m in members if m.succeeded_on is not None]
    return Purchase(
        company_id=next((m.company_id for m in members if m.company_id is not None), None),
        contact_id=next((m.contact_id for m in members if m.contact_id is not None), None),
        paid_on=max(successes, default=None),
    )


def owner(purchase: Purchase, crm: Crm, parents: dict[int, int]) -> Ref | None:
    """The client a purchase belongs to.

    The company on it wins, even with a contact set too (never two payments).
    A company that is the seller's own or not in the CRM counts as "not set".
    Otherwise the contact's client: its parent company, else the contact.
    A purchase with neither belongs to nobody.
    """
    if is_client_company(crm, purchase.company_id):
        return (COMPANY, purchase.company_id)
    if purchase.contact_id is not None and purchase.contact_id in crm.contacts:
        return client_of_contact(purchase.contact_id, parents)
    return None
