"""Classification kept up to date between runs, so that a Refresh costs what changed.

A full `classify` of 85,000 clients is about a second of CPython and two to
three in Pyodide: too much for a Refresh that found nothing new (issue 11:
done in ≤ 2 s).  After one full pass this class keeps each record's row,
each purchase's summary and owner, each client's history, and the indexes
that say whom a change reaches, so that the next pass computes again only:

- the purchases a changed deal or invoice belongs to, and those naming a
  changed contact or company (their owner may move);
- the parent of a changed contact, and of every contact linked to a changed
  company (it may have become the seller's own, or gone);
- the rows of every client whose purchases, dialogs or contact data may
  have changed, with their member contacts (who carry the client's values);
- the paying clients whose last payment crossed one of §3's two boundaries
  since the last `today` (found by date, without looking at anyone else).

Its rows always equal `classify` of the same CRM with the same settings:
tests/unit/test_incremental.py checks that after random changes, and the
sync tests after real runs.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date, timedelta

from .classify import NO_HISTORY, ClientRow, History, client_row, counted, in_pipelines
from .clients import parent_of, parent_steps
from .lifecycle import Boundaries, Thresholds
from .model import COMPANY, CONTACT, Company, Contact, Crm, Deal, Invoice, Ref
from .payments import GroupKey, Summary, group_key, owner, summaries
from .steps import CLIENT_STEP, STEP, Steps

RESORT = 1000
"""Rows added or removed above which the order is sorted again rather than inserted into."""


@dataclass
class CrmChange:
    """Records that changed since a classification: each new value, or None when it is gone;
    for the two flags, whether the record now has any activity / any requisite."""

    contacts: dict[int, Contact | None] = field(default_factory=dict)
    companies: dict[int, Company | None] = field(default_factory=dict)
    deals: dict[int, Deal | None] = field(default_factory=dict)
    invoices: dict[str, Invoice | None] = field(default_factory=dict)
    with_activities: dict[Ref, bool] = field(default_factory=dict)
    with_requisites: dict[Ref, bool] = field(default_factory=dict)

    def __len__(self) -> int:
        return (len(self.contacts) + len(self.companies) + len(self.deals) + len(self.invoices)
                + len(self.with_activities) + len(self.with_requisites))


def _flags(refs: set[Ref], changes: dict[Ref, bool]) -> None:
    for ref, present in changes.items():
        if present:
            refs.add(ref)
        else:
            refs.discard(ref)


class Classification:
    """One CRM's classification with fixed thresholds and counted pipelines, kept up to date.

    `build` classifies a whole CRM; `update` takes what changed since and a
    new `today`.  Both are step generators returning every row, as `classify`
    orders them; after each, `changed` holds the records whose row is new,
    different or gone (None after `build`: all of them).
    """

    def __init__(self, thresholds: Thresholds = Thresholds(), pipelines: Set[int] | None = None):
        self.thresholds, self.pipelines = thresholds, pipelines
        self._clear()

    def _clear(self) -> None:
        self.crm = Crm()
        """Contacts, companies and the two flag sets as last classified (deals and invoices are keyed below)."""
        self.deals: dict[int, Deal] = {}
        self.invoices: dict[str, Invoice] = {}
        self.deal_invoices: dict[int, set[str]] = {}
        """Deal ID → the invoices linked to it (whether the deal is in the CRM or not)."""
        self.parents: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}
        """Company → its member contacts (the inverse of `parents`)."""
        self.linkers: dict[int, set[int]] = {}
        """Company ID → every contact linked to it, member or not (§5.3, and who to re-parent)."""
        self.summaries: dict[GroupKey, Summary] = {}
        self.owners: dict[GroupKey, Ref] = {}
        self.owned: dict[Ref, set[GroupKey]] = {}
        self.naming_company: dict[int, set[GroupKey]] = {}
        self.naming_contact: dict[int, set[GroupKey]] = {}
        self.histories: dict[Ref, History] = {}
        self.paid_on: dict[date, set[Ref]] = {}
        """Last payment date → the clients whose last payment it is: whom time moves."""
        self.boundaries: Boundaries | None = None
        self.rows: dict[Ref, ClientRow] = {}
        self.order: list[Ref] = []
        self.changed: set[Ref] | None = None

    # --- the whole CRM -------------------------------------------------------------

    def build(self, crm: Crm, today: date) -> Steps[list[ClientRow]]:
        """Classify every record of `crm` (which is not kept: its dicts are copied)."""
        self._clear()
        self.crm = Crm(dict(crm.contacts), dict(crm.companies), with_activities=set(crm.with_activities),
                       with_requisites=set(crm.with_requisites))
        yield
        for n, deal in enumerate(crm.deals, 1):
            self.deals[deal.id] = deal
            if n % STEP == 0:
                yield
        for n, invoice in enumerate(crm.invoices, 1):
            self.invoices[invoice.key] = invoice
            if invoice.deal_id is not None:
                _index(self.deal_invoices, invoice.deal_id, invoice.key)
            if n % STEP == 0:
                yield
        self.parents = yield from parent_steps(self.crm)
        for n, contact in enumerate(self.crm.contacts.values(), 1):
            for company_id in contact.company_ids:
                _index(self.linkers, company_id, contact.id)
            if n % STEP == 0:
                yield
        for n, (contact_id, company_id) in enumerate(self.parents.items(), 1):
            _index(self.members, company_id, contact_id)
            if n % STEP == 0:
                yield
        groups = yield from summaries(in_pipelines(crm, self.pipelines))
        for n, (key, summary) in enumerate(groups.items(), 1):
            self._place(key, summary)
            if n % STEP == 0:
                yield
        for n, (client, keys) in enumerate(self.owned.items(), 1):
            self._history(client, keys)
            if n % CLIENT_STEP == 0:
                yield
        self.boundaries = Boundaries.on(today, self.thresholds)
        self.order = [(COMPANY, i) for i in sorted(self.crm.companies) if not self.crm.companies[i].is_mine]
        yield
        self.order += [(CONTACT, i) for i in sorted(self.crm.contacts)]
        yield
        for n, ref in enumerate(self.order, 1):
            self.rows[ref] = self._row(ref)
            if n % CLIENT_STEP == 0:
                yield
        self.changed = None
        return [self.rows[ref] for ref in self.order]

    # --- what changed ----------------------------------------------------------------

    def update(self, change: CrmChange, today: date) -> Steps[list[ClientRow]]:
        """Every row again, computing only those `change` and the days since the last `today` reach."""
        refs: set[Ref] = set()
        groups: set[GroupKey] = set()
        contacts = set(change.contacts)
        for n, (contact_id, contact) in enumerate(change.contacts.items(), 1):
            refs.update((COMPANY, k) for k in self._put_contact(contact_id, contact))
            refs.add((CONTACT, contact_id))
            groups |= self.naming_contact.get(contact_id, set())
            if n % STEP == 0:
                yield
        for n, (company_id, company) in enumerate(change.companies.items(), 1):
            _store(self.crm.companies, company_id, company)
            refs.add((COMPANY, company_id))
            contacts |= self.linkers.get(company_id, set())
            groups |= self.naming_company.get(company_id, set())
            if n % STEP == 0:
                yield
        for n, contact_id in enumerate(contacts, 1):
            moved = self._reparent(contact_id)
            if moved:
                refs.add((CONTACT, contact_id))
                refs.update((COMPANY, k) for k in moved)
                groups |= self.naming_contact.get(contact_id, set())
            if n % STEP == 0:
                yield
        for n, (deal_id, deal) in enumerate(change.deals.items(), 1):
            _store(self.deals, deal_id, deal)
            groups.add(("deal", deal_id))
            if n % STEP == 0:
                yield
        for n, (key, invoice) in enumerate(change.invoices.items(), 1):
            groups.update(self._put_invoice(key, invoice))
            if n % STEP == 0:
                yield
        for n, (ref, present) in enumerate(change.with_activities.items(), 1):
            _flags(self.crm.with_activities, {ref: present})
            refs.add(ref)
            if ref[0] == CONTACT and ref[1] in self.parents:
                refs.add((COMPANY, self.parents[ref[1]]))
            if n % STEP == 0:
                yield
        for ref, present in change.with_requisites.items():
            _flags(self.crm.with_requisites, {ref: present})
            refs.add(ref)
        yield
        clients: set[Ref] = set()
        for n, key in enumerate(groups, 1):
            clients.update(self._regroup(key))
            if n % STEP == 0:
                yield
        for n, client in enumerate(clients, 1):
            self._history(client, self.owned.get(client, set()))
            if n % CLIENT_STEP == 0:
                yield
        refs |= clients
        refs |= yield from self._moved_by_time(today)
        for ref in [ref for ref in refs if ref[0] == COMPANY]:
            refs.update((CONTACT, m) for m in self.members.get(ref[1], ()))
        yield
        self.changed = yield from self._rows_again(refs)
        return [self.rows[ref] for ref in self.order]

    def _put_contact(self, contact_id: int, contact: Contact | None) -> set[int]:
        """Store a contact; returns the companies whose links it had or has."""
        old = self.crm.contacts.get(contact_id)
        touched = set(old.company_ids) if old is not None else set()
        for company_id in touched:
            self.linkers[company_id].discard(contact_id)
        _store(self.crm.contacts, contact_id, contact)
        if contact is not None:
            for company_id in contact.company_ids:
                _index(self.linkers, company_id, contact_id)
            touched.update(contact.company_ids)
        return touched

    def _reparent(self, contact_id: int) -> tuple[int, ...]:
        """The contact's parent again; returns the old and new parent when it moved."""
        contact = self.crm.contacts.get(contact_id)
        new = parent_of(self.crm, contact.company_ids) if contact is not None else None
        old = self.parents.get(contact_id)
        if new == old:
            return ()
        if old is not None:
            del self.parents[contact_id]
            self.members[old].discard(contact_id)
        if new is not None:
            self.parents[contact_id] = new
            _index(self.members, new, contact_id)
        return tuple(k for k in (old, new) if k is not None)

    def _put_invoice(self, key: str, invoice: Invoice | None) -> list[GroupKey]:
        """Store an invoice; returns the purchases it was and is part of."""
        groups = []
        old = self.invoices.get(key)
        if old is not None:
            groups.append(group_key(old))
            if old.deal_id is not None:
                self.deal_invoices[old.deal_id].discard(key)
        _store(self.invoices, key, invoice)
        if invoice is not None:
            groups.append(group_key(invoice))
            if invoice.deal_id is not None:
                _index(self.deal_invoices, invoice.deal_id, key)
        return groups

    def _regroup(self, key: GroupKey) -> list[Ref]:
        """A purchase summarised again from its records; returns its old and new owner."""
        old_summary = self.summaries.pop(key, None)
        if old_summary is not None:
            _unindex(self.naming_company, old_summary.company_id, key)
            _unindex(self.naming_contact, old_summary.contact_id, key)
        touched = []
        old_owner = self.owners.pop(key, None)
        if old_owner is not None:
            self.owned[old_owner].discard(key)
            touched.append(old_owner)
        summary = self._summary(key)
        if summary is not None:
            touched.extend(self._place(key, summary))
        return touched

    def _summary(self, key: GroupKey) -> Summary | None:
        """`payments.summaries` for one purchase: the deal (unless its pipeline does not
        count, which drops its invoices too), then its invoices in key order."""
        if isinstance(key, str):
            invoice = self.invoices.get(key)
            records = [invoice] if invoice is not None and invoice.deal_id is None else []
        else:
            deal = self.deals.get(key[1])
            if deal is not None and not counted(deal, self.pipelines):
                return None
            records = [deal] if deal is not None else []
            records += [self.invoices[k] for k in sorted(self.deal_invoices.get(key[1], ()))]
        if not records:
            return None
        summary = Summary()
        for record in records:
            summary.add(record)
        return summary

    def _place(self, key: GroupKey, summary: Summary) -> list[Ref]:
        """Index a purchase and give it to its owner; returns the owner (if any)."""
        self.summaries[key] = summary
        if summary.company_id is not None:
            _index(self.naming_company, summary.company_id, key)
        if summary.contact_id is not None:
            _index(self.naming_contact, summary.contact_id, key)
        client = owner(summary, self.crm, self.parents)
        if client is None:
            return []
        self.owners[key] = client
        _index(self.owned, client, key)
        return [client]

    def _history(self, client: Ref, keys: set[GroupKey]) -> None:
        """A client's history from its purchases, and its place in `paid_on`."""
        old = self.histories.pop(client, None)
        if old is not None and old.last_payment is not None:
            self.paid_on[old.last_payment].discard(client)
        history = History()
        for key in keys:
            history.add(self.summaries[key].paid_on)
        if history.payments or history.has_requests:
            self.histories[client] = history
        if history.last_payment is not None:
            _index(self.paid_on, history.last_payment, client)

    def _moved_by_time(self, today: date) -> Steps[set[Ref]]:
        """The paying clients whose last payment lies between a boundary's old and new day."""
        boundaries = Boundaries.on(today, self.thresholds)
        old, self.boundaries = self.boundaries, boundaries
        moved: set[Ref] = set()
        for before, after in ((old.active_after, boundaries.active_after),
                              (old.sleeping_after, boundaries.sleeping_after)):
            day, last = min(before, after), max(before, after)
            for n in range(1, (last - day).days + 1):
                moved |= self.paid_on.get(day + timedelta(days=n), set())
                if n % STEP == 0:
                    yield
        return moved

    def _rows_again(self, refs: set[Ref]) -> Steps[set[Ref]]:
        """The rows of `refs` computed again; returns those that are new, different or gone."""
        changed: set[Ref] = set()
        added: list[Ref] = []
        removed = False
        for n, ref in enumerate(refs, 1):
            row = self._row(ref)
            old = self.rows.get(ref)
            if row != old:
                changed.add(ref)
                if row is None:
                    del self.rows[ref]
                    removed = True
                else:
                    self.rows[ref] = row
                    if old is None:
                        added.append(ref)
            if n % CLIENT_STEP == 0:
                yield
        if removed or len(added) > RESORT:
            self.order = sorted(self.rows)
        else:
            for ref in added:
                insort(self.order, ref)
        return changed

    # --- one record -------------------------------------------------------------------

    def _row(self, ref: Ref) -> ClientRow | None:
        """`classify`'s row for one record; None for a record that is gone or the seller's own."""
        entity, record_id = ref
        if entity == CONTACT:
            record = self.crm.contacts.get(record_id)
            parent = self.parents.get(record_id)
        else:
            record = self.crm.companies.get(record_id)
            parent = None
            if record is not None and record.is_mine:
                record = None
        if record is None:
            return None
        client = (COMPANY, parent) if parent is not None else ref
        return client_row(ref, parent, self.histories.get(client, NO_HISTORY), self._dialogs(client),
                          self._contact_data(client), self._dialogs(ref), self._contact_data(ref), self.boundaries)

    def _dialogs(self, ref: Ref) -> bool:
        """§5.2 / §6: an activity of its own; a company's also of one of its member contacts."""
        activities = self.crm.with_activities
        if ref in activities:
            return True
        if ref[0] == CONTACT:
            return False
        return any((CONTACT, member) in activities for member in self.members.get(ref[1], ()))

    def _contact_data(self, ref: Ref) -> bool:
        """§5.3: own contact data or requisites; a company's also a linked contact."""
        entity, record_id = ref
        record = (self.crm.contacts if entity == CONTACT else self.crm.companies).get(record_id)
        if record is None:
            return False
        if record.has_contact_data or ref in self.crm.with_requisites:
            return True
        return entity == COMPANY and bool(self.linkers.get(record_id))


def _store(table: dict, key, value) -> None:
    if value is None:
        table.pop(key, None)
    else:
        table[key] = value


def _index(index: dict, key, value) -> None:
    bucket = index.get(key)
    if bucket is None:
        index[key] = {value}
    else:
        bucket.add(value)


def _unindex(index: dict, key, value) -> None:
    if key is not None and key in index:
        index[key].discard(value)
