"""Ranks from the sync engine's aggregates (planning.md "Ranks", "Speed"): the amounts and
currencies are folded with the payments, so the ranks need no pass of their own and equal
what the core computes from the snapshot directly."""

import asyncio
from decimal import Decimal

import pytest

from b24clients.ranks import RankSettings
from b24clients.sync.engine import FORMAT
from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from syncfix import TODAY, engine_for, expected_ranks, generated, sync


def report_json(report) -> dict:
    return {"ranks": dict(report.ranks), "values": dict(report.measured.values),
            "left_out": report.measured.left_out, "cut": (report.pareto.a_end, report.pareto.b_end)}


@pytest.mark.parametrize("clients, seed", [(300, 1), (900, 2)])
def test_the_engines_ranks_equal_the_cores_from_the_snapshot(clients, seed):
    data = generated(clients, seed)
    result, _ = sync(Portal(data), write_back=False)
    want = expected_ranks(data)
    assert report_json(result.ranks) == report_json(want)
    shares = result.ranks.shares()
    assert shares["A"].clients > 0 and shares["N"].clients > 0 and shares["A"].share >= shares["B"].share
    base = first_rates(data).base
    foreign = [d for d in data["deals"] if d.get("CURRENCY_ID") not in (None, base) and d.get("STAGE_SEMANTIC_ID") == "S"]
    assert foreign, "the portal has won deals in other currencies: conversion is exercised"


@pytest.mark.parametrize("settings", [RankSettings(basis="payments", window_months=24),
                                      RankSettings(basis="requests", method="clients")])
def test_other_bases_and_methods_also_come_from_the_aggregates(settings):
    data = generated(400, 3)
    result, _ = sync(Portal(data), write_back=False, rank_settings=settings)
    assert report_json(result.ranks) == report_json(expected_ranks(data, settings=settings))


def test_rates_are_read_once_per_run():
    portal = Portal(generated(300, 4))
    methods: list[str] = []
    run = portal.run
    portal.run = lambda method, params, caller: methods.append(method) or run(method, params, caller)
    engine = engine_for(portal, write_back=False)
    for _ in range(2):
        methods.clear()
        asyncio.run(engine.run())
        assert methods.count("crm.currency.list") == 1


def test_a_store_of_the_old_format_starts_over_and_a_resumed_run_keeps_amounts_and_rates():
    data = generated(300, 5)
    portal, store = Portal(data), MemoryStore()
    first, _ = sync(portal, store, write_back=False)
    assert store.meta["format"] == FORMAT and store.meta["rates"]["base"] == first_rates(data).base
    old = MemoryStore()
    old.meta = {**store.meta, "format": "b24clients-progress/2"}
    old.chunks = [{"deals": [[d[0], d[1], d[2], d[3], d[4]] for d in chunk.get("deals", [])]}
                  for chunk in store.chunks]
    fetched = []
    restarted, _ = sync(portal, old, write_back=False,
                        on_progress=lambda p: p.phase == "months" and fetched.append(p.month))
    assert fetched, "an old store is read again from the first month"
    assert report_json(restarted.ranks) == report_json(first.ranks)
    reloaded = engine_for(portal, store, write_back=False)
    asyncio.run(reloaded.load())
    assert reloaded.rates == first_rates(data)
    assert report_json(asyncio.run(reloaded.rank_report(TODAY))) == report_json(first.ranks)


def first_rates(data):
    from b24clients.ranks import Rates
    from b24clients.records import currency_rate

    return Rates.of(rate for rate in map(currency_rate, data["currencies"]) if rate is not None)


def test_a_won_deals_new_amount_reaches_the_ranks_on_the_next_run():
    data = generated(300, 6)
    portal = Portal(data)
    engine = engine_for(portal, write_back=False)
    before = asyncio.run(engine.run()).ranks
    won = {}
    for d in portal.tables["deals"].rows.values():
        if d.get("STAGE_SEMANTIC_ID") == "S":
            company = d.get("COMPANY_ID") not in (None, "0")
            won[("company", int(d["COMPANY_ID"])) if company else ("contact", int(d["CONTACT_ID"] or 0))] = dict(d)
    low = next(ref for ref, rank in sorted(before.ranks.items()) if rank == "C" and ref in won)
    deal = won[low]
    portal.clock.sleep(3600)
    now = portal.iso(portal.clock.now())
    deal.update(OPPORTUNITY="999999999.00", CURRENCY_ID=first_rates(data).base, CLOSEDATE=now, DATE_MODIFY=now)
    portal.put_record("deals", deal)
    after = asyncio.run(engine.run()).ranks
    assert after.ranks[low] == "A"
    assert after.measured.values[low] >= Decimal("999999999")
    assert report_json(after) == report_json(expected_ranks(portal.snapshot()))
