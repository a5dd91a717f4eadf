"""Small portals for the simulator's own tests."""

from __future__ import annotations

from b24sim.portal import Portal

USERS = [
    {"ID": "1", "NAME": "Anna", "LAST_NAME": "Admin", "ACTIVE": True, "UF_DEPARTMENT": [1], "ADMIN": True,
     "CRM_ACCESS": "all"},
    {"ID": "2", "NAME": "Boris", "LAST_NAME": "Own", "ACTIVE": True, "UF_DEPARTMENT": [2], "ADMIN": False,
     "CRM_ACCESS": "own"},
    {"ID": "3", "NAME": "Vera", "LAST_NAME": "Dept", "ACTIVE": True, "UF_DEPARTMENT": [2], "ADMIN": False,
     "CRM_ACCESS": "department"},
    {"ID": "4", "NAME": "Gleb", "LAST_NAME": "Nobody", "ACTIVE": True, "UF_DEPARTMENT": [3], "ADMIN": False,
     "CRM_ACCESS": "none"},
    {"ID": "5", "NAME": "Dina", "LAST_NAME": "Colleague", "ACTIVE": True, "UF_DEPARTMENT": [2], "ADMIN": False,
     "CRM_ACCESS": "all"},
]


def contacts(n: int, assignees=(1, 2, 5)) -> list[dict]:
    return [{"ID": str(i), "NAME": f"Name{i}", "LAST_NAME": f"Last{i}", "COMPANY_ID": None,
             "ASSIGNED_BY_ID": str(assignees[i % len(assignees)]),
             "DATE_CREATE": f"2020-01-{1 + i % 28:02d}T10:00:00+03:00",
             "DATE_MODIFY": f"2021-01-{1 + i % 28:02d}T10:00:00+03:00",
             "PHONE": [{"ID": str(1000 + i), "VALUE": f"+7 900 {i:07d}", "VALUE_TYPE": "WORK", "TYPE_ID": "PHONE"}]
             if i % 2 else [], "EMAIL": [], "WEB": [], "IM": [], "UF_CRM_SCORE": str(i)}
            for i in range(1, n + 1)]


def portal(n_contacts: int = 120, **kwargs) -> Portal:
    data = {"format": "b24-snapshot/1",
            "portal": {"domain": "sim.bitrix24.ru", "member_id": "sim", "lang": "en", "utc_offset": "+03:00"},
            "users": USERS, "departments": [{"ID": "1", "NAME": "HQ"}, {"ID": "2", "NAME": "Sales", "PARENT": "1"}],
            "contacts": contacts(n_contacts),
            "companies": [{"ID": "7", "TITLE": "Acme", "ASSIGNED_BY_ID": "1", "IS_MY_COMPANY": "N",
                           "DATE_CREATE": "2020-01-01T10:00:00+03:00", "DATE_MODIFY": "2020-01-01T10:00:00+03:00"},
                          {"ID": "8", "TITLE": "Beta", "ASSIGNED_BY_ID": "2", "IS_MY_COMPANY": "N",
                           "DATE_CREATE": "2020-01-01T10:00:00+03:00", "DATE_MODIFY": "2020-01-01T10:00:00+03:00"}],
            "contact_companies": [{"CONTACT_ID": "1", "COMPANY_ID": "8", "IS_PRIMARY": "N", "SORT": "20"},
                                  {"CONTACT_ID": "1", "COMPANY_ID": "7", "IS_PRIMARY": "Y", "SORT": "10"}],
            "deals": [{"ID": "1", "TITLE": "D1", "CATEGORY_ID": "0", "STAGE_ID": "WON", "STAGE_SEMANTIC_ID": "S",
                       "COMPANY_ID": "7", "CONTACT_ID": "1", "CONTACT_IDS": ["1", "3"], "ASSIGNED_BY_ID": "1",
                       "OPPORTUNITY": "100.00", "DATE_CREATE": "2020-01-01T10:00:00+03:00"}],
            "invoices": [{"id": 1, "title": "I1", "categoryId": 0, "stageId": "DT31_0:P", "companyId": 7,
                          "contactId": 1, "contactIds": [1], "parentId2": 1, "assignedById": 1,
                          "movedTime": "2020-02-01T10:00:00+03:00"}],
            "activities": [{"ID": "1", "PROVIDER_ID": "VOXIMPLANT_CALL", "OWNER_TYPE_ID": "3", "OWNER_ID": "2",
                            "RESPONSIBLE_ID": "1", "START_TIME": "2024-01-01T10:00:00+03:00",
                            "BINDINGS": [{"OWNER_TYPE_ID": "3", "OWNER_ID": "2"}, {"OWNER_TYPE_ID": "4", "OWNER_ID": "7"}]}],
            "requisites": [{"ID": "1", "ENTITY_TYPE_ID": "4", "ENTITY_ID": "7", "NAME": "Organization"}],
            "statuses": [{"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "WON", "NAME": "Won", "SORT": "60", "SEMANTICS": "S"}]}
    return Portal(data, **kwargs)


def token(p: Portal, user_id: int = 1) -> str:
    return p.issue_token(user_id)["access_token"]


def ok(reply) -> object:
    assert reply.status == 200, reply.body
    return reply.body["result"]
