"""A client's whole history (spec/history.md), as pure data: REST rows in, one table out.

No I/O here: a gateway runs the read plan, this package turns the rows into
rows of the table, and the UI draws them.  Where each part of the spec lives:

    "What belongs to a client's history" ... scope.py (the set), build.py (membership, dedup)
    the field map (next-features §A.6) ..... reading.py (the only place raw rows are read)
    stage names and colours ................ stages.py
    one row, its columns and states ........ items.py; links and CRM paths: links.py
    "Counters" ............................. counters.py
    "Filters", date presets, search ........ filters.py
    sort by every column, both ways ........ sorting.py
    CSV export ............................. export.py
    "Speed": the batched reads ............. plan.py

Decisions where the spec is silent: docs/history.md.
"""

from __future__ import annotations

from .build import Fetched, History, build_history
from .counters import COUNTER_KEYS, counter_filter, counts
from .export import TEXT_KEYS, to_csv
from .filters import Filter, date_range, filter_items
from .items import Item
from .links import Link, crm_path
from .plan import Request, around_step, items_step, late_step, set_step
from .scope import ClientSet, client_set
from .sorting import COLUMNS, sort_items

__all__ = [
    "COLUMNS", "COUNTER_KEYS", "TEXT_KEYS", "ClientSet", "Fetched", "Filter", "History", "Item", "Link", "Request",
    "around_step", "build_history", "client_set", "counter_filter", "counts", "crm_path", "date_range",
    "filter_items", "items_step", "late_step", "set_step", "sort_items", "to_csv",
]
