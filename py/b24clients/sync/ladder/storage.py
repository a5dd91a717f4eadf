"""The app's `entity` storages (next-features.md §B.2.1): what the ladder keeps
outside the CRM's records, where every device and every user finds it.

- **sync** (every user writes, `AU: W`): the daily lock, the claims that let
  one digest a day through per manager, and the news a portal pass leaves for
  a manager whose digest someone else sent (`ladder_claims.py`).
- **status** (every user reads, `AU: R`): the statuses the last portal pass
  derived, with next drops and the last year's changes, for the screens and
  the managers' passes (`ladder_status.py`).
- **ledger** (admins only): the history the portal pass derives statuses from
  (`ladder_ledger.py`, `ladder_store.py`); it holds touches and deals that a
  restricted user may not see, so nobody else reads it.

Items carry their data in `NAME` (what the item is), `CODE` (a short state)
and `DETAIL_TEXT` (JSON); no properties are declared, so installing needs
nothing but `entity.add`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ...rest.errors import RestError
from ...rest.gateway import MAX_BATCH, PAGE, Gateway

SYNC, STATUS, LEDGER = "b24clsync", "b24clstatus", "b24clledger"
STORAGES: Mapping[str, tuple[str, dict[str, str]]] = {
    SYNC: ("Clients: daily pass", {"AU": "W"}),
    STATUS: ("Clients: statuses", {"AU": "R"}),
    LEDGER: ("Clients: status history", {}),
}
"""Code → (name, access).  The creator and portal admins always manage a storage."""


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    name: str
    code: str
    text: str
    changed: datetime | None
    """TIMESTAMP_X: when it was last written (the portal's clock)."""
    created_by: int

    def data(self) -> object:
        """DETAIL_TEXT as JSON; None when it holds none."""
        try:
            return json.loads(self.text) if self.text else None
        except ValueError:
            return None


async def ensure_storages(gateway: Gateway) -> list[str]:
    """Create the storages that do not exist yet; the codes created."""
    existing = {str(row.get("ENTITY")).lower() for row in (await gateway.call("entity.get")).result or []}
    created = []
    for code, (name, access) in STORAGES.items():
        if code not in existing:
            await gateway.call("entity.add", {"ENTITY": code, "NAME": name, "ACCESS": access})
            created.append(code)
    return created


async def items(gateway: Gateway, storage: str, flt: Mapping | None = None) -> list[Item]:
    """Every item matching `flt`, by ascending ID: the first page tells how many
    there are, the others come in one batch."""
    params = {"ENTITY": storage, "SORT": {"ID": "ASC"}, "FILTER": dict(flt or {})}
    answer = await gateway.call("entity.item.get", params)
    rows = list(answer.result or [])
    starts = list(range(PAGE, answer.total or 0, PAGE))
    for i in range(0, len(starts), MAX_BATCH):
        part = starts[i:i + MAX_BATCH]
        batch = await gateway.batch({f"p{start}": ("entity.item.get", {**params, "start": start}) for start in part})
        _raise_first(batch.errors, "entity.item.get")
        for start in part:
            rows.extend(batch.results.get(f"p{start}") or [])
    return sorted((_item(row) for row in rows), key=lambda item: item.id)


async def add(gateway: Gateway, storage: str, name: str, *, code: str = "", data: object = None) -> int:
    params = {"ENTITY": storage, "NAME": name, "CODE": code}
    if data is not None:
        params["DETAIL_TEXT"] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return int((await gateway.call("entity.item.add", params)).result)


TEXTS_PER_BATCH = 5
"""Items with a large text sent together (each travels URL-encoded in the batch): a few MB a request."""


async def add_texts(gateway: Gateway, storage: str, items: list[tuple[str, object]]) -> list[int]:
    """Items (name, JSON data), a few to a batch, several batches at once; their IDs in the same order."""
    parts = [items[i:i + TEXTS_PER_BATCH] for i in range(0, len(items), TEXTS_PER_BATCH)]

    async def send(part: list[tuple[str, object]]) -> list[int]:
        batch = await gateway.batch({f"t{n}": ("entity.item.add", {
            "ENTITY": storage, "NAME": name, "DETAIL_TEXT": json.dumps(data, ensure_ascii=False, separators=(",", ":"))})
            for n, (name, data) in enumerate(part)})
        _raise_first(batch.errors, "entity.item.add")
        return [int(batch.results[f"t{n}"]) for n in range(len(part))]

    return [item_id for ids in await asyncio.gather(*(send(part) for part in parts)) for item_id in ids]


async def add_many(gateway: Gateway, storage: str, names: list[str], *, code: str = "") -> dict[str, int]:
    """Small items, 50 to a batch; name → new item ID."""
    ids: dict[str, int] = {}
    for i in range(0, len(names), MAX_BATCH):
        part = names[i:i + MAX_BATCH]
        batch = await gateway.batch({f"a{n}": ("entity.item.add", {"ENTITY": storage, "NAME": name, "CODE": code})
                                     for n, name in enumerate(part)})
        _raise_first(batch.errors, "entity.item.add")
        ids.update({name: int(batch.results[f"a{n}"]) for n, name in enumerate(part)})
    return ids


async def update(gateway: Gateway, storage: str, item_id: int, *, code: str | None = None,
                 data: object = None) -> None:
    params: dict = {"ENTITY": storage, "ID": item_id}
    if code is not None:
        params["CODE"] = code
    if data is not None:
        params["DETAIL_TEXT"] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    await gateway.call("entity.item.update", params)


async def delete_many(gateway: Gateway, storage: str, ids: list[int]) -> None:
    """Delete items, 50 to a batch; one already gone is no error (another device deleted it)."""
    batches = [ids[i:i + MAX_BATCH] for i in range(0, len(ids), MAX_BATCH)]
    answers = await asyncio.gather(*(gateway.batch({f"d{item}": ("entity.item.delete", {"ENTITY": storage, "ID": item})
                                                    for item in part}) for part in batches))
    for answer in answers:
        _raise_first({k: e for k, e in answer.errors.items() if e.get("error") != "ERROR_ITEM_NOT_FOUND"},
                     "entity.item.delete")


def _item(row: Mapping) -> Item:
    changed = row.get("TIMESTAMP_X")
    try:
        moment = datetime.fromisoformat(str(changed)) if changed else None
    except ValueError:
        moment = None
    return Item(id=int(row["ID"]), name=str(row.get("NAME") or ""), code=str(row.get("CODE") or ""),
                text=str(row.get("DETAIL_TEXT") or ""), changed=moment, created_by=int(row.get("CREATED_BY") or 0))


def _raise_first(errors: Mapping[str, dict], method: str) -> None:
    for error in errors.values():
        raise RestError.of_command(error, method)
