"""What the dashboard shows, as plain data: no `js`, no DOM.

The browser layer (`screen.py` and friends) only turns these values into elements.
Keeping the decisions here (which counters, in which order, under which
heading, with which share; how `?today=` and `?lang=` are read) lets them
run and be tested under CPython.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl, urlencode

from ..lifecycle import FREQUENCIES, LIFECYCLES, PAID
from ..ranks import RANKS, RankReport, RankSettings
from . import ladder_view

LIFECYCLE_WITH_PAYMENTS = PAID
LIFECYCLE_WITHOUT_PAYMENTS = tuple(value for value in LIFECYCLES if value not in PAID)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass
class Data:
    """Everything the dashboard shows, computed from one classification (or read back)."""

    rows: list
    """listing.ListRow for every client."""
    counts: dict[str, int]
    months: list[tuple]
    managers: list
    today: date
    origin: object
    """origin.Origin: where the numbers come from."""
    ranks: RankFigures | None = None
    """The Ranks mode's shares and Pareto curve; None when the basis is not known here
    (a reading run sees the written ranks, not the money behind them)."""
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """Rows the run skipped as unreadable: (kind, ID as given, why) — an admin's "data problems"."""
    ordered: dict[tuple[str, bool], list] = field(default_factory=dict, compare=False, repr=False)
    """All rows in a sort order (column, descending), once sorted: a filter keeps the order,
    so the list shown is a filtered slice of it, not a new sort of 85,000 rows."""
    ladder: ladder_view.LadderData | None = None
    """The Status mode's figures over these rows, while the ladder is on (`Screen` fills it)."""


FIRST_ORDER: tuple[str, bool] = ("name", False)
"""The list's order when the dashboard opens: (column, descending)."""


class BadQuery(ValueError):
    """A query parameter of the page address cannot be used."""


@dataclass(frozen=True)
class Counter:
    key: str
    """Stable id, also the element's data-count: "b2b", "lifecycle.active", …"""
    label: str
    value: int
    share: int
    """Whole percent of the mode's base (`MODE_BASE`), as printed next to the number."""
    fraction: float
    """Exact share of the base (0…1), for the bar's length."""


def share(value: int, total: int) -> int:
    """Whole percent, rounded half up; 0 when there are no clients at all."""
    if total <= 0:
        return 0
    return (200 * value + total) // (2 * total)


MODES = ("directories", "types", "with_payments", "frequency", "without_payments", "ranks", "planning", "managers",
         ladder_view.MODE)
"""The dashboard's tabs, in app.md's order ("Screens" 1–6), with planning.md's Ranks and
Planning before Managers, then the status ladder's (status-ladder.md "Screens"), which is
there only while the ladder is on (`shown_modes`)."""

MODE_COUNTERS: dict[str, tuple[str, ...]] = {
    "types": ("clients", "b2b", "b2b.with_contacts", "b2b.without_contacts", "b2c"),
    "with_payments": tuple(f"lifecycle.{k}" for k in LIFECYCLE_WITH_PAYMENTS),
    "frequency": tuple(f"frequency.{k}" for k in FREQUENCIES),
    "without_payments": tuple(f"lifecycle.{k}" for k in LIFECYCLE_WITHOUT_PAYMENTS),
    "ranks": tuple(f"rank.{rank}" for rank in RANKS),
    ladder_view.MODE: ladder_view.COUNTER_KEYS,
}
"""Which counters each mode shows; every key is also a filter of the client list."""

MODE_BASE: dict[str, str] = {"directories": "clients", "types": "clients", "with_payments": "with_payments",
                             "frequency": "clients", "without_payments": "without_payments", "ranks": "clients",
                             "planning": "clients", "managers": "clients", ladder_view.MODE: ladder_view.TRACKED}
"""Each mode's population: the list shows it until a counter narrows it, and every share
the mode prints (counters and bar) is a share of it, stated in words under the bar."""

BAR_LEAVES_OUT = ("clients", "b2b.with_contacts", "b2b.without_contacts", ladder_view.DROPPING,
                  ladder_view.DROPPED)
"""Counters that are not a part of the mode's bar (the whole, a split of B2B, and the
ladder's clients about to drop or dropped, who also have a status)."""


def shown_modes(ladder_on: bool) -> tuple[str, ...]:
    """The tabs this page shows: the Status mode only while the ladder is on."""
    return MODES if ladder_on else tuple(mode for mode in MODES if mode != ladder_view.MODE)


def mode_counters(mode: str, flat: dict[str, int], text: dict[str, str]) -> tuple[Counter, ...]:
    """The counters of one mode (listing.counts keys), with shares of the mode's base."""
    base = flat.get(MODE_BASE.get(mode, "clients"), 0)
    return tuple(
        Counter(key, text[f"count.{key}"], flat.get(key, 0), share(flat.get(key, 0), base),
                flat.get(key, 0) / base if base > 0 else 0.0)
        for key in MODE_COUNTERS.get(mode, ())
    )


@dataclass(frozen=True)
class Part:
    """One segment of a mode's bar: as long as the share its label states."""

    key: str
    """The counter's key, or "rest" for the part of the base no counter shows."""
    value: int
    share: int
    fraction: float


def bar_parts(mode: str, flat: dict[str, int], text: dict[str, str]) -> tuple[Part, ...]:
    """The mode's bar: each counter's share of the base, then a neutral rest if the
    counters do not add up to it — so no segment is ever longer than its label says."""
    base = flat.get(MODE_BASE.get(mode, "clients"), 0)
    parts = [Part(c.key, c.value, c.share, c.fraction)
             for c in mode_counters(mode, flat, text) if c.key not in BAR_LEAVES_OUT]
    rest = base - sum(part.value for part in parts)
    if rest > 0:
        parts.append(Part("rest", rest, share(rest, base), rest / base))
    return tuple(parts)


CURVE_POINTS = 480
"""At most this many clients are drawn on the Pareto chart (evenly picked; the cut-offs
are drawn where they are): a bar narrower than a pixel shows nothing more."""


@dataclass(frozen=True)
class RankFigures:
    """What the Ranks mode shows beside the counters (planning.md "Ranks"), as plain
    numbers that a saved dashboard keeps as JSON."""

    basis: str
    window_months: int
    method: str
    cutoffs: tuple[float, float]
    """Where A and B end, in percent (of the basis, or of the clients)."""
    currency: str | None
    """The base currency (revenue only)."""
    total: float
    """The whole basis in the window."""
    percents: dict[str, int]
    """Each rank's share of the basis in whole percent, rounded half up (N: 0)."""
    fractions: dict[str, float]
    """The same shares exactly (0…1), for the bars' length."""
    clients: int
    """Clients with something in the window: the chart's width."""
    a_end: int
    b_end: int
    """How many clients are A, and A or B: where the two cut-off lines stand."""
    curve: tuple[tuple[int, float, float], ...] = field(default=())
    """(client's place from 0, its value, cumulative share 0…1 through it), at most CURVE_POINTS."""
    left_out: int = 0
    """Payments in the window that could not be counted (no rate, no amount): said, not hidden."""


def cutoff_text(value: float | Decimal, language: str) -> str:
    """A cut-off as the reader writes it: "80%", "40.5%"; in Russian "80 %", "40,5 %"
    (a space that never breaks)."""
    number = f"{Decimal(str(value)).normalize():f}"
    return f"{number.replace('.', ',')}\u00a0%" if language == "ru" else f"{number}%"


def whole_percent(fraction: Decimal) -> int:
    return int((fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rank_figures(report: RankReport, settings: RankSettings, currency: str | None) -> RankFigures:
    shares = report.shares()
    points = report.pareto.points
    step = max(1, -(-len(points) // CURVE_POINTS))
    picked = range(0, len(points), step)
    left = report.measured.left_out
    cutoffs = settings.method_cutoffs
    return RankFigures(
        basis=settings.basis, window_months=settings.window_months, method=settings.method,
        cutoffs=(float(cutoffs.a), float(cutoffs.b)), currency=currency if settings.basis == "revenue" else None,
        total=float(sum(report.measured.values.values(), Decimal(0))),
        percents={rank: whole_percent(shares[rank].share) for rank in RANKS},
        fractions={rank: float(shares[rank].share) for rank in RANKS},
        clients=len(points), a_end=report.pareto.a_end, b_end=report.pareto.b_end,
        curve=tuple((i, float(points[i].value), float(points[i].cumulative)) for i in picked),
        left_out=sum(left.unknown_currencies.values()) + left.without_amount,
    )


def rank_counters(flat: dict[str, int], figures: RankFigures | None, text: dict[str, str]) -> tuple[Counter, ...]:
    """The A / B / C / N counters: clients, with their share of the basis (revenue by default);
    without figures (a reading run), their share of the clients, as every other mode."""
    if figures is None:
        return mode_counters("ranks", flat, text)
    return tuple(Counter(key, text[f"count.{key}"], flat.get(key, 0), figures.percents[key[5:]],
                         figures.fractions[key[5:]])
                 for key in MODE_COUNTERS["ranks"])


def today_from_query(value: str | None, utc_offset: timezone, now: datetime | None = None) -> date:
    """The classification date: `?today=YYYY-MM-DD` if given, else the current
    date at the portal's UTC offset (not the browser's time zone), because the
    rules count months in portal time."""
    if value is None or value == "":
        return (now or datetime.now(timezone.utc)).astimezone(utc_offset).date()
    try:
        if not _ISO_DATE.fullmatch(value):  # fromisoformat also takes "20261123", "2026-W47-1"
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"?today={value!r} is not a date in the form YYYY-MM-DD") from None


def query_params(search: str) -> dict[str, str]:
    """The page address's parameters as plain Python strings (`location.search`).

    Read here rather than through URLSearchParams, whose `get` answers a JS
    null for a missing parameter: never confused with a value.
    """
    return dict(parse_qsl(search.lstrip("?"), keep_blank_values=True))


def language_href(query: str, language: str) -> str:
    """A link to the same page in another language, keeping the other
    parameters (such as ?today=) as they are."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True) if k != "lang"]
    pairs.append(("lang", language))
    return "?" + urlencode(pairs)
