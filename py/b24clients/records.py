"""The edge: REST records as Bitrix24 returns them → the rules' own types.

Both spellings arrive: legacy methods (`crm.contact.list`: UPPER_CASE keys,
every scalar a string, "Y"/"N") and `crm.item.list` (camelCase keys, ints).
"No company" comes as "0", 0, "", null or a missing key.  All of that is
absorbed here, once, so no rule ever looks at a raw record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timezone

from .dates import portal_date
from .model import COMPANY, CONTACT, Company, Contact, Deal, Invoice, Ref

Raw = Mapping[str, object]

MULTIFIELDS = ("PHONE", "EMAIL", "WEB", "IM")
HAS_FLAGS = ("HAS_PHONE", "HAS_EMAIL", "HAS_IMOL", "hasPhone", "hasEmail", "hasImol")
OWNER_TYPES = {2: "deal", 3: CONTACT, 4: COMPANY}
"""CRM entity type IDs: 2 deal, 3 contact, 4 company (Bitrix24's own numbering)."""


def field(raw: Raw, *names: str) -> object:
    """The first of `names` present in the record (legacy name, then crm.item name)."""
    for name in names:
        if name in raw:
            return raw[name]
    return None


def ref_id(value: object) -> int | None:
    """A link to another record: a positive int, or None for every spelling of "none"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value)
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


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


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
    )


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
        key=f"invoice:{record_id(raw):012d}",
        deal_id=ref_id(field(raw, "parentId2", "PARENT_ID_2")),
        company_id=ref_id(field(raw, "companyId", "COMPANY_ID")),
        contact_id=contact_id,
        succeeded_on=first_date(raw, INVOICE_PAID_DATES, portal_tz) if paid else None,
    )


def legacy_invoice(raw: Raw, stages: StageBook, portal_tz: timezone) -> Invoice:
    """Old portals' `crm.invoice.*`: paid with status P (or a custom status
    with success semantics), dated PAY_VOUCHER_DATE, else DATE_PAYED, else DATE_UPDATE."""
    status = raw.get("STATUS_ID")
    paid = status == "P" or bool(stages.succeeded("legacy", status))
    return Invoice(
        key=f"legacy_invoice:{record_id(raw):012d}",
        deal_id=ref_id(raw.get("UF_DEAL_ID")),
        company_id=ref_id(raw.get("UF_COMPANY_ID")),
        contact_id=ref_id(raw.get("UF_CONTACT_ID")),
        succeeded_on=first_date(raw, LEGACY_PAID_DATES, portal_tz) if paid else None,
    )


def activity_owners(raw: Raw) -> list[Ref]:
    """The contacts and companies an activity is bound to (its BINDINGS and its owner)."""
    pairs = [(field(raw, "OWNER_TYPE_ID", "ownerTypeId"), field(raw, "OWNER_ID", "ownerId"))]
    bindings = field(raw, "BINDINGS", "bindings")
    if isinstance(bindings, list):
        pairs += [
            (field(b, "OWNER_TYPE_ID", "ownerTypeId", "entityTypeId"), field(b, "OWNER_ID", "ownerId", "entityId"))
            for b in bindings
            if isinstance(b, Mapping)
        ]
    return _refs(pairs)


def requisite_owner(raw: Raw) -> Ref | None:
    refs = _refs([(field(raw, "ENTITY_TYPE_ID", "entityTypeId"), field(raw, "ENTITY_ID", "entityId"))])
    return refs[0] if refs else None


def _refs(pairs: Iterable[tuple[object, object]]) -> list[Ref]:
    refs: list[Ref] = []
    for type_id, owner_id in pairs:
        entity = OWNER_TYPES.get(ref_id(type_id) or 0)
        record = ref_id(owner_id)
        if entity in (CONTACT, COMPANY) and record is not None:
            refs.append((entity, record))
    return _unique(refs)
