"""CSV of the rows shown (history.md "Filters": the same conventions as the client list).

The conventions and the formula guard are the client list's own
(`web/listing.py`, pure Python): ";" for Russian and "," elsewhere, UTF-8 with
a BOM, CRLF lines, dates as YYYY-MM-DD, and CRM text that a spreadsheet would
run as a formula prefixed with a single quote.  Amounts use the decimal
separator that goes with the delimiter, so Excel reads them as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date

from ..web.listing import CSV_DELIMITERS, _neutral
from .items import KINDS, STATUSES, Item
from .links import COMPANY, ENTITY_NAMES, Link
from .sorting import COLUMNS

CSV_COLUMNS: tuple[str, ...] = ("id", *COLUMNS[:4], "currency", "stage", "status", *COLUMNS[5:], "link")
"""The table's columns, plus the ID, the currency, the status word and the full link."""
TEXT_KEYS: tuple[str, ...] = (
    *(f"history.column.{column}" for column in CSV_COLUMNS),
    *(f"history.kind.{kind}" for kind in KINDS),
    *(f"history.status.{status}" for status in STATUSES),
    *(f"history.entity.{name}" for name in ENTITY_NAMES.values()),
)
"""Every word `to_csv` needs from the user's language."""


def to_csv(items: Iterable[Item], text: Mapping[str, str], language: str,
           people: Mapping[int, str] | None = None, labels: Mapping[Link, str] | None = None,
           portal_url: str = "") -> str:
    """The rows as a CSV file's text, in the order given.  `text` holds TEXT_KEYS;
    `people` names users (else "#12"), `labels` names records (else "Deal #12");
    `portal_url` ("https://x.bitrix24.ru") makes the links absolute."""
    delimiter = CSV_DELIMITERS.get(language, ",")
    decimal = "," if delimiter == ";" else "."
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(text[f"history.column.{column}"] for column in CSV_COLUMNS)
    people = {uid: _neutral(name) for uid, name in (people or {}).items() if name}
    labels = labels or {}

    def person(uid: int | None) -> str:
        return "" if uid is None else people.get(uid) or f"#{uid}"

    def record(link: Link) -> str:
        label = labels.get(link)
        return _neutral(label) if label else f"{text['history.entity.' + ENTITY_NAMES[link[0]]]} #{link[1]}"

    base = portal_url.rstrip("/")
    writer.writerows(
        [item.id, _iso(item.date), text[f"history.kind.{item.kind}"], _neutral(item.title),
         "" if item.amount is None else format(item.amount, "f").replace(".", decimal), _neutral(item.currency),
         _neutral(item.stage), "" if item.status is None else text[f"history.status.{item.status}"],
         person(item.author_id), person(item.responsible_id), _iso(item.created), _iso(item.deadline),
         _iso(item.closed), ", ".join(record(link) for link in item.via),
         "" if item.company_id is None else record((COMPANY, item.company_id)),
         base + item.path if item.path else ""]
        for item in items)
    return "\ufeff" + buffer.getvalue()


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
