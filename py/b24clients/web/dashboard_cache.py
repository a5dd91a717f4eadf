"""The last dashboard's data, kept so that a reload is live at once (issue 11: "live in
≤ 1 s after Python is ready").

Replaying a large store and classifying 85,000 clients again takes seconds; the
rows the list shows, already classified, are read back instead: a head chunk,
then the rows ROWS_PER_CHUNK to a chunk, so that each JSON parse and each step
of turning rows back into ListRows stays far below the 200 ms a page may hold
its main thread (a chunk is parsed between two pauses by the store).  Time
may have moved since they were saved: a paid client's lifecycle is derived again
from its last payment date for today, and the counts, managers and months follow.
Everything else changes only when the CRM does, and then a refresh saves new rows
(the ranks too: their window moves with the days, but a day moves few clients, and
the run that follows the opening computes them again).
Pure: tested under CPython.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict
from datetime import date, datetime

from ..clients import B2B, B2C, COMPANY_CONTACT
from ..lifecycle import FREQUENCIES, LIFECYCLES, PAID, Boundaries, Thresholds
from ..model import COMPANY, CONTACT
from ..ranks.ranking import RANKS
from ..steps import STEP, Steps, finish
from ..sync.provenance import Provenance
from . import listing
from .listing import ListRow
from .origin import Origin
from .view import FIRST_ORDER, Data, RankFigures

FORMAT = "b24clients-dashboard/5"
"""5: values of a few kinds kept as their index in `_CODES`, dates as day numbers (half the
JSON of 4, parsed in two thirds of the time); 4: rows in the list's first order, with the
day's counts, managers and responsibles in the head; 3: rows carry their rank."""
ROWS_PER_CHUNK = 5000
_FIELDS = ("entity", "id", "name", "client_type", "lifecycle", "frequency", "last_payment", "payments",
           "last_touch", "modified", "created", "responsible_id", "has_contacts", "modified_by_app", "rank")
_CODES = {"entity": (COMPANY, CONTACT), "client_type": (B2B, B2C, COMPANY_CONTACT), "lifecycle": LIFECYCLES,
          "frequency": FREQUENCIES, "rank": RANKS}
"""A value of these fields is kept as its index in the tuple: no format is older than its tuples."""
_CODED_AT = tuple((_FIELDS.index(name), codes, {value: n for n, value in enumerate(codes)})
                  for name, codes in _CODES.items())
_DATE_AT = tuple(at for at, name in enumerate(_FIELDS) if name in ("last_payment", "last_touch", "modified", "created"))
_PAID_AT, _LIFECYCLE_AT = _FIELDS.index("last_payment"), _FIELDS.index("lifecycle")


def to_chunks(data, names: Mapping[int, str] | None = None) -> Iterator[dict]:
    """A screen.Data as plain JSON chunks: the head (format, today, months, origin, and
    the day's counts and managers), then the rows as lists in _FIELDS order and in the
    list's first order, ROWS_PER_CHUNK to a chunk (made one at a time, so that a page
    may pause between two).  Kept sorted, they need no sort when read back; kept with
    the day's counts, a reload the same day skips two passes over every row; kept with
    the responsibles' `names`, it draws them before `user.get` answers."""
    origin = data.origin
    rows = data.ordered.get(FIRST_ORDER) or listing.sort_rows(data.rows, *FIRST_ORDER)
    head = {
        "format": FORMAT,
        "today": data.today.isoformat(),
        "months": [list(month) for month in data.months],
        "problems": [list(problem) for problem in data.problems],
        "ranks": asdict(data.ranks) if data.ranks is not None else None,
        "counts": data.counts,
        "managers": [[m.responsible_id, m.total, m.lifecycle, m.untouched] for m in data.managers],
        "responsibles": sorted({row.responsible_id for row in rows if row.responsible_id}),
        "names": {str(uid): name for uid, name in (names or {}).items() if name},
        "origin": {"kind": origin.kind, "refreshed_at": _out(origin.refreshed_at),
                   "provenance": origin.provenance.to_option() if origin.provenance else None,
                   "admin": origin.admin, "restricted": origin.restricted, "uncomputed": origin.uncomputed},
    }
    yield head
    for at in range(0, len(rows), ROWS_PER_CHUNK):
        yield {"rows": [_encoded(row) for row in rows[at:at + ROWS_PER_CHUNK]]}


def from_chunks(chunks: list, today: date, thresholds: Thresholds):
    """The saved dashboard for `today`: None when it is not ours to read (another format)."""
    return finish(from_chunks_steps(chunks, today, thresholds))


def from_chunks_steps(chunks: list, today: date, thresholds: Thresholds) -> Steps:
    """`from_chunks` as a step generator (steps.py): a pause every STEP rows."""
    head = chunks[0] if chunks and isinstance(chunks[0], dict) else None
    if head is None or head.get("format") != FORMAT:
        return None
    boundaries = Boundaries.on(today, thresholds)
    rows = []
    moved = 0
    for chunk in chunks[1:]:
        for n, values in enumerate(chunk["rows"], 1):
            row, moved_on = _row(values, boundaries)
            moved += moved_on
            rows.append(row)
            if n % STEP == 0:
                yield
    o = head["origin"]
    origin = Origin(kind=o["kind"], refreshed_at=datetime.fromisoformat(o["refreshed_at"]) if o["refreshed_at"] else None,
                    provenance=Provenance.from_option(o["provenance"]), admin=bool(o["admin"]),
                    restricted=bool(o["restricted"]), uncomputed=int(o["uncomputed"]))
    figures = head.get("ranks")
    if figures is not None:
        figures = RankFigures(**{**figures, "cutoffs": tuple(figures["cutoffs"]),
                                 "curve": tuple(tuple(point) for point in figures["curve"])})
    if head["today"] == today.isoformat() and not moved:
        counts = head["counts"]
        managers = [listing.ManagerRow(*values) for values in head["managers"]]
    else:
        counts = yield from listing.counts_steps(rows)
        managers = yield from listing.managers_steps(rows, today)
    data = Data(rows=rows, counts=counts, months=_months(head["months"], today), managers=managers, today=today,
                origin=origin, ranks=figures, problems=[tuple(problem) for problem in head.get("problems", [])])
    data.ordered[FIRST_ORDER] = rows
    return data


def names(chunks: list) -> dict[int, str]:
    """The responsibles' names as they were when the rows were kept."""
    head = chunks[0] if chunks and isinstance(chunks[0], dict) else {}
    saved = head.get("names") if head.get("format") == FORMAT else None
    return {int(uid): str(name) for uid, name in saved.items() if str(uid).isdigit()} if isinstance(saved, dict) else {}


def responsibles(chunks: list) -> list[int]:
    """The employees the saved rows name (to read their names while the rows are rebuilt)."""
    head = chunks[0] if chunks and isinstance(chunks[0], dict) else {}
    return list(head.get("responsibles", [])) if head.get("format") == FORMAT else []


def _row(values: list, boundaries: Boundaries) -> tuple[ListRow, bool]:
    """A saved row for today: its dates read back, and time moving a paid client along
    (Active → Sleeping → Lost) with no CRM change.  Done on the plain list before the
    ListRow is made (85,000 of them on a reload: no keyword dict built per field)."""
    for at, codes, _ in _CODED_AT:
        values[at] = codes[values[at]]
    for at in _DATE_AT:
        if values[at]:
            values[at] = date.fromordinal(values[at])
    saved, paid = values[_LIFECYCLE_AT], values[_PAID_AT]
    if paid is not None and saved in PAID:
        values[_LIFECYCLE_AT] = boundaries.lifecycle(paid)
    return ListRow(*values), values[_LIFECYCLE_AT] != saved


def _encoded(row: ListRow) -> list:
    values = [getattr(row, name) for name in _FIELDS]
    for at, _, index in _CODED_AT:
        values[at] = index[values[at]]
    for at in _DATE_AT:
        if values[at]:
            values[at] = values[at].toordinal()
    return values


def _months(months: list, today: date) -> list[tuple]:
    """The saved months through today's month: months since then created nothing known yet."""
    out = [tuple(month) for month in months]
    if not out:
        return out
    last = today.year * 12 + today.month - 1
    year, month = (int(part) for part in out[-1][0].split("-"))
    index = year * 12 + month - 1
    contacts, companies = out[-1][3], out[-1][4]
    while index < last:
        index += 1
        y, m = divmod(index, 12)
        out.append((f"{y:04d}-{m + 1:02d}", 0, 0, contacts, companies))
    return [month for month in out if int(month[0][:4]) * 12 + int(month[0][5:7]) - 1 <= last]


def _out(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
