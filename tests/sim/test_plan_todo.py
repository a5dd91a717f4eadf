"""Planning a call from the planning view: crm.activity.todo.add on the client with a ping,
and the to-do at once in the responsible's load calendar (crm.activity.list by DEADLINE and
@RESPONSIBLE_ID) — what spec/planning.md "Plan a call / Plan a meeting" needs of the portal
(next-features.md §C.4 "Planning a call or meeting", §B.2.2 pings; bitrix24-rest.md §9;
DOCS crm/timeline/activities/todo/crm-activity-todo-add.md)."""

from __future__ import annotations

import pytest

from b24sim.phpquery import build
from plansim import CORPORATE, DECEMBER_OF_5, HEAD, MANAGER, NORTH, SOUTH_MANAGER, call, error, month, portal, result

PLAN = {"ownerTypeId": 4, "ownerId": 100 + MANAGER, "deadline": "2026-12-02T10:00:00", "title": "Call",
        "responsibleId": MANAGER, "pingOffsets": [1440, 0], "colorId": 2}
DECEMBER = month("2026-12-01", "2027-01-01", [MANAGER])


def test_a_planned_call_is_in_the_responsible_s_month_at_once():  # planning.md: "the row moves to planned at once"
    p = portal()
    before = call(p, "crm.activity.list", DECEMBER).body      # a counted read, remembered by the portal
    new_id = result(p, "crm.activity.todo.add", PLAN, NORTH)["id"]
    after = call(p, "crm.activity.list", DECEMBER).body
    assert after["total"] == before["total"] + 1
    row = next(r for r in after["result"] if r["ID"] == str(new_id))
    assert row == {"ID": str(new_id), "DEADLINE": "2026-12-02T10:00:00+03:00", "RESPONSIBLE_ID": str(MANAGER),
                   "TYPE_ID": "6", "PROVIDER_ID": "CRM_TODO", "SUBJECT": "Call", "OWNER_TYPE_ID": "4",
                   "OWNER_ID": str(100 + MANAGER)}
    assert [r["ID"] for r in after["result"]] == sorted(DECEMBER_OF_5 + [str(new_id)], key=int)


def test_the_to_do_says_who_planned_it_for_whom_and_when():  # control table: created by, responsible, created
    p = portal()
    new_id = result(p, "crm.activity.todo.add", PLAN, NORTH)["id"]
    row = result(p, "crm.activity.get", {"id": new_id})
    assert (row["AUTHOR_ID"], row["RESPONSIBLE_ID"]) == (str(NORTH), str(MANAGER))
    assert (row["COMPLETED"], row["STATUS"], row["CREATED"]) == ("N", "1", "2026-11-23T09:00:00+03:00")
    assert row["BINDINGS"] == [{"OWNER_TYPE_ID": "4", "OWNER_ID": str(100 + MANAGER)}]


def test_its_pings_are_queued_and_ring_for_the_responsible():  # B.2.2: PingAgent notifies RESPONSIBLE_ID
    p = portal()
    new_id = result(p, "crm.activity.todo.add", PLAN, NORTH)["id"]
    pings = [x for x in p.pings if x["activity_id"] == new_id]
    assert [(x["offset"], x["due_date"], x["status"]) for x in pings] == [
        (1440, "2026-12-01T10:00:00+03:00", "scheduled"), (0, "2026-12-02T10:00:00+03:00", "scheduled")]
    p.travel(to="2026-12-02T10:00:00")
    assert [x["status"] for x in pings] == ["rung", "rung"]
    assert [n["to"] for n in p.inbox(MANAGER) if n["kind"] == "ping"] == [MANAGER]      # the second replaced the first


def test_the_responsible_sees_the_planned_call_and_others_outside_the_tree_do_not():  # REF §10
    p = portal()
    new_id = str(result(p, "crm.activity.todo.add", PLAN, HEAD)["id"])
    assert new_id in [r["ID"] for r in result(p, "crm.activity.list", DECEMBER, MANAGER)]
    assert new_id in [r["ID"] for r in result(p, "crm.activity.list", DECEMBER, NORTH)]
    assert result(p, "crm.activity.list", DECEMBER, SOUTH_MANAGER) == []


def test_only_someone_who_may_edit_the_client_plans_on_it():  # DOCS: "permission to edit the CRM entity"
    p = portal()
    assert error(call(p, "crm.activity.todo.add", PLAN, CORPORATE))[:2] == (400, "ACCESS_DENIED")
    assert error(call(p, "crm.activity.todo.add", PLAN, SOUTH_MANAGER))[:2] == (400, "ACCESS_DENIED")
    assert call(p, "crm.activity.todo.add", PLAN, MANAGER).status == 200     # their own client, for themselves
    assert [x["RESPONSIBLE_ID"] for x in result(p, "crm.activity.list", {**DECEMBER, "start": -1})].count("5") == 5


@pytest.mark.parametrize("deadline, stored", [
    ("2026-12-02T10:00:00+03:00", "2026-12-02T10:00:00+03:00"),
    ("2026-12-02T07:00:00Z", "2026-12-02T10:00:00+03:00"),          # what BX24.js sends for a Date (toJSON)
    ("2026-12-02T10:00:00", "2026-12-02T10:00:00+03:00"),           # no offset: the portal's time zone
])
def test_the_deadline_is_stored_in_portal_time(deadline, stored):  # DOCS example "2025-02-03T15:00:00"
    p = portal()
    new_id = result(p, "crm.activity.todo.add", {**PLAN, "deadline": deadline}, NORTH)["id"]
    assert p.tables["activities"].rows[new_id]["DEADLINE"] == stored


def test_a_meeting_is_planned_the_same_way_and_a_batch_plans_several():  # C.4 title 'Call'|'Meeting'; REF §3
    p = portal()
    cmd = {f"plan{i}": "crm.activity.todo.add?" + build({**PLAN, "title": title,
                                                          "deadline": f"2026-12-0{i + 3}T11:00:00"})
           for i, title in enumerate(("Call", "Meeting"))}
    reply = call(p, "batch", {"halt": 0, "cmd": cmd}, NORTH)
    assert reply.status == 200 and reply.body["result"]["result_error"] == []
    titles = [r["SUBJECT"] for r in result(p, "crm.activity.list", DECEMBER) if r["SUBJECT"] in ("Call", "Meeting")]
    assert titles == ["Call", "Meeting"]
    assert len([x for x in p.pings if x["status"] == "scheduled"]) == 4      # the offsets survived the query string
