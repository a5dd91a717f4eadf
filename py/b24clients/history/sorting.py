"""Sorting the history table by any of its columns, both ways (history.md "The page").

The same contract as the client list (`web/listing.sort_rows`): empty values
(no date, no amount, nobody responsible) come last in both directions, and
rows with equal values keep the order they came in, reversed sorts too.
People and records sort by the names shown when the caller has them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter

from .items import KINDS, Item
from .links import COMPANY, LINK_ORDER, Link

COLUMNS: tuple[str, ...] = ("date", "kind", "title", "amount", "stage", "author", "responsible", "created",
                            "deadline", "closed", "via", "company")
"""The table's columns, in the order shown; every one sorts."""

KIND_RANK = {kind: i for i, kind in enumerate(KINDS)}
STATUS_RANK = {"overdue": 0, "open": 1, "process": 1, "success": 2, "done": 2, "failure": 3}
"""The stage column sorts by how far an item got: overdue, under way, finished, lost or cancelled."""

Key = Callable[[Item], object]
Empty = Callable[[Item], bool]


def sort_items(items: Iterable[Item], column: str, descending: bool = False,
               people: Mapping[int, str] | None = None, labels: Mapping[Link, str] | None = None) -> list[Item]:
    """Sorted by `column`; `people` names users (else "#12"), `labels` names records
    (else they sort by type, then ID)."""
    key, is_empty = _sort_key(column, people or {}, labels or {})
    items = list(items)
    filled = [item for item in items if not is_empty(item)]
    filled.sort(key=key, reverse=descending)
    return filled + [item for item in items if is_empty(item)]


def _sort_key(column: str, people: Mapping[int, str], labels: Mapping[Link, str]) -> tuple[Key, Empty]:
    """The column's sort key, and which rows have no value in it."""
    if column in ("date", "created", "deadline", "closed"):
        moment = attrgetter(f"{column}_at")
        return moment, lambda item: moment(item) is None
    if column == "kind":
        return (lambda item: KIND_RANK[item.kind]), (lambda item: False)
    if column == "title":
        return (lambda item: item.title.casefold()), (lambda item: not item.title)
    if column == "amount":
        return (lambda item: (item.amount, item.currency)), (lambda item: item.amount is None)
    if column == "stage":
        return (lambda item: (STATUS_RANK[item.status], item.stage.casefold())), (lambda item: item.status is None)
    if column in ("author", "responsible"):
        person = attrgetter(f"{column}_id")
        shown = {uid: name.casefold() for uid, name in people.items() if name}
        return (lambda item: shown.get(person(item)) or f"#{person(item)}"), (lambda item: person(item) is None)
    if column == "via":
        return (lambda item: tuple(_record_key(link, labels) for link in item.via)), (lambda item: not item.via)
    if column == "company":
        return ((lambda item: _record_key((COMPANY, item.company_id), labels)),
                (lambda item: item.company_id is None))
    raise ValueError(f"unknown history column {column!r}")


def _record_key(link: Link, labels: Mapping[Link, str]) -> tuple:
    """A named record by its name; an unnamed one after all named ones, by type and ID."""
    label = labels.get(link)
    if label:
        return (0, label.casefold())
    return (1, LINK_ORDER.get(link[0], len(LINK_ORDER)), link[1])
