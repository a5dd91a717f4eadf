"""The touch settings in the admin's settings form (planning.md "Touch frequency", "Planning
view"): the gap per rank, the kinds of activity that count, and the load calendar's daily
capacity.  Wrong values are named next to their own field and nothing is saved; saved ones
reach the portal's app.option and then the Planning mode's groups (the core's counts with the
saved settings, not the defaults') and the load calendar's marks.  While the status ladder is
on, the kinds are its setting: turning it on in the same sheet swaps the checkboxes for a
sentence.  Desktop EN and a 360 px phone in RU.  Screenshots:
tests/e2e/screenshots/portal-touch-settings-*.png."""

from __future__ import annotations

import time

import pytest

from b24clients.ranks import Gaps, RankSettings
from b24clients.settings import from_option
from b24clients.strings import strings_for
from test_app_in_portal import (choose_mode, frame_fits, in_portal_view, make_portal, open_app, shot,
                                small_touch_targets, user_with, wait_run)
from test_planning_mode import admin_planning, core_counts, plan_first, shown_counts
from test_status_mode import press

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def data():
    from syncfix import generated

    return generated(150, 3)


def open_settings(opened):
    press(opened, "[data-action=settings]")
    sheet = opened.frame.locator("dialog.sheet")
    sheet.wait_for(state="visible")
    return sheet


def field(sheet, name: str):
    return sheet.locator(f"input[name={name}]")


def error_of(sheet, name: str):
    """The sentence under a field: the second id its aria-describedby names."""
    return sheet.locator(f"#{field(sheet, name).get_attribute('aria-describedby').split()[1]}")


def tick(opened, sheet, label: str, on: bool = True) -> None:
    """Tick or untick a box of the sheet, brought into the portal's view first."""
    box = in_portal_view(opened, sheet.get_by_label(label))
    box.check() if on else box.uncheck()


def small_targets(frame) -> list[str]:
    """`small_touch_targets`, but a checkbox is hit through its whole label (44 px tall)."""
    return [target for target in small_touch_targets(frame) if not target.startswith('<input type="checkbox"')
            or frame.evaluate("""() => [...document.querySelectorAll('input[type=checkbox]')]
                .some(e => e.getClientRects().length && e.closest('label').getBoundingClientRect().height < 44)""")]


def show_touches(opened, sheet) -> None:
    """The touch fields in view, once the sheet has slid in (for a screenshot)."""
    opened.frame.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    in_portal_view(opened, sheet.locator("input[name=gap_A]"))
    sheet.locator("input[name=gap_A]").evaluate("e => e.closest('fieldset').scrollIntoView()")


def wait_counts(frame, want: dict[str, int], timeout_s: float = 60) -> None:
    """The Planning mode reads again after a save: wait until its groups show `want`."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if frame.locator("#panel .plan-groups").count() and shown_counts(frame) == want:
            return
        time.sleep(0.25)
    assert shown_counts(frame) == want


def test_saved_gaps_kinds_and_capacity_drive_the_planning_groups_and_the_load_calendar(serve, browsing, data):
    text = strings_for("en")
    portal, face, admin, opened = admin_planning(serve, browsing, data)
    frame = opened.frame
    assert shown_counts(frame) == core_counts(portal, admin, None)          # the defaults, read once

    sheet = open_settings(opened)
    assert [field(sheet, f"gap_{rank}").input_value() for rank in "ABCN"] == ["30", "120", "180", ""]
    assert sheet.locator("input[name=touch_kind]:checked").evaluate_all("els => els.map(e => e.value)") == ["call"]
    assert field(sheet, "capacity").input_value() == "8"
    stored = portal.app_options["settings"]
    field(sheet, "gap_A").fill("0")
    field(sheet, "gap_C").fill("1.5")
    tick(opened, sheet, text["ladder.touch.call"], False)
    field(sheet, "capacity").fill("0")
    press(opened, "dialog.sheet button[type=submit]")
    gap = text["settings.error.gap"].format(min=1, max=3650)
    error_of(sheet, "gap_A").wait_for(state="visible")
    assert (error_of(sheet, "gap_A").inner_text(), error_of(sheet, "gap_C").inner_text()) == (gap, gap)
    assert error_of(sheet, "gap_B").is_hidden()
    assert sheet.get_by_text(text["ladder.error.touch_kinds"]).is_visible()
    assert error_of(sheet, "capacity").inner_text() == text["settings.error.capacity"].format(min=1, max=200)
    assert [field(sheet, name).get_attribute("aria-invalid") for name in ("gap_A", "gap_B", "gap_C", "capacity")] \
        == ["true", None, "true", "true"]
    assert frame.evaluate("() => document.activeElement.name") == "gap_A"    # the first field to fix
    assert portal.app_options["settings"] == stored, "nothing is saved"
    show_touches(opened, sheet)
    shot(opened, "touch-settings-desktop-en-errors")

    for rank, days in zip("ABCN", ("7", "14", "21", "400")):
        field(sheet, f"gap_{rank}").fill(days)
    tick(opened, sheet, text["ladder.touch.meeting"])
    tick(opened, sheet, text["ladder.touch.email"])
    field(sheet, "capacity").fill("2")
    press(opened, "dialog.sheet button[type=submit]")
    sheet.wait_for(state="detached", timeout=30_000)
    saved = from_option(portal.app_options["settings"]).ranks
    assert (saved.gaps, saved.touch_kinds, saved.capacity) == (Gaps(7, 14, 21, 400), {"meeting", "email"}, 2)
    want = core_counts(portal, admin, None, saved)
    assert want != core_counts(portal, admin, None), "the saved settings band the clients otherwise"
    choose_mode(frame, "planning")
    wait_counts(frame, want)
    shot(opened, "touch-settings-desktop-en-planning")

    owners = {(e, int(r["ID"])): int(r["ASSIGNED_BY_ID"]) for e, t in (("contact", "contacts"), ("company", "companies"))
              for r in portal.snapshot()[t]}
    group = next(key for key in ("A.overdue", "B.overdue", "C.overdue") if want[f"plan.{key}"])
    ref, day, before, dialog = plan_first(opened, portal, group, "call", owners.get)
    assert "more than 2 a day" in dialog.inner_text()
    cells = frame.eval_on_selector_all("dialog.sheet[open] [data-day]", """els => els.map(e =>
        [Number(e.dataset.open), e.classList.contains('plan-cal__day--over')])""")
    assert cells and all(over == (count > 2) for count, over in cells)
    assert any(count for count, _ in cells)
    shot(opened, "touch-settings-desktop-en-calendar")


def test_on_a_360_px_phone_the_touch_fields_fit_and_turning_the_ladder_on_hands_it_the_kinds(serve, browsing,
                                                                                              data):
    text = strings_for("ru")
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin, lang="ru", phone=True)
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    frame = opened.frame
    opened.page.evaluate("() => { document.getElementById('app-frame').style.width = '360px'; }")
    frame.wait_for_function("() => window.innerWidth === 360")
    sheet = open_settings(opened)
    show_touches(opened, sheet)
    assert frame_fits(frame) and small_targets(frame) == []
    assert frame.evaluate("() => { const b = document.querySelector('dialog.sheet .sheet__body');"
                          " return b.scrollWidth <= b.clientWidth + 1; }"), "nothing wider than the sheet"
    shot(opened, "touch-settings-phone-ru-360")

    field(sheet, "gap_B").fill("")                                          # no limit for B
    field(sheet, "capacity").fill("201")
    press(opened, "dialog.sheet button[type=submit]")
    error_of(sheet, "capacity").wait_for(state="visible")
    assert error_of(sheet, "capacity").inner_text() == text["settings.error.capacity"].format(min=1, max=200)
    assert error_of(sheet, "gap_B").is_hidden()
    show_touches(opened, sheet)
    shot(opened, "touch-settings-phone-ru-360-error")

    press(opened, "[data-ladder=enable]")
    frame.wait_for_selector("[data-ladder=settings]", timeout=120_000)
    assert sheet.locator("input[name=touch_kind]").count() == 0
    assert sheet.locator("[data-kinds=ladder]").inner_text() == text["settings.touch_kinds_ladder"]
    ladder = sheet.locator("input[name=touch]:checked").evaluate_all("els => els.map(e => e.value)")
    assert ladder == ["call"], "the ladder starts with the kinds the ranks counted"
    field(sheet, "capacity").fill("5")
    press(opened, "dialog.sheet .settings-app button[type=submit]")
    sheet.wait_for(state="detached", timeout=30_000)
    saved = from_option(portal.app_options["settings"]).ranks
    assert (saved.gaps, saved.capacity, saved.touch_kinds) == (Gaps(b=None), 5, RankSettings().touch_kinds)

    sheet = open_settings(opened)
    show_touches(opened, sheet)
    assert sheet.locator("[data-kinds=ladder]").is_visible() and field(sheet, "gap_B").input_value() == ""
    assert frame_fits(frame) and small_targets(frame) == []
    shot(opened, "touch-settings-phone-ru-360-ladder")
