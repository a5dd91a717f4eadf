"""Two tabs, one run (issue 11, item 9): the same user opening the app in two tabs never
runs two refreshes into one store.  The second tab says the refresh runs in another
tab, shows its progress, and shows the result when it ends."""

from __future__ import annotations

import pytest

from test_app_in_portal import DESKTOP, SETTLED, expected_counts, make_portal, shown_counts, user_with, wait_run
from syncfix import generated

pytestmark = pytest.mark.e2e

REST_LOG = """
  window.__restAt = [];
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (String(url).includes('/rest/')) window.__restAt.push([performance.now(), String(url).split('/rest/')[1]]);
    return open.apply(this, arguments);
  };"""


def test_a_second_tab_waits_for_the_first_shows_its_progress_and_its_result(serve, browsing):
    data = generated(150, 3)
    portal = make_portal(data, scale=4)  # slow enough for the second tab to open mid-run
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    context = browsing.context(viewport=DESKTOP)
    context.add_init_script(REST_LOG)
    first = browsing.open(face.shell_url(user=admin, app="/app/index.html"), context=context, wait_harness=False)
    first.frame.wait_for_selector(".progress:not([hidden])", timeout=120_000)
    second = browsing.open(face.shell_url(user=admin, app="/app/index.html"), context=context, wait_harness=False)
    second.frame.wait_for_function(SETTLED, timeout=120_000)
    strip = second.frame.locator(".progress__text")
    second.frame.wait_for_function("() => (document.querySelector('.progress__text') || {}).textContent"
                                   "?.startsWith('Refreshing in another tab')", timeout=60_000)
    assert "Refreshing in another tab" in strip.inner_text()
    wait_run(first)
    wait_run(second)
    first_done = first.frame.evaluate("() => window.__runDone")
    batches = [url for at, url in second.frame.evaluate("() => window.__restAt") if url.startswith("batch")]
    assert batches == [], f"the second tab read the CRM itself: {batches[:3]}"
    want = expected_counts(portal, admin)
    assert {k: v for k, v in shown_counts(second.frame).items() if not k.startswith("b2b.")} == want
    assert first_done is not None
