"""Two tabs, one run (issue 11): the same user's tabs never run two refreshes into one
store.  The tab that gets the Web Lock (`www/locks.js`) runs and tells the others what
it is doing over a BroadcastChannel; a tab that finds the lock taken says so, shows
the other tab's progress, and reloads the result from the store when the lock frees.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import js
from pyodide.ffi import create_proxy


class OneRun:
    def __init__(self, ns: str):
        self.name = f"b24clients-run:{ns}"
        self.channel = js.BroadcastChannel.new(self.name) if hasattr(js, "BroadcastChannel") else None
        self._listener = None

    async def run(self, work: Callable[[], Awaitable[None]]) -> bool:
        """`work()` while holding the lock; False (and nothing run) when another tab holds it."""
        release = await js.b24cLocks.hold(self.name, False)
        if not release:
            return False
        try:
            await work()
        finally:
            release()
            self.tell({"phase": "ended"})
        return True

    async def wait_for_other(self, on_progress: Callable[[dict], None]) -> None:
        """Until the tab that runs lets go: its progress as it comes."""
        def heard(event) -> None:
            try:
                on_progress(json.loads(str(event.data)))
            except ValueError:
                pass

        if self.channel is not None:
            self._listener = create_proxy(heard)
            self.channel.addEventListener("message", self._listener)
        try:
            release = await js.b24cLocks.hold(self.name, True)
            release()
        finally:
            if self.channel is not None and self._listener is not None:
                self.channel.removeEventListener("message", self._listener)
                self._listener.destroy()
                self._listener = None

    def tell(self, progress: dict) -> None:
        """What this tab's run is doing, for the other tabs."""
        if self.channel is not None:
            self.channel.postMessage(json.dumps(progress))
