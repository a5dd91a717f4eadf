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

from dataclasses import dataclass
from datetime import date, timezone

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
    last_activity: date | None


CONTACT_NAME = (("NAME", "name"), ("SECOND_NAME", "secondName"), ("LAST_NAME", "lastName"))
"""First name first, the middle name (patronymic) between: how a contact's card is titled."""
COMPANY_NAME = (("TITLE", "title"),)
CREATED = ("DATE_CREATE", "createdTime")
MODIFIED = ("DATE_MODIFY", "updatedTime")
LAST_ACTIVITY = ("LAST_ACTIVITY_TIME", "lastActivityTime")


def card(entity: Entity, raw: Raw, portal_tz: timezone) -> Card:
    """The Card of one contact or company row, whichever spelling it came in."""
    parts = COMPANY_NAME if entity == COMPANY else CONTACT_NAME
    return Card(
        name=" ".join(word for names in parts for word in _words(field(raw, *names))),
        responsible_id=ref_id(field(raw, "ASSIGNED_BY_ID", "assignedById")),
        created=first_date(raw, CREATED, portal_tz),
        modified=first_date(raw, MODIFIED, portal_tz),
        last_activity=first_date(raw, LAST_ACTIVITY, portal_tz),
    )


def _words(value: object) -> list[str]:
    """A name part split on any whitespace (tabs, no-break and ideographic spaces, line
    breaks), so "  Ivan \n" and "Ivan" read, search and sort the same."""
    return value.split() if isinstance(value, str) else []
