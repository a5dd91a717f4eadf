"""Time as the gateway sees it: `now()` and `await sleep(seconds)`.

Injected so that the same pacing code runs on the wall clock (browser,
command line) and on the simulated portal's virtual clock (tests, benchmark),
where an hour of portal time passes in seconds.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
