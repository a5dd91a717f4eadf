"""Tiny REST-shaped records for tests: each builder returns what Bitrix24's
REST API would, so every worked example also goes through the real edge."""

from __future__ import annotations

from datetime import date

from b24clients.classify import classify_snapshot
from b24clients.lifecycle import Thresholds
from b24clients.snapshot import snapshot_from_data

TODAY = date(2026, 11, 23)
DEFAULT_DAY = "2026-09-01"


def stamp(day: str, time: str = "10:00:00", offset: str = "+03:00") -> str:
    return f"{day}T{time}{offset}"


def snapshot(offset: str = "+03:00", **collections) -> dict:
    return {"format": "b24-snapshot/1",
            "portal": {"domain": "t.bitrix24.ru", "member_id": "t", "lang": "en", "utc_offset": offset},
            **collections}


def multifield(kind: str, value: str) -> list[dict]:
    return [{"ID": "1", "VALUE": value, "VALUE_TYPE": "WORK", "TYPE_ID": kind}]


def contact(id: int, company: int | str | None = None, **extra) -> dict:
    record = {"ID": str(id), "NAME": f"Contact {id}", "PHONE": [], "EMAIL": [], "WEB": [], "IM": [],
              "DATE_CREATE": stamp("2020-01-01")}
    if company is not None:
        record["COMPANY_ID"] = str(company)
    return {**record, **extra}


def company(id: int, mine: bool = False, **extra) -> dict:
    return {"ID": str(id), "TITLE": f"Company {id}", "IS_MY_COMPANY": "Y" if mine else "N",
            "PHONE": [], "EMAIL": [], "WEB": [], "IM": [], "DATE_CREATE": stamp("2020-01-01"), **extra}


def binding(contact: int, company: int, primary: bool = False, sort: int = 10) -> dict:
    return {"CONTACT_ID": str(contact), "COMPANY_ID": str(company), "IS_PRIMARY": "Y" if primary else "N",
            "SORT": str(sort)}


def deal(id: int, company: int | None = None, contact: int | None = None, won: str | None = None,
         semantic: str | None = None, **extra) -> dict:
    """`won` is the portal day it closed; without it the deal is in progress."""
    semantic = semantic or ("S" if won else "P")
    return {"ID": str(id), "CATEGORY_ID": "0", "STAGE_ID": {"S": "WON", "F": "LOSE", "P": "NEW"}[semantic],
            "STAGE_SEMANTIC_ID": semantic, "CLOSED": "N" if semantic == "P" else "Y",
            "COMPANY_ID": str(company or 0), "CONTACT_ID": str(contact) if contact else None,
            "DATE_CREATE": stamp("2020-01-01"), "DATE_MODIFY": stamp("2020-01-02"),
            "CLOSEDATE": stamp(won or "2027-01-01", "00:00:00"), **extra}


def invoice(id: int, deal: int = 0, company: int = 0, contact: int = 0, paid: str | None = None,
            stage: str | None = None, category: int = 0, **extra) -> dict:
    """A smart invoice (crm.item shape); `paid` is the day it moved to the paid stage."""
    return {"id": id, "title": f"Invoice {id}", "categoryId": category,
            "stageId": stage or f"DT31_{category}:{'P' if paid else 'N'}",
            "companyId": company, "contactId": contact, "contactIds": [contact] if contact else [],
            "parentId2": deal, "createdTime": stamp("2020-01-01"), "updatedTime": stamp(paid or "2020-01-02"),
            "movedTime": stamp(paid or "2020-01-02"), **extra}


def legacy_invoice(id: int, deal: int = 0, company: int = 0, contact: int = 0, status: str = "N",
                   **dates) -> dict:
    return {"ID": str(id), "ORDER_TOPIC": "Invoice", "STATUS_ID": status, "PAYED": "Y" if status == "P" else "N",
            "UF_DEAL_ID": str(deal), "UF_COMPANY_ID": str(company), "UF_CONTACT_ID": str(contact),
            "DATE_INSERT": stamp("2018-01-01"), **dates}


def activity(id: int, *owners: tuple[str, int], provider: str = "VOXIMPLANT_CALL", **extra) -> dict:
    """`owners` are ("contact", 1), ("company", 5), ("deal", 3), ("invoice", 4) (smart) or ("legacy_invoice", 4)."""
    type_ids = {"deal": "2", "contact": "3", "company": "4", "legacy_invoice": "5", "invoice": "31"}
    bindings = [{"OWNER_TYPE_ID": type_ids[entity], "OWNER_ID": str(owner)} for entity, owner in owners]
    first = bindings[0] if bindings else {"OWNER_TYPE_ID": "0", "OWNER_ID": "0"}
    return {"ID": str(id), "PROVIDER_ID": provider, "SUBJECT": "Touch", **first, "BINDINGS": bindings,
            "CREATED": stamp("2024-01-10"), **extra}


def requisite(id: int, entity: str, owner: int) -> dict:
    return {"ID": str(id), "ENTITY_TYPE_ID": {"contact": "3", "company": "4"}[entity], "ENTITY_ID": str(owner),
            "NAME": "Organization"}


def status(entity_id: str, status_id: str, semantics: str | None) -> dict:
    return {"ENTITY_ID": entity_id, "STATUS_ID": status_id, "NAME": status_id, "SORT": "10",
            "SEMANTICS": semantics}


def classify(data: dict, today: date = TODAY, active_months: int = 6, lost_months: int = 18) -> dict:
    """The classify command's JSON for a snapshot dict."""
    return classify_snapshot(snapshot_from_data(data), today, Thresholds(active_months, lost_months))


def rows(data: dict, **kwargs) -> dict[tuple[str, int], dict]:
    """Rows of the classification keyed by ("contact", 1) / ("company", 5)."""
    return {(row["entity"], row["id"]): row for row in classify(data, **kwargs)["clients"]}


def row(data: dict, entity: str, id: int, **kwargs) -> dict:
    return rows(data, **kwargs)[(entity, id)]
