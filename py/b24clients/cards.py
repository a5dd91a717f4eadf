"""What the client list shows of a contact or company besides its classification.

The rules never look at names, owners or dates, so `model.py` does not carry
them; the list does (spec/app.md "Screens": name, responsible, created,
modified, last activity).  A Card is read from a raw REST row of either
spelling — legacy UPPER_CASE (`crm.contact.list`, `crm.company.list`, the
snapshot) or crm.item camelCase — by the same function for the snapshot and
the sync engine, so both paths show the same list.  CRM data is messy: a
missing key, a "0" owner or an unreadable date is absence, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from .dates import portal_datetime
from .model import COMPANY, Entity
from .records import Raw, field, first_date, ref_id


@dataclass(frozen=True, slots=True)
class Card:
    name: str
    """As Bitrix24 shows it; "" when the record has none (the list then says "Contact #7")."""
    responsible_id: int | None
    created: date | None
    """Portal calendar dates (rules.md §2), like every date the app shows."""
    modified: date | None
    """None also when the last change was this app's own write-back (`modified_by_app`)."""
    last_touch: date | None
    """The last time a person touched the client: the later of LAST_ACTIVITY_TIME and, where
    the portal keeps it, LAST_COMMUNICATION_TIME.  Our write-back never moves it, so it is
    what finds the forgotten clients (docs/app.md, "Forgotten clients")."""
    modified_by_app: bool = False
    """The record's last change was this app's write-back: its earlier date is not known."""


CONTACT_NAME = (("NAME", "name"), ("SECOND_NAME", "secondName"), ("LAST_NAME", "lastName"))
"""First name first, the middle name (patronymic) between: how a contact's card is titled."""
COMPANY_NAME = (("TITLE", "title"),)
CREATED = ("DATE_CREATE", "createdTime")
MODIFIED = ("DATE_MODIFY", "updatedTime")
MODIFIED_BY = ("MODIFY_BY_ID", "updatedBy")
TOUCHES = (("LAST_ACTIVITY_TIME", "lastActivityTime"), ("LAST_COMMUNICATION_TIME", "lastCommunicationTime"))


def card(entity: Entity, raw: Raw, portal_tz: timezone, *, ours: Callable[[Raw], bool] | None = None) -> Card:
    """The Card of one contact or company row, whichever spelling it came in.

    `ours(raw)` tells whether the row's last change was this app's own write-back."""
    parts = COMPANY_NAME if entity == COMPANY else CONTACT_NAME
    by_app = ours is not None and ours(raw)
    touches = [day for names in TOUCHES if (day := first_date(raw, names, portal_tz)) is not None]
    return Card(
        name=" ".join(word for names in parts for word in _words(field(raw, *names))),
        responsible_id=ref_id(field(raw, "ASSIGNED_BY_ID", "assignedById")),
        created=first_date(raw, CREATED, portal_tz),
        modified=None if by_app else first_date(raw, MODIFIED, portal_tz),
        last_touch=max(touches, default=None),
        modified_by_app=by_app,
    )


def written_by(author: int, window: tuple[datetime, datetime]) -> Callable[[Raw], bool]:
    """`ours` for `card`: the row was last changed by `author` within the write-back's
    time `window` (one second of slack either side: the portal's clock has seconds)."""
    start, end = window[0] - timedelta(seconds=1), window[1] + timedelta(seconds=1)

    def ours(raw: Raw) -> bool:
        if ref_id(field(raw, *MODIFIED_BY)) != author:
            return False
        moment = portal_datetime(field(raw, *MODIFIED), start.tzinfo or timezone.utc)
        return moment is not None and start <= moment <= end

    return ours


def _words(value: object) -> list[str]:
    """A name part split on any whitespace (tabs, no-break and ideographic spaces, line
    breaks), so "  Ivan \n" and "Ivan" read, search and sort the same."""
    return value.split() if isinstance(value, str) else []
