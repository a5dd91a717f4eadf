"""crm.activity.list for the load calendar: DEADLINE ranges, @RESPONSIBLE_ID, COMPLETED,
the documented date forms, the fields planning reads, rights and costs
(next-features.md §C.4; bitrix24-rest.md §2.3 prefixes, §2.2 start=-1, §7.9 fields, §10 rights;
DOCS crm-activity-list.md; CORE CRestUtil::unConvertDateTime for the date forms)."""

from __future__ import annotations

import pytest

from plansim import (
    ADMIN,
    CORPORATE,
    DECEMBER_OF_5,
    HEAD,
    MANAGER,
    NO_CRM,
    NORTH,
    SOUTH,
    SOUTH_MANAGER,
    call,
    error,
    month,
    portal,
    result,
)

PLANNING_FIELDS = ("ID", "COMPLETED", "STATUS", "TYPE_ID", "PROVIDER_ID", "DEADLINE", "RESPONSIBLE_ID", "AUTHOR_ID",
                   "CREATED", "LAST_UPDATED", "OWNER_TYPE_ID", "OWNER_ID")


def ids(rows) -> list[str]:
    return [r["ID"] for r in rows]


def test_a_month_of_one_responsible_in_one_request():  # C.4: >=DEADLINE, <DEADLINE, @RESPONSIBLE_ID, COMPLETED N
    p = portal()
    reply = call(p, "crm.activity.list", month("2026-12-01T00:00:00", "2027-01-01T00:00:00", [MANAGER]))
    assert reply.status == 200 and ids(reply.body["result"]) == DECEMBER_OF_5 and reply.body["total"] == 4
    first = reply.body["result"][0]
    assert set(first) == {"ID", "DEADLINE", "RESPONSIBLE_ID", "TYPE_ID", "PROVIDER_ID", "SUBJECT", "OWNER_TYPE_ID",
                          "OWNER_ID"}
    assert first["DEADLINE"] == "2026-12-01T00:00:00+03:00" and first["RESPONSIBLE_ID"] == str(MANAGER)


@pytest.mark.parametrize("first, after", [
    ("2026-12-01", "2027-01-01"),                                   # a date alone: its midnight, portal time
    ("2026-12-01T00:00:00+03:00", "2027-01-01T00:00:00+03:00"),
    ("2026-11-30T21:00:00Z", "2026-12-31T21:00:00+00:00"),           # the same moments in UTC
    ("2026-12-01 00:00:00", "2027-01-01 00:00"),
    ("01.12.2026", "01.01.2027"),                                   # the site's day-first format
])
def test_the_bounds_may_be_written_as_the_portal_reads_them(first, after):  # CORE unConvertDateTime (strtotime)
    assert ids(result(portal(), "crm.activity.list", month(first, after, [MANAGER]))) == DECEMBER_OF_5


def test_moments_in_other_offsets_fall_in_the_month_they_are_in_on_the_portal():  # REF §2.5 dates with offsets
    p = portal()
    november = ids(result(p, "crm.activity.list", month("2026-11-01", "2026-12-01", [MANAGER])))
    assert november == ["1", "8"]      # 23:59:59, and 00:30 at +04:00 = 23:30 in Moscow
    assert "9" in ids(result(p, "crm.activity.list", month("2026-12-01", "2026-12-02", [MANAGER])))


def test_a_to_do_without_a_deadline_falls_in_no_month():  # C.4 "carry a far-future maximum date. Exclude them"
    p = portal()
    listed = result(p, "crm.activity.list", {"filter": {"RESPONSIBLE_ID": MANAGER, "COMPLETED": "N"},
                                             "select": ["ID", "DEADLINE"], "order": {"DEADLINE": "DESC"}})
    assert listed[0] == {"ID": "7", "DEADLINE": "9999-12-31T00:00:00+03:00"}
    assert "7" not in ids(result(p, "crm.activity.list", month("2026-01-01", "2028-01-01", [MANAGER])))


def test_several_people_at_once_and_not_in():  # §2.3 "@" IN and "!@" NOT IN
    p = portal()
    both = result(p, "crm.activity.list", month("2026-12-01", "2027-01-01", [MANAGER, SOUTH_MANAGER]))
    assert ids(both) == DECEMBER_OF_5 + ["10", "11", "14"]
    others = result(p, "crm.activity.list", {"filter": {"!@RESPONSIBLE_ID": [MANAGER, SOUTH_MANAGER],
                                                        ">=DEADLINE": "2026-12-01", "<DEADLINE": "2027-01-01"}})
    assert ids(others) == ["12", "13"]
    as_text = result(p, "crm.activity.list", month("2026-12-01", "2027-01-01", ["5", "7"]))
    assert ids(as_text) == ids(both)                                   # "5" and 5 are one responsible


def test_completed_ones_are_the_other_half():  # REF §7.9 COMPLETED Y/N
    p = portal()
    done = result(p, "crm.activity.list", month("2026-12-01", "2027-01-01", [MANAGER], COMPLETED="Y"))
    assert ids(done) == ["6"]


def test_the_fields_planning_reads_are_there_with_their_documented_values():  # REF §7.9, DOCS row example
    p = portal()
    rows = result(p, "crm.activity.list", {"filter": {"@ID": [6, 11]}, "select": list(PLANNING_FIELDS),
                                           "order": {"ID": "ASC"}})
    done, meeting = rows
    assert set(done) == set(PLANNING_FIELDS)
    assert (done["COMPLETED"], done["STATUS"], done["TYPE_ID"], done["PROVIDER_ID"]) == ("Y", "2", "6", "CRM_TODO")
    assert (meeting["COMPLETED"], meeting["STATUS"], meeting["TYPE_ID"], meeting["PROVIDER_ID"]) == \
        ("N", "1", "1", "CRM_MEETING")
    assert done["AUTHOR_ID"] == str(MANAGER) and done["CREATED"] == "2026-11-02T10:00:00+03:00"
    assert result(p, "crm.activity.get", {"id": 6})["STATUS"] == "2"


def test_keyset_pages_chain_on_id():  # REF §2.2: start=-1, order ID ASC, >ID
    p = portal()
    query = month("2026-11-01", "2027-02-01", [MANAGER, SOUTH_MANAGER])
    query["start"] = -1
    reply = call(p, "crm.activity.list", query)
    assert reply.body["total"] == 0 and "next" not in reply.body
    assert ids(reply.body["result"]) == ["1", "2", "3", "4", "5", "8", "9", "10", "11", "14"]
    query["filter"][">ID"] = 8
    assert ids(result(p, "crm.activity.list", query)) == ["9", "10", "11", "14"]


def test_a_restricted_user_sees_only_the_rows_of_records_they_may_read():  # REF §10: lists filter silently
    p = portal()
    december = month("2026-12-01", "2027-01-01", [MANAGER, SOUTH_MANAGER, CORPORATE])
    # user 7 reads their own records: their own to-dos, not user 5's
    assert ids(result(p, "crm.activity.list", december, SOUTH_MANAGER)) == ["10", "11", "14"]
    # user 5 reads their client: their own to-dos and a colleague's one on that client
    assert ids(result(p, "crm.activity.list", december, MANAGER)) == DECEMBER_OF_5 + ["14"]
    # the head of South reads department 6 (users 6 and 7)
    assert ids(result(p, "crm.activity.list", december, SOUTH)) == ["10", "11", "14"]
    # the head of North reads their whole tree (departments 3, 4, 5): users 4 and 5 and what is on their clients
    assert ids(result(p, "crm.activity.list", december, NORTH)) == DECEMBER_OF_5 + ["12", "14"]
    # the head of North corporate reads department 4 only: not their sub-department's user 5
    assert ids(result(p, "crm.activity.list", december, CORPORATE)) == ["12"]
    # the head of sales reads the whole sales tree
    assert ids(result(p, "crm.activity.list", december, HEAD)) == DECEMBER_OF_5 + ["10", "11", "12", "14"]
    assert len(result(p, "crm.activity.list", december, ADMIN)) == 8
    assert error(call(p, "crm.activity.list", december, NO_CRM)) == (400, "", "Access denied.")


def test_a_counted_page_costs_per_match_and_start_minus_one_does_not():  # spec/portal-sim.md cost model
    p = portal()
    counted = call(p, "crm.activity.list", month("2026-12-01", "2027-01-01", [MANAGER]))
    assert counted.body["time"]["processing"] == pytest.approx(p.costs.list_page(4), abs=1e-6)
    uncounted = call(p, "crm.activity.list", {**month("2026-12-01", "2027-01-01", [MANAGER]), "start": -1})
    assert uncounted.body["time"]["processing"] == pytest.approx(p.costs.list_page(None))


def test_an_unreadable_date_matches_nothing():  # [I]: strtotime gives false; the simulator matches no row
    p = portal()
    assert result(p, "crm.activity.list", month("the first of December", "2027-01-01", [MANAGER])) == []
    assert result(p, "crm.activity.list", month("31.02.2026", "2027-01-01", [MANAGER])) == []
