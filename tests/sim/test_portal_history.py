"""What a client's history page calls, as the simulated portal answers it (spec/history.md,
"The simulated portal"): both binding lists, `contactIds` in any role for deals and smart
invoices, several BINDINGS, documents by `@entityId`, timeline comments per record, and the
detail-tab placements — with rights (§10) and the documented shapes (§7, §11)."""

from __future__ import annotations

import pytest

from b24sim.generate import generate
from b24sim.portal import Portal
from simkit import USERS, ok, token

T = "2024-0{m}-01T10:00:00+03:00"
ADMIN, OWN, DEPT = 1, 2, 3


def history_portal() -> Portal:
    """Company 7 (Anna's) and 8 (Boris's); contact 1 is Boris's, works for both, and is the
    second contact on Anna's deal 10; invoice 20 names no client, only deal 10."""
    contact = lambda i, who, company: {"ID": str(i), "NAME": f"C{i}", "ASSIGNED_BY_ID": str(who),  # noqa: E731
                                       "COMPANY_ID": company, "DATE_CREATE": T.format(m=1)}
    data = {
        "format": "b24-snapshot/1", "portal": {"utc_offset": "+03:00"}, "users": USERS,
        "companies": [{"ID": "7", "TITLE": "Acme", "ASSIGNED_BY_ID": "1"},
                      {"ID": "8", "TITLE": "Beta", "ASSIGNED_BY_ID": "2"}],
        "contacts": [contact(1, OWN, "7"), contact(2, ADMIN, "7"), contact(3, 5, None)],
        "contact_companies": [{"CONTACT_ID": "1", "COMPANY_ID": "7", "IS_PRIMARY": "Y", "SORT": "10"},
                              {"CONTACT_ID": "1", "COMPANY_ID": "8", "IS_PRIMARY": "N", "SORT": "20"},
                              {"CONTACT_ID": "2", "COMPANY_ID": "7", "IS_PRIMARY": "Y", "SORT": "10"}],
        "deals": [{"ID": "10", "COMPANY_ID": "7", "CONTACT_ID": "2", "CONTACT_IDS": ["2", "1"], "ASSIGNED_BY_ID": "1"},
                  {"ID": "11", "COMPANY_ID": "8", "CONTACT_ID": "1", "CONTACT_IDS": ["1"], "ASSIGNED_BY_ID": "2"},
                  {"ID": "12", "COMPANY_ID": "0", "CONTACT_ID": "3", "CONTACT_IDS": ["3"], "ASSIGNED_BY_ID": "5"}],
        "invoices": [{"id": 20, "companyId": 0, "contactIds": [], "parentId2": 10, "assignedById": 1},
                     {"id": 21, "companyId": 7, "contactId": 2, "contactIds": [2, 1], "parentId2": 0, "assignedById": 2}],
        "activities": [
            {"ID": "30", "RESPONSIBLE_ID": "1", "BINDINGS": [{"OWNER_TYPE_ID": "2", "OWNER_ID": "10"},
                                                              {"OWNER_TYPE_ID": "3", "OWNER_ID": "1"}]},
            {"ID": "31", "RESPONSIBLE_ID": "5", "BINDINGS": [{"OWNER_TYPE_ID": "31", "OWNER_ID": "20"}]},
            {"ID": "32", "RESPONSIBLE_ID": "5", "BINDINGS": [{"OWNER_TYPE_ID": "3", "OWNER_ID": "3"}]}],
        "documents": [{"id": i, "title": f"Doc {i}", "entityTypeId": 2, "entityId": 10, "createdBy": 2}
                      for i in range(100, 160)]
                     + [{"id": 41, "entityTypeId": 31, "entityId": 20, "createdBy": 1},
                        {"id": 42, "entityTypeId": 3, "entityId": 1, "createdBy": 1}],
        "timeline_comments": [
            {"ID": str(i), "ENTITY_TYPE": "deal", "ENTITY_ID": "10", "AUTHOR_ID": "1", "COMMENT": f"note {i}",
             "CREATED": T.format(m=2)} for i in range(1, 56)]
            + [{"ID": "60", "ENTITY_TYPE": "contact", "ENTITY_ID": "1", "AUTHOR_ID": "2", "COMMENT": "hi",
                "CREATED": T.format(m=3)},
               {"ID": "61", "ENTITY_TYPE": "company", "ENTITY_ID": "7", "AUTHOR_ID": "1", "COMMENT": "<b>x</b>",
                "CREATED": T.format(m=3)}],
    }
    return Portal(data)


@pytest.fixture
def p() -> Portal:
    return history_portal()


def ids(rows, key="ID") -> list[int]:
    return [int(r[key]) for r in rows]


def items(p: Portal, user: int, entity_type: int, flt: dict) -> list[int]:
    answer = ok(p.call("crm.item.list", {"entityTypeId": entity_type, "filter": flt, "select": ["id"]},
                       auth=token(p, user)))
    return ids(answer["items"], "id")


# --- the set ---------------------------------------------------------------------------------

def test_both_binding_lists_give_every_binding_whatever_the_user_may_read(p):  # §7.4, next-features §A.5
    rows = ok(p.call("crm.company.contact.items.get", {"id": 7}, auth=token(p)))
    assert [(r["CONTACT_ID"], r["IS_PRIMARY"], r["ROLE_ID"]) for r in rows] == [(1, "Y", 0), (2, "Y", 0)]
    rows = ok(p.call("crm.contact.company.items.get", {"id": 1}, auth=token(p, OWN)))
    assert [(r["COMPANY_ID"], r["IS_PRIMARY"], r["SORT"]) for r in rows] == [(7, "Y", 10), (8, "N", 20)]  # 7: Anna's
    denied = p.call("crm.company.contact.items.get", {"id": 7}, auth=token(p, OWN))
    assert (denied.status, denied.body["error"]) == (400, "ACCESS_DENIED")


# --- deals and invoices ----------------------------------------------------------------------

def test_contact_ids_finds_a_contact_in_any_role_on_deals_and_smart_invoices(p):  # next-features §A.5 step 2
    assert items(p, ADMIN, 2, {"contactIds": [1]}) == [10, 11]          # second contact on deal 10
    assert items(p, ADMIN, 31, {"contactIds": [1]}) == [21]
    assert items(p, ADMIN, 2, {"contactIds": [1, 3], "@companyId": [7, 8]}) == [10, 11]
    assert items(p, ADMIN, 31, {"@parentId2": [10]}) == [20]
    legacy = ok(p.call("crm.deal.list", {"filter": {"CONTACT_ID": 1}, "select": ["ID"]}, auth=token(p)))
    assert ids(legacy) == [11]                                          # the trap: primary contact only
    prefixed = p.call("crm.item.list", {"entityTypeId": 2, "filter": {"@contactIds": [1]}}, auth=token(p))
    assert (prefixed.status, prefixed.body["error"]) == (400, "INVALID_ARG_VALUE")   # only the bare key


def test_an_own_user_gets_the_deals_they_may_read_and_no_error(p):  # §10
    assert items(p, OWN, 2, {"contactIds": [1]}) == [11]
    assert items(p, OWN, 31, {"contactIds": [1, 2]}) == [21]
    assert items(p, DEPT, 2, {"contactIds": [1, 3]}) == [11, 12]        # Boris and Dina are Vera's colleagues


# --- activities --------------------------------------------------------------------------------

def test_several_bindings_reach_contacts_deals_and_invoices_once_per_matching_pair(p):  # §2.3, §7.9
    pairs = [{"OWNER_TYPE_ID": 3, "OWNER_ID": 1}, {"OWNER_TYPE_ID": 2, "OWNER_ID": 10},
             {"OWNER_TYPE_ID": 31, "OWNER_ID": 20}]
    rows = ok(p.call("crm.activity.list", {"filter": {"BINDINGS": pairs}, "select": ["ID"]}, auth=token(p)))
    assert ids(rows) == [30, 30, 31]
    rows = ok(p.call("crm.activity.list", {"filter": {"BINDINGS": pairs, ">ID": 30}, "order": {"ID": "ASC"},
                                           "start": -1, "select": ["ID"]}, auth=token(p)))
    assert ids(rows) == [31]


def test_activities_follow_the_records_they_are_bound_to_invoices_too(p):  # §10
    pairs = [{"OWNER_TYPE_ID": 31, "OWNER_ID": 20}, {"OWNER_TYPE_ID": 3, "OWNER_ID": 1}]
    rows = ok(p.call("crm.activity.list", {"filter": {"BINDINGS": pairs}, "select": ["ID"]}, auth=token(p, OWN)))
    assert ids(rows) == [30]               # through Boris's contact 1; invoice 20 is Anna's, its call Dina's


# --- documents ---------------------------------------------------------------------------------

def test_documents_by_owner_type_and_entity_ids_chain_on_their_documents_key(p):  # §7.12
    first = {"filter": {"entityTypeId": 2, "@entityId": [10, 12]}, "select": ["id", "title"], "order": {"id": "ASC"},
             "start": -1}
    second = {**first, "filter": {**first["filter"], ">id": "$result[a][documents][49][id]"}}
    answer = ok(p.call("batch", {"cmd": {"a": "crm.documentgenerator.document.list?" + query(first),
                                         "b": "crm.documentgenerator.document.list?" + query(second)}},
                       auth=token(p)))
    assert ids(answer["result"]["a"]["documents"], "id") == list(range(100, 150))
    assert ids(answer["result"]["b"]["documents"], "id") == list(range(150, 160))


def test_documents_follow_the_record_they_were_made_for(p):  # §10 (docs/simulator.md)
    def docs(user: int, entity_type: int, entity_ids: list[int]) -> list[int]:
        answer = ok(p.call("crm.documentgenerator.document.list",
                           {"filter": {"entityTypeId": entity_type, "@entityId": entity_ids}, "select": ["id"]},
                           auth=token(p, user)))
        return ids(answer["documents"], "id")

    assert docs(OWN, 2, [10]) == [] and docs(OWN, 3, [1]) == [42]
    assert docs(ADMIN, 31, [20]) == [41] and docs(OWN, 31, [20]) == []


# --- timeline comments -------------------------------------------------------------------------

def comments(p: Portal, user: int, flt: dict, **extra) -> object:
    return p.call("crm.timeline.comment.list",
                  {"filter": flt, "select": ["ID", "ENTITY_ID", "ENTITY_TYPE", "AUTHOR_ID", "COMMENT", "CREATED"], **extra},
                  auth=token(p, user))


def test_comments_of_one_record_both_keys_required_and_chained_by_id(p):  # next-features §A.5 step 7
    first = ok(comments(p, ADMIN, {"ENTITY_TYPE": "deal", "ENTITY_ID": 10}, order={"ID": "ASC"}, start=-1))
    assert ids(first) == list(range(1, 51))
    rest = ok(comments(p, ADMIN, {"ENTITY_TYPE": "deal", "ENTITY_ID": 10, ">ID": 50}, order={"ID": "ASC"}, start=-1))
    assert ids(rest) == list(range(51, 56))
    assert ok(comments(p, ADMIN, {"ENTITY_TYPE": "company", "ENTITY_ID": "7"}))[0] == {
        "ID": "61", "ENTITY_ID": "7", "ENTITY_TYPE": "company", "AUTHOR_ID": "1", "COMMENT": "<b>x</b>",
        "CREATED": "2024-03-01T10:00:00+03:00"}
    for flt in ({"ENTITY_ID": 10}, {"ENTITY_TYPE": "deal"}):
        missing = comments(p, ADMIN, flt)
        assert missing.status == 400 and missing.body["error"] == ""


def test_comments_of_a_record_the_user_may_not_read_are_access_denied(p):  # comment.list "Possible Error Codes"
    assert ids(ok(comments(p, OWN, {"ENTITY_TYPE": "contact", "ENTITY_ID": 1}))) == [60]
    for flt in ({"ENTITY_TYPE": "company", "ENTITY_ID": 7}, {"ENTITY_TYPE": "deal", "ENTITY_ID": 999}):
        denied = comments(p, OWN, flt)
        assert (denied.status, denied.body) == (400, {"error": "", "error_description": "Access denied."})


def test_a_comment_added_through_rest_is_listed(p):  # §9
    new = ok(p.call("crm.timeline.comment.add", {"fields": {"ENTITY_TYPE": "contact", "ENTITY_ID": 1,
                                                            "COMMENT": "Called"}}, auth=token(p, OWN)))
    rows = ok(comments(p, ADMIN, {"ENTITY_TYPE": "contact", "ENTITY_ID": 1}))
    assert rows[-1]["ID"] == str(new) and rows[-1]["AUTHOR_ID"] == "2" and rows[-1]["COMMENT"] == "Called"
    assert p.timeline_comments[-1]["COMMENT"] == "Called"


# --- the card tabs (§6.3, §11) -------------------------------------------------------------------

def test_detail_tabs_bind_once_and_placement_get_lists_them_without_options(p):
    t = token(p)
    handler = "https://example.com/app/index.html"
    for code in ("CRM_CONTACT_DETAIL_TAB", "CRM_COMPANY_DETAIL_TAB"):
        assert ok(p.call("placement.bind", {"PLACEMENT": code, "HANDLER": handler, "TITLE": "History"}, auth=t))
    again = p.call("placement.bind", {"PLACEMENT": "CRM_COMPANY_DETAIL_TAB", "HANDLER": handler}, auth=t)
    assert again.status == 400 and again.body == {
        "error": "ERROR_CORE", "error_description": "Unable to set placement handler: Handler already binded"}
    bound = ok(p.call("placement.get", {}, auth=t))
    assert [(b["placement"], b["handler"], b["options"]) for b in bound] == [
        ("CRM_CONTACT_DETAIL_TAB", handler, []), ("CRM_COMPANY_DETAIL_TAB", handler, [])]
    assert p.call("placement.bind", {"PLACEMENT": "CRM_CONTACT_DETAIL_TAB", "HANDLER": handler},
                  auth=token(p, OWN)).status == 403


# --- the indexes behind these filters answer exactly what a scan would -----------------------------

def test_equality_and_in_filters_answer_what_a_scan_answers_before_and_after_a_change():
    p = Portal(generate(300, 5))
    t = token(p)
    deals = p.tables["deals"].rows

    def read(entity_type: int, flt: dict) -> list[int]:
        out, last = [], 0
        while True:
            page = ok(p.call("crm.item.list", {"entityTypeId": entity_type, "filter": {**flt, ">id": last},
                                               "order": {"id": "ASC"}, "start": -1, "select": ["id"]}, auth=t))["items"]
            out += ids(page, "id")
            if len(page) < 50:
                return out
            last = out[-1]

    companies = sorted({int(d["COMPANY_ID"]) for d in deals.values() if d.get("COMPANY_ID") not in (None, "0")})[:40]
    contacts = sorted({int(c) for d in deals.values() for c in d["CONTACT_IDS"]})[:40]
    scan = lambda test: sorted(i for i, d in deals.items() if test(d))  # noqa: E731
    assert read(2, {"@companyId": companies}) == scan(lambda d: d.get("COMPANY_ID") in map(str, companies))
    assert read(2, {"contactIds": contacts}) == scan(lambda d: set(d["CONTACT_IDS"]) & set(map(str, contacts)))
    assert read(2, {"companyId": companies[0], "contactIds": contacts}) == scan(
        lambda d: d.get("COMPANY_ID") == str(companies[0]) and set(d["CONTACT_IDS"]) & set(map(str, contacts)))
    moved = next(i for i in sorted(deals) if deals[i].get("COMPANY_ID") != str(companies[0]))
    p.put_record("deals", {**deals[moved], "COMPANY_ID": str(companies[0])})
    assert moved in read(2, {"companyId": companies[0]})
    invoices = p.tables["legacy_invoices"].rows
    wanted = sorted({x["UF_DEAL_ID"] for x in invoices.values() if x["UF_DEAL_ID"] != "0"})[:30]
    legacy = ok(p.call("crm.invoice.list", {"filter": {"@UF_DEAL_ID": wanted}, "select": ["ID"]}, auth=t))
    assert ids(legacy) == sorted(i for i, x in invoices.items() if x["UF_DEAL_ID"] in wanted)[:50]


def query(params: dict) -> str:
    from b24clients.rest.query import build

    return build(params)
