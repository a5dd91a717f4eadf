"""The portal pass's memory: every fact the ladder derives a status from, record
by record, as the whole CRM shows it to an admin.

The ladder is a pure function of each client's history (docs/ladder.md), but
the CRM keeps no history of its own that a pass could re-read cheaply: so the
pass folds what changed since its last read into this ledger, and saves what
it folded as one more chunk (`ladder_store.py`, in the admins-only `ledger`
storage) — the next pass, on this device or any other, replays the chunks and
reads only what changed since.  Facts are kept per record (contact, company,
deal, activity), not per client, so that a new working entity, a contact
moving to another company, or a deal's new company re-groups them correctly.

Kept: contacts (created, responsible, linked companies, the two status
fields as the CRM holds them), companies (the same, and whether the seller's
own), deals (company, contacts, opened, outcome, closed, pipeline), activities
(kind, created, deadline, completed at, what they are bound to; never the
ladder's own alarm to-dos) and people's status changes per client.  A
completed activity is a touch at its completion; a to-do, call or meeting is a
planned touch from its creation until its deadline — or until it was
completed, so a pause that happened stays in the history when it is closed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from ... import records
from ...clients import client_of_contact, parent_companies
from ...dates import portal_datetime
from ...ladder import Alarm, Client, ClientHistory, Deal, LadderSettings, Planned, StatusChange, Touch, Written
from ...ladder.settings import WorkingEntity
from ...model import COMPANY, CONTACT, Company, Contact, Crm, Entity, Ref
from . import fields as ladder_fields
from .fields import Items

ALARM_TAG = "[b24clients:ladder"
"""Ends the description of every alarm to-do ("[b24clients:ladder:cold]"): how the
passes find their own to-dos, and keep them out of the touches and planned touches."""
PLANNED_KINDS = frozenset({"todo", "call", "meeting"})
"""What pauses decay while open (status-ladder.md "A planned touch pauses decay")."""
OUTCOMES = {"S": "won", "F": "lost"}
CLOSED_DATES = ("closedate", "CLOSEDATE", "movedTime", "MOVED_TIME", "updatedTime", "DATE_MODIFY")
"""When a won or lost deal closed: as the classification dates a win (records.DEAL_SUCCESS_DATES)."""


@dataclass(frozen=True, slots=True)
class Party:
    """A contact or a company."""

    created: date
    responsible: int | None
    companies: tuple[int, ...] = ()
    """A contact's linked companies, the primary one first."""
    mine: bool = False
    """A company that is the seller's own: never a client."""
    held: Written = field(default_factory=Written)
    """The status fields as the CRM holds them (as read, or as this app wrote them)."""


@dataclass(frozen=True, slots=True)
class DealFacts:
    company: int | None
    contacts: tuple[int, ...]
    opened: date
    outcome: str
    """"open", "won" or "lost"."""
    closed: date | None
    category: int | None


@dataclass(frozen=True, slots=True)
class Act:
    """An activity (never one of the ladder's own alarms)."""

    kind: str
    created: datetime
    deadline: date | None
    done: datetime | None
    """When it was completed (LAST_UPDATED of a completed activity, docs/history.md); None while open."""
    contacts: tuple[int, ...] = ()
    companies: tuple[int, ...] = ()
    deals: tuple[int, ...] = ()

    def touch(self) -> Touch | None:
        return Touch(self.kind, self.done) if self.done is not None else None

    def planned(self) -> Planned | None:
        """Open from its creation until its deadline, or until it was done if that came first."""
        if self.kind not in PLANNED_KINDS or self.deadline is None:
            return None
        end = min(self.deadline, self.done.date()) if self.done is not None else self.deadline
        return Planned(self.created.date(), end) if end >= self.created.date() else None


@dataclass(frozen=True, slots=True)
class Subject:
    """One ladder subject (a client, a contact or a company, by the working entity) and its history."""

    party: Party
    history: ClientHistory


def is_alarm(raw: Mapping) -> bool:
    return ALARM_TAG in str(records.field(raw, "DESCRIPTION", "description") or "")


class Ledger:
    def __init__(self, tz: timezone) -> None:
        self.tz = tz
        self.contacts: dict[int, Party] = {}
        self.companies: dict[int, Party] = {}
        self.deals: dict[int, DealFacts] = {}
        self.acts: dict[int, Act] = {}
        self.changes: dict[Ref, tuple[StatusChange, ...]] = {}

    def party(self, ref: Ref) -> Party | None:
        return (self.contacts if ref[0] == CONTACT else self.companies).get(ref[1])

    # --- folding REST rows: each returns the chunk that records what it changed ----------

    def fold_parties(self, entity: Entity, rows: Iterable[Mapping], items: Items) -> dict:
        """crm.item.list rows of contacts or companies (with the two status fields)."""
        table = self.contacts if entity == CONTACT else self.companies
        out = []
        for raw in rows:
            rid = records.record_id(raw)
            created = records.first_date(raw, ("createdTime", "DATE_CREATE"), self.tz)
            old = table.get(rid)
            party = Party(
                created=created or (old.created if old else date.min),
                responsible=records.ref_id(records.field(raw, "assignedById", "ASSIGNED_BY_ID")),
                companies=tuple(records.ref_ids(records.field(raw, "companyIds", "COMPANY_IDS"))),
                mine=records.is_yes(records.field(raw, "isMyCompany", "IS_MY_COMPANY")),
                held=ladder_fields.held(raw, items))
            table[rid] = party
            out.append(_party_row(rid, party))
        return {entity: out}

    def fold_deals(self, rows: Iterable[Mapping]) -> dict:
        out = []
        for raw in rows:
            rid = records.record_id(raw)
            opened = records.first_date(raw, ("createdTime", "DATE_CREATE"), self.tz)
            if opened is None:
                continue
            outcome = OUTCOMES.get(str(records.field(raw, "stageSemanticId", "STAGE_SEMANTIC_ID") or ""), "open")
            company = records.ref_id(records.field(raw, "companyId", "COMPANY_ID"))
            contacts = records.ref_ids(records.field(raw, "contactIds", "CONTACT_IDS"))
            contact = records.ref_id(records.field(raw, "contactId", "CONTACT_ID"))
            if contact is not None and contact not in contacts:
                contacts.insert(0, contact)
            deal = DealFacts(company, tuple(contacts), opened, outcome,
                             records.first_date(raw, CLOSED_DATES, self.tz) if outcome != "open" else None,
                             records.category_id(records.field(raw, "categoryId", "CATEGORY_ID")))
            self.deals[rid] = deal
            out.append(_deal_row(rid, deal))
        return {"deals": out}

    def fold_activities(self, rows: Iterable[Mapping]) -> dict:
        """crm.activity.list rows; the ladder's own alarms are left out (and dropped if known)."""
        out, gone = [], []
        for raw in rows:
            rid = records.record_id(raw)
            created = portal_datetime(records.field(raw, "CREATED", "created"), self.tz)
            if is_alarm(raw) or created is None:
                if self.acts.pop(rid, None) is not None:
                    gone.append(rid)
                continue
            activity = records.activity(raw, self.tz)
            done = (portal_datetime(records.field(raw, "LAST_UPDATED", "lastUpdated"), self.tz) or created
                    if activity.completed else None)
            act = Act(activity.kind, created, activity.deadline, done,
                      tuple(i for e, i in activity.owners if e == CONTACT),
                      tuple(i for e, i in activity.owners if e == COMPANY), activity.deal_ids)
            self.acts[rid] = act
            out.append(_act_row(rid, act))
        return {"acts": out, "deleted": {"acts": gone}} if gone else {"acts": out}

    def forget(self, kind: str, ids: Iterable[int]) -> dict:
        """Records gone from the portal (deleted): "contact", "company" or "deals"."""
        ids = sorted(ids)
        table = {CONTACT: self.contacts, COMPANY: self.companies, "deals": self.deals, "acts": self.acts}[kind]
        for rid in ids:
            table.pop(rid, None)
        return {"deleted": {kind: ids}}

    def record_changes(self, changes: Iterable[tuple[Ref, StatusChange]]) -> dict:
        """People's status changes (and the confirmed starting point); a change already kept is not added twice."""
        out = []
        for ref, change in changes:
            kept = self.changes.get(ref, ())
            if change in kept:
                continue
            self.changes[ref] = tuple(sorted((*kept, change), key=lambda c: c.at))
            out.append(_change_row(ref, change))
        return {"changes": out}

    def hold(self, ref: Ref, written: Written, responsible: int | None = None) -> dict:
        """What this app just wrote into a record (its fields, and a new responsible)."""
        party = self.party(ref)
        if party is None:
            return {}
        party = replace(party, held=written, responsible=responsible or party.responsible)
        (self.contacts if ref[0] == CONTACT else self.companies)[ref[1]] = party
        return {ref[0]: [_party_row(ref[1], party)]}

    # --- replaying saved chunks ----------------------------------------------------------

    def replay(self, chunk: Mapping) -> None:
        """Apply a saved chunk: the inverse of what the fold_* methods returned."""
        for entity in (CONTACT, COMPANY):
            table = self.contacts if entity == CONTACT else self.companies
            for row in chunk.get(entity, ()):
                rid, party = _unparty(row)
                table[rid] = party
        for row in chunk.get("deals", ()):
            rid, deal = _undeal(row)
            self.deals[rid] = deal
        for row in chunk.get("acts", ()):
            rid, act = _unact(row, self.tz)
            self.acts[rid] = act
        for kind, ids in (chunk.get("deleted") or {}).items():
            self.forget(kind, ids)
        self.record_changes(_unchange(row, self.tz) for row in chunk.get("changes", ()))

    def chunks(self, rows_per_chunk: int) -> list[dict]:
        """The whole ledger as chunks of at most `rows_per_chunk` rows (compaction)."""
        rows = [(CONTACT, _party_row(rid, p)) for rid, p in sorted(self.contacts.items())]
        rows += [(COMPANY, _party_row(rid, p)) for rid, p in sorted(self.companies.items())]
        rows += [("deals", _deal_row(rid, d)) for rid, d in sorted(self.deals.items())]
        rows += [("acts", _act_row(rid, a)) for rid, a in sorted(self.acts.items())]
        rows += [("changes", _change_row(ref, c)) for ref, kept in sorted(self.changes.items()) for c in kept]
        out = []
        for start in range(0, len(rows), rows_per_chunk):
            chunk: dict = defaultdict(list)
            for kind, row in rows[start:start + rows_per_chunk]:
                chunk[kind].append(row)
            out.append(dict(chunk))
        return out

    # --- what the ladder walks -------------------------------------------------------------

    def subjects(self, entity: WorkingEntity, pipelines: frozenset[int] | None = None) -> dict[Ref, Subject]:
        """Every subject of the working entity with its history (docs/ladder.md
        "Contacts, companies and clients"): a member contact's facts count for its
        company's client; deals outside the counted pipelines do not count."""
        crm = Crm(contacts={i: Contact(i, p.companies) for i, p in self.contacts.items()},
                  companies={i: Company(i, p.mine) for i, p in self.companies.items()})
        parents = parent_companies(crm)
        group = Grouping(entity, parents, frozenset(i for i, p in self.companies.items() if not p.mine))
        parties: dict[Ref, Party] = {}
        if entity != COMPANY:
            parties.update({(CONTACT, i): p for i, p in self.contacts.items()
                            if entity == CONTACT or i not in parents})
        if entity != CONTACT:
            parties.update({(COMPANY, i): p for i, p in self.companies.items() if not p.mine})
        deals: dict[Ref, list[Deal]] = defaultdict(list)
        deal_subjects: dict[int, tuple[Ref, ...]] = {}
        for rid, facts in self.deals.items():
            if pipelines is not None and facts.category not in pipelines:
                continue
            deal_subjects[rid] = group.of_deal(facts)
            for ref in deal_subjects[rid]:
                deals[ref].append(Deal(rid, facts.opened, facts.outcome, facts.closed))
        touches: dict[Ref, list[Touch]] = defaultdict(list)
        planned: dict[Ref, list[Planned]] = defaultdict(list)
        for act in self.acts.values():
            refs = {ref for c in act.contacts for ref in group.of_contact(c)}
            refs |= {ref for c in act.companies for ref in group.of_company(c)}
            refs |= {ref for d in act.deals for ref in deal_subjects.get(d, ())}
            touch, pause = act.touch(), act.planned()
            for ref in refs:
                if touch is not None:
                    touches[ref].append(touch)
                if pause is not None:
                    planned[ref].append(pause)
        return {ref: Subject(party, ClientHistory(
                    ref, party.created, tuple(sorted(deals[ref], key=lambda d: d.id)),
                    tuple(sorted(touches[ref], key=lambda t: t.at)),
                    tuple(sorted(planned[ref], key=lambda p: (p.created, p.deadline))),
                    self.changes.get(ref, ())))
                for ref, party in parties.items()}


def tracked(subjects: Mapping[Ref, Subject], settings: LadderSettings, alarms: Mapping[Ref, Alarm]) -> list[Client]:
    """The subjects a pass must look at: those someone started tracking (a recorded
    change), those created since the start (they become New), and any with an alarm
    to close; every other client is untracked, and nothing can happen to it."""
    out = []
    for ref, subject in sorted(subjects.items()):
        new = settings.started_on is not None and subject.party.created >= settings.started_on
        if subject.history.changes or new or ref in alarms:
            out.append(Client(subject.history, subject.party.responsible or 0, subject.party.held, alarms.get(ref)))
    return out


@dataclass(frozen=True, slots=True)
class Grouping:
    """Which subjects a contact's, a company's or a deal's facts count for."""

    entity: WorkingEntity
    parents: Mapping[int, int]
    """Member contact → its client company (clients.parent_companies)."""
    client_companies: frozenset[int]
    """The companies that are not the seller's own."""

    def of_contact(self, contact: int) -> tuple[Ref, ...]:
        if self.entity == CONTACT:
            return ((CONTACT, contact),)
        ref = client_of_contact(contact, self.parents)
        return (ref,) if self.entity == "client" or ref[0] == COMPANY else ()

    def of_company(self, company: int) -> tuple[Ref, ...]:
        return ((COMPANY, company),) if self.entity != CONTACT and company in self.client_companies else ()

    def of_deal(self, deal: DealFacts) -> tuple[Ref, ...]:
        """Contacts: every contact of the deal.  Clients and companies: its company
        when that is a client, else its first contact's client (payments.owner)."""
        if self.entity == CONTACT:
            return tuple((CONTACT, c) for c in deal.contacts)
        if deal.company is not None and self.of_company(deal.company):
            return ((COMPANY, deal.company),)
        return self.of_contact(deal.contacts[0]) if deal.contacts else ()


# --- the chunk rows: compact JSON (dates as ordinals, moments as epoch seconds) ------------------

def _ord(day: date | None) -> int | None:
    return day.toordinal() if day else None


def _day(value: int | None) -> date | None:
    return date.fromordinal(value) if value else None


def _epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def _moment(value: int | None, tz: timezone) -> datetime | None:
    return datetime.fromtimestamp(value, tz) if value is not None else None


def _party_row(rid: int, p: Party) -> list:
    return [rid, _ord(p.created), p.responsible, list(p.companies), int(p.mine), p.held.status, _ord(p.held.since)]


def _unparty(row: list) -> tuple[int, Party]:
    rid, created, responsible, companies, mine, status, since = row
    held = Written(status, _day(since))
    return rid, Party(_day(created) or date.min, responsible, tuple(companies), bool(mine), held)


def _deal_row(rid: int, d: DealFacts) -> list:
    return [rid, d.company, list(d.contacts), _ord(d.opened), d.outcome, _ord(d.closed), d.category]


def _undeal(row: list) -> tuple[int, DealFacts]:
    rid, company, contacts, opened, outcome, closed, category = row
    return rid, DealFacts(company, tuple(contacts), _day(opened), outcome, _day(closed), category)


def _act_row(rid: int, a: Act) -> list:
    return [rid, a.kind, _epoch(a.created), _ord(a.deadline), _epoch(a.done), list(a.contacts), list(a.companies),
            list(a.deals)]


def _unact(row: list, tz: timezone) -> tuple[int, Act]:
    rid, kind, created, deadline, done, contacts, companies, deals = row
    return rid, Act(kind, _moment(created, tz), _day(deadline), _moment(done, tz), tuple(contacts), tuple(companies),
                    tuple(deals))


def _change_row(ref: Ref, c: StatusChange) -> list:
    return [ref[0], ref[1], _epoch(c.at), c.status, c.author, _ord(c.since)]


def _unchange(row: list, tz: timezone) -> tuple[Ref, StatusChange]:
    entity, rid, at, status, author, since = row
    return (entity, rid), StatusChange(_moment(at, tz), status, author, since=_day(since))
