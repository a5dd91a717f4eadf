"""The edge: REST records as Bitrix24 returns them → the rules' own types.

Both spellings arrive: legacy methods (`crm.contact.list`: UPPER_CASE keys,
every scalar a string, "Y"/"N") and `crm.item.list` (camelCase keys, ints).
"No company" comes as "0", 0, "", null or a missing key.  All of that is
absorbed here, once, so no rule ever looks at a raw record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timezone
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from .dates import portal_date
from .model import (
    COMPANY,
    CONTACT,
    Activity,
    ActivityKind,
    Company,
    Contact,
    CurrencyRate,
    Deal,
    Invoice,
    Ref,
    Touch,
)

Raw = Mapping[str, object]
T = TypeVar("T")

MULTIFIELDS = ("PHONE", "EMAIL", "WEB", "IM")
HAS_FLAGS = ("HAS_PHONE", "HAS_EMAIL", "HAS_IMOL", "hasPhone", "hasEmail", "hasImol")
DEAL_TYPE, CONTACT_TYPE, COMPANY_TYPE, LEGACY_INVOICE_TYPE, SMART_INVOICE_TYPE = 2, 3, 4, 5, 31
"""CRM entity type IDs, Bitrix24's own numbering."""
OWNER_TYPES = {CONTACT_TYPE: CONTACT, COMPANY_TYPE: COMPANY}


def field(raw: Raw, *names: str) -> object:
    """The first of `names` present in the record (legacy name, then crm.item name)."""
    for name in names:
        if name in raw:
            return raw[name]
    return None


MAX_ID = 10 ** 18
"""Bitrix24's IDs are 64-bit at most: a longer number is no ID (and a thousands-digit
one would not even convert: Python refuses to read ints past 4,300 digits)."""


def ref_id(value: object) -> int | None:
    """A link to another record: a positive int, or None for every spelling of "none"
    and for anything that is no ID (only ASCII digits: "١٢٣" is not 123)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < MAX_ID else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 18:
            number = int(text)
            return number if number > 0 else None
    return None


def category_id(value: object) -> int | None:
    """A pipeline ID: like a link, except that 0 is a real one (the general pipeline)."""
    text = value.strip() if isinstance(value, str) else value
    if text == "0" or (type(text) is int and text == 0):
        return 0
    return ref_id(value)


def ref_ids(value: object) -> list[int]:
    if not isinstance(value, list):
        return []
    return [i for i in (ref_id(v) for v in value) if i is not None]


def is_yes(value: object) -> bool:
    return value is True or value == "Y" or value == 1 or value == "1"


def flag_of(value: object) -> bool | None:
    """True/False, 1/0, or the texts BX24 and PHP round trips make of them; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in ("Y", "N", "1", "0", "TRUE", "FALSE"):
        return value.strip().upper() in ("Y", "1", "TRUE")
    return None


def day_of(value: object) -> date | None:
    """A date field: "2026-08-10" as written, or "2026-08-10T00:00:00+03:00" as crm.item answers."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def number_of(value: object) -> Decimal | None:
    """A number exactly as sent: "19999.99" (legacy string), 19999.99 (crm.item number),
    "40.5 " from a form.  None for absent, blank, non-numeric or infinite."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def money(value: object) -> Decimal | None:
    """An amount as sent (`number_of`); None for absent, unreadable or negative — an
    amount nobody can trust is absence, never an error and never a zero."""
    number = number_of(value)
    return number if number is not None and number >= 0 else None


def currency_code(value: object) -> str | None:
    """"usd " → "USD"; None for absent or blank."""
    return (value.strip().upper() or None) if isinstance(value, str) else None


def _filled(items: object) -> bool:
    """A multifield list with at least one non-blank VALUE (or crm.item `value`)."""
    if not isinstance(items, list):
        return False
    for item in items:
        if isinstance(item, Mapping):
            value = field(item, "VALUE", "value")
            if isinstance(value, str) and value.strip():
                return True
    return False


def has_contact_data(raw: Raw) -> bool:
    """Own phone, email, website or messenger: the multifields, crm.item's `fm`,
    or the read-only HAS_PHONE/HAS_EMAIL/HAS_IMOL flags when the lists were not selected."""
    if any(_filled(raw.get(name)) for name in MULTIFIELDS) or _filled(raw.get("fm")):
        return True
    return any(is_yes(raw.get(flag)) for flag in HAS_FLAGS)


def company_bindings(rows: Iterable[Raw]) -> dict[int, list[int]]:
    """`crm.contact.company.items.get` rows (with CONTACT_ID) → contact → companies, primary first.

    Among several bindings the one marked IS_PRIMARY comes first, then by SORT
    and company ID, so the order is the same however the rows arrived.
    """
    keyed: dict[int, list[tuple[int, int, int]]] = {}
    for row in rows:
        contact_id = ref_id(row.get("CONTACT_ID"))
        company_id = ref_id(row.get("COMPANY_ID"))
        if contact_id is None or company_id is None:
            continue
        sort = ref_id(row.get("SORT")) or 0
        keyed.setdefault(contact_id, []).append((0 if is_yes(row.get("IS_PRIMARY")) else 1, sort, company_id))
    return {contact: _unique(c for _, _, c in sorted(links)) for contact, links in keyed.items()}


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def contact(raw: Raw, bound_company_ids: list[int] | None = None) -> Contact:
    """A contact with every company it is linked to, the primary one first.

    Sources, in order of authority: the binding rows (IS_PRIMARY), crm.item's
    `companyIds`, and the legacy "main company" COMPANY_ID / `companyId`.
    """
    main = ref_id(field(raw, "COMPANY_ID", "companyId"))
    linked = list(bound_company_ids or ([main] if main is not None else []))
    linked += ref_ids(raw.get("companyIds"))
    if main is not None:
        linked.append(main)
    return Contact(
        id=record_id(raw),
        company_ids=tuple(_unique(linked)),
        has_contact_data=has_contact_data(raw),
    )


def company(raw: Raw) -> Company:
    return Company(
        id=record_id(raw),
        is_mine=is_yes(field(raw, "IS_MY_COMPANY", "isMyCompany")),
        has_contact_data=has_contact_data(raw),
    )


def record_id(raw: Raw) -> int:
    """The record's own ID; a record without one is malformed, not "no record"."""
    value = ref_id(field(raw, "ID", "id"))
    if value is None:
        raise ValueError(f"has no valid ID: {field(raw, 'ID', 'id')!r}")
    return value


class StageBook:
    """`crm.status.list` rows → is this deal stage / invoice stage a success?

    Stage codes carry their pipeline ("C3:WON", "DT31_2:P"), so one map per
    family of directories (deal stages, smart-invoice stages, legacy invoice
    statuses) is enough, whatever the pipeline.
    """

    FAMILIES = (("DEAL_STAGE", "deal"), ("SMART_INVOICE_STAGE", "invoice"), ("INVOICE_STATUS", "legacy"))

    def __init__(self, statuses: Iterable[Raw] = ()):
        self._semantics: dict[tuple[str, str], str] = {}
        for row in statuses:
            family = self._family(str(row.get("ENTITY_ID") or ""))
            semantics = self._row_semantics(row)
            if family and semantics:
                self._semantics[(family, str(row.get("STATUS_ID")))] = semantics

    @classmethod
    def _family(cls, entity_id: str) -> str | None:
        return next((family for prefix, family in cls.FAMILIES if entity_id.startswith(prefix)), None)

    @staticmethod
    def _row_semantics(row: Raw) -> str | None:
        semantics = row.get("SEMANTICS")
        if semantics in ("S", "F"):
            return semantics
        extra = row.get("EXTRA")
        if isinstance(extra, Mapping):
            return {"success": "S", "failure": "F"}.get(str(extra.get("SEMANTICS")))
        return None

    def succeeded(self, family: str, stage: object) -> bool | None:
        """True / False when the directory knows the stage; None when it does not."""
        semantics = self._semantics.get((family, str(stage)))
        return None if semantics is None else semantics == "S"


def first_date(raw: Raw, names: Iterable[str], portal_tz: timezone) -> date | None:
    """The first of `names` that holds a readable timestamp, as a portal date."""
    for name in names:
        day = portal_date(raw.get(name), portal_tz)
        if day is not None:
            return day
    return None


DEAL_SUCCESS_DATES = ("CLOSEDATE", "closedate", "MOVED_TIME", "movedTime", "DATE_MODIFY", "updatedTime",
                      "DATE_CREATE", "createdTime")
INVOICE_PAID_DATES = ("movedTime", "updatedTime", "createdTime")
LEGACY_PAID_DATES = ("PAY_VOUCHER_DATE", "DATE_PAYED", "DATE_UPDATE", "DATE_INSERT")


CREATED = ("DATE_CREATE", "createdTime")


def deal(raw: Raw, stages: StageBook, portal_tz: timezone) -> Deal:
    """A deal is won when its stage semantics is S, in any pipeline, whatever
    the stage is called: the deal's own STAGE_SEMANTIC_ID, else the directory."""
    semantic = field(raw, "STAGE_SEMANTIC_ID", "stageSemanticId")
    if semantic in ("S", "F", "P"):
        won = semantic == "S"
    else:
        won = bool(stages.succeeded("deal", field(raw, "STAGE_ID", "stageId")))
    contact_id = ref_id(field(raw, "CONTACT_ID", "contactId"))
    if contact_id is None:
        contact_id = next(iter(ref_ids(field(raw, "CONTACT_IDS", "contactIds"))), None)
    return Deal(
        id=record_id(raw),
        company_id=ref_id(field(raw, "COMPANY_ID", "companyId")),
        contact_id=contact_id,
        succeeded_on=first_date(raw, DEAL_SUCCESS_DATES, portal_tz) if won else None,
        category_id=category_id(field(raw, "CATEGORY_ID", "categoryId")),
        amount=money(field(raw, "OPPORTUNITY", "opportunity")),
        currency=currency_code(field(raw, "CURRENCY_ID", "currencyId")),
        created_on=first_date(raw, CREATED, portal_tz),
    )


def invoice_key(entity_type: int, invoice_id: int) -> str:
    """`Invoice.key`: smart and legacy invoices have separate ID spaces, and
    the zero-padded ID sorts the keys in ID order."""
    family = "invoice" if entity_type == SMART_INVOICE_TYPE else "legacy_invoice"
    return f"{family}:{invoice_id:012d}"


def smart_invoice(raw: Raw, stages: StageBook, portal_tz: timezone) -> Invoice:
    """Paid when its stage has semantics S in SMART_INVOICE_STAGE_{category},
    custom paid stages included; dated by when it moved there.  A stage the
    directory does not list falls back to the system paid code ':P'."""
    stage = str(field(raw, "stageId", "STAGE_ID") or "")
    paid = stages.succeeded("invoice", stage)
    if paid is None:
        paid = stage.endswith(":P")
    contact_id = ref_id(field(raw, "contactId", "CONTACT_ID"))
    if contact_id is None:
        contact_id = next(iter(ref_ids(field(raw, "contactIds", "CONTACT_IDS"))), None)
    return Invoice(
        key=invoice_key(SMART_INVOICE_TYPE, record_id(raw)),
        deal_id=ref_id(field(raw, "parentId2", "PARENT_ID_2")),
        company_id=ref_id(field(raw, "companyId", "COMPANY_ID")),
        contact_id=contact_id,
        succeeded_on=first_date(raw, INVOICE_PAID_DATES, portal_tz) if paid else None,
        amount=money(field(raw, "opportunity", "OPPORTUNITY")),
        currency=currency_code(field(raw, "currencyId", "CURRENCY_ID")),
        created_on=first_date(raw, ("createdTime",), portal_tz),
    )


def legacy_invoice(raw: Raw, stages: StageBook, portal_tz: timezone) -> Invoice:
    """Old portals' `crm.invoice.*`: paid with status P (or a custom status
    with success semantics), dated PAY_VOUCHER_DATE, else DATE_PAYED, else DATE_UPDATE."""
    status = raw.get("STATUS_ID")
    paid = status == "P" or bool(stages.succeeded("legacy", status))
    return Invoice(
        key=invoice_key(LEGACY_INVOICE_TYPE, record_id(raw)),
        deal_id=ref_id(raw.get("UF_DEAL_ID")),
        company_id=ref_id(raw.get("UF_COMPANY_ID")),
        contact_id=ref_id(raw.get("UF_CONTACT_ID")),
        succeeded_on=first_date(raw, LEGACY_PAID_DATES, portal_tz) if paid else None,
        amount=money(raw.get("PRICE")),
        currency=currency_code(raw.get("CURRENCY")),
        created_on=first_date(raw, ("DATE_INSERT",), portal_tz),
    )


def activity_owners(raw: Raw) -> list[Ref]:
    """The contacts and companies an activity is bound to (its BINDINGS and its owner)."""
    return list(_owners(_bindings(raw)))


def _owners(bindings: list[tuple[int, int]]) -> tuple[Ref, ...]:
    """The contacts and companies among an activity's readable bindings (`_bindings`)."""
    return tuple((OWNER_TYPES[t], i) for t, i in bindings if t in OWNER_TYPES)


def _binding_pairs(raw: Raw) -> list[tuple[object, object]]:
    """(entity type, record ID) of an activity's owner and of each of its BINDINGS, raw."""
    pairs = [(field(raw, "OWNER_TYPE_ID", "ownerTypeId"), field(raw, "OWNER_ID", "ownerId"))]
    bindings = field(raw, "BINDINGS", "bindings")
    if isinstance(bindings, list):
        pairs += [
            (field(b, "OWNER_TYPE_ID", "ownerTypeId", "entityTypeId"), field(b, "OWNER_ID", "ownerId", "entityId"))
            for b in bindings
            if isinstance(b, Mapping)
        ]
    return pairs


def _bindings(raw: Raw) -> list[tuple[int, int]]:
    """An activity's bindings as readable (entity type, record ID) pairs, each once."""
    pairs = ((ref_id(type_id), ref_id(owner_id)) for type_id, owner_id in _binding_pairs(raw))
    return _unique((t, i) for t, i in pairs if t is not None and i is not None)


PROVIDER_KINDS: dict[str, ActivityKind] = {
    "VOXIMPLANT_CALL": "call", "CRM_CALL_TRACKER": "call", "CRM_EMAIL": "email", "CRM_MEETING": "meeting",
    "IMOPENLINES_SESSION": "openline", "CRM_TODO": "todo",
}
TYPE_KINDS: dict[int, ActivityKind] = {1: "meeting", 2: "call", 4: "email"}
"""Legacy TYPE_ID: 1 meeting, 2 call, 3 task, 4 email, 6 provider-managed (then PROVIDER_ID tells)."""
DONE_DATES = ("LAST_UPDATED", "lastUpdated", "CREATED", "created")
"""Activities have no "completed at": LAST_UPDATED is the closest (reference A.6)."""


def activity_kind(raw: Raw) -> ActivityKind:
    """What an activity is, by its provider first (it is the more specific), then its TYPE_ID."""
    provider = field(raw, "PROVIDER_ID", "providerId")
    kind = PROVIDER_KINDS.get(provider.strip().upper()) if isinstance(provider, str) else None
    return kind or TYPE_KINDS.get(ref_id(field(raw, "TYPE_ID", "typeId")) or 0, "other")


def activity(raw: Raw, portal_tz: timezone) -> Activity:
    """A `crm.activity.list` row: its kind, state, dates and every record it is bound to."""
    bindings = _bindings(raw)
    completed = is_yes(field(raw, "COMPLETED", "completed")) or ref_id(field(raw, "STATUS", "status")) in (2, 3)
    return Activity(
        id=record_id(raw),
        kind=activity_kind(raw),
        completed=completed,
        owners=_owners(bindings),
        deal_ids=tuple(i for t, i in bindings if t == DEAL_TYPE),
        invoice_keys=tuple(invoice_key(t, i) for t, i in bindings if t in (SMART_INVOICE_TYPE, LEGACY_INVOICE_TYPE)),
        responsible_id=(ref_id(field(raw, "RESPONSIBLE_ID", "responsibleId"))
                        or ref_id(field(raw, "AUTHOR_ID", "authorId"))),
        done_on=first_date(raw, DONE_DATES, portal_tz) if completed else None,
        deadline=deadline(field(raw, "DEADLINE", "deadline"), portal_tz),
    )


def deadline(value: object, portal_tz: timezone) -> date | None:
    """A due date; Bitrix24 gives a to-do without one the maximum date, year 9999
    (`CCrmDateTimeHelper::IsMaxDatabaseDate`), which means "no deadline"."""
    if isinstance(value, str) and value.strip().startswith("9999"):
        return None
    return portal_date(value, portal_tz)


def record_touch(raw: Raw, portal_tz: timezone) -> Touch | None:
    """What a contact or company row itself says about its last touch: the later of
    LAST_COMMUNICATION_TIME (no author) and LAST_ACTIVITY_TIME / LAST_ACTIVITY_BY.

    The portal keeps these whatever the reader may see, so a restricted user
    still learns of a colleague's call (planning.md).  On the same day the one
    that names who wins.
    """
    touches = []
    communication = first_date(raw, ("LAST_COMMUNICATION_TIME", "lastCommunicationTime"), portal_tz)
    if communication is not None:
        touches.append(Touch(communication))
    activity_day = first_date(raw, ("LAST_ACTIVITY_TIME", "lastActivityTime"), portal_tz)
    if activity_day is not None:
        touches.append(Touch(activity_day, ref_id(field(raw, "LAST_ACTIVITY_BY", "lastActivityBy"))))
    return max(touches, key=lambda t: (t.on, t.by is not None), default=None)


def currency_rate(raw: Raw) -> CurrencyRate | None:
    """A `crm.currency.list` row; None when it names no currency.

    "AMOUNT is the exchange rate to the base currency, and AMOUNT_CNT is the
    nominal value for which this rate is specified" (reference C.2): one unit
    is worth AMOUNT / AMOUNT_CNT of the base.
    """
    code = currency_code(field(raw, "CURRENCY", "currency"))
    if code is None:
        return None
    rate = money(field(raw, "AMOUNT", "amount"))
    nominal = money(field(raw, "AMOUNT_CNT", "amountCnt"))
    per_unit = rate / nominal if rate is not None and nominal else None
    return CurrencyRate(code, per_unit, is_yes(field(raw, "BASE", "base")))


def requisite_owner(raw: Raw) -> Ref | None:
    refs = _refs([(field(raw, "ENTITY_TYPE_ID", "entityTypeId"), field(raw, "ENTITY_ID", "entityId"))])
    return refs[0] if refs else None


def _refs(pairs: Iterable[tuple[object, object]]) -> list[Ref]:
    refs: list[Ref] = []
    for type_id, owner_id in pairs:
        entity = OWNER_TYPES.get(ref_id(type_id) or 0)
        record = ref_id(owner_id)
        if entity is not None and record is not None:
            refs.append((entity, record))
    return _unique(refs)
