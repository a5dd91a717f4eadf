"""Reading a `b24-snapshot/1` portal snapshot (spec/snapshot.md) into the rules' CRM.

A snapshot is data, never code.  Anything structurally wrong is reported as
one `SnapshotError` sentence naming where it is, and so is a record no portal
would send (problems.py: an ID in foreign digits, a date off the calendar, a
list where a link belongs), which the sync engine would skip as a data
problem.  The CRM's normal mess (a "0" company, an empty date, unknown keys)
is absorbed by `records.py`, not rejected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timezone

from . import records
from .cards import Card, card
from .dates import parse_offset
from .model import COMPANY, CONTACT, Crm, Ref
from .problems import CHECKS, problem, shown
from .ranks.currency import Rates

FORMAT = "b24-snapshot/1"
DEFAULT_OFFSET = "+03:00"
COLLECTIONS = (
    "users", "departments", "contacts", "companies", "contact_companies", "deals", "invoices",
    "legacy_invoices", "statuses", "activities", "requisites", "documents", "userfields", "currencies",
)
KEYED = {"users", "departments", "contacts", "companies", "deals", "invoices", "legacy_invoices",
         "activities", "requisites", "documents"}
"""Collections whose rows carry a unique ID (legacy `ID` or crm.item `id`)."""


class SnapshotError(ValueError):
    """A snapshot that cannot be used, with a one-line reason."""


@dataclass(frozen=True)
class Snapshot:
    portal: Mapping[str, object]
    utc_offset: timezone
    collections: Mapping[str, list[Mapping[str, object]]] = field(repr=False)
    crm: Crm = field(repr=False)
    """The CRM the rules classify, normalised once from the REST-shaped rows."""
    cards: dict[Ref, Card] = field(repr=False, default_factory=dict)
    """What the client list shows of every contact and company (name, responsible, dates)."""

    def rows(self, name: str) -> list[Mapping[str, object]]:
        return self.collections.get(name, [])

    @property
    def rates(self) -> Rates:
        """The portal's `crm.currency.list` as the snapshot kept it (none: only base-currency
        amounts and those naming no currency count; the others are said to be left out)."""
        return Rates.of(rate for rate in map(records.currency_rate, self.rows("currencies")) if rate is not None)


def _crm(rows: Mapping[str, list[Mapping[str, object]]], tz: timezone) -> Crm:
    stages = records.StageBook(rows["statuses"])
    bindings = records.company_bindings(rows["contact_companies"])
    crm = Crm()
    for raw in rows["contacts"]:
        contact = records.contact(raw, bindings.get(records.record_id(raw)))
        crm.contacts[contact.id] = contact
    for raw in rows["companies"]:
        company = records.company(raw)
        crm.companies[company.id] = company
    crm.deals = [records.deal(raw, stages, tz) for raw in rows["deals"]]
    crm.invoices = [records.smart_invoice(raw, stages, tz) for raw in rows["invoices"]]
    crm.invoices += [records.legacy_invoice(raw, stages, tz) for raw in rows["legacy_invoices"]]
    for raw in rows["activities"]:
        crm.with_activities.update(records.activity_owners(raw))
    for raw in rows["requisites"]:
        owner = records.requisite_owner(raw)
        if owner is not None:
            crm.with_requisites.add(owner)
    return crm


def _cards(rows: Mapping[str, list[Mapping[str, object]]], tz: timezone) -> dict[Ref, Card]:
    cards: dict[Ref, Card] = {}
    for entity, name in ((CONTACT, "contacts"), (COMPANY, "companies")):
        for raw in rows[name]:
            cards[(entity, records.record_id(raw))] = card(entity, raw, tz)
    return cards


def parse_snapshot(text: str, source: str = "snapshot") -> Snapshot:
    """Parse and validate; every problem is a SnapshotError naming `source` and the place."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{source}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})")
    except RecursionError:
        raise SnapshotError(f"{source}: not readable JSON (nested too deeply)")
    except ValueError as error:  # a number past Python's 4,300-digit limit
        raise SnapshotError(f"{source}: not readable JSON ({str(error).split(';')[0]})")
    return snapshot_from_data(data, source)


def snapshot_from_data(data: object, source: str = "snapshot") -> Snapshot:
    if not isinstance(data, dict):
        raise SnapshotError(f"{source}: the top level must be a JSON object")
    if data.get("format") != FORMAT:
        raise SnapshotError(f"{source}: format must be {FORMAT!r}, found {data.get('format')!r}")
    portal = data.get("portal") or {}
    if not isinstance(portal, dict):
        raise SnapshotError(f"{source}: 'portal' must be an object")
    try:
        utc_offset = parse_offset(str(portal.get("utc_offset") or DEFAULT_OFFSET))
    except ValueError as error:
        raise SnapshotError(f"{source}: portal.utc_offset: {error}")
    collections = {name: _collection(data, name, source) for name in COLLECTIONS}
    return Snapshot(portal=portal, utc_offset=utc_offset, collections=collections,
                    crm=_crm(collections, utc_offset), cards=_cards(collections, utc_offset))


def _collection(data: dict, name: str, source: str) -> list[Mapping[str, object]]:
    rows = data.get(name)
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise SnapshotError(f"{source}: '{name}' must be a list")
    seen: set[int] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise SnapshotError(f"{source}: {name}[{index}] must be an object")
        if name not in KEYED:
            continue
        raw_id = records.field(row, "ID", "id")
        record_id = records.ref_id(raw_id)
        if record_id is None:
            raise SnapshotError(f"{source}: {name}[{index}] has no valid ID: {shown(raw_id)}")
        if record_id in seen:
            raise SnapshotError(f"{source}: {name}[{index}] repeats ID {record_id}")
        seen.add(record_id)
        if name in CHECKS and (reason := problem(name, row)) is not None:
            raise SnapshotError(f"{source}: {name}[{index}]: {reason}")
    return rows
