"""The client list as plain data: rows, filters, search, sort, managers, months, CSV.

Pure Python, so every decision here is tested under CPython; `listview.py`
and `screen.py` only draw.  The list must stay smooth with 85,000 clients in
Pyodide, so everything a row needs is computed once (`build_rows`, including
the case-folded name) and each later call is one pass of plain list work:
a filter is a predicate made once per key, a sort one stable sort.  Every pass
over all rows also comes as a step generator (`*_steps`, steps.py) that a page
drives with `steps.with_pauses`, so none holds the main thread for long.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter

from ..cards import Card
from ..classify import ClientRow
from ..clients import B2B, B2C, COMPANY_CONTACT, ClientType
from ..lifecycle import FREQUENCIES, LIFECYCLES, PAID, Frequency, Lifecycle
from ..model import COMPANY, CONTACT, Crm, Entity, Ref
from ..ranks.ranking import RANKS, Rank
from ..steps import STEP, Steps, finish
from ..sync.ladder.status import Published
from . import ladder_view

UNTOUCHED_DAYS = 90
"""A client nobody touched for this many days (or ever) is "untouched" (docs/app.md, Decisions)."""


@dataclass(slots=True)
class ListRow:
    """One client as the list shows it."""

    entity: Entity
    id: int
    name: str
    client_type: ClientType
    lifecycle: Lifecycle
    frequency: Frequency
    last_payment: date | None
    payments: int
    last_touch: date | None
    """For a company, the latest of its own and its member contacts' (as §5.2 counts their dialogs)."""
    modified: date | None
    created: date | None
    responsible_id: int | None
    has_contacts: bool
    """A company with at least one linked contact (any binding); False for a contact."""
    modified_by_app: bool = False
    """Its last change was this app's write-back (`modified` is then unknown)."""
    rank: Rank = "N"
    """A, B, C, or N (nothing in the ranks' window: planning.md "Ranks")."""
    ladder: Published | None = field(default=None, repr=False, compare=False)
    """Its status as the last portal pass published it, while the ladder is on (`ladder_view.ladder_data`)."""
    folded: str = field(init=False, repr=False, compare=False)
    """The name case-folded once, for search and sort."""
    order: int = field(init=False, repr=False, compare=False)
    """ID order, a company before a contact of the same ID: how equal values are listed."""

    def __post_init__(self) -> None:
        self.folded = self.name.casefold()
        self.order = 2 * self.id + (self.entity == CONTACT)


# --- building ---------------------------------------------------------------------


def linked_companies(crm: Crm) -> set[int]:
    """Companies with at least one linked contact, any binding (docs/app.md, "B2B with contacts")."""
    return {company_id for contact in crm.contacts.values() for company_id in contact.company_ids}


def own_companies(crm: Crm) -> set[int]:
    """The seller's own companies: never clients, never counted in the directories."""
    return {company.id for company in crm.companies.values() if company.is_mine}


def build_rows(rows: list[ClientRow], cards: Mapping[Ref, Card], linked: Set[int],
               ranks: Mapping[Ref, Rank] | None = None) -> list[ListRow]:
    """The clients of a classification (member contacts are not clients), with their cards;
    `linked` are the companies with at least one linked contact; `ranks` each client's
    rank (a client without one is N)."""
    return finish(build_rows_steps(rows, cards, linked, ranks))


def build_rows_steps(rows: list[ClientRow], cards: Mapping[Ref, Card], linked: Set[int],
                     ranks: Mapping[Ref, Rank] | None = None) -> Steps[list[ListRow]]:
    """`build_rows` as a step generator (steps.py): a pause every STEP rows."""
    members_touch: dict[int, date] = {}
    for n, row in enumerate(rows, 1):
        if row.client_type == COMPANY_CONTACT and row.parent_company_id is not None:
            day = _card(cards, (CONTACT, row.id)).last_touch
            if day is not None and day > members_touch.get(row.parent_company_id, date.min):
                members_touch[row.parent_company_id] = day
        if n % STEP == 0:
            yield
    out = []
    ranks = ranks or {}
    for n, row in enumerate(rows, 1):
        if n % STEP == 0:
            yield
        if not row.is_client:
            continue
        card = _card(cards, (row.entity, row.id))
        last_touch = card.last_touch
        if row.entity == COMPANY:
            members = members_touch.get(row.id)
            if members is not None and (last_touch is None or members > last_touch):
                last_touch = members
        out.append(ListRow(
            entity=row.entity, id=row.id, name=card.name, client_type=row.client_type, lifecycle=row.lifecycle,
            frequency=row.frequency, last_payment=row.last_payment, payments=row.payments,
            last_touch=last_touch, modified=card.modified, created=card.created,
            responsible_id=card.responsible_id, has_contacts=row.entity == COMPANY and row.id in linked,
            modified_by_app=card.modified_by_app, rank=ranks.get((row.entity, row.id), "N"),
        ))
    return out


_NO_CARD = Card("", None, None, None, None)


def _card(cards: Mapping[Ref, Card], ref: Ref) -> Card:
    return cards.get(ref) or _NO_CARD


# --- filters and counts ----------------------------------------------------------------

Predicate = Callable[[ListRow], bool]


def _lifecycle_is(value: str) -> Predicate:
    return lambda row: row.lifecycle == value


def _frequency_is(value: str) -> Predicate:
    return lambda row: row.frequency == value


def _rank_is(value: str) -> Predicate:
    return lambda row: row.rank == value


_FILTERS: dict[str, Predicate] = {
    "clients": lambda row: True,
    "with_payments": lambda row: row.lifecycle in PAID,
    "without_payments": lambda row: row.lifecycle not in PAID,
    "b2b": lambda row: row.client_type == B2B,
    "b2b.with_contacts": lambda row: row.client_type == B2B and row.has_contacts,
    "b2b.without_contacts": lambda row: row.client_type == B2B and not row.has_contacts,
    "b2c": lambda row: row.client_type == B2C,
    **{f"lifecycle.{value}": _lifecycle_is(value) for value in LIFECYCLES},
    **{f"frequency.{value}": _frequency_is(value) for value in FREQUENCIES},
    **{f"rank.{value}": _rank_is(value) for value in RANKS},
}
COUNT_KEYS: tuple[str, ...] = tuple(_FILTERS)
"""Every counter of the dashboard (its data-count), in the order of the spec; each is also a filter."""


def untouched_before(today: date, days: int = UNTOUCHED_DAYS) -> date:
    """A client whose last activity is on or before this day, or who has none, is
    untouched: no activity for `days` days or more, or never."""
    return today - timedelta(days=days)


@lru_cache(maxsize=64)
def matches(key: str, today: date | None = None, untouched_days: int = UNTOUCHED_DAYS) -> Predicate:
    """The list filter of a counter's key.  Besides COUNT_KEYS, the Managers mode's
    "manager.<user id>", "manager.<id>.lifecycle.<value>" and "manager.<id>.untouched"
    (which needs `today`); user id 0 is "no responsible".  Cached: a screen may ask per row."""
    found = _FILTERS.get(key)
    if found is not None:
        return found
    head, _, rest = key.partition(".")
    uid_text, _, what = rest.partition(".")
    if head == "manager" and uid_text.isascii() and uid_text.isdigit():
        uid = int(uid_text) or None
        if what == "":
            return lambda row: row.responsible_id == uid
        if what == "untouched":
            if today is None:
                raise ValueError(f"list filter {key!r} needs today's date")
            cutoff = untouched_before(today, untouched_days)
            return lambda row: row.responsible_id == uid and (row.last_touch is None
                                                              or row.last_touch <= cutoff)
        inner = _FILTERS.get(what) if what.startswith("lifecycle.") else None
        if inner is not None:
            return lambda row: row.responsible_id == uid and inner(row)
    raise ValueError(f"unknown list filter {key!r}")


def counts(rows: Iterable[ListRow]) -> dict[str, int]:
    """Every COUNT_KEYS number: what the dashboard's counters show."""
    return finish(counts_steps(list(rows)))


def counts_steps(rows: list[ListRow]) -> Steps[dict[str, int]]:
    """`counts` as a step generator: C-speed Counter passes over STEP rows at a time."""
    tally: Counter = Counter()
    for part in _parts(rows):
        tally.update(map(attrgetter("client_type"), part))
        tally["b2b.with_contacts"] += sum(1 for row in part if row.has_contacts and row.client_type == B2B)
        tally.update("lifecycle." + value for value in map(attrgetter("lifecycle"), part))
        tally.update("frequency." + value for value in map(attrgetter("frequency"), part))
        tally.update("rank." + value for value in map(attrgetter("rank"), part))
        yield
    tally["clients"] = len(rows)
    tally["b2b.without_contacts"] = tally[B2B] - tally["b2b.with_contacts"]
    tally["with_payments"] = sum(tally["lifecycle." + value] for value in PAID)
    tally["without_payments"] = len(rows) - tally["with_payments"]
    return {key: tally[key] for key in COUNT_KEYS}


def _parts(items: list) -> Iterator[list]:
    """Consecutive slices of STEP items."""
    for start in range(0, len(items), STEP):
        yield items[start:start + STEP]


# --- search and sort ----------------------------------------------------------------------


def search(rows: list[ListRow], text: str) -> list[ListRow]:
    """Rows whose name holds `text` (any case, any run of spaces), or whose ID it is ("7" or "#7")."""
    needle = " ".join(text.split()).casefold()
    if not needle:
        return list(rows)
    digits = needle.removeprefix("#")
    wanted_id = int(digits) if digits.isascii() and digits.isdigit() else None
    return [row for row in rows if needle in row.folded or row.id == wanted_id]


COLUMNS: tuple[str, ...] = ("name", "type", "lifecycle", "frequency", "rank", "last_payment", "payments",
                            "last_touch", "modified", "responsible")
"""The list's columns, in the order shown; every one sorts."""

_RANKS = {
    "type": {value: i for i, value in enumerate((B2B, B2C, COMPANY_CONTACT))},
    "lifecycle": {value: i for i, value in enumerate(LIFECYCLES)},
    "frequency": {value: i for i, value in enumerate(FREQUENCIES)},
    "rank": {value: i for i, value in enumerate(RANKS)},
}


def sort_rows(rows: list[ListRow], column: str, descending: bool = False,
              responsible_names: Mapping[int, str] | None = None) -> list[ListRow]:
    """Sorted by a column: type, lifecycle, frequency and rank in the rules' order, names by
    their case-folded text, the responsible by the name shown ("#12" when unknown).
    Empty values (no name, no date, no responsible) come last in both directions, but
    a client never touched is older than any last touch (the most forgotten first);
    equal values keep ID order (a company before a contact of the same ID)."""
    return finish(sort_rows_steps(rows, column, descending, responsible_names))


def sort_rows_steps(rows: list[ListRow], column: str, descending: bool = False,
                    responsible_names: Mapping[int, str] | None = None) -> Steps[list[ListRow]]:
    """`sort_rows` as a step generator.  Rows are put in ID order first (linear when
    they already are, as `build_rows` gives them) and the empty ones set aside; the
    keys are computed STEP rows a step, and the one step left is a C-speed stable
    sort of positions by those keys, reversed too."""
    key, is_empty = _sort_key(column, responsible_names or {})
    ordered = sorted(rows, key=_ORDER)
    yield
    filled: list[ListRow] = []
    empty: list[ListRow] = []
    keys: list = []
    for part in _parts(ordered):
        for row in part:
            (empty if is_empty(row) else filled).append(row)
        keys.extend(map(key, filled[len(keys):]))
        yield
    positions = sorted(range(len(filled)), key=keys.__getitem__, reverse=descending)
    yield
    return [filled[i] for i in positions] + empty


_ORDER = attrgetter("order")


def _never(row: ListRow) -> bool:
    return False


def _sort_key(column: str, names: Mapping[int, str]) -> tuple[Callable[[ListRow], object], Callable[[ListRow], bool]]:
    """The column's sort key, and which rows have no value in it."""
    if column == "name":
        return attrgetter("folded"), lambda row: not row.folded
    if column in _RANKS:
        rank = _RANKS[column]
        attribute = "client_type" if column == "type" else column
        return (lambda row: rank[getattr(row, attribute)]), _never
    if column == "payments":
        return attrgetter("payments"), _never
    if column == "last_touch":  # never touched is the most forgotten: older than any date
        return (lambda row: row.last_touch or date.min), _never
    if column in ("last_payment", "modified"):
        return attrgetter(column), lambda row: getattr(row, column) is None
    if column in ladder_view.COLUMNS:
        return ladder_view.sort_key(column)
    if column == "responsible":
        shown = {uid: name.casefold() for uid, name in names.items() if name}
        return (lambda row: shown.get(row.responsible_id) or f"#{row.responsible_id}"), \
            lambda row: row.responsible_id is None
    raise ValueError(f"unknown list column {column!r}")


# --- the Managers mode -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManagerRow:
    responsible_id: int | None
    """None: clients with no responsible (their filter key is "manager.0")."""
    total: int
    lifecycle: dict[str, int]
    """Clients per lifecycle value, all seven, zeros included."""
    untouched: int


def managers(rows: Iterable[ListRow], today: date, untouched_days: int = UNTOUCHED_DAYS) -> list[ManagerRow]:
    """Per responsible employee: clients by lifecycle and the untouched ones, so a head
    sees who neglects whom.  Most clients first, then by user ID."""
    return finish(managers_steps(list(rows), today, untouched_days))


def managers_steps(rows: list[ListRow], today: date, untouched_days: int = UNTOUCHED_DAYS) -> Steps[list[ManagerRow]]:
    """`managers` as a step generator: Counter passes over STEP rows at a time."""
    cutoff = untouched_before(today, untouched_days)
    pairs: Counter = Counter()
    totals: Counter = Counter()
    neglected: Counter = Counter()
    for part in _parts(rows):
        pairs.update((row.responsible_id, row.lifecycle) for row in part)
        totals.update(map(attrgetter("responsible_id"), part))
        neglected.update(row.responsible_id for row in part
                         if row.last_touch is None or row.last_touch <= cutoff)
        yield
    out = [ManagerRow(uid, total, {value: pairs[(uid, value)] for value in LIFECYCLES}, neglected[uid])
           for uid, total in totals.items()]
    out.sort(key=lambda manager: (-manager.total, manager.responsible_id or 0))
    return out


# --- the Contacts and companies mode ----------------------------------------------------------

Month = tuple[str, int, int, int, int]
"""("YYYY-MM", contacts created, companies created, contacts so far, companies so far)."""


def created_per_month(cards: Mapping[Ref, Card], own: Set[int], today: date) -> list[Month]:
    """How the directories filled up: every contact (member or not) and every company
    but the seller's own (`own`), by the month it was created, from the first such
    month through today's month with no gaps.  A record without a creation date, or
    created after today's month, is not counted (docs/app.md, Decisions)."""
    return finish(created_per_month_steps(cards, own, today))


def created_per_month_steps(cards: Mapping[Ref, Card], own: Set[int], today: date) -> Steps[list[Month]]:
    """`created_per_month` as a step generator: a pause every STEP cards."""
    created: dict[Entity, Counter] = {CONTACT: Counter(), COMPANY: Counter()}
    last = today.year * 12 + today.month - 1
    for n, ((entity, record_id), card) in enumerate(cards.items(), 1):
        if n % STEP == 0:
            yield
        if card.created is None or (entity == COMPANY and record_id in own):
            continue
        index = card.created.year * 12 + card.created.month - 1
        if index <= last:
            created[entity][index] += 1
    months = created[CONTACT].keys() | created[COMPANY].keys()
    if not months:
        return []
    out: list[Month] = []
    contacts_total = companies_total = 0
    for index in range(min(months), last + 1):
        contacts, companies = created[CONTACT][index], created[COMPANY][index]
        contacts_total += contacts
        companies_total += companies
        year, month = divmod(index, 12)
        out.append((f"{year:04d}-{month + 1:02d}", contacts, companies, contacts_total, companies_total))
    return out


# --- CSV export ---------------------------------------------------------------------------------

CSV_DELIMITERS = {"ru": ";"}
"""Excel splits a CSV it opens by the system list separator: ";" where the decimal
separator is a comma (Russian locales), "," elsewhere."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection")."""


def to_csv(rows: Iterable[ListRow], text: Mapping[str, str], responsible_names: Mapping[int, str],
           language: str, *, ladder: bool = False) -> str:
    """The list as a CSV file's text: UTF-8 with a BOM (so Excel does not read it as
    the ANSI code page), a header of column labels, values in the user's language
    as the list shows them, dates as YYYY-MM-DD.  CRM text (names) that a
    spreadsheet would run as a formula is prefixed with a single quote; every
    other cell is ours (labels, numbers, dates) and never starts like that.  With
    `ladder`, the status columns follow (`ladder_view.COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITERS.get(language, ","), lineterminator="\r\n")
    rows = list(rows)
    extra = ladder_view.csv_values(rows, text) if ladder else [[] for _ in rows]
    extra_columns = ladder_view.COLUMNS if ladder else ()
    writer.writerow(text[f"column.{key}"] for key in ("id", "entity", *COLUMNS, *extra_columns))
    entities = {entity: text[f"entity.{entity}"] for entity in (CONTACT, COMPANY)}
    unnamed = {entity: text[f"list.unnamed_{entity}"] for entity in (CONTACT, COMPANY)}
    types = {value: text[f"type.{value}"] for value in (B2B, B2C)}
    lifecycles = {value: text[f"count.lifecycle.{value}"] for value in LIFECYCLES}
    frequencies = {value: text[f"count.frequency.{value}"] for value in FREQUENCIES}
    people = {uid: _neutral(name) for uid, name in responsible_names.items() if name}
    writer.writerows(
        [row.id, entities[row.entity], _neutral(row.name) if row.name else unnamed[row.entity].format(id=row.id),
         types[row.client_type], lifecycles[row.lifecycle], frequencies[row.frequency], row.rank,
         _iso(row.last_payment),
         row.payments, _iso(row.last_touch), _iso(row.modified),
         "" if row.responsible_id is None else people.get(row.responsible_id) or f"#{row.responsible_id}", *more]
        for row, more in zip(rows, extra))
    return "\ufeff" + buffer.getvalue()


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _neutral(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def sort_managers(rows: Iterable[ManagerRow], column: str, descending: bool = False,
                  names: Mapping[int | None, str] | None = None) -> list[ManagerRow]:
    """The Managers table sorted by a column: "manager" by the name shown, "total" and
    "untouched" by their numbers, "lifecycle" by the share of Active clients.  Ties keep
    the table's own order (most clients first, then user ID)."""
    names = names or {}
    keys: dict[str, Callable[[ManagerRow], object]] = {
        "manager": lambda m: (names.get(m.responsible_id) or "").casefold(),
        "total": attrgetter("total"),
        "untouched": attrgetter("untouched"),
        "lifecycle": lambda m: m.lifecycle.get("active", 0) / (m.total or 1),
    }
    if column not in keys:
        raise ValueError(f"unknown managers column {column!r}")
    ordered = sorted(rows, key=lambda m: (-m.total, m.responsible_id or 0))
    return sorted(ordered, key=keys[column], reverse=descending)
