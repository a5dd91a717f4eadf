"""Where the ledger lives between passes: chunks in the admins-only `ledger`
storage, listed by the portal pass's mark in `app.option` (`ladder_pass`).

It is a `ProgressStore` (store.py), like the sync engine's, with the same
promise: `commit(meta, chunk)` saves a chunk and the mark together, so a pass
killed at any point leaves either the old mark with its chunks or the new one
with one more.  The chunk item is added first and the mark, which lists the
items that count, is written after it; an item the mark does not list (a pass
killed between the two) is ignored, and deleted at the next compaction.

Every device and every admin reads the same ledger: a second device's pass
goes on from the shared mark instead of reading the whole CRM again.
"""

from __future__ import annotations

import json

from ...rest.gateway import Gateway
from . import storage
from .storage import LEDGER

OPTION = "ladder_pass"
"""The app.option holding the portal pass's mark (admins write app.option; only they run that pass)."""
ROWS_PER_CHUNK = 2000
"""Rows per chunk when many are written at once (a first read, a compaction, the starting point)."""


class LedgerStore:
    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self._items: list[int] | None = None
        """The chunk items the mark lists, once loaded or written."""
        self._base = 0
        """How many of them the last compaction wrote (the rest came one pass at a time)."""

    async def load(self) -> tuple[dict | None, list[dict]]:
        meta = await self._current()
        if meta is None:
            return None, []
        found = {item.id: item for item in await storage.items(self.gateway, LEDGER, {"NAME": "ledger"})}
        if any(item_id not in found for item_id in self._items):
            self._items = []
            return None, []  # a chunk is missing: start over rather than derive from half the history
        chunks = [found[item_id].data() for item_id in self._items]
        return meta, [chunk for chunk in chunks if isinstance(chunk, dict)]

    async def commit(self, meta: dict, chunk: dict | None = None) -> None:
        await self.append(meta, [chunk] if chunk else [])

    async def append(self, meta: dict, chunks: list[dict]) -> None:
        """Chunks, then the mark listing them (once, however many chunks)."""
        if self._items is None:
            await self._current()
        self._items += await storage.add_texts(self.gateway, LEDGER, [("ledger", chunk) for chunk in chunks])
        await self._set(meta)

    async def replace(self, meta: dict, chunks: list[dict]) -> None:
        """Compaction: the new chunks, then the mark listing only them, then every other item goes."""
        self._items = await storage.add_texts(self.gateway, LEDGER, [("ledger", chunk) for chunk in chunks])
        self._base = len(self._items)
        await self._set(meta)
        stale = [item.id for item in await storage.items(self.gateway, LEDGER, {"NAME": "ledger"})
                 if item.id not in self._items]
        await storage.delete_many(self.gateway, LEDGER, stale)

    @property
    def added(self) -> int:
        """Chunks written one pass at a time since the last compaction."""
        return len(self._items or ()) - self._base

    async def _current(self) -> dict | None:
        """The stored mark without its item list (kept apart); None when there is none."""
        meta = read_mark((await self.gateway.call("app.option.get", {"option": OPTION})).result)
        self._items = list((meta or {}).pop("_items", []))
        self._base = int((meta or {}).pop("_base", 0) or 0)
        return meta

    async def _set(self, meta: dict) -> None:
        value = json.dumps({**meta, "_items": self._items, "_base": self._base}, separators=(",", ":"))
        await self.gateway.call("app.option.set", {"options": {OPTION: value}})


def read_mark(value: object) -> dict | None:
    """The stored mark (a JSON string, or the object BX24 already parsed); None when absent or unreadable."""
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
