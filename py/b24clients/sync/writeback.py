"""Writing our values back into the CRM (rules.md §6, spec/sync.md "Write-back"): the
eight of the classification and the client's rank (planning.md "Ranks").

The fields are created once (an existing field is never duplicated, and a
missing list item is added), then only records whose values differ from
what the CRM holds are updated, 50 to a batch.  A record the user may not
edit is skipped and counted, never an error.  What was written is committed
to the store as it goes, so a killed write-back resumes where it stopped:
the next run simply finds fewer differences.

Only a portal admin's run writes (spec/sync.md "Who computes, who reads"):
anyone else may see part of the CRM, and a value computed from part of it
(a colleague's won deal unseen) must never reach a field that every list
and mailing trusts.  Edit rights do not help: no REST method tells whether
a non-admin sees everything.

Contacts can be written through `crm.contact.update` or `crm.item.update`,
companies through `crm.company.update` or `crm.item.update`: each method has
its own operating budget, so each batch goes to the method with most room.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Set
from datetime import datetime
import dataclasses
from dataclasses import dataclass

from ..classify import ClientRow
from ..clients import COMPANY_CONTACT
from ..model import COMPANY, CONTACT, Ref
from ..ranks import Rank
from ..rest.errors import GatewayGaveUp, RestError
from ..rest.gateway import PASSING, Gateway
from ..steps import STEP
from .aggregates import Aggregates
from .fields import FIELDS, RANK, Field, item_name
from .store import ProgressStore

BATCH = 50
IN_FLIGHT = {CONTACT: 7, COMPANY: 1}
"""Batches in flight per queue (of the gateway's 8).  Contacts are the long pole: their two
methods carry ~2,165 s of operating time each at 85k, which takes five 10-minute windows
however it is spread, and each window's burst is only as short as the bucket lets it
be — so contacts take nearly all of the bucket, and companies (crm.company.update, three
windows' worth) trickle through one batch at a time and still finish a window earlier."""
ROUNDS = 5
COMMIT_EVERY = 10
"""Batches between two commits of what was written (a kill loses at most these, and they are idempotent)."""
ENTITIES = {CONTACT: ("crm.contact", 3), COMPANY: ("crm.company", 4)}
RANK_AT = next(i for i, f in enumerate(FIELDS) if f.key == RANK)
RANK_FIELD = FIELDS[RANK_AT]


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    skipped_no_rights: int = 0
    fields_created: int = 0
    installed: bool = True
    not_written: str | None = None
    """Why nothing was written at all: "not_admin", or "switched_off" in the settings."""
    wrote_from: str | None = None
    wrote_to: str | None = None
    """When the writes ran (the portal's clock, ISO): a record last changed by this user
    within it was changed by us (its modification date is then not the CRM's news)."""
    refused: set[Ref] = dataclasses.field(default_factory=set, repr=False)
    """The records skipped for no rights (not in the counters: the engine tries them again next time)."""

    def as_dict(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "refused"}

    def stretch(self, start: object, finish: object) -> None:
        """Widen the window of our writes to hold one batch's."""
        if start and (self.wrote_from is None or _moment(start) < _moment(self.wrote_from)):
            self.wrote_from = str(start)
        if finish and (self.wrote_to is None or _moment(finish) > _moment(self.wrote_to)):
            self.wrote_to = str(finish)


async def install_fields(gateway: Gateway, fields: tuple[Field, ...] = FIELDS,
                         entities: tuple[str, ...] = (CONTACT, COMPANY)) -> tuple[dict[str, dict[str, dict[str, str]]], int]:
    """Make sure the fields (ours by default) exist on the entities (contacts and companies).

    Returns, per entity, each enumeration field's XML_ID → item ID, and how
    many fields were created (only portal admins may: the write-back runs for them only).
    """
    items: dict[str, dict[str, dict[str, str]]] = {}
    created = 0
    for entity in entities:
        prefix, _ = ENTITIES[entity]
        existing = {uf["FIELD_NAME"]: uf for uf in
                    (await gateway.call(f"{prefix}.userfield.list", {"filter": {"LANG": "en"}})).result or []}
        items[entity] = {}
        for field in fields:
            uf = existing.get(field.name)
            if uf is None:
                await gateway.call(f"{prefix}.userfield.add", {"fields": _definition(field)})
                created += 1
            elif field.items and _missing_items(uf, field):
                await gateway.call(f"{prefix}.userfield.update", {"id": uf["ID"], "fields": {
                    "LIST": [_item(field, value, i) for i, value in enumerate(_missing_items(uf, field))]}})
            else:
                items[entity][field.name] = _item_ids(uf)
                continue
            fresh = (await gateway.call(f"{prefix}.userfield.list", {"filter": {"FIELD_NAME": field.name}})).result
            items[entity][field.name] = _item_ids(fresh[0]) if fresh else {}
    return items, created


def _definition(field: Field) -> dict:
    ru, en = field.labels
    definition = {"FIELD_NAME": field.name.removeprefix("UF_CRM_"), "USER_TYPE_ID": field.type,
                  "XML_ID": field.name, "EDIT_FORM_LABEL": {"ru": ru, "en": en},
                  "LIST_COLUMN_LABEL": {"ru": ru, "en": en}, "LIST_FILTER_LABEL": {"ru": ru, "en": en},
                  "MULTIPLE": "N", "MANDATORY": "N", "SHOW_FILTER": "Y"}
    if field.type == "crm":
        definition["SETTINGS"] = {"COMPANY": "Y", "CONTACT": "N", "LEAD": "N", "DEAL": "N"}
    if field.items:
        definition["LIST"] = [_item(field, value, i) for i, value in enumerate(field.items)]
    return definition


def _item(field: Field, value: str, i: int) -> dict:
    ru, en = field.items[value]
    return {"VALUE": en, "XML_ID": value, "SORT": 10 * (i + 1), "DEF": "N"}


def _missing_items(uf: dict, field: Field) -> list[str]:
    present = {item.get("XML_ID") for item in uf.get("LIST") or []}
    return [value for value in field.items if value not in present]


def _item_ids(uf: dict) -> dict[str, str]:
    return {str(item.get("XML_ID")): str(item.get("ID")) for item in uf.get("LIST") or []}


def rank_of(row: ClientRow, ranks: Mapping[Ref, Rank]) -> Rank:
    """A client's own rank; a member contact takes its company's, like every other value
    (rules.md §1); anything else ranked nowhere has no revenue."""
    rank = ranks.get((row.entity, row.id))
    if rank is None and row.client_type == COMPANY_CONTACT and row.parent_company_id is not None:
        rank = ranks.get((COMPANY, row.parent_company_id))
    return rank or "N"


def desired(row: ClientRow, items: dict[str, dict[str, str]], rank: Rank) -> tuple:
    """The values as they are written, in FIELDS order."""
    values = []
    for field in FIELDS:
        value = rank if field.key == RANK else getattr(row, field.key)
        if field.items:
            values.append(items.get(field.name, {}).get(value, ""))
        elif field.type == "boolean":
            values.append(1 if value else 0)
        elif field.type == "date":
            values.append(value.isoformat() if value else "")
        elif value is None:
            values.append("")
        else:
            values.append(str(value))
    return tuple(values)


def same(field: Field, held: object, wanted: object) -> bool:
    """Does the CRM already hold this value?  (Reads return strings, numbers and nulls.)"""
    if field.type == "boolean":  # empty is not "no": a CRM filter on "no" must find the record
        return held not in (None, "") and (str(held).upper() in ("1", "Y", "TRUE")) == bool(wanted)
    if field.type == "date":
        return (str(held)[:10] if held else "") == wanted
    return ("" if held in (None, False) else str(held)) == wanted


async def write_back(gateway: Gateway, store: ProgressStore, aggregates: Aggregates, rows: list[ClientRow],
                     meta: dict, on_progress: Callable, ranks: Mapping[Ref, Rank],
                     only: Set[Ref] | None = None, pause: Callable[[], Awaitable[None]] | None = None) -> WriteStats:
    """Write every row whose values differ from what the CRM holds.  `only`: the rows whose
    classification may differ (the engine knows which changed since a finished write-back);
    None: all.  The rank is compared on every row: one client's new revenue can move the
    cut-offs, and so the ranks, of clients nothing happened to.  `pause`: awaited every
    STEP rows of that comparison (85,000 rows are over a second of a page's Python)."""
    from .engine import Progress  # the engine imports this module

    stats = WriteStats()
    if not (await gateway.call("user.admin")).result:
        return WriteStats(installed=False, not_written="not_admin")
    items, stats.fields_created = await install_fields(gateway)
    changes: list[tuple[Ref, dict, tuple]] = []
    for n, row in enumerate(rows, 1):
        if pause is not None and n % STEP == 0:
            await pause()
        ref = (row.entity, row.id)
        rank = rank_of(row, ranks)
        held = aggregates.held.get(ref) or (None,) * len(FIELDS)
        if only is not None and ref not in only:
            wanted_rank = items[row.entity].get(RANK_FIELD.name, {}).get(rank, "")
            if same(RANK_FIELD, held[RANK_AT], wanted_rank):
                continue
        want = desired(row, items[row.entity], rank)
        fields = {f.name: w for f, h, w in zip(FIELDS, held, want) if not same(f, h, w)}
        if fields:
            changes.append((ref, fields, want))
    stats.unchanged = len(rows) - len(changes)
    pending: dict = {}
    done = 0
    turns = {entity: asyncio.Semaphore(n) for entity, n in IN_FLIGHT.items()}
    """Separate queues: companies and contacts use different methods, whose budgets run in parallel."""
    retry: list[tuple[Ref, dict, tuple]] = []

    async def send(batch: list[tuple[Ref, dict, tuple]], total: int) -> None:
        nonlocal done, pending
        async with turns[batch[0][0][0]]:  # the method is chosen when the batch is about to go
            commands = {f"w{n}": _update(gateway, ref, fields) for n, (ref, fields, _) in enumerate(batch)}
            answer = await gateway.batch(commands)
        window = (_moment(answer.time.get("date_start")), _moment(answer.time.get("date_finish")))
        stats.stretch(answer.time.get("date_start"), answer.time.get("date_finish"))
        for n, (ref, fields, want) in enumerate(batch):
            error = answer.errors.get(f"w{n}")
            if error is None:
                pending.setdefault("held", []).extend(aggregates.remember_written(ref, want, window)["held"])
                stats.written += 1
            elif error.get("error") in PASSING:
                retry.append((ref, fields, want))
            elif _no_rights(error):
                stats.skipped_no_rights += 1
                stats.refused.add(ref)
            else:
                raise RestError.of_command(error, "write-back")
        done += 1
        if done % COMMIT_EVERY == 0:
            chunk, pending = pending, {}
            await store.commit(meta, chunk or None)
        on_progress(Progress("write_back", records=stats.written, months_done=done, months_total=total))

    for _ in range(ROUNDS):
        batches = [part[i:i + BATCH] for part in _by_entity(changes) for i in range(0, len(part), BATCH)]
        await asyncio.gather(*(send(batch, len(batches)) for batch in batches))
        await store.commit(meta, pending or None)
        pending = {}
        if not retry:
            return stats
        changes, retry = retry, []
    raise GatewayGaveUp(f"write-back: {len(changes)} records still refused after {ROUNDS} rounds")


def _by_entity(changes: list[tuple[Ref, dict, tuple]]) -> list[list[tuple[Ref, dict, tuple]]]:
    """Companies and contacts apart, so that no batch mixes the two queues."""
    return [[c for c in changes if c[0][0] == entity] for entity in (COMPANY, CONTACT)]


def _moment(iso: object) -> float:
    return datetime.fromisoformat(str(iso)).timestamp() if iso else 0.0


def _no_rights(error: dict) -> bool:
    """The user may not edit this record (bitrix24-rest.md §10): skipped, not an error."""
    return error.get("error") == "ACCESS_DENIED" or "access denied" in str(error.get("error_description", "")).lower()


def _update(gateway: Gateway, ref: Ref, fields: dict) -> tuple[str, dict]:
    """Companies through crm.company.update; contacts — most of the work — through
    crm.contact.update or crm.item.update, whichever method's operating budget can
    take another batch soonest (then whichever has used less)."""
    entity, record_id = ref
    prefix, type_id = ENTITIES[entity]
    own = f"{prefix}.update"
    if entity == COMPANY:
        return own, {"id": record_id, "fields": fields, "params": {"REGISTER_SONET_EVENT": "N"}}
    now = gateway.clock.now()

    def readiness(method: str) -> tuple[float, float]:
        meter = gateway.pacer.meter(method)
        return meter.wait_for(now, BATCH * gateway.pacer.estimate(method)), meter.used(now) + meter.reserved

    if readiness("crm.item.update") < readiness(own):
        uf = {item_name(name): value for name, value in fields.items()}
        return "crm.item.update", {"entityTypeId": type_id, "id": record_id, "fields": uf}
    return own, {"id": record_id, "fields": fields, "params": {"REGISTER_SONET_EVENT": "N"}}
