"""The dashboard at every real width, with honest numbers, as a sales director meets it
(issue 10): a Bitrix24 window from 320 to 1920 px, a frame that asks the portal for its
height, bars as long as their labels say, modes that show their own population, the
managers' table, forgotten clients found by their last touch even after our own
write-back, readable headers, cards on phones, and one progress strip.  Screenshots go
to tests/e2e/screenshots/ (portal-width-*, portal-*-layout-*).

The desktop tests only look at the dashboard, or put back what they change: each
language's computed desktop page is booted and run once for the module (`desktop_en`,
`desktop_ru`, through conftest.py's `shared`), and the English one is watched on the
way for the progress strip's test."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Error as PlaywrightError

from test_app_in_portal import (
    DESKTOP, PHONE, as_booted, choose_mode, make_portal, number, open_app, shot, user_with, wait_run)
from syncfix import generated

pytestmark = pytest.mark.e2e

WIDTHS = (320, 360, 390, 768, 800, 900, 1024, 1280, 1366, 1920)
SHELL_PADDING = 32
"""The shell's page around the app frame (16 px each side)."""

LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = window.innerWidth;
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const name = e => (e.getAttribute('aria-label') || e.textContent || e.className).trim().slice(0, 40);
  for (const e of document.querySelectorAll(
      '.header button, .header a, .tabs__tab, .mode-picker, .list-tools > *, .counter__button, .list__sort')) {
    if (!shown(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) { if (!e.closest('.list__viewport')) problems.push('outside: ' + name(e)); }
    if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) problems.push('clipped: ' + name(e));
  }
  const blocks = [...document.querySelectorAll('.header__text, .header__total, .header__actions > *, .lang')]
    .filter(shown).map(e => [e, e.getBoundingClientRect()]);
  for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++) {
    const [a, r] = blocks[i], [b, s] = blocks[j];
    if (a.contains(b) || b.contains(a)) continue;
    if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1)
      problems.push('overlap: ' + name(a) + ' / ' + name(b));
  }
  const roots = document.querySelectorAll('.header, .tabs, .panel, .list-tools, .list__row--head, .notice');
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || !shown(node.parentElement)) continue;
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(q => q.width > 0).map(q => Math.round(q.top)));
        if (lines.size > 1) problems.push('broken word: ' + m[0]);
      }
    }
  }
  const panel = document.querySelector('.panel'), header = document.querySelector('.header');
  if (panel && panel.getBoundingClientRect().width < header.getBoundingClientRect().width - 1)
    problems.push('narrow panel');
  return problems;
}"""

VISIBLE_ROWS = """() => {
  const frame = window.frameElement;  // evaluated in the frame: rows inside the top window's viewport
  const offset = frame ? frame.getBoundingClientRect().top : 0;
  const height = window.top.innerHeight;
  return [...document.querySelectorAll('.list__window > *')].filter(row => {
    const r = row.getBoundingClientRect();
    const box = document.querySelector('.list__viewport').getBoundingClientRect();
    return r.top >= box.top && r.bottom <= box.bottom && r.top + offset >= 0 && r.bottom + offset <= height;
  }).length;
}"""


@pytest.fixture(scope="module")
def data():
    return generated(150, 3)


def computed(serve, browsing, data, **open_options):
    """A portal whose admin has computed and written the fields on this page."""
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin, **open_options)
    wait_run(opened)
    return portal, face, admin, opened


BARS = """
  window.__bars = [];
  setInterval(() => {
    const bar = document.querySelector('.progress__bar'), strip = document.querySelector('.progress');
    const total = document.querySelector('[data-total=clients]');
    if (bar && strip && !strip.hidden && !strip.classList.contains('progress--done'))
      window.__bars.push([bar.hasAttribute('value') ? bar.value : null, total ? total.textContent : null,
                          document.querySelector('.progress__text').textContent]);
  }, 40);"""
"""Every 40 ms of the run, while the progress strip works: [the bar's value, the header's
total, the strip's words]."""


@dataclass
class Computed:
    """`computed`'s page at a desktop, with what was seen of its run on the way."""
    portal: object
    face: object
    admin: int
    opened: object
    seen: dict = field(default_factory=dict)
    """total: the header's total when the progress strip first showed (or the error of
    waiting for it); bars: BARS's records; strips, strip: how many strips there were and
    what the strip said as the run ended."""


def watched(serve, browsing, data) -> Computed:
    """`computed` at a desktop in English, its progress strip watched from the start."""
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    context = browsing.context(viewport=DESKTOP)
    context.add_init_script(BARS)
    opened = open_app(browsing, face, admin, context=context)
    frame, seen = opened.frame, {}
    try:
        frame.wait_for_selector(".progress:not([hidden])", timeout=60_000)
        seen["total"] = frame.locator("[data-total=clients]").inner_text()
    except PlaywrightError as error:
        seen["total"] = f"no progress strip: {error}"
    wait_run(opened)
    seen["bars"] = frame.evaluate("() => window.__bars")
    seen["strips"] = frame.locator(".progress").count()
    seen["strip"] = frame.locator(".progress").inner_text()
    return Computed(portal, face, admin, opened, seen)


def desktop(shared, data, lang: str) -> Computed:
    """The admin's computed page at a 1366×768 desktop in `lang` (in English `watched`):
    booted for the module's first test that asks, put back as booted (`as_booted`) for
    the next."""
    if lang == "en":
        boot = lambda serve, browsing: watched(serve, browsing, data)  # noqa: E731
    else:
        boot = lambda serve, browsing: Computed(*computed(serve, browsing, data, lang=lang))  # noqa: E731
    return shared(f"desktop-{lang}", boot, lambda made: as_booted(made.opened))


@pytest.fixture
def desktop_en(shared, data) -> Computed:
    return desktop(shared, data, "en")


@pytest.fixture
def desktop_ru(shared, data) -> Computed:
    return desktop(shared, data, "ru")


def set_width(opened, width: int) -> None:
    """The app frame `width` px wide: the portal's page around it made as much wider as its
    margins (and scroll bar, once the frame is taller than the window) take."""
    outer = width + SHELL_PADDING
    for _ in range(3):
        opened.page.set_viewport_size({"width": outer, "height": 900})
        opened.page.wait_for_timeout(150)  # the frame's height follows (BX24.fitWindow)
        got = opened.frame.evaluate("() => window.innerWidth")
        if got == width:
            return
        outer = max(width, outer + width - got)
    raise AssertionError(f"the frame is {got} px wide, not {width}")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_dashboard_has_no_overlap_clipped_control_or_broken_word_at_any_width(shared, data, lang):
    opened = desktop(shared, data, lang).opened
    frame = opened.frame
    for width in WIDTHS:
        set_width(opened, width)
        for mode in ("types", "with_payments", "managers"):
            choose_mode(frame, mode)
            problems = frame.evaluate(LAYOUT_PROBLEMS)
            assert problems == [], f"{width} px, {mode}: {problems}"
        assert frame.locator(".header__title").evaluate("e => e.getClientRects().length") == 1
        if width in (320, 800, 1366):
            shot(opened, f"width-{lang}-{width}")


def test_the_frame_grows_to_the_page_and_a_1366_window_shows_twelve_rows_after_one_scroll(desktop_en):
    opened = desktop_en.opened
    frame, page = opened.frame, opened.page
    frame.wait_for_function("() => window.innerHeight > 900", timeout=10_000)  # asked for more than 700
    assert frame.evaluate("() => document.scrollingElement.scrollHeight <= window.innerHeight + 1")
    assert page.evaluate("() => document.scrollingElement.scrollHeight > window.innerHeight"), "the portal scrolls"
    top = page.evaluate("() => document.getElementById('app-frame').getBoundingClientRect().top")
    list_top = frame.evaluate("() => document.querySelector('.clients').getBoundingClientRect().top")
    page.evaluate("(y) => window.scrollTo(0, y)", top + list_top)  # one scroll: the list at the top
    page.wait_for_timeout(100)
    assert frame.evaluate(VISIBLE_ROWS) >= 12
    head = frame.locator(".list__row--head")
    frame.locator(".list__viewport").evaluate("e => e.scrollTop = 400")
    assert head.evaluate("e => e.getBoundingClientRect().top - e.parentElement.getBoundingClientRect().top") < 2, \
        "the list's header stays at the top of its box"
    shot(opened, "desktop-en-layout-scrolled")


def test_every_bar_segment_is_as_long_as_its_label_says_and_the_base_is_said(desktop_en):
    opened = desktop_en.opened
    frame = opened.frame
    for mode, base in (("types", "clients"), ("with_payments", "with_payments"), ("frequency", "clients"),
                       ("without_payments", "without_payments")):
        choose_mode(frame, mode)
        parts = frame.eval_on_selector_all(".shares__part", """parts => parts.map(p => [p.dataset.part,
            p.getBoundingClientRect().width / p.parentElement.getBoundingClientRect().width, +p.dataset.share])""")
        assert parts and abs(sum(length for _, length, _ in parts) - 1) < 0.01, mode
        for key, length, share in parts:
            assert abs(length - share) < 0.005, f"{mode} {key}: {length:.3f} of the bar for a share of {share:.3f}"
        legend = frame.locator(".shares__legend").inner_text()
        for key, _, share in parts:
            assert f"{round(share * 100)}%" in legend.replace("\u00a0", ""), (mode, key, legend)
        counts = {key: number(text) for key, text in frame.eval_on_selector_all(
            "#panel [data-count]", "els => els.map(e => [e.dataset.count, e.textContent])")}
        said = frame.locator(".shares__base").inner_text()
        whole = sum(counts[k] for k, _, _ in parts if k != "rest") if base != "clients" else None
        if whole is not None:
            assert f"{whole}" in said.replace(",", ""), said
        assert ("with payments" in said) == (base == "with_payments"), said
    shot(opened, "desktop-en-layout-bars")


def test_a_mode_shows_its_own_population_until_a_counter_narrows_it(desktop_en):
    frame = desktop_en.opened.frame
    lifecycle = frame.locator(".list__window .list__cell--lifecycle")
    for mode, allowed in (("with_payments", {"Active", "Sleeping", "Lost"}),
                          ("without_payments", {"With requests", "With dialogs", "With contact details",
                                                "Without contact details"})):
        choose_mode(frame, mode)
        counters = [number(t) for t in frame.locator("#panel [data-count]").all_inner_texts()]
        assert number(frame.locator(".list-tools__count").inner_text()) == sum(counters), mode
        assert set(lifecycle.all_inner_texts()) <= allowed, mode
        chip = frame.locator(".chip")
        assert chip.is_visible() and "Shown: Clients with" in chip.inner_text()
        first = frame.locator("#panel .counter__button").first
        first.click()
        assert number(frame.locator(".list-tools__count").inner_text()) == counters[0]
        assert "Shown: " + first.locator(".counter__label").inner_text() in chip.inner_text()
        chip.click()
        assert number(frame.locator(".list-tools__count").inner_text()) == sum(counters)
    choose_mode(frame, "types")
    assert frame.locator(".chip").is_hidden()
    assert number(frame.locator(".list-tools__count").inner_text()) == number(
        frame.locator("[data-total=clients]").inner_text())


def test_the_managers_table_has_a_legend_sorts_and_shows_shares(desktop_ru):
    opened = desktop_ru.opened
    frame = opened.frame
    choose_mode(frame, "managers")
    legend = frame.locator(".legend .shares__swatch")
    assert legend.count() == 7
    swatches = set(legend.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)"))
    choose_mode(frame, "types")
    blues = set(frame.eval_on_selector_all(".shares__part", "els => els.map(e => getComputedStyle(e).backgroundColor)"))
    assert len(swatches) == 7 and not swatches & blues, "lifecycle colours must not reuse the B2B/B2C blues"
    choose_mode(frame, "managers")
    totals = lambda: [number(t.split("(")[0]) for t in frame.locator(".managers td[data-count]").all_inner_texts()]
    assert totals() == sorted(totals(), reverse=True)
    frame.locator("[data-manager-sort=total]").click()
    assert totals() == sorted(totals())
    frame.locator("[data-manager-sort=manager]").click()
    names = frame.locator(".managers th .link").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    for text in frame.locator(".managers td[data-count]").all_inner_texts():
        assert re.fullmatch(r"\d+ \(\d+\u00a0%\)", text), text
    shot(opened, "desktop-ru-layout-managers")


def test_forgotten_clients_are_found_by_their_last_touch_even_after_our_write_back(browsing, data, desktop_en):
    reader = open_app(browsing, desktop_en.face, user_with(data, "all", admin=False),
                      context=browsing.context(viewport=DESKTOP))
    wait_run(reader)
    frame = reader.frame
    modified = frame.locator(".list__window .list__cell--modified").all_inner_texts()
    assert modified and set(modified) == {"by this app"}, "every client's last change was our write-back"
    frame.locator("[data-mode=managers]").click()
    frame.locator(".managers [data-filter$='.untouched']").first.click()
    sort = frame.locator(".list__row--head [aria-sort=ascending]")
    assert sort.count() == 1 and "list__cell--last_touch" in sort.get_attribute("class")
    touches = frame.locator(".list__window .list__cell--last_touch").all_inner_texts()
    never = [t for t in touches if t == "—"]
    assert touches[:len(never)] == never, "never touched first: the most forgotten"
    shot(reader, "desktop-en-layout-forgotten")


def test_headers_are_whole_and_the_name_column_leaves_room(desktop_ru):
    opened = desktop_ru.opened
    frame = opened.frame
    for width in (1366, 800):
        set_width(opened, width)
        cut = frame.eval_on_selector_all(".list__sort", """els => els.filter(e => e.scrollWidth > e.clientWidth + 1
            || e.scrollHeight > e.clientHeight + 1).map(e => e.textContent)""")
        assert cut == [], f"{width}: {cut}"
        share = frame.evaluate("""() => document.querySelector('.list__row--head .list__cell--name')
            .getBoundingClientRect().width / document.querySelector('.list__row--head').getBoundingClientRect().width""")
        assert share < 0.3, share
    assert frame.locator(".list__window .list__cell--lifecycle").first.get_attribute("title")
    shot(opened, "desktop-ru-layout-headers")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_on_a_phone_every_client_is_a_card_and_one_control_sorts_and_filters(serve, browsing, data, lang):
    portal, face, admin, opened = computed(serve, browsing, data, lang=lang, phone=True)
    frame = opened.frame
    opened.page.evaluate("() => { document.getElementById('app-frame').style.width = '360px'; }")
    frame.wait_for_function("() => window.innerWidth === 360")
    cards = frame.locator(".list__window .client-card")
    assert cards.count() > 3 and frame.locator(".list__row--head").is_hidden()
    card = cards.first
    assert card.locator(".list__name").inner_text() and card.locator(".client-card__chip").inner_text()
    assert len(card.locator(".client-card__line").all_inner_texts()) == 3
    picker = frame.locator(".list-sort")
    assert picker.is_visible()
    picker.select_option("sort:last_payment:1")
    assert frame.locator(".list__window .list__name").first.inner_text() != "" and \
        frame.evaluate("() => document.querySelector('.list-sort').value") == "sort:last_payment:1"
    choose_mode(frame, "with_payments")
    picker.select_option("show:lifecycle.lost")
    assert "lifecycle.lost" in frame.evaluate("() => document.querySelector('.list-sort').value") or \
        frame.locator(".chip").inner_text()
    lost = frame.locator("[data-count='lifecycle.lost']").inner_text()
    assert number(frame.locator(".list-tools__count").inner_text()) == number(lost)
    choose_mode(frame, "directories")
    sizes = frame.eval_on_selector_all(".chart__tick", """ticks => ticks.map(t => {
        const svg = t.ownerSVGElement;
        return parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    })""")
    assert sizes and min(sizes) >= 10.9, min(sizes)
    wide = frame.evaluate("""() => [document.scrollingElement.scrollWidth, window.innerWidth,
        ...[...document.querySelectorAll('body *')].filter(e =>
        (e.getBoundingClientRect().right > window.innerWidth + 1 || (e.scrollWidth > e.clientWidth + 1
          && getComputedStyle(e).overflowX === 'visible')) && !e.closest('.list__window'))
        .slice(0, 3).map(e => e.outerHTML.slice(0, 100) + Math.round(e.getBoundingClientRect().right))]""")
    assert wide[2:] == [] and frame.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth"), wide
    shot(opened, f"phone-{lang}-layout-cards")


def test_one_progress_strip_says_what_is_known_and_clears_itself(desktop_en):
    """What the run looked like on the way and as it ended was recorded by `watched`."""
    frame, seen = desktop_en.opened.frame, desktop_en.seen
    assert seen["total"] == "—", "nothing known yet: a dash, not 0"
    bars = seen["bars"]
    assert bars and all(value is None or value < 1 for value, _, _ in bars), "a full bar while work remained"
    assert all("Python" not in text for _, _, text in bars)
    assert seen["strips"] == 1
    assert "Values written to the CRM" in seen["strip"]
    frame.wait_for_selector(".progress[hidden]", state="attached", timeout=15_000)


def test_a_user_without_crm_access_sees_the_sentence_and_never_an_empty_dashboard(serve, browsing, data):
    portal = make_portal(data)
    face = serve(portal)
    context = browsing.context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script("""
      window.__sawDashboard = false;
      new MutationObserver(() => {
        if (document.querySelector('.app--live, #panel, [data-total]')) window.__sawDashboard = true;
      }).observe(document, {subtree: true, childList: true, attributes: true});""")
    opened = open_app(browsing, face, user_with(data, "none", admin=False), context=context)
    frame = opened.frame
    frame.wait_for_function("() => window.__pyError !== undefined", timeout=60_000)
    assert frame.get_by_role("alert").is_visible()
    assert frame.evaluate("() => window.__sawDashboard") is False


def test_it_looks_like_bitrix24_panels_slide_in_and_clearing_asks_in_the_apps_own_words(desktop_en):
    opened = desktop_en.opened
    frame = opened.frame
    assert frame.evaluate("() => getComputedStyle(document.documentElement)"
                          ".getPropertyValue('--ui-color-accent-main-primary').trim()") == "#0075ff"
    assert frame.evaluate("""() => [...document.querySelectorAll('.header__actions use')]
        .every(u => u.getAttribute('href').startsWith('./vendor/b24ui/icons.svg#'))""")
    assert frame.locator(".header__actions .icon").first.evaluate("e => e.getBoundingClientRect().width") == 20
    frame.locator("[data-action=settings]").click()
    panel = frame.locator("dialog.sheet")
    panel.wait_for(state="visible")
    frame.wait_for_timeout(400)  # it slides in for 0.2 s
    box = panel.evaluate("e => { const r = e.getBoundingClientRect(); return [r.top, r.right, window.innerWidth]; }")
    assert box[0] == 0 and abs(box[1] - box[2]) < 1, "a side panel at the right edge"
    shot(opened, "desktop-en-layout-slider")
    panel.locator(".sheet__head button").click()
    browser_dialogs = []
    dismiss = lambda dialog: (browser_dialogs.append(dialog.message), dialog.dismiss())  # noqa: E731
    opened.page.on("dialog", dismiss)
    frame.locator("[data-action=clear]").click()
    ask = frame.locator("dialog.confirm")
    ask.wait_for(state="visible")
    shot(opened, "desktop-en-layout-confirm")
    ask.locator("button[value=no]").click()
    ask.wait_for(state="detached")
    opened.page.remove_listener("dialog", dismiss)
    assert browser_dialogs == []
    assert frame.evaluate("() => window.__runDone") is not None
