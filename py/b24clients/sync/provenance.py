"""Who computed the CRM's values, and what kind of run this user's page makes
(spec/sync.md, "Who computes, who reads").

An admin's finished computing run leaves its provenance in `app.option`
(`computed`): when, by whom, and how many clients the portal had.  Every
page decides from it, the user's role and the local store which run it makes:

- **compute**: read the whole history month by month and write the fields.
  Only an admin's run writes; an admin computes when this device already
  computes (it has a progress store), when nothing was ever computed, or
  when the admin presses Refresh.
- **read**: list the written values (`reading.py`): every non-admin once an
  admin's run has finished with write-back on, and an admin's other devices
  until the admin presses Refresh there.
- **partial**: a non-admin where nothing was ever computed or write-back is
  off: computes from what their rights show, says so, and writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

OPTION = "computed"
"""The app.option key of the provenance."""
STALE_AFTER = timedelta(days=7)
"""Older than this, an admin is offered Refresh and everyone else is told to ask one."""

COMPUTE, READ, PARTIAL = "compute", "read", "partial"


@dataclass(frozen=True)
class Provenance:
    at: datetime
    """When the computing run finished (timezone-aware)."""
    by_id: int
    by_name: str
    clients: int
    """How many clients the whole portal had: a reader who sees fewer is told so."""
    wrote: tuple[datetime, datetime] | None = None
    """When its write-back ran: a record last changed by `by_id` within it was changed by
    the app, so its modification date says nothing about the client (`cards.written_by`)."""

    def stale(self, now: datetime) -> bool:
        return now - self.at > STALE_AFTER

    def to_option(self) -> str:
        data = {"at": self.at.isoformat(), "by_id": self.by_id, "by_name": self.by_name, "clients": self.clients}
        if self.wrote is not None:
            data["wrote"] = [moment.isoformat() for moment in self.wrote]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_option(cls, value: object) -> Provenance | None:
        """The stored option (a JSON string, or the object BX24 already parsed); None when
        absent or unreadable — as if nothing had been computed, which only makes a
        non-admin compute from what they see."""
        try:
            data = json.loads(value) if isinstance(value, str) else value
            at = datetime.fromisoformat(str(data["at"]))
            if at.tzinfo is None:
                return None
            return cls(at=at, by_id=int(data["by_id"]), by_name=str(data.get("by_name") or ""),
                       clients=max(0, int(data["clients"])), wrote=_window(data.get("wrote")))
        except (TypeError, ValueError, KeyError, OverflowError, RecursionError):
            return None

    @property
    def ours(self):
        """`cards.written_by` for this computation's write-back (None when unknown)."""
        from ..cards import written_by

        return written_by(self.by_id, self.wrote) if self.wrote is not None else None


def _window(value: object) -> tuple[datetime, datetime] | None:
    """An unreadable window is no window: modification dates are then shown as read."""
    try:
        start, end = (datetime.fromisoformat(str(moment)) for moment in value)
    except (TypeError, ValueError):
        return None
    return (start, end) if start.tzinfo is not None and end.tzinfo is not None and start <= end else None


def run_kind(*, admin: bool, computing_here: bool, provenance: Provenance | None, write_back: bool) -> str:
    """Which run this page makes (see the module's docstring).

    `computing_here`: this device has a computing run's progress store.
    """
    shared = provenance is not None and write_back
    if admin:
        return READ if shared and not computing_here else COMPUTE
    return READ if shared else PARTIAL
