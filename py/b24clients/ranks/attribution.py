"""Whose client a record is, by the classification's own rules.

A company is its own client (unless it is the seller's); a contact counts for
its parent company, else for itself (rules.md §1); a deal or an invoice counts
for the owner of the purchase it is part of (rules.md §2).  Built once per
CRM, so that binding thousands of activities stays a dictionary look-up each;
in steps (`Attribution.steps`) where a page must not freeze while it is built.
"""

from __future__ import annotations

from ..clients import client_of_contact, is_client_company, parent_steps
from ..model import COMPANY, CONTACT, Activity, Crm, Ref
from ..payments import owner, purchases_steps
from ..steps import STEP, Steps, finish


class Attribution:
    def __init__(self, crm: Crm):
        finish(self._build(crm))

    @classmethod
    def steps(cls, crm: Crm) -> Steps[Attribution]:
        made = cls.__new__(cls)
        yield from made._build(crm)
        return made

    def _build(self, crm: Crm) -> Steps[None]:
        self._crm = crm
        self._parents = yield from parent_steps(crm)
        self._deals: dict[int, Ref] = {}
        self._invoices: dict[str, Ref] = {}
        for n, purchase in enumerate((yield from purchases_steps(crm)), 1):
            client = owner(purchase, crm, self._parents)
            if client is not None:
                if purchase.deal_id is not None:
                    self._deals[purchase.deal_id] = client
                self._invoices.update(dict.fromkeys(purchase.invoice_keys, client))
            if n % STEP == 0:
                yield

    def of_record(self, ref: Ref) -> Ref | None:
        """The client of a contact or company; None for the seller's own company
        or a record not in the CRM."""
        entity, record_id = ref
        if entity == COMPANY:
            return ref if is_client_company(self._crm, record_id) else None
        if entity == CONTACT and record_id in self._crm.contacts:
            return client_of_contact(record_id, self._parents)
        return None

    def of_activity(self, activity: Activity) -> set[Ref]:
        """Every client the activity is bound to, through any of its bindings."""
        clients = {self.of_record(ref) for ref in activity.owners}
        clients |= {self._deals.get(deal_id) for deal_id in activity.deal_ids}
        clients |= {self._invoices.get(key) for key in activity.invoice_keys}
        clients.discard(None)
        return clients
