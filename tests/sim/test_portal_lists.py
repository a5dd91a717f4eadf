"""List methods: paging, start=-1, filters, select, typing (bitrix24-rest.md §2)."""

import pytest

from simkit import ok, portal, token


@pytest.fixture
def sim():
    p = portal(120)
    return p, token(p)


def test_pages_hold_50_rows_and_next_appears_only_while_rows_remain(sim):  # §2.1
    p, t = sim
    first = p.call("crm.contact.list", {"select": ["ID"]}, auth=t).body
    assert len(first["result"]) == 50 and first["next"] == 50 and first["total"] == 120
    last = p.call("crm.contact.list", {"select": ["ID"], "start": 100}, auth=t).body
    assert len(last["result"]) == 20 and "next" not in last and last["total"] == 120


def test_start_minus_one_counts_nothing_and_gives_no_next(sim):  # §2.2
    p, t = sim
    body = p.call("crm.contact.list", {"select": ["ID"], "start": -1}, auth=t).body
    assert len(body["result"]) == 50 and body["total"] == 0 and "next" not in body


def test_the_keyset_loop_returns_every_row_exactly_once(sim):  # §2.2
    p, t = sim
    seen, last = [], 0
    while True:
        rows = ok(p.call("crm.contact.list", {"select": ["ID"], "order": {"ID": "ASC"},
                                               "filter": {">ID": last}, "start": -1}, auth=t))
        seen += [int(r["ID"]) for r in rows]
        if len(rows) < 50:
            break
        last = rows[-1]["ID"]
    assert seen == list(range(1, 121))


@pytest.mark.parametrize("flt, expected", [
    ({"ID": 5}, [5]), ({"=ID": "5"}, [5]), ({"!ID": 1, "<=ID": 3}, [2, 3]), ({"!=ID": 2, "<ID": 4}, [1, 3]),
    ({">ID": 118}, [119, 120]), ({">=ID": 119}, [119, 120]), ({"@ID": [3, 7]}, [3, 7]),
    ({"!@ID": list(range(3, 121))}, [1, 2]), ({"%NAME": "me11"}, [11, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119]),
    ({"=%NAME": "name10%"}, [10, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109]),
    ({"%=NAME": "%me12"}, [12]), ({"!%NAME": "e1", "<ID": 12}, [2, 3, 4, 5, 6, 7, 8, 9]),
    ({"PHONE": "+7 900 0000003"}, [3]), ({">=DATE_CREATE": "2020-01-27", "<ID": 60}, [26, 27, 54, 55]),
])
def test_every_filter_prefix(sim, flt, expected):  # §2.3
    p, t = sim
    rows = ok(p.call("crm.contact.list", {"filter": flt, "select": ["ID"]}, auth=t))
    assert [int(r["ID"]) for r in rows] == expected


def test_legacy_lists_refuse_a_non_array_filter(sim):  # §2.3
    p, t = sim
    reply = p.call("crm.contact.list", {"filter": "ID=1"}, auth=t)
    assert reply.status == 400 and reply.body == {"error": "", "error_description": "Parameter 'filter' must be array."}


def test_crm_item_list_takes_logic_or_and_gives_ints_and_link_arrays(sim):  # §2.3, §2.5, §7.10
    p, t = sim
    body = p.call("crm.item.list", {"entityTypeId": 3, "select": ["id", "companyIds", "companyId"],
                                    "filter": {"logic": "OR", "0": {"id": 1}, "1": {"id": 2}}}, auth=t).body
    assert body["result"]["items"] == [{"id": 1, "companyId": 0, "companyIds": [7, 8]},
                                       {"id": 2, "companyId": 0, "companyIds": []}]


def test_default_select_leaves_out_multifields_and_named_ones_come_only_when_set(sim):  # §2.4
    p, t = sim
    plain = ok(p.call("crm.contact.list", {"filter": {"@ID": [1, 2]}}, auth=t))
    assert "PHONE" not in plain[0] and plain[0]["UF_CRM_SCORE"] == "1"
    named = ok(p.call("crm.contact.list", {"filter": {"@ID": [1, 2]}, "select": ["ID", "PHONE"]}, auth=t))
    assert named[0]["PHONE"][0]["VALUE"] == "+7 900 0000001" and "PHONE" not in named[1]
    assert set(named[1]) == {"ID"}


def test_legacy_rows_are_all_strings_and_item_rows_ints(sim):  # §2.5
    p, t = sim
    legacy = ok(p.call("crm.deal.list", {"select": ["ID", "COMPANY_ID", "OPPORTUNITY"]}, auth=t))[0]
    item = ok(p.call("crm.item.list", {"entityTypeId": 2, "select": ["id", "companyId", "opportunity", "contactIds"]},
                     auth=t))["items"][0]
    assert legacy == {"ID": "1", "COMPANY_ID": "7", "OPPORTUNITY": "100.00"}
    assert item == {"id": 1, "companyId": 7, "opportunity": 100.0, "contactIds": [1, 3]}


def test_order_descending(sim):
    p, t = sim
    rows = ok(p.call("crm.contact.list", {"order": {"ID": "DESC"}, "select": ["ID"], "start": -1}, auth=t))
    assert rows[0]["ID"] == "120" and len(rows) == 50


def test_activity_bindings_filter_repeats_a_row_per_matching_pair(sim):  # §2.3 BINDINGS
    p, t = sim
    rows = ok(p.call("crm.activity.list", {"filter": {"BINDINGS": [{"OWNER_TYPE_ID": 3, "OWNER_ID": 2},
                                                                   {"OWNER_TYPE_ID": 4, "OWNER_ID": 7}]}}, auth=t))
    assert [r["ID"] for r in rows] == ["1", "1"]


def test_binding_methods_give_ints_and_the_primary_flag(sim):  # §7.4
    p, t = sim
    rows = ok(p.call("crm.contact.company.items.get", {"id": 1}, auth=t))
    assert rows == [{"COMPANY_ID": 8, "SORT": 20, "ROLE_ID": 0, "IS_PRIMARY": "N"},
                    {"COMPANY_ID": 7, "SORT": 10, "ROLE_ID": 0, "IS_PRIMARY": "Y"}]


def test_unknown_methods_are_not_found(sim):  # §1.4
    p, t = sim
    reply = p.call("crm.nothing.list", {}, auth=t)
    assert reply.status == 404 and reply.body["error"] == "ERROR_METHOD_NOT_FOUND"
