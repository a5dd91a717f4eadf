"""To-dos, the ladder's alarm clock: crm.activity.todo.add / updateDeadline / update /
updateResponsibleUser, crm.activity.get / update / delete — shapes, rights, costs,
recorded writes (next-features.md §B.2.2, bitrix24-rest.md §9 and §7.9; DOCS
crm/timeline/activities/todo/* and activity-base/crm-activity-{update,delete}.md)."""

from __future__ import annotations

import pytest

from laddersim import ADMIN, NO_CRM, OWN, READER, call, error, ok, portal, result, todo

TODO = {"ownerTypeId": 3, "ownerId": 3, "deadline": "2026-11-30T10:00:00", "title": "Call Acme: it becomes Cold",
        "description": "[b24clients:ladder]", "responsibleId": 5, "pingOffsets": [4320, 0], "colorId": "2"}


def test_a_to_do_is_listed_as_a_crm_todo_with_its_deadline_and_responsible():  # §B.2.2, REF §7.9
    p = portal()
    reply = call(p, "crm.activity.todo.add", TODO)
    assert reply.status == 200 and set(reply.body["result"]) == {"id"}
    new_id = reply.body["result"]["id"]
    [row] = result(p, "crm.activity.list", {"filter": {"PROVIDER_ID": "CRM_TODO", "COMPLETED": "N"}})
    assert row["ID"] == str(new_id) and row["TYPE_ID"] == "6" and row["PROVIDER_TYPE_ID"] == "TODO"
    assert (row["OWNER_TYPE_ID"], row["OWNER_ID"]) == ("3", "3")
    assert row["BINDINGS"] == [{"OWNER_TYPE_ID": "3", "OWNER_ID": "3"}]
    assert row["SUBJECT"] == TODO["title"] and row["DESCRIPTION"] == TODO["description"]
    assert row["DEADLINE"] == "2026-11-30T10:00:00+03:00"  # no offset given: the portal's time zone
    assert row["RESPONSIBLE_ID"] == "5" and row["AUTHOR_ID"] == "1" and row["STATUS"] == "1"
    assert row["CREATED"] == "2026-11-23T09:00:00+03:00"
    by_client = result(p, "crm.activity.list", {"filter": {"BINDINGS": [{"OWNER_TYPE_ID": 3, "OWNER_ID": 3}],
                                                           "RESPONSIBLE_ID": 5}, "select": ["ID", "DEADLINE"]})
    assert by_client == [{"ID": str(new_id), "DEADLINE": "2026-11-30T10:00:00+03:00"}]
    assert p.writes[-1]["method"] == "crm.activity.todo.add" and p.writes[-1]["user_id"] == ADMIN


def test_the_responsible_defaults_to_the_caller_and_ids_never_come_back():  # §B.2.2
    p = portal()
    first = todo(p, owner=1, user=OWN)
    assert p.tables["activities"].rows[first]["RESPONSIBLE_ID"] == str(OWN)
    ok(call(p, "crm.activity.delete", {"id": first}, OWN))
    assert todo(p, owner=1, user=OWN) == first + 1


def test_adding_needs_edit_rights_on_the_owner():  # §B.2.2 "requires edit permission on the owner"
    p = portal()
    assert call(p, "crm.activity.todo.add", {**TODO, "ownerId": 1}, OWN).status == 200      # contact 1 is user 2's
    assert error(call(p, "crm.activity.todo.add", {**TODO, "ownerId": 2}, OWN)) == (400, "ACCESS_DENIED",
                                                                                   "Access denied.")
    assert error(call(p, "crm.activity.todo.add", TODO, READER))[1] == "ACCESS_DENIED"     # reads all, edits own
    assert error(call(p, "crm.activity.todo.add", TODO, NO_CRM))[1] == "ACCESS_DENIED"
    assert len(p.tables["activities"].rows) == 2  # the snapshot's call and user 2's to-do


@pytest.mark.parametrize("change, code", [
    ({"deadline": None}, "100"), ({"ownerId": 999}, "OWNER_NOT_FOUND"), ({"ownerTypeId": 1}, "OWNER_NOT_FOUND"),
    ({"deadline": "next Tuesday"}, "WRONG_DATETIME_FORMAT")])
def test_documented_errors_of_todo_add(change, code):  # REF §9
    p = portal()
    params = {k: v for k, v in {**TODO, **change}.items() if v is not None}
    status, got, _ = error(call(p, "crm.activity.todo.add", params))
    assert (status, got) == (400, code)


def test_a_write_costs_the_update_time_and_a_round_trip():  # spec/portal-sim.md cost model
    p = portal()
    reply = call(p, "crm.activity.todo.add", TODO)
    assert reply.body["time"]["processing"] == p.costs.update_s
    assert reply.seconds == pytest.approx(p.costs.update_s + p.costs.network_rtt_s)
    assert p.operating_totals["crm.activity.todo.add"] == p.costs.update_s


def test_update_deadline_moves_the_to_do_and_checks_owner_rights_and_state():  # §B.2.2 "reset the timer"
    p = portal()
    tid = todo(p)
    moved = {"id": tid, "ownerTypeId": 3, "ownerId": 3, "value": "2026-12-05T15:00:00+03:00"}
    assert result(p, "crm.activity.todo.updateDeadline", moved) == {"id": tid}
    row = result(p, "crm.activity.get", {"id": tid})
    assert row["DEADLINE"] == row["END_TIME"] == "2026-12-05T15:00:00+03:00" and row["EDITOR_ID"] == "1"
    assert error(call(p, "crm.activity.todo.updateDeadline", {**moved, "ownerId": 4}))[1] == "NOT_FOUND"
    assert error(call(p, "crm.activity.todo.updateDeadline", moved, READER))[1] == "ACCESS_DENIED"
    assert error(call(p, "crm.activity.todo.updateDeadline", {**moved, "value": "soon"}))[1] == \
        "WRONG_DATETIME_FORMAT"
    ok(call(p, "crm.activity.update", {"id": tid, "fields": {"COMPLETED": "Y"}}))
    assert error(call(p, "crm.activity.todo.updateDeadline", moved))[1] == "CAN_NOT_UPDATE_COMPLETED_TODO"


def test_todo_methods_refuse_an_activity_that_is_not_a_to_do():  # DOCS todo/index.md
    p = portal()
    call_activity = {"id": 1, "ownerTypeId": 3, "ownerId": 2, "value": "2026-12-05T15:00:00"}  # a phone call
    assert error(call(p, "crm.activity.todo.updateDeadline", call_activity))[1] == "NOT_FOUND"


def test_todo_update_rewrites_title_deadline_and_pings():  # §B.2.2 "crm.activity.todo.update with new pingOffsets"
    p = portal()
    tid = todo(p, pingOffsets=[60])
    params = {"id": tid, "ownerTypeId": 3, "ownerId": 3, "deadline": "2026-12-10T10:00:00",
              "title": "Call Acme: it becomes Lost", "pingOffsets": [1440, 0]}
    assert result(p, "crm.activity.todo.update", params) == {"id": tid}
    row = p.tables["activities"].rows[tid]
    assert row["SUBJECT"] == "Call Acme: it becomes Lost" and row["DESCRIPTION"] == ""
    assert row["DEADLINE"] == "2026-12-10T10:00:00+03:00"
    assert sorted(x["offset"] for x in p.pings if x["activity_id"] == tid and x["status"] == "scheduled") == [0, 1440]


def test_the_responsible_of_a_to_do_changes_through_update_responsible_user():  # DOCS ...-update-responsible-user.md
    p = portal()
    tid = todo(p)
    params = {"id": tid, "ownerTypeId": 3, "ownerId": 3, "responsibleId": 5}
    assert result(p, "crm.activity.todo.updateResponsibleUser", params) == {"id": tid}
    assert p.tables["activities"].rows[tid]["RESPONSIBLE_ID"] == "5"
    assert p.reassignments[-1] | {"at": 0, "date": ""} == {
        "id": 1, "table": "activities", "entityTypeId": None, "entity_id": tid, "from": 1, "to": 5, "by": 1,
        "method": "crm.activity.todo.updateResponsibleUser", "at": 0, "date": "", "notified": False}
    assert error(call(p, "crm.activity.todo.updateResponsibleUser", {**params, "responsibleId": 0}))[1] in (
        "100", "INVALID_ARG_VALUE")
    assert error(call(p, "crm.activity.todo.updateResponsibleUser", params, READER))[1] == "ACCESS_DENIED"


def test_crm_activity_update_closes_or_hands_over_a_to_do_and_delete_removes_it():  # DOCS activity-base
    p = portal()
    tid = todo(p)
    assert result(p, "crm.activity.update", {"id": tid, "fields": {"RESPONSIBLE_ID": 5}}) is True
    assert p.reassignments[-1]["method"] == "crm.activity.update" and p.reassignments[-1]["to"] == 5
    assert result(p, "crm.activity.update", {"id": tid, "fields": {"COMPLETED": "Y"}}) is True
    assert result(p, "crm.activity.list", {"filter": {"PROVIDER_ID": "CRM_TODO", "COMPLETED": "N"}}) == []
    row = result(p, "crm.activity.get", {"id": tid})
    assert (row["COMPLETED"], row["STATUS"]) == ("Y", "2")
    assert error(call(p, "crm.activity.delete", {"id": tid}, READER)) == (400, "", "Access denied.")
    assert result(p, "crm.activity.delete", {"id": tid}) is True
    assert error(call(p, "crm.activity.get", {"id": tid})) == (400, "", "Activity is not found")
    assert error(call(p, "crm.activity.delete", {"id": tid})) == (400, "", "Activity is not found")
    assert [w["method"] for w in p.writes][-3:] == ["crm.activity.update", "crm.activity.update",
                                                    "crm.activity.delete"]


def test_reading_one_activity_follows_who_sees_it():  # REF §10, next-features.md A.5
    p = portal()
    tid = todo(p, owner=1, user=OWN)
    assert result(p, "crm.activity.get", {"id": tid}, OWN)["ID"] == str(tid)
    assert error(call(p, "crm.activity.get", {"id": 1}, OWN)) == (400, "", "Access denied.")  # on contact 2
    assert error(call(p, "crm.activity.get", {"id": tid}, NO_CRM)) == (400, "", "Access denied.")


def test_method_names_are_case_insensitive_and_work_in_a_batch():  # REF §3.1
    p = portal()
    tid = todo(p)
    answer = result(p, "batch", {"halt": 0, "cmd": {
        "move": f"crm.activity.todo.updateDeadline?id={tid}&ownerTypeId=3&ownerId=3&value=2026-12-01T10:00:00",
        "read": f"crm.activity.get?id={tid}"}})
    assert answer["result"]["move"] == {"id": tid}
    assert answer["result"]["read"]["DEADLINE"] == "2026-12-01T10:00:00+03:00"
    assert call(p, "CRM.ACTIVITY.TODO.UPDATEDEADLINE", {"id": tid, "ownerTypeId": 3, "ownerId": 3,
                                                        "value": "2026-12-02T10:00:00"}).status == 200
