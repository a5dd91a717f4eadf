"""Key clients and touch planning (planning.md, issue 14): the pure core.

ABC ranks of clients by revenue, payments or requests in a rolling window;
the Pareto chart's data; last touch, next touch due and band per client;
"Slipping soon"; a responsible's month load.  No I/O and no `js`: raw REST
rows are read by `b24clients.records`, the sync engine and the UI call these.
"""

from __future__ import annotations

from .attribution import Attribution
from .bands import (
    BANDS,
    Band,
    TouchStatus,
    planned_touches,
    touch_status,
    touch_statuses,
)
from .basis import BASES, Basis, LeftOut, Measured, measure
from .client_ranks import RankReport, RankShare, client_ranks, client_ranks_steps
from .currency import Rates
from .load import DayLoad, month_load
from .pareto import Pareto, ParetoPoint, pareto
from .ranking import METHODS, RANKS, Cutoffs, Method, Rank, assign_ranks
from .settings import Gaps, RankSettings, from_json, to_json
from .slipping import slipping_soon, slips_soon
from .touches import TOUCH_KINDS, TouchKind, last_touches

__all__ = [
    "BANDS", "BASES", "METHODS", "RANKS", "TOUCH_KINDS",
    "Attribution", "Band", "Basis", "Cutoffs", "DayLoad", "Gaps", "LeftOut", "Measured", "Method", "Pareto", "ParetoPoint",
    "Rank", "RankReport", "RankSettings", "RankShare", "Rates", "TouchKind", "TouchStatus",
    "assign_ranks", "client_ranks", "client_ranks_steps", "from_json", "last_touches", "measure", "month_load", "pareto",
    "planned_touches", "slipping_soon", "slips_soon", "to_json", "touch_status", "touch_statuses",
]
