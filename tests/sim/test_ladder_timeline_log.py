"""Timeline log entries: crm.timeline.logmessage.add / list / get / delete — "Status
changed to Cold" as a low-priority log entry, not a comment (next-features.md §B.2.4,
A.5 step 8; DOCS crm/timeline/logmessage/*)."""

from __future__ import annotations

import pytest

from laddersim import ADMIN, NO_CRM, OWN, READER, call, error, ok, portal, result, todo

ENTRY = {"entityTypeId": 4, "entityId": 7, "title": "Status (Clients)", "text": "Warm → Cold since 12 March",
         "iconCode": "info"}


def test_an_entry_answers_its_log_message():  # DOCS crm-timeline-logmessage-add.md
    p = portal()
    reply = call(p, "crm.timeline.logmessage.add", {"fields": ENTRY})
    assert reply.status == 200
    assert reply.body["result"] == {"logMessage": {
        "id": 1, "created": "2026-11-23T09:00:00+03:00", "authorId": ADMIN, "title": "Status (Clients)",
        "text": "Warm → Cold since 12 March", "iconCode": "info"}}
    assert p.log_messages[0]["entityTypeId"] == 4 and p.log_messages[0]["entityId"] == 7
    assert p.writes[-1]["method"] == "crm.timeline.logmessage.add"
    assert reply.body["time"]["processing"] == p.costs.update_s


def test_adding_needs_edit_rights_on_the_entity():  # §B.2.4 "Needs edit permission on the entity"
    p = portal()
    assert call(p, "crm.timeline.logmessage.add", {"fields": {**ENTRY, "entityId": 8}}, OWN).status == 200  # user 2's
    assert error(call(p, "crm.timeline.logmessage.add", {"fields": ENTRY}, OWN)) == (400, "ACCESS_DENIED",
                                                                                   "Access denied")
    assert error(call(p, "crm.timeline.logmessage.add", {"fields": ENTRY}, READER))[1] == "ACCESS_DENIED"
    assert error(call(p, "crm.timeline.logmessage.add", {"fields": ENTRY}, NO_CRM))[1] == "ACCESS_DENIED"
    assert len(p.log_messages) == 1


@pytest.mark.parametrize("params, code", [
    ({}, "100"), ({"fields": {**ENTRY, "iconCode": ""}}, "100"), ({"fields": {**ENTRY, "entityId": 99}}, "OWNER_NOT_FOUND"),
    ({"fields": {**ENTRY, "entityTypeId": 1}}, "OWNER_NOT_FOUND")])
def test_documented_errors(params, code):  # DOCS: title, text, iconCode all required
    assert error(call(portal(), "crm.timeline.logmessage.add", params))[:2] == (400, code)


def test_the_list_holds_the_apps_entries_newest_first_ten_a_page():  # DOCS crm-timeline-logmessage-list.md
    p = portal()
    for n in range(12):
        ok(call(p, "crm.timeline.logmessage.add", {"fields": {**ENTRY, "text": f"entry {n}"}}))
        p.clock.sleep(60)
    ok(call(p, "crm.timeline.logmessage.add", {"fields": {**ENTRY, "entityId": 8}}))
    todo(p, owner_type=4, owner=7, pingOffsets=[0])
    p.travel(days=10)  # a ping writes a system entry, which the list never shows
    first = call(p, "crm.timeline.logmessage.list", {"entityTypeId": 4, "entityId": 7}).body
    assert first["total"] == 12 and first["next"] == 10 and len(first["result"]) == 10
    assert first["result"][0]["text"] == "entry 11" and set(first["result"][0]) == {
        "id", "created", "authorId", "title", "text", "iconCode"}
    second = call(p, "crm.timeline.logmessage.list", {"entityTypeId": 4, "entityId": 7, "start": 10}).body
    assert [e["text"] for e in second["result"]] == ["entry 1", "entry 0"] and "next" not in second
    oldest = result(p, "crm.timeline.logmessage.list", {"entityTypeId": 4, "entityId": 7, "order": {"created": "asc"}})
    assert oldest[0]["text"] == "entry 0"
    assert p.timeline_entries[0]["type"] == "PING"


def test_reading_needs_read_rights_and_get_and_delete_work_on_one_entry():  # DOCS logmessage get/delete
    p = portal()
    entry = result(p, "crm.timeline.logmessage.add", {"fields": ENTRY})["logMessage"]
    assert error(call(p, "crm.timeline.logmessage.list", {"entityTypeId": 4, "entityId": 7}, OWN))[1] == \
        "ACCESS_DENIED"
    assert error(call(p, "crm.timeline.logmessage.list", {"entityTypeId": 4}))[:2] == (400, "100")
    assert result(p, "crm.timeline.logmessage.get", {"id": entry["id"]}, READER) == {"logMessage": entry}
    assert error(call(p, "crm.timeline.logmessage.delete", {"id": entry["id"]}, READER))[1] == "ACCESS_DENIED"
    hook = (ADMIN, p.add_webhook(ADMIN))
    assert p.call("crm.timeline.logmessage.delete", {"id": entry["id"]}, webhook=hook).body["error"] == \
        "ACCESS_DENIED"  # only the app that made it
    assert result(p, "crm.timeline.logmessage.delete", {"id": entry["id"]}) is True
    assert error(call(p, "crm.timeline.logmessage.get", {"id": entry["id"]}))[1] == "NOT_FOUND"
    assert p.log_messages == []
