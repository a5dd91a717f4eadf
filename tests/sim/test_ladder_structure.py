"""The company structure and the status fields: department.get with UF_HEAD (the head
of a lost client's manager, walking up), and the user fields listed back
(next-features.md §B.2.5, C.5; bitrix24-rest.md §9, §8.1–8.3; DOCS department-get.md)."""

from __future__ import annotations

import pytest

from laddersim import ADMIN, ALL, NO_CRM, OWN, call, error, ok, portal, result


def test_departments_give_their_parent_and_head():  # §B.2.5 "UF_HEAD ... an int when set, may be absent"
    p = portal()
    reply = call(p, "department.get", {}, NO_CRM)  # any user may read the structure (C.5)
    assert reply.status == 200 and reply.body["total"] == 3
    assert reply.body["result"] == [
        {"ID": "1", "NAME": "HQ", "SORT": 100, "UF_HEAD": 1},
        {"ID": "2", "NAME": "Sales", "SORT": 200, "PARENT": "1", "UF_HEAD": 5},
        {"ID": "3", "NAME": "Key accounts", "SORT": 300, "PARENT": "2"}]
    assert reply.body["time"]["processing"] == pytest.approx(p.costs.list_page(3), abs=1e-6)


def test_department_filters_sort_and_pages():  # REF §9: filters ID, NAME, SORT, PARENT, UF_HEAD; START
    p = portal()
    assert [d["ID"] for d in result(p, "department.get", {"UF_HEAD": 5})] == ["2"]
    assert [d["ID"] for d in result(p, "department.get", {"PARENT": "1"})] == ["2"]
    assert [d["ID"] for d in result(p, "department.get", {"sort": "NAME", "order": "DESC"})] == ["2", "3", "1"]
    for n in range(4, 64):
        p.put_record("departments", {"ID": str(n), "NAME": f"Team {n}", "SORT": 500, "PARENT": "2"})
    first = call(p, "department.get", {}).body
    assert (len(first["result"]), first["total"], first["next"]) == (50, 63, 50)
    assert [d["ID"] for d in result(p, "department.get", {"START": 50})][:2] == ["51", "52"]


def head_of(p, user_id: int) -> int | None:
    """The recipe of §B.2.5: the user's first department's head; if that is the user or
    nobody, walk up PARENT."""
    departments = {d["ID"]: d for d in result(p, "department.get", {})}
    user = result(p, "user.get", {"FILTER": {"ID": user_id}})[0]
    dep = departments.get(str(user["UF_DEPARTMENT"][0]))
    while dep is not None:
        if dep.get("UF_HEAD") and dep["UF_HEAD"] != user_id:
            return dep["UF_HEAD"]
        dep = departments.get(dep.get("PARENT"))
    return None


def test_the_head_is_found_by_walking_up():  # §B.2.5 "walk up PARENT"
    p = portal()
    assert head_of(p, OWN) == ALL        # Sales is headed by user 5
    assert head_of(p, ALL) == ADMIN      # user 5 heads Sales: HQ's head
    assert head_of(p, 6) == ALL          # Key accounts has no head: Sales'
    assert head_of(p, ADMIN) is None     # the top of the tree


STATUS = {"fields": {"USER_TYPE_ID": "enumeration", "FIELD_NAME": "B24C_STATUS", "XML_ID": "B24C_STATUS",
                     "EDIT_FORM_LABEL": {"en": "Status (Clients)", "ru": "Статус (Клиенты)"},
                     "LIST": [{"VALUE": v, "XML_ID": v.lower()} for v in ("New", "In work", "Hot", "Warm", "Cold",
                                                                          "Lost")]}}
SINCE = {"fields": {"USER_TYPE_ID": "date", "FIELD_NAME": "B24C_STATUS_SINCE", "XML_ID": "B24C_STATUS_SINCE",
                    "EDIT_FORM_LABEL": {"en": "Status since (Clients)"}}}


def test_the_status_fields_are_listed_back_to_any_reader():  # spec "Working entity"; REF §8.1, §8.2
    p = portal()
    ok(call(p, "crm.company.userfield.add", STATUS))
    ok(call(p, "crm.company.userfield.add", SINCE))
    assert error(call(p, "crm.company.userfield.add", STATUS, OWN))[2] == "Access denied"  # CRM admins only
    fields = result(p, "crm.company.userfield.list", {"filter": {"LANG": "en"}}, OWN)
    assert [(f["FIELD_NAME"], f["USER_TYPE_ID"], f["EDIT_FORM_LABEL"]) for f in fields] == [
        ("UF_CRM_B24C_STATUS", "enumeration", "Status (Clients)"),
        ("UF_CRM_B24C_STATUS_SINCE", "date", "Status since (Clients)")]
    assert [item["XML_ID"] for item in fields[0]["LIST"]] == ["new", "in work", "hot", "warm", "cold", "lost"]
    assert error(call(p, "crm.company.userfield.list", {}, NO_CRM)) == (400, "", "Access denied.")
