"""One client's read → one deduplicated history, newest first.

The lists come back overlapping: a deal found by its company and by its
contact, an activity once per binding the filter named (`BINDINGS` repeats
rows, REF §2.3), lists of neighbouring clients.  Each record becomes one row
(its `Item.key`); what belongs is decided from the client's set:

1. deals and invoices that the set's contacts or owning companies are on —
   except, in a company's history, one that names another company: rules.md
   §2 gives it to that company, and the page's header would disagree;
2. invoices of those deals, whatever client they name (one purchase, rules.md §2);
3. activities, documents and comments bound to any record found so far.

A row that is not a record (no readable ID, not even a mapping) is skipped
and counted; nothing in one bad row stops the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from ..model import Ref
from .items import Item
from .links import COMPANY, DEAL, Link, crm_path, ordered
from .reading import Found, Reader
from .scope import ClientSet, client_set
from .sorting import KIND_RANK, sort_items
from .stages import Stages


@dataclass(frozen=True, slots=True)
class Fetched:
    """The raw rows of one client's read, by source: the `source` each planned Request names."""

    bindings: Sequence[object] = ()
    """`crm.company.contact.items.get` rows of a company, `crm.contact.company.items.get` rows of a contact."""
    statuses: Sequence[object] = ()
    """`crm.status.list`: stage names and semantics."""
    deals: Sequence[object] = ()
    invoices: Sequence[object] = ()
    """Smart invoices (`crm.item.list`, entityTypeId 31)."""
    legacy_invoices: Sequence[object] = ()
    activities: Sequence[object] = ()
    documents: Sequence[object] = ()
    comments: Sequence[object] = ()


@dataclass(frozen=True, slots=True)
class History:
    scope: ClientSet
    items: tuple[Item, ...]
    """Newest first (the "date" column, descending)."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Rows that are no record, by source; only sources that had some."""
    duplicates: int = 0
    """Rows that repeated a record already read (the same call under the contact and its deal)."""


def build_history(client: Ref, fetched: Fetched, portal_tz: timezone, now: datetime,
                  include_companies: bool = False) -> History:
    """The history of a company or a contact from the rows of its read.  `now` (aware,
    from the caller's clock) decides what is overdue; `include_companies` is a contact
    page's toggle that adds its companies' own items."""
    scope = client_set(client, fetched.bindings, include_companies)
    reader = Reader(Stages(fetched.statuses), portal_tz, now)
    tally = _Tally()
    reach = set(scope.owners)
    deals = _kept(tally.read("deals", fetched.deals, reader.deal), scope, reach)
    reach |= {found.item.link for found in deals}
    invoices = [*_kept(tally.read("invoices", fetched.invoices, reader.smart_invoice), scope, reach),
                *_kept(tally.read("legacy_invoices", fetched.legacy_invoices, reader.legacy_invoice), scope, reach)]
    reach |= {found.item.link for found in invoices}
    around = [found
              for source, read in (("activities", reader.activity), ("documents", reader.document),
                                   ("comments", reader.comment))
              for found in tally.read(source, getattr(fetched, source), read)
              if found.bound & reach]
    company_of: dict[Link, int | None] = {}
    items = []
    for found in (*deals, *invoices, *around):
        company = _company(found, company_of, scope)
        if found.item.link is not None:
            company_of[found.item.link] = company
        items.append(_placed(found, company, reach, scope))
    items.sort(key=lambda item: (KIND_RANK[item.kind], item.id))
    return History(scope, tuple(sort_items(items, "date", descending=True)), dict(tally.skipped), tally.duplicates)


class _Tally:
    """Reads each source once, keeping the first row of every record and counting the rest."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.skipped: Counter[str] = Counter()
        self.duplicates = 0

    def read(self, source: str, rows: Iterable[object], read: Callable[[Mapping], Found]) -> list[Found]:
        out = []
        for row in rows:
            try:
                found = read(row) if isinstance(row, Mapping) else None
            except ValueError:
                found = None
            if found is None:
                self.skipped[source] += 1
            elif found.item.key in self.seen:
                self.duplicates += 1
            else:
                self.seen.add(found.item.key)
                out.append(found)
        return out


def _kept(found: list[Found], scope: ClientSet, reach: set[Link]) -> list[Found]:
    return [one for one in found if _belongs(one, scope, reach)]


def _belongs(found: Found, scope: ClientSet, reach: set[Link]) -> bool:
    """A deal or invoice belongs when an owning company is on it, when it is an invoice
    of a deal of the set (one purchase, rules.md §2), or when a contact of the set is
    on it — unless, in a company's history, it names another company."""
    bound = found.bound & reach
    if found.named_company in scope.owning_companies or any(kind == DEAL for kind, _ in bound):
        return True
    return bool(bound) and (found.named_company is None or not scope.is_company)


def _company(found: Found, company_of: dict[Link, int | None], scope: ClientSet) -> int | None:
    """The company it names, else a company it is bound to (the set's first), else the
    company of the first deal or invoice it is bound to."""
    if found.named_company is not None:
        return found.named_company
    companies = sorted((record not in scope.companies, record) for kind, record in found.bound if kind == COMPANY)
    if companies:
        return companies[0][1]
    return next((company_of[link] for link in ordered(found.bound) if company_of.get(link) is not None), None)


def _placed(found: Found, company: int | None, reach: set[Link], scope: ClientSet) -> Item:
    """The item with its place in the set: what it is reached through, its company, where it opens."""
    item = found.item
    via = ordered((found.bound & reach) - {scope.client_link, item.link})
    target = item.link or (via[0] if via else scope.client_link)
    return replace(item, via=via, company_id=company, path=crm_path(target))
