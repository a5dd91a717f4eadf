"""Where the dashboard's numbers come from, and what the header says about it
(spec/sync.md "Who computes, who reads"; docs/app.md, "Who computes, who reads").

Pure: the lines are string keys with their arguments (dates, numbers,
names); `screen.py` formats them in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..sync.provenance import COMPUTE, PARTIAL, READ, Provenance

DEMO = "demo"
Line = tuple[str, dict]
"""A strings.py key and the values its {placeholders} take."""


@dataclass(frozen=True)
class Origin:
    kind: str = COMPUTE
    """provenance.COMPUTE, READ or PARTIAL, or DEMO."""
    refreshed_at: datetime | None = None
    """When this page last refreshed (computed or read)."""
    provenance: Provenance | None = None
    admin: bool = False
    restricted: bool = False
    """A reader who sees fewer clients than the whole portal has."""
    uncomputed: int = 0
    """Clients created since the last computation (a reader counts them from their cards)."""


def header_lines(origin: Origin, clients: int, today: date, now: datetime) -> tuple[Line, list[Line]]:
    """The header's meta line and the notices under it, most important first."""
    provenance = origin.provenance
    if origin.kind == DEMO:
        return ("meta.demo_as_of", {"date": today}), [("notice.demo", {})]
    if provenance is not None and origin.kind != PARTIAL:
        meta: Line = ("meta.computed", {"date": provenance.at.date(), "name": provenance.by_name or "—"})
    elif origin.refreshed_at is not None:
        meta = ("meta.updated", {"when": origin.refreshed_at})
    else:
        meta = ("meta.never", {})
    notices: list[Line] = []
    if origin.kind == PARTIAL:
        notices.append(("notice.partial", {"count": clients}))
        notices.append(("notice.partial.never" if provenance is None else "notice.partial.write_off", {}))
        return meta, notices
    if provenance is not None and provenance.stale(now):
        days = (now - provenance.at).days
        notices.append(("notice.stale.admin" if origin.admin else "notice.stale.user", {"days": days}))
    if origin.kind == READ and origin.restricted:
        notices.append(("notice.restricted", {"count": clients}))
    if origin.kind == READ and origin.uncomputed:
        notices.append(("notice.uncomputed", {"count": origin.uncomputed}))
    return meta, notices
