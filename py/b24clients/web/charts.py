"""Chart geometry as plain data: which SVG shapes to draw, computed under CPython.

Plain SVG rather than a charting library: the dashboard needs one month
chart (bars + cumulative lines) and share bars, a few dozen lines here, where
a library would add 100–200 KB to the bundle, draw on a canvas that screen
readers cannot read, and need its own theming to look like Bitrix24. The
DOM layer (`screen.py`) only turns these shapes into elements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 240
MIN_WIDTH = 288
"""The narrowest chart (a 320 px phone): it is drawn for its width, so text stays 11 px."""
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 52, 12, 28
YEAR_LABEL_PX = 40
"""Room one year label needs at 11 px."""
MONTH_LABEL_PX = 48
"""Room the status chart's widest bar label needs at 11 px ("сегодня", "today")."""

COLOURS = {
    "contacts": "#2fc6f6",
    "companies": "#9dcf00",
    "contacts_total": "#2067b0",
    "companies_total": "#5c8a00",
}


@dataclass(frozen=True)
class Shape:
    tag: str
    attrs: dict[str, str]
    text: str | None = None
    children: tuple["Shape", ...] = field(default=())


def nice_ceiling(value: float) -> int:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least `value`."""
    magnitude = 1
    while magnitude * 10 < value:
        magnitude *= 10
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def months_chart(series: list[tuple], title: str, labels: dict[str, str], *, width: int = WIDTH) -> list[Shape]:
    """Contacts and companies created per month (bars, left axis) and how many
    exist in total (lines, right axis). `series` rows are (month "YYYY-MM",
    contacts, companies, contacts cumulative, companies cumulative). Years are
    labelled at each January (or at the first month when no January is shown); on a
    narrow chart only every few years, so that the labels never overlap."""
    if not series:
        return []
    inner_w = width - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    bar_max = nice_ceiling(max(max(r[1], r[2]) for r in series))
    line_max = nice_ceiling(max(max(r[3], r[4]) for r in series))
    slot = inner_w / len(series)
    bar_w = max(slot / 2 - 0.5, 0.5)
    base = PAD_TOP + inner_h

    def y_bar(value: float) -> float:
        return base - inner_h * value / bar_max

    def y_line(value: float) -> float:
        return base - inner_h * value / line_max

    shapes: list[Shape] = [Shape("title", {}, title)]
    shapes += _axes(bar_max, base, inner_h, width, lambda fraction: _short(line_max * fraction))
    years = sorted({month[:4] for month, *_ in series})
    every = max(1, -(-len(years) * YEAR_LABEL_PX // inner_w))
    for i, (month, contacts, companies, _, _) in enumerate(series):
        x = PAD_LEFT + i * slot
        for offset, value, key in ((0.0, contacts, "contacts"), (bar_w, companies, "companies")):
            if value:
                shapes.append(Shape("rect", {
                    "x": f"{x + offset:.1f}", "y": f"{y_bar(value):.1f}", "width": f"{bar_w:.1f}",
                    "height": f"{base - y_bar(value):.1f}", "fill": COLOURS[key], "class": f"chart__bar--{key}",
                }, None, (Shape("title", {}, f"{month}: {labels[key]} {value}"),)))
        labelled = month.endswith("-01") or (i == 0 and not any(m[0].endswith("-01") for m in series))
        if labelled and years.index(month[:4]) % every == 0:
            shapes.append(Shape("text", {"x": f"{x:.1f}", "y": f"{HEIGHT - 8}", "class": "chart__tick"},
                                month[:4]))
    for column, key in ((3, "contacts_total"), (4, "companies_total")):
        points = " ".join(f"{PAD_LEFT + (i + 0.5) * slot:.1f},{y_line(r[column]):.1f}"
                          for i, r in enumerate(series))
        shapes.append(Shape("polyline", {"points": points, "fill": "none", "stroke": COLOURS[key],
                                         "stroke-width": "2", "class": f"chart__line--{key}"}))
    return shapes


def _axes(bar_max: float, base: float, inner_h: float, width: int,
          right: Callable[[float], str] | None = None) -> list[Shape]:
    """Three grid lines with the bars' scale on the left and, given `right` (a fraction's
    label), a second scale on the right."""
    shapes = []
    for fraction in (0.0, 0.5, 1.0):
        y = base - inner_h * fraction
        shapes.append(Shape("line", {"x1": str(PAD_LEFT), "x2": str(width - PAD_RIGHT), "y1": f"{y:.1f}",
                                     "y2": f"{y:.1f}", "class": "chart__grid"}))
        shapes.append(Shape("text", {"x": str(PAD_LEFT - 6), "y": f"{y + 4:.1f}", "text-anchor": "end",
                                     "class": "chart__tick"}, _short(bar_max * fraction)))
        if right is not None:
            shapes.append(Shape("text", {"x": str(width - PAD_RIGHT + 6), "y": f"{y + 4:.1f}",
                                         "class": "chart__tick"}, right(fraction)))
    return shapes


def _short(value: float) -> str:
    """Axis numbers people read at a glance: 1500 → 1.5k, 2000000 → 2M."""
    for limit, suffix in ((1_000_000, "M"), (1_000, "k")):
        if value >= limit:
            text = f"{value / limit:.1f}".rstrip("0").rstrip(".")
            return text + suffix
    return f"{value:g}"


RANK_COLOURS = {"A": "#2067b0", "B": "#2fc6f6", "C": "#a8adb4"}
LINE_COLOUR = "#f4433e"


def pareto_chart(figures, title: str, labels: dict[str, str], *, width: int = WIDTH) -> list[Shape]:
    """The Ranks mode's Pareto chart (`view.RankFigures`): clients sorted by the basis,
    largest first, as bars coloured by rank (left axis: the basis), the cumulative share
    as a line (right axis: 0–100 %), and a dashed line where A ends and where B ends,
    with each rank's letter over its stretch.  `labels`: "value", "cumulative", "cut",
    "clients" and the percent sign's form ("percent": "{value}%")."""
    clients, curve = figures.clients, figures.curve
    if not clients or not curve:
        return []
    inner_w = width - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    base = PAD_TOP + inner_h
    top = nice_ceiling(max(value for _, value, _ in curve))
    per_client = inner_w / clients
    bar_w = max(min(per_client, inner_w / len(curve)) - 0.5, 0.5)

    def x_of(place: float) -> float:
        return PAD_LEFT + place * per_client

    shapes: list[Shape] = [Shape("title", {}, title),
                           *_axes(top, base, inner_h, width,
                                  lambda fraction: labels["percent"].format(value=round(100 * fraction)))]
    for place, value, cumulative in curve:
        rank = _rank_at(place, figures)
        height = inner_h * value / top
        shapes.append(Shape("rect", {
            "x": f"{x_of(place):.1f}", "y": f"{base - height:.1f}", "width": f"{bar_w:.2f}",
            "height": f"{height:.1f}", "fill": RANK_COLOURS[rank], "class": f"chart__bar--{rank}",
        }, None, (Shape("title", {}, f"{place + 1}: {labels['value']} {_short(value)} · "
                                     f"{labels['cumulative']} {labels['percent'].format(value=round(100 * cumulative))}"),)))
    points = " ".join(f"{x_of(place + 1):.1f},{base - inner_h * cumulative:.1f}" for place, _, cumulative in curve)
    shapes.append(Shape("polyline", {"points": f"{x_of(0):.1f},{base:.1f} {points}", "fill": "none",
                                     "stroke": LINE_COLOUR, "stroke-width": "2", "class": "chart__line--cumulative"}))
    for rank, start, end in (("A", 0, figures.a_end), ("B", figures.a_end, figures.b_end), ("C", figures.b_end, clients)):
        if end > start:
            shapes.append(Shape("text", {"x": f"{x_of((start + end) / 2):.1f}", "y": str(PAD_TOP + 12),
                                         "text-anchor": "middle", "class": f"chart__rank chart__rank--{rank}",
                                         "data-rank": rank}, rank))
    for cut, end in (("A", figures.a_end), ("B", figures.b_end)):
        if 0 < end < clients:
            x = x_of(end)
            shapes.append(Shape("line", {"x1": f"{x:.1f}", "x2": f"{x:.1f}", "y1": str(PAD_TOP), "y2": f"{base:.1f}",
                                         "class": "chart__cut", "data-cut": cut, "stroke-dasharray": "4 3"},
                                None, (Shape("title", {}, f"{labels['cut']} {cut}: {end} {labels['clients']}"),)))
    shapes.append(Shape("text", {"x": str(PAD_LEFT), "y": f"{HEIGHT - 8}", "class": "chart__tick"}, "1"))
    shapes.append(Shape("text", {"x": str(width - PAD_RIGHT), "y": f"{HEIGHT - 8}", "text-anchor": "end",
                                 "class": "chart__tick"}, f"{clients} {labels['clients']}"))
    return shapes


def _rank_at(place: int, figures) -> str:
    return "A" if place < figures.a_end else "B" if place < figures.b_end else "C"


STATUS_COLOURS = {
    "new": "#559be6",
    "in_work": "#2067b0",
    "hot": "#f4433e",
    "warm": "#ffa900",
    "cold": "#2fc6f6",
    "lost": "#a8adb4",
}
"""The ladder's statuses, warm to cold in colour (style.css has the same as --c-ladder-*)."""


def status_chart(series: list[tuple[str, dict[str, int]]], title: str, labels: dict[str, str], *,
                 width: int = WIDTH) -> list[Shape]:
    """Clients per status at each month's end, one stacked bar a month (statuses in
    STATUS_COLOURS order, bottom up). `series` rows are (the bar's label, counts per
    status); every bar is labelled when there is room, else every second or third one,
    counting back from the last (today)."""
    if not series:
        return []
    inner_w = width - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    top = nice_ceiling(max(1, max(sum(counts.values()) for _, counts in series)))
    slot = inner_w / len(series)
    bar_w = max(slot * 0.6, 1.0)
    base = PAD_TOP + inner_h
    shapes: list[Shape] = [Shape("title", {}, title), *_axes(top, base, inner_h, width)]
    every = max(1, -(-MONTH_LABEL_PX // int(slot))) if slot < MONTH_LABEL_PX else 1
    for i, (label, counts) in enumerate(series):
        x = PAD_LEFT + i * slot + (slot - bar_w) / 2
        level = 0
        for status, colour in STATUS_COLOURS.items():
            value = counts.get(status, 0)
            if not value:
                continue
            y_top = base - inner_h * (level + value) / top
            height = inner_h * value / top
            shapes.append(Shape("rect", {
                "x": f"{x:.1f}", "y": f"{y_top:.1f}", "width": f"{bar_w:.1f}", "height": f"{height:.1f}",
                "fill": colour, "class": f"chart__bar--{status}", "data-month": str(i), "data-value": str(value),
            }, None, (Shape("title", {}, f"{label}: {labels[status]} {value}"),)))
            level += value
        if (len(series) - 1 - i) % every == 0:
            shapes.append(Shape("text", {"x": f"{x + bar_w / 2:.1f}", "y": f"{HEIGHT - 8}", "text-anchor": "middle",
                                         "class": "chart__tick"}, label))
    return shapes
