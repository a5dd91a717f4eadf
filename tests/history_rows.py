"""Tiny REST-shaped rows for the history tests: each builder returns what the
method named in its docstring answers, so every example goes through the real edge."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from b24clients.history import Fetched, History, build_history

MSK = timezone(timedelta(hours=3))
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=MSK)
"""Monday 23 Nov 2026, noon in Moscow: every test's clock."""


def at(day: str, time: str = "10:00:00") -> str:
    return f"{day}T{time}+03:00"


def company_contact(contact: int, primary: bool = False) -> dict:
    """A `crm.company.contact.items.get` row."""
    return {"CONTACT_ID": contact, "SORT": 10, "ROLE_ID": 0, "IS_PRIMARY": "Y" if primary else "N"}


def contact_company(company: int, primary: bool = False, sort: int = 10) -> dict:
    """A `crm.contact.company.items.get` row."""
    return {"COMPANY_ID": company, "SORT": sort, "ROLE_ID": 0, "IS_PRIMARY": "Y" if primary else "N"}


def deal(id: int, company: int = 0, contacts: tuple[int, ...] = (), semantic: str = "P", **extra) -> dict:
    """A `crm.item.list` (entityTypeId 2) row."""
    return {"id": id, "title": f"Deal {id}", "companyId": company, "contactId": contacts[0] if contacts else None,
            "contactIds": list(contacts), "stageId": {"P": "NEW", "S": "WON", "F": "LOSE"}[semantic],
            "stageSemanticId": semantic, "opportunity": 1000, "currencyId": "RUB", "createdBy": 1,
            "assignedById": 1, "createdTime": at("2026-01-10"), **extra}


def invoice(id: int, deal: int = 0, company: int = 0, contacts: tuple[int, ...] = (), stage: str = "DT31_1:N",
            **extra) -> dict:
    """A `crm.item.list` (entityTypeId 31) row: a smart invoice."""
    return {"id": id, "title": f"Invoice {id}", "parentId2": deal, "companyId": company,
            "contactIds": list(contacts), "stageId": stage, "categoryId": 1, "opportunity": 500, "currencyId": "RUB",
            "createdBy": 1, "assignedById": 1, "createdTime": at("2026-02-01"), **extra}


def legacy_invoice(id: int, deal: int = 0, company: int = 0, contact: int = 0, status: str = "N", **extra) -> dict:
    """A `crm.invoice.list` row: every scalar a string."""
    return {"ID": str(id), "ORDER_TOPIC": f"Old invoice {id}", "UF_DEAL_ID": str(deal), "UF_COMPANY_ID": str(company),
            "UF_CONTACT_ID": str(contact), "STATUS_ID": status, "PRICE": "250.00", "CURRENCY": "RUB",
            "CREATED_BY": "1", "RESPONSIBLE_ID": "1", "DATE_INSERT": at("2025-03-01"), **extra}


def activity(id: int, *bound: tuple[int, int], done: bool = True, provider: str = "CRM_TODO", type_id: str = "6",
             **extra) -> dict:
    """A `crm.activity.list` row bound to (type, id) pairs, the first being its owner."""
    owner_type, owner_id = bound[0]
    return {"ID": str(id), "OWNER_TYPE_ID": str(owner_type), "OWNER_ID": str(owner_id), "TYPE_ID": type_id,
            "PROVIDER_ID": provider, "SUBJECT": f"Activity {id}", "COMPLETED": "Y" if done else "N",
            "STATUS": "2" if done else "1", "AUTHOR_ID": "1", "RESPONSIBLE_ID": "1", "CREATED": at("2026-11-01"),
            "LAST_UPDATED": at("2026-11-02"), "BINDINGS": [{"OWNER_TYPE_ID": str(t), "OWNER_ID": str(i)}
                                                           for t, i in bound], **extra}


def document(id: int, owner: tuple[int, int], **extra) -> dict:
    """A `crm.documentgenerator.document.list` row."""
    return {"id": str(id), "title": f"Contract {id}", "number": str(id), "entityTypeId": str(owner[0]),
            "entityId": str(owner[1]), "createTime": at("2026-05-05"), "createdBy": "1", **extra}


def comment(id: int, entity_type: str, entity_id: int, **extra) -> dict:
    """A `crm.timeline.comment.list` row."""
    return {"ID": str(id), "ENTITY_TYPE": entity_type, "ENTITY_ID": str(entity_id), "AUTHOR_ID": "1",
            "COMMENT": f"Comment {id}", "CREATED": at("2026-06-06"), **extra}


def history(client: tuple[str, int], include_companies: bool = False, **sources) -> History:
    return build_history(client, Fetched(**sources), MSK, NOW, include_companies)


def keys(result: History) -> set[str]:
    return {item.key for item in result.items}


def row(result: History, key: str):
    return next(item for item in result.items if item.key == key)
