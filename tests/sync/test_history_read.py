"""Reading one client's history through the gateway (spec/history.md "Speed", "Permissions"):
against the simulated portal, the history read equals the one built from every row the
user may see, in a handful of requests, never the legacy CONTACT_ID deal filter, never
the portal-wide sync; and the cache gives it back before any request."""

from __future__ import annotations

import asyncio
import copy
import json
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from b24clients.history import Fetched, History, build_history
from b24clients.rest.errors import RestError
from b24clients.rest.gateway import Gateway
from b24clients.sync.history import ClientHistory, read_history
from b24clients.sync.history_cache import (
    PAYLOAD_FORMAT,
    MemoryHistoryCache,
    PayloadError,
    from_payload,
    open_history,
    to_payload,
)
from b24sim.generate import generate
from b24sim.histories import long_clients
from b24sim.methods import shape_item
from b24sim.portal import Portal
from b24sim.transport import InProcessTransport, VirtualTime

DATA = generate(400, 3, long_histories=True)
LONG = long_clients(DATA)
ADMIN = 1


class Recording(InProcessTransport):
    """Every HTTP request the gateway sends, and every method it runs (batch commands too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests: list[str] = []
        self.calls: list[tuple[str, str]] = []

    async def send(self, method, params):
        self.requests.append(method)
        commands = params.get("cmd", {}).values() if method == "batch" else [method]
        self.calls += [tuple(command.partition("?")[::2]) for command in commands]
        return await super().send(method, params)


def portal_as(access: str | None = None, owner_of: tuple[str, int] = ("company", LONG[20])) -> tuple[Portal, int]:
    """The portal, and who reads it: the admin (`access` None), or the user responsible for
    `owner_of` with that CRM access."""
    data = copy.deepcopy(DATA)
    if access is None:
        return Portal(data, copy_data=False), ADMIN
    table = "companies" if owner_of[0] == "company" else "contacts"
    owner = next(row["ASSIGNED_BY_ID"] for row in data[table] if row["ID"] == str(owner_of[1]))
    for user in data["users"]:
        if user["ID"] == owner:
            user.update(CRM_ACCESS=access, ADMIN=False)
    return Portal(data, copy_data=False), int(owner)


def reader(portal: Portal, user: int) -> tuple[Gateway, Recording]:
    clock = VirtualTime(portal.clock)
    transport = Recording(portal, clock, user_id=user)
    return Gateway(transport, clock), transport


def read(portal: Portal, user: int, client, **kwargs) -> tuple[ClientHistory, Recording]:
    gateway, transport = reader(portal, user)
    return asyncio.run(read_history(gateway, client, **kwargs)), transport


def seen_by(portal: Portal, user: int, client, read_at, include_companies: bool = False) -> History:
    """build_history of every row of the portal this user may read (deals as crm.item.list gives them)."""
    access = portal.access(user)

    def rows(table: str) -> list[dict]:
        return [row for row in (portal.tables[table].rows[i] for i in portal.tables[table].ids)
                if access.sees(table, row, portal.resolve)]

    entity, record_id = client
    mine, other = ("COMPANY_ID", "CONTACT_ID") if entity == "company" else ("CONTACT_ID", "COMPANY_ID")
    bindings = [{other: int(b[other]), "SORT": int(b["SORT"]), "ROLE_ID": 0, "IS_PRIMARY": b["IS_PRIMARY"]}
                for b in portal.bindings if int(b[mine]) == record_id]
    fetched = Fetched(bindings=bindings, statuses=portal.statuses,
                      deals=[shape_item(portal, "deals")(row) for row in rows("deals")], invoices=rows("invoices"),
                      legacy_invoices=rows("legacy_invoices"), activities=rows("activities"),
                      documents=rows("documents"), comments=rows("timeline_comments"))
    return build_history(client, fetched, read_at.tzinfo, read_at, include_companies)


def shared_contact() -> int:
    """The 20-contact company's contact who also works for two other companies."""
    companies = Counter(b["CONTACT_ID"] for b in DATA["contact_companies"])
    return next(int(b["CONTACT_ID"]) for b in DATA["contact_companies"]
                if b["COMPANY_ID"] == str(LONG[20]) and companies[b["CONTACT_ID"]] == 3)


# --- the history is everything the user may see, and only that ------------------------------

@pytest.mark.parametrize("access,contacts", [(None, 1), (None, 20), (None, 200), ("all", 20), ("own", 20),
                                             ("department", 20), ("own", 1)])
def test_a_companys_history_is_the_one_built_from_every_row_the_user_sees(access, contacts):
    company = ("company", LONG[contacts])
    portal, user = portal_as(access, company)
    got, _ = read(portal, user, company)
    want = seen_by(portal, user, company, got.read_at)
    assert got.history.scope == want.scope and len(got.history.scope.contacts) == contacts
    assert got.history.items == want.items and len(want.items) > 300


@pytest.mark.parametrize("include_companies", [False, True])
@pytest.mark.parametrize("access", [None, "own"])
def test_a_contact_in_three_companies_has_every_role_it_plays(access, include_companies):
    contact = shared_contact()
    portal, user = portal_as(access, ("contact", contact))
    got, _ = read(portal, user, ("contact", contact), include_companies=include_companies)
    want = seen_by(portal, user, ("contact", contact), got.read_at, include_companies)
    assert len(got.history.scope.companies) == 3
    assert got.history.items == want.items


def test_a_contacts_history_holds_other_companies_deals_where_it_comes_second():
    contact = shared_contact()
    got, _ = read(*portal_as(None), ("contact", contact))
    second = {i.company_id for i in got.history.items if i.kind == "deal" and i.company_id not in (LONG[20], None)}
    assert LONG[200] in second and len(second) == 2
    deals = {int(d["ID"]): d["CONTACT_IDS"] for d in DATA["deals"]}
    assert sum(deals[i.id][1:2] == [str(contact)] for i in got.history.items
               if i.kind == "deal" and i.company_id == LONG[200]) >= 3


def test_an_own_user_misses_a_colleagues_deal_without_an_error():
    company = LONG[20]
    portal, user = portal_as("own")
    mine, _ = read(portal, user, ("company", company))
    everything, _ = read(portal, ADMIN, ("company", company))
    theirs = {i.key for i in everything.history.items} - {i.key for i in mine.history.items}
    colleagues = [i for i in everything.history.items if i.kind == "deal" and i.responsible_id != user]
    assert colleagues and {i.key for i in colleagues} <= theirs
    assert {i.key for i in mine.history.items} < {i.key for i in everything.history.items}


def test_activities_of_an_invoice_reached_only_through_its_deal_are_read():
    got, transport = read(*portal_as(None), ("company", LONG[20]))
    orphans = {i.id for i in got.history.items
               if i.kind == "invoice" and i.via and all(kind == 2 for kind, _ in i.via)}
    own_calls = [i for i in got.history.items if i.family == "activity" and set(i.via) <= {(31, o) for o in orphans}
                 and i.via]
    assert orphans and own_calls
    assert any("31" in query and method == "crm.activity.list" for method, query in transport.calls[-5:])


def test_a_client_the_user_may_not_open_is_an_error_not_an_empty_history():
    portal, _ = portal_as(None)
    stranger = next(int(u["ID"]) for u in DATA["users"] if u["CRM_ACCESS"] == "none")
    with pytest.raises(RestError):
        read(portal, stranger, ("company", LONG[20]))


# --- what it costs -------------------------------------------------------------------------------

def test_a_company_of_twenty_contacts_and_two_thousand_items_is_a_handful_of_requests():
    portal, user = portal_as(None)
    started = portal.clock.now()
    got, transport = read(portal, user, ("company", LONG[20]))
    assert 1800 < len(got.history.items) < 2500
    assert len(transport.requests) <= 20 and set(transport.requests) == {"batch"}
    assert portal.counters["http_503"] == portal.counters["http_429"] == 0
    assert portal.clock.now() - started < 8.0
    comments = sum(1 for method, _ in transport.calls if method == "crm.timeline.comment.list")
    assert comments == len(got.history.scope.contacts) + 1 + sum(1 for i in got.history.items if i.kind == "deal")


def test_it_never_uses_the_legacy_contact_filter_nor_reads_the_whole_portal():
    portal, user = portal_as(None)
    _, transport = read(portal, user, ("company", LONG[20]))
    methods = {method for method, _ in transport.calls}
    assert "crm.deal.list" not in methods
    assert not any("CONTACT_ID%5D=" in query and method == "crm.item.list" for method, query in transport.calls)
    assert not methods & {"crm.contact.list", "crm.company.list", "crm.contact.userfield.list",
                          "crm.company.userfield.list", "app.option.get", "user.current"}
    assert all("entityTypeId=2" in q or "entityTypeId=31" in q for m, q in transport.calls if m == "crm.item.list")
    assert portal.writes == []


def test_old_invoices_can_be_left_out():
    got, transport = read(*portal_as(None), ("company", LONG[1]), legacy_invoices=False)
    assert "crm.invoice.list" not in {method for method, _ in transport.calls}
    assert not [i for i in got.history.items if i.kind == "legacy_invoice"]


# --- the cache --------------------------------------------------------------------------------

def test_the_payload_is_json_and_gives_back_the_same_history():
    got, _ = read(*portal_as("own"), ("company", LONG[20]))
    payload = json.loads(json.dumps(to_payload(got)))
    assert payload["format"] == PAYLOAD_FORMAT and payload["client"] == ["company", LONG[20]]
    again = from_payload(payload, got.read_at)
    assert again.history.items == got.history.items and again.read_at == got.read_at
    kept = sum(len(payload["rows"][s]) for s in payload["rows"] if s not in ("bindings", "statuses"))
    assert kept == len(got.history.items)            # one row per record, nothing that is not shown
    later = from_payload(payload, got.read_at + timedelta(days=400))
    assert sum(i.overdue for i in later.history.items) > sum(i.overdue for i in got.history.items)


@pytest.mark.parametrize("broken", [{}, {"format": "b24c-history/0"}, {"format": PAYLOAD_FORMAT, "client": [1, 2]},
                                    {"format": PAYLOAD_FORMAT, "client": ["company", 4], "rows": {"deals": {}}},
                                    {"format": PAYLOAD_FORMAT, "client": ["company", 4], "rows": {},
                                     "read_at": "2026-11-23T09:00:00"}])
def test_a_payload_of_another_version_or_shape_is_no_cache(broken):
    with pytest.raises(PayloadError):
        from_payload(broken, datetime.now(timezone.utc))


def test_a_history_opened_before_is_shown_before_any_request_then_refreshed_and_saved():
    portal, user = portal_as(None)
    client = ("company", LONG[1])
    cache = MemoryHistoryCache()

    now = datetime.fromtimestamp(portal.clock.now(), timezone(timedelta(hours=3)))

    async def shown(transport_gateway):
        gateway, transport = transport_gateway
        out = []
        async for view in open_history(gateway, cache, client, now=now):
            out.append((view, len(transport.requests)))
        return out

    first = asyncio.run(shown(reader(portal, user)))
    assert [(view.fresh, requests > 0) for view, requests in first] == [(True, True)]
    portal.clock.sleep(3600)
    second = asyncio.run(shown(reader(portal, user)))
    (cached, before), (fresh, _) = second
    assert (cached.fresh, before) == (False, 0)             # drawn before a single request left
    assert cached.as_of == first[0][0].as_of < fresh.as_of and fresh.fresh
    assert cached.history.items == first[0][0].history.items
    assert json.loads(json.dumps(cache.payloads[client]))["read_at"] == fresh.as_of.isoformat()

    contact = ("contact", shared_contact())
    asyncio.run(cache.save(contact, to_payload(read(portal, user, contact)[0])))

    async def toggled() -> list[bool]:
        gateway, _ = reader(portal, user)
        return [view.fresh async for view in open_history(gateway, cache, contact, include_companies=True)]

    assert asyncio.run(toggled()) == [True]                  # a read without the companies is not shown


def test_a_failed_read_stops_sending_requests():
    portal, user = portal_as(None)
    gateway, transport = reader(portal, user)
    original = gateway.read_many

    async def read_many(specs, **kwargs):
        if any(spec.params["filter"].get("ENTITY_TYPE") == "company" for spec in specs.values()):
            await gateway.clock.sleep(0.5)        # the other groups are under way by now
            raise RestError(400, "", "Failed to get list. General error", "crm.timeline.comment.list")
        return await original(specs, **kwargs)

    gateway.read_many = read_many

    async def fail_then_wait() -> tuple[int, int]:
        with pytest.raises(RestError, match="General error"):
            await read_history(gateway, ("company", LONG[20]))
        sent = len(transport.requests)
        await gateway.clock.sleep(600)            # time for any list still being read to go on
        return sent, len(transport.requests)

    sent, later = asyncio.run(fail_then_wait())
    assert later == sent
