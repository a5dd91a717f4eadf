"""Putting rules.md §1–§6 together: one row per contact and company, and the counts.

A pure function of the CRM, today's date and the thresholds, so the sync
engine can recompute it on every run and time alone moves clients along.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Set
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from .clients import B2B, B2C, COMPANY_CONTACT, ClientType, parent_steps
from .lifecycle import (
    FREQUENCIES,
    LIFECYCLES,
    Boundaries,
    Frequency,
    Lifecycle,
    Thresholds,
    frequency,
    unpaid_lifecycle,
)
from .model import COMPANY, CONTACT, Crm, Deal, Entity, Ref
from .payments import owner, summaries
from .steps import STEP, Steps, finish, with_pauses

if TYPE_CHECKING:
    from .snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class ClientRow:
    """What §6 writes back for one contact or company.

    A member contact carries its parent company's lifecycle, frequency, last
    payment and payment count; its two flags stay its own.
    """

    entity: Entity
    id: int
    client_type: ClientType
    parent_company_id: int | None
    lifecycle: Lifecycle
    frequency: Frequency
    last_payment: date | None
    payments: int
    has_dialogs: bool
    has_contact_data: bool

    @property
    def is_client(self) -> bool:
        return self.client_type != "company_contact"

    def to_json(self) -> dict:
        return {
            "entity": self.entity,
            "id": self.id,
            "client_type": self.client_type,
            "parent_company_id": self.parent_company_id,
            "lifecycle": self.lifecycle,
            "frequency": self.frequency,
            "last_payment": self.last_payment.isoformat() if self.last_payment else None,
            "payments": self.payments,
            "has_dialogs": self.has_dialogs,
            "has_contact_data": self.has_contact_data,
        }


@dataclass(slots=True)
class History:
    """What a client's purchases add up to."""

    payments: int = 0
    last_payment: date | None = None
    has_requests: bool = False

    def add(self, paid_on: date | None) -> None:
        if paid_on is None:
            self.has_requests = True
            return
        self.payments += 1
        if self.last_payment is None or paid_on > self.last_payment:
            self.last_payment = paid_on


NO_HISTORY = History()


def classify(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
             pipelines: Set[int] | None = None) -> list[ClientRow]:
    """Every non-own company, then every contact, each in ID order.

    `pipelines` are the deal pipelines the admin counts (None: all of them).
    """
    return finish(classification_steps(crm, today, thresholds, pipelines))


async def classify_with_pauses(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
                               pipelines: Set[int] | None = None, *, pause) -> list[ClientRow]:
    """`classify`, awaiting `pause()` between its steps: in a browser page no
    step of a large CRM holds the main thread for long."""
    return await with_pauses(classification_steps(crm, today, thresholds, pipelines), pause)


def classify_steps(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
                   pipelines: Set[int] | None = None) -> Iterator[list[ClientRow] | None]:
    """The classification as steps: None between steps, then, last, `classify`'s list."""
    rows = yield from classification_steps(crm, today, thresholds, pipelines)
    yield rows


def classification_steps(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
                         pipelines: Set[int] | None = None) -> Steps[list[ClientRow]]:
    """`classify` as a step generator (steps.py): every pass over the records pauses
    every STEP of them."""
    crm = in_pipelines(crm, pipelines)
    parents = yield from parent_steps(crm)
    histories = yield from _histories(crm, parents)
    dialogs = yield from _dialogs(crm, parents)
    contact_data = yield from _contact_data(crm)
    boundaries = Boundaries.on(today, thresholds)
    refs: list[Ref] = [(COMPANY, i) for i in sorted(crm.companies) if not crm.companies[i].is_mine]
    yield
    refs += [(CONTACT, i) for i in sorted(crm.contacts)]
    yield
    rows = []
    for n, ref in enumerate(refs, 1):
        parent = parents.get(ref[1]) if ref[0] == CONTACT else None
        client = (COMPANY, parent) if parent is not None else ref
        rows.append(client_row(ref, parent, histories.get(client, NO_HISTORY), client in dialogs,
                               contact_data[client], ref in dialogs, contact_data[ref], boundaries))
        if n % STEP == 0:
            yield
    return rows


def client_row(ref: Ref, parent: int | None, history: History, client_dialogs: bool, client_contact_data: bool,
               own_dialogs: bool, own_contact_data: bool, boundaries: Boundaries) -> ClientRow:
    """One record's row: its client's values (§3–§5) and its own two flags (§6)."""
    if history.last_payment is not None:
        lifecycle = boundaries.lifecycle(history.last_payment)
    else:
        lifecycle = unpaid_lifecycle(history.has_requests, client_dialogs, client_contact_data)
    entity, record_id = ref
    return ClientRow(
        entity=entity,
        id=record_id,
        client_type=B2B if entity == COMPANY else (B2C if parent is None else COMPANY_CONTACT),
        parent_company_id=parent,
        lifecycle=lifecycle,
        frequency=frequency(history.payments),
        last_payment=history.last_payment,
        payments=history.payments,
        has_dialogs=own_dialogs,
        has_contact_data=own_contact_data,
    )


def in_pipelines(crm: Crm, pipelines: Set[int] | None) -> Crm:
    """The CRM as the admin's pipeline setting sees it (docs/rules-decisions.md, "Counted pipelines").

    A deal in a pipeline that does not count is dropped together with the
    invoices linked to it: it is neither a payment nor a request.  A deal that
    does not say its pipeline is in the general one (0).  Invoices of a deal
    this user cannot see stay, as nothing tells their pipeline.
    """
    if pipelines is None:
        return crm
    dropped = {d.id for d in crm.deals if not counted(d, pipelines)}
    if not dropped:
        return crm
    return replace(crm, deals=[d for d in crm.deals if d.id not in dropped],
                   invoices=[i for i in crm.invoices if i.deal_id not in dropped])


def counted(deal: Deal, pipelines: Set[int] | None) -> bool:
    """Is the deal in a pipeline the admin counts?  (None: all of them.)"""
    return pipelines is None or (deal.category_id or 0) in pipelines


def _histories(crm: Crm, parents: dict[int, int]) -> Steps[dict[Ref, History]]:
    """§2 attribution: each purchase adds to exactly one client, or to nobody."""
    groups = yield from summaries(crm)
    histories: dict[Ref, History] = {}
    for n, summary in enumerate(groups.values(), 1):
        client = owner(summary, crm, parents)
        if client is not None:
            history = histories.get(client)
            if history is None:
                history = histories[client] = History()
            history.add(summary.paid_on)
        if n % STEP == 0:
            yield
    return histories


def _dialogs(crm: Crm, parents: dict[int, int]) -> Steps[set[Ref]]:
    """§5.2 / §6 "Has dialogs": a contact with an activity of its own; a company
    with an activity of its own or of one of its member contacts."""
    dialogs = set(crm.with_activities)
    for n, (entity, record_id) in enumerate(crm.with_activities, 1):
        if entity == CONTACT and record_id in parents:
            dialogs.add((COMPANY, parents[record_id]))
        if n % STEP == 0:
            yield
    return dialogs


def _contact_data(crm: Crm) -> Steps[dict[Ref, bool]]:
    """§5.3 / §6 "Has contact data": own phone, email, website or messenger, or
    requisites; a company also has it when at least one contact is linked to it."""
    companies_with_contacts: set[int] = set()
    for n, contact in enumerate(crm.contacts.values(), 1):
        companies_with_contacts.update(contact.company_ids)
        if n % STEP == 0:
            yield
    flags: dict[Ref, bool] = {}
    for n, company in enumerate(crm.companies.values(), 1):
        ref = (COMPANY, company.id)
        flags[ref] = (
            company.has_contact_data
            or ref in crm.with_requisites
            or company.id in companies_with_contacts
        )
        if n % STEP == 0:
            yield
    for n, contact in enumerate(crm.contacts.values(), 1):
        ref = (CONTACT, contact.id)
        flags[ref] = contact.has_contact_data or ref in crm.with_requisites
        if n % STEP == 0:
            yield
    return flags


def count(rows: list[ClientRow]) -> dict:
    """Counts of clients only: member contacts are not clients."""
    clients = [row for row in rows if row.is_client]
    types = Counter(row.client_type for row in clients)
    lifecycles = Counter(row.lifecycle for row in clients)
    frequencies = Counter(row.frequency for row in clients)
    return {
        "clients": len(clients),
        "b2b": types["b2b"],
        "b2c": types["b2c"],
        "lifecycle": {value: lifecycles[value] for value in LIFECYCLES},
        "frequency": {value: frequencies[value] for value in FREQUENCIES},
    }


def report(rows: list[ClientRow], today: date) -> dict:
    """The JSON object the `classify` command prints."""
    return {"today": today.isoformat(), "clients": [r.to_json() for r in rows], "counts": count(rows)}


def classify_snapshot(snapshot: Snapshot, today: date, thresholds: Thresholds = Thresholds(),
                      pipelines: Set[int] | None = None) -> dict:
    """The `classify` command's JSON for a parsed snapshot (the browser page uses it too)."""
    return report(classify(snapshot.crm, today, thresholds, pipelines), today)
