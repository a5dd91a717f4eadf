"""Driving third-party Bitrix24 clients (fast-bitrix24, b24pysdk) against the
simulator's HTTP face: webhooks per user, a fresh client per run, what each
run cost the portal.

Nothing here changes how a client talks to the portal; it only builds the
URLs and credentials a user of that client would pass, and reads the
portal's own counters and clock.
"""

from __future__ import annotations

import asyncio
import math
import warnings
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from b24sim.portal import PAGE, Portal

BATCH = 50


def webhook_url(server, user_id: int) -> str:
    """A new incoming webhook of `user_id`, as the portal's UI would hand it out."""
    code = server.portal.add_webhook(user_id)
    return f"{server.base_url}/rest/{user_id}/{code}/"


def b24pysdk_webhook(url: str):
    """b24pysdk's credentials for a webhook URL: the portal's host:port and `user_id/code`."""
    from b24pysdk import BitrixWebhook

    parts = urlsplit(url)
    user_id, code = parts.path.strip("/").split("/")[-2:]
    return BitrixWebhook(domain=parts.netloc, webhook_token=f"{user_id}/{code}")


def fast_bitrix24_run(url: str, work: Callable[[object], Awaitable], **options) -> tuple[object, list]:
    """Run `work(bitrix)` with a fresh `fast_bitrix24.BitrixAsync` in an event loop of its own
    (the sync `Bitrix` wraps the same coroutines); returns the result and the warnings it raised.
    A loop per run means nothing the client left pending can outlive the test."""
    from fast_bitrix24 import BitrixAsync

    async def main():
        return await work(BitrixAsync(url, verbose=False, **options))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = asyncio.run(main())
    return result, caught


@dataclass
class Meter:
    """What one client run cost the portal: HTTP requests, batch sub-calls, 503s, portal seconds."""

    counters: dict = field(default_factory=dict)
    portal_s: float = 0.0

    @property
    def requests(self) -> int:
        return self.counters.get("requests", 0)

    def line(self, label: str) -> str:
        c = self.counters
        return (f"{label:<48} {c.get('requests', 0):>4} HTTP requests, {c.get('sub_calls', 0):>4} batch sub-calls, "
                f"{c.get('http_503', 0):>3}x503, {self.portal_s:8.2f} s portal time")


@contextmanager
def metered(portal: Portal):
    meter = Meter()
    before, start = dict(portal.counters), portal.clock.now()
    try:
        yield meter
    finally:
        meter.counters = {k: portal.counters[k] - before.get(k, 0) for k in portal.counters}
        meter.portal_s = portal.clock.now() - start


def fill_bucket(portal: Portal) -> None:
    """Another app on the same IP has just used the whole leaky bucket (bitrix24-rest.md §4.1:
    the counter is per portal and source IP, shared by every app there)."""
    user_id = next(iter(portal.users))
    code = portal.add_webhook(user_id)
    while portal.call("user.current", {}, webhook=(user_id, code)).status != 503:
        pass


def ids(rows) -> list[int]:
    return sorted(int(r["ID"]) for r in rows)


def pages(n: int) -> int:
    return max(1, math.ceil(n / PAGE))
