"""The app's gateway talking to an in-process `Portal`, on the portal's virtual clock.

`VirtualTime` is the gateway's clock seam made of the portal's clock: every
`await sleep()` registers a wake-up time, and whenever all the client's tasks
are waiting, time jumps to the earliest wake-up.  Several requests can then
be in flight at once, as over a real network, and an hour of portal time
passes in seconds of wall time with the same figures every run.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools

from b24clients.rest.transport import Response, TransportLost

from .portal import Portal

SETTLE_TURNS = 50
"""Event-loop turns given to runnable tasks before time jumps (they only ever block on sleeps)."""


class VirtualTime:
    def __init__(self, portal_clock):
        self._clock = portal_clock
        self._sleepers: list[tuple[float, int, asyncio.Future]] = []
        self._order = itertools.count()
        self._driver: asyncio.Task | None = None

    def now(self) -> float:
        return self._clock.now()

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now() + max(0.0, seconds), next(self._order), future))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.ensure_future(self._drive())
        await future

    async def _drive(self) -> None:
        while self._sleepers:
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            wake, _, future = heapq.heappop(self._sleepers)
            if wake > self.now():
                self._clock.advance(wake - self.now())
            if not future.done():
                future.set_result(None)


class InProcessTransport:
    """Requests go straight into the Portal; the answer arrives after the request's
    duration on the virtual clock.  Authenticates as an app user (token) or a webhook."""

    def __init__(self, portal: Portal, clock: VirtualTime, *, user_id: int = 1, webhook: bool = False):
        self.portal, self.clock, self.user_id = portal, clock, user_id
        self.webhook = (user_id, portal.add_webhook(user_id)) if webhook else None
        self._tokens = None if webhook else portal.issue_token(user_id)

    async def send(self, method: str, params: dict) -> Response:
        auth = None if self._tokens is None else self._tokens["access_token"]
        try:
            reply = self.portal.call(method, params, auth=auth, webhook=self.webhook, advance_clock=False)
        except ConnectionResetError as lost:
            await self.clock.sleep(self.portal.costs.network_rtt_s)
            raise TransportLost(str(lost))
        await self.clock.sleep(reply.seconds)
        return Response(reply.status, reply.body)

    async def refresh(self) -> None:
        if self._tokens is not None:
            self._tokens = self.portal.refresh(self._tokens["refresh_token"])
