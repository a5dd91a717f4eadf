"""The edge of the history: one raw REST row → one history Item and what it is bound to.

The only place in the history package that reads raw fields, with the same
helpers as `records.py`.  Both spellings are read where the platform has
both: legacy UPPER_CASE (`crm.deal.list`, strings, "Y"/"N") and crm.item
camelCase (ints, arrays).  CRM data is messy: a bad date, amount or link is
absence.  A row without a readable ID of its own cannot be a row at all:
`records.record_id` raises ValueError for it, and the caller skips and counts it.

Who did it and when follows next-features.md §A.6; the dates that are ours
to choose (an activity's "done" date, a deal's close date) are argued in
docs/history.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from ..dates import portal_datetime, today_in
from ..records import (
    number_of,
    DEAL_SUCCESS_DATES,
    INVOICE_PAID_DATES,
    LEGACY_PAID_DATES,
    Raw,
    field,
    is_yes,
    record_id,
    ref_id,
    ref_ids,
)
from .items import Item
from .links import COMPANY, CONTACT, DEAL, ENTITY_NAMES, Link
from .stages import Stages

PROVIDER_KINDS = {
    "VOXIMPLANT_CALL": "call", "CRM_CALL_TRACKER": "call", "CRM_EMAIL": "email", "CRM_MEETING": "meeting",
    "CRM_TODO": "todo", "CRM_TASKS_TASK": "task", "TASKS_TASK": "task", "TASKS": "task",
    "IMOPENLINES_SESSION": "openline",
}
"""An activity's kind by its PROVIDER_ID, the more precise of the two (a to-do and a task are both TYPE_ID 6)."""
TYPE_KINDS = {1: "meeting", 2: "call", 3: "task", 4: "email"}
"""…else by its TYPE_ID (REF §7.9); anything else is a plain "activity"."""
COMMENT_OWNERS = {"deal": DEAL, "contact": CONTACT, "company": COMPANY}
"""`crm.timeline.comment.list` ENTITY_TYPE values of the records a client's set holds."""

LEGACY_CANCELLED_DATES = ("DATE_STATUS", "DATE_MARKED", "DATE_UPDATE")
ACTIVITY_DONE_DATES = ("LAST_UPDATED", "lastUpdated", "END_TIME", "endTime", "CREATED", "created")
"""No "completed at" exists for activities: the last update is the moment completing it wrote (docs/history.md)."""
NO_DEADLINE_YEAR = 9999
"""Bitrix24 stores "no deadline" as the last day of year 9999."""


@dataclass(frozen=True, slots=True)
class Found:
    """An item as read, before the client's set decides whether and through what it belongs."""

    item: Item
    bound: frozenset[Link]
    """Every record it names: a deal's company and contacts, an invoice's deal, an activity's bindings,
    the owner of a document or comment."""
    named_company: int | None = None
    """The company a deal or invoice names itself (rules.md §2 attributes it to that company)."""


class Reader:
    """Reads the rows of one portal at one moment: stages decide the semantics,
    `now` decides what is overdue."""

    def __init__(self, stages: Stages, portal_tz: timezone, now: datetime):
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime (the caller's clock)")
        self.stages = stages
        self.portal_tz = portal_tz
        self.now = now
        self.today = today_in(portal_tz, now)

    def deal(self, raw: Raw) -> Found:
        semantics = self.stages.deal(raw)
        done = semantics != "process"
        deadline = self._moment(raw, ("CLOSEDATE", "closedate"))
        company = ref_id(field(raw, "COMPANY_ID", "companyId"))
        contacts = [ref_id(field(raw, "CONTACT_ID", "contactId")), *ref_ids(field(raw, "CONTACT_IDS", "contactIds"))]
        item = Item(
            kind="deal", id=record_id(raw), title=_text(field(raw, "TITLE", "title")),
            amount=number_of(field(raw, "OPPORTUNITY", "opportunity")),
            currency=_text(field(raw, "CURRENCY_ID", "currencyId")),
            stage=self.stages.name("deal", field(raw, "STAGE_ID", "stageId")), semantics=semantics,
            author_id=ref_id(field(raw, "CREATED_BY_ID", "createdBy")),
            responsible_id=ref_id(field(raw, "ASSIGNED_BY_ID", "assignedById")),
            created_at=self._moment(raw, ("DATE_CREATE", "createdTime")), deadline_at=deadline,
            closed_at=self._moment(raw, DEAL_SUCCESS_DATES) if done else None,
            done=done, overdue=not done and self._day_passed(deadline),
        )
        return Found(item, _links((COMPANY, company), *((CONTACT, c) for c in contacts)), company)

    def smart_invoice(self, raw: Raw) -> Found:
        stage = field(raw, "stageId", "STAGE_ID")
        semantics = self.stages.smart_invoice(stage if isinstance(stage, str) else "")
        done = semantics != "process"
        deadline = self._moment(raw, ("closedate", "CLOSEDATE"))
        company = ref_id(field(raw, "companyId", "COMPANY_ID"))
        contacts = [ref_id(field(raw, "contactId", "CONTACT_ID")), *ref_ids(field(raw, "contactIds", "CONTACT_IDS"))]
        item = Item(
            kind="invoice", id=record_id(raw),
            title=_text(field(raw, "title", "TITLE")) or _text(field(raw, "accountNumber", "ACCOUNT_NUMBER")),
            amount=number_of(field(raw, "opportunity", "OPPORTUNITY")),
            currency=_text(field(raw, "currencyId", "CURRENCY_ID")),
            stage=self.stages.name("invoice", stage), semantics=semantics,
            author_id=ref_id(field(raw, "createdBy", "CREATED_BY")),
            responsible_id=ref_id(field(raw, "assignedById", "ASSIGNED_BY_ID")),
            created_at=self._moment(raw, ("createdTime", "CREATED_TIME")), deadline_at=deadline,
            closed_at=self._moment(raw, INVOICE_PAID_DATES) if done else None,
            done=done, overdue=not done and self._day_passed(deadline),
        )
        deal = ref_id(field(raw, "parentId2", "PARENT_ID_2"))
        bound = _links((COMPANY, company), (DEAL, deal), *((CONTACT, c) for c in contacts))
        return Found(item, bound, company)

    def legacy_invoice(self, raw: Raw) -> Found:
        semantics = self.stages.legacy_invoice(raw)
        done = semantics != "process"
        deadline = self._moment(raw, ("DATE_PAY_BEFORE",))
        closed_dates = LEGACY_PAID_DATES if semantics == "success" else LEGACY_CANCELLED_DATES
        company = ref_id(raw.get("UF_COMPANY_ID"))
        item = Item(
            kind="legacy_invoice", id=record_id(raw),
            title=_text(raw.get("ORDER_TOPIC")) or _text(raw.get("ACCOUNT_NUMBER")),
            amount=number_of(raw.get("PRICE")), currency=_text(raw.get("CURRENCY")),
            stage=self.stages.name("legacy", raw.get("STATUS_ID")), semantics=semantics,
            author_id=ref_id(raw.get("CREATED_BY")), responsible_id=ref_id(raw.get("RESPONSIBLE_ID")),
            created_at=self._moment(raw, ("DATE_INSERT", "DATE_BILL")), deadline_at=deadline,
            closed_at=self._moment(raw, closed_dates) if done else None,
            done=done, overdue=not done and self._day_passed(deadline),
        )
        bound = _links((COMPANY, company), (DEAL, ref_id(raw.get("UF_DEAL_ID"))),
                       (CONTACT, ref_id(raw.get("UF_CONTACT_ID"))))
        return Found(item, bound, company)

    def activity(self, raw: Raw) -> Found:
        done = is_yes(field(raw, "COMPLETED", "completed")) or str(field(raw, "STATUS", "status")) in ("2", "3")
        deadline = self._moment(raw, ("DEADLINE", "deadline", "END_TIME", "endTime"))
        item = Item(
            kind=_activity_kind(raw), id=record_id(raw), title=_text(field(raw, "SUBJECT", "subject")),
            author_id=ref_id(field(raw, "AUTHOR_ID", "authorId")),
            responsible_id=ref_id(field(raw, "RESPONSIBLE_ID", "responsibleId")),
            created_at=self._moment(raw, ("CREATED", "created")), deadline_at=deadline,
            closed_at=self._moment(raw, ACTIVITY_DONE_DATES) if done else None,
            done=done, overdue=not done and deadline is not None and deadline < self.now,
        )
        return Found(item, _links(*_bindings(raw)))

    def document(self, raw: Raw) -> Found:
        item = Item(
            kind="document", id=record_id(raw),
            title=_text(field(raw, "title", "TITLE")) or _text(field(raw, "number", "NUMBER")),
            author_id=ref_id(field(raw, "createdBy", "CREATED_BY")),
            created_at=self._moment(raw, ("createTime", "CREATE_TIME")), done=True,
        )
        owner = (ref_id(field(raw, "entityTypeId", "ENTITY_TYPE_ID")), ref_id(field(raw, "entityId", "ENTITY_ID")))
        return Found(item, _links(owner))

    def comment(self, raw: Raw) -> Found:
        item = Item(
            kind="comment", id=record_id(raw), title=_text(raw.get("COMMENT")),
            author_id=ref_id(raw.get("AUTHOR_ID")), created_at=self._moment(raw, ("CREATED",)), done=True,
        )
        entity = raw.get("ENTITY_TYPE")
        owner_type = COMMENT_OWNERS.get(entity.strip().lower()) if isinstance(entity, str) else None
        return Found(item, _links((owner_type, ref_id(raw.get("ENTITY_ID")))))

    def _moment(self, raw: Raw, names: Iterable[str]) -> datetime | None:
        """The first of `names` holding a readable timestamp; "no deadline" (year 9999) is none."""
        for name in names:
            moment = portal_datetime(raw.get(name), self.portal_tz)
            if moment is not None and moment.year < NO_DEADLINE_YEAR:
                return moment
        return None

    def _day_passed(self, deadline: datetime | None) -> bool:
        """A deal's end date or an invoice's pay-before date is a calendar day: it is
        overdue from the next day on, not from midnight of that day."""
        return deadline is not None and deadline.date() < self.today


def _text(value: object) -> str:
    """Whitespace-collapsed text; a number (an account number) as its digits; anything else ""."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return " ".join(value.split()) if isinstance(value, str) else ""




def _activity_kind(raw: Raw) -> str:
    provider = field(raw, "PROVIDER_ID", "providerId")
    if isinstance(provider, str) and provider in PROVIDER_KINDS:
        return PROVIDER_KINDS[provider]
    return TYPE_KINDS.get(ref_id(field(raw, "TYPE_ID", "typeId")) or 0, "activity")


def _bindings(raw: Raw) -> list[tuple[int | None, int | None]]:
    """The owner and every BINDINGS pair, in any spelling the platform uses for them."""
    pairs = [(ref_id(field(raw, "OWNER_TYPE_ID", "ownerTypeId")), ref_id(field(raw, "OWNER_ID", "ownerId")))]
    bindings = field(raw, "BINDINGS", "bindings")
    if isinstance(bindings, list):
        pairs += [(ref_id(field(b, "OWNER_TYPE_ID", "ownerTypeId", "entityTypeId")),
                   ref_id(field(b, "OWNER_ID", "ownerId", "entityId")))
                  for b in bindings if isinstance(b, Mapping)]
    return pairs


def _links(*pairs: tuple[int | None, int | None]) -> frozenset[Link]:
    """The readable pairs of record types a client's set can hold (ENTITY_NAMES)."""
    return frozenset((kind, record) for kind, record in pairs
                     if kind in ENTITY_NAMES and record is not None)

