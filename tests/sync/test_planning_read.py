"""What the Planning mode reads and writes beyond the aggregates, against the simulated
portal with each user's own rights: the bands from the bounded activity read equal the
core's from the whole snapshot; a head's tree and its employees; the load calendar's month
in one request; a planned call is a to-do with the right owner, deadline, responsible and
ping, and moves its client to "planned"."""

import asyncio
from datetime import date, datetime, timedelta, timezone

import pytest

from b24clients import records
from b24clients.ranks import RankSettings, month_load, touch_statuses
from b24clients.ranks.scope import headed_tree, members
from b24clients.snapshot import snapshot_from_data
from b24clients.sync import planning
from b24sim.portal import Portal
from syncfix import TODAY, engine_for, expected_ranks, generated, visible_snapshot

MSK = timezone(timedelta(hours=3))


@pytest.fixture(scope="module")
def data():
    return generated(300, 3)


def gateway(portal, user):
    return engine_for(portal, user_id=user).gateway


def core_statuses(snapshot: dict, activities, settings=RankSettings()):
    """The core's bands for the same CRM, record touches from the rows themselves."""
    crm = snapshot_from_data(snapshot).crm
    ranks = expected_ranks(snapshot, settings=settings).ranks
    touches = [((entity, int(row["ID"])), touch) for entity, table in (("contact", "contacts"), ("company", "companies"))
               for row in snapshot[table] if (touch := records.record_touch(row, MSK)) is not None]
    return touch_statuses(crm, activities, touches, ranks, settings, TODAY)


def bands(statuses):
    return {ref: (s.band, s.next_planned) for ref, s in statuses.items()}


@pytest.mark.parametrize("user", [1, 8, 10])        # the admin, a head (sub-departments), a manager (department)
def test_the_bands_from_the_bounded_read_equal_the_cores_from_the_whole_snapshot(data, user):
    portal = Portal(data)
    read = asyncio.run(planning.read_planning(gateway(portal, user), RankSettings(), today=TODAY))
    assert read.user_id == user and read.today == TODAY and read.since == TODAY - timedelta(days=188)
    seen = visible_snapshot(portal, user)
    everything = [records.activity(row, MSK) for row in seen["activities"]]
    assert {a.id for a in read.activities} < {a.id for a in everything}  # bounded: old completed ones are not read
    assert {a.id for a in read.activities} == {a.id for a in everything if not a.completed and a.deadline
                                               and a.deadline >= TODAY
                                               or a.completed and a.done_on and a.done_on >= read.since}
    got = core_statuses(seen, read.activities)
    want = core_statuses(seen, everything)
    assert bands(got) == bands(want)
    assert {s.band for s in want.values()} >= {"overdue", "planned", "fine"}
    recent = [ref for ref, s in want.items() if s.last_touch and s.last_touch.on >= read.since]
    assert recent and all(got[ref].last_touch == want[ref].last_touch for ref in recent)
    assert len(read.departments) == len(data["departments"])


def test_a_head_sees_exactly_their_tree(data):
    portal = Portal(data)
    gate = gateway(portal, 8)
    departments = asyncio.run(planning.read_departments(gate))
    tree = headed_tree(departments, 8)
    assert tree == {3, 10, 11}
    team = asyncio.run(planning.read_members(gate, tree))
    want = {int(u["ID"]) for u in data["users"] if u.get("ACTIVE", True)
            and set(map(int, u.get("UF_DEPARTMENT") or [])) & tree}
    assert set(members(team, tree)) == want == {8, 12}        # 11 works in the tree but is no longer active
    assert headed_tree(departments, 12) == {10, 11}
    assert asyncio.run(planning.read_members(gate, [])) == []


def test_the_load_calendar_reads_a_responsibles_month_in_one_request(data):
    portal = Portal(data)
    gate = gateway(portal, 1)
    month = TODAY + timedelta(days=10)
    busiest = max((u for u in data["users"]), key=lambda u: sum(
        1 for a in data["activities"] if a.get("RESPONSIBLE_ID") == u["ID"] and a.get("COMPLETED") == "N"))
    uid = int(busiest["ID"])
    before = gate.stats.requests
    found = asyncio.run(planning.read_month(gate, uid, month.year, month.month, MSK))
    assert gate.stats.requests - before == 1
    everything = [records.activity(row, MSK) for row in data["activities"]]
    want = month_load(everything, uid, month.year, month.month, 8)
    got = month_load(found, uid, month.year, month.month, 8)
    assert got == want and sum(d.open for d in got) > 0
    assert all(a.responsible_id == uid and not a.completed for a in found)


def test_a_planned_call_is_a_to_do_with_owner_deadline_responsible_and_ping_and_moves_the_client(data):
    portal = Portal(data)
    head = 8
    gate = gateway(portal, head)
    read = asyncio.run(planning.read_planning(gate, RankSettings(), today=TODAY))
    seen = visible_snapshot(portal, head)
    statuses = core_statuses(seen, read.activities)
    ref, status = next((ref, s) for ref, s in sorted(statuses.items()) if s.band == "overdue" and ref[0] == "company")
    row = next(c for c in seen["companies"] if int(c["ID"]) == ref[1])
    responsible = int(row["ASSIGNED_BY_ID"])
    when = datetime(2026, 11, 26, 11, 30, tzinfo=MSK)
    made = asyncio.run(planning.plan_touch(gate, ref, when, "Call: check in", responsible, MSK))
    todo = next(a for a in portal.snapshot()["activities"] if int(a["ID"]) == made.id)
    assert (todo["OWNER_TYPE_ID"], todo["OWNER_ID"]) == ("4", str(ref[1]))
    assert todo["DEADLINE"].startswith("2026-11-26T11:30:00") and todo["SUBJECT"] == "Call: check in"
    assert (todo["RESPONSIBLE_ID"], todo["AUTHOR_ID"], todo["COMPLETED"]) == (str(responsible), str(head), "N")
    assert [p["offset"] for p in portal.pings if p["activity_id"] == made.id] == list(planning.PING_MINUTES)
    assert made.deadline == date(2026, 11, 26) and made.owners == (ref,)
    again = asyncio.run(planning.read_planning(gate, RankSettings(), today=TODAY))
    assert made.id in {a.id for a in again.activities}
    assert core_statuses(visible_snapshot(portal, head), again.activities)[ref].band == "planned"
    assert core_statuses(seen, [*read.activities, made])[ref].band == "planned"   # the app's own at once


def test_the_to_do_parameters():
    params = planning.todo_params(("contact", 5), datetime(2026, 12, 1, 9, 0, tzinfo=MSK), "Meeting", 7)
    assert params == {"ownerTypeId": 3, "ownerId": 5, "deadline": "2026-12-01T09:00:00+03:00", "title": "Meeting",
                      "description": "", "responsibleId": 7, "pingOffsets": [15], "colorId": "2"}


@pytest.mark.parametrize("user, responsibles", [(1, None), (8, {8, 12})])
def test_the_control_tables_activities_are_those_created_completed_or_overdue_that_the_user_may_read(
        data, user, responsibles):
    from b24clients.web import control

    portal = Portal(data)
    first, last = control.period_range("30d", TODAY)
    rows = asyncio.run(planning.read_control(gateway(portal, user), first, last, TODAY, MSK, responsibles))
    got = {int(r["ID"]) for r in rows}
    start = datetime.combine(first, datetime.min.time(), MSK)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), MSK)
    midnight = datetime.combine(TODAY, datetime.min.time(), MSK)
    want = set()
    for raw in visible_snapshot(portal, user)["activities"]:
        item = control.event(raw, MSK)
        if responsibles is not None and item.responsible_id not in responsibles:
            continue
        if (start <= item.created < end or item.closed and start <= item.closed < end
                or item.closed is None and item.deadline and item.deadline < midnight):
            want.add(item.id)
    assert got == want and len(got) > 10
    assert any(control.event(r, MSK).late for r in rows)
    assert asyncio.run(planning.read_control(gateway(portal, user), first, last, TODAY, MSK, set())) == []
