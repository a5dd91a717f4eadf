"""The client list of the demo dashboard in Chromium: filter by counter, search,
sort, CSV, the employee card, help, and CRM text shown as text.

The tests share one booted dashboard (`dashboard`): each is handed it as it booted
(`as_booted`), and a test that fails has the next one boot it afresh."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from bundle_support import DIST, ROOT, open_guarded
from outcome import failed
from test_first_page import DESKTOP, TODAY, number, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return json.loads((DIST / "demo" / "snapshot.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def command_rows() -> dict[tuple[str, int], dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    proc = subprocess.run([sys.executable, "-m", "b24clients", "classify", str(DIST / "demo" / "snapshot.json"),
                           "--today", TODAY], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return {(r["entity"], r["id"]): r for r in json.loads(proc.stdout)["clients"]}


@pytest.fixture(scope="module")
def booted() -> dict:
    """The module's dashboard once booted: {"context": ..., "opened": ...} (`dashboard`)."""
    held: dict = {}
    yield held
    if held:
        held.pop("context").close()


@pytest.fixture
def dashboard(request, browser, site_url, booted):
    """The demo dashboard at a 1280×800 desktop: booted for the module's first test, put
    back as booted (`as_booted`) for the next, booted afresh after a test that failed.
    A request that tried to leave 127.0.0.1 fails the test it happened in."""
    try:
        if booted:
            as_booted(booted["opened"].page)
        else:
            context, opened = open_guarded(browser, f"{site_url}index.html?today={TODAY}", **DESKTOP)
            booted.update(context=context, opened=opened)
            wait_for_app(opened)
    except BaseException:  # this test fails; the next one boots afresh
        if booted:
            booted.pop("context").close()
            booted.clear()
        raise
    guard = booted["opened"].guard
    yield booted["opened"].page
    problem = guard.problem()
    if problem or failed(request.node):
        booted.pop("context").close()
        booted.clear()
    assert not problem, problem


FIRST_ORDER = """() => document.querySelector('.list__row--head [data-sort=name]')
    .closest('[aria-sort]').getAttribute('aria-sort') === 'ascending'"""
"""The list in the order it opens in: by name, A to Z."""


def as_booted(page) -> None:
    """The shared dashboard put back as it booted, as far as the tests change it: no sheet
    or person card open, no search, the Types mode with its own population, the list by
    name at its top, nothing focused, the mouse away."""
    page.evaluate("() => document.querySelectorAll('dialog[open]').forEach(d => d.close())")
    page.wait_for_function("() => !document.querySelector('dialog')")
    if page.locator("#person-card").is_visible():
        page.keyboard.press("Escape")
        page.locator("#person-card").wait_for(state="hidden")
    if page.locator(".search").input_value():
        page.locator(".search").fill("")
        page.wait_for_function("() => document.querySelector('.list-tools__count').textContent === '3,000 clients'")
    page.locator("[data-mode=types]").click()
    for _ in range(2):
        if page.evaluate(FIRST_ORDER):
            break
        page.locator(".list__row--head [data-sort=name]").click()
    page.evaluate("() => { document.querySelector('.list__viewport').scrollTop = 0; window.scrollTo(0, 0); }")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    assert page.evaluate(FIRST_ORDER) and page.locator(".chip").is_hidden(), "the dashboard was not put back"


def listed(page) -> int:
    return number(page.locator(".list-tools__count").inner_text())


def visible_names(page) -> list[str]:
    return page.eval_on_selector_all(".list__window .list__name", "els => els.map(e => e.textContent)")


def test_a_counter_filters_the_list_and_the_chip_clears_it(dashboard):
    page = dashboard
    page.locator("[data-mode=with_payments]").click()
    lost = page.locator("#panel [data-filter='lifecycle.lost']")
    expected = number(lost.locator("[data-count]").inner_text())
    lost.click()
    assert lost.get_attribute("aria-pressed") == "true"
    assert listed(page) == expected
    cells = page.eval_on_selector_all(".list__window .list__cell--lifecycle", "els => els.map(e => e.textContent)")
    assert cells and set(cells) == {"Lost"}
    page.locator(".chip").click()  # back to the mode's own population: the clients with payments
    paid = sum(number(t) for t in page.locator("#panel [data-count]").all_inner_texts())
    assert listed(page) == paid < number(page.locator("[data-total=clients]").inner_text())
    assert page.locator(".chip").inner_text() == "Shown: Clients with payments"
    page.locator("[data-mode=types]").click()
    assert listed(page) == number(page.locator("[data-total=clients]").inner_text())
    assert page.locator(".chip").is_hidden()


def test_only_a_window_of_rows_is_in_the_page(dashboard):
    total = listed(dashboard)
    assert total == 3000
    rows = dashboard.locator(".list__window .list__row").count()
    assert 0 < rows < 80, rows
    dashboard.locator(".list__viewport").evaluate("el => el.scrollTop = el.scrollHeight")
    dashboard.wait_for_function("() => document.querySelector('.list__window .list__row[aria-rowindex=\"3001\"]')")
    assert dashboard.locator(".list__window .list__row").count() < 80


def test_search_by_name_and_crm_markup_stays_text(dashboard, snapshot):
    page = dashboard
    page.locator(".search").fill("<script>")
    page.wait_for_function("() => document.querySelector('.list-tools__count').textContent !== '3,000 clients'")
    names = visible_names(page)
    assert names and all("<script>" in name.lower() for name in names)
    assert listed(page) == len(names)
    assert page.locator("#app script").count() == 0  # shown, never run
    page.locator(".search").fill("")
    page.wait_for_function("() => document.querySelector('.list-tools__count').textContent === '3,000 clients'")


def test_sort_by_last_payment_both_ways(dashboard):
    page = dashboard
    header = page.locator(".list__row--head [data-sort=last_payment]")
    header.click()
    assert page.locator(".list__row--head [aria-sort=ascending] [data-sort=last_payment]").count() == 1
    first_up = page.locator(".list__window .list__cell--last_payment").first.inner_text()
    header.click()
    assert page.locator(".list__row--head [aria-sort=descending] [data-sort=last_payment]").count() == 1
    first_down = page.locator(".list__window .list__cell--last_payment").first.inner_text()
    assert first_up != "—" and first_down != "—" and first_up != first_down


def test_csv_has_the_filtered_clients(dashboard, command_rows):
    page = dashboard
    page.locator("[data-mode=frequency]").click()
    regular = page.locator("#panel [data-filter='frequency.regular']")
    regular.click()
    with page.expect_download() as download:
        page.locator("text=Export to CSV").click()
    content = open(download.value.path(), encoding="utf-8").read()
    assert content.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    header, rows = table[0], table[1:]
    assert len(rows) == number(regular.locator("[data-count]").inner_text())
    entity_at, id_at = header.index("Record"), header.index("ID")
    for row in rows:
        key = ("company" if row[entity_at] == "Company" else "contact", int(row[id_at]))
        assert command_rows[key]["frequency"] == "regular"


def test_employee_card_on_hover(dashboard, snapshot):
    page = dashboard
    person = page.locator(".list__window .list__person").first
    name = person.inner_text()
    person.hover()
    card = page.locator("#person-card")
    card.wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('#person-card').textContent.includes('Loading')")
    assert card.locator(".person-card__name").inner_text() == name
    user = next(u for u in snapshot["users"] if " ".join(filter(None, (u.get("NAME"), u.get("LAST_NAME")))) == name)
    if user.get("WORK_POSITION"):
        assert card.locator(".person-card__position").inner_text() == user["WORK_POSITION"]
    screenshot(page, "desktop-person-card.png")
    page.keyboard.press("Escape")
    assert card.is_hidden()
    person.click()  # a tap opens it too; a tap elsewhere closes it
    card.wait_for(state="visible")
    page.locator(".header__title").click()
    assert card.is_hidden()


def test_arrow_keys_move_between_the_tabs(dashboard):
    page = dashboard
    page.locator("[data-mode=types]").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.mode") == "with_payments"
    assert page.locator("[data-mode=with_payments]").get_attribute("aria-selected") == "true"
    assert page.locator("#panel [data-filter='lifecycle.active']").count() == 1
    page.keyboard.press("End")
    assert page.evaluate("() => document.activeElement.dataset.mode") == "managers"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.mode") == "directories"


def test_every_mode_draws_and_help_explains_segments(dashboard):
    page = dashboard
    page.locator("[data-mode=directories]").click()
    assert page.locator("#panel svg rect").count() > 10
    assert page.locator("#panel .chart__legend .chart__key").count() == 4
    screenshot(page, "desktop-directories.png")
    page.locator("[data-mode=managers]").click()
    rows = page.locator("#panel .managers tbody tr")
    assert rows.count() >= 1
    first = rows.first.locator("[data-filter]").first
    first.click()
    assert listed(page) == number(rows.first.locator("td.num").first.inner_text().split("(")[0])
    screenshot(page, "desktop-managers.png")
    page.locator("[data-action=help]").click()
    dialog = page.locator("dialog.sheet")
    dialog.wait_for(state="visible")
    assert dialog.locator("details").count() >= 12
    screenshot(page, "desktop-help.png")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
