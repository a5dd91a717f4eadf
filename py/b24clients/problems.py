"""Data problems: REST rows the edge cannot read without guessing.

Bitrix24's answers are messy in known ways — "0", "" or null for "none",
legacy strings beside crm.item ints, text where a number or a date was
expected, unknown keys — and `records.py` absorbs all of that as absence.  A
value no portal sends is another matter: an ID in Arabic-Indic digits, a day
the calendar does not have or one at its very edge ("0000-00-00", year 9999
in +14:00), a number thousands of digits long, a list, an object or a
boolean where a single value belongs, no ID at all.
Reading such a row means guessing, and a guess would end up in a CRM field
that every list and mailing trusts.  So the row is skipped, counted and named
(issue 11, "One bad record never stops a run"), and everything else is read
as if it did not exist.

Only what reaches the rules is checked: IDs, links, stages, flags,
multifields and the dates `records.py` reads into `model.py`'s records.
What only the client list shows (names, owners, card dates) stays tolerant:
a bad card date is an empty cell, not a skipped client.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from .records import (
    CREATED,
    DEAL_SUCCESS_DATES,
    HAS_FLAGS,
    INVOICE_PAID_DATES,
    LEGACY_PAID_DATES,
    MAX_ID,
    MULTIFIELDS,
    field,
    record_id,
)

ID_KEYS = ("ID", "id")
MIN_YEAR, MAX_YEAR = 2, 9998
"""A date must stay on the calendar in every UTC offset (year 1 and 9999 fall off its edges)."""
LISTS = (*MULTIFIELDS, "fm")


@dataclass(frozen=True, slots=True)
class Checks:
    """A kind's fields that reach the rules, by what they must hold (both spellings)."""

    links: tuple[str, ...] = ()
    """Never a list, object, boolean or digits that are no ID."""
    link_lists: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    """Never an object or a boolean (other scalars read as an empty list)."""
    codes: tuple[str, ...] = ()
    """A stage or status code: never a list, object or boolean."""
    flags: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    """Never a list, object or boolean, and a value in a date's shape is a day on the calendar."""


CHECKS: dict[str, Checks] = {
    "contacts": Checks(links=("COMPANY_ID", "companyId"), link_lists=("companyIds",), lists=LISTS, flags=HAS_FLAGS),
    "companies": Checks(lists=LISTS, flags=("IS_MY_COMPANY", "isMyCompany", *HAS_FLAGS)),
    "deals": Checks(links=("COMPANY_ID", "companyId", "CONTACT_ID", "contactId", "CATEGORY_ID", "categoryId"),
                    link_lists=("CONTACT_IDS", "contactIds"),
                    codes=("STAGE_SEMANTIC_ID", "stageSemanticId", "STAGE_ID", "stageId"),
                    dates=(*DEAL_SUCCESS_DATES, *CREATED)),
    "invoices": Checks(links=("parentId2", "PARENT_ID_2", "companyId", "COMPANY_ID", "contactId", "CONTACT_ID"),
                       link_lists=("contactIds", "CONTACT_IDS"), codes=("stageId", "STAGE_ID"),
                       dates=INVOICE_PAID_DATES),
    "legacy_invoices": Checks(links=("UF_DEAL_ID", "UF_COMPANY_ID", "UF_CONTACT_ID"), codes=("STATUS_ID",),
                              dates=LEGACY_PAID_DATES),
    "activities": Checks(links=("OWNER_TYPE_ID", "ownerTypeId", "OWNER_ID", "ownerId"), lists=("BINDINGS", "bindings")),
    "requisites": Checks(links=("ENTITY_TYPE_ID", "entityTypeId", "ENTITY_ID", "entityId")),
}
"""Per kind of the read plan (`sync/plan.py`) and snapshot collection."""


@dataclass(frozen=True, slots=True)
class DataProblem:
    """A row that was skipped: its kind, its ID as given (`shown`), and why."""

    kind: str
    id: str
    reason: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "reason": self.reason}


def problem(kind: str, raw: object) -> str | None:
    """Why this row cannot be read without guessing, or None when it can."""
    if not isinstance(raw, Mapping):
        return f"the row is {shown(raw)}, not a record"
    own = field(raw, *ID_KEYS)
    if own is None or _id(own) is None:
        return f"ID {shown(own)} is not a record ID"
    checks = CHECKS.get(kind, Checks())
    for names, readable, what in ((checks.links, _link, "a link"), (checks.link_lists, _links, "a list of links"),
                                  (checks.lists, _list, "a list"), (checks.codes, _code, "a code"),
                                  (checks.flags, _flag, "a flag"), (checks.dates, _date, "a date on the calendar")):
        for name in names:
            if name in raw and not readable(raw[name]):
                return f"{name} {shown(raw[name])} is not {what}"
    return None


def row_id(raw: object) -> str:
    """A row's ID as a problem names it: the number when it is one, else the value as given."""
    if isinstance(raw, Mapping):
        own = field(raw, *ID_KEYS)
        number = _id(own) if own is not None else None
        return str(number) if number is not None else shown(own)
    return shown(None)


def shown(value: object) -> str:
    """A value as a problem shows it: short, printable (repr escapes control and direction
    characters), and never an error itself — not even a number too long to print."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10 ** 30 else f"<a number of {value.bit_length()} bits>"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, (list, tuple)):
        return f"<a list of {len(value)}>"
    if isinstance(value, Mapping):
        return f"<an object of {len(value)} keys>"
    return f"<{type(value).__name__}>"


def _id(value: object) -> int | None:
    try:
        return record_id({"ID": value})
    except ValueError:
        return None


def _huge(value: object) -> bool:
    """A number too long for any field (and past Python's 4,300 digits, too long to print)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_ID


def _structured(value: object) -> bool:
    """A list, an object or a boolean: never what a scalar field holds."""
    return isinstance(value, (list, tuple, Mapping, bool))


def _link(value: object) -> bool:
    """Text that is no number ("abc") and the spellings of none are the CRM's mess (no link);
    digits that are no ID ("١٢٣", thousands of them) would be a misread."""
    if _structured(value) or _huge(value):
        return False
    if isinstance(value, str):
        text = value.strip()
        return not text.isdigit() or _id(text) is not None or text.strip("0") == ""
    return True


def _links(value: object) -> bool:
    if isinstance(value, list):
        return all(_link(item) for item in value)
    return not isinstance(value, (Mapping, bool)) and not _huge(value)


def _list(value: object) -> bool:
    return not isinstance(value, (Mapping, bool)) and not _huge(value)


def _code(value: object) -> bool:
    return not _structured(value) and not _huge(value)


def _flag(value: object) -> bool:
    return not isinstance(value, (list, tuple, Mapping)) and not _huge(value)


_DATE_SHAPE = re.compile(r"\s*[+-]?\d{4,}-\d\d?-\d\d?")


def _date(value: object) -> bool:
    """Free text is no date (the CRM's mess); a value in a date's shape must be a day on the
    calendar, far enough from its ends to stay on it in every UTC offset."""
    if _structured(value) or _huge(value):
        return False
    if not isinstance(value, str) or not _DATE_SHAPE.match(value):
        return True
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return False
    return MIN_YEAR <= moment.year <= MAX_YEAR
