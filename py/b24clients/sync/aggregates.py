"""What the engine keeps per record between runs, and how a month's rows fold in.

The aggregates are the rules' own records (`model.py`), normalised at the
edge by `records.py` exactly as the `classify` command does (deals and
invoices with their amounts, currencies and creation dates, so the ranks
need no pass of their own; activities with their kind, completion, dates and
responsible, so the Planning mode's bands need none either), plus the values
of our fields the CRM currently holds for each contact and company (so
write-back sends only differences), plus each one's Card (what the client
list shows).  They are saved as chunks: each month's rows, each catch-up,
each incremental run — replayed in order on load.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timezone
from decimal import Decimal

from .. import records
from ..cards import Card, card as read_card
from ..incremental import CrmChange
from ..model import COMPANY, CONTACT, Activity, Company, Contact, Crm, Deal, Invoice, Ref
from ..problems import DataProblem, problem, row_id
from ..steps import STEP, Steps, finish
from .fields import UF_NAMES

Held = tuple
"""Our user-field values as the CRM holds them, in FIELDS order."""


class Aggregates:
    def __init__(self) -> None:
        self.contacts: dict[int, Contact] = {}
        self.companies: dict[int, Company] = {}
        self.deals: dict[int, Deal] = {}
        self.invoices: dict[str, Invoice] = {}
        self.activities: dict[int, Activity] = {}
        """Every activity this user may read, as the touches and bands take it (planning.md
        "Speed"); its owners are what `with_activities` counts."""
        self.shared = Shared()
        self.requisites: dict[int, Ref] = {}
        self.held: dict[Ref, Held] = {}
        self.cards: dict[Ref, Card] = {}
        self.written_at: dict[Ref, tuple[float, float]] = {}
        """When our write-back changed a record (portal time, from the batch's answer)."""
        self.ours: Callable[[Mapping], bool] | None = None
        """Was a contact's or company's last change our own write-back? (`cards.written_by`)"""
        self.with_activities: Counter[Ref] = Counter()
        self.with_requisites: Counter[Ref] = Counter()
        """How many activities / requisites each contact and company has (only those with some)."""
        self.invoice_counts: Counter[str] = Counter()
        """Smart and legacy invoices held, by key prefix."""
        self.touched: dict[str, set] = {name: set() for name in TOUCHED}
        """What was put or dropped since `take_change`: record keys, and refs whose flags may differ."""
        self.problems: dict[tuple[str, str], str] = {}
        """Rows skipped as unreadable (problems.py): (kind, ID as given) → why.  A record read
        well later, or deleted, leaves the list."""
        self._spans: dict[str, tuple[int, tuple[int, int] | None]] = {}
        """`id_span` of each kind, with the count it was taken at."""

    # --- folding REST rows -----------------------------------------------------

    def fold(self, kind: str, rows: Iterable[Mapping], stages: records.StageBook, tz: timezone) -> dict:
        """Normalise rows of one kind into the aggregates; returns the chunk that records it.

        A row that cannot be read (problems.py) is skipped and named; whatever this
        record was before leaves the aggregates with it, so the rules see the CRM as
        if the row did not exist."""
        encoded, skipped = [], []
        for raw in rows:
            reason = problem(kind, raw)
            if reason is None:
                try:
                    encoded.append(self._fold_one(kind, raw, stages, tz))
                    continue
                except Exception as error:  # noqa: BLE001 - one row must never stop a run
                    reason = f"unreadable ({type(error).__name__})"
            skipped.append([kind, row_id(raw), reason])
        chunk: dict = {kind: encoded}
        if skipped:
            gone = [int(key) for _, key, _ in skipped if key.isdigit()]
            if gone:
                chunk["deleted"] = self.delete(kind, gone)["deleted"]
            self._note(skipped)
            chunk["problems"] = skipped
        return chunk

    def _note(self, skipped: list[list[str]]) -> None:
        for kind, key, reason in skipped:
            self.problems[(kind, key)] = reason

    def solved(self, kind: str, keys: Iterable[str]) -> dict:
        """Problems of rows whose ID was no ID, gone from the portal; returns the chunk that records it."""
        keys = sorted(keys)
        for key in keys:
            self.problems.pop((kind, key), None)
        return {"solved": [[kind, key] for key in keys]} if keys else {}

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
            activity = self.shared.activity(records.activity(raw, tz))
            self._put_activity(activity.id, activity)
            return _activity_row(activity)
        if kind == "requisites":
            rid, owner = records.record_id(raw), records.requisite_owner(raw)
            self._put_requisite(rid, owner)
            return [rid, list(owner) if owner else None]
        raise ValueError(f"unknown kind {kind}")

    def _put_contact(self, contact: Contact, held: Held, card: Card) -> list:
        if self._differs(self.contacts, contact, CONTACT, held, card):
            self.touched["contacts"].add(contact.id)
        self.contacts[contact.id] = contact
        self.held[(CONTACT, contact.id)] = held
        self.cards[(CONTACT, contact.id)] = card
        self.problems.pop(("contacts", str(contact.id)), None)
        return [contact.id, list(contact.company_ids), contact.has_contact_data, list(held), _card(card)]

    def _put_company(self, company: Company, held: Held, card: Card) -> list:
        if self._differs(self.companies, company, COMPANY, held, card):
            self.touched["companies"].add(company.id)
        self.companies[company.id] = company
        self.held[(COMPANY, company.id)] = held
        self.cards[(COMPANY, company.id)] = card
        self.problems.pop(("companies", str(company.id)), None)
        return [company.id, company.is_mine, company.has_contact_data, list(held), _card(card)]

    def _put_deal(self, deal: Deal) -> list:
        if self.deals.get(deal.id) != deal:
            self.touched["deals"].add(deal.id)
        self.deals[deal.id] = deal
        self.problems.pop(("deals", str(deal.id)), None)
        return [deal.id, deal.company_id, deal.contact_id, _day(deal.succeeded_on), deal.category_id,
                _amount(deal.amount), deal.currency, _day(deal.created_on)]

    def _put_invoice(self, invoice: Invoice) -> list:
        prefix, _, number = invoice.key.partition(":")
        if invoice.key not in self.invoices:
            self.invoice_counts[prefix] += 1
        if self.invoices.get(invoice.key) != invoice:
            self.touched["invoices"].add(invoice.key)
        self.invoices[invoice.key] = invoice
        self.problems.pop((KIND_OF_PREFIX[prefix], str(int(number))), None)
        return [invoice.key, invoice.deal_id, invoice.company_id, invoice.contact_id, _day(invoice.succeeded_on),
                _amount(invoice.amount), invoice.currency, _day(invoice.created_on)]

    def _differs(self, table: dict, record, entity: str, held: Held, card: Card) -> bool:
        """Is a record read again anything new?  (A run re-reads the rows of its overlap and
        our own writes' neighbours: the same values are no change, so a Refresh that finds
        only those keeps its dashboard.)"""
        ref = (entity, record.id)
        return table.get(record.id) != record or self.held.get(ref) != held or self.cards.get(ref) != card

    def _put_activity(self, rid: int, activity: Activity | None) -> None:
        """An activity replaces what it was, owners and facts (None: the activity is gone)."""
        self.problems.pop(("activities", str(rid)), None)
        old = self.activities.pop(rid, None)
        _recount(self.with_activities, old.owners if old else (), activity.owners if activity else (),
                 self.touched["with_activities"])
        if activity is not None:
            self.activities[rid] = activity

    def _put_requisite(self, rid: int, owner: Ref | None) -> None:
        self.problems.pop(("requisites", str(rid)), None)
        old = self.requisites.pop(rid, None)
        _recount(self.with_requisites, (old,) if old else (), (owner,) if owner else (),
                 self.touched["with_requisites"])
        if owner is not None:
            self.requisites[rid] = owner

    def delete(self, kind: str, ids: Iterable[int]) -> dict:
        ids = list(ids)
        for rid in ids:
            self._drop(kind, rid)
        return {"deleted": {kind: ids}}

    def _drop(self, kind: str, rid: int) -> None:
        self.problems.pop((kind, str(rid)), None)
        if kind in ("contacts", "companies"):
            entity = CONTACT if kind == "contacts" else COMPANY
            (self.contacts if kind == "contacts" else self.companies).pop(rid, None)
            self.held.pop((entity, rid), None)
            self.cards.pop((entity, rid), None)
            self.touched[kind].add(rid)
        elif kind == "deals":
            self.deals.pop(rid, None)
            self.touched["deals"].add(rid)
        elif kind in INVOICE_PREFIXES:
            key = f"{INVOICE_PREFIXES[kind]}:{rid:012d}"
            if self.invoices.pop(key, None) is not None:
                self.invoice_counts[INVOICE_PREFIXES[kind]] -= 1
            self.touched["invoices"].add(key)
        elif kind == "activities":
            self._put_activity(rid, None)
        elif kind == "requisites":
            self._put_requisite(rid, None)

    def ids(self, kind: str) -> set[int]:
        if kind in INVOICE_PREFIXES:
            prefix = INVOICE_PREFIXES[kind] + ":"
            return {int(k.split(":")[1]) for k in self.invoices if k.startswith(prefix)}
        return set(self._table(kind))

    def id_span(self, kind: str) -> tuple[int, int] | None:
        """The lowest and highest ID held of a kind (None: none): a Refresh cuts its count
        ranges from it before its first request.  Kept while the kind's count stays the
        same: the ranges are correct whatever their cuts (`engine._id_window`), and the
        passes over every ID cost 0.1 s in the page at 85k, before the first count of a
        Refresh with nothing changed."""
        count = self.count(kind)
        known = self._spans.get(kind)
        if known is None or known[0] != count:
            ids = self.ids(kind) if kind in INVOICE_PREFIXES else self._table(kind)
            known = self._spans[kind] = (count, (min(ids), max(ids)) if ids else None)
        return known[1]

    def count(self, kind: str) -> int:
        if kind in INVOICE_PREFIXES:
            return self.invoice_counts[INVOICE_PREFIXES[kind]]
        return len(self._table(kind))

    def problem_keys(self, kind: str) -> set[str]:
        """The IDs (as given) of this kind's skipped rows: the portal counts them, we do not hold them."""
        return {key for problem_kind, key in self.problems if problem_kind == kind}

    def problem_list(self) -> list[DataProblem]:
        return [DataProblem(kind, key, reason) for (kind, key), reason in sorted(self.problems.items())]

    def _table(self, kind: str) -> dict:
        return {"contacts": self.contacts, "companies": self.companies, "deals": self.deals,
                "activities": self.activities, "requisites": self.requisites}[kind]

    def remember_written(self, ref: Ref, held: Held, window: tuple[float, float]) -> dict:
        self.held[ref] = held
        self.written_at[ref] = window
        return {"held": [[ref[0], ref[1], list(held), window[0], window[1]]]}

    # --- replaying chunks --------------------------------------------------------

    def replay(self, chunk: Mapping) -> None:
        """Apply a saved chunk (the inverse of what fold/delete/remember_written returned)."""
        finish(self.replay_steps(chunk))

    def replay_steps(self, chunk: Mapping) -> Steps[None]:
        """`replay` as a step generator: a pause every STEP rows (the month of a bulk import
        holds thousands of each kind)."""
        yield from _each(chunk.get("contacts", []), lambda row: self._put_contact(
            Contact(row[0], tuple(row[1]), row[2]), tuple(row[3]), _uncard(row[4])))
        yield from _each(chunk.get("companies", []), lambda row: self._put_company(
            Company(row[0], row[1], row[2]), tuple(row[3]), _uncard(row[4])))
        yield from _each(chunk.get("deals", []), lambda row: self._put_deal(
            Deal(row[0], row[1], row[2], _undate(row[3]), row[4], _unamount(row[5]), row[6], _undate(row[7]))))
        for kind in INVOICE_PREFIXES:
            yield from _each(chunk.get(kind, []), lambda row: self._put_invoice(
                Invoice(row[0], row[1], row[2], row[3], _undate(row[4]), _unamount(row[5]), row[6],
                        _undate(row[7]))))
        yield from _each(chunk.get("activities", []), lambda row: self._put_activity(
            row[0], self.shared.unrow(row)))
        yield from _each(chunk.get("requisites", []), lambda row: self._put_requisite(
            row[0], (row[1][0], row[1][1]) if row[1] else None))
        for kind, ids in (chunk.get("deleted") or {}).items():
            for rid in ids:
                self._drop(kind, rid)
        self._note(chunk.get("problems", []))
        for kind, key in chunk.get("solved", []):
            self.problems.pop((kind, key), None)
        yield from _each(chunk.get("held", []), self._put_held)

    def _put_held(self, row: list) -> None:
        entity, rid, held, *window = row
        self.held[(entity, rid)] = tuple(held)
        if window:
            self.written_at[(entity, rid)] = (window[0], window[1])

    def crm(self) -> Crm:
        """The CRM the rules classify — the same input the `classify` command builds from a snapshot."""
        return Crm(contacts=dict(self.contacts), companies=dict(self.companies), deals=list(self.deals.values()),
                   invoices=list(self.invoices.values()), with_activities=set(self.with_activities),
                   with_requisites=set(self.with_requisites))

    def drop_change(self) -> None:
        """Forget what was put or dropped: a full classification reads everything anyway
        (after a first run, listing it is every record: 85,000 lookups in one go)."""
        self.touched = {name: set() for name in TOUCHED}

    def take_change(self) -> CrmChange:
        """What was put or dropped since the last call, as the classification takes it."""
        touched, self.touched = self.touched, {name: set() for name in TOUCHED}
        return CrmChange(
            contacts={i: self.contacts.get(i) for i in touched["contacts"]},
            companies={i: self.companies.get(i) for i in touched["companies"]},
            deals={i: self.deals.get(i) for i in touched["deals"]},
            invoices={k: self.invoices.get(k) for k in touched["invoices"]},
            with_activities={ref: ref in self.with_activities for ref in touched["with_activities"]},
            with_requisites={ref: ref in self.with_requisites for ref in touched["with_requisites"]},
        )


TOUCHED = ("contacts", "companies", "deals", "invoices", "with_activities", "with_requisites")
INVOICE_PREFIXES = {"invoices": "invoice", "legacy_invoices": "legacy_invoice"}
"""Each invoice kind and the prefix of its keys (`records.invoice_key`)."""
KIND_OF_PREFIX = {prefix: kind for kind, prefix in INVOICE_PREFIXES.items()}


class Shared:
    """One object per distinct day, person, kind and entity name among the activities.

    A real portal's 85k clients have hundreds of thousands of activities; each
    holding its own date (32 bytes), user ID (28) and strings from JSON (56 and
    more) would cost more than the record itself, while they take only a few
    thousand distinct values.  `activity` and `unrow` give records that point at
    the shared ones."""

    def __init__(self) -> None:
        self._seen: dict = {}

    def one(self, value):
        """The shared object equal to `value` (ints, dates, str; never bools, which equal 1 and 0)."""
        return None if value is None else self._seen.setdefault(value, value)

    def activity(self, a: Activity) -> Activity:
        return Activity(a.id, a.kind, a.completed, a.owners, a.deal_ids, a.invoice_keys,
                        self.one(a.responsible_id), self.one(a.done_on), self.one(a.deadline))

    def unrow(self, row: list) -> Activity:
        """The inverse of `_activity_row`."""
        one = self.one
        return Activity(row[0], one(row[2]), bool(row[3]), tuple((one(o[0]), o[1]) for o in row[1]),
                        tuple(row[7]), tuple(row[8]), one(row[4]), self.day(row[5]), self.day(row[6]))

    def day(self, ordinal: int | None) -> date | None:
        return None if ordinal is None else self.one(date.fromordinal(ordinal))


def _activity_row(a: Activity) -> list:
    """An activity in a chunk: ID, owners, kind, completed, responsible, the days it was
    completed and is due (ordinals: shorter than ISO text, and quicker to read back),
    deals, invoice keys."""
    return [a.id, [list(o) for o in a.owners], a.kind, a.completed, a.responsible_id, _ordinal(a.done_on),
            _ordinal(a.deadline), list(a.deal_ids), list(a.invoice_keys)]


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _each(rows: list, put: Callable[[list], None]) -> Steps[None]:
    for n, row in enumerate(rows, 1):
        put(row)
        if n % STEP == 0:
            yield


def _recount(counts: Counter, old: Iterable[Ref], new: Iterable[Ref], touched: set[Ref]) -> None:
    """Move a record's contribution to per-ref counts from `old` owners to `new` ones
    (a ref whose count drops to zero leaves the counter); `touched` gets the refs whose
    flag (any record at all) turned on or off."""
    old, new = tuple(old), tuple(new)
    before = {ref: ref in counts for ref in (*old, *new)}
    for ref in old:
        counts[ref] -= 1
        if counts[ref] <= 0:
            del counts[ref]
    for ref in new:
        counts[ref] += 1
    touched.update(ref for ref, was in before.items() if (ref in counts) != was)


def _held(raw: Mapping) -> Held:
    return tuple(_plain(raw.get(name)) for name in UF_NAMES)


def _plain(value: object) -> object:
    """A UF value as JSON keeps it (lists of one for multiple fields are not used here).
    Anything no field of ours can hold (an object, a number too long to print) is as
    good as empty: the write-back puts the right value there."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int) and abs(value) < records.MAX_ID:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _undate(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _amount(value: Decimal | None) -> str | None:
    """An amount as exact text ("19999.99"): JSON numbers are floats, and ranks tie on exact sums."""
    return None if value is None else str(value)


def _unamount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _card(card: Card) -> list:
    return [card.name, card.responsible_id, _day(card.created), _day(card.modified), _day(card.last_touch),
            card.modified_by_app]


def _uncard(row: list) -> Card:
    return Card(row[0], row[1], _undate(row[2]), _undate(row[3]), _undate(row[4]), bool(row[5:6] and row[5]))
