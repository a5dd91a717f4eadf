"""To-do pings: Bitrix24 rings the manager by itself (next-features.md §B.2.2:
`pingOffsets` are minutes before the deadline; PingQueue queues only moments still
ahead and rebuilds on a new deadline; PingAgent skips completed to-dos, writes a PING
entry to each bound entity's timeline and notifies RESPONSIBLE_ID with the tag
CRM|PING_TODO_ACTIVITY|<id>)."""

from __future__ import annotations

from laddersim import ADMIN, ALL, DAY, call, ok, portal, result, todo

WARN_DAYS = 3


def pings(p, tid: int, status: str | None = None) -> list[dict]:
    return [x for x in p.pings if x["activity_id"] == tid and (status is None or x["status"] == status)]


def test_offsets_queue_one_ping_each_before_the_deadline():  # §B.2.2 pingOffsets = [warn_days × 1440, 0]
    p = portal()
    tid = todo(p, pingOffsets=[WARN_DAYS * 1440, 0, 0, "0"], responsibleId=ALL)
    queued = pings(p, tid, "scheduled")
    assert [(x["offset"], x["due_date"]) for x in queued] == [
        (4320, "2026-11-27T10:00:00+03:00"), (0, "2026-11-30T10:00:00+03:00")]
    assert {x["responsible"] for x in queued} == {ALL}


def test_a_ping_whose_moment_has_passed_is_never_queued():  # CORE PingQueue::addToQueue
    p = portal()
    tid = todo(p, deadline="2026-11-24T10:00:00", pingOffsets=[4320, 60])  # now is 2026-11-23 09:00
    assert [(x["offset"], x["status"], x["reason"]) for x in pings(p, tid)] == [
        (4320, "skipped", "past"), (60, "scheduled", None)]


def test_passing_time_rings_a_ping_on_the_timeline_and_in_the_responsibles_inbox():  # §B.2.2 PingAgent
    p = portal()
    tid = todo(p, pingOffsets=[4320, 0], responsibleId=ALL, title="Call Acme")
    travelled = p.travel(days=4)  # 2026-11-27 09:00: the 3-day ping (10:00) has not rung yet
    assert travelled["rung"] == []
    travelled = p.travel(hours=1)
    assert [x["offset"] for x in travelled["rung"]] == [4320]
    first = pings(p, tid, "rung")[0]
    assert first["rung_at"] == first["due"] and first["due_date"] == "2026-11-27T10:00:00+03:00"
    [entry] = p.timeline_entries
    assert (entry["type"], entry["ENTITY_TYPE_ID"], entry["ENTITY_ID"], entry["ASSOCIATED_ENTITY_ID"]) == (
        "PING", 3, 3, tid)
    assert entry["CREATED"] == "2026-11-27T10:00:00+03:00" and entry["PING_OFFSET"] == 3 * DAY
    [note] = p.inbox(ALL)
    assert note["kind"] == "ping" and note["tag"] == f"CRM|PING_TODO_ACTIVITY|{tid}" and note["from"] == ADMIN
    assert "Call Acme" in note["message"]
    assert pings(p, tid, "scheduled")[0]["offset"] == 0


def test_the_second_ping_replaces_the_first_in_the_inbox():  # §B.2.3 a tag replaces
    p = portal()
    tid = todo(p, pingOffsets=[4320, 0], responsibleId=ALL)
    p.travel(days=8)
    assert len(pings(p, tid, "rung")) == 2 and len(p.timeline_entries) == 2
    sent = [n for n in p.notifications if n["kind"] == "ping"]
    assert len(sent) == 2 and sent[0]["replaced_by"] == sent[1]["id"]
    assert p.inbox(ALL) == [sent[1]]


def test_a_new_deadline_cancels_what_was_queued_and_queues_again():  # §B.2.2 "reset the timer"
    p = portal()
    tid = todo(p, pingOffsets=[4320, 0])
    ok(call(p, "crm.activity.todo.updateDeadline", {"id": tid, "ownerTypeId": 3, "ownerId": 3,
                                                    "value": "2026-12-20T10:00:00"}))
    assert [x["reason"] for x in pings(p, tid, "cancelled")] == ["rescheduled", "rescheduled"]
    assert [x["due_date"] for x in pings(p, tid, "scheduled")] == ["2026-12-17T10:00:00+03:00",
                                                                   "2026-12-20T10:00:00+03:00"]
    assert p.travel(days=10)["rung"] == []  # the old moments pass in silence


def test_a_completed_or_deleted_to_do_never_rings():  # §B.2.2 "It skips completed activities"
    p = portal()
    done, gone = todo(p, pingOffsets=[0]), todo(p, pingOffsets=[0])
    ok(call(p, "crm.activity.update", {"id": done, "fields": {"COMPLETED": "Y"}}))
    ok(call(p, "crm.activity.delete", {"id": gone}))
    assert [x["reason"] for x in pings(p, done)] == ["completed"]
    assert [x["reason"] for x in pings(p, gone)] == ["deleted"]
    assert p.travel(days=30)["rung"] == [] and p.notifications == []


def test_a_reopened_to_do_queues_its_pings_again():  # CORE PingQueue::register
    p = portal()
    tid = todo(p, pingOffsets=[0])
    ok(call(p, "crm.activity.update", {"id": tid, "fields": {"COMPLETED": "Y"}}))
    ok(call(p, "crm.activity.update", {"id": tid, "fields": {"COMPLETED": "N"}}))
    assert len(pings(p, tid, "scheduled")) == 1


def test_pings_ring_when_time_passes_by_calls_too_and_go_to_the_current_responsible():  # §B.2.2
    p = portal()
    tid = todo(p, deadline="2026-11-23T09:30:00", pingOffsets=[0])
    ok(call(p, "crm.activity.todo.updateResponsibleUser", {"id": tid, "ownerTypeId": 3, "ownerId": 3,
                                                           "responsibleId": ALL}))
    p.clock.sleep(3600)  # a client waits an hour; nobody travels
    assert pings(p, tid, "scheduled")  # nothing rings until the portal is asked something
    call(p, "user.current")
    assert pings(p, tid, "rung")[0]["responsible"] == ALL
    assert [n["to"] for n in p.notifications] == [ALL]


def test_ping_effects_cost_nothing_and_are_not_requests():  # spec/portal-sim.md: effects are the portal's own
    p = portal()
    todo(p, pingOffsets=[4320, 0])
    before = dict(p.counters)
    p.travel(days=10)
    assert p.counters == before


def test_a_to_do_without_offsets_is_silent():  # DOCS todo-add "Default is an empty array, with no reminders"
    p = portal()
    tid = todo(p)
    assert pings(p, tid) == [] and p.travel(days=30)["rung"] == []
    assert result(p, "crm.activity.get", {"id": tid})["COMPLETED"] == "N"
