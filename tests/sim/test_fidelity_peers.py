"""Fidelity of the simulated portal, proven by Bitrix24 clients we did not write.

`fast-bitrix24` (1.8.14, aiohttp, webhook URL over HTTP) and the official
`b24pysdk` (1.3.2, requests, only `https://{domain}/rest`) are pointed at the
simulator's HTTP face and used exactly as their READMEs say.  They must page,
batch, get throttled and be refused as against a real portal.  Section numbers
refer to /work/shared/reference/bitrix24-rest.md; how each client batches,
paginates, rate-limits and retries is summarised in anchors.md §1.

Run with `-s` to see what each client's full read of the same list cost the
portal (HTTP requests, batch sub-calls, simulated seconds).
"""

from __future__ import annotations

import math
import time
from contextlib import ExitStack
from types import SimpleNamespace

import aiohttp
import pytest
from b24pysdk import Client
from b24pysdk.errors import BitrixAPIBadRequest, BitrixAPIQueryLimitExceeded, BitrixRequestError
from fast_bitrix24.server_response import ErrorInServerResponseException

from b24sim.generate import generate
from b24sim.http import serve_in_thread
from b24sim.limits import Plan, RealClock
from b24sim.portal import Portal
from peerkit import BATCH, b24pysdk_webhook, fast_bitrix24_run, fill_bucket, ids, metered, pages, webhook_url

CONTACT_FIELDS = ["ID", "NAME", "LAST_NAME", "ASSIGNED_BY_ID", "DATE_CREATE"]
DEAL_FIELDS = ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY", "ASSIGNED_BY_ID", "CATEGORY_ID"]


@pytest.fixture(scope="module")
def snapshot() -> dict:
    """A generated portal of ~3,000 contacts and deals: more than one 2,500-row keyset batch."""
    return generate(clients=3000, seed=24)


@pytest.fixture(scope="module")
def small_snapshot() -> dict:
    """~600 contacts (13 pages), users with every CRM access level."""
    return generate(clients=600, seed=11)


@pytest.fixture
def serve():
    """serve(portal, https=False) → a running HTTP(S) face; every one is stopped after the test."""
    with ExitStack() as stack:
        yield lambda portal, https=False: stack.enter_context(serve_in_thread(portal, https=https))


@pytest.fixture
def trust(monkeypatch):
    """Make `requests` (b24pysdk's transport) verify the face's certificate, for this test only."""
    return lambda server: monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_file))


def same_rows(got: list[dict], table: list[dict], fields: list[str]) -> None:
    """Every row of the snapshot table came back exactly once, with its values as stored."""
    assert len(got) == len(table)
    assert ids(got) == ids(table)
    by_id = {r["ID"]: r for r in table}
    for row in got:
        assert {k: row.get(k) for k in fields} == {k: by_id[row["ID"]].get(k) for k in fields}


def user_with(snapshot: dict, access: str) -> int:
    return next(int(u["ID"]) for u in snapshot["users"] if u["CRM_ACCESS"] == access)


def owned(table: list[dict], user_id: int) -> list[dict]:
    return [r for r in table if int(r["ASSIGNED_BY_ID"]) == user_id]


# --- fast-bitrix24 over HTTP -------------------------------------------------------------


def test_fast_bitrix24_get_all_reads_every_contact_and_deal_exactly_once(snapshot, serve):
    """§2.1 paging (`total`, `next`, `start` offsets, page of 50) and §3 batch: get_all reads
    `total` from a first page, then fetches every other `start` in batches of 50 commands."""
    portal = Portal(snapshot)
    server = serve(portal)

    async def read(bx):
        return (await bx.get_all("crm.contact.list", {"select": CONTACT_FIELDS}),
                await bx.get_all("crm.deal.list", {"select": DEAL_FIELDS}))

    with metered(portal) as meter:
        (contacts, deals), caught = fast_bitrix24_run(server.webhook_url, read)

    same_rows(contacts, snapshot["contacts"], CONTACT_FIELDS)
    same_rows(deals, snapshot["deals"], DEAL_FIELDS)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in caught]
    expected = sum(1 + math.ceil((pages(len(snapshot[t])) - 1) / BATCH) for t in ("contacts", "deals"))
    assert meter.requests == expected and meter.counters["http_503"] == 0


def test_fast_bitrix24_call_single_item_and_list_of_params(snapshot, serve):
    """§3.1/§3.2: `call` wraps even one item in a `batch` (a command key per item, results keyed
    back by it); a list of params is split into batches of 50 commands sent in parallel (the tuple
    comes back in the order the batches finished, not necessarily the order asked); list pages
    asked through `call` come back flattened."""
    portal = Portal(snapshot)
    server = serve(portal)
    some = ids(snapshot["contacts"])[:120]
    by_id = {int(r["ID"]): r for r in snapshot["contacts"]}
    n_deals = len(snapshot["deals"])

    async def work(bx):
        single = await bx.call("crm.contact.get", {"ID": some[7]})
        several = await bx.call("crm.contact.get", [{"ID": i} for i in some])
        deal_pages = await bx.call("crm.deal.list", [{"select": DEAL_FIELDS, "order": {"ID": "ASC"}, "start": s}
                                                     for s in range(0, n_deals, 50)])
        return single, several, deal_pages

    with metered(portal) as meter:
        (single, several, deal_pages), _ = fast_bitrix24_run(server.webhook_url, work)

    # One item: the library hands back the batch's result map, {its command key: the record}.
    assert isinstance(single, dict) and len(single) == 1
    (record,) = single.values()
    assert record["ID"] == str(some[7]) and record["NAME"] == by_id[some[7]]["NAME"]
    # Several: a tuple with one record per ID asked.
    assert isinstance(several, tuple) and sorted(int(r["ID"]) for r in several) == some
    # Pages through the batch path: every deal once.
    same_rows(deal_pages, snapshot["deals"], DEAL_FIELDS)
    assert meter.requests == 1 + math.ceil(len(some) / BATCH) + math.ceil(pages(n_deals) / BATCH)
    assert meter.counters["http_503"] == 0


def test_fast_bitrix24_call_batch_chains_references(snapshot, serve):
    """§3.1 `$result[key][49][ID]` references and §3.2 the batch envelope, through `call_batch`."""
    portal = Portal(snapshot)
    server = serve(portal)
    contact_ids = ids(snapshot["contacts"])

    async def work(bx):
        return await bx.call_batch({"halt": 0, "cmd": {
            "first": "crm.contact.list?order[ID]=ASC&start=-1&select[]=ID",
            "second": "crm.contact.list?order[ID]=ASC&start=-1&select[]=ID&filter[>ID]=$result[first][49][ID]",
            "counted": "crm.contact.list?select[]=ID&start=100",
        }})

    with metered(portal) as meter:
        result, _ = fast_bitrix24_run(server.webhook_url, work)

    assert ids(result["first"]) == contact_ids[:50]
    assert ids(result["second"]) == contact_ids[50:100]
    assert ids(result["counted"]) == contact_ids[100:150]
    assert meter.requests == 1 and meter.counters["sub_calls"] == 3


def test_fast_bitrix24_call_batch_surfaces_a_failed_command(snapshot, serve):
    """§3.2: a failing command leaves HTTP 200 with the error in `result_error`; the client raises."""
    portal = Portal(snapshot)
    server = serve(portal)

    async def work(bx):
        return await bx.call_batch({"halt": 0, "cmd": {"ok": "crm.contact.get?ID=1",
                                                       "missing": "crm.contact.get?ID=999999999"}})

    with pytest.raises(ErrorInServerResponseException) as raised:
        fast_bitrix24_run(server.webhook_url, work)
    assert "missing" in str(raised.value) and "ok" not in raised.value.args[0]


# --- b24pysdk over HTTPS -----------------------------------------------------------------


def test_b24pysdk_verifies_the_faces_certificate(snapshot, serve, monkeypatch):
    """§1.1: clients speak https://{portal}/rest; the face's certificate is for 127.0.0.1 and is
    trusted only when the test points `requests` at it (verification stays on)."""
    server = serve(Portal(snapshot), https=True)
    token = b24pysdk_webhook(server.webhook_url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    with pytest.raises(BitrixRequestError):
        token.call_method("profile")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_file))
    assert token.call_method("profile")["result"]["ID"] == "1"


def test_b24pysdk_call_list_fast_reads_every_row_exactly_once(snapshot, serve, trust):
    """§2.2 `start=-1` keyset read: order {ID: ASC}, filter {>ID: last}, and in each batch 50
    commands chained by `$result[n][49][ID]` (§3.1) — 2,500 rows per HTTP request, no COUNT."""
    portal = Portal(snapshot)
    server = serve(portal, https=True)
    trust(server)
    token = b24pysdk_webhook(server.webhook_url)
    client = Client(token)

    with metered(portal) as contacts_meter:
        response = token.call_list_fast("crm.contact.list", {"select": CONTACT_FIELDS})
        contacts = list(response["result"])
    with metered(portal) as deals_meter:
        deals = list(client.crm.deal.list(select=DEAL_FIELDS).as_list_fast().result)

    same_rows(contacts, snapshot["contacts"], CONTACT_FIELDS)
    same_rows(deals, snapshot["deals"], DEAL_FIELDS)
    for meter, n in ((contacts_meter, len(snapshot["contacts"])), (deals_meter, len(snapshot["deals"]))):
        batches = (n - 50) // (BATCH * 50) + 1
        assert meter.requests == 1 + batches and meter.counters["sub_calls"] == BATCH * batches


def test_b24pysdk_as_list_pages_by_total_and_next(snapshot, serve, trust):
    """§2.1: `as_list()` reads `total` and `next` from the first page, then every `start` offset
    in batches (§3); `result_total`/`result_next` come back per command (§3.2)."""
    portal = Portal(snapshot)
    server = serve(portal, https=True)
    trust(server)
    client = Client(b24pysdk_webhook(server.webhook_url))

    with metered(portal) as meter:
        contacts = client.crm.contact.list(select=CONTACT_FIELDS).as_list().result

    same_rows(contacts, snapshot["contacts"], CONTACT_FIELDS)
    assert meter.requests == 1 + math.ceil((pages(len(snapshot["contacts"])) - 1) / BATCH)


def test_b24pysdk_batches(snapshot, serve, trust):
    """§3: `Client.call_batch` (one batch, keys kept), `call_batches` (split at 50 commands),
    and the low-level token batch with a `$result[a][49][ID]` reference URL-encoded in `cmd`."""
    portal = Portal(snapshot)
    server = serve(portal, https=True)
    trust(server)
    token = b24pysdk_webhook(server.webhook_url)
    client = Client(token)
    contact_ids = ids(snapshot["contacts"])
    deal_ids = ids(snapshot["deals"])

    one = client.call_batch({"contact": client.crm.contact.get(bitrix_id=contact_ids[3]),
                             "deal": client.crm.deal.get(bitrix_id=deal_ids[5]),
                             "page": client.crm.contact.list(select=["ID"], start=50)}).result
    assert one.result["contact"]["ID"] == str(contact_ids[3]) and one.result["deal"]["ID"] == str(deal_ids[5])
    assert ids(one.result["page"]) == contact_ids[50:100]
    assert one.result_total == {"page": len(contact_ids)} and one.result_next == {"page": 100}
    assert not one.result_error

    with metered(portal) as meter:
        many = client.call_batches([client.crm.contact.get(bitrix_id=i) for i in contact_ids[:120]]).result
    assert sorted(int(r["ID"]) for r in many.result.values()) == contact_ids[:120]
    assert meter.requests == 3 and meter.counters["sub_calls"] == 120

    chained = token.call_batch({
        "a": ("crm.contact.list", {"order": {"ID": "ASC"}, "select": ["ID"], "start": -1}),
        "b": ("crm.contact.list", {"order": {"ID": "ASC"}, "select": ["ID"], "start": -1,
                                   "filter": {">ID": "$result[a][49][ID]"}}),
    })["result"]
    assert ids(chained["result"]["a"]) == contact_ids[:50] and ids(chained["result"]["b"]) == contact_ids[50:100]
    assert chained["result_error"] == [] and chained["result_next"] == []


# --- the leaky bucket: HTTP 503 QUERY_LIMIT_EXCEEDED (§4.1, §1.4, §1.5) --------------------


TINY = Plan(bucket_size=5, drain_per_s=2)
STUCK = Plan(bucket_size=5, drain_per_s=0.001)


def test_fast_bitrix24_over_the_bucket_gets_503_retries_and_still_reads_every_row(small_snapshot, serve):
    """§4.1/§1.5: a bucket of 5 draining 2/s; fast-bitrix24 assumes 50 and sends its batches in
    parallel, so some get HTTP 503 QUERY_LIMIT_EXCEEDED; it retries 5xx with back-off and ends
    with every row (anchors.md §1: it gives up only after more than 10 failures in a row)."""
    portal = Portal(small_snapshot, plan=TINY, clock=RealClock(scale=5))
    server = serve(portal)

    async def read(bx):
        return await bx.get_all("crm.contact.list", {"select": CONTACT_FIELDS})

    with metered(portal) as meter:
        contacts, caught = fast_bitrix24_run(server.webhook_url, read, batch_size=1)

    assert meter.counters["http_503"] > 0
    same_rows(contacts, small_snapshot["contacts"], CONTACT_FIELDS)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


def test_fast_bitrix24_gives_up_with_runtime_error_when_the_bucket_stays_full(small_snapshot, serve):
    """§4.1: when every request is refused with 503, fast-bitrix24 stops after more than ten
    failures in a row with RuntimeError("All attempts to get data from server exhausted")."""
    portal = Portal(small_snapshot, plan=STUCK, clock=RealClock())
    server = serve(portal)
    fill_bucket(portal)
    contact_ids = ids(small_snapshot["contacts"])[:12]

    async def work(bx):
        return await bx.call("crm.contact.get", [{"ID": i} for i in contact_ids])

    with metered(portal) as meter, pytest.raises(RuntimeError, match="All attempts to get data from server exhausted"):
        fast_bitrix24_run(server.webhook_url, work, batch_size=1)
    assert meter.counters["http_503"] >= 11 and meter.counters["sub_calls"] == 0


@pytest.fixture
def sdk_sleeps_on(monkeypatch):
    """b24pysdk's one wait — the `time.sleep` between 503 retries in its requester — is passed to
    the portal's virtual clock instead of the wall clock: the same requests in the same order, the
    portal drains as if the client had waited (spec/portal-sim.md "Virtual clock"), no flakiness."""
    from b24pysdk.api.requesters import _base_requester

    def route(portal: Portal) -> list[float]:
        slept: list[float] = []

        def sleep(seconds: float) -> None:
            slept.append(seconds)
            portal.clock.sleep(seconds)

        monkeypatch.setattr(_base_requester, "time", SimpleNamespace(sleep=sleep))
        return slept
    return route


def test_b24pysdk_over_the_bucket_gets_503_sleeps_and_still_reads_every_row(small_snapshot, serve, trust,
                                                                           sdk_sleeps_on):
    """§4.1/§1.5: b24pysdk has no client-side limiter; a run of single gets (0.11 s of portal time
    each) overflows a bucket of 5 draining 2/s; each 503 is retried after 1 s, which drains 2, and
    every record is read."""
    portal = Portal(small_snapshot, plan=TINY)
    server = serve(portal, https=True)
    trust(server)
    slept = sdk_sleeps_on(portal)
    client = Client(b24pysdk_webhook(server.webhook_url))
    wanted = ids(small_snapshot["contacts"])[:20]

    with metered(portal) as meter:
        got = [client.crm.contact.get(bitrix_id=i).result for i in wanted]

    assert [int(r["ID"]) for r in got] == wanted
    assert meter.counters["http_503"] > 0 and slept == [1.0] * meter.counters["http_503"]
    assert meter.requests == len(wanted) + meter.counters["http_503"]


def test_b24pysdk_call_list_fast_waits_out_a_bucket_another_app_filled(small_snapshot, serve, trust,
                                                                      sdk_sleeps_on):
    """§4.1: the bucket is shared by every app on the portal and IP; b24pysdk's list reader
    meets 503 on its first request, sleeps 1 s, and still reads every row once."""
    portal = Portal(small_snapshot, plan=TINY)
    server = serve(portal, https=True)
    trust(server)
    slept = sdk_sleeps_on(portal)
    token = b24pysdk_webhook(server.webhook_url)
    fill_bucket(portal)

    with metered(portal) as meter:
        contacts = list(token.call_list_fast("crm.contact.list", {"select": CONTACT_FIELDS})["result"])

    same_rows(contacts, small_snapshot["contacts"], CONTACT_FIELDS)
    assert meter.counters["http_503"] == 1 and slept == [1.0]


def test_b24pysdk_raises_query_limit_exceeded_after_three_attempts(small_snapshot, serve, trust):
    """§1.4: 503 `QUERY_LIMIT_EXCEEDED` "Too many requests"; b24pysdk tries 3 times, really
    sleeping 1 s then 2 s (real clock here), and raises BitrixAPIQueryLimitExceeded."""
    portal = Portal(small_snapshot, plan=STUCK, clock=RealClock())
    server = serve(portal, https=True)
    trust(server)
    token = b24pysdk_webhook(server.webhook_url)
    fill_bucket(portal)

    started = time.monotonic()
    with metered(portal) as meter, pytest.raises(BitrixAPIQueryLimitExceeded) as raised:
        list(token.call_list_fast("crm.contact.list", {"select": ["ID"]})["result"])
    assert time.monotonic() - started >= 3.0
    assert raised.value.error == "QUERY_LIMIT_EXCEEDED" and raised.value.error_description == "Too many requests"
    assert raised.value.status_code == 503
    assert meter.counters["http_503"] == 3 and meter.requests == 3


# --- permissions: rows filtered silently, `Access denied.` for no CRM access (§10, §2.3) ---


def test_fast_bitrix24_sees_only_own_rows_and_access_denied(small_snapshot, serve):
    """§10 and §2.3: a user with "own" access gets only the rows assigned to them, silently
    (`total` counts only those); a user with no CRM access gets HTTP 400 `Access denied.`:
    get_all raises aiohttp's ClientResponseError(400) — it reads no error body — and the batch
    path raises ErrorInServerResponseException with the portal's description."""
    portal = Portal(small_snapshot, plan="off")
    server = serve(portal)
    own, nobody = user_with(small_snapshot, "own"), user_with(small_snapshot, "none")

    async def read(bx):
        return (await bx.get_all("crm.contact.list", {"select": CONTACT_FIELDS}),
                await bx.get_all("crm.deal.list", {"select": DEAL_FIELDS}))

    (contacts, deals), caught = fast_bitrix24_run(webhook_url(server, own), read)
    same_rows(contacts, owned(small_snapshot["contacts"], own), CONTACT_FIELDS)
    same_rows(deals, owned(small_snapshot["deals"], own), DEAL_FIELDS)
    assert contacts and deals
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]

    denied_url = webhook_url(server, nobody)

    async def list_all(bx):
        return await bx.get_all("crm.contact.list", {"select": ["ID"]})

    with pytest.raises(aiohttp.ClientResponseError) as raised:
        fast_bitrix24_run(denied_url, list_all)
    assert raised.value.status == 400

    async def via_batch(bx):
        return await bx.call("crm.contact.get", [{"ID": 1}, {"ID": 2}])

    with pytest.raises(ErrorInServerResponseException) as raised:
        fast_bitrix24_run(denied_url, via_batch)
    assert "Access denied." in str(raised.value)


def test_b24pysdk_sees_only_own_rows_and_access_denied(small_snapshot, serve, trust):
    """§10 and §2.3 through b24pysdk: own rows only (keyset and classic paging alike); no CRM
    access raises BitrixAPIBadRequest with error "" and `Access denied.` (§1.3 legacy shape)."""
    portal = Portal(small_snapshot, plan="off")
    server = serve(portal, https=True)
    trust(server)
    own, nobody = user_with(small_snapshot, "own"), user_with(small_snapshot, "none")
    token = b24pysdk_webhook(webhook_url(server, own))

    contacts = list(token.call_list_fast("crm.contact.list", {"select": CONTACT_FIELDS})["result"])
    deals = Client(token).crm.deal.list(select=DEAL_FIELDS).as_list().result
    same_rows(contacts, owned(small_snapshot["contacts"], own), CONTACT_FIELDS)
    same_rows(deals, owned(small_snapshot["deals"], own), DEAL_FIELDS)

    denied = b24pysdk_webhook(webhook_url(server, nobody))
    with pytest.raises(BitrixAPIBadRequest) as raised:
        list(denied.call_list_fast("crm.contact.list", {"select": ["ID"]})["result"])
    assert raised.value.status_code == 400
    assert raised.value.error == "" and raised.value.error_description == "Access denied."


# --- the figure: what the same full read costs through each client -------------------------


def test_the_same_full_read_through_each_client(snapshot, serve, trust):
    """§2.1 vs §2.2 and the cost model (spec/portal-sim.md): every page that counts costs
    0.06 s + 20.9 µs per matching row, a `start=-1` page 0.06 s, each request 0.08 s round trip.
    fast-bitrix24 `get_all` and b24pysdk `call_list` (`as_list`) count on every page;
    `call_list_fast` never does."""
    n = len(snapshot["contacts"])
    lines, figures = [], {}
    for label, https in (("fast-bitrix24 get_all", False), ("b24pysdk call_list", True),
                         ("b24pysdk call_list_fast", True)):
        portal = Portal(snapshot)  # its own bucket, baskets and virtual clock
        server = serve(portal, https=https)
        with metered(portal) as meter:
            if label.startswith("fast"):
                async def read(bx):
                    return await bx.get_all("crm.contact.list", {"select": CONTACT_FIELDS})
                rows, _ = fast_bitrix24_run(server.webhook_url, read)
            else:
                trust(server)
                token = b24pysdk_webhook(server.webhook_url)
                if label.endswith("call_list"):
                    rows = token.call_list("crm.contact.list", {"select": CONTACT_FIELDS})["result"]
                else:
                    rows = list(token.call_list_fast("crm.contact.list", {"select": CONTACT_FIELDS})["result"])
        same_rows(rows, snapshot["contacts"], CONTACT_FIELDS)
        figures[label] = meter
        lines.append(meter.line(f"{label} of crm.contact.list ({n} rows)"))
    print("\n" + "\n".join(lines))

    costs = Portal(snapshot).costs
    counted_page = costs.list_page(n)
    for label in ("fast-bitrix24 get_all", "b24pysdk call_list"):
        meter = figures[label]
        assert meter.requests == 1 + math.ceil((pages(n) - 1) / BATCH)
        assert meter.portal_s == pytest.approx(meter.requests * costs.network_rtt_s + pages(n) * counted_page)
    fast = figures["b24pysdk call_list_fast"]
    assert fast.portal_s == pytest.approx(fast.requests * costs.network_rtt_s
                                          + (1 + fast.counters["sub_calls"]) * costs.list_page(None))
