"""A tiny portal for key-client planning's simulator tests (issue 14 item 7).

Departments (heads in brackets):

    HQ 1 (user 1)
    ├── Sales 2 (user 2)
    │   ├── North 3 (user 3)
    │   │   └── North corporate 4 (user 4)
    │   │       └── New accounts 5 (no head)
    │   └── South 6 (user 6)
    └── Support 7 (user 8)

Users: 1 admin (all); 2 head of sales and 3 head of North read their whole tree
(`subdepartments`); 4 reads only department 4 (`department`); 5 and 7 their own
records; 6 department 6; 8 department 7; 9 has no CRM; 10 has left (inactive, own).
Company 100 + N is user N's; contact 200 + N works for it.  Activities: user 5's
and user 7's around the turn of November and December 2026 (see ACTIVITIES).
"""

from __future__ import annotations

from simkit import ok, token

from b24sim.portal import Portal

ADMIN, HEAD, NORTH, CORPORATE, MANAGER, SOUTH, SOUTH_MANAGER, SUPPORT, NO_CRM, GONE = range(1, 11)
TREES = {HEAD: {2, 3, 4, 5, 6}, NORTH: {3, 4, 5}, CORPORATE: {4, 5}, SOUTH: {6}, ADMIN: {1, 2, 3, 4, 5, 6, 7},
         SUPPORT: {7}}
"""Each head's departments: their own and every one below it."""

DEPARTMENTS = [
    {"ID": "1", "NAME": "HQ", "SORT": 100, "PARENT": None, "UF_HEAD": "1"},
    {"ID": "2", "NAME": "Sales", "SORT": 200, "PARENT": "1", "UF_HEAD": "2"},
    {"ID": "3", "NAME": "North", "SORT": 300, "PARENT": "2", "UF_HEAD": "3"},
    {"ID": "4", "NAME": "North corporate", "SORT": 400, "PARENT": "3", "UF_HEAD": "4"},
    {"ID": "5", "NAME": "New accounts", "SORT": 500, "PARENT": "4", "UF_HEAD": None},
    {"ID": "6", "NAME": "South", "SORT": 600, "PARENT": "2", "UF_HEAD": "6"},
    {"ID": "7", "NAME": "Support", "SORT": 700, "PARENT": "1", "UF_HEAD": "8"},
]
_USERS = ((1, "all", True, True), (2, "subdepartments", False, True), (3, "subdepartments", False, True),
          (4, "department", False, True), (5, "own", False, True), (6, "department", False, True),
          (6, "own", False, True), (7, "department", False, True), (1, "none", False, True), (5, "own", False, False))
USERS = [{"ID": str(i), "NAME": f"User{i}", "LAST_NAME": f"Last{i}", "ACTIVE": active, "UF_DEPARTMENT": [dep],
          "ADMIN": admin, "CRM_ACCESS": access} for i, (dep, access, admin, active) in enumerate(_USERS, 1)]

CREATED = "2026-11-02T10:00:00+03:00"


def _activity(aid: int, responsible: int, deadline: str, *, completed: str = "N", owner: int | None = None,
              provider: str = "CRM_TODO", type_id: str = "6") -> dict:
    owner = owner or 100 + responsible
    return {"ID": str(aid), "OWNER_ID": str(owner), "OWNER_TYPE_ID": "4", "TYPE_ID": type_id, "PROVIDER_ID": provider,
            "PROVIDER_TYPE_ID": "TODO", "SUBJECT": f"Call {aid}", "COMPLETED": completed, "DIRECTION": "0",
            "CREATED": CREATED, "LAST_UPDATED": CREATED, "START_TIME": deadline, "END_TIME": deadline,
            "DEADLINE": deadline, "AUTHOR_ID": str(responsible), "RESPONSIBLE_ID": str(responsible),
            "BINDINGS": [{"OWNER_TYPE_ID": "4", "OWNER_ID": str(owner)}]}


ACTIVITIES = [
    _activity(1, MANAGER, "2026-11-30T23:59:59+03:00"),          # November, the last second
    _activity(2, MANAGER, "2026-12-01T00:00:00+03:00"),          # December, the first second
    _activity(3, MANAGER, "2026-12-15T10:00:00+03:00"),
    _activity(4, MANAGER, "2026-12-31T23:59:59+03:00"),          # December, the last second
    _activity(5, MANAGER, "2027-01-01T00:00:00+03:00"),          # January
    _activity(6, MANAGER, "2026-12-10T10:00:00+03:00", completed="Y"),
    _activity(7, MANAGER, "9999-12-31T00:00:00+03:00"),          # a to-do with no deadline
    _activity(8, MANAGER, "2026-12-01T00:30:00+04:00"),          # 2026-11-30 23:30 in Moscow: November
    _activity(9, MANAGER, "2026-11-30T21:30:00+00:00"),          # 2026-12-01 00:30 in Moscow: December
    _activity(10, SOUTH_MANAGER, "2026-12-02T11:00:00+03:00"),
    _activity(11, SOUTH_MANAGER, "2026-12-03T11:00:00+03:00", provider="CRM_MEETING", type_id="1"),
    _activity(12, CORPORATE, "2026-12-04T09:00:00+03:00"),
    _activity(13, SUPPORT, "2026-12-04T09:00:00+03:00"),
    _activity(14, SOUTH_MANAGER, "2026-12-05T12:00:00+03:00", owner=105),   # a colleague's to-do on user 5's client
]
DECEMBER_OF_5 = ["2", "3", "4", "9"]
"""Open activities of user 5 due in December 2026 (portal time, +03:00)."""


def snapshot(*, currencies: bool = True, lang: str = "ru") -> dict:
    from b24sim.planning import currency_rows

    data = {
        "format": "b24-snapshot/1",
        "portal": {"domain": "plan.bitrix24.ru", "member_id": "plan", "lang": lang, "utc_offset": "+03:00"},
        "users": USERS, "departments": DEPARTMENTS,
        "companies": [{"ID": str(100 + u), "TITLE": f"Client of {u}", "ASSIGNED_BY_ID": str(u), "IS_MY_COMPANY": "N",
                       "DATE_CREATE": "2020-01-01T10:00:00+03:00", "DATE_MODIFY": "2020-01-01T10:00:00+03:00"}
                      for u in range(1, 11)],
        "contacts": [{"ID": str(200 + u), "NAME": f"Contact{u}", "COMPANY_ID": str(100 + u), "ASSIGNED_BY_ID": str(u),
                      "DATE_CREATE": "2020-01-01T10:00:00+03:00", "DATE_MODIFY": "2020-01-01T10:00:00+03:00"}
                     for u in range(1, 11)],
        "activities": ACTIVITIES,
    }
    if currencies:
        data["currencies"] = currency_rows(lang, ["2020-01-01T09:00:00+03:00"] + ["2026-11-20T09:00:00+03:00"] * 5)
    return data


def portal(**kwargs) -> Portal:
    options = {k: kwargs.pop(k) for k in ("currencies", "lang") if k in kwargs}
    return Portal(snapshot(**options), **kwargs)


def call(p: Portal, method: str, params: dict | None = None, user: int = ADMIN):
    return p.call(method, params or {}, auth=token(p, user))


def result(p: Portal, method: str, params: dict | None = None, user: int = ADMIN):
    return ok(call(p, method, params, user))


def error(reply) -> tuple[int, str, str]:
    return reply.status, reply.body.get("error"), reply.body.get("error_description")


def month(first: str, after: str, responsible: list[int], **extra) -> dict:
    """The load calendar's query (next-features.md C.4): open activities of some people due in a month."""
    return {"filter": {">=DEADLINE": first, "<DEADLINE": after, "@RESPONSIBLE_ID": responsible, "COMPLETED": "N",
                       **extra},
            "select": ["ID", "DEADLINE", "RESPONSIBLE_ID", "TYPE_ID", "PROVIDER_ID", "SUBJECT", "OWNER_TYPE_ID",
                       "OWNER_ID"],
            "order": {"ID": "ASC"}}


__all__ = ["ADMIN", "CORPORATE", "DECEMBER_OF_5", "GONE", "HEAD", "MANAGER", "NORTH", "NO_CRM", "SOUTH",
           "SOUTH_MANAGER", "SUPPORT", "TREES", "call", "error", "month", "ok", "portal", "result", "snapshot"]
