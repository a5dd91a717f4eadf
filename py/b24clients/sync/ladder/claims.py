"""Who does what once a day, decided in the shared `sync` storage
(next-features.md §B.2.1: there is no compare-and-set, so "add an item,
re-read the items of that name by ascending ID, the lowest ID wins").

- **The lock** (`pass:<day>`): the portal pass of a day runs once.  An item
  whose state is `done` means the day's pass has finished; one still
  `running` whose last write is older than STALE_AFTER belongs to a pass that
  died, and no longer counts, so the next admin to open the app takes over.
  A running pass refreshes its item between steps (`keep`).
- **Claims** (`digest:<day>:<manager>`, `head:<day>:<head>`): one digest per
  manager and one notice per head a day, whichever pass sends it first.
- **News** (`news:<manager>`): what a portal pass had to tell a manager whose
  digest of the day someone else had already sent; the next digest to that
  manager carries it and deletes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ...rest.gateway import Gateway
from . import storage
from .storage import SYNC

STALE_AFTER = timedelta(minutes=30)
KEEP_FOR = timedelta(days=14)
"""Lock and claim items older than this are swept away by the portal pass."""
RUNNING, DONE = "running", "done"


@dataclass(frozen=True, slots=True)
class Lock:
    day: date
    item_id: int | None
    """This pass's own item (None when it did not take part)."""
    won: bool
    done: bool = False
    """The day's portal pass has already finished."""
    holder: int | None = None
    """Who runs the day's pass, when it is not this one."""


async def take_lock(gateway: Gateway, day: date, now: datetime) -> Lock:
    """Try to become the day's portal pass.  A loser's own item is deleted again."""
    name = f"pass:{day.isoformat()}"
    mine = await storage.add(gateway, SYNC, name, code=RUNNING)
    rivals = await storage.items(gateway, SYNC, {"NAME": name})
    if any(item.code == DONE for item in rivals):
        await storage.delete_many(gateway, SYNC, [mine])
        return Lock(day, None, won=False, done=True)
    live = [item for item in rivals if item.id == mine or not _stale(item, now)]
    winner = min(live, key=lambda item: item.id)
    if winner.id != mine:
        await storage.delete_many(gateway, SYNC, [mine])
        return Lock(day, None, won=False, holder=winner.created_by)
    return Lock(day, mine, won=True)


async def keep_lock(gateway: Gateway, lock: Lock) -> None:
    """Tell later openers this pass is alive (its item's TIMESTAMP_X moves)."""
    await storage.update(gateway, SYNC, lock.item_id, code=RUNNING)


async def finish_lock(gateway: Gateway, lock: Lock) -> None:
    await storage.update(gateway, SYNC, lock.item_id, code=DONE)


async def release_lock(gateway: Gateway, lock: Lock) -> None:
    """Give the day back without having run (the next opener may run it)."""
    await storage.delete_many(gateway, SYNC, [lock.item_id])


async def day_is_done(gateway: Gateway, day: date) -> bool:
    """Whether the portal pass of `day` has finished (one read, no item added)."""
    return any(item.code == DONE for item in await storage.items(gateway, SYNC, {"NAME": f"pass:{day.isoformat()}"}))


def _stale(item: storage.Item, now: datetime) -> bool:
    return item.code != DONE and (item.changed is None or now - item.changed > STALE_AFTER)


def digest_claim(day: date, manager: int) -> str:
    return f"digest:{day.isoformat()}:{manager}"


def head_claim(day: date, head: int) -> str:
    return f"head:{day.isoformat()}:{head}"


async def claim(gateway: Gateway, names: Iterable[str], prefix: str) -> set[str]:
    """Add a claim item for each name (all sharing `prefix`), then keep the names whose
    lowest item is ours: exactly one claimant wins each, however many try at once."""
    names = sorted(set(names))
    if not names:
        return set()
    mine = await storage.add_many(gateway, SYNC, names)
    lowest: dict[str, int] = {}
    for item in await storage.items(gateway, SYNC, {"%NAME": prefix}):
        if item.name in mine and item.id < lowest.get(item.name, item.id + 1):
            lowest[item.name] = item.id
    won = {name for name in names if lowest.get(name) == mine[name]}
    await storage.delete_many(gateway, SYNC, [mine[name] for name in names if name not in won])
    return won


def news_name(manager: int) -> str:
    return f"news:{manager}"


async def leave_news(gateway: Gateway, news: dict[int, list]) -> None:
    """One item per manager with the lines their next digest must carry."""
    for manager, lines in sorted(news.items()):
        await storage.add(gateway, SYNC, news_name(manager), data=lines)


async def read_news(gateway: Gateway, managers: Iterable[int] | None = None) -> dict[int, tuple[list, list[int]]]:
    """Per manager: the lines left for them (oldest first) and the items holding them.
    `managers` None reads everyone's."""
    wanted = None if managers is None else {news_name(m) for m in managers}
    if wanted is not None and len(wanted) == 1:
        found = await storage.items(gateway, SYNC, {"NAME": next(iter(wanted))})
    else:
        found = await storage.items(gateway, SYNC, {"%NAME": "news:"})
    news: dict[int, tuple[list, list[int]]] = defaultdict(lambda: ([], []))
    for item in found:
        if not item.name.startswith("news:") or (wanted is not None and item.name not in wanted):
            continue
        lines = item.data()
        news[int(item.name.split(":", 1)[1])][0].extend(lines if isinstance(lines, list) else [])
        news[int(item.name.split(":", 1)[1])][1].append(item.id)
    return dict(news)


async def sweep(gateway: Gateway, now: datetime) -> int:
    """Delete lock and claim items older than KEEP_FOR (news stay until delivered)."""
    old = await storage.items(gateway, SYNC, {"<DATE_CREATE": (now - KEEP_FOR).isoformat()})
    ids = [item.id for item in old if not item.name.startswith("news:")]
    await storage.delete_many(gateway, SYNC, ids)
    return len(ids)
