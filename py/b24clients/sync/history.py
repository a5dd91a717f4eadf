"""Reading one client's history through the gateway (spec/history.md "Speed").

The pure core (`b24clients.history`) says what to read (`history/plan.py`) and
what the rows mean (`build_history`); this module runs the plan:

1. the set and the stage directory: one batch;
2. deals and invoices of the set's contacts (`contactIds`: any role, never
   the legacy `CONTACT_ID`) and owning companies;
3. around what step 2 found: invoices of its deals, activities by several
   `BINDINGS`, documents, one comment list per record;
4. only when step 3 found invoices that name no client of the set, just a
   deal of it: their activities and documents (usually no request at all).

A step's lists are read at once as chained ID windows, cut into a few
groups that the portal answers side by side (each batch runs its commands
one after another, so one batch of 300 one-page lists would take as long as
300 pages): a handful of requests, not one per list.  A contact's items do
not wait for its bindings (its set is itself), a company's do.

Rows the user may not read are simply absent (lists filter silently); a
record's comments the user may not read answer "Access denied", read as
none.  Nothing here touches the sync engine or its store: opening a history
never waits for, nor starts, the portal-wide sync.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from ..history import (
    Fetched,
    History,
    Request,
    around_step,
    build_history,
    client_set,
    items_step,
    late_step,
    set_step,
)
from ..model import CONTACT, Ref
from ..records import ref_id
from ..rest.errors import RestError
from ..rest.gateway import MAX_BATCH, Gateway, ListSpec

GROUPS = 8
"""Requests a step keeps side by side: as many as the gateway lets fly at once."""
SMALLEST_GROUP = 10
"""Commands below which a list is not given a request of its own."""
ITEM_PAGES = {"deals": 2, "invoices": 2, "legacy_invoices": 2}
AROUND_PAGES = {"activities": 4}
"""Pages each list of step 2 or 3 chains in its first batch (a guess; a longer list doubles
them each time); the rest (comments, documents, invoices of the deals found) are mostly a
page or none."""
EXPECTED_PAGES = {"activities": 12, "deals": 4}
"""Pages a list is expected to take in all, for sharing the lists out: a group with a long
list gets fewer short ones, so its later batches do not end the step last."""
KEY_SPACES = {"deals": "deal", "invoices": "invoice", "legacy_invoices": "legacy_invoice",
              "activities": "activity", "documents": "document", "comments": "comment"}
"""The `Item.key` space of each source's rows: "deal:12" is deal 12's row."""


@dataclass(frozen=True)
class ClientHistory:
    """One read of a client's history: what the page shows, and what a cache keeps to
    show it again before the next read."""

    history: History
    fetched: Fetched
    """The rows the history is made of, one per record, plus the set's bindings and the
    stage directory: `build_history` of them gives the same items."""
    read_at: datetime
    """The portal's clock when the read began, in the portal's offset."""
    include_companies: bool = False


async def read_history(gateway: Gateway, client: Ref, *, include_companies: bool = False,
                       now: datetime | None = None, legacy_invoices: bool = True) -> ClientHistory:
    """The history of a company or a contact as this gateway's user may see it.

    `include_companies` is a contact page's toggle (its companies' own items); `now`
    (aware) decides what is overdue, the portal's clock by default; `legacy_invoices=False`
    skips `crm.invoice.list` on portals without old invoices.  Raises RestError when the
    client itself cannot be read (no access to its card)."""
    rows: dict[str, list] = {f.name: [] for f in fields(Fetched)}
    own_set = client[0] == CONTACT and not include_companies
    early = items_step(client_set(client, (), False), legacy_invoices) if own_set else ()
    read_at, _ = await _all(_read_set(gateway, client, rows), _read_lists(gateway, early, rows, ITEM_PAGES))
    now = now or read_at

    def records() -> set:
        """The deals and invoices that belong, from what is read so far (the core decides)."""
        purchases = Fetched(**{s: rows[s] for s in ("bindings", "statuses", "deals", "invoices", "legacy_invoices")})
        history = build_history(client, purchases, read_at.tzinfo, now, include_companies)
        return {item.link for item in history.items if item.link is not None}

    scope = client_set(client, rows["bindings"], include_companies)
    if not own_set:
        await _read_lists(gateway, items_step(scope, legacy_invoices), rows, ITEM_PAGES)
    found = records()
    await _read_lists(gateway, around_step(scope, found, legacy_invoices), rows, AROUND_PAGES)
    late = records() - found
    if late:
        await _read_lists(gateway, late_step(late), rows, AROUND_PAGES)
    history = build_history(client, Fetched(**rows), read_at.tzinfo, now, include_companies)
    return ClientHistory(history, _kept(rows, history), read_at, include_companies)


async def _read_set(gateway: Gateway, client: Ref, rows: dict[str, list]) -> datetime:
    """Step 1 in one batch; the batch's `time` says when the read began, in the portal's offset."""
    requests = set_step(client)
    answer = await gateway.batch({r.source: (r.method, dict(r.params)) for r in requests})
    for request in requests:
        error = answer.errors.get(request.source)
        if error is not None:
            raise RestError.of_command(error, request.method)
        result = answer.results.get(request.source)
        rows[request.source] += result if isinstance(result, list) else []
    return datetime.fromisoformat(answer.time["date_start"])


async def _read_lists(gateway: Gateway, requests: Sequence[Request], rows: dict[str, list],
                      first_pages: dict[str, int]) -> None:
    """Every list of a step, complete, its rows appended to their sources."""
    specs = [(request, ListSpec(request.method, dict(request.params), request.id_key or "ID",
                                pages=first_pages.get(request.source, 1), rows_key=request.rows_key,
                                denied_is_empty=True))
             for request in requests]
    groups = _groups(specs)
    answers = await _all(*(gateway.read_many({str(i): spec for i, (_, spec) in group}) for group in groups))
    for group, got in zip(groups, answers):
        for i, (request, _) in group:
            rows[request.source] += got[str(i)]


async def _all(*awaitables) -> list:
    """asyncio.gather, except that when one fails the others are cancelled: a read that
    has failed sends no more requests."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


def _groups(specs: list[tuple[Request, ListSpec]]) -> list[list[tuple[int, tuple[Request, ListSpec]]]]:
    """Lists dealt into groups of about equal expected work, longest first, each group's
    first batch within 50 commands: GROUPS of them (fewer for a small step, more only when
    the first batches do not fit), the groups with the longest lists first, so that their
    later batches start early."""
    commands = sum(spec.pages for _, spec in specs)
    count = max(1, -(-commands // MAX_BATCH), min(GROUPS, -(-commands // SMALLEST_GROUP)))
    groups: list[list] = [[] for _ in range(count)]
    loads = [0] * count
    firsts = [0] * count
    for i, pair in sorted(enumerate(specs), key=lambda item: -_expected(*item[1])):
        open_groups = [g for g in range(count) if firsts[g] + pair[1].pages <= MAX_BATCH] or range(count)
        lightest = min(open_groups, key=lambda g: loads[g])
        groups[lightest].append((i, pair))
        loads[lightest] += _expected(*pair)
        firsts[lightest] += pair[1].pages
    order = sorted(range(count), key=lambda g: -max((_expected(*pair) for _, pair in groups[g]), default=0))
    return [groups[g] for g in order if groups[g]]


def _expected(request: Request, spec: ListSpec) -> int:
    return max(spec.pages, EXPECTED_PAGES.get(request.source, 1))


def _kept(rows: dict[str, list], history: History) -> Fetched:
    """The rows of the records in the history, the first copy of each (what a cache needs)."""
    keys = {item.key for item in history.items}
    kept: dict[str, list] = {"bindings": rows["bindings"], "statuses": rows["statuses"]}
    for source, space in KEY_SPACES.items():
        seen: set[str] = set()
        kept[source] = []
        for row in rows[source]:
            key = f"{space}:{_row_id(row)}"
            if key in keys and key not in seen:
                seen.add(key)
                kept[source].append(row)
    return Fetched(**kept)


def _row_id(row: object) -> int | None:
    return ref_id(row.get("ID", row.get("id"))) if isinstance(row, dict) else None
