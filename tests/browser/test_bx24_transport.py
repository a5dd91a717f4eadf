"""Bx24Transport (web/bx24.py) over the BX24.js stand-in in Chromium, inside the portal
shell: calls, batches that keep `start`, a callback that never fires becoming
TransportLost (and the gateway retrying it), token refresh, and the frame helpers.
Reference: bitrix24-rest.md §1.5, §2.2, §3, §5.2, §6.

The first three tests share one harness page on one portal (`page`)."""

from __future__ import annotations


import pytest

from b24clients.rest.query import build
from b24sim.limits import RealClock
from b24sim.portal import Faults
from simkit import portal

pytestmark = pytest.mark.e2e

SCALE = 20.0


def ids(rows) -> list[int]:
    return [int(row["ID"]) for row in rows]


@pytest.fixture
def page(shared):
    """(face, the harness page) on a 120-contact portal: booted for the module's first test
    that asks (through conftest.py's `shared`), handed to the next with no fault pending."""
    def boot(serve, browsing):
        face = serve(portal(120, clock=RealClock(SCALE)))
        return face, browsing.open(face.shell_url(user=1, app="/app/harness.html"))

    def reset(made):
        sim = made[0].portal
        with sim.lock:
            sim.faults = Faults()

    return shared("harness", boot, reset)


def test_calls_batches_and_lists_with_start(page):
    face, opened = page
    sim = face.portal
    one = opened.call("send", method="user.current", params={})
    assert one["status"] == 200 and one["body"]["result"]["ID"] == "1"
    assert set(one["body"]["time"]) >= {"start", "finish", "duration", "date_start", "operating"}

    # The gateway's shape of a list read: chained start=-1 windows in one batch.
    window = {"select": ["ID"], "order": {"ID": "ASC"}, "start": -1}
    cmd = {"a": "crm.contact.list?" + build({**window, "filter": {">ID": 0}}),
           "b": "crm.contact.list?" + build({**window, "filter": {">ID": "$result[a][49][ID]"}}),
           "c": "crm.contact.list?" + build({**window, "filter": {">ID": "$result[b][49][ID]"}})}
    batch = opened.call("send", method="batch", params={"halt": 0, "cmd": cmd})
    result = batch["body"]["result"]
    assert batch["status"] == 200 and ids(result["result"]["b"]) == list(range(51, 101))
    assert ids(result["result"]["c"]) == list(range(101, 121))
    assert result["result_total"] == {"a": 0, "b": 0, "c": 0}  # start=-1 reached the portal: no counting
    assert set(result["result_time"]["a"]) >= {"operating", "operating_reset_at"}
    sent = face.requests[-1]
    assert sent["method"] == "batch" and all("start=-1" in c for c in sent["params"]["cmd"].values())

    # A plain call with `start` (which callMethod would drop) goes as a one-command batch.
    page2 = opened.call("send", method="crm.contact.list", params={"select": ["ID"], "order": {"ID": "ASC"},
                                                                      "start": 50})
    assert page2["status"] == 200 and ids(page2["body"]["result"]) == list(range(51, 101))
    assert page2["body"]["total"] == 120 and page2["body"]["next"] == 100
    assert "operating" in page2["body"]["time"]
    assert face.requests[-1]["method"] == "batch" and "start=50" in face.requests[-1]["params"]["cmd"]["c"]

    # Y/N, empty values and empty filters are sent as the HTTP transport sends them.
    flags = opened.call("send", method="crm.contact.list", params={"select": ["ID"], "filter": {}, "start": -1})
    assert flags["status"] == 200 and len(flags["body"]["result"]) == 50

    missing = opened.call("send", method="no.such.method", params={})
    assert missing["status"] == 404 and missing["body"] == {"error": "ERROR_METHOD_NOT_FOUND",
                                                            "error_description": "Method not found!"}
    # A wrapped call's error comes back as the single call's error would.
    refused = opened.call("send", method="crm.item.list", params={"entityTypeId": 999, "start": 0})
    assert refused == {**refused, "status": 400, "body": {"error": "NOT_FOUND",
                                                           "error_description": "Smart process not found"}}
    with sim.lock:
        assert sim.counters["http_503"] == 0


def test_a_callback_that_never_fires_becomes_transport_lost_and_the_gateway_retries(page):
    face, opened = page
    sim = face.portal
    # An HTTP 500: BX24.js throws 'Query error!' and never calls back; the XHR it
    # returned ends with status 500, so the loss is known at once.
    sim.faults.server_errors = 1
    lost = opened.call("send", method="user.current", params={}, timeout=30)
    assert "HTTP 500" in lost["lost"] and lost["seconds"] < 5 and lost["count"] == 1
    assert face.requests[-1]["status"] == 500

    # A dropped connection (no answer at all): the same. (Chromium resends a request by
    # itself when a reused keep-alive connection closes unanswered, once per pooled
    # connection: only when those are spent does the page see the error.)
    sim.faults.drops = 20
    lost = opened.call("send", method="user.current", params={}, timeout=30)
    assert "network error" in lost["lost"] and lost["seconds"] < 5
    sim.faults.drops = 0

    # When callMethod returns no XHR (the call was queued), only the timeout notices.
    sim.faults.server_errors = 1
    lost = opened.call("send", method="user.current", params={}, timeout=1.5, hide_xhr=True)
    assert "did not call back within 1.5 s" in lost["lost"] and 1.4 < lost["seconds"] < 4

    # The gateway retries a lost call and gets the answer.
    sim.faults.server_errors = 2
    answer = opened.call("gateway_call", method="user.current", params={}, scale=SCALE,
                         origin=sim.clock._origin_real)
    assert answer["result"]["ID"] == "1" and answer["requests"] == 3 and answer["retries"] == 2
    assert [r["status"] for r in list(face.requests)[-3:]] == [500, 500, 200]
    # BX24.js's 'Query error!' did not reach the page's error fallback.
    assert opened.frame.evaluate("() => window.__pyError") is None


def test_an_expired_token_is_refreshed(page):
    face, opened = page
    sim = face.portal
    before = opened.call("auth")["access_token"]
    with sim.lock:
        sim.expire_tokens()
    answer = opened.call("send", method="user.current", params={})
    assert answer["status"] == 200 and answer["body"]["result"]["ID"] == "1"
    assert [r["status"] for r in face.requests if r["method"] == "user.current"][-2:] == [401, 200]
    assert opened.call("auth")["access_token"] != before

    # The gateway's own refresh (after a second expired_token): one refreshAuth for
    # concurrent callers, and a new token.
    refreshes = len([e for e in opened.shell_log() if e.get("cmd") == "refreshAuth"])
    tokens = opened.call("refresh")
    assert tokens["after"] != tokens["before"]
    assert len([e for e in opened.shell_log() if e.get("cmd") == "refreshAuth"]) == refreshes + 1


def test_a_token_already_expired_in_the_page_is_refreshed_before_sending(serve, browsing):
    """At 3600x a token lives one real second: getAuth() turns false, and the transport
    refreshes through the parent before it sends, so the portal never says 401."""
    face = serve(portal(5, clock=RealClock(3600)))
    opened = browsing.open(face.shell_url(user=1, app="/app/harness.html"))
    opened.page.wait_for_timeout(1500)
    assert opened.call("auth") is None  # BX24.getAuth() is false once the token has expired
    refreshes = len([e for e in opened.shell_log() if e.get("cmd") == "refreshAuth"])
    answer = opened.call("send", method="user.current", params={})
    assert answer["status"] == 200
    assert [r["status"] for r in face.requests if r["method"] == "user.current"][-1] == 200
    assert 401 not in [r["status"] for r in list(face.requests)[-2:]]
    assert len([e for e in opened.shell_log() if e.get("cmd") == "refreshAuth"]) >= refreshes + 1


def test_frame_helpers(serve, browsing):
    face = serve(portal(5, clock=RealClock(SCALE)))
    face.portal.app_options["color"] = "blue"
    admin = browsing.open(face.shell_url(user=1, app="/app/harness.html", placement="CRM_CONTACT_DETAIL_TAB",
                                         options={"ID": 7}, lang="ua"))
    helpers = admin.call("frame_helpers")
    assert helpers == {"placement": {"placement": "CRM_CONTACT_DETAIL_TAB", "options": {"ID": "7"}},
                       "admin": True, "lang": "ua", "color": "blue"}
    context = admin.call("context")
    assert (context["lang"], context["portal_lang"], context["placement_options"]) == ("ru", "ua", {"ID": "7"})
    assert context["app_options"] == {"color": "blue"}
    assert admin.call("set_option", option="color", value="red") == {"options": {"color": "red"}}
    assert face.portal.app_options == {"color": "red"}

    admin.frame.evaluate("() => { window.__opened = window.harnessCall('open_path', "
                         "JSON.stringify({path: '/crm/contact/details/7/'})); }")
    admin.page.locator("#slider").wait_for(state="visible")
    assert admin.page.locator("#slider-path").text_content() == "/crm/contact/details/7/"
    admin.page.locator("#slider-close").click()
    assert admin.frame.evaluate("() => window.__opened") == '{"ok": {"result": "close"}}'
    assert admin.call("open_path", path="crm/no-slash") == {"result": "error", "errorCode": "PATH_NOT_AVAILABLE"}

    other = browsing.open(face.shell_url(user=3, app="/app/harness.html", mobile=True))
    assert other.call("set_option", option="color", value="green")["refused"].startswith("only a portal administrator")
    assert face.portal.app_options == {"color": "red"}
    assert other.call("open_path", path="/crm/contact/details/7/") == {
        "result": "error", "errorCode": "METHOD_NOT_SUPPORTED_ON_DEVICE"}
    assert other.call("context")["is_admin"] is False
