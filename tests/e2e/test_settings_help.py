"""The settings form and the built-in help, drawn by the bundle's own Python
in Debian's Chromium (spec/app.md "Settings", "Help", "Mobile", "Safety").

The views are mounted on a small test page served next to the bundle (it
is answered by the route, never written to dist/): the page loads the
vendored PyScript and the bundle's b24clients, renders `render_settings`
and `render_help` with fake callbacks, and the tests drive the form.
Every request must stay on 127.0.0.1.  Screenshots: tests/e2e/screenshots/views-*.png.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from b24clients.lifecycle import Thresholds
from b24clients.settings import Settings, to_option
from b24clients.strings import STRINGS
from bundle_support import READY_TIMEOUT_MS, SCREENSHOTS, RequestGuard

pytestmark = pytest.mark.e2e

PAGE = "__views_test.html"
VIEWS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>views</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="./style.css">
<script type="module" src="./vendor/pyscript/core.js"></script>
<style>main { max-width: 720px; margin: 0 auto; padding: 12px; display: grid; gap: 12px; }
main > section { background: #fff; border-radius: 12px; padding: 12px 16px; min-width: 0; }</style>
</head><body><main>
<section><div id="settings"></div></section>
<section><div id="help"></div></section>
</main>
<script type="py" config="./pyscript.toml" async>
import asyncio
import js
from b24clients.lifecycle import Thresholds
from b24clients.settings import Settings, from_option, to_option
from b24clients.web.help_view import render_help
from b24clients.web.settings_view import render_settings
from b24clients.strings import strings_for
from b24clients.web.view import query_params

params = query_params(str(js.location.search))
text = strings_for(params.get("lang", "en"))

async def on_save(settings):
    await asyncio.sleep(0.05)
    if getattr(js.window, "failSave", False):
        raise RuntimeError("app.option.set: ACCESS_DENIED (HTTP 403)")
    setattr(js.window, "__saved", to_option(settings))

def on_cancel():
    setattr(js.window, "__cancelled", True)

pipelines = [(0, "General"), (3, "Wholesale <b>bold</b>"), (5, "")]
render_settings(js.document.getElementById("settings"), from_option(params.get("settings")), pipelines, text,
                on_save, on_cancel)
render_help(js.document.getElementById("help"), text, Settings(Thresholds(4, 10), write_back=False))
setattr(js.window, "__viewsReady", True)
</script></body></html>"""
EN, RU = STRINGS["en"], STRINGS["ru"]


class ViewsGuard(RequestGuard):
    def handle(self, route) -> None:
        if route.request.url.split("?")[0].endswith("/" + PAGE):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=VIEWS_PAGE)
        else:
            super().handle(route)


@pytest.fixture
def open_views(browser, site_url):
    opened: list[tuple[object, RequestGuard]] = []

    def _open(*, lang: str = "en", settings: str | None = None, phone: bool = False):
        options = {"viewport": {"width": 390, "height": 844} if phone else {"width": 1366, "height": 768}}
        if phone:
            options.update(is_mobile=True, has_touch=True)
        context = browser.new_context(**options)
        guard = ViewsGuard().install(context)
        opened.append((context, guard))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        query = {"lang": lang, **({"settings": settings} if settings else {})}
        page.goto(f"{site_url}{PAGE}?{urlencode(query)}")
        page.wait_for_function("() => window.__viewsReady === true", timeout=READY_TIMEOUT_MS)
        page.errors = errors
        return page

    yield _open

    problems = [g.problem() for _, g in opened if g.problem()]
    for context, _ in opened:
        context.close()
    assert not problems, "; ".join(problems)


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_the_form_shows_the_settings_and_saves_a_valid_choice(open_views):
    page = open_views(settings=to_option(Settings(Thresholds(5, 15), frozenset({0, 3}), True)))
    active, lost = page.get_by_label(EN["settings.active"]), page.get_by_label(EN["settings.lost"])
    assert active.input_value() == "5" and lost.input_value() == "15"
    everything = page.get_by_label(EN["settings.all_pipelines"])
    assert not everything.is_checked() and everything.evaluate("e => e.indeterminate")
    assert page.get_by_label("General").is_checked() and not page.get_by_label("Pipeline 5").is_checked()
    bold = page.get_by_label("Wholesale <b>bold</b>")  # CRM text stays text
    assert bold.is_checked() and page.locator("#settings b").count() == 0
    switch = page.get_by_role("switch", name=EN["settings.write_back"])
    assert switch.is_checked() and EN["settings.write_back_hint"] in page.locator("#settings").inner_text()

    active.fill("3")
    lost.fill("12")
    bold.uncheck()
    switch.uncheck()
    page.get_by_role("button", name=EN["settings.save"]).click()
    page.wait_for_function("() => window.__saved !== undefined", timeout=20_000)
    saved = json.loads(page.evaluate("() => window.__saved"))
    assert saved == json.loads(to_option(Settings(Thresholds(3, 12), frozenset({0}), False)))
    assert page.get_by_role("status").filter(has_text=EN["settings.saved"]).count() == 1

    everything.check()  # every pipeline ticked = all pipelines, the ones added later too
    page.get_by_role("button", name=EN["settings.save"]).click()
    page.wait_for_function("() => JSON.parse(window.__saved).pipelines === null", timeout=20_000)
    page.get_by_role("button", name=EN["settings.cancel"]).click()
    page.wait_for_function("() => window.__cancelled === true", timeout=5_000)
    assert page.errors == []


def test_wrong_values_are_explained_next_to_their_field_and_nothing_is_saved(open_views):
    page = open_views()
    active, lost = page.get_by_label(EN["settings.active"]), page.get_by_label(EN["settings.lost"])
    assert (active.input_value(), lost.input_value()) == ("6", "18")
    assert page.get_by_label(EN["settings.all_pipelines"]).is_checked()
    active.fill("20")
    page.get_by_label(EN["settings.all_pipelines"]).uncheck()
    page.get_by_role("button", name=EN["settings.save"]).click()
    order = EN["settings.error.order"].format(active="20 months")
    error = page.locator(f"#{lost.get_attribute('aria-describedby').split()[1]}")
    assert error.inner_text() == order and error.is_visible()
    assert lost.get_attribute("aria-invalid") == "true" and active.get_attribute("aria-invalid") is None
    assert page.get_by_text(EN["settings.error.no_pipeline"]).is_visible()
    assert page.get_by_text(EN["settings.invalid"]).is_visible()
    assert page.evaluate("() => document.activeElement.id") == lost.get_attribute("id")  # focus on the field to fix
    active.fill("0")
    lost.fill("")
    page.get_by_role("button", name=EN["settings.save"]).click()
    assert page.get_by_text(EN["settings.error.range"].format(min=1, max=120)).is_visible()
    assert page.get_by_text(EN["settings.error.required"]).is_visible()
    assert page.evaluate("() => window.__saved") is None
    assert page.errors == []


def test_a_failed_save_says_so_and_the_form_stays_usable(open_views):
    page = open_views()
    page.evaluate("() => { window.failSave = true; }")
    save = page.get_by_role("button", name=EN["settings.save"])
    save.click()
    alert = page.locator("#settings [role=alert]")
    alert.wait_for(state="visible", timeout=20_000)
    assert EN["settings.save_failed"] in alert.inner_text()
    assert not page.get_by_text("ACCESS_DENIED (HTTP 403)").first.is_visible()  # behind "Details"
    page.get_by_text(EN["error.details"], exact=True).click()
    assert page.get_by_text("ACCESS_DENIED (HTTP 403)").first.is_visible()
    assert save.is_enabled()
    page.evaluate("() => { window.failSave = false; }")
    save.click()
    page.wait_for_function("() => window.__saved !== undefined", timeout=20_000)
    assert alert.is_hidden()


def test_help_explains_every_segment_with_the_configured_periods(open_views):
    page = open_views()
    items = page.locator("#help details")
    assert items.count() == 15  # 14 segments (ranks among them) and "how the numbers are counted"
    assert page.locator("#help details[open]").count() == 0  # compact until opened
    page.get_by_text(EN["help.sleeping.title"], exact=True).click()
    sleeping = page.locator("#help details[data-segment=sleeping]")
    assert sleeping.get_attribute("open") is not None
    assert EN["help.sleeping.what"].format(active="4 months", lost="10 months") in sleeping.inner_text()
    assert EN["help.sleeping.todo"] in sleeping.inner_text()
    page.get_by_text(EN["help.counting"]).click()
    counted = page.locator("#help details[data-segment=counting]").inner_text()
    assert "Lifecycle" in counted and EN["help.count.fields_off"] in counted


@pytest.mark.parametrize("lang, phone", [("en", False), ("ru", True)])
def test_the_views_fit_and_have_touch_sized_targets(open_views, lang, phone):
    text = STRINGS[lang]
    page = open_views(lang=lang, phone=phone)
    page.get_by_label(text["settings.active"]).fill("30")
    page.get_by_role("button", name=text["settings.save"]).click()
    page.get_by_text(text["settings.error.order"].format(active="30 месяцев" if lang == "ru" else "30 months")).wait_for()
    page.locator("#help details[data-segment=active] summary").click()
    page.locator("#help details[data-segment=counting] summary").click()
    assert overflow(page) <= 0
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
            '#settings button, #settings label.set__check, #settings label.set__switch, #settings input.set__input, #help summary'))
        .map(e => [e.textContent.trim().slice(0, 30), Math.round(e.getBoundingClientRect().height),
                   Math.round(e.getBoundingClientRect().width)])
        .filter(([, h, w]) => h < 44 || w < 44)""")
    assert small == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"views-{'phone' if phone else 'desktop'}-{lang}"
    if phone:  # each view on its own, at full size
        for part in ("settings", "help"):
            page.locator(f"main > section:has(#{part})").screenshot(path=str(SCREENSHOTS / f"{name}-{part}.png"),
                                                                     animations="disabled")
    else:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled")
