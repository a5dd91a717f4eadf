"""The values a computing run wrote into the CRM, read back as client rows (spec/sync.md,
"Who computes, who reads").

A user who sees part of the CRM cannot compute a client's values, but can
read what an admin's run wrote on the records they see.  What time changes
is derived again for today: a paid client's lifecycle from its last payment
date and the portal's thresholds (it turns Sleeping with no CRM change).
Everything else stays as written: frequency and the unpaid lifecycles only
change when the CRM does, and then the next computing run rewrites them.

A record with no written values (created after the last computation) is
derived from what the record itself shows: its type from its company link,
no payments and no requests (they are not read), and "with contacts" or
"without contacts" from its own contact data.  `computed` says which is which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..classify import ClientRow
from ..clients import B2B, B2C, COMPANY_CONTACT, ClientType
from ..lifecycle import FREQUENCIES, LIFECYCLES, PAID, Boundaries, Lifecycle, frequency, unpaid_lifecycle
from ..model import COMPANY, CONTACT, Entity
from ..records import Raw, day_of, field, has_contact_data, is_yes, ref_id, ref_ids
from ..ranks import RANKS, Rank
from .fields import FIELDS, RANK, TYPE_LABELS, item_name

ItemValues = Mapping[str, Mapping[str, str]]
"""Per enumeration field name: list item ID → the value it stands for (its XML_ID)."""


@dataclass(frozen=True, slots=True)
class Written:
    """One contact's or company's values as the CRM holds them."""

    entity: Entity
    id: int
    client_type: ClientType
    parent_company_id: int | None
    lifecycle: Lifecycle
    payments: int
    last_payment: date | None
    has_dialogs: bool
    has_contact_data: bool
    computed: bool
    """False: nothing was written yet, the values come from the record alone."""
    rank: Rank | None = None
    """The rank the computing run wrote; None when it wrote none (a record created since,
    or a computation from before the ninth field)."""

    def row(self, boundaries: Boundaries) -> ClientRow:
        """The client row for the day `boundaries` were drawn for."""
        lifecycle = self.lifecycle
        if self.last_payment is not None:
            lifecycle = boundaries.lifecycle(self.last_payment)
        elif lifecycle in PAID:  # a paid lifecycle without its date: the record was edited by hand
            lifecycle = unpaid_lifecycle(False, self.has_dialogs, self.has_contact_data)
        return ClientRow(entity=self.entity, id=self.id, client_type=self.client_type,
                         parent_company_id=self.parent_company_id, lifecycle=lifecycle,
                         frequency=frequency(self.payments), last_payment=self.last_payment,
                         payments=self.payments, has_dialogs=self.has_dialogs,
                         has_contact_data=self.has_contact_data)

    def to_json(self) -> list:
        return [self.entity, self.id, self.client_type, self.parent_company_id, self.lifecycle, self.payments,
                self.last_payment.isoformat() if self.last_payment else None, self.has_dialogs,
                self.has_contact_data, self.computed, self.rank]

    @classmethod
    def from_json(cls, data: list) -> Written:
        entity, rid, kind, parent, lifecycle, payments, last, dialogs, contact_data, computed, rank = data
        return cls(entity, rid, kind, parent, lifecycle, payments, date.fromisoformat(last) if last else None,
                   dialogs, contact_data, computed, rank)


_BY_KEY = {f.key: f for f in FIELDS}


def written(entity: Entity, raw: Raw, items: ItemValues) -> Written | None:
    """The values on one crm.item row; None for a company of the seller's own."""
    rid = ref_id(field(raw, "id", "ID"))
    if rid is None or (entity == COMPANY and is_yes(field(raw, "isMyCompany", "IS_MY_COMPANY"))):
        return None
    values = {key: field(raw, item_name(f.name), f.name) for key, f in _BY_KEY.items()}
    lifecycle = _choice(values["lifecycle"], items.get(_BY_KEY["lifecycle"].name), LIFECYCLES)
    kind = _choice(values["client_type"], items.get(_BY_KEY["client_type"].name), tuple(TYPE_LABELS))
    if lifecycle is None or kind is None or _choice(values["frequency"], items.get(_BY_KEY["frequency"].name),
                                                    FREQUENCIES) is None:
        return _from_record(entity, rid, raw)
    return Written(entity=entity, id=rid, client_type=kind,
                   parent_company_id=ref_id(_digits(values["parent_company_id"])) if entity == CONTACT else None,
                   lifecycle=lifecycle, payments=_count(values["payments"]), last_payment=day_of(values["last_payment"]),
                   has_dialogs=_flag(values["has_dialogs"]), has_contact_data=_flag(values["has_contact_data"]),
                   computed=True, rank=_choice(values[RANK], items.get(_BY_KEY[RANK].name), RANKS))


def _from_record(entity: Entity, rid: int, raw: Raw) -> Written:
    """Nothing written yet: what the record alone says (see the module's docstring)."""
    contact_data = has_contact_data(raw)
    parent = None
    if entity == CONTACT:
        parent = ref_id(field(raw, "companyId", "COMPANY_ID")) or next(iter(ref_ids(raw.get("companyIds"))), None)
        kind: ClientType = COMPANY_CONTACT if parent is not None else B2C
    else:
        kind = B2B
        contact_data = contact_data or bool(ref_ids(raw.get("contactIds")))
    return Written(entity=entity, id=rid, client_type=kind, parent_company_id=parent,
                   lifecycle=unpaid_lifecycle(False, False, contact_data), payments=0, last_payment=None,
                   has_dialogs=False, has_contact_data=contact_data, computed=False)


def _choice(value: object, items: Mapping[str, str] | None, allowed: tuple[str, ...]) -> str | None:
    """An enumeration's value from its list item ID (or, read without IDs, the value itself)."""
    if value in (None, "", False):
        return None
    text = str(value)
    text = (items or {}).get(text, text)
    return text if text in allowed else None


def _digits(value: object) -> object:
    """A CRM link as written ("7") or as some portals answer it ("CO_7")."""
    return value.rpartition("_")[2] if isinstance(value, str) else value


def _count(value: object) -> int:
    try:
        number = int(float(str(value)))
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(0, number)




def _flag(value: object) -> bool:
    return str(value).upper() in ("1", "Y", "TRUE")
