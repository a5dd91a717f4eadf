"""A tiny portal for the status ladder's simulator tests (issue 13 item 6).

simkit's portal (users 1 admin/all, 2 own, 3 department, 4 no CRM, 5 all) plus
user 6, who reads every record but may edit only their own (CRM_EDIT own:
a head of sales who reads all), and departments with heads:
HQ (1, head 1) > Sales (2, head 5) > Key accounts (3, no head).

Records (simkit.contacts): contact 1 → user 2, 2 → 5, 3 → 1, 4 → 2, 5 → 5;
company 7 → user 1, company 8 → user 2; deal 1 (company 7) → user 1.
"""

from __future__ import annotations

from simkit import ok, portal as simkit_portal, token

ADMIN, OWN, DEPT, NO_CRM, ALL, READER = 1, 2, 3, 4, 5, 6
DAY = 86400


def portal(n_contacts: int = 5, **kwargs):
    p = simkit_portal(n_contacts, **kwargs)
    p.put_record("users", {"ID": "6", "NAME": "Elena", "LAST_NAME": "Reader", "ACTIVE": True, "UF_DEPARTMENT": [3],
                           "ADMIN": False, "CRM_ACCESS": "all", "CRM_EDIT": "own"})
    for row in ({"ID": "1", "NAME": "HQ", "SORT": 100, "UF_HEAD": "1"},
                {"ID": "2", "NAME": "Sales", "SORT": 200, "PARENT": "1", "UF_HEAD": "5"},
                {"ID": "3", "NAME": "Key accounts", "SORT": 300, "PARENT": "2", "UF_HEAD": None}):
        p.put_record("departments", row)
    return p


def call(p, method: str, params: dict | None = None, user: int = ADMIN):
    """One call as `user` with an app token; the Reply."""
    return p.call(method, params or {}, auth=token(p, user))


def result(p, method: str, params: dict | None = None, user: int = ADMIN):
    return ok(call(p, method, params, user))


def todo(p, owner_type: int = 3, owner: int = 3, user: int = ADMIN, **extra) -> int:
    """A to-do on a client; its ID."""
    params = {"ownerTypeId": owner_type, "ownerId": owner, "deadline": "2026-11-30T10:00:00",
              "title": "Call back", **extra}
    return result(p, "crm.activity.todo.add", params, user)["id"]


def error(reply) -> tuple[int, str, str]:
    return reply.status, reply.body.get("error"), reply.body.get("error_description")


__all__ = ["ADMIN", "ALL", "DAY", "DEPT", "NO_CRM", "OWN", "READER", "call", "error", "ok", "portal", "result",
           "todo", "token"]
