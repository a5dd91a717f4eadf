"""What makes a Bitrix24 portal slow to read: the clock, the leaky bucket,
the per-method operating baskets, and what each call costs.

Reference: bitrix24-rest.md §4 (limits), spec/portal-sim.md (cost model).
Everything runs on a `Clock`, which is virtual in tests and benchmarks (it
advances by the cost of each call and by the client's sleeps) and real over
HTTP unless a time scale is asked for.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


class VirtualClock:
    """Portal time that moves only when a call costs something or a client sleeps."""

    def __init__(self, start: float = 1_795_000_000.0):
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += max(0.0, seconds)

    def sleep(self, seconds: float) -> None:
        """A client's sleep: on a virtual clock it costs no wall time."""
        self.advance(seconds)

    def travel(self, seconds: float) -> None:
        """Time travel (Portal.travel): portal time jumps forward at once."""
        self.advance(seconds)


class RealClock:
    """Wall-clock time, optionally sped up (`scale` portal seconds per real second)."""

    def __init__(self, scale: float = 1.0):
        self.scale = scale
        self._origin_real = time.time()
        self._travelled = 0.0

    def now(self) -> float:
        return self._origin_real + (time.time() - self._origin_real) * self.scale + self._travelled

    def advance(self, seconds: float) -> None:
        """Real time passes by itself; the cost of a call is slept out, scaled."""
        if seconds > 0:
            time.sleep(seconds / self.scale)

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def travel(self, seconds: float) -> None:
        """Time travel (Portal.travel): portal time jumps forward; real time does not wait."""
        self._travelled += max(0.0, seconds)


@dataclass(frozen=True)
class Plan:
    """Leaky bucket and operating limit of a tariff (bitrix24-rest.md §4.1, §4.2)."""

    bucket_size: float = 50
    drain_per_s: float = 2
    operating_limit_s: float = 480
    operating_window_s: float = 600
    basket_s: float = 60
    enabled: bool = True


PLANS = {
    "standard": Plan(),
    "enterprise": Plan(bucket_size=250, drain_per_s=5),
    "off": Plan(enabled=False),
}


@dataclass(frozen=True)
class CostModel:
    """Simulated server seconds per call (spec/portal-sim.md), printed by every benchmark."""

    list_page_s: float = 0.06
    count_per_row_s: float = 20.9e-6
    get_s: float = 0.03
    update_s: float = 0.05
    userfield_add_s: float = 0.2
    other_s: float = 0.02
    network_rtt_s: float = 0.08

    def list_page(self, counted_rows: int | None) -> float:
        """A list page; counting the matches (any `start` but -1) costs per matching row."""
        extra = counted_rows * self.count_per_row_s if counted_rows is not None else 0.0
        return self.list_page_s + extra


class LeakyBucket:
    """One counter per portal: +1 per HTTP request, drained continuously;
    past the threshold the request is refused with 503 and not counted."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.level = 0.0
        self._at: float | None = None

    def admit(self, now: float) -> bool:
        if not self.plan.enabled:
            return True
        if self._at is not None:
            self.level = max(0.0, self.level - (now - self._at) * self.plan.drain_per_s)
        self._at = now
        if self.level + 1 > self.plan.bucket_size:
            return False
        self.level += 1
        return True


@dataclass
class _Basket:
    started: float
    seconds: float = 0.0


@dataclass
class OperatingMeter:
    """Per (app or webhook, method): ten one-minute baskets of execution time."""

    plan: Plan
    _baskets: dict[tuple[str, str], list[_Basket]] = field(default_factory=dict)

    def _live(self, key: tuple[str, str], now: float) -> list[_Basket]:
        baskets = [b for b in self._baskets.get(key, []) if b.started + self.plan.operating_window_s > now]
        self._baskets[key] = baskets
        return baskets

    def used(self, key: tuple[str, str], now: float) -> float:
        return sum(b.seconds for b in self._live(key, now))

    def blocked(self, key: tuple[str, str], now: float) -> bool:
        """Checked before a call: the call that crosses the limit still runs."""
        return self.plan.enabled and self.used(key, now) > self.plan.operating_limit_s

    def record(self, key: tuple[str, str], now: float, seconds: float) -> None:
        baskets = self._live(key, now)
        if not baskets or baskets[-1].started + self.plan.basket_s <= now:
            baskets.append(_Basket(started=now))
        baskets[-1].seconds += seconds

    def reset_at(self, key: tuple[str, str], now: float) -> int:
        """When the oldest basket drops out (unix seconds, an int as the cloud sends it)."""
        baskets = self._live(key, now)
        oldest = baskets[0].started if baskets else now
        return int(oldest + self.plan.operating_window_s)
