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
  const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__url = String(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (this.__url.includes('/rest/'))
      window.__restAt.push([performance.now(), this.__url.split('/rest/')[1], decodeURIComponent(String(body || ''))]);
    return send.apply(this, arguments);
  };"""


def test_a_second_tab_waits_for_the_first_shows_its_progress_and_its_result(serve, browsing):
    data = generated(1200, 3)  # a first run of about a minute at real time: long enough to open a second tab
    portal = make_portal(data, scale=1)  # real time: slow enough for the second tab to open mid-run
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    context = browsing.context(viewport=DESKTOP)
    context.add_init_script(REST_LOG)
    first = browsing.open(face.shell_url(user=admin, lang="en", app="/app/index.html"), context=context, wait_harness=False)
    first.frame.wait_for_selector(".progress:not([hidden])", timeout=120_000)
    second = browsing.open(face.shell_url(user=admin, lang="en", app="/app/index.html"), context=context, wait_harness=False)
    second.frame.wait_for_function(SETTLED, timeout=120_000)
    strip = second.frame.locator(".progress__text")
    try:
        second.frame.wait_for_function("() => (document.querySelector('.progress__text') || {}).textContent"
                                       "?.startsWith('Refreshing in another tab')", timeout=60_000)
    except Exception:
        raise AssertionError(str(second.frame.evaluate("""() => [document.querySelector('.progress__text')?.textContent,
            window.__runDone, window.__pyError, window.__runError, document.querySelector('#app')?.className,
            ]""")) + second.diagnostics())
    assert "Refreshing in another tab" in strip.inner_text()
    wait_run(first)
    wait_run(second)
    first_done = first.frame.evaluate("() => window.__runDone")
    months = [body[:200] for at, url, body in second.frame.evaluate("() => window.__restAt")
              if url.startswith("batch") and ("[>=createdTime]" in body or "[>=DATE_CREATE]" in body)]
    assert months == [], f"the second tab read the CRM's months itself: {months[:2]}"
    kept = second.frame.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('b24clients.bucket.'))"
                                 ".map(k => [k, localStorage.getItem(k), Date.now() / 1000])")
    assert len(kept) == 1, f"one bucket level for the portal, kept for both tabs: {kept}"
    (key, value, now), = kept
    level, at = map(float, value.split())
    assert key.endswith(f".{portal.member_id}") and 0 < level <= 50 and now - 300 < at <= now + 1, kept
    want = expected_counts(portal, admin)
    assert {k: v for k, v in shown_counts(second.frame).items() if not k.startswith("b2b.")} == want
    assert first_done is not None
