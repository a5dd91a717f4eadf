"""The Planning mode's activities from the sync's aggregates (planning.md "Speed": "no
extra pass over the CRM"): for the same portal, user and day, the window taken from what
the engine folded equals the window the portal gives when asked, and so do the bands and
touches made of them — after the first run, after a Refresh that finds activities
completed, added and deleted, and after the store is replayed by a new engine.  Taking it
asks the portal for no activity; a store of the layout before activities carried their
facts starts over."""

import asyncio
from datetime import datetime, timedelta

import pytest

from b24clients.ranks import RankSettings
from b24clients.sync import planning
from b24clients.sync.engine import FORMAT
from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from syncfix import TODAY, engine_for, generated, sync, visible_snapshot
from test_planning_read import MSK, core_statuses


@pytest.fixture(scope="module")
def data():
    return generated(300, 3)


def logged(portal) -> list[str]:
    """Every method the portal runs from now on (a batch's commands each)."""
    methods: list[str] = []
    run = portal.run
    portal.run = lambda method, params, caller: methods.append(method) or run(method, params, caller)
    return methods


def both(portal, engine, user: int, settings=RankSettings()):
    """The window folded and the window read, for the same day; and the methods the folded one asked."""
    gateway = engine_for(portal, user_id=user).gateway
    methods = logged(portal)
    folded = asyncio.run(planning.read_planning(gateway, settings, today=TODAY, folded=engine.aggregates.activities))
    asked = list(methods)
    read = asyncio.run(planning.read_planning(gateway, settings, today=TODAY))
    return folded, read, asked


def by_id(activities):
    return sorted(activities, key=lambda a: a.id)


def assert_same(portal, user: int, folded, read) -> dict:
    """The same activities, departments and window, and the same statuses; returns those."""
    assert (folded.today, folded.tz, folded.user_id, folded.since) == (read.today, read.tz, read.user_id, read.since)
    assert by_id(folded.activities) == by_id(read.activities)
    assert folded.departments == read.departments
    seen = visible_snapshot(portal, user)
    statuses = core_statuses(seen, folded.activities)
    assert statuses == core_statuses(seen, read.activities)   # bands, last touches and by whom, due and planned days
    return statuses


@pytest.mark.parametrize("user", [1, 8, 10])        # the admin, a head (sub-departments), a manager (department)
def test_the_folded_window_equals_the_read_one_and_asks_for_no_activity(data, user):
    portal = Portal(data)
    _, engine = sync(portal, user_id=user, write_back=False)
    folded, read, asked = both(portal, engine, user)
    statuses = assert_same(portal, user, folded, read)
    assert "crm.activity.list" not in asked and sorted(set(asked)) == ["department.get", "user.current"]
    assert len(folded.activities) > 20 and {s.band for s in statuses.values()} >= {"overdue", "planned", "fine"}
    assert any(s.last_touch and s.last_touch.by for s in statuses.values())


def test_a_refresh_folds_activities_completed_added_and_deleted_into_the_same_window(data):
    user = 1
    portal, store = Portal(data), MemoryStore()
    _, engine = sync(portal, store, write_back=False)
    before = assert_same(portal, user, *both(portal, engine, user)[:2])
    portal.clock.sleep(3600)
    colleague = engine_for(portal, user_id=1).gateway
    done, added, gone, touched = colleague_works(portal, colleague, before)
    asyncio.run(engine.run())                                   # Refresh: the same engine
    folded, read, asked = both(portal, engine, user)
    after = assert_same(portal, user, folded, read)
    assert "crm.activity.list" not in asked
    held = engine.aggregates.activities
    assert held[done].completed and held[done].done_on == portal.date()
    assert added in held and not held[added].completed and gone not in held
    assert after[touched].band == "fine" and after[touched].last_touch.on == portal.date()
    assert before[touched].band == "overdue"
    reloaded = engine_for(portal, store, write_back=False)     # a new page: the store replayed
    asyncio.run(reloaded.load())
    assert reloaded.aggregates.activities == held
    assert reloaded.aggregates.with_activities == engine.aggregates.with_activities


def colleague_works(portal, gateway, statuses):
    """A colleague completes a planned to-do, plans a new one, deletes a call, and logs a
    call with an overdue client: (completed, added, deleted, the client called)."""
    rows = portal.tables["activities"].rows
    open_ = next(rid for rid, row in sorted(rows.items()) if row.get("COMPLETED") == "N"
                 and row.get("DEADLINE", "") >= f"{TODAY + timedelta(days=1)}" and row.get("DEADLINE") < "2027")
    call = next(rid for rid, row in sorted(rows.items(), reverse=True) if row.get("COMPLETED") == "Y"
                and row.get("PROVIDER_ID") == "VOXIMPLANT_CALL")
    overdue = [ref for ref, s in sorted(statuses.items()) if s.band == "overdue" and s.rank in ("A", "B", "C")]
    planned_for, called = overdue[0], overdue[1]
    asyncio.run(gateway.call("crm.activity.update", {"id": open_, "fields": {"COMPLETED": "Y"}}))
    answer = asyncio.run(gateway.call("crm.activity.todo.add", planning.todo_params(
        planned_for, datetime.combine(TODAY + timedelta(days=3), datetime.min.time(), MSK).replace(hour=10),
        "Call: planned", 1)))
    asyncio.run(gateway.call("crm.activity.delete", {"id": call}))
    now = portal.iso(portal.clock.now())
    new_id = max(rows) + 1
    type_id = "4" if called[0] == "company" else "3"
    portal.put_record("activities", {
        "ID": str(new_id), "OWNER_TYPE_ID": type_id, "OWNER_ID": str(called[1]), "TYPE_ID": "2",
        "PROVIDER_ID": "VOXIMPLANT_CALL", "COMPLETED": "Y", "STATUS": "2", "CREATED": now, "LAST_UPDATED": now,
        "START_TIME": now, "END_TIME": now, "DEADLINE": now, "AUTHOR_ID": "1", "RESPONSIBLE_ID": "1",
        "BINDINGS": [{"OWNER_TYPE_ID": type_id, "OWNER_ID": str(called[1])}]})
    return open_, int(answer.result["id"]), call, called


def test_a_store_whose_activities_carry_only_their_owners_starts_over():
    """The layout before this one (3) kept an activity as [ID, owners]: such a store is not
    replayed but read again from the first month, and then holds every activity's facts."""
    data = generated(300, 6)
    portal, store = Portal(data), MemoryStore()
    _, first = sync(portal, store, write_back=False)
    old = MemoryStore()
    old.meta = {**store.meta, "format": "b24clients-progress/3"}
    old.chunks = [{**chunk, "activities": [row[:2] for row in chunk.get("activities", [])]} for chunk in store.chunks]
    fetched = []
    _, again = sync(portal, old, write_back=False, on_progress=lambda p: p.phase == "months" and fetched.append(p.month))
    assert fetched, "an old store is read again from the first month"
    assert old.meta["format"] == FORMAT == "b24clients-progress/4"
    assert again.aggregates.activities == first.aggregates.activities
    assert all(len(row) == 9 for chunk in old.chunks for row in chunk.get("activities", []))
