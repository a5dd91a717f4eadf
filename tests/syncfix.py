"""Running the sync engine against a simulated portal on virtual time, for tests."""

from __future__ import annotations

import asyncio
from datetime import date

from b24clients.classify import classify_snapshot
from b24clients.rest.gateway import Gateway
from b24clients.snapshot import snapshot_from_data
from b24clients.sync.engine import SyncEngine
from b24clients.sync.store import MemoryStore
from b24sim.generate import generate
from b24sim.portal import Portal
from b24sim.transport import InProcessTransport, VirtualTime

TODAY = date(2026, 11, 23)


def engine_for(portal: Portal, store=None, *, user_id: int = 1, today: date = TODAY, **kwargs) -> SyncEngine:
    clock = VirtualTime(portal.clock)
    gateway = Gateway(InProcessTransport(portal, clock, user_id=user_id), clock)
    return SyncEngine(gateway, store if store is not None else MemoryStore(), today=today, **kwargs)


def sync(portal: Portal, store=None, **kwargs):
    engine = engine_for(portal, store, **kwargs)
    return asyncio.run(engine.run()), engine


def expected(data: dict, today: date = TODAY) -> dict:
    """What the classify command says for the same CRM."""
    return classify_snapshot(snapshot_from_data(data), today)


def rows_json(result) -> list[dict]:
    return [row.to_json() for row in result.rows]


def visible_snapshot(portal: Portal, user_id: int) -> dict:
    """The portal's data as one user sees it: every collection filtered by their rights."""
    data = portal.snapshot()
    access = portal.access(user_id)
    for table in ("contacts", "companies", "deals", "invoices", "legacy_invoices", "activities", "requisites"):
        data[table] = [row for row in data.get(table) or [] if access.sees(table, row, portal.resolve)]
    return data


def generated(clients: int, seed: int) -> dict:
    return generate(clients, seed)


def expected_ranks(data: dict, today: date = TODAY, settings=None):
    """The ranks the core computes from the snapshot itself, with the portal's rates."""
    from b24clients.ranks import RankSettings, Rates, client_ranks
    from b24clients.records import currency_rate

    rates = Rates.of(rate for rate in map(currency_rate, data.get("currencies") or []) if rate is not None)
    return client_ranks(snapshot_from_data(data).crm, today, settings or RankSettings(), rates)
