"""The sync engine on the simulated portal: same answers as `classify`, resumable, incremental."""

import asyncio
import random
from datetime import date, timedelta

import pytest

from b24clients.sync.fields import UF_NAMES
from b24clients.sync.store import MemoryStore
from b24sim.limits import CostModel
from b24sim.portal import Portal
from b24clients.classify import count
from b24clients.snapshot import snapshot_from_data
from b24clients.sync import engine as engine_module
from syncfix import TODAY, engine_for, expected, generated, rows_json, sync, visible_snapshot


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


def colleague_edits(portal: Portal, rnd: random.Random) -> None:
    """A few edits by someone else: links moved, a company made the seller's own, deals won
    and moved, records deleted — everything that moves a client's values."""
    now = portal.iso(portal.clock.now())
    contacts, companies = portal.tables["contacts"], portal.tables["companies"]
    for rid in rnd.sample(contacts.ids, 3):
        row = dict(contacts.rows[rid], DATE_MODIFY=now, MODIFY_BY_ID="2")
        company = rnd.choice([None, *rnd.sample(companies.ids, 2)])
        row["COMPANY_ID"] = str(company) if company else None
        portal.bindings = [b for b in portal.bindings if b["CONTACT_ID"] != str(rid)]
        if company:
            portal.bindings.append({"CONTACT_ID": str(rid), "COMPANY_ID": str(company), "IS_PRIMARY": "Y",
                                    "SORT": "10"})
        portal.put_record("contacts", row)
    mine = dict(companies.rows[rnd.choice(companies.ids)], IS_MY_COMPANY="Y", DATE_MODIFY=now, MODIFY_BY_ID="2")
    portal.put_record("companies", mine)
    deals = portal.tables["deals"]
    for rid in rnd.sample(deals.ids, 4):
        row = dict(deals.rows[rid], DATE_MODIFY=now, MODIFY_BY_ID="2")
        if rnd.random() < 0.5:
            row.update(STAGE_ID="WON", STAGE_SEMANTIC_ID="S", CLOSED="Y", CLOSEDATE=now)
        else:
            row["COMPANY_ID"] = str(rnd.choice(companies.ids))
        portal.put_record("deals", row)
    for table in ("contacts", "companies", "deals", "activities", "invoices"):
        portal.delete_record(table, rnd.choice(portal.tables[table].ids))


@pytest.mark.parametrize("seed", [31, 32])
def test_a_kept_engine_refreshes_to_the_rows_and_fields_of_a_full_classification(seed):
    """Refresh in an open page: the same engine runs again, classifying only what changed
    and what time moved — and ends exactly where a fresh engine reading everything ends."""
    data = generated(700, seed)
    portal, store = Portal(data), MemoryStore()
    engine = engine_for(portal, store)
    asyncio.run(engine.run())
    rnd = random.Random(seed)
    for _ in range(3):
        colleague_edits(portal, rnd)
        days = rnd.randint(1, 120)
        portal.clock.sleep(days * 86400)
        engine.today += timedelta(days=days)
        result = asyncio.run(engine.run())
        assert not result.first_run
        assert rows_json(result) == expected(portal.snapshot(), engine.today)["clients"]
        assert result.counts == expected(portal.snapshot(), engine.today)["counts"]
        fresh, _ = sync(portal, MemoryStore(), today=engine.today)
        assert fresh.write["written"] == 0, "the kept engine left a field unwritten"
        assert rows_json(fresh) == rows_json(result)


def test_a_refresh_with_nothing_changed_compares_and_writes_nothing_and_an_interrupted_one_starts_over():
    portal, store = Portal(generated(400, 33)), MemoryStore()
    engine = engine_for(portal, store)
    first = asyncio.run(engine.run())
    kept = len(store.chunks)
    again = asyncio.run(engine.run())
    assert again.write["written"] == 0 and again.write["unchanged"] == len(again.rows)
    assert engine.classification.changed == set()
    assert len(store.chunks) == kept, "nothing found, nothing kept"

    async def stop_inside_the_classification():
        if engine.classification is None:  # it is taken away while it is being brought up to date
            raise asyncio.CancelledError

    engine.today += timedelta(days=400)
    engine.pause = stop_inside_the_classification
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(engine.run())
    assert engine.classification is None
    engine.pause = no_pause
    later = asyncio.run(engine.run())
    assert engine.classification.changed is None, "after an interruption the classification is full again"
    assert rows_json(later) == expected(portal.snapshot(), engine.today)["clients"] != rows_json(first)


async def no_pause() -> None:
    pass


class CountedLoads(MemoryStore):
    def __init__(self):
        super().__init__()
        self.loads = 0

    async def load(self):
        self.loads += 1
        return await super().load()


def test_a_page_may_draw_from_the_engine_before_its_run_without_hiding_anything_from_the_write_back():
    """Reload: a new engine reads the store and classifies for the page before it runs;
    the run starts from that, and what time moved since is still written."""
    portal, store = Portal(generated(400, 34)), CountedLoads()
    asyncio.run(engine_for(portal, store).run())
    portal.clock.sleep(200 * 86400)
    later = TODAY + timedelta(days=200)
    engine = engine_for(portal, store, today=later)
    asyncio.run(engine.load())
    drawn = asyncio.run(engine.classify(later))
    result = asyncio.run(engine.run())
    assert store.loads == 2, "the run reads the store again"
    assert rows_json(result) == [row.to_json() for row in drawn] == expected(portal.snapshot(), later)["clients"]
    assert result.write["written"] > 0
    fresh, _ = sync(portal, MemoryStore(), today=later)
    assert fresh.write["written"] == 0


def test_a_day_classified_between_two_runs_of_a_kept_engine_is_still_written():
    portal, store = Portal(generated(400, 35)), MemoryStore()
    engine = engine_for(portal, store)
    asyncio.run(engine.run())
    portal.clock.sleep(200 * 86400)
    engine.today += timedelta(days=200)
    asyncio.run(engine.classify(engine.today))  # the page redraws for a new day
    again = asyncio.run(engine.run())
    assert again.write["written"] > 0 and engine.classification.changed == set()
    fresh, _ = sync(portal, MemoryStore(), today=engine.today)
    assert fresh.write["written"] == 0


def test_progress_shows_from_the_first_crm_answer_before_the_months_are_counted():
    """The strip appears once the CRM has answered one call (a refused user sees the error,
    not a flash of progress), before the counting requests; then counting, then months."""
    portal = Portal(generated(200, 3))
    seen = []
    engine = engine_for(portal, MemoryStore(), on_progress=lambda p: seen.append((p.phase, portal.counters["requests"])))
    asyncio.run(engine.run())
    phases = [phase for phase, _ in seen]
    assert phases[:2] == ["starting", "counting"] and "months" in phases
    assert seen[0][1] <= 3, seen[:2]  # user.current and crm.status.list (a currency list at most) before it


def test_an_engine_says_when_a_run_found_nothing_new_and_keeps_its_ranks_and_counts(monkeypatch):
    """A page keeps its dashboard after such a run (issue 11: Refresh with nothing changed),
    and the run counts no rows again; an edit, or another day, is something new."""
    portal, store = Portal(generated(300, 35)), MemoryStore()
    engine = engine_for(portal, store)
    first = asyncio.run(engine.run())
    assert not engine.unchanged, "a first run is all new"
    ranks = engine.ranks
    counted = []
    monkeypatch.setattr(engine_module, "count", lambda rows: counted.append(len(rows)) or count(rows))
    again = asyncio.run(engine.run())
    assert engine.unchanged and engine.ranks is ranks
    assert again.counts == first.counts and counted == []
    deal_id = portal.tables["deals"].ids[0]
    deal = dict(portal.tables["deals"].rows[deal_id])
    deal.update(DATE_MODIFY=portal.iso(portal.clock.now()), STAGE_ID="WON", STAGE_SEMANTIC_ID="S", CLOSED="Y")
    portal.put_record("deals", deal)
    changed = asyncio.run(engine.run())
    assert not engine.unchanged and counted == [len(changed.rows)]
    assert changed.counts == expected(portal.snapshot())["counts"]
    asyncio.run(engine.run())
    assert engine.unchanged
    engine.today += timedelta(days=1)
    asyncio.run(engine.run())
    assert not engine.unchanged and engine.ranks is not ranks


def test_the_id_span_a_refresh_cuts_its_counts_from_is_taken_while_counts_are_in_flight_and_kept():
    """Taking it passes over every ID held: 0.1 s in the page at 85k, which a Refresh would
    spend before its first count.  A run takes it while its own counts are in flight, and
    it is kept while the kind's count stays the same."""
    portal, store = Portal(generated(300, 22)), MemoryStore()
    engine = engine_for(portal, store, write_back=False)
    asyncio.run(engine.run())
    held = engine.aggregates
    invoices = sorted(held.ids("invoices"))
    assert len(invoices) > 2
    passes = []
    ids = held.ids
    held.ids = lambda kind: passes.append(kind) or ids(kind)
    assert held.id_span("invoices") == (invoices[0], invoices[-1]) and passes == []
    asyncio.run(engine.run())  # a Refresh with nothing changed
    assert held.id_span("invoices") == (invoices[0], invoices[-1]) and passes == []
    held.delete("invoices", [invoices[-1]])
    assert held.id_span("invoices") == (invoices[0], invoices[-2]) and passes == ["invoices"]


def test_a_run_asks_the_clock_the_stages_and_the_rates_in_one_request():
    """A Refresh's counts go at its start too: each request more here is a connection fewer
    for them (a page keeps six in flight)."""
    portal = Portal(generated(200, 34))
    engine = engine_for(portal, write_back=False)
    asyncio.run(engine.run())
    sent = []
    send = engine.gateway.transport.send

    async def spy(method, params):
        sent.append((method, sorted(command.split("?")[0] for command in params.get("cmd", {}).values())))
        return await send(method, params)

    engine.gateway.transport.send = spy
    asyncio.run(engine.run())
    assert sent[0] == ("batch", ["crm.currency.list", "crm.status.list", "user.current"])
    assert not {"user.current", "crm.status.list", "crm.currency.list"} & {method for method, _ in sent}
    assert engine.user_id == 1 and engine.tz is not None and engine.stages is not None


def counting(method: str, params: dict) -> dict[str, str]:
    """A Refresh's counting commands in this request, by key (empty: another request)."""
    commands = params.get("cmd", {}) if method == "batch" else {}
    counts = {key: command for key, command in commands.items()
              if "start=" not in command and ("select%5B0%5D=ID&" in command + "&" or "select%5B0%5D=id&" in command + "&")}
    return counts if len(counts) == len(commands) else {}


def test_a_refreshs_counts_leave_one_place_for_the_changes_and_take_it_once_they_are_read(monkeypatch):
    """The changes' batch must not wait behind a second of counting; once it is answered
    nothing else needs that place, and the counts are the longest wait of a Refresh."""
    monkeypatch.setattr(engine_module, "COUNTED_AT_LEAST", 100)
    monkeypatch.setattr(engine_module, "COUNT_ROW_S", 0.01)
    portal = Portal(generated(500, 34), costs=CostModel(count_per_row_s=0.01))  # each request about 3 s
    engine = engine_for(portal, write_back=False)  # eight in flight: seven places for counts
    asyncio.run(engine.run())
    portal.clock.sleep(60)
    flying, most = [], {"before": 0, "after": 0}
    send = engine.gateway.transport.send

    async def spy(method, params):
        counts = bool(counting(method, params))
        if counts:
            flying.append(1)
            when = "after" if most.get("changes read") else "before"
            most[when] = max(most[when], len(flying))
        try:
            return await send(method, params)
        finally:
            if counts:
                flying.pop()
            elif method == "batch" and any("DATE_MODIFY%5D=" in c for c in params["cmd"].values()):
                most["changes read"] = True

    engine.gateway.transport.send = spy
    asyncio.run(engine.run())
    assert most["changes read"] and (most["before"], most["after"]) == (7, 8)


def test_a_line_of_rows_is_cut_into_requests_of_the_costs_asked_and_each_kind_is_covered_once():
    """Two requests of one cost and one of half: 100,000 activities, 40,000 deals and 1,000
    old invoices cost 3.13 s to count (20.9 µs a row, 0.06 s a command) and 0.12 s more for
    the two cuts: 1.30 s, 1.30 s and 0.65 s."""
    activities, deals, old = (next(k for k in engine_module.KINDS if k.name == name)
                              for name in ("activities", "deals", "legacy_invoices"))
    held = [(activities, 100_000), (deals, 40_000), (old, 1_000)]
    cost = sum(0.06 + 20.9e-6 * rows for _, rows in held) + 2 * 0.06
    budgets = [cost / 2.5, cost / 2.5, cost / 5]
    requests = engine_module._cut_line(held, budgets)
    assert [[(kind.name, round(lo, 3), round(hi, 3)) for kind, lo, hi in request] for request in requests] == [
        [("activities", 0.0, 0.593)],                           # (1.30 s - 0.06 s) / 20.9 µs = 59,272 rows
        [("activities", 0.593, 1.0), ("deals", 0.0, 0.392)],
        [("deals", 0.392, 1.0), ("legacy_invoices", 0.0, 1.0)],
    ]
    spent = [sum(0.06 + 20.9e-6 * dict(held)[kind] * (hi - lo) for kind, lo, hi in request) for request in requests]
    assert [round(x, 3) for x in spent] == [round(x, 3) for x in budgets] == [1.299, 1.299, 0.649]


def test_requests_that_start_later_hold_less_so_that_all_end_together():
    budgets = engine_module._budgets
    # five places at once and the changes' place at 0.8 s: 8.8 s of counting ends at 1.6 s
    assert [round(b, 2) for b in budgets(8.8, [0, 0, 0, 0, 0, 0.8], 0.27)] == [1.6] * 5 + [0.8]
    # a full bucket lets one request go each half second: the fourth would have nothing left to do
    assert [round(b, 2) for b in budgets(3.0, [0, 0.5, 1.0, 1.5], 0.27)] == [1.5, 1.0, 0.5]
    assert budgets(0.1, [0, 0, 0.8], 0.27) == [0.1]                   # too little to cut


def test_a_kinds_small_tail_stays_in_its_request_and_a_request_short_of_room_is_made_up_by_the_next():
    activities, deals = (next(k for k in engine_module.KINDS if k.name == name) for name in ("activities", "deals"))
    row = 20.9e-6
    budgets = [0.06 + row * 98_000, 0.06 + row * 100_000, 1.0]  # 2,000 activities over: they stay
    requests = engine_module._cut_line([(activities, 100_000), (deals, 110_000)], budgets)
    assert [[(kind.name, round(lo, 2), round(hi, 2)) for kind, lo, hi in request] for request in requests] == [
        [("activities", 0.0, 1.0)],
        [("deals", 0.0, 0.89)],                                 # 98,000 deals: the 2,000 over come off
        [("deals", 0.89, 1.0)],
    ]


def test_a_refresh_counts_in_requests_of_one_cost_at_once_and_finds_a_deletion_in_any_range(monkeypatch):
    """A counting command costs per row it counts and a batch runs its commands in turn, so
    a Refresh cuts the rows held into requests that end together, one for each place (and
    one for the changes' place, had the counts more than it takes to read the changes),
    all sent at once; the ranges must still take in every ID, the first and the newest too."""
    monkeypatch.setattr(engine_module, "COUNTED_AT_LEAST", 100)
    monkeypatch.setattr(engine_module, "COUNT_ROW_S", 0.0005)     # rows outweigh commands, as at 85k
    portal, store = Portal(generated(500, 34), costs=CostModel(count_per_row_s=0.0005)), MemoryStore()
    engine = engine_for(portal, store, write_back=False)
    asyncio.run(engine.run())
    asked: list[dict[str, str]] = []
    costs: list[float] = []
    send = engine.gateway.transport.send

    async def spy(method, params):
        answer = await send(method, params)
        if counts := counting(method, params):
            asked.append(counts)
            times = answer.body["result"]["result_time"]
            costs.append(sum(float(times[key]["duration"]) for key in counts))
        return answer

    engine.gateway.transport.send = spy
    portal.clock.sleep(60)
    deals, contacts = sorted(portal.tables["deals"].ids), sorted(portal.tables["contacts"].ids)
    for table, rid in (("deals", deals[0]), ("deals", deals[len(deals) // 2]), ("contacts", contacts[-1])):
        portal.delete_record(table, rid)
    result = asyncio.run(engine.run())
    assert rows_json(result) == expected(portal.snapshot())["clients"]
    places = engine_module.count_places(engine.gateway)
    assert places - 1 <= len(asked) <= places               # a request for each place (none left for the changes')
    assert max(costs[:-1]) < 1.25 * min(costs[:-1])         # of one cost, the last maybe a little short
    by_list: dict[str, list[str]] = {}
    for command in (command for counts in asked for command in counts.values()):
        by_list.setdefault(command.partition("select")[0], []).append(command)
    windows = max(by_list.values(), key=len)                 # the largest list, cut
    assert len(windows) > 1
    assert sum(1 for c in windows if "%5B%3E%3D" not in c) == 1  # one from the first ID
    assert sum(1 for c in windows if "%5B%3C" not in c) == 1     # one to the newest
    listed = []
    all_ids = engine._all_ids

    async def listing(kind):
        listed.append(kind.name)
        return await all_ids(kind)

    engine._all_ids = listing
    portal.clock.sleep(60)
    asyncio.run(engine.run())
    assert listed == [], "the ranges' counts did not add up to the records held"


def test_a_count_refused_for_its_methods_budget_inside_a_batch_is_asked_again_once_it_drains():
    portal = Portal(generated(200, 34))
    engine = engine_for(portal, write_back=False)
    asyncio.run(engine.run())
    portal.clock.sleep(600)
    portal.delete_record("activities", sorted(portal.tables["activities"].ids)[0])
    for key in [key for key in portal.operating._baskets if key[1] == "crm.activity.list"]:
        portal.operating.record(key, portal.clock.now(), 481.0)  # spent for the next ten minutes
    result = asyncio.run(engine.run())
    assert engine.gateway.stats.http_429 > 0
    assert rows_json(result) == expected(portal.snapshot())["clients"]
    assert engine.aggregates.count("activities") == len(portal.tables["activities"].ids)


def test_a_contacts_companies_come_beside_it_from_crm_item_list_and_only_for_contacts_with_a_main_one():
    """The legacy contact list gives only the main company (plan.CONTACT_COMPANIES): every
    other one is read from crm.item.list in the same request, so a contact keeps all of
    its companies, the main one first, as the snapshot's bindings give them."""
    data = generated(800, 2)
    portal = Portal(data)
    engine = engine_for(portal, write_back=False)
    sent = []
    send = engine.gateway.transport.send

    async def spy(method, params):
        sent.extend(params.get("cmd", {}).values())
        return await send(method, params)

    engine.gateway.transport.send = spy
    asyncio.run(engine.run())
    want = snapshot_from_data(data).crm.contacts
    assert engine.aggregates.contacts == want
    assert sum(len(c.company_ids) > 1 for c in want.values()) > 10
    contact_items = [c for c in sent if c.startswith("crm.item.list") and "entityTypeId=3&" in c]
    assert contact_items and all("%3EcompanyId%5D=0" in c for c in contact_items)
    assert any(c.startswith("crm.contact.list") for c in sent)


def test_a_contacts_companies_are_read_again_with_it_when_it_changes():
    data = generated(300, 5)
    portal = Portal(data)
    store = MemoryStore()
    sync(portal, store, write_back=False)
    contact = next(int(c["ID"]) for c in data["contacts"] if not c.get("COMPANY_ID"))
    first, second = (int(c["ID"]) for c in data["companies"][:2])
    row = {**portal.tables["contacts"].rows[contact], "COMPANY_ID": str(first),
           "DATE_MODIFY": portal.iso(portal.clock.now() + 60)}
    portal.bindings += [{"CONTACT_ID": str(contact), "COMPANY_ID": str(company), "IS_PRIMARY": primary, "SORT": "10"}
                        for company, primary in ((first, "Y"), (second, "N"))]
    portal.clock.advance(120)
    portal.put_record("contacts", row)
    _, engine = sync(portal, store, write_back=False)
    assert engine.aggregates.contacts[contact].company_ids == (first, second)
