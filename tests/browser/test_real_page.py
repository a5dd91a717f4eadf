"""The real page (www/index.html + main.py) with this boot: in the portal shell it
starts, and the next open paints the user's last dashboard from the cache before
Python has started, then hands over to the live one (whose Planning mode takes
the activities from the store); standalone it never asks for BX24.js.  (The screens themselves are tested by tests/e2e.)"""

from __future__ import annotations

import time

import pytest

from b24sim.limits import RealClock
from b24sim.portal import Portal
from bundle_support import READY_TIMEOUT_MS as BOOT_MS
from syncfix import generated
from test_app_in_portal import choose_mode
from test_planning_mode import opens_without_reading_activities, wait_planning

pytestmark = pytest.mark.e2e

SETTLED = "() => window.__pyReadyAt !== undefined || window.__pyError !== undefined"
STATE = """() => {
    const app = document.getElementById('app');
    return {ready: window.__pyReadyAt, error: window.__pyError === undefined ? null : window.__pyError,
            cachedAt: window.__cachedViewAt === undefined ? null : window.__cachedViewAt,
            cachedView: window.b24cBoot.cachedView, mode: window.b24cBoot.mode,
            note: !!app.querySelector('.cached-note'), inert: app.inert, busy: app.getAttribute('aria-busy')};
}"""


def settle(opened) -> dict:
    opened.frame.wait_for_function(SETTLED, timeout=BOOT_MS)
    state = opened.frame.evaluate(STATE)
    assert state["error"] is None, f"{state['error']}\n{opened.diagnostics()}"
    return state


def test_in_the_portal_the_next_open_paints_the_cached_view_first(serve, browsing):
    portal = Portal(generated(300, 1), clock=RealClock(20))
    face = serve(portal)
    context = browsing.context()
    first = browsing.open(face.shell_url(user=1, app="/app/index.html"), context=context, wait_harness=False)
    state = settle(first)
    assert (state["mode"], state["cachedView"], state["cachedAt"]) == ("portal", False, None)
    deadline = time.monotonic() + 120
    while not first.frame.evaluate("() => b24cBoot.ready.then((c) => b24cIdb.loadView(c.ns)).then((v) => !!v)"):
        assert time.monotonic() < deadline, "the live page never saved its view"
        first.page.wait_for_timeout(250)
    first.page.close()

    again = browsing.open(face.shell_url(user=1, app="/app/index.html"), context=context, wait_harness=False)
    state = settle(again)
    assert state["cachedView"] is True and state["cachedAt"] is not None
    assert state["cachedAt"] < state["ready"]  # painted from the cache before Python was ready
    assert (state["note"], state["inert"], state["busy"]) == (False, False, "false")  # the live screen took over
    assert not [u for u in again.guard.seen if "api.bitrix24.com" in u]
    served = len(face.requests)
    choose_mode(again.frame, "planning")    # the cached dashboard's activities: the store replayed, none read
    wait_planning(again.frame)
    assert opens_without_reading_activities(face, served)


def test_standalone_the_real_page_starts_without_bx24(serve, browsing, app_dir):
    if not (app_dir / "demo" / "snapshot.json").is_file():
        pytest.skip("dist/demo/snapshot.json is missing: run `python build.py build`")
    face = serve(Portal(generated(5, 1)))
    opened = browsing.open(face.base_url + "/app/index.html?lang=ru&today=2026-11-23", frame=False,
                           wait_harness=False)
    state = settle(opened)
    assert (state["mode"], state["cachedAt"]) == ("standalone", None)
    assert not [u for u in opened.guard.seen if "/api/v1" in u or "api.bitrix24.com" in u]
    assert opened.frame.evaluate("() => document.documentElement.lang") == "ru"
