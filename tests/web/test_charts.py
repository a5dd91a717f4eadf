"""The month chart's geometry: scales, bars, lines and labels, under CPython."""

from __future__ import annotations

import pytest

from b24clients.web import charts

LABELS = {"contacts": "Contacts created", "companies": "Companies created",
          "contacts_total": "Contacts in total", "companies_total": "Companies in total"}


@pytest.mark.parametrize("value, expected", [
    (0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (180, 200), (201, 500), (86_000, 100_000),
])
def test_axis_maximum_is_a_round_number_at_least_the_value(value, expected):
    assert charts.nice_ceiling(value) == expected


def test_no_months_no_chart():
    assert charts.months_chart([], "title", LABELS) == []


def test_bars_scale_to_the_busiest_month_and_lines_to_the_total():
    series = [("2025-12", 4, 0, 4, 0), ("2026-01", 10, 5, 14, 5), ("2026-02", 0, 1, 14, 6)]
    shapes = charts.months_chart(series, "Created per month", LABELS)
    assert shapes[0] == charts.Shape("title", {}, "Created per month")
    bars = [s for s in shapes if s.tag == "rect"]
    # zero months draw no bar: 4 contacts, 10 + 5 in January, 1 company in February
    assert [b.children[0].text for b in bars] == [
        "2025-12: Contacts created 4", "2026-01: Contacts created 10",
        "2026-01: Companies created 5", "2026-02: Companies created 1"]
    inner = charts.HEIGHT - charts.PAD_TOP - charts.PAD_BOTTOM
    tallest = max(float(b.attrs["height"]) for b in bars)
    assert tallest == pytest.approx(inner, abs=0.1)  # 10 is the axis maximum itself
    lines = [s for s in shapes if s.tag == "polyline"]
    assert [s.attrs["class"] for s in lines] == ["chart__line--contacts_total", "chart__line--companies_total"]
    assert len(lines[0].attrs["points"].split()) == 3
    years = [s.text for s in shapes if s.tag == "text" and s.attrs.get("class") == "chart__tick"
             and s.attrs["y"] == str(charts.HEIGHT - 8)]
    assert years == ["2026"]  # each January
    alone = charts.months_chart([("2025-11", 1, 0, 1, 0), ("2025-12", 1, 0, 2, 0)], "t", LABELS)
    assert [s.text for s in alone if s.tag == "text" and s.attrs["y"] == str(charts.HEIGHT - 8)] == ["2025"]


def test_axis_labels_are_short():
    series = [("2026-01", 1500, 0, 1_500_000, 0)]
    texts = {s.text for s in charts.months_chart(series, "t", LABELS) if s.tag == "text"}
    assert {"2k", "1k", "0", "2M", "1M"} <= texts
