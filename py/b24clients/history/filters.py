"""The page's filters (history.md "Filters"): kinds, a date range, a person, open or
done, a search in titles, a clicked counter.  All of them at once narrow the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .counters import Predicate, counter_filter
from .items import FAMILIES, KINDS, Item

PRESETS = ("30d", "90d", "year", "all", "custom")
ROLES = ("any", "author", "responsible")
STATES = ("all", "open", "done")


@dataclass(frozen=True, slots=True)
class Filter:
    kinds: frozenset[str] = frozenset()
    """Kinds ("call") or families ("activity", "invoice") to show; empty shows all."""
    since: date | None = None
    until: date | None = None
    """Inclusive bounds on the row's date (`Item.date`); a row without a date is out once either is set."""
    person_id: int | None = None
    role: str = "any"
    """Whether `person_id` must be the author, the responsible, or either."""
    state: str = "all"
    """One of STATES: "open" keeps what is not finished (overdue included), "done" what is."""
    text: str = ""
    """Searched in titles, any case, any run of spaces."""
    counter: str | None = None
    """A clicked counter's key (counters.COUNTER_KEYS)."""


def date_range(preset: str, today: date, since: date | None = None,
               until: date | None = None) -> tuple[date | None, date | None]:
    """The bounds of a date preset.  "30d" is today and the 29 days before it; no preset
    has an upper bound, so a won deal whose end date is next week is not hidden.
    "custom" takes `since` / `until` (either may be open), swapped if given backwards."""
    if preset == "30d":
        return today - timedelta(days=29), None
    if preset == "90d":
        return today - timedelta(days=89), None
    if preset == "year":
        return date(today.year, 1, 1), None
    if preset == "all":
        return None, None
    if preset == "custom":
        if since is not None and until is not None and since > until:
            since, until = until, since
        return since, until
    raise ValueError(f"unknown date preset {preset!r}")


def filter_items(items: Iterable[Item], spec: Filter) -> list[Item]:
    """The rows `spec` lets through, in the order given."""
    tests = _predicates(spec)
    return [item for item in items if all(test(item) for test in tests)]


def _predicates(spec: Filter) -> list[Predicate]:
    tests: list[Predicate] = []
    unknown = spec.kinds - set(KINDS) - set(FAMILIES)
    if unknown:
        raise ValueError(f"unknown history kinds {sorted(unknown)}")
    if spec.kinds:
        tests.append(lambda item: item.kind in spec.kinds or item.family in spec.kinds)
    if spec.since is not None:
        tests.append(lambda item: item.date is not None and item.date >= spec.since)
    if spec.until is not None:
        tests.append(lambda item: item.date is not None and item.date <= spec.until)
    if spec.person_id is not None:
        tests.append(_person(spec.person_id, spec.role))
    if spec.state not in STATES:
        raise ValueError(f"unknown history state {spec.state!r}")
    if spec.state != "all":
        done = spec.state == "done"
        tests.append(lambda item: item.done == done)
    needle = " ".join(spec.text.split()).casefold()
    if needle:
        tests.append(lambda item: needle in item.title.casefold())
    if spec.counter is not None:
        tests.append(counter_filter(spec.counter))
    return tests


def _person(person_id: int, role: str) -> Predicate:
    if role == "author":
        return lambda item: item.author_id == person_id
    if role == "responsible":
        return lambda item: item.responsible_id == person_id
    if role == "any":
        return lambda item: person_id in (item.author_id, item.responsible_id)
    raise ValueError(f"unknown history role {role!r}")
