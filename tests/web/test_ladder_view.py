"""The status ladder on the dashboard as plain data (issue 13 item 5): the Status mode's
counters over the clients this user's list holds, its list filters, the status
columns' values and order, own names of statuses, the CSV columns, the 12-month chart."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from b24clients.ladder import LadderSettings
from b24clients.sync.ladder.overview import overview
from b24clients.sync.ladder.status import Publication, Published
from b24clients.web import charts, ladder_view, listing, view
from b24clients.web.listing import ListRow
from b24clients.strings import strings_for

TODAY = date(2026, 11, 25)  # a Wednesday: this week began on Monday the 23rd
START = TODAY - timedelta(days=400)
TEXT = strings_for("en")
ON = LadderSettings(started_on=date(2026, 1, 10))


def lrow(id, entity="company", responsible=2) -> ListRow:
    return ListRow(entity, id, f"Client {id}", "b2b" if entity == "company" else "b2c", "active", "regular",
                   None, 1, None, None, None, responsible, False)


def pub(id, status, *, entity="company", responsible=2, since=None, drop_on=None, trail=()) -> Published:
    return Published((entity, id), responsible, status, since, drop_on, None,
                     ((START, None, "start"), *trail) if trail else ((START, status, "start"),))


def publication(*rows: Published) -> Publication:
    return Publication(day=TODAY, rows={r.key: r for r in rows})


@pytest.fixture
def world():
    """Five clients on the list (one of them untracked) and one the user may not see."""
    published = publication(
        pub(1, "hot", since=date(2026, 11, 1), drop_on=date(2026, 12, 10)),
        pub(2, "warm", since=date(2026, 11, 24), drop_on=TODAY + timedelta(days=3),
            trail=((date(2026, 10, 1), "hot", "set"), (date(2026, 11, 24), "warm", "drop"))),
        pub(3, "lost", responsible=3, since=date(2026, 11, 23),
            trail=((date(2026, 9, 1), "cold", "set"), (date(2026, 11, 23), "lost", "loss"))),
        pub(4, "cold", entity="contact", responsible=3, since=date(2026, 8, 1), drop_on=TODAY + timedelta(days=7)),
        pub(9, "hot", responsible=9, since=date(2026, 11, 1), drop_on=TODAY + timedelta(days=1)),
    )
    rows = [lrow(1), lrow(2), lrow(3, responsible=3), lrow(4, "contact", responsible=3), lrow(5)]
    return published, rows


def test_the_counters_are_the_overview_over_the_clients_on_the_list(world):
    published, rows = world
    data = ladder_view.ladder_data(published, rows, TODAY, ON)
    figures = overview(published.rows.values(), TODAY, {(r.entity, r.id) for r in rows})
    assert data.figures == figures
    assert data.counts == {"ladder.tracked": 4, "ladder.new": 0, "ladder.in_work": 0, "ladder.hot": 1,
                           "ladder.warm": 1, "ladder.cold": 1, "ladder.lost": 1,
                           "ladder.dropping": 2, "ladder.dropped": 2}
    assert data.dropping == {("company", 2), ("contact", 4)}, "the invisible client 9 is not counted"
    assert data.dropped == {("company", 2), ("company", 3)}
    assert data.published_on == TODAY and data.started
    assert rows[0].ladder.status == "hot" and rows[4].ladder is None


def test_the_status_mode_is_there_only_while_the_ladder_is_on():
    assert ladder_view.MODE in view.MODES
    assert ladder_view.MODE not in view.shown_modes(False)
    assert view.shown_modes(True) == view.MODES
    assert ladder_view.ladder_settings({}) is None and ladder_view.ladder_settings({"settings": "{}"}) is None
    assert ladder_view.ladder_settings({"ladder": {"hot_days": 20}}).hot_days == 20
    assert ladder_view.ladder_settings({"ladder": "{broken"}) == LadderSettings(), "installed, with the defaults"


def test_switched_off_the_settings_sheet_still_edits_the_ladder_but_no_screen_shows_it():
    off = {"ladder": {"enabled": False, "hot_days": 20}}
    assert ladder_view.ladder_settings(off).hot_days == 20 and ladder_view.running_ladder(off) is None
    assert ladder_view.running_ladder({"ladder": {"hot_days": 20}}).hot_days == 20
    assert ladder_view.running_ladder({}) is None


def test_the_status_mode_counts_and_shares_of_clients_with_a_status(world):
    published, rows = world
    data = ladder_view.ladder_data(published, rows, TODAY, ON)
    counters = view.mode_counters(ladder_view.MODE, data.counts, TEXT)
    assert [(c.key, c.value, c.share) for c in counters] == [
        ("ladder.new", 0, 0), ("ladder.in_work", 0, 0), ("ladder.hot", 1, 25), ("ladder.warm", 1, 25),
        ("ladder.cold", 1, 25), ("ladder.lost", 1, 25), ("ladder.dropping", 2, 50), ("ladder.dropped", 2, 50)]
    parts = view.bar_parts(ladder_view.MODE, data.counts, TEXT)
    assert [p.key for p in parts] == ["ladder.new", "ladder.in_work", "ladder.hot", "ladder.warm", "ladder.cold",
                                      "ladder.lost"], "drops soon and dropped are not parts of the whole"
    assert sum(p.value for p in parts) == data.counts["ladder.tracked"]


@pytest.mark.parametrize("key, ids", [
    ("ladder.tracked", [1, 2, 3, 4]), ("ladder.hot", [1]), ("ladder.lost", [3]), ("ladder.new", []),
    ("ladder.dropping", [2, 4]), ("ladder.dropped", [2, 3]),
    ("ladder.manager.2", [1, 2]), ("ladder.manager.3.dropping", [4]), ("ladder.manager.3.lost", [3]),
    ("ladder.manager.2.dropped", [2]), ("ladder.manager.0", []),
])
def test_every_counter_filters_the_list_to_what_it_counts(world, key, ids):
    published, rows = world
    data = ladder_view.ladder_data(published, rows, TODAY, ON)
    wanted = ladder_view.matches(key, data)
    assert [row.id for row in rows if wanted(row)] == ids
    if key in data.counts:
        assert len(ids) == data.counts[key]


@pytest.mark.parametrize("key", ["ladder.warmish", "ladder.manager.x", "lifecycle.active", "ladder."])
def test_an_unknown_ladder_filter_is_refused(world, key):
    published, rows = world
    with pytest.raises(ValueError):
        ladder_view.matches(key, ladder_view.ladder_data(published, rows, TODAY, ON))


def test_each_manager_line_filters_to_the_clients_it_counts(world):
    published, rows = world
    data = ladder_view.ladder_data(published, rows, TODAY, ON)
    for line in data.figures.managers:
        for what, number in (("", sum(line.counts.values())), ("dropping", line.dropping),
                             ("dropped", line.dropped)):
            wanted = ladder_view.matches(ladder_view.manager_filter(line.manager, what), data)
            assert sum(1 for row in rows if wanted(row)) == number, (line.manager, what)


def test_own_names_of_hot_warm_and_cold_replace_the_translated_ones():
    named = LadderSettings(hot_name="Burning", cold_name="Frozen")
    words = {**TEXT, **ladder_view.labels(named, TEXT)}
    assert words["count.ladder.hot"] == "Burning" and words["count.ladder.cold"] == "Frozen"
    assert words["count.ladder.warm"] == "Warm" and ladder_view.labels(LadderSettings(), TEXT) == {}
    assert ladder_view.status_name("cold", words) == "Frozen" and ladder_view.status_name(None, words) == ""


def test_the_status_columns_sort_in_ladder_order_with_the_untracked_last(world):
    published, rows = world
    ladder_view.ladder_data(published, rows, TODAY, ON)
    by_status = listing.sort_rows(rows, "status")
    assert [r.id for r in by_status] == [1, 2, 4, 3, 5]
    assert [r.id for r in listing.sort_rows(rows, "status", descending=True)] == [3, 4, 2, 1, 5]
    assert [r.id for r in listing.sort_rows(rows, "next_drop")] == [2, 4, 1, 3, 5]
    assert [r.id for r in listing.sort_rows(rows, "status_since")] == [4, 1, 3, 2, 5]
    assert ladder_view.row_value(rows[1], "next_drop") == TODAY + timedelta(days=3)
    assert ladder_view.row_value(rows[4], "status") is None


def test_the_csv_has_the_status_columns_only_while_the_ladder_is_on(world):
    published, rows = world
    ladder_view.ladder_data(published, rows, TODAY, ON)
    plain = list(csv.reader(io.StringIO(listing.to_csv(rows, TEXT, {}, "en").lstrip("\ufeff"))))
    assert "Status" not in plain[0]
    got = list(csv.reader(io.StringIO(listing.to_csv(rows, TEXT, {}, "en", ladder=True).lstrip("\ufeff"))))
    assert got[0][-3:] == ["Status", "Status since", "Next drop"]
    assert got[2][-3:] == ["Warm", "2026-11-24", "2026-11-28"]
    assert got[5][-3:] == ["", "", ""]


def test_the_month_chart_stacks_every_status_of_every_month(world):
    published, rows = world
    data = ladder_view.ladder_data(published, rows, TODAY, ON)
    series = [(end.isoformat(), counts) for end, counts in data.figures.months]
    names = {status: TEXT[f"count.ladder.{status}"] for status in charts.STATUS_COLOURS}
    shapes = charts.status_chart(series, "title", names, width=charts.WIDTH)
    bars = [s for s in shapes if s.tag == "rect"]
    for n, (_, counts) in enumerate(series):
        mine = [b for b in bars if b.attrs["data-month"] == str(n)]
        assert sum(int(b.attrs["data-value"]) for b in mine) == sum(counts.values())
        assert [b.attrs["class"] for b in mine] == [f"chart__bar--{s}" for s in charts.STATUS_COLOURS if counts[s]]
    last = [b for b in bars if b.attrs["data-month"] == "11"]
    assert {b.attrs["class"]: int(b.attrs["data-value"]) for b in last} == {
        "chart__bar--hot": 1, "chart__bar--warm": 1, "chart__bar--cold": 1, "chart__bar--lost": 1}
    ticks = [s.text for s in shapes if s.tag == "text" and s.attrs.get("text-anchor") == "middle"]
    assert ticks == [label for label, _ in series], "every month is labelled at full width"
    for width in (charts.MIN_WIDTH, 360, 480):
        narrow = charts.status_chart(series, "title", names, width=width)
        xs = [float(s.attrs["x"]) for s in narrow if s.tag == "text" and s.attrs.get("text-anchor") == "middle"]
        assert xs[-1] > xs[-2] and len(xs) < 12, "today is always labelled, and not every month"
        assert min(b - a for a, b in zip(xs, xs[1:])) >= charts.MONTH_LABEL_PX, "labels never overlap"
    assert charts.status_chart([], "title", names) == []


def test_a_clients_status_history_is_its_changes_newest_first(world):
    published, _ = world
    assert ladder_view.status_history(published.rows[("company", 2)]) == [
        (date(2026, 11, 24), "warm", "drop"), (date(2026, 10, 1), "hot", "set")]
    assert ladder_view.status_history(published.rows[("company", 1)]) == []


def test_every_change_of_status_has_its_reason_in_words():
    from typing import get_args

    from b24clients.ladder import Event, EventKind
    from b24clients.strings import STRINGS

    changing = [kind for kind in get_args(EventKind)
                if Event(("company", 1), kind, date(2026, 1, 1), None, "hot").changes_status]
    assert set(changing) == {"new", "set", "deal_open", "deal_won", "deal_lost", "drop", "loss"}
    for language in ("en", "ru"):
        assert all(STRINGS[language][f"ladder.cause.{kind}"] for kind in changing)
