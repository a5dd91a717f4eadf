"""Time travel: the portal clock moved forward by days between two opens of the app,
with the to-do pings passed on the way ringing — in process (`portal.travel`), over
HTTP (`POST /_sim/travel`, `GET /_sim/effects`) and from the shell page
(`window.__simTravel`) (spec/status-ladder.md "The simulated portal"; next-features.md
§B.2.2; spec/portal-sim.md "Virtual clock")."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import date, datetime, timezone

import pytest

from b24sim.http import serve_in_thread
from b24sim.limits import RealClock
from b24sim.portal import Portal
from laddersim import ADMIN, ALL, DAY, OWN, call, ok, portal, todo, token
from test_shell import SHELL_APP, WAIT_MS, Guard


def post(url: str, body: object) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def test_travel_moves_the_clock_by_whole_days_and_only_forward():
    p = portal()
    start = p.clock.now()
    moved = p.travel(days=3, hours=2)
    assert p.clock.now() - start == 3 * DAY + 7200
    assert (moved["from"], moved["to"], moved["date"]) == (
        "2026-11-23T09:00:00+03:00", "2026-11-26T11:00:00+03:00", "2026-11-26")
    assert p.date() == date(2026, 11, 26)
    with pytest.raises(ValueError):
        p.travel(days=-1)
    p.clock.sleep(123.4)  # call costs drift the time of day ...
    assert p.travel(to="2026-11-27T09:00:00")["to"] == "2026-11-27T09:00:00+03:00"  # ... a walk can re-align
    assert p.travel(to=datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc))["to"] == "2026-11-28T11:00:00+03:00"
    with pytest.raises(ValueError):
        p.travel(to="2026-11-01T09:00:00")


def test_between_two_opens_the_old_token_has_expired_and_a_new_open_works():  # REF §4.3, §5.1
    p = portal()
    yesterday = p.issue_token(OWN)
    p.travel(days=1)
    assert p.call("user.current", {}, auth=yesterday["access_token"]).body["error"] == "expired_token"
    assert p.call("user.current", {}, auth=p.refresh(yesterday["refresh_token"])["access_token"]).status == 200
    assert ok(call(p, "user.current", {}, OWN))["ID"] == "2"


def test_the_limits_have_drained_after_a_night():  # REF §4.1, §4.2
    p = portal(plan="standard")
    t = token(p)
    replies = [p.call("user.current", {}, auth=t, advance_clock=False).status for _ in range(60)]
    assert 503 in replies
    p.travel(hours=8)
    assert p.operating.used(("app", "user.current"), p.clock.now()) == 0
    t = token(p)  # the old one lived an hour
    assert [p.call("user.current", {}, auth=t, advance_clock=False).status for _ in range(50)] == [200] * 50


def test_a_client_walked_down_over_120_days_rings_every_alarm_on_its_day():  # spec: "walk a client ... over 120 days"
    p = portal()
    rung_days = []
    alarm = None
    for day_n in range(120):
        if day_n % 30 == 0:  # the pass, on some days only, sets the next alarm: 30 days on, warned 3 days before
            deadline = p.iso(p.clock.now() + 30 * DAY).replace("T09:00:00", "T10:00:00")
            if alarm is None:
                alarm = todo(p, owner_type=4, owner=7, deadline=deadline, pingOffsets=[4320, 0], responsibleId=ALL)
            else:
                ok(call(p, "crm.activity.todo.updateDeadline", {"id": alarm, "ownerTypeId": 4, "ownerId": 7,
                                                                "value": deadline}))
        rung_days += [(day_n, x["offset"]) for x in p.travel(days=1)["rung"]]
    # Each alarm is moved on day 30, 60, 90 before its deadline, so only the 3-day warnings ring.
    assert rung_days == [(27, 4320), (57, 4320), (87, 4320), (117, 4320)]
    assert len(p.inbox(ALL)) == 1 and len([n for n in p.notifications if n["kind"] == "ping"]) == 4
    assert p.date() == date(2027, 3, 23)


def test_travel_on_a_real_clock_jumps_without_waiting():  # http.py serves on RealClock
    p = Portal(portal().snapshot(), clock=RealClock())
    before = time.time()
    p.travel(days=2)
    assert p.clock.now() - before == pytest.approx(2 * DAY, abs=5)
    assert time.time() - before < 5


def test_over_http_the_same_methods_answer_and_travel_is_a_post():  # spec/portal-sim.md two faces, one core
    p = portal()
    with serve_in_thread(p) as face:
        body = "ownerTypeId=3&ownerId=3&deadline=2026-11-30T10:00:00&title=Call&pingOffsets[]=4320&pingOffsets[]=0"
        request = urllib.request.Request(face.webhook_url + "crm.activity.todo.add.json", data=body.encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=30) as response:
            tid = json.loads(response.read())["result"]["id"]
        assert get(face.base_url + "/_sim/state")["pings"]["scheduled"] == 2
        status, moved = post(face.base_url + "/_sim/travel", {"days": 8})
        assert status == 200 and moved["rung"] == 2 and moved["date"] == "2026-12-01"
        assert [x["activity_id"] for x in moved["pings"]] == [tid, tid]
        effects = get(face.base_url + "/_sim/effects")
        assert effects["date"] == "2026-12-01" and [n["kind"] for n in effects["notifications"]] == ["ping", "ping"]
        assert [e["type"] for e in effects["timeline_entries"]] == ["PING", "PING"]
        assert post(face.base_url + "/_sim/travel", {"days": -1})[0] == 400
        assert post(face.base_url + "/_sim/travel", {"days": "soon"})[0] == 400
        status, moved = post(face.base_url + "/_sim/travel?hours=1", {})
        assert status == 200 and moved["to"] == "2026-12-01T10:00:00+03:00"
        status, moved = post(face.base_url + "/_sim/travel", {"to": "2026-12-02T09:00:00"})
        assert status == 200 and moved["to"] == "2026-12-02T09:00:00+03:00"
        assert post(face.base_url + "/_sim/travel", {"to": "yesterday"})[0] == 400


@pytest.mark.e2e
def test_the_shell_page_travels_and_the_app_refreshes_its_token_silently(browser):  # REF §5.2
    p = portal(120)
    todo(p, pingOffsets=[0], responsibleId=ADMIN)
    with serve_in_thread(p, app_dir=SHELL_APP, rewrite_bx24=False) as face:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        guard = Guard(face.base_url + "/api/v1/")
        context.route("**/*", guard.handle)
        try:
            page = context.new_page()
            page.goto(face.shell_url(user=ADMIN, lang="en"))
            frame = page.frame(name=page.evaluate("() => window.__shell.config.frame_name"))
            frame.wait_for_function("() => window.__app && window.__app.init", timeout=WAIT_MS)
            assert page.locator("#portal-date").text_content() == "2026-11-23"
            moved = page.evaluate("() => window.__simTravel(10)")
            assert moved["date"] == "2026-12-03" and moved["rung"] == 1
            assert page.locator("#portal-date").text_content() == "2026-12-03"
            answer = frame.evaluate("() => call('user.current', {})")
            assert answer["error"] is None and answer["data"]["ID"] == "1"
            assert [r["status"] for r in face.requests if r["method"] == "user.current"][-2:] == [401, 200]
            page.reload()  # the next open: fresh init data on the new day
            frame = page.frame(name=page.evaluate("() => window.__shell.config.frame_name"))
            frame.wait_for_function("() => window.__app && window.__app.init", timeout=WAIT_MS)
            assert page.locator("#portal-date").text_content() == "2026-12-03"
            assert [n["kind"] for n in p.inbox(ADMIN)] == ["ping"]
        finally:
            context.close()
        assert not guard.problem(), guard.problem()
