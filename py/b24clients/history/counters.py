"""The page's counters (history.md "Counters"), each of which is also a filter.

deals open / won / lost, invoices paid / unpaid / overdue, activities open /
done / overdue, documents, comments; plus each family's total.  "Unpaid" is
an invoice still in progress: a cancelled one is neither paid nor unpaid.
An overdue invoice or activity is also counted as unpaid / open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .items import Item

Predicate = Callable[[Item], bool]


def _family(name: str) -> Predicate:
    return lambda item: item.family == name


def _deal(semantics: str) -> Predicate:
    return lambda item: item.family == "deal" and item.semantics == semantics


def _invoice(semantics: str) -> Predicate:
    return lambda item: item.family == "invoice" and item.semantics == semantics


COUNTERS: dict[str, Predicate] = {
    "deal": _family("deal"),
    "deal.open": _deal("process"),
    "deal.won": _deal("success"),
    "deal.lost": _deal("failure"),
    "invoice": _family("invoice"),
    "invoice.paid": _invoice("success"),
    "invoice.unpaid": _invoice("process"),
    "invoice.overdue": lambda item: item.family == "invoice" and item.overdue,
    "activity": _family("activity"),
    "activity.open": lambda item: item.family == "activity" and not item.done,
    "activity.done": lambda item: item.family == "activity" and item.done,
    "activity.overdue": lambda item: item.family == "activity" and item.overdue,
    "document": _family("document"),
    "comment": _family("comment"),
}
COUNTER_KEYS: tuple[str, ...] = tuple(COUNTERS)
"""Every counter, in the order of the spec; each key is also a filter (`counter_filter`)."""


def counter_filter(key: str) -> Predicate:
    """The rows a counter counts, to show when it is clicked."""
    try:
        return COUNTERS[key]
    except KeyError:
        raise ValueError(f"unknown history counter {key!r}") from None


def counts(items: Iterable[Item]) -> dict[str, int]:
    """Every COUNTER_KEYS number for these rows (zeros included)."""
    items = list(items)
    return {key: sum(1 for item in items if matches(item)) for key, matches in COUNTERS.items()}
