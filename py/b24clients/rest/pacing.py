"""Staying inside the portal's limits so that a normal run never gets 503 or 429.

The client keeps a mirror of both server-side meters (bitrix24-rest.md §4):
the leaky bucket (+1 per HTTP request, draining at 2/s, 50 deep) and, per
method, ten one-minute baskets of execution time (480 s per 10 minutes).
Each answer's `time.processing` feeds the basket mirror; a larger `operating`
figure than ours (other users of the same app) is folded in as well.
Before a request goes out, `wait_for` says how long to hold it.

The bucket is the portal's, shared by every page and user behind one address;
a new page would otherwise take it for empty.  Pages of one browser keep its
level in a `SharedLevel` (the page's: localStorage), so a reload or a second
tab goes on from where the last one left it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


def cost_class(method: str, params: Mapping) -> str:
    """What a call's cost is learnt under: its method, and apart from it a list page asked
    with `start=-1`.  Such a page does not count its rows and costs a fraction of one that
    does (the cost model: 0.06 s against 0.06 s + 20.9 µs a matching row); learnt together,
    a reader's one count of 250,000 contacts made each uncounted page of it look fifty times
    dearer, and its batches waited out whole operating windows they never needed."""
    return f"{method} start=-1" if str(params.get("start")) == "-1" else method


@dataclass(frozen=True)
class Limits:
    bucket_size: float = 50
    drain_per_s: float = 2
    bucket_margin: float = 2
    """Requests kept in reserve: clocks differ and other tabs share the bucket."""
    operating_budget_s: float = 480
    operating_window_s: float = 600
    basket_s: float = 60
    operating_share: float = 0.98
    """Fraction of the budget we plan to use."""


@dataclass
class _Basket:
    started: float
    seconds: float = 0.0


@dataclass
class MethodMeter:
    """Our mirror of one method's operating baskets."""

    limits: Limits
    baskets: list[_Basket] = field(default_factory=list)
    reserved: float = 0.0
    """Estimated seconds of requests in flight."""

    def _live(self, now: float) -> list[_Basket]:
        self.baskets = [b for b in self.baskets if b.started + self.limits.operating_window_s > now]
        return self.baskets

    def used(self, now: float) -> float:
        return sum(b.seconds for b in self._live(now))

    def add(self, now: float, seconds: float) -> None:
        live = self._live(now)
        if not live or live[-1].started + self.limits.basket_s <= now:
            live.append(_Basket(now))
        live[-1].seconds += seconds

    def wait_for(self, now: float, demand: float) -> float:
        """Seconds until `demand` more seconds fit under the planned share of the budget.
        A demand of more than the whole share goes once the method is idle: it can never
        fit, and waiting for it to would be waiting for ever."""
        allowed = self.limits.operating_budget_s * self.limits.operating_share
        excess = self.used(now) + self.reserved + min(demand, allowed) - allowed
        if excess <= 0:
            return 0.0
        for basket in self.baskets:
            excess -= basket.seconds
            if excess <= 0:
                return basket.started + self.limits.operating_window_s - now
        return self.limits.operating_window_s


class SharedLevel(Protocol):
    """The bucket mirror's level and the `now` it was taken at, kept beyond one pacer."""

    def load(self) -> tuple[float, float] | None: ...

    def save(self, level: float, at: float) -> None: ...


class MemoryLevel:
    """A level kept in memory, for gateways of one process that stand for pages of one
    browser (the benchmark's, the tests')."""

    def __init__(self) -> None:
        self.kept: tuple[float, float] | None = None

    def load(self) -> tuple[float, float] | None:
        return self.kept

    def save(self, level: float, at: float) -> None:
        self.kept = (level, at)


class Pacer:
    def __init__(self, limits: Limits = Limits(), shared: SharedLevel | None = None):
        self.limits = limits
        self.level = 0.0
        self._level_at: float | None = None
        self.shared = shared
        self.meters: dict[str, MethodMeter] = {}
        self.cost: dict[str, float] = {}
        """Average processing seconds per call of each `cost_class`, learnt from answers."""

    def meter(self, method: str) -> MethodMeter:
        return self.meters.setdefault(method, MethodMeter(self.limits))

    def estimate(self, kind: str) -> float:
        return self.cost.get(kind, 0.1)

    def demands(self, calls: Mapping[tuple[str, str], int]) -> dict[str, float]:
        """The operating seconds a request will cost each method: `calls` counts its
        (method, cost class) pairs."""
        seconds: dict[str, float] = {}
        for (method, kind), n in calls.items():
            seconds[method] = seconds.get(method, 0.0) + n * self.estimate(kind)
        return seconds

    def _drained(self, now: float) -> float:
        if self.shared is not None and (kept := self.shared.load()) is not None:
            self.level, self._level_at = kept  # it holds this pacer's requests and the other pages'
        if self._level_at is not None:
            self.level = max(0.0, self.level - max(0.0, now - self._level_at) * self.limits.drain_per_s)
        self._level_at = now
        return self.level

    def _keep(self) -> None:
        if self.shared is not None:
            self.shared.save(self.level, self._level_at or 0.0)

    def room(self, now: float) -> int:
        """Requests that may go at once now without waiting for the bucket."""
        return max(0, int(self.limits.bucket_size - self.limits.bucket_margin - self._drained(now)))

    def wait_for(self, now: float, demands: dict[str, float]) -> float:
        """How long to hold a request that will cost `demands` seconds per method."""
        room = self.limits.bucket_size - self.limits.bucket_margin
        bucket = max(0.0, (self._drained(now) + 1 - room) / self.limits.drain_per_s)
        operating = max((self.meter(m).wait_for(now, s) for m, s in demands.items()), default=0.0)
        return max(bucket, operating)

    def send(self, now: float, demands: dict[str, float]) -> None:
        self._drained(now)
        self.level += 1
        self._keep()
        for method, seconds in demands.items():
            self.meter(method).reserved += seconds

    def settle(self, demands: dict[str, float]) -> None:
        for method, seconds in demands.items():
            meter = self.meter(method)
            meter.reserved = max(0.0, meter.reserved - seconds)

    def observe(self, now: float, method: str, time_block: object, kind: str | None = None) -> None:
        """An answer's `time` block for one method (a call or one batch command) of a
        `cost_class` (`kind`, the method itself if not given)."""
        if not isinstance(time_block, dict):
            return
        processing = float(time_block.get("processing") or 0.0)
        meter = self.meter(method)
        meter.add(now, processing)
        kind = kind or method
        self.cost[kind] = 0.8 * self.cost.get(kind, processing) + 0.2 * processing
        reported = time_block.get("operating")
        known = meter.used(now) + meter.reserved  # the portal's figure already holds our requests in flight
        if isinstance(reported, (int, float)) and reported > known:
            meter.add(now, float(reported) - known)  # someone else (another tab, user or app) spends it too

    def refused(self, now: float) -> None:
        """A 503: the bucket is full whatever our mirror says."""
        self._drained(now)
        self.level = self.limits.bucket_size
        self._keep()

    def blocked(self, now: float, method: str) -> None:
        """A 429 for `method`: our mirror was short; count it as full."""
        meter = self.meter(method)
        meter.add(now, max(0.0, self.limits.operating_budget_s - meter.used(now)))
