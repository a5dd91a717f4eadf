"""The Ranks mode as plain data (planning.md "Ranks"): the counters' shares of the basis,
the Pareto chart's geometry with its cut-offs, and a saved dashboard that keeps both."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from b24clients.lifecycle import Thresholds
from b24clients.ranks import Cutoffs, LeftOut, Measured, RankReport, RankSettings, assign_ranks, pareto
from b24clients.sync.provenance import READ
from b24clients.web import charts, dashboard_cache, listing, view
from b24clients.web.origin import Origin
from b24clients.strings import STRINGS

EN = STRINGS["en"]
LABELS = {"value": "Revenue", "cumulative": "Cumulative share", "cut": "Cut-off", "clients": "clients",
          "percent": "{value}%"}


def report(values: dict[int, int], nobody: tuple[int, ...] = (), left_out=LeftOut(),
           method="cumulative", cutoffs=Cutoffs(Decimal(80), Decimal(95))) -> RankReport:
    money = {("company", i): Decimal(v) for i, v in values.items()}
    ranks = assign_ranks(money, [("company", i) for i in nobody], method, cutoffs)
    return RankReport(ranks, Measured(money, left_out), pareto(money, ranks))


# 1,000 brings 50 %, 600 → 80 % (A ends: the client that crosses stays A), 200 → 90 %, 100 → 95 % (B),
# 60 + 40 → C; client 9 has nothing (N).
WORKED = {1: 1000, 2: 600, 3: 200, 4: 100, 5: 60, 6: 40}


def test_figures_give_each_rank_its_share_of_the_revenue_in_whole_percent_and_where_the_cut_offs_stand():
    figures = view.rank_figures(report(WORKED, nobody=(9,)), RankSettings(), "RUB")
    assert (figures.a_end, figures.b_end, figures.clients) == (2, 4, 6)
    assert figures.percents == {"A": 80, "B": 15, "C": 5, "N": 0}
    assert figures.fractions == {"A": 0.8, "B": 0.15, "C": 0.05, "N": 0.0}
    assert (figures.total, figures.currency, figures.basis, figures.cutoffs) == (2000.0, "RUB", "revenue", (80.0, 95.0))
    assert figures.curve[0] == (0, 1000.0, 0.5) and figures.curve[-1] == (5, 40.0, 1.0)


def test_counters_count_clients_and_state_their_share_of_the_basis_not_of_the_clients():
    rep = report(WORKED, nobody=(9,))
    flat = {"clients": 7, "rank.A": 2, "rank.B": 2, "rank.C": 2, "rank.N": 1}
    counters = view.rank_counters(flat, view.rank_figures(rep, RankSettings(), "RUB"), EN)
    assert [(c.key, c.value, c.share) for c in counters] == [
        ("rank.A", 2, 80), ("rank.B", 2, 15), ("rank.C", 2, 5), ("rank.N", 1, 0)]
    assert [c.label for c in counters] == ["Rank A: key clients", "Rank B", "Rank C", "Rank N: no revenue"]
    read_only = view.rank_counters(flat, None, EN)
    assert [(c.key, c.share) for c in read_only] == [("rank.A", 29), ("rank.B", 29), ("rank.C", 29), ("rank.N", 14)]


def test_whole_percent_rounds_half_up_exactly():
    assert [view.whole_percent(Decimal(x)) for x in ("0.125", "0.1249999", "0.005", "1")] == [13, 12, 1, 100]


def test_a_payment_left_out_is_counted_in_the_figures():
    left = LeftOut({"XYZ": 2}, without_amount=1)
    assert view.rank_figures(report(WORKED, left_out=left), RankSettings(), "RUB").left_out == 3


def test_a_long_curve_is_thinned_to_the_points_a_chart_can_show_but_keeps_its_first_client():
    many = {i: 100_000 - i for i in range(1, 5001)}
    figures = view.rank_figures(report(many), RankSettings(), "RUB")
    assert figures.clients == 5000 and len(figures.curve) <= view.CURVE_POINTS
    assert figures.curve[0][0] == 0 and [p[0] for p in figures.curve] == sorted(p[0] for p in figures.curve)


def shapes_of(figures, width=charts.WIDTH):
    return charts.pareto_chart(figures, "Pareto", LABELS, width=width)


def test_the_chart_marks_both_cut_offs_where_a_and_b_end_and_colours_each_bar_by_its_rank():
    figures = view.rank_figures(report(WORKED, nobody=(9,)), RankSettings(), "RUB")
    shapes = shapes_of(figures)
    inner = charts.WIDTH - charts.PAD_LEFT - charts.PAD_RIGHT
    cuts = {s.attrs["data-cut"]: float(s.attrs["x1"]) for s in shapes if s.attrs.get("class") == "chart__cut"}
    assert cuts == {"A": pytest.approx(charts.PAD_LEFT + inner * 2 / 6, abs=0.05),
                    "B": pytest.approx(charts.PAD_LEFT + inner * 4 / 6, abs=0.05)}
    bars = [s for s in shapes if s.tag == "rect"]
    assert [b.attrs["class"] for b in bars] == ["chart__bar--A"] * 2 + ["chart__bar--B"] * 2 + ["chart__bar--C"] * 2
    inner_h = charts.HEIGHT - charts.PAD_TOP - charts.PAD_BOTTOM
    assert float(bars[0].attrs["height"]) == pytest.approx(inner_h, abs=0.1)  # 1,000 is the axis maximum
    line = next(s for s in shapes if s.tag == "polyline")
    last_y = float(line.attrs["points"].split()[-1].split(",")[1])
    assert last_y == pytest.approx(charts.PAD_TOP, abs=0.1), "the cumulative line ends at 100 %"
    assert [s.text for s in shapes if s.attrs.get("data-rank")] == ["A", "B", "C"]


def test_a_cut_off_at_an_end_of_the_chart_is_not_drawn_and_nothing_in_the_window_draws_nothing():
    sole = view.rank_figures(report({1: 500}), RankSettings(), "RUB")
    assert (sole.a_end, sole.b_end) == (1, 1)
    assert not [s for s in shapes_of(sole) if s.attrs.get("class") == "chart__cut"]
    empty = view.rank_figures(report({}, nobody=(1, 2)), RankSettings(), "RUB")
    assert shapes_of(empty) == [] and empty.percents == {"A": 0, "B": 0, "C": 0, "N": 0}


def test_a_phone_chart_keeps_its_bars_inside_its_width():
    many = {i: 10_000 - i for i in range(1, 2001)}
    shapes = shapes_of(view.rank_figures(report(many), RankSettings(), "RUB"), width=charts.MIN_WIDTH)
    right = charts.MIN_WIDTH - charts.PAD_RIGHT
    assert all(float(s.attrs["x"]) + float(s.attrs["width"]) <= right + 0.6 for s in shapes if s.tag == "rect")


def test_a_saved_dashboard_keeps_the_ranks_figures_and_each_rows_rank():
    rows = [listing.ListRow("company", 1, "Co 1", "b2b", "active", "first_purchase", date(2026, 6, 1), 1, None,
                            None, None, 7, False, rank="A"),
            listing.ListRow("company", 9, "Co 9", "b2b", "with_dialogs", "no_payments", None, 0, None, None, None,
                            7, False)]
    today = date(2026, 11, 23)
    figures = view.rank_figures(report(WORKED, nobody=(9,)), RankSettings(method="clients"), "USD")
    saved = view.Data(rows=rows, counts=listing.counts(rows), months=[], managers=listing.managers(rows, today),
                      today=today, origin=Origin(READ, datetime(2026, 11, 23, tzinfo=timezone(timedelta(hours=3)))),
                      ranks=figures)
    chunks = json.loads(json.dumps(list(dashboard_cache.to_chunks(saved))))
    back = dashboard_cache.from_chunks(chunks, today, Thresholds())
    assert back == saved and back.counts["rank.A"] == 1 and back.counts["rank.N"] == 1
    older = [{**chunks[0], "format": "b24clients-dashboard/2"}, *chunks[1:]]
    assert dashboard_cache.from_chunks(older, today, Thresholds()) is None, "rows of before the ranks are not read"


@pytest.mark.parametrize("value, language, text", [
    (80.0, "en", "80%"), (Decimal("40.5"), "en", "40.5%"), (40.5, "ru", "40,5\u00a0%"), (100, "ru", "100\u00a0%"),
    (Decimal("66.60"), "en", "66.6%"),
])
def test_a_cut_off_is_written_as_the_reader_writes_numbers(value, language, text):
    assert view.cutoff_text(value, language) == text
