"""Two users opening the app at the same moment (asyncio.gather over two
gateways on one portal): everything is applied once (status-ladder.md "Two
users opening the app at once never double-apply")."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from ladderio import (ADMIN, BORIS, OLEG, START, VERA, People, digests, gateway, portal, run, setup, start,
                      travel_to)

from b24clients.sync.ladder.manager_pass import daily_pass

COMPANIES = {("company", 10 + i): "warm" for i in range(6)}


def started(p) -> People:
    setup(p)
    start(p, COMPANIES)
    p.travel(hours=1)
    run(daily_pass(gateway(p)))
    return People(p)


def together(p, *users):
    async def both():
        return await asyncio.gather(*(daily_pass(gateway(p, user)) for user in users))
    return run(both())


def open_alarms(p) -> Counter:
    return Counter((r["OWNER_TYPE_ID"], r["OWNER_ID"]) for r in p.tables["activities"].rows.values()
                   if r["PROVIDER_ID"] == "CRM_TODO" and r["COMPLETED"] == "N")


def test_two_admins_at_once_apply_every_drop_once():
    p = portal(companies=6)
    people = started(p)
    travel_to(p, START + timedelta(days=30))
    people.call(BORIS, ("company", 10))
    travel_to(p, START + timedelta(days=65))
    before = len(p.writes)
    first, second = together(p, ADMIN, OLEG)
    ran = [r for r in (first, second) if r.ran]
    assert len(ran) == 1 and {first.reason, second.reason} == {None, "locked"}
    assert ran[0].events["drop"] == 5 and ran[0].written == 5
    assert len(p.log_messages) == 5
    assert Counter(w["method"] for w in p.writes[before:])["crm.company.update"] == 5
    assert [len(digests(p, m)) for m in (BORIS, VERA)] == [1, 1]


def test_an_admin_and_a_manager_at_once_leave_one_alarm_per_client_and_one_digest_each():
    p = portal(companies=6)
    started(p)
    travel_to(p, START + timedelta(days=58))
    admin, boris = together(p, ADMIN, BORIS)
    assert admin.ran and boris.ran
    assert set(open_alarms(p).values()) == {1} and len(open_alarms(p)) == 6
    assert admin.alarms["created"] + boris.alarms["created"] - admin.alarms["duplicates"] - \
        boris.alarms["duplicates"] == 6
    assert [len(digests(p, m)) for m in (BORIS, VERA)] == [1, 1]


def test_two_managers_at_once_each_keep_their_own():
    p = portal(companies=6)
    started(p)
    travel_to(p, START + timedelta(days=58))
    boris, vera = together(p, BORIS, VERA)
    assert boris.alarms["created"] == 3 and vera.alarms["created"] == 3
    assert set(open_alarms(p).values()) == {1}
    assert [len(digests(p, m)) for m in (BORIS, VERA)] == [1, 1]
