"""The two status fields of the ladder (status-ladder.md "Working entity"):
"Status (Clients)", a list of the six statuses, and "Status since (Clients)",
a date — on contacts, companies, or both, as the working entity says.

List items are found by their XML_ID (the status itself, `new` … `lost`), never
by their label, so renaming Hot, Warm or Cold only changes what people see.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...ladder import LadderSettings, Status, STATUSES, Written
from ...ladder.settings import WorkingEntity
from ...model import COMPANY, CONTACT, Entity
from ...records import day_of
from ..fields import Field, item_name

STATUS = "UF_CRM_B24C_STATUS"
SINCE = "UF_CRM_B24C_STATUS_SINCE"
NAMES = (STATUS, SINCE)
STATUS_LABELS: Mapping[Status, tuple[str, str]] = {
    "new": ("Новый", "New"), "in_work": ("В работе", "In work"), "hot": ("Горячий", "Hot"),
    "warm": ("Тёплый", "Warm"), "cold": ("Холодный", "Cold"), "lost": ("Потерян", "Lost"),
}
"""(Russian, English) of each status; Hot, Warm and Cold may carry the admin's own names instead."""
ENTITIES_OF: Mapping[WorkingEntity, tuple[Entity, ...]] = {
    "client": (CONTACT, COMPANY), "contact": (CONTACT,), "company": (COMPANY,)}
"""Where the fields live: "clients" are B2B companies and B2C contacts, so both."""
TYPE_IDS: Mapping[Entity, int] = {CONTACT: 3, COMPANY: 4}
ITEM_NAMES = {name: item_name(name) for name in NAMES}
"""How crm.item.* spells them: ufCrmB24cStatus, ufCrmB24cStatusSince."""


def status_labels(settings: LadderSettings) -> dict[Status, tuple[str, str]]:
    """The list's labels: the admin's own name of Hot, Warm or Cold in both languages, else the defaults."""
    return {status: ((own, own) if (own := settings.own_name(status)) else STATUS_LABELS[status])
            for status in STATUSES}


def fields(settings: LadderSettings) -> tuple[Field, Field]:
    """The two field definitions, as `writeback.install_fields` creates them."""
    return (Field("status", STATUS, "enumeration", ("Статус (Клиенты)", "Status (Clients)"),
                  status_labels(settings)),
            Field("status_since", SINCE, "date", ("Статус с (Клиенты)", "Status since (Clients)")))


Items = Mapping[str, str]
"""A status field's list item ID → its XML_ID (the status)."""


def held(row: Mapping, items: Items) -> Written:
    """The two fields as a row holds them (legacy or original UF names); an unknown item is no status."""
    status = items.get(str(_value(row, STATUS) or ""))
    since = day_of(_value(row, SINCE))
    return Written(status if status in STATUSES else None, since if status in STATUSES else None)


def values(written: Written, item_of: Mapping[str, str]) -> dict[str, str]:
    """The fields to send for a target state: the list item's ID and an ISO date."""
    return {STATUS: item_of.get(written.status or "", ""),
            SINCE: written.since.isoformat() if written.since else ""}


def _value(row: Mapping, name: str) -> object:
    value = row.get(name, row.get(ITEM_NAMES[name]))
    if isinstance(value, list):
        return value[0] if value else None
    return value

