"""Reassigning a lost client: ASSIGNED_BY_ID on companies, contacts and deals
(crm.*.update, crm.item.update) and a to-do's responsible, with edit rights checked
and every change recorded (next-features.md §B.2.5 and D.4; bitrix24-rest.md §8.3,
§10; spec/status-ladder.md "Lost")."""

from __future__ import annotations

import pytest

from laddersim import ADMIN, ALL, DEPT, NO_CRM, OWN, READER, call, error, ok, portal, result, todo

STATUS_FIELDS = [("B24C_STATUS", "enumeration", [{"VALUE": "Lost", "XML_ID": "lost"}]), ("B24C_STATUS_SINCE", "date", None)]


def with_status_fields(p):
    for name, kind, items in STATUS_FIELDS:
        fields = {"USER_TYPE_ID": kind, "FIELD_NAME": name, **({"LIST": items} if items else {})}
        ok(call(p, "crm.company.userfield.add", {"fields": fields}))
    return next(uf["LIST"][0]["ID"] for uf in p.userfields if uf["FIELD_NAME"] == "UF_CRM_B24C_STATUS")


def test_one_update_writes_the_status_and_the_new_responsible():  # ladder.md: Write.assign_to in one crm.*.update
    p = portal()
    lost = with_status_fields(p)
    reply = call(p, "crm.company.update", {"id": 8, "fields": {
        "UF_CRM_B24C_STATUS": lost, "UF_CRM_B24C_STATUS_SINCE": "2026-11-23", "ASSIGNED_BY_ID": 5},
        "params": {"REGISTER_SONET_EVENT": "Y"}})
    assert reply.status == 200 and reply.body["result"] is True
    assert reply.body["time"]["processing"] == p.costs.update_s
    row = result(p, "crm.company.get", {"id": 8})
    assert (row["ASSIGNED_BY_ID"], row["UF_CRM_B24C_STATUS"], row["UF_CRM_B24C_STATUS_SINCE"]) == (
        "5", lost, "2026-11-23")  # a legacy string, whatever the client sent
    [moved] = p.reassignments
    assert {k: moved[k] for k in ("table", "entityTypeId", "entity_id", "from", "to", "by", "method", "notified")} == {
        "table": "companies", "entityTypeId": 4, "entity_id": 8, "from": OWN, "to": ALL, "by": ADMIN,
        "method": "crm.company.update", "notified": True}
    [note] = p.inbox(ALL)  # REGISTER_SONET_EVENT: "send notification to the responsible person"
    assert note["kind"] == "crm" and "Beta" in note["message"]


def test_without_edit_rights_nothing_moves():  # §B.2.5 "It needs Edit permission"; REF §10
    p = portal()
    for user, rid in ((READER, 1), (OWN, 2), (NO_CRM, 1), (DEPT, 3)):  # reads all / not theirs / no CRM / not dept
        assert error(call(p, "crm.contact.update", {"id": rid, "fields": {"ASSIGNED_BY_ID": user}}, user)) == (
            400, "", "Access denied.")
    assert error(call(p, "crm.deal.update", {"id": 1, "fields": {"ASSIGNED_BY_ID": OWN}}, READER))[2] == \
        "Access denied."
    assert p.reassignments == [] and p.tables["contacts"].rows[1]["ASSIGNED_BY_ID"] == "2"


def test_a_manager_may_hand_over_their_own_client_and_then_loses_it():  # REF §10 own rights
    p = portal()
    assert result(p, "crm.contact.update", {"id": 1, "fields": {"ASSIGNED_BY_ID": "5"}}, OWN) is True
    assert p.reassignments[-1]["from"] == OWN and p.reassignments[-1]["notified"] is False
    assert error(call(p, "crm.contact.get", {"id": 1}, OWN)) == (400, "", "Access denied.")


def test_a_deal_is_reassigned_with_crm_deal_update():  # D.4 "in the lead, the company, and all deals"
    p = portal()
    assert result(p, "crm.deal.update", {"id": 1, "fields": {"ASSIGNED_BY_ID": 5}}) is True
    assert result(p, "crm.deal.get", {"id": 1})["ASSIGNED_BY_ID"] == "5"
    assert p.reassignments[-1]["method"] == "crm.deal.update" and p.reassignments[-1]["entityTypeId"] == 2
    assert p.writes[-1]["method"] == "crm.deal.update"


@pytest.mark.parametrize("type_id, rid, table", [(2, 1, "deals"), (3, 3, "contacts"), (4, 7, "companies")])
def test_crm_item_update_takes_assigned_by_id_in_camel_case(type_id, rid, table):  # REF §7.10
    p = portal()
    item = result(p, "crm.item.update", {"entityTypeId": type_id, "id": rid, "fields": {"assignedById": 5}})["item"]
    assert item["assignedById"] == 5 and item["id"] == rid
    assert p.tables[table].rows[rid]["ASSIGNED_BY_ID"] == "5"
    assert p.reassignments[-1]["method"] == "crm.item.update"
    assert error(call(p, "crm.item.update", {"entityTypeId": type_id, "id": rid, "fields": {"assignedById": 6}},
                      READER))[1] == "ACCESS_DENIED"


def test_a_lost_client_goes_with_its_open_deals_and_to_dos():  # spec "A reassignment can include ... open to-dos"
    p = portal()
    alarm = todo(p, owner_type=4, owner=7, pingOffsets=[0])
    writes = [("crm.company.update", {"id": 7, "fields": {"ASSIGNED_BY_ID": 5}}),
              ("crm.deal.update", {"id": 1, "fields": {"ASSIGNED_BY_ID": 5}}),
              ("crm.activity.todo.updateResponsibleUser", {"id": alarm, "ownerTypeId": 4, "ownerId": 7,
                                                           "responsibleId": 5})]
    answers = result(p, "batch", {"cmd": {str(n): m + "?" + "&".join(_flat(q)) for n, (m, q) in enumerate(writes)}})
    assert answers["result_error"] == []
    assert [(r["table"], r["to"]) for r in p.reassignments] == [("companies", 5), ("deals", 5), ("activities", 5)]
    p.travel(days=10)
    assert [n["to"] for n in p.notifications if n["kind"] == "ping"] == [ALL]  # the alarm now rings for user 5


def _flat(params: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        out += _flat(value, name) if isinstance(value, dict) else [f"{name}={value}"]
    return out
