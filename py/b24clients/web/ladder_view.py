"""The status ladder on the dashboard, as plain data (status-ladder.md "Screens"):
the Status mode's counters, its list filters, the status columns' values, and
the labels of the statuses (the admin's own names of Hot, Warm and Cold).

Everything comes from the statuses the last portal pass published
(`sync.ladder.status.load_publication`) and `sync.ladder.overview`, over the
clients this user's list holds: an admin sees every client, a manager with
"own" rights the clients their rights show, each with the portal-wide truth.
Pure: `screen.py` only draws what this module decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..ladder import STATUSES, LadderSettings, Status
from ..ladder import from_json as ladder_from_json
from ..ladder.settings import OPTION
from ..model import Ref
from ..sync.ladder.overview import Overview, overview
from ..sync.ladder.status import Publication, Published

MODE = "status"
TRACKED = "ladder.tracked"
"""The Status mode's population: clients with a status."""
DROPPING = "ladder.dropping"
DROPPED = "ladder.dropped"
STATUS_KEYS: tuple[str, ...] = tuple(f"ladder.{status}" for status in STATUSES)
COUNTER_KEYS: tuple[str, ...] = (*STATUS_KEYS, DROPPING, DROPPED)
"""The Status mode's counters, in the order shown; each is also a list filter."""
COLUMNS: tuple[str, ...] = ("status", "status_since", "next_drop")
"""The list's columns while the ladder is on, after the app's own."""


def ladder_settings(app_options: Mapping | None) -> LadderSettings | None:
    """The ladder's settings once it is installed (an admin turned it on once: app.option
    `ladder`), also while it is switched off, else None: what the settings sheet edits."""
    value = (app_options or {}).get(OPTION)
    if value in (None, "", {}):
        return None
    return ladder_from_json(value).settings


def running_ladder(app_options: Mapping | None) -> LadderSettings | None:
    """The ladder's settings while it is on, else None: what the screens show (the Status
    mode, the status columns, a client's status history and the help's Status group are
    there only while the ladder runs; switched off, its statuses would go stale)."""
    settings = ladder_settings(app_options)
    return settings if settings is not None and settings.enabled else None


@dataclass(frozen=True)
class LadderData:
    """What the Status mode and the status columns show for one list of clients."""

    settings: LadderSettings
    published_on: date | None
    """The day of the portal pass that published the statuses (None: none yet)."""
    figures: Overview
    counts: dict[str, int]
    """TRACKED and every COUNTER_KEYS number."""
    dropping: frozenset[Ref]
    dropped: frozenset[Ref]
    today: date

    @property
    def started(self) -> bool:
        return self.settings.started_on is not None


def ladder_data(publication: Publication, rows: list, today: date, settings: LadderSettings) -> LadderData:
    """The figures over the list's rows, and each row's `ladder` (its published row, or None)."""
    keys = set()
    for row in rows:
        ref = (row.entity, row.id)
        row.ladder = publication.rows.get(ref)
        keys.add(ref)
    figures = overview(publication.rows.values(), today, keys)
    counts = {TRACKED: sum(figures.counts.values()),
              **{f"ladder.{status}": figures.counts[status] for status in STATUSES},
              DROPPING: len(figures.dropping), DROPPED: len({drop.row.key for drop in figures.dropped})}
    return LadderData(settings, publication.day, figures, counts, frozenset(r.key for r in figures.dropping),
                      frozenset(drop.row.key for drop in figures.dropped), today)


def labels(settings: LadderSettings, text: Mapping[str, str]) -> dict[str, str]:
    """The admin's own names of Hot, Warm and Cold over the translated ones, for every
    place a status is named (counters, filters, columns, chart)."""
    out = {}
    for status in STATUSES:
        own = settings.own_name(status)
        if own:
            out[f"count.ladder.{status}"] = own
    return out


def status_name(status: Status | None, text: Mapping[str, str]) -> str:
    return text[f"count.ladder.{status}"] if status else ""


def matches(key: str, ladder: LadderData):
    """The list filter of a Status mode key: TRACKED, a status, DROPPING, DROPPED,
    "ladder.manager.<uid>" (that manager's tracked clients), and
    "ladder.manager.<uid>.<dropping|dropped|status>"."""
    head, _, rest = key.partition("ladder.")
    if head or not rest:
        raise ValueError(f"not a ladder filter {key!r}")
    if rest.startswith("manager."):
        uid_text, _, what = rest.removeprefix("manager.").partition(".")
        if not (uid_text.isascii() and uid_text.isdigit()):
            raise ValueError(f"unknown list filter {key!r}")
        uid = int(uid_text) or None
        inner = matches(f"ladder.{what or 'tracked'}", ladder)
        return lambda row: row.responsible_id == uid and inner(row)
    if rest == "tracked":
        return lambda row: row.ladder is not None and row.ladder.status is not None
    if rest == "dropping":
        return lambda row: (row.entity, row.id) in ladder.dropping
    if rest == "dropped":
        return lambda row: (row.entity, row.id) in ladder.dropped
    if rest in STATUSES:
        return lambda row: row.ladder is not None and row.ladder.status == rest
    raise ValueError(f"unknown list filter {key!r}")


def is_ladder_key(key: str) -> bool:
    return key.startswith("ladder.")


def row_value(row, column: str):
    """A status column's value: the status, its since, its next drop (None: none)."""
    published: Published | None = getattr(row, "ladder", None)
    if published is None:
        return None
    return {"status": published.status, "status_since": published.since, "next_drop": published.drop_on}[column]


def sort_key(column: str):
    """The status columns' sort keys, and which rows have no value (listed last)."""
    if column == "status":
        rank = {status: n for n, status in enumerate(STATUSES)}
        return (lambda row: rank[row.ladder.status]), (lambda row: row_value(row, "status") is None)
    return (lambda row: row_value(row, column)), (lambda row: row_value(row, column) is None)


def manager_filter(uid: int | None, what: str = "") -> str:
    return f"ladder.manager.{uid or 0}" + (f".{what}" if what else "")


def status_history(published: Published) -> list[tuple[date, Status | None, str]]:
    """A client's status changes the publication keeps (its last 400 days), newest first:
    (day, status, cause); the window's first day is not a change."""
    return [step for step in reversed(published.trail) if step[2] != "start"]


def csv_values(rows: Iterable, text: Mapping[str, str]) -> list[list[str]]:
    """The three status columns of each row as the CSV export writes them."""
    out = []
    for row in rows:
        status = row_value(row, "status")
        since, drop = row_value(row, "status_since"), row_value(row, "next_drop")
        out.append([status_name(status, text), since.isoformat() if since else "", drop.isoformat() if drop else ""])
    return out
