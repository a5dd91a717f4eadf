"""The generator's part of key-client planning (py/b24sim/planning.py; spec/planning.md "The
simulated portal"): amounts in several currencies, Pareto-skewed revenue, managers who
neglect their key clients, planned and recent activities — and every other row as it was.

Ranks and bands are computed with the app's own pure core (b24clients.ranks), from the
rates the simulated portal's crm.currency.list gives, as the app will compute them."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from b24clients import records
from b24clients.model import COMPANY, CONTACT
from b24clients.ranks.bands import touch_statuses
from b24clients.ranks.client_ranks import client_ranks
from b24clients.ranks.currency import Rates
from b24clients.ranks.settings import RankSettings
from b24clients.snapshot import snapshot_from_data
from b24sim.__main__ import dump
from b24sim.generate import generate
from b24sim.planning import CAPACITY, NEGLECT_DAYS, base_rows, neglectful
from b24sim.portal import Portal
from simkit import ok, token

TODAY = date(2026, 11, 23)
BASE_PORTAL_SHA256 = {
    (300, 5): "cbebbfcb356108bb51a1ea71387812adbc5e2924279dd58f12eac2c94ed1b16f",
    (10, 3): "ad6185f2c3acd99e81ff391fdbb58e6edb52cdae9e1f00eed68c7721a8a1331f",
}
"""generate(n, seed) without its timeline comments and without what planning.py changes or adds
(`planning.base_rows`), computed on commit 47fee61, before planning.py existed; (300, 5) again
when today's creation and change times moved before the portal opens (it was 048d6457…)."""


@pytest.fixture(scope="module")
def ru() -> dict:
    return generate(2000, 11, TODAY)


@pytest.fixture(scope="module")
def en() -> dict:
    return generate(1000, 2, TODAY)


@pytest.mark.parametrize("size", sorted(BASE_PORTAL_SHA256))
def test_planning_leaves_every_other_row_as_it_was(size):  # its own random stream, after the base rows
    data = base_rows(generate(*size, TODAY))
    data.pop("timeline_comments")
    assert hashlib.sha256(dump(data)).hexdigest() == BASE_PORTAL_SHA256[size]


def test_an_empty_portal_still_has_its_currencies_and_tree():
    data = generate(0, 3, TODAY)
    assert data["currencies"] and data["generator"]["planning"]["neglectful"] == []
    assert {d["ID"] for d in data["departments"]} >= {"10", "11"}


# --- money ---------------------------------------------------------------------------------

def rates_of(data: dict) -> Rates:
    """What the app does: crm.currency.list, each row through records.currency_rate."""
    p = Portal(data, plan="off", copy_data=False)
    rows = ok(p.call("crm.currency.list", {}, auth=token(p, 1)))
    return Rates.of(r for r in map(records.currency_rate, rows) if r is not None)


def money_rows(data: dict) -> list[tuple[str, str, str]]:
    """(kind, amount, currency) of every deal, smart and legacy invoice."""
    return ([("deal", d["OPPORTUNITY"], d["CURRENCY_ID"]) for d in data["deals"]]
            + [("invoice", str(i["opportunity"]), i["currencyId"]) for i in data["invoices"]]
            + [("legacy", x["PRICE"], x["CURRENCY"]) for x in data["legacy_invoices"]])


@pytest.mark.parametrize("portal, base", [("ru", "RUB"), ("en", "USD")])
def test_several_currencies_most_in_the_base_one(portal, base, request):  # planning.md; next-features C.2
    data = request.getfixturevalue(portal)
    listed = {r["CURRENCY"]: r for r in data["currencies"]}
    assert [c for c, r in listed.items() if r["BASE"] == "Y"] == [base]
    assert data["generator"]["planning"]["base_currency"] == base
    rows = money_rows(data)
    used = Counter(currency for _, _, currency in rows)
    assert set(used) <= set(listed) and len(used) >= 4
    assert used[base] / len(rows) >= 0.75
    assert all(Decimal(amount) > 0 for _, amount, _ in rows)
    assert any("." in amount and not amount.endswith(".00") for kind, amount, _ in rows if kind == "deal")  # kopecks
    for kind in ("deal", "invoice"):
        assert len({c for k, _, c in rows if k == kind}) >= 3, kind


def test_the_invoices_of_a_deal_share_its_amount_and_currency(ru):  # instalments of one purchase
    deals = {d["ID"]: d for d in ru["deals"]}
    parts = defaultdict(list)
    for i in ru["invoices"]:
        if i["parentId2"]:
            parts[str(i["parentId2"])].append((Decimal(str(i["opportunity"])), i["currencyId"]))
    for x in ru["legacy_invoices"]:
        if x["UF_DEAL_ID"] != "0":
            parts[x["UF_DEAL_ID"]].append((Decimal(x["PRICE"]), x["CURRENCY"]))
    assert max(len(p) for p in parts.values()) >= 3
    for deal_id, pieces in parts.items():
        deal = deals[deal_id]
        assert {c for _, c in pieces} == {deal["CURRENCY_ID"]}
        assert sum(v for v, _ in pieces) == Decimal(deal["OPPORTUNITY"])


def revenue(data: dict) -> list[Decimal]:
    report = client_ranks(snapshot_from_data(data).crm, TODAY, RankSettings(), rates_of(data))
    assert report.measured.left_out.unknown_currencies == {}
    return sorted(report.measured.values.values(), reverse=True)


@pytest.mark.parametrize("portal", ["ru", "en"])
def test_a_few_clients_bring_most_of_the_money(portal, request):  # planning.md "Pareto-skewed revenue"
    values = revenue(request.getfixturevalue(portal))
    total = sum(values)
    top = values[: max(1, round(0.2 * len(values)))]
    assert len(values) >= 200
    assert sum(top) / total >= Decimal("0.6")          # the top 20 % of paying clients: at least 60 %
    assert values[0] / total < Decimal("0.25")         # but no one client is the whole business


# --- ranks, touches and the managers who neglect their key clients -----------------------------

def statuses(data: dict):
    snap = snapshot_from_data(data)
    tz = snap.utc_offset
    settings = RankSettings()
    report = client_ranks(snap.crm, TODAY, settings, rates_of(data))
    acts = [records.activity(a, tz) for a in data["activities"]]
    touches = [((entity, records.record_id(raw)), t) for entity, name in ((CONTACT, "contacts"), (COMPANY, "companies"))
               for raw in data[name] if (t := records.record_touch(raw, tz)) is not None]
    found = touch_statuses(snap.crm, acts, touches, report.ranks, settings, TODAY)
    owner = {(COMPANY, int(r["ID"])): int(r["ASSIGNED_BY_ID"]) for r in data["companies"]}
    owner |= {(CONTACT, int(r["ID"])): int(r["ASSIGNED_BY_ID"]) for r in data["contacts"]}
    by_manager = defaultdict(list)
    for client, status in found.items():
        if status.rank == "A":
            by_manager[owner[client]].append(status)
    return by_manager


def sales_managers(data: dict) -> set[int]:
    return {int(u["ID"]) for u in data["users"] if u["ACTIVE"] and u["CRM_ACCESS"] != "none"
            and set(u["UF_DEPARTMENT"]) & {3, 4, 5, 10, 11}}


@pytest.mark.parametrize("portal", ["ru", "en"])
def test_some_managers_leave_their_key_clients_untouched_for_months(portal, request):  # planning.md; issue 14 item 7
    data = request.getfixturevalue(portal)
    by_manager = statuses(data)
    lazy = neglectful(data)
    assert lazy and set(lazy) <= sales_managers(data)
    for manager in lazy:
        mine = by_manager[manager]
        assert len(mine) >= 3
        overdue = [s for s in mine if s.band == "overdue"]
        assert len(overdue) >= 0.8 * len(mine)
        assert all(s.last_touch is None or (TODAY - s.last_touch.on).days >= NEGLECT_DAYS - 10 for s in overdue)
        assert not any(s.band == "planned" for s in mine)
    diligent = [m for m in sales_managers(data) - set(lazy) if len(by_manager[m]) >= 5]
    assert diligent
    for manager in diligent:
        mine = by_manager[manager]
        assert sum(s.band == "overdue" for s in mine) <= 0.5 * len(mine), manager
        assert {"fine", "planned"} & {s.band for s in mine}


# --- activities for planning and manager control --------------------------------------------

def open_ahead(data: dict) -> list[dict]:
    today = TODAY.isoformat()
    return [a for a in data["activities"] if a["COMPLETED"] == "N" and today <= a["DEADLINE"][:10] < "9999"]


def test_every_working_manager_has_planned_activities_and_some_days_are_full(ru):  # planning.md load calendar
    ahead = open_ahead(ru)
    by_manager = Counter(int(a["RESPONSIBLE_ID"]) for a in ahead)
    assert sales_managers(ru) <= set(by_manager)
    per_day = Counter((a["RESPONSIBLE_ID"], a["DEADLINE"][:10]) for a in ahead)
    assert any(n > CAPACITY for n in per_day.values())
    last = max(a["DEADLINE"][:10] for a in ahead)
    assert last >= "2026-12-31"                                         # the whole of next month
    kinds = Counter(a["PROVIDER_ID"] for a in ahead)
    assert kinds["CRM_TODO"] > kinds["CRM_MEETING"] > 0 and kinds["VOXIMPLANT_CALL"] > 0


def test_a_month_s_query_gives_exactly_the_open_rows_due_that_month(ru):  # planning.md load calendar; C.4
    p = Portal(ru, plan="off")
    busiest = Counter(a["RESPONSIBLE_ID"] for a in open_ahead(ru)).most_common(1)[0][0]
    query = {"filter": {">=DEADLINE": "2026-12-01", "<DEADLINE": "2027-01-01", "@RESPONSIBLE_ID": [int(busiest)],
                        "COMPLETED": "N"}, "select": ["ID", "DEADLINE"], "order": {"ID": "ASC"}}
    reply = p.call("crm.activity.list", query, auth=token(p, 1))
    listed = reply.body["result"]
    while "next" in reply.body:
        reply = p.call("crm.activity.list", {**query, "start": reply.body["next"]}, auth=token(p, 1))
        listed += reply.body["result"]
    want = sorted(a["ID"] for a in ru["activities"] if a["RESPONSIBLE_ID"] == busiest and a["COMPLETED"] == "N"
                  and "2026-12-01" <= a["DEADLINE"][:10] <= "2026-12-31")
    assert sorted(r["ID"] for r in listed) == want and len(want) > 20


def test_recent_to_dos_were_closed_on_time_late_or_not_at_all(ru):  # planning.md "Manager control"
    moment = lambda s: datetime.fromisoformat(s)  # noqa: E731
    start, now = (TODAY - timedelta(days=30)).isoformat(), "2026-11-23T09:00:00+03:00"
    todos = [a for a in ru["activities"] if a["PROVIDER_ID"] == "CRM_TODO" and a["CREATED"] >= start]
    late = [a for a in todos if a["COMPLETED"] == "Y" and moment(a["LAST_UPDATED"]) > moment(a["DEADLINE"])]
    on_time = [a for a in todos if a["COMPLETED"] == "Y" and moment(a["LAST_UPDATED"]) <= moment(a["DEADLINE"])]
    overdue = [a for a in todos if a["COMPLETED"] == "N" and a["DEADLINE"] < now]
    assert len(on_time) > len(late) > 10 and len(overdue) > 10
    assert any(a["AUTHOR_ID"] != a["RESPONSIBLE_ID"] for a in todos)       # a head gave it to someone
    assert all(a["CREATED"] <= a["LAST_UPDATED"] <= now for a in todos)
    lazy = {str(m) for m in neglectful(ru)}
    share = {who: sum(a["COMPLETED"] == "Y" for a in todos if (a["RESPONSIBLE_ID"] in lazy) == who)
             / max(1, sum((a["RESPONSIBLE_ID"] in lazy) == who for a in todos)) for who in (True, False)}
    assert share[True] < share[False]                                       # the neglectful close fewer


def test_a_few_to_dos_have_no_deadline(ru):  # C.4: "To-dos without a deadline carry a far-future maximum date"
    far = [a for a in ru["activities"] if a["DEADLINE"].startswith("9999")]
    assert far and all(a["COMPLETED"] == "N" and a["PROVIDER_ID"] == "CRM_TODO" for a in far)
    assert all(a["DEADLINE"] == "9999-12-31T00:00:00+03:00" for a in far)


def test_the_added_activities_come_after_the_base_ones_in_creation_order(ru):
    first = ru["generator"]["planning"]["activities_from"]
    added = [a for a in ru["activities"] if int(a["ID"]) >= first]
    assert len(added) > 300 and int(ru["activities"][-1]["ID"]) == first + len(added) - 1
    assert [a["CREATED"] for a in added] == sorted(a["CREATED"] for a in added)
    clients = {("4", c["ID"]) for c in ru["companies"]} | {("3", c["ID"]) for c in ru["contacts"]}
    assert all((b["OWNER_TYPE_ID"], b["OWNER_ID"]) in clients for a in added for b in a["BINDINGS"])
