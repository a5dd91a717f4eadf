"""The Ranks mode in the portal (planning.md "Ranks"): the admin's first run in the page
ranks every client; the counters A / B / C / N and their shares of revenue are the core's
own figures for the same CRM; the Pareto chart marks both cut-offs; a counter filters the
list, whose Rank column (a card's rank on a phone) says the same.  Desktop in English and a
phone in Russian.  Screenshots: tests/e2e/screenshots/portal-ranks-*.png."""

from __future__ import annotations

import pytest

from b24clients.web.view import whole_percent
from syncfix import expected_ranks, generated, visible_snapshot
from test_app_in_portal import choose_mode, make_portal, number, open_app, shot, today_of, user_with, wait_run

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def data():
    return generated(150, 3)


COUNTERS = """() => [...document.querySelectorAll('#panel .counter__button')].map(b => [
  b.dataset.filter, b.querySelector('.counter__value').textContent, b.querySelector('.counter__share').textContent])"""


def core_figures(portal, user: int) -> dict[str, tuple[int, int]]:
    shares = expected_ranks(visible_snapshot(portal, user), today_of(portal)).shares()
    return {f"rank.{rank}": (share.clients, whole_percent(share.share)) for rank, share in shares.items()}


def shown_figures(frame) -> dict[str, tuple[int, int]]:
    return {key: (number(value), number(share)) for key, value, share in frame.evaluate(COUNTERS)}


@pytest.mark.parametrize("lang, phone", [("en", False), ("ru", True)])
def test_the_ranks_mode_shows_the_cores_counters_the_pareto_chart_and_filters_the_list(serve, browsing, data,
                                                                                       lang, phone):
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin, lang=lang, phone=phone)
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    frame = opened.frame
    choose_mode(frame, "ranks")
    frame.wait_for_selector("#panel .chart--pareto svg")
    want = core_figures(portal, admin)
    assert shown_figures(frame) == want
    assert want["rank.A"][0] > 0 and want["rank.B"][0] > 0 and want["rank.N"][0] > 0
    assert sum(share for _, share in want.values()) in (99, 100, 101)

    svg = frame.locator("#panel .chart--pareto svg")
    cuts = svg.locator(".chart__cut")
    assert cuts.count() == 2
    xs = [float(cuts.nth(i).get_attribute("x1")) for i in range(2)]
    assert xs[0] < xs[1]
    assert svg.locator("rect.chart__bar--A").count() == want["rank.A"][0]
    assert svg.locator("polyline.chart__line--cumulative").count() == 1
    note = frame.locator("#panel .ranks__note").inner_text()
    assert ("RUB" in note or "USD" in note) and ("80" in note and "95" in note)
    shot(opened, f"ranks-{'phone' if phone else 'desktop'}-{lang}")

    frame.locator("#panel [data-filter='rank.B']").click()
    found = frame.locator(".list-tools__count")
    frame.wait_for_function("(n) => document.querySelector('.list-tools__count').textContent.includes(String(n))",
                            arg=want["rank.B"][0])
    assert number(found.inner_text()) == want["rank.B"][0]
    shown_ranks = frame.evaluate("""() => [...document.querySelectorAll('.list__window [data-rank]')]
        .map(e => e.dataset.rank)""")
    assert shown_ranks and set(shown_ranks) == {"B"}
    shot(opened, f"ranks-{'phone' if phone else 'desktop'}-{lang}-list-b")


def test_a_managers_phone_reads_the_ranks_the_admins_run_wrote(serve, browsing, data):
    """A manager sees part of the revenue: their counters are the admin's ranks of the clients
    they see, read from the field, with no share of money they cannot see."""
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    computing = open_app(browsing, face, admin)
    wait_run(computing)
    portal_wide = expected_ranks(portal.snapshot(), today_of(portal)).ranks
    own = user_with(data, "own")
    seen = visible_snapshot(portal, own)
    members = {int(b["CONTACT_ID"]) for b in seen.get("contact_companies") or []}
    refs = ({("company", int(c["ID"])) for c in seen["companies"] if c.get("IS_MY_COMPANY") != "Y"}
            | {("contact", int(c["ID"])) for c in seen["contacts"] if int(c["ID"]) not in members
               and c.get("COMPANY_ID") in (None, "0", "")})
    want = {f"rank.{rank}": sum(1 for ref in refs if portal_wide.get(ref) == rank) for rank in "ABCN"}
    phone = open_app(browsing, face, own, lang="ru", phone=True)
    wait_run(phone)
    choose_mode(phone.frame, "ranks")
    phone.frame.wait_for_selector("#panel .ranks__note")
    shown = {key: number(value) for key, value, _ in phone.frame.evaluate(COUNTERS)}
    assert shown == want and sum(shown.values()) == number(phone.frame.locator("[data-total=clients]").inner_text())
    assert phone.frame.locator("#panel .chart--pareto").count() == 0, "no money is seen, so no Pareto chart"
    assert "расчёт" in phone.frame.locator("#panel .ranks__note").inner_text()
    shot(phone, "ranks-phone-ru-reader")


@pytest.mark.parametrize("lang, phone", [("en", False), ("ru", True)])
def test_rank_settings_change_the_cut_offs_at_once_without_reading_the_crm_again(serve, browsing, data, lang, phone):
    from decimal import Decimal

    from b24clients.ranks import Cutoffs, RankSettings
    from b24clients.ranks.ranking import DEFAULT_CUTOFFS
    from b24clients.strings import strings_for
    from test_app_in_portal import in_portal_view

    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin, lang=lang, phone=phone)
    wait_run(opened)
    frame = opened.frame
    frame.locator("[data-action=settings]").click()
    sheet = frame.locator("dialog.sheet")
    sheet.wait_for(state="visible")
    sheet.locator("select[name=rank_method]").select_option("clients")
    assert (sheet.locator("input[name=rank_a]").input_value(), sheet.locator("input[name=rank_b]").input_value()) \
        == ("20", "50"), "choosing a method shows its own pair"
    sheet.locator("input[name=rank_a]").fill("60")
    sheet.locator("input[name=rank_b]").fill("30")
    in_portal_view(opened, sheet.locator("button[type=submit]")).click()
    error = sheet.locator(".set__error:not([hidden])")
    error.wait_for(state="visible")
    assert error.inner_text() == strings_for(lang)["settings.error.cutoffs_order"]
    in_portal_view(opened, sheet.locator("select[name=rank_method]"))
    device = "phone" if phone else "desktop"
    shot(opened, f"ranks-{device}-{lang}-settings-error")
    sheet.locator("input[name=rank_a]").fill("10")
    sheet.locator("input[name=rank_b]").fill("40,5")
    served = len(face.requests)
    in_portal_view(opened, sheet.locator("button[type=submit]")).click()
    sheet.wait_for(state="detached", timeout=30_000)
    settings = RankSettings(method="clients", cutoffs={**DEFAULT_CUTOFFS,
                                                       "clients": Cutoffs(Decimal(10), Decimal("40.5"))})
    shares = expected_ranks(visible_snapshot(portal, admin), today_of(portal), settings).shares()
    want = {f"rank.{rank}": (share.clients, whole_percent(share.share)) for rank, share in shares.items()}
    assert want != core_figures(portal, admin), "the new cut-offs rank differently"
    choose_mode(frame, "ranks")
    frame.wait_for_function("(n) => { const v = document.querySelector('#panel [data-count=\"rank.A\"]');"
                            " return v && Number(v.textContent.replace(/\\D/g, '')) === n; }", arg=want["rank.A"][0])
    assert shown_figures(frame) == want
    assert '"method":"clients"' in portal.app_options["settings"].replace(" ", "")
    assert ("10\u00a0%" if lang == "ru" else "10%") in frame.locator("#panel .ranks__note").inner_text()
    new = [r["method"] for r in list(face.requests)[served:]]
    assert not [m for m in new if m in ("batch", "crm.item.list", "crm.deal.list")], new
    shot(opened, f"ranks-{device}-{lang}-clients-method")
