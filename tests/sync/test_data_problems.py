"""One bad record never stops a run (issue 11): a REST row with an impossible value is
skipped, counted and named in SyncResult.problems (and in the store, so a reload still
shows it), and every other record is classified as if that row did not exist."""

from __future__ import annotations

import asyncio
import copy
import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b24clients.problems import CHECKS, shown
from b24clients.rest.gateway import Gateway
from b24clients.sync.engine import SyncEngine
from b24clients.sync.store import MemoryStore
from b24sim.phpquery import parse
from b24sim.portal import Portal
from b24sim.transport import InProcessTransport, VirtualTime
from syncfix import TODAY, expected, generated, rows_json

DATA = generated(300, 41)
TABLES = ("contacts", "companies", "deals", "invoices", "legacy_invoices", "activities", "requisites")
ITEM_TYPES = {3: "contacts", 2: "deals", 31: "invoices", 4: "companies"}
LEGACY = {"crm.company.list": "companies", "crm.contact.list": "contacts", "crm.deal.list": "deals",
          "crm.invoice.list": "legacy_invoices", "crm.activity.list": "activities",
          "crm.requisite.list": "requisites"}
GONE = object()
"""The key is missing from the row."""

HOSTILE = {
    "id": ["١٢٣", "9" * 5000, 10 ** 5000, [7], {"id": 7}, True, GONE],
    "link": ["١٢٣", "9" * 5000, 10 ** 5000, [5], {"id": 5}, True],
    "links": [{"5": 5}, ["١٢٣"], [True], True],
    "list": [{"VALUE": "+7 900"}, True, 10 ** 5000],
    "code": [["WON"], {"S": 1}, True],
    "flag": [["Y"], {"Y": 1}],
    "date": ["0000-00-00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+14:00", "2026-13-45T00:00:00+03:00",
             ["2026-01-01"], {"d": 1}, True, 10 ** 5000],
}


def kind_of(command: str) -> str | None:
    method, _, query = command.partition("?")
    if method == "crm.item.list":
        return ITEM_TYPES.get(int(parse(query).get("entityTypeId", 0)))
    return LEGACY.get(method)


class HostilePortal:
    """Answers as the portal does, except that the rows of `mutations` ((kind, ID) → (field,
    value)) arrive with that impossible value — the portal's own filters and chains still
    see the record as it is stored.  A kind read from two lists (contacts, and their
    companies from crm.item.list) has the value in the list that gives that field."""

    def __init__(self, inner: InProcessTransport, mutations: dict):
        self.inner, self.mutations = inner, mutations

    async def send(self, method, params):
        response = await self.inner.send(method, params)
        if method != "batch" or response.status != 200:
            return response
        body = copy.deepcopy(response.body)
        results = body["result"]["result"]
        for key, command in params["cmd"].items():
            kind = kind_of(command)
            companies = command.startswith("crm.item.list")  # of contacts: only their companyIds
            if kind is None:  # not a list of the CRM's records (the clock, the stages, the rates)
                continue
            page = results.get(key) if isinstance(results, dict) else None
            rows = page.get("items") if isinstance(page, dict) else page
            for n, row in enumerate(rows or []):
                wanted = self.mutations.get((kind, int(row.get("id", row.get("ID")))))
                if wanted is not None and (kind != "contacts" or (wanted[0] == "companyIds") == companies):
                    rows[n] = hostile(row, *wanted)
        response.body = body
        return response

    async def refresh(self):
        await self.inner.refresh()


def hostile(row: dict, name: str, value: object) -> dict:
    row = dict(row)
    if value is GONE:
        row.pop(name, None)
    else:
        row[name] = value
    return row


def fields(kind: str, row: dict) -> list[tuple[str, str]]:
    """The checked fields of a kind present in a stored row, with what they hold."""
    checks = CHECKS[kind]
    found = [(name, what) for what in ("links", "link_lists", "lists", "codes", "flags", "dates")
             for name in getattr(checks, what) if name in row]
    return [(name, {"links": "link", "link_lists": "links", "lists": "list", "codes": "code", "flags": "flag",
                    "dates": "date"}[what]) for name, what in found]


def run(portal: Portal, store: MemoryStore, mutations: dict):
    clock = VirtualTime(portal.clock)
    transport = HostilePortal(InProcessTransport(portal, clock), mutations)
    engine = SyncEngine(Gateway(transport, clock), store, today=TODAY, write_back=False)
    return asyncio.run(engine.run())


@functools.lru_cache(maxsize=None)
def response_spelling(kind: str, rid: int) -> dict:
    """A stored row as the engine's list methods return it (crm.item camelCase or legacy);
    a contact's as its two lists do together (plan.CONTACT_COMPANIES)."""
    if kind == "contacts":
        companies = answered("crm.item.list", {"entityTypeId": 3, "filter": {"id": rid, ">companyId": 0},
                                               "select": ["companyIds"]})
        return {**({"companyIds": companies["companyIds"]} if companies else {}),
                **answered("crm.contact.list", {"filter": {"ID": rid}, "select": ["*", "PHONE", "EMAIL", "WEB", "IM"]})}
    if kind == "invoices":
        return answered("crm.item.list", {"entityTypeId": 31, "filter": {"id": rid}, "select": ["*"]})
    method = {"companies": "crm.company.list", "deals": "crm.deal.list", "legacy_invoices": "crm.invoice.list",
              "activities": "crm.activity.list", "requisites": "crm.requisite.list"}[kind]
    return answered(method, {"filter": {"ID": rid}, "select": ["*"]})


def answered(method: str, params: dict) -> dict:
    answer = LOOKUP.call(method, params, auth=LOOKUP.issue_token(1)["access_token"]).body["result"]
    return next(iter(answer["items"] if isinstance(answer, dict) else answer), {})


@st.composite
def mutations(draw) -> dict:
    """A few records of any kind, each with one impossible value in its ID or in a field the rules read."""
    chosen = {}
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(TABLES))
        rid = draw(st.sampled_from(PORTAL.tables[kind].ids))
        row = response_spelling(kind, rid)
        name, what = draw(st.sampled_from([("id" if "id" in row else "ID", "id"), *fields(kind, row)]))
        chosen[(kind, rid)] = (name, draw(st.sampled_from(HOSTILE[what])))
    return chosen


PORTAL = Portal(DATA)
LOOKUP = Portal(DATA, plan="off")
"""Where the mutations look up how each row arrives (no limits: the strategy asks often)."""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_hostile_rows_are_skipped_and_named_and_everything_else_is_read_as_without_them(chosen):
    portal, store = Portal(DATA), MemoryStore()
    result = run(portal, store, chosen)
    without = {name: rows for name, rows in DATA.items()}
    for table in TABLES:
        bad = {rid for kind, rid in chosen if kind == table}
        key = "id" if table in ("invoices",) else "ID"
        without[table] = [row for row in DATA.get(table) or [] if int(row[key]) not in bad]
    assert rows_json(result) == expected(without)["clients"]
    named = {(p.kind, p.id) for p in result.problems}
    assert named == {(kind, str(rid) if name.lower() != "id" else shown(None if value is GONE else value))
                     for (kind, rid), (name, value) in chosen.items()}
    reloaded = run(portal, store, chosen)  # a new engine on the same store: the list survives the reload
    assert rows_json(reloaded) == rows_json(result)
    assert {(p.kind, p.id, p.reason) for p in reloaded.problems} == {(p.kind, p.id, p.reason) for p in result.problems}


def test_a_clean_portal_has_no_problems_and_a_row_read_well_later_leaves_the_list():
    assert run(Portal(DATA), MemoryStore(), {}).problems == []
    portal, store = Portal(DATA), MemoryStore()
    deal = portal.tables["deals"].ids[3]
    broken = run(portal, store, {("deals", deal): ("closedate", "0000-00-00")})
    assert [(p.kind, p.id, p.reason) for p in broken.problems] == [
        ("deals", str(deal), "closedate '0000-00-00' is not a date on the calendar")]
    row = dict(portal.tables["deals"].rows[deal], DATE_MODIFY=portal.iso(portal.clock.now()))
    portal.put_record("deals", row)
    mended = run(portal, store, {})
    assert mended.problems == [] and rows_json(mended) == expected(portal.snapshot())["clients"]
