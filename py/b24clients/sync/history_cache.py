"""A client's history at once from its last read, refreshed behind it (spec/history.md "Speed":
"The history of a client opened before appears at once from the cache, marked with its date").

The cache keeps the rows of the last read, not the built table: the page rebuilds
them at the moment it shows them (what is overdue moves on), and a new core with new
columns reads old rows.  Where the rows live is an adapter's business behind the
`HistoryCache` seam: IndexedDB per user in the browser (the page's), a dict here.

The payload, `b24c-history/1`, is plain JSON:

    {"format": "b24c-history/1",
     "client": ["company", 42],
     "include_companies": false,
     "read_at": "2026-11-23T09:00:00+03:00",       the portal's clock when the read began
     "rows": {"bindings": [...], "statuses": [...], "deals": [...], "invoices": [...],
              "legacy_invoices": [...], "activities": [...], "documents": [...],
              "comments": [...]}}                    REST rows as the portal sent them

Any other format, or a payload that does not hold together, is no cache at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Protocol

from ..history import Fetched, History, build_history
from ..model import COMPANY, CONTACT, Ref
from ..rest.gateway import Gateway
from .history import ClientHistory, read_history

PAYLOAD_FORMAT = "b24c-history/1"
SOURCES = tuple(f.name for f in fields(Fetched))


class PayloadError(ValueError):
    """A cached payload this version cannot read."""


class HistoryCache(Protocol):
    """Where the last read of each client is kept (per user: the adapter's namespace)."""

    async def load(self, client: Ref) -> tuple[datetime, dict] | None:
        """(when it was read, the payload) of the client's last saved read, or None."""

    async def save(self, client: Ref, payload: dict) -> None:
        """Keep `payload` as the client's last read; its `read_at` (`saved_at(payload)`) is
        the moment `load` gives back."""


class MemoryHistoryCache:
    """A HistoryCache in a dict: tests, and a page that has no IndexedDB."""

    def __init__(self) -> None:
        self.payloads: dict[Ref, dict] = {}

    async def load(self, client: Ref) -> tuple[datetime, dict] | None:
        payload = self.payloads.get(client)
        return None if payload is None else (saved_at(payload), payload)

    async def save(self, client: Ref, payload: dict) -> None:
        self.payloads[client] = payload


def to_payload(read: ClientHistory) -> dict:
    entity, record_id = read.history.scope.client
    return {"format": PAYLOAD_FORMAT, "client": [entity, record_id], "include_companies": read.include_companies,
            "read_at": read.read_at.isoformat(),
            "rows": {source: list(getattr(read.fetched, source)) for source in SOURCES}}


def saved_at(payload: Mapping) -> datetime:
    """When the payload's rows were read (aware, the portal's offset); PayloadError if it does not say."""
    try:
        moment = datetime.fromisoformat(str(payload["read_at"]))
    except (KeyError, ValueError) as error:
        raise PayloadError(f"no readable read_at: {error}") from None
    if moment.tzinfo is None:
        raise PayloadError("read_at has no offset")
    return moment


def from_payload(payload: object, now: datetime) -> ClientHistory:
    """The cached read, its history rebuilt at `now`.  PayloadError when it is not a
    `b24c-history/1` payload that holds together."""
    if not isinstance(payload, Mapping) or payload.get("format") != PAYLOAD_FORMAT:
        raise PayloadError("not a b24c-history/1 payload")
    client = _client(payload.get("client"))
    rows = payload.get("rows")
    if not isinstance(rows, Mapping) or not all(isinstance(rows.get(s, []), list) for s in SOURCES):
        raise PayloadError("rows must map each source to a list")
    fetched = Fetched(**{source: list(rows.get(source, [])) for source in SOURCES})
    read_at = saved_at(payload)
    include = bool(payload.get("include_companies"))
    history = build_history(client, fetched, read_at.tzinfo, now, include)
    return ClientHistory(history, fetched, read_at, include)


def _client(value: object) -> Ref:
    if (isinstance(value, list) and len(value) == 2 and value[0] in (COMPANY, CONTACT)
            and isinstance(value[1], int) and not isinstance(value[1], bool)):
        return (value[0], value[1])
    raise PayloadError(f"client must be [\"company\"|\"contact\", id], not {value!r}")


@dataclass(frozen=True)
class Shown:
    """A history to draw, and how current it is."""

    history: History
    as_of: datetime
    """When its rows were read: the page's "as of" mark."""
    fresh: bool
    """False: from the cache, a read is under way; True: just read (and saved)."""


async def open_history(gateway: Gateway, cache: HistoryCache, client: Ref, *, include_companies: bool = False,
                       now: datetime | None = None, legacy_invoices: bool = True) -> AsyncIterator[Shown]:
    """The client's history as the page draws it: first the cached one (before any request,
    when this user read this client before with the same toggle), then a fresh read,
    which is saved.  A failed read raises after the cached history was given: the page
    keeps it and says the refresh failed.

    `now` (aware) decides what is overdue; by default the portal's clock for the fresh
    read and the device's for the cached one."""
    cached = await cache.load(client)
    if cached is not None:
        try:
            read_at, payload = cached
            old = from_payload(payload, now or datetime.now(read_at.tzinfo))
        except PayloadError:
            old = None
        if old is not None and old.include_companies == include_companies and old.history.scope.client == client:
            yield Shown(old.history, old.read_at, fresh=False)
    read = await read_history(gateway, client, include_companies=include_companies, now=now,
                              legacy_invoices=legacy_invoices)
    await cache.save(client, to_payload(read))
    yield Shown(read.history, read.read_at, fresh=True)
