"""The reading run (spec/sync.md "Who computes, who reads"): every user but the computing
admin gets the portal-wide values of the clients they see, from the fields, in a few requests."""

import asyncio
from datetime import date

import pytest

from b24clients.classify import classify, count
from b24clients.dates import months_before
from b24clients.lifecycle import Thresholds
from b24clients.rest.gateway import Gateway
from b24clients.snapshot import snapshot_from_data
from b24clients.sync.reading import Reading, read_written
from b24sim.portal import Portal
from b24sim.transport import InProcessTransport, VirtualTime
from syncfix import TODAY, generated, sync, visible_snapshot


def read(portal: Portal, user_id: int) -> tuple[Reading, Gateway]:
    clock = VirtualTime(portal.clock)
    gateway = Gateway(InProcessTransport(portal, clock, user_id=user_id), clock)
    return asyncio.run(read_written(gateway)), gateway


def portal_wide(data: dict, refs: set, today: date) -> list[dict]:
    """classify of the whole portal, restricted to the records one user sees."""
    rows = classify(snapshot_from_data(data).crm, today)
    return [row for row in rows if (row.entity, row.id) in refs]


def visible_refs(portal: Portal, user_id: int) -> set:
    seen = visible_snapshot(portal, user_id)
    return ({("contact", int(c["ID"])) for c in seen["contacts"]}
            | {("company", int(c["ID"])) for c in seen["companies"] if c.get("IS_MY_COMPANY") != "Y"})


def user_with(data: dict, access: str) -> int:
    return next(int(u["ID"]) for u in data["users"] if u["CRM_ACCESS"] == access and not u["ADMIN"] and u["ACTIVE"]
                and any(c.get("ASSIGNED_BY_ID") == u["ID"] for c in data["contacts"]))


@pytest.mark.parametrize("seed", [5, 8])
@pytest.mark.parametrize("access", ["own", "department", "all"])
def test_a_reader_gets_the_portal_wide_values_of_the_clients_they_see_today_and_seven_months_on(seed, access):
    data = generated(600, seed)
    portal = Portal(data)
    sync(portal, user_id=1)
    user = user_with(data, access)
    reading, _ = read(portal, user)
    refs = visible_refs(portal, user)
    assert {(r.entity, r.id) for r in reading.records} == refs
    for today in (TODAY, date(2027, 6, 23)):
        want = portal_wide(data, refs, today)
        got = reading.rows(today, Thresholds())
        assert [r.to_json() for r in got] == [r.to_json() for r in want]
        assert count(got) == count(want)
    assert reading.uncomputed == 0


def test_time_moves_a_paid_client_along_with_no_new_read():
    data = generated(400, 9)
    portal = Portal(data)
    sync(portal, user_id=1)
    reading, _ = read(portal, user_with(data, "own"))
    paid = next(r for r in reading.records if r.last_payment is not None and r.client_type != "company_contact")
    active_until = date(paid.last_payment.year + 1, paid.last_payment.month, 1)
    lifecycles = {reading.rows(day, Thresholds())[reading.records.index(paid)].lifecycle
                  for day in (paid.last_payment, active_until, date(2040, 1, 1))}
    assert lifecycles == {"active", "sleeping", "lost"}
    assert months_before(active_until, 6) < active_until


def test_a_record_created_after_the_computation_is_listed_from_what_it_shows():
    data = generated(200, 10)
    portal = Portal(data)
    sync(portal, user_id=1)
    new = {**data["contacts"][0], "ID": "9001", "COMPANY_ID": None, "PHONE": [{"VALUE": "+7 900", "VALUE_TYPE": "WORK"}], "HAS_PHONE": "Y",
           "ASSIGNED_BY_ID": "1", **{k: None for k in data["contacts"][0] if k.startswith("UF_CRM_B24C")}}
    portal.put_record("contacts", new)
    reading, _ = read(portal, 2)
    record = next(r for r in reading.records if r.id == 9001 and r.entity == "contact")
    assert (record.computed, record.client_type, record.lifecycle, record.payments) == (
        False, "b2c", "with_contacts", 0)
    assert reading.uncomputed == 1


def test_a_reading_survives_its_own_json():
    data = generated(200, 11)
    portal = Portal(data)
    sync(portal, user_id=1)
    reading, _ = read(portal, 2)
    again = Reading.from_json(reading.to_json())
    assert again.records == reading.records and again.cards == reading.cards and again.linked == reading.linked
    assert again.read_at == reading.read_at


def test_a_reader_writes_nothing_and_never_reads_the_history():
    data = generated(300, 12)
    portal = Portal(data)
    sync(portal, user_id=1)
    writes = len(portal.writes)
    _, gateway = read(portal, user_with(data, "own"))
    assert len(portal.writes) == writes
    assert gateway.stats.requests <= 4


@pytest.mark.parametrize("access", ["own", "department"])
def test_a_reader_gets_the_ranks_the_computing_run_wrote(access):
    data = generated(400, 13)
    portal = Portal(data)
    result, _ = sync(portal, user_id=1)
    user = user_with(data, access)
    reading, _ = read(portal, user)
    ranks = reading.ranks()
    refs = visible_refs(portal, user)
    clients = {ref: rank for ref, rank in result.ranks.ranks.items() if ref in refs}
    assert clients and {ref: ranks[ref] for ref in clients} == clients
    assert "N" in set(clients.values()) and len(set(clients.values())) >= 3
    old = Reading.from_json({**reading.to_json(), "records": [r[:10] for r in reading.to_json()["records"]]})
    assert set(old.ranks().values()) == {"N"}     # a reading kept before ranks were read: N until read again
    assert Reading.from_json(reading.to_json()).ranks() == ranks
