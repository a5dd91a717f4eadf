"""The portal pass's writes into the CRM: the two status fields (with a lost
client's new responsible in the same update), the open deals and to-dos that
go along with a reassigned client, and one timeline log entry per change.

Every write is a target state, never a delta, so a second pass finds nothing
left to do.  A record the user may not edit is skipped and counted — never an
error; one deleted meanwhile is reported as gone.  Batches of 50, several in
flight; refusals for lack of budget are retried in later rounds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ...ladder import Write, Written
from ...model import COMPANY, Entity, Ref
from ...rest.errors import GatewayGaveUp, RestError
from ...rest.gateway import MAX_BATCH, PASSING, Gateway, ListSpec
from . import fields as ladder_fields
from .fields import TYPE_IDS
from .ledger import is_alarm
from .messages import ICON

ROUNDS = 5
Command = tuple[str, dict]


@dataclass
class Outcome:
    """What became of a set of commands, by the key each was sent under."""

    done: list = field(default_factory=list)
    denied: list = field(default_factory=list)
    """The user may not edit the record: skipped and counted."""
    gone: list = field(default_factory=list)
    """The record (or the to-do) no longer exists."""


async def send_all(gateway: Gateway, commands: Mapping[object, Command]) -> Outcome:
    """Run every command (50 to a batch, batches at once); sort each into done,
    denied or gone; retry what the portal refused for budget in later rounds."""
    outcome = Outcome()
    pending = dict(commands)
    for _ in range(ROUNDS):
        keys = list(pending)
        parts = [keys[i:i + MAX_BATCH] for i in range(0, len(keys), MAX_BATCH)]
        answers = await asyncio.gather(*(gateway.batch({f"c{n}": pending[key] for n, key in enumerate(part)})
                                         for part in parts))
        retry = {}
        for part, answer in zip(parts, answers):
            for n, key in enumerate(part):
                error = answer.errors.get(f"c{n}")
                if error is None:
                    outcome.done.append(key)
                elif error.get("error") in PASSING:
                    retry[key] = pending[key]
                elif denied(error):
                    outcome.denied.append(key)
                elif missing(error):
                    outcome.gone.append(key)
                else:
                    raise RestError.of_command(error, pending[key][0])
        if not retry:
            return outcome
        pending = retry
    raise GatewayGaveUp(f"{len(pending)} ladder writes still refused after {ROUNDS} rounds")


def denied(error: Mapping) -> bool:
    """No right to edit (bitrix24-rest.md §10): `ACCESS_DENIED`, or a legacy "Access denied."."""
    return error.get("error") == "ACCESS_DENIED" or "access denied" in str(error.get("error_description", "")).lower()


def missing(error: Mapping) -> bool:
    text = f"{error.get('error', '')} {error.get('error_description', '')}".lower()
    return "not found" in text or "not_found" in text


# --- the status fields ------------------------------------------------------------------------

def field_update(ref: Ref, target: Written, item_of: Mapping[str, str], assign_to: int | None = None) -> Command:
    """crm.contact.update / crm.company.update with the target state; a reassignment
    tells the new responsible (REGISTER_SONET_EVENT, next-features.md §B.2.5)."""
    entity, rid = ref
    fields = ladder_fields.values(target, item_of)
    if assign_to is not None:
        fields["ASSIGNED_BY_ID"] = assign_to
    return f"crm.{entity}.update", {"id": rid, "fields": fields,
                                    "params": {"REGISTER_SONET_EVENT": "Y" if assign_to is not None else "N"}}


async def write_fields(gateway: Gateway, writes: Iterable[Write],
                       item_of: Mapping[Entity, Mapping[str, str]]) -> Outcome:
    """The portal plan's writes; keys of the outcome are the Writes themselves."""
    return await send_all(gateway, {w: field_update(w.key, Written(w.status, w.since), item_of[w.key[0]], w.assign_to)
                                    for w in writes})


# --- what goes along with a reassigned client -------------------------------------------------

@dataclass
class Carried:
    deals: int = 0
    todos: int = 0
    skipped: int = 0


async def carry_along(gateway: Gateway, moves: Mapping[Ref, tuple[int, int]], *, deals: bool, todos: bool) -> Carried:
    """Give the client's open deals and open to-dos of the manager who lost it to the new
    responsible (the change of ASSIGNED_BY_ID does not cascade, next-features.md §B.2.5)."""
    carried = Carried()
    if not moves or not (deals or todos):
        return carried
    specs: dict[str, ListSpec] = {}
    for (entity, rid), (old, _) in sorted(moves.items()):
        if deals:
            key = "companyId" if entity == COMPANY else "contactId"
            specs[f"deals.{entity}.{rid}"] = ListSpec("crm.item.list", {
                "entityTypeId": 2, "select": ["id"],
                "filter": {key: rid, "stageSemanticId": "P", "assignedById": old}}, "id", True, pages=1)
        if todos:
            specs[f"acts.{entity}.{rid}"] = ListSpec("crm.activity.list", {
                "select": ["ID", "PROVIDER_ID", "DESCRIPTION"],
                "filter": {"OWNER_TYPE_ID": TYPE_IDS[entity], "OWNER_ID": rid, "COMPLETED": "N",
                           "RESPONSIBLE_ID": old}}, "ID", False, pages=1)
    found = await gateway.read_many(specs)
    commands: dict[tuple[str, int], Command] = {}
    for name, rows in found.items():
        kind, entity, rid = name.split(".")
        ref = (entity, int(rid))
        new = moves[ref][1]
        for row in rows:
            if kind == "deals":
                commands[("deal", int(row["id"]))] = ("crm.deal.update", {"id": int(row["id"]),
                                                                          "fields": {"ASSIGNED_BY_ID": new}})
            elif not is_alarm(row):
                commands[("todo", int(row["ID"]))] = _responsible(row, ref, new)
    outcome = await send_all(gateway, commands)
    carried.deals = sum(1 for kind, _ in outcome.done if kind == "deal")
    carried.todos = sum(1 for kind, _ in outcome.done if kind == "todo")
    carried.skipped = len(outcome.denied)
    return carried


def _responsible(row: Mapping, ref: Ref, new: int) -> Command:
    """A to-do through its own method (DOCS crm-activity-todo-update-responsible-user.md), any
    other activity through crm.activity.update."""
    if row.get("PROVIDER_ID") == "CRM_TODO":
        return "crm.activity.todo.updateResponsibleUser", {"id": int(row["ID"]), "ownerTypeId": TYPE_IDS[ref[0]],
                                                          "ownerId": ref[1], "responsibleId": new}
    return "crm.activity.update", {"id": int(row["ID"]), "fields": {"RESPONSIBLE_ID": new}}


# --- timeline log entries ---------------------------------------------------------------------

async def log_entries(gateway: Gateway, entries: Iterable[tuple[Ref, str, str]]) -> Outcome:
    """One crm.timeline.logmessage.add per (client, title, text): low-priority entries, not comments
    (next-features.md §B.2.4).  Keys of the outcome are the entries' positions."""
    return await send_all(gateway, {n: ("crm.timeline.logmessage.add", {"fields": {
        "entityTypeId": TYPE_IDS[ref[0]], "entityId": ref[1], "title": title, "text": text, "iconCode": ICON}})
        for n, (ref, title, text) in enumerate(entries)})

