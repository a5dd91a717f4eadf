"""The starting point (status-ladder.md "Starting point"; issue 13 item 4): a first
status for every client, proposed from what the app already knows — the
classification's rows (lifecycle, last payment), the cards' creation dates,
and the open deals — shown with counts, and written once the admin confirms.

Confirming writes the two fields where they differ (target states: confirming
twice writes nothing the second time), records each row as a person's change
in the ledger (the ladder's history starts there), and sets `started_on`.
Skipping sets only `started_on`: nobody is tracked until a person sets a
status, and clients created from then on start as New.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from ...cards import Card
from ...classify import ClientRow
from ...ladder import OPTION as LADDER_OPTION
from ...ladder import LadderSettings, StartFacts, StartProposal, Written, to_json
from ...model import COMPANY, CONTACT, Ref
from ...rest.gateway import Gateway, ListSpec
from .context import open_context
from .fields import ENTITIES_OF, TYPE_IDS, held
from .ledger import Grouping, Ledger
from .reading import portal_clock, survey
from .store import ROWS_PER_CHUNK, LedgerStore
from .writes import field_update, send_all


def subjects_of(rows: Iterable[ClientRow], settings: LadderSettings) -> list[ClientRow]:
    """The rows that are ladder subjects under the working entity."""
    if settings.entity == "contact":
        return [row for row in rows if row.entity == CONTACT]
    if settings.entity == "company":
        return [row for row in rows if row.entity == COMPANY]
    return [row for row in rows if row.is_client]


def start_facts(rows: Iterable[ClientRow], cards: Mapping[Ref, Card], open_deals: Mapping[Ref, date],
                settings: LadderSettings, today: date) -> list[StartFacts]:
    """What `ladder.propose_start` needs per subject; a record without a known creation date counts as created today."""
    out = []
    for row in subjects_of(rows, settings):
        ref = (row.entity, row.id)
        card = cards.get(ref)
        out.append(StartFacts(ref, (card.created if card else None) or today, row.lifecycle, row.last_payment,
                              open_deals.get(ref)))
    return out


async def read_open_deals(gateway: Gateway, rows: Iterable[ClientRow], settings: LadderSettings,
                          pipelines: frozenset[int] | None = None) -> dict[Ref, date]:
    """Per subject, the day its oldest open deal opened (deals in the counted pipelines),
    grouped as the ledger groups them (a member contact's deal is its company's)."""
    rows = list(rows)
    grouping = Grouping(settings.entity, {r.id: r.parent_company_id for r in rows
                                          if r.entity == CONTACT and r.parent_company_id is not None},
                        frozenset(r.id for r in rows if r.entity == COMPANY))
    spec = ListSpec("crm.item.list", {"entityTypeId": 2, "filter": {"stageSemanticId": "P"},
                                      "select": ["id", "companyId", "contactId", "contactIds", "createdTime",
                                                 "categoryId"]}, "id", True)
    tz = (await portal_clock(gateway)).tzinfo
    ledger = Ledger(tz)
    ledger.fold_deals((await gateway.read_many({"open": spec}))["open"])
    opened: dict[Ref, date] = {}
    for deal in ledger.deals.values():
        if pipelines is not None and deal.category not in pipelines:
            continue
        for ref in grouping.of_deal(deal):
            opened[ref] = min(opened.get(ref, deal.opened), deal.opened)
    return opened


@dataclass
class StartReport:
    started: bool = True
    not_started: str | None = None
    """Why nothing was done: "not_admin" or "not_installed"."""
    started_on: str | None = None
    written: int = 0
    unchanged: int = 0
    skipped_no_rights: int = 0
    recorded: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


async def confirm_start(gateway: Gateway, proposal: StartProposal | None) -> StartReport:
    """Write the confirmed proposal (None: skip it) and start the ladder today."""
    ctx = await open_context(gateway)
    if not ctx.admin:
        return StartReport(started=False, not_started="not_admin")
    settings, today = ctx.settings, ctx.today
    found = await survey(gateway)
    if any(not found.items[e] for e in ENTITIES_OF[settings.entity]):
        return StartReport(started=False, not_started="not_installed")
    report = StartReport(started_on=today.isoformat())
    rows = proposal.rows if proposal is not None else ()
    if rows:
        current = await _held(gateway, {row.key for row in rows}, found.items)
        commands = {row.key: field_update(row.key, Written(row.status, row.since), found.item_of[row.key[0]])
                    for row in rows if current.get(row.key) != Written(row.status, row.since)}
        report.unchanged = len(rows) - len(commands)
        outcome = await send_all(gateway, commands)
        report.written, report.skipped_no_rights = len(outcome.done), len(outcome.denied)
        ledger = Ledger(ctx.tz)
        changes = [(row.key, row.change(ctx.now, ctx.user_id)) for row in rows]
        chunks = [ledger.record_changes(changes[i:i + ROWS_PER_CHUNK]) for i in range(0, len(changes), ROWS_PER_CHUNK)]
        store = LedgerStore(gateway)
        meta, _ = await store.load()
        await store.append(meta or {}, chunks)
        report.recorded = len(changes)
    started = replace(settings, started_on=today)
    await gateway.call("app.option.set", {"options": {LADDER_OPTION: json.dumps(to_json(started))}})
    return report


async def _held(gateway: Gateway, refs: set[Ref], items: Mapping) -> dict[Ref, Written]:
    """The two fields as the CRM holds them now, for every contact and company (chained windows)."""
    specs = {entity: ListSpec("crm.item.list", {"entityTypeId": TYPE_IDS[entity], "useOriginalUfNames": "Y",
                                                "select": ["id", "ufCrmB24cStatus", "ufCrmB24cStatusSince"]},
                              "id", True)
             for entity in {ref[0] for ref in refs}}
    found = await gateway.read_many(specs)
    return {(entity, int(raw["id"])): held(raw, items[entity]) for entity, part in found.items() for raw in part
            if (entity, int(raw["id"])) in refs}
