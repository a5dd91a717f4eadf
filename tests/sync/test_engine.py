"""The sync engine on the simulated portal: same answers as `classify`, resumable, incremental."""

import asyncio
import random
from datetime import date

import pytest

from b24clients.sync.fields import UF_NAMES
from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from syncfix import engine_for, expected, generated, rows_json, sync, visible_snapshot


@pytest.mark.parametrize("clients, seed", [(300, 1), (800, 2), (1500, 3)])
def test_the_engine_classifies_a_generated_portal_exactly_like_the_command(clients, seed):
    data = generated(clients, seed)
    result, _ = sync(Portal(data), write_back=False)
    want = expected(data)
    assert rows_json(result) == want["clients"] and result.counts == want["counts"]


@pytest.mark.parametrize("access", ["own", "department"])
def test_a_restricted_user_sees_and_classifies_only_their_records(access):
    data = generated(800, 4)
    portal = Portal(data)
    user = next(int(u["ID"]) for u in data["users"] if u["CRM_ACCESS"] == access and u["ACTIVE"]
                and any(c.get("ASSIGNED_BY_ID") == u["ID"] for c in data["contacts"]))
    result, _ = sync(portal, user_id=user, write_back=False)
    want = expected(visible_snapshot(portal, user))
    assert rows_json(result) == want["clients"]
    assert 0 < result.counts["clients"] < expected(data)["counts"]["clients"]


class Killed(Exception):
    pass


def fields_of(portal: Portal) -> dict:
    """Every contact's and company's eight written values, as the CRM holds them."""
    return {(table, rid): tuple(row.get(name) for name in UF_NAMES)
            for table in ("contacts", "companies") for rid, row in portal.tables[table].rows.items()}


def test_a_run_killed_at_random_points_resumes_to_the_same_result_and_never_refetches_a_done_month():
    """Kills between and inside months, in the catch-up and during write-back."""
    data = generated(500, 5)
    clean_portal = Portal(data)
    started = clean_portal.clock.now()
    clean, _ = sync(clean_portal)
    duration = clean_portal.clock.now() - started
    rnd = random.Random(7)
    for moment in sorted(rnd.uniform(0.3, duration) for _ in range(8)):
        portal, store = Portal(data), MemoryStore()
        engine = engine_for(portal, store)

        async def kill_after(seconds):
            task = asyncio.ensure_future(engine.run())
            await engine.gateway.clock.sleep(seconds)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(kill_after(moment))
        saved = store.meta["done_through"] if store.meta else None
        fetched_months = []
        resumed = engine_for(portal, store,
                             on_progress=lambda p: p.phase == "months" and fetched_months.append(p.month))
        result = asyncio.run(resumed.run())
        assert rows_json(result) == rows_json(clean), moment
        assert fields_of(portal) == fields_of(clean_portal), moment
        if saved and fetched_months:
            assert min(fetched_months) > saved, (saved, fetched_months[:3])


def test_a_record_changed_during_a_long_first_run_is_caught_up():
    """The change lands after the record's month was committed, so only the catch-up pass can see it."""
    data = generated(600, 6)
    portal, store = Portal(data), MemoryStore()
    target = next(c for c in data["contacts"] if c["DATE_CREATE"] < "2021" and c.get("COMPANY_ID") not in (None, "0"))
    seen = {}

    def change_once(p):
        done = (store.meta or {}).get("done_through")
        if seen or not done or done < "2021-01":
            p.faults.after_page.append(change_once)
            return
        seen["done_through"] = done
        row = dict(p.tables["contacts"].rows[int(target["ID"])])
        row["COMPANY_ID"] = None
        row["DATE_MODIFY"] = p.iso(p.clock.now())
        p.bindings = [b for b in p.bindings if b["CONTACT_ID"] != target["ID"]]
        p.put_record("contacts", row)

    portal.faults.after_page.append(change_once)
    result, _ = sync(portal, store, write_back=False)
    assert seen["done_through"] >= target["DATE_CREATE"][:7]
    got = next(r for r in rows_json(result) if r["entity"] == "contact" and r["id"] == int(target["ID"]))
    assert got["client_type"] == "b2c"
    assert rows_json(result) == expected(portal.snapshot())["clients"]


def test_changes_deletions_and_passing_time_show_after_the_next_run():
    data = generated(700, 8)
    portal, store = Portal(data), MemoryStore()
    sync(portal, store, write_back=False)
    portal.clock.sleep(7 * 31 * 86400)
    later = date(2027, 6, 23)
    contacts = sorted(portal.tables["contacts"].ids)
    for rid in contacts[:5]:
        portal.delete_record("contacts", rid)
    deal = dict(portal.tables["deals"].rows[portal.tables["deals"].ids[-1]])
    deal.update(STAGE_ID="WON", STAGE_SEMANTIC_ID="S", CLOSEDATE=portal.iso(portal.clock.now()),
                DATE_MODIFY=portal.iso(portal.clock.now()))
    portal.put_record("deals", deal)
    result, engine = sync(portal, store, today=later, write_back=False)
    assert not result.first_run
    assert rows_json(result) == expected(portal.snapshot(), later)["clients"]


def test_a_fault_storm_gives_the_same_result_as_a_clean_run():
    data = generated(500, 9)
    clean, _ = sync(Portal(data), write_back=False)
    stormy = Portal(data)
    stormy.faults.server_errors = 3
    stormy.faults.drops = 2
    stormy.faults.slow_calls, stormy.faults.slow_s = 4, 20
    stormy.bucket.level, stormy.bucket._at = 50, stormy.clock.now()
    engine = engine_for(stormy, write_back=False)
    stormy.expire_tokens()
    result = asyncio.run(engine.run())
    assert rows_json(result) == rows_json(clean)
    assert engine.gateway.stats.retries >= 5


def test_a_portal_without_legacy_invoices_is_read_without_them():
    """New portals have no crm.invoice.list: that list alone may be missing."""
    data = generated(300, 17)
    portal = Portal(data)
    portal.methods = {name: handler for name, handler in portal.methods.items() if name != "crm.invoice.list"}
    result, _ = sync(portal, write_back=False)
    assert rows_json(result) == expected({**data, "legacy_invoices": []})["clients"]
    assert any(row.get("STATUS_ID") == "P" for row in data["legacy_invoices"]), "the data must have some to lose"
