"""The progress store in the browser: IndexedDB through `www/idb.js` (`window.b24cIdb`).

Implements `sync.store.ProgressStore` (load / commit / replace) for one
namespace, "MEMBER_ID:USER_ID", so one user's cache is never read for
another.  Each operation is one call into JS and one IndexedDB transaction;
aggregates cross the FFI as one chunk of UTF-8 JSON bytes each (json.dumps /
loads here, at C speed), never as a graph of proxies, and never as a big
str: Pyodide turns a str with non-ASCII text into a JS string slowly and in
one task (the 85k dashboard's 6 MB took 2 s), while bytes are copied at
memory speed both ways.  Chunks kept as JSON strings by earlier versions
still load.

Besides progress, the store keeps the last dashboard the user saw (`views`),
which boot.js paints before Python starts.  Every failure of IndexedDB
(private mode, quota, another tab blocking an upgrade) arrives as an
exception whose text begins with "IndexedDB", so the page can say so.
"""

from __future__ import annotations

import json

import js
from pyodide.ffi import JsException, to_js


class StorageError(Exception):
    """IndexedDB refused (its message says why, starting with "IndexedDB")."""


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _stored(value):
    """A chunk as IndexedDB keeps it: its JSON as UTF-8 in a Uint8Array."""
    data = _dumps(value).encode()
    array = js.Uint8Array.new(len(data))
    array.assign(data)
    return array


def _parsed(stored):
    """A chunk read back: bytes as `_stored` keeps them, or a JSON string as kept before."""
    return json.loads(stored if isinstance(stored, str) else stored.to_bytes())


def _text(value) -> str | None:
    """A JS string, or None for null / undefined (which Pyodide gives as jsnull / None)."""
    return value if isinstance(value, str) else None


class IndexedDbStore:
    def __init__(self, ns: str, idb=None, *, pause=None):
        if not ns:
            raise ValueError("IndexedDbStore needs a namespace (MEMBER_ID:USER_ID)")
        self.ns = ns
        if idb is None:
            import js

            idb = js.b24cIdb
        self._idb = idb
        self._pause = pause
        """Awaited between two parsed chunks on load (a page paints in between)."""

    async def _do(self, promise):
        try:
            return await promise
        except JsException as error:
            raise StorageError(_message(error)) from None

    # --- ProgressStore ------------------------------------------------------------

    async def load(self) -> tuple[dict | None, list[dict]]:
        answer = await self._do(self._idb.load(self.ns))
        meta = _text(answer.meta)
        parsed = []
        for chunk in answer.chunks:  # a JS array: a string arrives as str, a Uint8Array as a proxy
            parsed.append(_parsed(chunk))
            if self._pause is not None:
                await self._pause()
        return (json.loads(meta) if meta is not None else None), parsed

    async def load_meta(self) -> dict | None:
        """The marks alone: whether a run finished, without parsing every chunk."""
        meta = _text(await self._do(self._idb.loadMeta(self.ns)))
        return json.loads(meta) if meta is not None else None

    async def commit(self, meta: dict, chunk: dict | None = None) -> None:
        await self._do(self._idb.commit(self.ns, _dumps(meta), _stored(chunk) if chunk else None))

    async def replace(self, meta: dict, chunks: list[dict]) -> None:
        stored = []
        for chunk in chunks:
            stored.append(_stored(chunk))
            if self._pause is not None:
                await self._pause()
        await self._do(self._idb.replace(self.ns, _dumps(meta), to_js(stored)))

    # --- beyond the protocol ----------------------------------------------------------

    async def clear(self) -> None:
        """Forget everything of this namespace: progress and the saved view."""
        await self._do(self._idb.clear(self.ns))

    async def save_view(self, html: str, saved_at_iso: str, lang: str) -> None:
        record = to_js({"html": html, "savedAt": saved_at_iso, "lang": lang},
                       dict_converter=_object_from_entries())
        await self._do(self._idb.saveView(self.ns, record))

    async def load_view(self) -> dict | None:
        """{"html", "savedAt", "lang"} of the last saved dashboard, or None."""
        record = await self._do(self._idb.loadView(self.ns))
        if record is None or not hasattr(record, "html"):
            return None
        return {"html": _text(record.html) or "", "savedAt": _text(record.savedAt) or "",
                "lang": _text(record.lang) or ""}


def _object_from_entries():
    import js

    return js.Object.fromEntries


def _message(error: JsException) -> str:
    text = str(error)
    # str(JsException) is "Error: IndexedDB: ..." — keep the sentence, drop the JS class.
    for prefix in ("Error: ", "IndexedDbError: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text if text.startswith("IndexedDB") else f"IndexedDB: {text}"


class IndexedDbHistoryCache:
    """`sync.history_cache.HistoryCache` in IndexedDB: each client's last read under this
    user's namespace ("MEMBER_ID:USER_ID#history:company:42"), with the page's own extras
    (the header's values, the names of the people in it) so that a cached page needs no
    request at all before it is painted.  One IndexedDB read per client and page."""

    def __init__(self, ns: str, idb=None):
        self.ns, self._idb = ns, idb
        self._read: dict = {}

    def _store(self, client) -> IndexedDbStore:
        entity, record_id = client
        return IndexedDbStore(f"{self.ns}#history:{entity}:{record_id}", self._idb)

    async def _saved(self, client) -> tuple[dict, list]:
        if client not in self._read:
            meta, chunks = await self._store(client).load()
            self._read[client] = (meta or {}, chunks)
        return self._read[client]

    async def load(self, client):
        from datetime import datetime

        meta, chunks = await self._saved(client)
        if not chunks or not meta.get("read_at"):
            return None
        return datetime.fromisoformat(meta["read_at"]), chunks[0]

    async def save(self, client, payload: dict) -> None:
        meta, _ = await self._saved(client)
        meta = {**meta, "read_at": payload.get("read_at")}
        await self._store(client).replace(meta, [payload])
        self._read[client] = (meta, [payload])

    async def extras(self, client) -> dict:
        meta, _ = await self._saved(client)
        return dict(meta.get("extras") or {})

    async def keep_extras(self, client, extras: dict) -> None:
        meta, chunks = await self._saved(client)
        meta = {**meta, "extras": extras}
        await self._store(client).replace(meta, chunks)
        self._read[client] = (meta, chunks)
