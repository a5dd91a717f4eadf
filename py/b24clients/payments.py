"""rules.md §2 — payments: one deal = one payment, and who it belongs to.

A deal and every invoice linked to it are one purchase.  The purchase is a
payment when the deal is won or any of its invoices is paid, dated by the
latest of those successes; an invoice linked to no deal is a purchase of its
own.  The amount never decides whether it is a payment; it is carried for
the ranks (planning.md "Ranks"), which weigh clients by what they paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter

from .clients import client_of_contact, is_client_company
from .model import COMPANY, Amount, Crm, Deal, Invoice, Money, Ref
from .steps import STEP, Steps, finish


@dataclass(frozen=True, slots=True)
class Purchase:
    company_id: int | None
    contact_id: int | None
    paid_on: date | None
    """Latest success date in the group; None when nothing in it succeeded."""
    amount: Amount = ()
    """What the payment brought: a won deal's OPPORTUNITY, else the paid invoices'
    sum, one Money per currency; () when nothing is paid or no amount is readable."""
    opened_on: date | None = None
    """When its first record was created: dates it as a request."""
    deal_id: int | None = None
    invoice_keys: tuple[str, ...] = ()
    """The records it is made of, so that what is bound to them (activities) finds its client."""


GroupKey = tuple[str, int] | str
"""A purchase's key: ("deal", deal ID) for a deal and its invoices, an invoice's own key for one linked to no deal."""
_KEY = attrgetter("key")


def group_key(invoice: Invoice) -> GroupKey:
    return ("deal", invoice.deal_id) if invoice.deal_id is not None else invoice.key


def purchases(crm: Crm) -> list[Purchase]:
    """Group deals with their invoices (smart `parentId2`, legacy `UF_DEAL_ID`).

    Invoices pointing at a deal that is not in the CRM still form one purchase
    per deal ID: three paid instalments of a deal this user cannot see are
    still one purchase.  The group's company is the deal's, else the first
    linked invoice's; the same for its contact.
    """
    return finish(purchases_steps(crm))


def purchases_steps(crm: Crm) -> Steps[list[Purchase]]:
    """`purchases` as a step generator (steps.py): a pause every STEP records."""
    groups: dict[GroupKey, list[Deal | Invoice]] = {}
    for n, deal in enumerate(crm.deals, 1):
        groups[("deal", deal.id)] = [deal]
        if n % STEP == 0:
            yield
    invoices = sorted(crm.invoices, key=_KEY)
    yield
    for n, invoice in enumerate(invoices, 1):
        groups.setdefault(group_key(invoice), []).append(invoice)
        if n % STEP == 0:
            yield
    out = []
    for n, (key, members) in enumerate(groups.items(), 1):
        out.append(_purchase(key, members))
        if n % STEP == 0:
            yield
    return out


def _purchase(key: object, members: list[Deal | Invoice]) -> Purchase:
    if len(members) == 1:  # most purchases: a deal alone, or an invoice of no deal (3× faster at 85k)
        record = members[0]
        deal_alone = isinstance(record, Deal)
        return Purchase(
            company_id=record.company_id, contact_id=record.contact_id, paid_on=record.succeeded_on,
            amount=purchase_amount(record, ()) if deal_alone else purchase_amount(None, (record,)),
            opened_on=record.created_on, deal_id=key[1] if isinstance(key, tuple) else None,
            invoice_keys=() if deal_alone else (record.key,),
        )
    successes = [m.succeeded_on for m in members if m.succeeded_on is not None]
    deal = next((m for m in members if isinstance(m, Deal)), None)
    invoices = [m for m in members if isinstance(m, Invoice)]
    return Purchase(
        company_id=next((m.company_id for m in members if m.company_id is not None), None),
        contact_id=next((m.contact_id for m in members if m.contact_id is not None), None),
        paid_on=max(successes, default=None),
        amount=purchase_amount(deal, invoices),
        opened_on=min((m.created_on for m in members if m.created_on is not None), default=None),
        deal_id=key[1] if isinstance(key, tuple) else None,
        invoice_keys=tuple(i.key for i in invoices),
    )


@dataclass(slots=True)
class Summary:
    """What the classification needs of a purchase (no amounts, no records): the
    company and contact it names and its latest success — a `Purchase`'s first three
    fields, built by adding its records in the same order."""

    company_id: int | None = None
    contact_id: int | None = None
    paid_on: date | None = None

    def add(self, record: Deal | Invoice) -> None:
        if self.company_id is None:
            self.company_id = record.company_id
        if self.contact_id is None:
            self.contact_id = record.contact_id
        if record.succeeded_on is not None and (self.paid_on is None or record.succeeded_on > self.paid_on):
            self.paid_on = record.succeeded_on


def summaries(crm: Crm) -> Steps[dict[GroupKey, Summary]]:
    """`purchases` as Summaries, in steps: the same groups, each deal first and then
    its invoices in key order."""
    groups: dict[GroupKey, Summary] = {}
    for n, deal in enumerate(crm.deals, 1):
        summary = groups[("deal", deal.id)] = Summary()
        summary.add(deal)
        if n % STEP == 0:
            yield
    invoices = sorted(crm.invoices, key=_KEY)
    yield
    for n, invoice in enumerate(invoices, 1):
        key = group_key(invoice)
        summary = groups.get(key)
        if summary is None:
            summary = groups[key] = Summary()
        summary.add(invoice)
        if n % STEP == 0:
            yield
    return groups


def purchase_amount(deal: Deal | None, invoices: Iterable[Invoice]) -> Amount:
    """planning.md: a won deal brings its OPPORTUNITY (instalments are part of it,
    not on top of it); a deal not won, or not visible, brings what its paid
    invoices add up to.  A won deal with no readable amount falls back to its
    paid invoices too: better what was paid than nothing."""
    if deal is not None and deal.succeeded_on is not None and deal.amount is not None:
        return (Money(deal.amount, deal.currency),)
    return money_sum(Money(i.amount, i.currency) for i in invoices
                     if i.succeeded_on is not None and i.amount is not None)


def money_sum(parts: Iterable[Money]) -> Amount:
    """Amounts added per currency (the base-currency-less ones together), in currency order."""
    totals: dict[str | None, Decimal] = {}
    for part in parts:
        totals[part.currency] = totals.get(part.currency, Decimal(0)) + part.value
    return tuple(Money(value, currency) for currency, value in sorted(totals.items(), key=lambda t: t[0] or ""))


def owner(purchase: Purchase | Summary, crm: Crm, parents: dict[int, int]) -> Ref | None:
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
