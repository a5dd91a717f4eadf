"""The browser UI's pure parts under CPython: strings, what is shown in which
order, how the page's query parameters are read, and the no-HTML rule."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from b24clients import strings
from b24clients.web import view

ROOT = Path(__file__).resolve().parents[2]

COUNTS = {
    "clients": 200,
    "b2b": 50,
    "b2c": 150,
    "lifecycle": {"active": 40, "sleeping": 30, "lost": 20, "with_requests": 10,
                  "with_dialogs": 5, "with_contacts": 1, "without_contacts": 94},
    "frequency": {"regular": 25, "first_purchase": 65, "no_payments": 110},
}


def test_both_languages_have_the_same_keys():
    assert strings.STRINGS["en"].keys() == strings.STRINGS["ru"].keys()


def test_every_string_is_filled_and_placeholders_agree():
    for key, en in strings.STRINGS["en"].items():
        ru = strings.STRINGS["ru"][key]
        assert en.strip() and ru.strip(), key
        assert set(re.findall(r"\{\w+\}", en)) == set(re.findall(r"\{\w+\}", ru)), key


@pytest.mark.parametrize("value, expected", [
    (None, "en"), ("", "en"), ("ru", "ru"), ("RU", "ru"), ("de", "en"), ("en", "en"),
])
def test_pick_language(value, expected):
    assert strings.pick_language(value) == expected


def flat(counts: dict) -> dict[str, int]:
    """classify's nested counts as data-count keys, as listing.counts gives them."""
    keys = {"clients": counts["clients"], "b2b": counts["b2b"], "b2c": counts["b2c"]}
    for group in ("lifecycle", "frequency"):
        keys.update({f"{group}.{name}": value for name, value in counts[group].items()})
    keys["with_payments"] = sum(counts["lifecycle"][k] for k in ("active", "sleeping", "lost"))
    keys["without_payments"] = keys["clients"] - keys["with_payments"]
    return keys


def test_modes_show_every_count_once_in_spec_order():
    text = strings.STRINGS["en"]
    assert [m for m in view.MODES if m in view.MODE_COUNTERS and m != "status"] == [
        "types", "with_payments", "frequency", "without_payments", "ranks"]  # the ladder's: test_ladder_view
    assert view.MODE_COUNTERS["ranks"] == ("rank.A", "rank.B", "rank.C", "rank.N")
    modes = ["types", "with_payments", "frequency", "without_payments"]
    shown = [c for m in modes for c in view.mode_counters(m, flat(COUNTS), text)]
    keys = [c.key for c in shown if c.key not in ("clients", "b2b.with_contacts", "b2b.without_contacts")]
    assert keys == ["b2b", "b2c",
                    "lifecycle.active", "lifecycle.sleeping", "lifecycle.lost",
                    "frequency.regular", "frequency.first_purchase", "frequency.no_payments",
                    "lifecycle.with_requests", "lifecycle.with_dialogs",
                    "lifecycle.with_contacts", "lifecycle.without_contacts"]
    assert set(keys) | {"clients", "with_payments", "without_payments"} == set(flat(COUNTS))
    assert all(c.value == flat(COUNTS)[c.key] for c in shown if c.key in keys)


@pytest.mark.parametrize("value, total, expected", [
    (0, 0, 0), (0, 200, 0), (1, 200, 1), (1, 201, 0), (50, 200, 25), (200, 200, 100), (1, 3, 33), (2, 3, 67),
])
def test_share_is_whole_percent_rounded_half_up(value, total, expected):
    assert view.share(value, total) == expected


def test_counter_fraction_is_exact_and_of_the_modes_base():
    counter = view.mode_counters("without_payments", flat(COUNTS), strings.STRINGS["en"])[2]
    assert counter.key == "lifecycle.with_contacts"
    assert (counter.share, counter.fraction) == (1, 1 / 110)


def test_with_payments_shares_are_of_the_clients_with_payments_and_the_bar_says_what_its_labels_say():
    """Issue 10: "Active 19 %" filled 46 % of the bar; now label and segment are one share."""
    text = strings.STRINGS["en"]
    counters = view.mode_counters("with_payments", flat(COUNTS), text)
    assert [(c.key, c.share) for c in counters] == [
        ("lifecycle.active", 44), ("lifecycle.sleeping", 33), ("lifecycle.lost", 22)]
    parts = view.bar_parts("with_payments", flat(COUNTS), text)
    assert [(p.key, p.fraction) for p in parts] == [(c.key, c.fraction) for c in counters]
    assert sum(p.fraction for p in parts) == pytest.approx(1)


def test_a_bar_whose_counters_do_not_fill_the_base_ends_in_a_neutral_rest():
    partial = {**flat(COUNTS), "frequency.no_payments": 60}
    parts = view.bar_parts("frequency", partial, strings.STRINGS["en"])
    assert [(p.key, p.value) for p in parts] == [("frequency.regular", 25), ("frequency.first_purchase", 65),
                                                 ("frequency.no_payments", 60), ("rest", 50)]
    assert [p.share for p in parts] == [13, 33, 30, 25]
    assert view.bar_parts("types", flat(COUNTS), strings.STRINGS["en"])[-1].key == "b2c"


@pytest.mark.parametrize("mode, base", [("types", "clients"), ("with_payments", "with_payments"),
                                        ("frequency", "clients"), ("without_payments", "without_payments"),
                                        ("directories", "clients"), ("managers", "clients"), ("ranks", "clients"),
                                        ("planning", "clients")])
def test_every_mode_has_a_population_that_is_a_list_filter(mode, base):
    from b24clients.web import listing

    assert view.MODE_BASE[mode] == base and base in listing.COUNT_KEYS


def test_today_from_query_takes_the_given_date():
    assert view.today_from_query("2026-11-23", timezone.utc) == date(2026, 11, 23)


def test_today_defaults_to_the_portal_date_not_utc():
    now = datetime(2026, 11, 23, 22, 30, tzinfo=timezone.utc)
    moscow = timezone(timedelta(hours=3))
    assert view.today_from_query(None, moscow, now) == date(2026, 11, 24)
    assert view.today_from_query("", timezone(timedelta(hours=-5)), now) == date(2026, 11, 23)


@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30", "20261123", "2026-W47-1", "today", " 2026-11-23"])
def test_a_bad_today_is_a_bad_query(value):
    with pytest.raises(view.BadQuery, match="YYYY-MM-DD"):
        view.today_from_query(value, timezone.utc)


def test_language_links_keep_the_other_parameters():
    assert view.language_href("?today=2026-11-23&lang=en", "ru") == "?today=2026-11-23&lang=ru"
    assert view.language_href("", "en") == "?lang=en"


def test_no_html_is_ever_built_from_strings():
    """CRM text must reach the page as text: no innerHTML and friends in the UI code."""
    sources = [*(ROOT / "py" / "b24clients" / "web").glob("*.py"), *(ROOT / "www").glob("*.js"),
               *(ROOT / "www").glob("*.py")]
    assert sources
    pattern = re.compile(r"innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write|createContextualFragment")
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in sources
                 for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_mode_has_a_tab_label_and_its_counters_filter_the_list():
    text = strings.STRINGS["en"]
    flat = {"clients": 200, "b2b": 50, "b2b.with_contacts": 30, "b2b.without_contacts": 20, "b2c": 150}
    assert view.MODES[0] == "directories" and view.MODES[-2:] == ("managers", "status")
    assert all(text[f"mode.{mode}"] for mode in view.MODES)
    counters = view.mode_counters("types", flat, text)
    assert [(c.key, c.value, c.share) for c in counters] == [
        ("clients", 200, 100), ("b2b", 50, 25), ("b2b.with_contacts", 30, 15),
        ("b2b.without_contacts", 20, 10), ("b2c", 150, 75)]
    assert view.mode_counters("managers", flat, text) == ()
    for mode, keys in view.MODE_COUNTERS.items():
        assert all(f"count.{key}" in text for key in keys), mode
