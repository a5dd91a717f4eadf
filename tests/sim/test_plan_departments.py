"""Department trees with heads: a head's scope is their department and every department
below it (department.get UF_HEAD + PARENT, then user.get by UF_DEPARTMENT), and CRM
rights still narrow what they read (next-features.md §C.5, §B.2.5; bitrix24-rest.md §9, §10;
DOCS department-get.md; Bitrix24's "department and sub-departments" access level)."""

from __future__ import annotations

from datetime import date

import pytest

from b24sim.generate import generate
from b24sim.portal import Portal
from plansim import (
    ADMIN,
    CORPORATE,
    GONE,
    HEAD,
    MANAGER,
    NO_CRM,
    NORTH,
    SOUTH,
    SOUTH_MANAGER,
    SUPPORT,
    TREES,
    call,
    error,
    portal,
    result,
)


def tree_of(p, head: int, user: int | None = None) -> set[int]:
    """C.5: all departments where UF_HEAD is me, plus their descendants (read as `user`)."""
    departments = result(p, "department.get", {}, user or head)
    children: dict[str, list[str]] = {}
    for dep in departments:
        children.setdefault(dep.get("PARENT", ""), []).append(dep["ID"])
    todo = [d["ID"] for d in departments if d.get("UF_HEAD") == head]
    found: set[str] = set()
    while todo:
        dep = todo.pop()
        if dep not in found:
            found.add(dep)
            todo += children.get(dep, [])
    return {int(d) for d in found}


def employees(p, departments: set[int], user: int) -> set[int]:
    """C.5: user.get {FILTER: {UF_DEPARTMENT: [...], ACTIVE: true}} (arrays allowed, REF §9)."""
    rows = result(p, "user.get", {"FILTER": {"UF_DEPARTMENT": sorted(departments), "ACTIVE": True}}, user)
    return {int(u["ID"]) for u in rows}


@pytest.mark.parametrize("head", sorted(TREES))
def test_a_head_s_tree_is_their_department_and_every_one_below(head):  # C.5 "UF_HEAD == me, plus descendants"
    assert tree_of(portal(), head) == TREES[head]


def test_a_department_with_no_head_belongs_to_the_tree_above():  # B.2.5 "UF_HEAD ... may be absent when empty"
    p = portal()
    rows = {d["ID"]: d for d in result(p, "department.get", {"ID": 5})}
    assert rows == {"5": {"ID": "5", "NAME": "New accounts", "SORT": 500, "PARENT": "4"}}
    assert 5 in tree_of(p, CORPORATE) and 5 in tree_of(p, NORTH) and 5 not in tree_of(p, SOUTH)


def test_a_head_picks_exactly_the_active_employees_of_their_tree():  # planning.md "Who sees what"
    p = portal()
    assert employees(p, tree_of(p, HEAD), HEAD) == {HEAD, NORTH, CORPORATE, MANAGER, SOUTH, SOUTH_MANAGER}
    assert employees(p, tree_of(p, NORTH), NORTH) == {NORTH, CORPORATE, MANAGER}          # GONE has left
    assert employees(p, tree_of(p, SOUTH), SOUTH) == {SOUTH, SOUTH_MANAGER}
    assert employees(p, tree_of(p, MANAGER), MANAGER) == set()                             # heads nothing
    everyone = result(p, "user.get", {"FILTER": {"UF_DEPARTMENT": [5]}}, MANAGER)
    assert {u["ID"] for u in everyone} == {str(MANAGER), str(GONE)}


def test_any_user_may_read_the_structure():  # C.5 "Any user can read the company structure"
    assert tree_of(portal(), HEAD, user=NO_CRM) == TREES[HEAD]


def companies_seen(p, user: int) -> set[int]:
    return {int(c["ID"]) - 100 for c in result(p, "crm.company.list", {"select": ["ID"]}, user)}


def test_crm_rights_still_narrow_a_head_s_tree():  # REF §10; planning.md "CRM rights still filter the data"
    p = portal()
    # "department and sub-departments": the whole tree's records
    assert companies_seen(p, NORTH) == {NORTH, CORPORATE, MANAGER, GONE}
    assert companies_seen(p, HEAD) == {HEAD, NORTH, CORPORATE, MANAGER, SOUTH, SOUTH_MANAGER, GONE}
    # "department": their own department only, not the one below it
    assert companies_seen(p, CORPORATE) == {CORPORATE}
    assert companies_seen(p, SOUTH) == {SOUTH, SOUTH_MANAGER}
    assert companies_seen(p, SUPPORT) == {SUPPORT}
    assert companies_seen(p, MANAGER) == {MANAGER}
    assert companies_seen(p, ADMIN) == set(range(1, 11))
    assert error(call(p, "crm.company.list", {}, NO_CRM)) == (400, "", "Access denied.")


def test_editing_follows_the_same_tree():  # B.2.2: planning a call needs edit rights on the client
    p = portal()
    plan = {"ownerTypeId": 4, "ownerId": 100 + MANAGER, "deadline": "2026-12-02T10:00:00", "title": "Call",
            "responsibleId": MANAGER}
    assert call(p, "crm.activity.todo.add", plan, NORTH).status == 200
    assert error(call(p, "crm.activity.todo.add", plan, CORPORATE))[:2] == (400, "ACCESS_DENIED")
    assert error(call(p, "crm.activity.todo.add", plan, SOUTH))[:2] == (400, "ACCESS_DENIED")


# --- the generated portal (planning.py) ------------------------------------------------------

@pytest.fixture(scope="module")
def generated() -> Portal:
    return Portal(generate(2000, 11, date(2026, 11, 23)), plan="off")


def test_the_generated_tree_has_a_sub_department_with_a_head_and_one_without(generated):  # planning.py
    deps = {d["ID"]: d for d in result(generated, "department.get", {})}
    assert deps["10"]["PARENT"] == "3" and "UF_HEAD" in deps["10"]
    assert deps["11"]["PARENT"] == "10" and "UF_HEAD" not in deps["11"]
    sales_head = deps["2"]["UF_HEAD"]
    assert tree_of(generated, sales_head) == {2, 3, 4, 5, 10, 11}
    assert tree_of(generated, deps["3"]["UF_HEAD"]) == {3, 10, 11}
    assert tree_of(generated, deps["10"]["UF_HEAD"]) == {10, 11}
    assert tree_of(generated, deps["1"]["UF_HEAD"]) == {int(d) for d in deps}


def test_in_the_generated_portal_the_head_of_a_team_reads_their_tree_and_its_sub_head_does_not(generated):
    deps = {d["ID"]: d for d in result(generated, "department.get", {})}
    lead, sub_head = deps["3"]["UF_HEAD"], deps["10"]["UF_HEAD"]
    below = [int(u["ID"]) for u in result(generated, "user.get", {"FILTER": {"UF_DEPARTMENT": [11]}})]
    assert below, "department 11 has people"
    owner = below[0]
    clients = result(generated, "crm.company.list", {"filter": {"ASSIGNED_BY_ID": owner}, "select": ["ID"]}, ADMIN)
    assert clients
    visible_to = {who: {c["ID"] for c in result(generated, "crm.company.list",
                                                {"filter": {"ASSIGNED_BY_ID": owner}, "select": ["ID"]}, who)}
                  for who in (lead, sub_head)}
    assert visible_to[lead] == {c["ID"] for c in clients}           # subdepartments: the whole tree
    assert visible_to[sub_head] == set()                            # department: only department 10
