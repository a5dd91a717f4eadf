"""The first page, end to end: the built bundle in Chromium shows exactly the
counts that `python -m b24clients classify` prints for the same snapshot and
date, fits a phone, fails in words, and never leaves 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bundle_support import DIST, READY_OR_ERROR, READY_TIMEOUT_MS, ROOT, SCREENSHOTS

pytestmark = pytest.mark.e2e

TODAY = "2026-11-23"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844, "phone": True}


def command_counts(*today: str) -> dict[str, int]:
    """The counts the command prints for the bundle's own demo snapshot, keyed
    like the page's data-count attributes ("lifecycle.active", …)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "py"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    snapshot = DIST / "demo" / "snapshot.json"
    if not snapshot.is_file():
        pytest.fail(f"{snapshot} is missing; run `python build.py build`", pytrace=False)
    proc = subprocess.run(
        [sys.executable, "-m", "b24clients", "classify", str(snapshot), *today],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, f"classify command failed:\n{proc.stderr}"
    result = json.loads(proc.stdout)
    counts = result["counts"]
    flat = {"clients": counts["clients"], "b2b": counts["b2b"], "b2c": counts["b2c"]}
    for group in ("lifecycle", "frequency"):
        flat.update({f"{group}.{k}": v for k, v in counts[group].items()})
    assert len(counts["lifecycle"]) == 7 and len(counts["frequency"]) == 3, counts
    return flat


@pytest.fixture(scope="module")
def expected_counts() -> dict[str, int]:
    return command_counts("--today", TODAY)


def wait_for_app(opened) -> float:
    """Wait until Python has shown the counts; fail at once with its error if not."""
    page = opened.page
    page.wait_for_function(READY_OR_ERROR, timeout=READY_TIMEOUT_MS)
    error = page.evaluate("() => window.__pyError")
    if error is not None:
        pytest.fail(f"the page reported __pyError: {error}\n{opened.diagnostics()}", pytrace=False)
    return page.evaluate("() => window.__pyReadyAt")


def number(text: str) -> int:
    """A number as the page prints it in either language ("1,234", "1 234")."""
    return int("".join(ch for ch in text if ch.isdigit()))


def shown_counts(page) -> dict[str, int]:
    """Every counter of every mode (each tab clicked in turn), keyed by data-count;
    a key shown twice with different numbers is an error."""
    shown: dict[str, int] = {}
    for mode in ("types", "with_payments", "frequency", "without_payments"):
        picker = page.locator(".mode-picker")
        if picker.is_visible():  # phones: one select instead of six tabs
            picker.select_option(mode)
        else:
            page.locator(f"[data-mode={mode}]").click()
        pairs = page.eval_on_selector_all(
            "#panel [data-count]", "els => els.map(e => [e.dataset.count, e.textContent])")
        assert pairs, f"mode {mode} shows no counters"
        for key, text in pairs:
            assert shown.get(key, number(text)) == number(text), key
            shown[key] = number(text)
    shown["total"] = number(page.locator("[data-total=clients]").inner_text())
    return shown


def assert_counts(page, expected: dict[str, int]) -> None:
    shown = shown_counts(page)
    assert {k: shown.get(k) for k in expected} == expected
    assert shown["total"] == expected["clients"]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll: scrollWidth {widths[0]} > innerWidth {widths[1]}"


def small_touch_targets(page) -> list[str]:
    """Visible links, buttons and toggles smaller than 44×44 CSS px."""
    return page.evaluate("""() => [...document.querySelectorAll('a, button, summary, input, select, [role=button]')]
        .filter(e => e.getClientRects().length)
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
        .filter(([_, r]) => r.width < 44 || r.height < 44)
        .map(([h, r]) => `${h} (${Math.round(r.width)}×${Math.round(r.height)})`)""")


def test_desktop_shows_the_commands_counts(open_page, expected_counts):
    opened = open_page(f"index.html?today={TODAY}", **DESKTOP, wait_until="domcontentloaded")
    page = opened.page
    # Cold start: the skeleton and the progress line are there before Python.
    if page.evaluate("() => window.__pyReadyAt === undefined"):
        assert page.locator("#status-text").inner_text().strip() == "Loading…"
        assert page.locator(".skeleton").count() >= 1
        screenshot(page, "desktop-skeleton.png")

    wait_for_app(opened)
    assert_counts(page, expected_counts)
    assert page.locator("#status").count() == 0, "the progress line should be gone"
    assert page.evaluate("() => document.getElementById('app').getAttribute('aria-busy')") == "false"
    screenshot(page, "desktop.png")
    assert opened.guard.problem() is None, opened.guard.problem()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_phone_fits_without_horizontal_scroll(open_page, expected_counts, lang):
    opened = open_page(f"index.html?today={TODAY}&lang={lang}", **PHONE,
                       wait_until="domcontentloaded")
    page = opened.page
    if page.evaluate("() => window.__pyReadyAt === undefined"):
        starting = {"en": "Loading…", "ru": "Загрузка…"}[lang]  # no "Python" or other inner words
        assert page.locator("#status-text").inner_text().strip() == starting
        screenshot(page, f"phone-{lang}-skeleton.png")
        assert_no_horizontal_scroll(page)
    wait_for_app(opened)
    assert_counts(page, expected_counts)
    assert page.evaluate("() => document.documentElement.lang") == lang
    screenshot(page, f"phone-{lang}.png")
    assert_no_horizontal_scroll(page)
    assert small_touch_targets(page) == []
    page.set_viewport_size({"width": 360, "height": 740})  # the narrowest phone we support
    assert_no_horizontal_scroll(page)
    assert small_touch_targets(page) == []
    assert opened.guard.problem() is None, opened.guard.problem()


def test_bad_date_is_a_sentence_with_details(open_page):
    opened = open_page("index.html?today=2026-13-45", **PHONE)
    page = opened.page
    page.wait_for_function(READY_OR_ERROR, timeout=READY_TIMEOUT_MS)
    state = page.evaluate("() => [window.__pyReadyAt, window.__pyError]")
    assert state[0] is None, "a bad ?today= must not render counts"
    assert "today" in state[1], state[1]
    alert = page.get_by_role("alert")
    assert "?today=" in alert.locator(".error__sentence").inner_text()
    detail = alert.locator(".error__detail")
    assert not detail.is_visible(), "the technical detail should be folded away"
    alert.locator("summary").click()
    assert "BadQuery" in detail.inner_text()
    assert page.locator("[data-count]").count() == 0
    screenshot(page, "phone-error.png")
    assert_no_horizontal_scroll(page)
    assert small_touch_targets(page) == []
    assert opened.guard.problem() is None, opened.guard.problem()


def test_without_a_date_it_classifies_on_the_portals_today(open_page):
    """No ?today=: the page and the command both use today's date in the portal's offset."""
    opened = open_page("index.html", **DESKTOP)
    wait_for_app(opened)
    assert_counts(opened.page, command_counts())
    assert opened.guard.problem() is None, opened.guard.problem()


def test_the_package_ships_as_bytecode_of_the_bundles_own_python():
    """build.py compiles our modules with the vendored Pyodide (a page then imports
    bytecode instead of compiling the sources at every open: 250 → 85 ms of imports
    measured after Python starts), as unchecked-hash .pyc files (PEP 552): PyScript
    unpacks the archive with new modification times, which a timestamp check would
    never match, so it would compile them all again."""
    import zipfile

    info = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())["info"]
    major, minor = info["python"].split(".")[:2]
    with zipfile.ZipFile(DIST / "py" / "b24clients.zip") as archive:
        names = set(archive.namelist())
        sources = sorted(name for name in names if name.endswith(".py"))
        assert len(sources) > 50
        for source in sources:
            folder, _, module = source.rpartition("/")
            compiled = f"{folder}/__pycache__/{module[:-3]}.cpython-{major}{minor}.pyc"
            assert compiled in names, f"{source} has no bytecode for Python {major}.{minor}"
            flags = int.from_bytes(archive.read(compiled)[4:8], "little")
            assert flags == 0b01, f"{compiled} is not an unchecked-hash .pyc (flags {flags:#04b})"
