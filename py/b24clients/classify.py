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

from .clients import ClientType, client_type, parent_companies
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
from .model import COMPANY, CONTACT, Crm, Entity, Ref
from .payments import owner, purchases

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
class _History:
    """What a client's purchases add up to."""

    payments: int = 0
    last_payment: date | None = None
    has_requests: bool = False


STEP_ROWS = 2000
"""Rows built between two steps of `classify_steps` (a browser paints in between)."""


def classify(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
             pipelines: Set[int] | None = None) -> list[ClientRow]:
    """Every non-own company, then every contact, each in ID order.

    `pipelines` are the deal pipelines the admin counts (None: all of them).
    """
    *_, rows = classify_steps(crm, today, thresholds, pipelines)
    return rows


async def classify_with_pauses(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
                               pipelines: Set[int] | None = None, *, pause) -> list[ClientRow]:
    """`classify`, awaiting `pause()` between its steps: in a browser page no
    step of a large CRM holds the main thread for long."""
    for step in classify_steps(crm, today, thresholds, pipelines):
        if step is not None:
            return step
        await pause()
    raise AssertionError("classify_steps ends with the rows")


def classify_steps(crm: Crm, today: date, thresholds: Thresholds = Thresholds(),
                   pipelines: Set[int] | None = None) -> Iterator[list[ClientRow] | None]:
    """The classification as steps: None between its phases and every STEP_ROWS
    rows, then, last, `classify`'s list."""
    crm = in_pipelines(crm, pipelines)
    parents = parent_companies(crm)
    yield None
    histories = _histories(crm, parents)
    yield None
    dialogs = _dialogs(crm, parents)
    contact_data = _contact_data(crm)
    boundaries = Boundaries.on(today, thresholds)
    yield None

    def client_values(client: Ref) -> tuple[Lifecycle, Frequency, date | None, int]:
        history = histories.get(client, _History())
        if history.last_payment is not None:
            lifecycle = boundaries.lifecycle(history.last_payment)
        else:
            lifecycle = unpaid_lifecycle(
                history.has_requests, client in dialogs, contact_data[client]
            )
        return lifecycle, frequency(history.payments), history.last_payment, history.payments

    rows = []
    records: list[Ref] = [(COMPANY, c.id) for c in crm.companies.values() if not c.is_mine]
    records += [(CONTACT, c.id) for c in crm.contacts.values()]
    for ref in sorted(records):
        entity, record_id = ref
        parent = parents.get(record_id) if entity == CONTACT else None
        client = (COMPANY, parent) if parent is not None else ref
        lifecycle, freq, last, count = client_values(client)
        rows.append(
            ClientRow(
                entity=entity,
                id=record_id,
                client_type=client_type(ref, parents),
                parent_company_id=parent,
                lifecycle=lifecycle,
                frequency=freq,
                last_payment=last,
                payments=count,
                has_dialogs=ref in dialogs,
                has_contact_data=contact_data[ref],
            )
        )
        if len(rows) % STEP_ROWS == 0:
            yield None
    yield rows


def in_pipelines(crm: Crm, pipelines: Set[int] | None) -> Crm:
    """The CRM as the admin's pipeline setting sees it (docs/rules-decisions.md, "Counted pipelines").

    A deal in a pipeline that does not count is dropped together with the
    invoices linked to it: it is neither a payment nor a request.  A deal that
    does not say its pipeline is in the general one (0).  Invoices of a deal
    this user cannot see stay, as nothing tells their pipeline.
    """
    if pipelines is None:
        return crm
    dropped = {d.id for d in crm.deals if (d.category_id or 0) not in pipelines}
    if not dropped:
        return crm
    return replace(crm, deals=[d for d in crm.deals if d.id not in dropped],
                   invoices=[i for i in crm.invoices if i.deal_id not in dropped])


def _histories(crm: Crm, parents: dict[int, int]) -> dict[Ref, _History]:
    """§2 attribution: each purchase adds to exactly one client, or to nobody."""
    histories: dict[Ref, _History] = {}
    for purchase in purchases(crm):
        client = owner(purchase, crm, parents)
        if client is None:
            continue
        history = histories.setdefault(client, _History())
        if purchase.paid_on is None:
            history.has_requests = True
            continue
        history.payments += 1
        if history.last_payment is None or purchase.paid_on > history.last_payment:
            history.last_payment = purchase.paid_on
    return histories


def _dialogs(crm: Crm, parents: dict[int, int]) -> set[Ref]:
    """§5.2 / §6 "Has dialogs": a contact with an activity of its own; a company
    with an activity of its own or of one of its member contacts."""
    dialogs = set(crm.with_activities)
    for entity, record_id in crm.with_activities:
        if entity == CONTACT and record_id in parents:
            dialogs.add((COMPANY, parents[record_id]))
    return dialogs


def _contact_data(crm: Crm) -> dict[Ref, bool]:
    """§5.3 / §6 "Has contact data": own phone, email, website or messenger, or
    requisites; a company also has it when at least one contact is linked to it."""
    companies_with_contacts = {
        company_id for contact in crm.contacts.values() for company_id in contact.company_ids
    }
    flags: dict[Ref, bool] = {}
    for company in crm.companies.values():
        ref = (COMPANY, company.id)
        flags[ref] = (
            company.has_contact_data
            or ref in crm.with_requisites
            or company.id in companies_with_contacts
        )
    for contact in crm.contacts.values():
        ref = (CONTACT, contact.id)
        flags[ref] = contact.has_contact_data or ref in crm.with_requisites
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
