"""The admin's rank and touch settings (planning.md), as plain data.

Read from a JSON object (or its string) the way `b24clients.settings` reads
the app option: never raising, each missing or unusable field taking its
default on its own, so one bad value cannot stop the ranks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from ..records import number_of
from .basis import BASES, Basis
from .ranking import DEFAULT_CUTOFFS, METHODS, RANKS, Cutoffs, Method, Rank
from .touches import DEFAULT_TOUCH_KINDS, TOUCH_KINDS, TouchKind

MAX_WINDOW_MONTHS = 120
MAX_GAP_DAYS = 3650
MAX_CAPACITY = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Gaps:
    """The longest allowed gap between touches per rank, in days; None: no limit."""

    a: int | None = 30
    b: int | None = 120
    c: int | None = 180
    n: int | None = None

    def of(self, rank: Rank) -> int | None:
        return getattr(self, rank.lower())


@dataclass(frozen=True, slots=True)
class RankSettings:
    basis: Basis = "revenue"
    window_months: int = 12
    """The rolling window, in calendar months back from today."""
    method: Method = "cumulative"
    cutoffs: Mapping[Method, Cutoffs] = field(default_factory=lambda: dict(DEFAULT_CUTOFFS))
    """Each method's own pair, so switching the method back and forth keeps both."""
    gaps: Gaps = Gaps()
    touch_kinds: frozenset[TouchKind] = DEFAULT_TOUCH_KINDS
    capacity: int = 8
    """Open activities a manager can handle in a day: the load calendar marks days past it."""

    @property
    def method_cutoffs(self) -> Cutoffs:
        return self.cutoffs[self.method]


DEFAULTS = RankSettings()


def from_json(value: object) -> RankSettings:
    """The settings in a JSON object, a JSON string of one, or anything else (defaults)."""
    data = _as_mapping(value)
    return RankSettings(
        basis=_choice(data.get("basis"), BASES, DEFAULTS.basis),
        window_months=_whole(data.get("window_months"), 1, MAX_WINDOW_MONTHS, DEFAULTS.window_months),
        method=_choice(data.get("method"), METHODS, DEFAULTS.method),
        cutoffs={method: _cutoffs(data.get(f"{method}_cutoffs"), DEFAULT_CUTOFFS[method]) for method in METHODS},
        gaps=_gaps(data.get("gaps")),
        touch_kinds=_kinds(data.get("touch_kinds")),
        capacity=_whole(data.get("capacity"), 1, MAX_CAPACITY, DEFAULTS.capacity),
    )


def to_json(settings: RankSettings) -> dict:
    """A JSON-ready object that `from_json` reads back to the same settings."""
    return {
        "basis": settings.basis,
        "window_months": settings.window_months,
        "method": settings.method,
        **{f"{m}_cutoffs": [_number(c.a), _number(c.b)] for m, c in settings.cutoffs.items()},
        "gaps": {rank: settings.gaps.of(rank) for rank in RANKS},
        "touch_kinds": sorted(settings.touch_kinds),
        "capacity": settings.capacity,
    }


def _as_mapping(value: object) -> Mapping:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, Mapping) else {}


def _choice(value: object, choices: tuple[T, ...], default: T) -> T:
    return next((choice for choice in choices if choice == value), default)


def _whole(value: object, low: int, high: int, default: int | None) -> int | None:
    """A whole number in low…high ("12", 12.0 and 12 alike), else the default."""
    if isinstance(value, bool):
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and low <= value <= high else default




def _cutoffs(value: object, default: Cutoffs) -> Cutoffs:
    """A pair [A, B] of percents; a pair that contradicts itself is dropped whole."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return default
    a, b = (number_of(v) for v in value)
    if a is None or b is None or not 0 < a <= b <= 100:
        return default
    return Cutoffs(a, b)


def _gaps(value: object) -> Gaps:
    """{"A": 30, "B": 120, "C": 180, "N": null}: each rank on its own; null means no limit."""
    data = value if isinstance(value, Mapping) else {}
    days = {}
    for rank in RANKS:
        default = DEFAULTS.gaps.of(rank)
        raw = data.get(rank, default)
        days[rank.lower()] = None if raw is None else _whole(raw, 1, MAX_GAP_DAYS, default)
    return Gaps(**days)


def _kinds(value: object) -> frozenset[TouchKind]:
    """Known kinds only; a list with none of them counts calls, as by default."""
    if not isinstance(value, (list, tuple)):
        return DEFAULTS.touch_kinds
    kinds = frozenset(k for k in value if isinstance(k, str) and k in TOUCH_KINDS)
    return kinds or DEFAULTS.touch_kinds


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
