"""A client's whole history as users meet it (issue 12, spec/history.md): the contact
and company card tabs, the client page opened from the list, the cached open with no
request before the saved table is painted, a phone at 360 px, and CRM titles that
stay text.  Screenshots: tests/e2e/screenshots/portal-history-*."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from b24clients import history
from b24clients.rest.gateway import Gateway
from b24clients.sync.history import read_history
from b24sim.generate import generate
from b24sim.histories import long_clients
from b24sim.portal import Portal
from b24sim.transport import InProcessTransport, VirtualTime
from test_app_in_portal import DESKTOP, PHONE, make_portal, number, shot, user_with, wait_run

pytestmark = pytest.mark.e2e

HISTORY_MS = 120_000
REST_LOG = """
  window.__restAt = [];
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (String(url).includes('/rest/')) window.__restAt.push([performance.now(), String(url).split('/rest/')[1]]);
    return open.apply(this, arguments);
  };"""


@pytest.fixture(scope="module")
def data():
    data = generate(150, 3, long_histories=True)
    company = long_clients(data)[20]
    hostile = '<img src=x onerror="window.__xss=1">Deal'
    deal = next(d for d in data["deals"] if d.get("COMPANY_ID") == str(company))
    deal["TITLE"] = hostile
    return data


def expected(data: dict, client, user_id: int, read_at: str) -> dict[str, int]:
    """The counters the page must show: the same read, in process, on a copy of the portal,
    at the page's own moment of reading (what is overdue depends on it)."""
    portal = Portal(data)
    now = datetime.fromisoformat(read_at)
    clock = VirtualTime(portal.clock)
    gateway = Gateway(InProcessTransport(portal, clock, user_id=user_id), clock)
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps an event loop running here
        read = pool.submit(asyncio.run, read_history(gateway, client, now=now)).result()
    return history.counts(read.history.items)


def open_tab(browsing, face, user: int, placement: str, record_id: int, *, context=None, phone=False, lang="en"):
    context = context or browsing.context(viewport=PHONE if phone else DESKTOP)
    opened = browsing.open(face.shell_url(user=user, lang=lang, placement=placement, options={"ID": str(record_id)},
                                          app="/app/index.html", mobile=phone),
                           context=context, wait_harness=False)
    opened.frame.wait_for_function("() => window.__historyAt !== undefined || window.__historyError !== undefined "
                                   "|| window.__pyError !== undefined", timeout=HISTORY_MS)
    problem = opened.frame.evaluate("() => window.__historyError || window.__pyError || null")
    assert problem is None, f"{problem}\n{opened.diagnostics()}"
    return opened


def shown_counters(frame) -> dict[str, int]:
    return {key: number(text) for key, text in frame.eval_on_selector_all(
        ".history__counters [data-count]", "els => els.map(e => [e.dataset.count, e.textContent])")}


@pytest.mark.parametrize("placement, entity", [("CRM_COMPANY_DETAIL_TAB", "company"),
                                               ("CRM_CONTACT_DETAIL_TAB", "contact")])
def test_the_card_tab_shows_the_clients_whole_history(serve, browsing, data, placement, entity):
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    company = long_clients(data)[20]
    record = company if entity == "company" else next(
        int(b["CONTACT_ID"]) for b in data["contact_companies"] if b["COMPANY_ID"] == str(company))
    opened = open_tab(browsing, face, admin, placement, record)
    frame = opened.frame
    want = expected(data, (entity, record), admin, frame.evaluate("() => window.__historyReadAt"))
    assert shown_counters(frame) == want
    assert number(frame.locator(".history .list-tools__count").inner_text()) == sum(
        want[k] for k in ("deal", "invoice", "activity", "document", "comment"))
    assert frame.locator(".history__row:not(.history__row--head)").count() == min(
        100, sum(want[k] for k in ("deal", "invoice", "activity", "document", "comment")))
    assert frame.evaluate("() => document.scrollingElement.scrollHeight <= window.innerHeight + 1"), \
        "a tab has no height of its own: the frame fits the page"
    assert frame.evaluate("() => window.__xss") is None and frame.locator(".history img").count() == 0
    frame.locator(".history__counters [data-counter='deal.won']").click()
    assert number(frame.locator(".history .list-tools__count").inner_text()) == want["deal.won"]
    frame.locator("[data-sort=amount]").click()
    shot(opened, f"history-desktop-{entity}-tab")
    frame.locator(".history__open").first.click()
    opened.page.wait_for_function("() => window.__shell.paths.length > 0", timeout=10_000)
    assert opened.page.evaluate("() => window.__shell.paths[0]").startswith("/crm/deal/details/")


def test_a_cached_history_is_painted_before_any_request_and_refreshed_behind(serve, browsing, data):
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    company = long_clients(data)[20]
    context = browsing.context(viewport=DESKTOP)
    context.add_init_script(REST_LOG)
    first = open_tab(browsing, face, admin, "CRM_COMPANY_DETAIL_TAB", company, context=context)
    first.page.close()
    again = open_tab(browsing, face, admin, "CRM_COMPANY_DETAIL_TAB", company, context=context)
    frame = again.frame
    cached_at, started, rest = frame.evaluate("() => [window.__historyCachedAt, window.__pyStartedAt, window.__restAt]")
    assert cached_at is not None, "the second open must paint the saved history"
    before = [url for at, url in rest if started <= at < cached_at]
    assert before == [], f"requests before the saved history was painted: {before}"
    assert "As of" in frame.locator(".history__meta").inner_text()
    assert frame.locator(".history__title").inner_text()


def test_the_client_page_opens_from_the_list_and_the_icon_opens_the_crm_card(serve, browsing, data):
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = browsing.open(face.shell_url(user=admin, app="/app/index.html"), context=browsing.context(
        viewport=DESKTOP), wait_harness=False)
    opened.frame.wait_for_function("() => window.__pyReadyAt !== undefined", timeout=HISTORY_MS)
    wait_run(opened)
    frame = opened.frame
    row = frame.locator(".list__window .list__row").first
    name = row.locator(".list__name").inner_text()
    row.locator(".list__name").click()
    panel = frame.locator("dialog.sheet--wide")
    panel.wait_for(state="visible")
    frame.wait_for_function("() => window.__historyAt !== undefined", timeout=HISTORY_MS)
    assert panel.locator(".history__title").inner_text() == name
    assert panel.locator(".history__values").inner_text()
    shot(opened, "history-desktop-from-list")
    panel.locator(".sheet__head button").click()
    panel.wait_for(state="detached")
    row.locator(".list__crm").click()
    opened.page.wait_for_function("() => window.__shell.paths.length > 0", timeout=10_000)
    assert opened.page.evaluate("() => window.__shell.paths[0]").startswith(("/crm/contact/details/",
                                                                             "/crm/company/details/"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_on_a_phone_every_history_row_is_a_card(serve, browsing, data, lang):
    portal = make_portal(data)
    face = serve(portal)
    company = long_clients(data)[1]
    opened = open_tab(browsing, face, user_with(data, "all", admin=True), "CRM_COMPANY_DETAIL_TAB", company,
                      phone=True, lang=lang)
    frame = opened.frame
    opened.page.evaluate("() => { document.getElementById('app-frame').style.width = '360px'; }")
    frame.wait_for_function("() => window.innerWidth === 360")
    assert frame.locator(".history__row--head").is_hidden()
    card = frame.locator(".history__row:not(.history__row--head)").first
    assert card.locator(".history__cell--title").is_visible() and card.locator(".history__cell--date").is_visible()
    assert frame.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
    assert frame.locator(".history__filters").evaluate("e => e.open") is False, "filters fold on a phone"
    shot(opened, f"history-phone-{lang}")
    colleague = open_tab(browsing, face, user_with(data, "all", admin=False), "CRM_COMPANY_DETAIL_TAB", company,
                         lang=lang)
    assert colleague.frame.locator(".history__notice").is_visible(), "not an admin: told rights may hide rows"
