"""What the engine keeps per record between runs, and how a month's rows fold in.

The aggregates are the rules' own records (`model.py`), normalised at the
edge by `records.py` exactly as the `classify` command does, plus the eight
values the CRM currently holds for each contact and company (so write-back
sends only differences), plus each one's Card (what the client list shows).  They are saved as chunks: each month's rows, each
catch-up, each incremental run — replayed in order on load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timezone

from .. import records
from ..cards import Card, card as read_card
from ..model import COMPANY, CONTACT, Company, Contact, Crm, Deal, Invoice, Ref
from .fields import UF_NAMES

Held = tuple
"""The eight user-field values as the CRM holds them, in FIELDS order."""


class Aggregates:
    def __init__(self) -> None:
        self.contacts: dict[int, Contact] = {}
        self.companies: dict[int, Company] = {}
        self.deals: dict[int, Deal] = {}
        self.invoices: dict[str, Invoice] = {}
        self.activities: dict[int, tuple[Ref, ...]] = {}
        self.requisites: dict[int, Ref] = {}
        self.held: dict[Ref, Held] = {}
        self.cards: dict[Ref, Card] = {}
        self.written_at: dict[Ref, tuple[float, float]] = {}
        """When our write-back changed a record (portal time, from the batch's answer)."""
        self.ours: Callable[[Mapping], bool] | None = None
        """Was a contact's or company's last change our own write-back? (`cards.written_by`)"""

    # --- folding REST rows -----------------------------------------------------

    def fold(self, kind: str, rows: Iterable[Mapping], stages: records.StageBook, tz: timezone) -> dict:
        """Normalise rows of one kind into the aggregates; returns the chunk that records it."""
        encoded = []
        for raw in rows:
            encoded.append(self._fold_one(kind, raw, stages, tz))
        return {kind: encoded}

    def _fold_one(self, kind: str, raw: Mapping, stages: records.StageBook, tz: timezone) -> list:
        if kind == "contacts":
            return self._put_contact(records.contact(raw), _held(raw), read_card(CONTACT, raw, tz, ours=self.ours))
        if kind == "companies":
            return self._put_company(records.company(raw), _held(raw), read_card(COMPANY, raw, tz, ours=self.ours))
        if kind == "deals":
            return self._put_deal(records.deal(raw, stages, tz))
        if kind == "invoices":
            return self._put_invoice(records.smart_invoice(raw, stages, tz))
        if kind == "legacy_invoices":
            return self._put_invoice(records.legacy_invoice(raw, stages, tz))
        if kind == "activities":
            owners = tuple(records.activity_owners(raw))
            self.activities[records.record_id(raw)] = owners
            return [records.record_id(raw), [list(o) for o in owners]]
        if kind == "requisites":
            owner = records.requisite_owner(raw)
            rid = records.record_id(raw)
            if owner is not None:
                self.requisites[rid] = owner
            return [rid, list(owner) if owner else None]
        raise ValueError(f"unknown kind {kind}")

    def _put_contact(self, contact: Contact, held: Held, card: Card) -> list:
        self.contacts[contact.id] = contact
        self.held[(CONTACT, contact.id)] = held
        self.cards[(CONTACT, contact.id)] = card
        return [contact.id, list(contact.company_ids), contact.has_contact_data, list(held), _card(card)]

    def _put_company(self, company: Company, held: Held, card: Card) -> list:
        self.companies[company.id] = company
        self.held[(COMPANY, company.id)] = held
        self.cards[(COMPANY, company.id)] = card
        return [company.id, company.is_mine, company.has_contact_data, list(held), _card(card)]

    def _put_deal(self, deal: Deal) -> list:
        self.deals[deal.id] = deal
        return [deal.id, deal.company_id, deal.contact_id, _day(deal.succeeded_on), deal.category_id]

    def _put_invoice(self, invoice: Invoice) -> list:
        self.invoices[invoice.key] = invoice
        return [invoice.key, invoice.deal_id, invoice.company_id, invoice.contact_id, _day(invoice.succeeded_on)]

    def delete(self, kind: str, ids: Iterable[int]) -> dict:
        ids = list(ids)
        for rid in ids:
            self._drop(kind, rid)
        return {"deleted": {kind: ids}}

    def _drop(self, kind: str, rid: int) -> None:
        if kind == "contacts":
            self.contacts.pop(rid, None)
            self.held.pop((CONTACT, rid), None)
            self.cards.pop((CONTACT, rid), None)
        elif kind == "companies":
            self.companies.pop(rid, None)
            self.held.pop((COMPANY, rid), None)
            self.cards.pop((COMPANY, rid), None)
        elif kind == "deals":
            self.deals.pop(rid, None)
        elif kind in ("invoices", "legacy_invoices"):
            prefix = "invoice" if kind == "invoices" else "legacy_invoice"
            self.invoices.pop(f"{prefix}:{rid:012d}", None)
        elif kind == "activities":
            self.activities.pop(rid, None)
        elif kind == "requisites":
            self.requisites.pop(rid, None)

    def ids(self, kind: str) -> set[int]:
        if kind in ("invoices", "legacy_invoices"):
            prefix = "invoice:" if kind == "invoices" else "legacy_invoice:"
            return {int(k.split(":")[1]) for k in self.invoices if k.startswith(prefix)}
        table = {"contacts": self.contacts, "companies": self.companies, "deals": self.deals,
                 "activities": self.activities, "requisites": self.requisites}[kind]
        return set(table)

    def count(self, kind: str) -> int:
        return len(self.ids(kind))

    def remember_written(self, ref: Ref, held: Held, window: tuple[float, float]) -> dict:
        self.held[ref] = held
        self.written_at[ref] = window
        return {"held": [[ref[0], ref[1], list(held), window[0], window[1]]]}

    # --- replaying chunks --------------------------------------------------------

    def replay(self, chunk: Mapping) -> None:
        """Apply a saved chunk (the inverse of what fold/delete/remember_written returned)."""
        for row in chunk.get("contacts", []):
            self._put_contact(Contact(row[0], tuple(row[1]), row[2]), tuple(row[3]), _uncard(row[4]))
        for row in chunk.get("companies", []):
            self._put_company(Company(row[0], row[1], row[2]), tuple(row[3]), _uncard(row[4]))
        for row in chunk.get("deals", []):
            self._put_deal(Deal(row[0], row[1], row[2], _undate(row[3]), row[4]))
        for kind in ("invoices", "legacy_invoices"):
            for row in chunk.get(kind, []):
                self._put_invoice(Invoice(row[0], row[1], row[2], row[3], _undate(row[4])))
        for rid, owners in chunk.get("activities", []):
            self.activities[rid] = tuple((o[0], o[1]) for o in owners)
        for rid, owner in chunk.get("requisites", []):
            if owner:
                self.requisites[rid] = (owner[0], owner[1])
        for kind, ids in (chunk.get("deleted") or {}).items():
            for rid in ids:
                self._drop(kind, rid)
        for entity, rid, held, *window in chunk.get("held", []):
            self.held[(entity, rid)] = tuple(held)
            if window:
                self.written_at[(entity, rid)] = (window[0], window[1])

    def crm(self) -> Crm:
        """The CRM the rules classify — the same input the `classify` command builds from a snapshot."""
        crm = Crm(contacts=dict(self.contacts), companies=dict(self.companies),
                  deals=list(self.deals.values()), invoices=list(self.invoices.values()))
        for owners in self.activities.values():
            crm.with_activities.update(owners)
        crm.with_requisites.update(self.requisites.values())
        return crm


def _held(raw: Mapping) -> Held:
    return tuple(_plain(raw.get(name)) for name in UF_NAMES)


def _plain(value: object) -> object:
    """A UF value as JSON keeps it (lists of one for multiple fields are not used here)."""
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _undate(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _card(card: Card) -> list:
    return [card.name, card.responsible_id, _day(card.created), _day(card.modified), _day(card.last_touch),
            card.modified_by_app]


def _uncard(row: list) -> Card:
    return Card(row[0], row[1], _undate(row[2]), _undate(row[3]), _undate(row[4]), bool(row[5:6] and row[5]))
