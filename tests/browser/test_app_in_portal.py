"""The whole app as a user meets it in a portal: the real index.html in the
simulated portal's shell, BX24.js stand-in, IndexedDB, the sync engine in the
page. First run equals the `classify` command; a reload mid-run resumes at the
right month; restricted users see their part and are told so; a user without
CRM access gets a sentence; Refresh shows changes made in the portal; a name
opens the CRM card; settings re-classify. Screenshots of every screen, desktop
1366×768 and phone 390×844, go to tests/e2e/screenshots/.

The admin's page after the first run is booted once per place (`admin_page`, through
conftest.py's `shared`; in English at a desktop it is the first run's own page, watched
on the way): the screenshots' test looks at each, then the tests that change the portal
or the settings (Refresh, the settings) use their place's last."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Error as PlaywrightError

from b24clients.settings import Settings, to_option
from b24clients.snapshot import snapshot_from_data
from b24clients.classify import classify_snapshot
from b24clients.lifecycle import Thresholds
from b24sim.limits import RealClock
from b24sim.portal import Portal
from bundle_support import READY_TIMEOUT_MS as BOOT_MS
from syncfix import generated, visible_snapshot
from test_engine_in_page import months_read

pytestmark = pytest.mark.e2e

CLIENTS, SEED = 150, 3
SCALE = 20.0
RUN_MS = 240_000
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PHONE_PAGE = {"width": 420, "height": 1000}
"""The shell's page around its phone frame (PHONE) and bezel, as `open_app` makes it."""
PORTAL_TZ = timezone(timedelta(hours=3))
SETTLED = "() => window.__pyReadyAt !== undefined || window.__pyError !== undefined"
MODES = ("types", "with_payments", "frequency", "without_payments")


@pytest.fixture(scope="module")
def data():
    return generated(CLIENTS, SEED)


def user_with(data, access: str, admin: bool | None = None) -> int:
    return next(int(u["ID"]) for u in data["users"]
                if u.get("CRM_ACCESS") == access and (admin is None or bool(u.get("ADMIN")) == admin))


def make_portal(data, *, write_back: bool = False, scale: float = SCALE) -> Portal:
    portal = Portal(data, clock=RealClock(scale))
    portal.app_options["settings"] = to_option(Settings(write_back=write_back))
    return portal


def today_of(portal: Portal):
    return datetime.fromtimestamp(portal.clock.now(), PORTAL_TZ).date()


def expected_counts(portal: Portal, user_id: int, thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    today = today_of(portal)
    counts = classify_snapshot(snapshot_from_data(visible_snapshot(portal, user_id)), today, thresholds)["counts"]
    flat = {"clients": counts["clients"], "b2b": counts["b2b"], "b2c": counts["b2c"]}
    for group in ("lifecycle", "frequency"):
        flat.update({f"{group}.{k}": v for k, v in counts[group].items()})
    return flat


def number(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def choose_mode(frame, mode: str) -> None:
    """Tabs on a desktop, the one select on a phone."""
    picker = frame.locator(".mode-picker")
    if picker.is_visible():
        picker.select_option(mode)
    else:
        frame.locator(f"[data-mode={mode}]").click()


def shown_counts(frame) -> dict[str, int]:
    shown: dict[str, int] = {}
    for mode in MODES:
        choose_mode(frame, mode)
        for key, text in frame.eval_on_selector_all("#panel [data-count]",
                                                    "els => els.map(e => [e.dataset.count, e.textContent])"):
            shown[key] = number(text)
    return shown


def open_app(browsing, face, user: int, *, lang: str = "en", phone: bool = False, context=None,
             placement: str = "DEFAULT"):
    context = context or browsing.context(viewport=PHONE if phone else DESKTOP,
                                          **({"is_mobile": True, "has_touch": True} if phone else {}))
    opened = browsing.open(face.shell_url(user=user, lang=lang, mobile=phone, placement=placement,
                                          app="/app/index.html"),
                           context=context, wait_harness=False)
    if phone:  # the shell's phone frame is 390×844 inside the page; look at the frame alone
        opened.page.set_viewport_size(PHONE_PAGE)
    opened.frame.wait_for_function(SETTLED, timeout=BOOT_MS)
    error = opened.frame.evaluate("() => window.__pyError === undefined ? null : window.__pyError")
    opened.error = error
    return opened


def wait_run(opened, after: float = 0) -> None:
    opened.frame.wait_for_function(
        "(after) => (window.__runDone || 0) > after || window.__runError !== undefined || "
        "window.__pyError !== undefined", arg=after, timeout=RUN_MS, polling=250)
    problem = opened.frame.evaluate("() => window.__runError || window.__pyError || null")
    assert problem is None, f"{problem}\n{opened.diagnostics()}"


def shot(opened, name: str) -> None:
    from bundle_support import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.frame.locator("html").screenshot(path=str(SCREENSHOTS / f"portal-{name}.png"))


def small_touch_targets(frame) -> list[str]:
    """Visible links, buttons and inputs smaller than 44×44 CSS px (outside the list's
    sideways-scrolled cells, which are 44 px tall rows)."""
    return frame.evaluate("""() => [...document.querySelectorAll('a, button, summary, input, select')]
        .filter(e => e.getClientRects().length && !e.closest('.list__window'))
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
        .filter(([_, r]) => r.width < 44 || r.height < 44)
        .map(([h, r]) => `${h} (${Math.round(r.width)}×${Math.round(r.height)})`)""")


def in_portal_view(opened, locator):
    """Scroll the portal's page to an element of our frame (the frame is as tall as its page,
    so the portal scrolls, not the frame), and give the element back to act on."""
    top = opened.page.evaluate("() => document.getElementById('app-frame').getBoundingClientRect().top + scrollY")
    inside = locator.evaluate("e => e.getBoundingClientRect().top")
    opened.page.evaluate("(y) => window.scrollTo(0, y)", max(0, top + inside - 200))
    return locator


def frame_fits(frame) -> bool:
    """The app asked the portal for a frame as tall as its page (BX24.resizeWindow) and got
    it: the frame itself never scrolls, the portal's page does; nothing is wider than it."""
    try:
        frame.wait_for_function("() => document.scrollingElement.scrollHeight <= window.innerHeight + 1 "
                                "&& document.scrollingElement.scrollWidth <= window.innerWidth", timeout=5_000)
    except Exception:
        print("does not fit:", frame.evaluate("""() => [document.scrollingElement.scrollHeight, window.innerHeight,
            document.scrollingElement.scrollWidth, window.innerWidth,
            [...document.querySelectorAll('#app *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
              && !e.closest('.list__viewport, .managers-wrap')).slice(0, 5)
              .map(e => e.outerHTML.slice(0, 120) + ' ' + Math.round(e.getBoundingClientRect().right))]"""))
        return False
    return True


def as_booted(opened, viewport: dict = DESKTOP) -> None:
    """A page shared by several tests put back as its boot left it (`shared` in conftest.py),
    as far as those tests change it: no sheet or question open, the shell's window `viewport`
    (what `open_app` left) and scrolled to its top, the frame at the shell's own width, no
    focus and the mouse outside the frame, the Types mode with its own population, the list
    at its top in its first order, the managers' table by total, and the frame fitted to its
    page again."""
    page, frame = opened.page, opened.frame
    frame.evaluate("() => document.querySelectorAll('dialog[open]').forEach(d => d.close())")
    frame.wait_for_function("() => !document.querySelector('dialog')")  # each removes itself once closed
    page.evaluate("() => { document.getElementById('app-frame').style.width = ''; }")
    page.set_viewport_size(viewport)
    choose_mode(frame, "managers")
    for _ in range(2):
        if frame.locator("th:has([data-manager-sort=total])").get_attribute("aria-sort") == "descending":
            break
        frame.locator("[data-manager-sort=total]").click()
    choose_mode(frame, "types")
    for _ in range(2):
        if frame.evaluate(FIRST_ORDER):
            break
        sorter = frame.locator(".list-sort")
        if sorter.is_visible():
            sorter.select_option("sort:name:0")
        else:
            frame.locator(".list__row--head [data-sort=name]").click()
    frame.evaluate("() => { const list = document.querySelector('.list__viewport'); if (list) list.scrollTop = 0; }")
    frame.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    assert frame_fits(frame), "the shared page did not fit its frame again"


FIRST_ORDER = """() => {
    const picker = document.querySelector('.list-sort');
    if (picker && picker.getClientRects().length) return picker.value === 'sort:name:0';
    const head = document.querySelector('.list__row--head [data-sort=name]');
    return !head || head.closest('[aria-sort]')?.getAttribute('aria-sort') === 'ascending';
}"""
"""The list in the order it opens in (by name, A to Z): on a phone its select says so."""


def admin_after_first_run(serve, browsing, data, **open_options):
    """A fresh portal, its admin's app opened and its first run finished."""
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin, **open_options)
    wait_run(opened)
    return portal, face, admin, opened


@dataclass
class Admin:
    """The admin's page after the first run on a portal of its own."""
    portal: Portal
    face: object
    admin: int
    opened: object
    seen: dict = field(default_factory=dict)
    """What `first_run` saw on the way: error (Python's, once settled), progress (the
    progress strip's words once it showed; None and no_progress, why, if it never did)."""


def first_run(serve, browsing, data) -> Admin:
    """`admin_after_first_run` at a desktop in English, watched on the way (`Admin.seen`,
    and the screenshot desktop-en-first-run once the progress strip shows)."""
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin)
    seen = {"error": opened.error}
    frame = opened.frame
    try:
        frame.wait_for_selector(".progress:not([hidden])", timeout=60_000)
        shot(opened, "desktop-en-first-run")
        seen["progress"] = frame.locator(".progress__text").inner_text()
    except PlaywrightError as error:
        seen.update(progress=None, no_progress=str(error))
    wait_run(opened)
    return Admin(portal, face, admin, opened, seen)


def admin_page(shared, data, lang: str = "en", phone: bool = False, *, spend: bool = False) -> Admin:
    """The admin's page after the first run in `lang` at a desktop or a phone: booted for
    the module's first test that asks, put back as booted (`as_booted`) for the next
    (`spend`: this test changes the portal or the settings, the page is not handed on)."""
    def boot(serve, browsing):
        if (lang, phone) == ("en", False):
            return first_run(serve, browsing, data)
        return Admin(*admin_after_first_run(serve, browsing, data, lang=lang, phone=phone))

    return shared(f"{'phone' if phone else 'desktop'}-{lang}", boot,
                  lambda made: as_booted(made.opened, PHONE_PAGE if phone else DESKTOP), spend=spend)


# --- first run, resume ------------------------------------------------------------------

def test_first_run_shows_the_commands_counts_with_progress_on_the_way(shared, data):
    """The run on the way was seen by `first_run`."""
    page = admin_page(shared, data)
    portal, admin, opened = page.portal, page.admin, page.opened
    assert page.seen["error"] is None, opened.diagnostics()
    frame = opened.frame
    assert page.seen["progress"] is not None, page.seen["no_progress"]
    assert page.seen["progress"].strip()
    assert shown_counts(frame) == {**expected_counts(portal, admin), **{
        k: v for k, v in shown_counts(frame).items() if k.startswith("b2b.")}}
    assert number(frame.locator("[data-total=clients]").inner_text()) == expected_counts(portal, admin)["clients"]
    assert frame.locator(".progress").first.is_hidden()
    assert frame.locator(".notice").is_hidden()  # an admin sees everything: no notice
    for mode in ("directories", "types", "managers"):
        choose_mode(frame, mode)
        shot(opened, f"desktop-en-{mode}")
    assert frame_fits(frame)


def test_a_reload_mid_run_resumes_at_the_next_month(serve, browsing, data):
    portal = make_portal(data, scale=5)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    context = browsing.context(viewport=DESKTOP)
    first = open_app(browsing, face, admin, context=context)
    ns = f"{portal.member_id}:{admin}"
    done_through = None
    deadline = time.monotonic() + 120
    while done_through is None or done_through < "2019-01":
        assert time.monotonic() < deadline, "no month was committed in time"
        first.page.wait_for_timeout(200)
        done_through = first.frame.evaluate(
            "(ns) => b24cIdb.load(ns).then(s => s.meta ? JSON.parse(s.meta).done_through : null)", ns)
    served_before = len(face.requests)
    first.page.close()
    later = [r for r in list(face.requests)[served_before:]]
    second = open_app(browsing, face, admin, context=context)
    wait_run(second)
    requests = list(face.requests)[served_before + len(later):]
    again = [m for m in months_read(requests) if m <= done_through]
    assert again == [], f"months before {done_through} were read again: {sorted(set(again))}"
    assert months_read(requests), "the second open read no month at all"
    assert {k: v for k, v in shown_counts(second.frame).items() if not k.startswith("b2b.")} == \
        expected_counts(portal, admin)


# --- permissions, language, phone ----------------------------------------------------------

def test_before_any_computation_a_user_with_own_records_sees_them_and_is_told_so(serve, browsing, data):
    """Nothing computed yet: the manager computes from what they see, says so, and writes nothing."""
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    own = user_with(data, "own")
    opened = open_app(browsing, face, own, lang="ru", phone=True)
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    frame = opened.frame
    want = expected_counts(portal, own)
    assert want["clients"] < expected_counts(portal, user_with(data, "all", admin=True))["clients"]
    assert {k: v for k, v in shown_counts(frame).items() if not k.startswith("b2b.")} == want
    notice = frame.locator(".notice")
    assert notice.is_visible() and str(want["clients"]) in notice.inner_text().replace("\u00a0", "")
    assert "ничего не записывается" in notice.inner_text()
    assert not [w for w in portal.writes if w["method"].endswith(".update") or "userfield" in w["method"]]
    assert frame.evaluate("() => document.documentElement.lang") == "ru"
    assert frame.locator("[data-action=clear]").count() == 0  # not an admin
    assert frame_fits(frame)
    shot(opened, "phone-ru-own-user")


def test_a_user_without_crm_access_gets_a_sentence(serve, browsing, data):
    portal = make_portal(data)
    face = serve(portal)
    nobody = user_with(data, "none", admin=False)
    opened = open_app(browsing, face, nobody, lang="ru", phone=True)
    frame = opened.frame
    frame.wait_for_function("() => window.__pyError !== undefined", timeout=RUN_MS)
    alert = frame.get_by_role("alert")
    assert "доступа к CRM" in alert.locator(".error__sentence").inner_text()
    assert not alert.locator(".error__detail").is_visible()
    assert frame.locator("[data-count]").count() == 0
    shot(opened, "phone-ru-no-crm")


def test_clear_and_refresh_reads_everything_again_in_the_analytics_placement(serve, browsing, data):
    portal, face, admin, opened = admin_after_first_run(serve, browsing, data, placement="CRM_ANALYTICS_MENU")
    frame = opened.frame
    before = shown_counts(frame)
    first_done = frame.evaluate("() => window.__runDone")
    served = len(face.requests)
    frame.locator("[data-action=clear]").click()
    frame.locator("dialog.confirm [data-confirm=yes]").click()  # the app's own confirm, not the browser's
    wait_run(opened, after=first_done)
    months = months_read(list(face.requests)[served:])
    first_month = min(months_read(list(face.requests)[:served]))
    assert first_month in months, "Clear and refresh must read from the first month again"
    assert shown_counts(frame) == before


@pytest.mark.parametrize("lang, phone", [("en", False), ("ru", False), ("en", True), ("ru", True)])
def test_screenshots_of_every_screen(shared, data, lang, phone):
    """Every screen an admin sees, saved for review: each mode, settings, help."""
    opened = admin_page(shared, data, lang, phone).opened
    frame = opened.frame
    size = "phone" if phone else "desktop"
    for mode in ("directories", "types", "with_payments", "frequency", "without_payments", "managers"):
        choose_mode(frame, mode)
        assert frame.locator("#panel").inner_text().strip()
        assert frame_fits(frame), mode
        if phone:
            assert small_touch_targets(frame) == [], mode
        shot(opened, f"{size}-{lang}-{mode}")
    for action in ("settings", "help"):
        frame.locator(f"[data-action={action}]").click()
        sheet = frame.locator("dialog.sheet")
        sheet.wait_for(state="visible")
        shot(opened, f"{size}-{lang}-{action}")
        sheet.locator(".sheet__head button").click()
        sheet.wait_for(state="detached")
    if phone:  # the narrowest phone we support: the shell's frame made 360 px wide
        opened.page.evaluate("() => { document.getElementById('app-frame').style.width = '360px'; }")
        frame.wait_for_function("() => window.innerWidth === 360")
        for mode in ("directories", "managers", "types"):
            choose_mode(frame, mode)
            assert frame_fits(frame) and small_touch_targets(frame) == [], mode
        shot(opened, f"{size}-{lang}-360")


# --- changes, cards, settings ---------------------------------------------------------------

def test_refresh_shows_changes_made_in_the_portal_and_names_open_cards(shared, data):
    page = admin_page(shared, data, spend=True)
    portal, admin, opened = page.portal, page.admin, page.opened
    frame = opened.frame
    first_done = frame.evaluate("() => window.__runDone")

    now = portal.iso(portal.clock.now())
    deal = dict(portal.tables["deals"].rows[portal.tables["deals"].ids[-1]])
    deal.update(STAGE_ID="WON", STAGE_SEMANTIC_ID="S", CLOSEDATE=now, DATE_MODIFY=now)
    portal.put_record("deals", deal)
    for rid in sorted(portal.tables["contacts"].ids)[:3]:
        portal.delete_record("contacts", rid)
    before = shown_counts(frame)
    frame.locator("[data-action=refresh]").click()
    wait_run(opened, after=first_done)
    after = shown_counts(frame)
    assert {k: v for k, v in after.items() if not k.startswith("b2b.")} == expected_counts(portal, admin)
    assert after != before

    card = frame.locator(".list__window .list__crm").first  # the name opens the client's page; the icon, the card
    row = frame.locator(".list__window .list__row").first
    href = card.get_attribute("href")
    card.click()
    opened.page.wait_for_function("() => window.__shell.paths.length > 0", timeout=10_000)
    path = opened.page.evaluate("() => window.__shell.paths[0]")
    assert href.endswith(path) and path.startswith(("/crm/contact/details/", "/crm/company/details/"))
    assert row.count() == 1


def test_on_the_phone_the_crm_card_is_a_plain_link(shared, data):
    opened = admin_page(shared, data, phone=True).opened
    card = opened.frame.locator(".list__window .list__crm").first
    with opened.page.context.expect_page() as popup:
        card.click()
    assert "/crm/" in popup.value.url and "/details/" in popup.value.url
    popup.value.close()
    shot(opened, "phone-en-dashboard")


def test_settings_reclassify_without_reading_the_crm_again(shared, data):
    page = admin_page(shared, data, "ru", spend=True)
    portal, face, admin, opened = page.portal, page.face, page.admin, page.opened
    frame = opened.frame
    frame.locator("[data-action=settings]").click()
    sheet = frame.locator("dialog.sheet")
    sheet.wait_for(state="visible")
    shot(opened, "desktop-ru-settings")
    served = len(face.requests)
    sheet.locator("input[type=number]").first.fill("2")
    in_portal_view(opened, sheet.locator("button[type=submit]")).click()
    sheet.wait_for(state="detached", timeout=30_000)
    want = expected_counts(portal, admin, Thresholds(2, 18))
    frame.wait_for_function("(n) => document.querySelector('[data-total=clients]') && "
                            "document.querySelectorAll('#panel [data-count]').length > 0", arg=0)
    deadline = time.monotonic() + 30
    while True:
        shown = {k: v for k, v in shown_counts(frame).items() if not k.startswith("b2b.")}
        if shown == want or time.monotonic() > deadline:
            break
        frame.page.wait_for_timeout(250)
    assert shown == want
    assert '"active_months":2' in portal.app_options["settings"].replace(" ", "")
    new = [r["method"] for r in list(face.requests)[served:]]
    assert not [m for m in new if m in ("batch", "crm.item.list", "crm.company.list")], new
    frame.locator("[data-action=help]").click()
    frame.locator("dialog.sheet").wait_for(state="visible")
    shot(opened, "desktop-ru-help")


def test_write_back_has_its_own_progress_and_fills_the_fields(serve, browsing, data):
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin)
    wait_run(opened)
    note = opened.frame.locator(".progress--done")  # the one strip says it, then clears itself
    assert note.is_visible() and "Values written to the CRM" in note.inner_text()
    written = number(note.inner_text())
    updates = [w for w in portal.writes if w["method"].endswith(".update")]
    assert written > 0 and written == len(updates)
    clients = expected_counts(portal, admin)["clients"]
    lifecycle = [row.get("UF_CRM_B24C_LIFECYCLE") for table in ("contacts", "companies")
                 for row in portal.tables[table].rows.values()]
    assert sum(1 for value in lifecycle if value) >= clients
