"""The portal's data: snapshot tables, the crm.item shape of legacy rows, and who sees what.

Rows are kept as the snapshot spells them (legacy UPPER_CASE strings for
contacts, companies, deals, legacy invoices, activities, requisites and
timeline comments; crm.item camelCase for smart invoices and documents).  `item_row` derives
the crm.item shape; `Access` decides what a user may read and edit
(bitrix24-rest.md §10).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TABLES = ("contacts", "companies", "deals", "invoices", "legacy_invoices", "activities", "requisites",
          "documents", "timeline_comments", "users", "departments")
ITEM_TABLES = {2: "deals", 3: "contacts", 4: "companies", 31: "invoices"}
ENTITY_TYPE_OF = {"deals": 2, "contacts": 3, "companies": 4, "invoices": 31, "legacy_invoices": 5}
OWNER_TABLE = {"2": "deals", "3": "contacts", "4": "companies", "5": "legacy_invoices", "31": "invoices"}
"""Records an activity, a requisite or a document can hang off, by entity type ID."""
COMMENT_OWNER_TABLE = {"deal": "deals", "contact": "contacts", "company": "companies"}
"""`crm.timeline.comment.*` ENTITY_TYPE values the simulator has records for (lead and order it has not)."""


def row_id(row: Mapping) -> int:
    value = row.get("ID", row.get("id"))
    return int(value)


class Table:
    """Rows by ID with the IDs kept sorted, so an ID window (`>ID`) starts by bisection."""

    def __init__(self, rows: Iterable[dict] = ()):
        self.rows: dict[int, dict] = {}
        for row in rows:
            self.rows[row_id(row)] = row
        self.ids = sorted(self.rows)

    def add(self, row: dict) -> None:
        rid = row_id(row)
        if rid not in self.rows:
            bisect.insort(self.ids, rid)
        self.rows[rid] = row

    def delete(self, rid: int) -> None:
        if self.rows.pop(rid, None) is not None:
            self.ids.remove(rid)

    def next_id(self) -> int:
        return (self.ids[-1] if self.ids else 0) + 1

    def after(self, rid: float) -> list[int]:
        """IDs greater than `rid`, ascending."""
        return self.ids[bisect.bisect_right(self.ids, rid):]


# --- crm.item shape ---------------------------------------------------------

_COMMON = {
    "ID": "id", "TITLE": "title", "NAME": "name", "LAST_NAME": "lastName", "SECOND_NAME": "secondName",
    "ASSIGNED_BY_ID": "assignedById", "CREATED_BY_ID": "createdBy", "MODIFY_BY_ID": "updatedBy",
    "DATE_CREATE": "createdTime", "DATE_MODIFY": "updatedTime", "LAST_ACTIVITY_TIME": "lastActivityTime",
    "LAST_ACTIVITY_BY": "lastActivityBy", "OPENED": "opened", "TYPE_ID": "typeId", "SOURCE_ID": "sourceId",
    "HAS_PHONE": "hasPhone", "HAS_EMAIL": "hasEmail", "HAS_IMOL": "hasImol", "COMPANY_ID": "companyId",
    "CONTACT_ID": "contactId", "IS_MY_COMPANY": "isMyCompany", "COMPANY_TYPE": "companyType",
    "CATEGORY_ID": "categoryId", "STAGE_ID": "stageId", "STAGE_SEMANTIC_ID": "stageSemanticId",
    "CLOSED": "closed", "CLOSEDATE": "closedate", "BEGINDATE": "begindate", "OPPORTUNITY": "opportunity",
    "CURRENCY_ID": "currencyId", "MOVED_TIME": "movedTime", "MOVED_BY_ID": "movedBy", "POST": "post",
    "COMMENTS": "comments", "INDUSTRY": "industry", "LEAD_ID": "leadId",
}
_INT_FIELDS = {"id", "assignedById", "createdBy", "updatedBy", "lastActivityBy", "companyId", "contactId",
               "categoryId", "movedBy", "leadId"}
_MULTI = ("PHONE", "EMAIL", "WEB", "IM", "LINK")


def uf_item_name(name: str) -> str:
    """UF_CRM_B24C_LIFECYCLE → ufCrmB24cLifecycle; UF_CRM_1639669411830 → ufCrm_1639669411830."""
    head, *parts = name.lower().split("_")
    out = head
    for part in parts:
        out += ("_" + part) if part[:1].isdigit() else part.capitalize()
    return out


def uf_legacy_name(item_name: str) -> str:
    """The inverse of uf_item_name."""
    spaced = re.sub(r"(?<!_)([A-Z])", r"_\1", item_name)
    return spaced.upper()


def _int(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def item_row(table: str, row: Mapping, links: Mapping[int, list[int]] | None = None) -> dict:
    """A legacy row as crm.item.list returns it: camelCase, ints, link arrays."""
    if table == "invoices":
        return dict(row)
    out: dict = {}
    for key, value in row.items():
        if key in _MULTI or key == "CONTACT_IDS":
            continue
        if key.startswith("UF_"):
            out[uf_item_name(key)] = value
            continue
        name = _COMMON.get(key)
        if name is None:
            continue
        if name in _INT_FIELDS:
            number = _int(value)  # the general pipeline is category 0, a real value
            value = number if number or name == "categoryId" else (0 if name in ("companyId", "contactId") else None)
        elif name == "opportunity":
            value = float(value) if value not in (None, "") else 0.0
        out[name] = value
    fm = [{"id": _int(v.get("ID")), "typeId": kind, "valueType": v.get("VALUE_TYPE"), "value": v.get("VALUE")}
          for kind in _MULTI for v in (row.get(kind) or []) if isinstance(v, Mapping)]
    out["fm"] = fm
    rid = row_id(row)
    if table == "contacts":
        out["companyIds"] = list((links or {}).get(rid, []))
    elif table == "companies":
        out["contactIds"] = list((links or {}).get(rid, []))
    elif table == "deals":
        out["contactIds"] = [int(c) for c in row.get("CONTACT_IDS") or ([row["CONTACT_ID"]] if _int(row.get("CONTACT_ID")) else [])]
    out["entityTypeId"] = ENTITY_TYPE_OF[table]
    return out


# --- permissions --------------------------------------------------------------

ASSIGNEE = {"contacts": "ASSIGNED_BY_ID", "companies": "ASSIGNED_BY_ID", "deals": "ASSIGNED_BY_ID",
            "invoices": "assignedById", "legacy_invoices": "RESPONSIBLE_ID"}


@dataclass(frozen=True)
class Access:
    """One user's CRM rights: `all`, `department` (records of anyone in their
    departments), `subdepartments` (… and in every department below those:
    Bitrix24's "department and sub-departments"), `own` (records assigned to
    them) or `none`."""

    user_id: int
    level: str
    colleagues: frozenset[int]
    admin: bool
    edit_level: str = ""
    """What the user may change; the simulator-only CRM_EDIT, else the same as `level`."""
    subordinates: frozenset[int] = frozenset()
    """Users of the user's departments and of every department below them (`subdepartments`)."""

    @property
    def has_crm(self) -> bool:
        return self.level != "none"

    def sees_assignee(self, assignee: object, level: str | None = None) -> bool:
        level = level or self.level
        if level == "all":
            return True
        uid = _int(assignee)
        if level == "own":
            return uid == self.user_id
        if level == "department":
            return uid in self.colleagues
        if level == "subdepartments":
            return uid in self.subordinates
        return False

    def may_edit(self, table: str, row: Mapping, resolve) -> bool:
        """May change this row: it must be readable, and within the edit level."""
        if not self.sees(table, row, resolve):
            return False
        edit = self.edit_level or self.level
        return edit == "all" or table not in ASSIGNEE or self.sees_assignee(row.get(ASSIGNEE[table]), edit)

    def sees(self, table: str, row: Mapping, resolve) -> bool:
        """May read this row.  Activities, requisites, documents and timeline
        comments follow the records they are bound to; `resolve(table, id)` finds those records."""
        if self.level == "all":
            return True
        if table in ASSIGNEE:
            return self.sees_assignee(row.get(ASSIGNEE[table]))
        if table == "activities":
            if self.sees_assignee(row.get("RESPONSIBLE_ID")):
                return True
            return any(self._sees_owner(b.get("OWNER_TYPE_ID"), b.get("OWNER_ID"), resolve)
                       for b in row.get("BINDINGS") or [] if isinstance(b, Mapping))
        if table == "requisites":
            return self._sees_owner(row.get("ENTITY_TYPE_ID"), row.get("ENTITY_ID"), resolve)
        if table == "documents":
            return self._sees_owner(row.get("entityTypeId"), row.get("entityId"), resolve)
        if table == "timeline_comments":
            owner_table = COMMENT_OWNER_TABLE.get(str(row.get("ENTITY_TYPE") or "").lower())
            owner = resolve(owner_table, _int(row.get("ENTITY_ID"))) if owner_table else None
            return owner is not None and self.sees(owner_table, owner, resolve)
        return True

    def _sees_owner(self, type_id: object, owner_id: object, resolve) -> bool:
        table = OWNER_TABLE.get(str(type_id))
        owner = resolve(table, _int(owner_id)) if table else None
        return owner is not None and self.sees(table, owner, resolve)


def access_for(user: Mapping, users: Mapping[int, Mapping],
               departments: Mapping[int, Mapping] | None = None) -> Access:
    uid = int(user["ID"])
    own = {str(d) for d in user.get("UF_DEPARTMENT") or []}
    colleagues = frozenset(int(u["ID"]) for u in users.values() if own & _departments_of(u))
    level = str(user.get("CRM_ACCESS") or "all")
    edit = str(user.get("CRM_EDIT") or level)
    subordinates: frozenset[int] = frozenset()
    if "subdepartments" in (level, edit):
        tree = subtree(own, departments or {})
        subordinates = frozenset(int(u["ID"]) for u in users.values() if tree & _departments_of(u)) | {uid}
    return Access(user_id=uid, level=level, colleagues=colleagues | {uid}, admin=bool(user.get("ADMIN")),
                  edit_level=edit, subordinates=subordinates)


def _departments_of(user: Mapping) -> set[str]:
    return {str(d) for d in user.get("UF_DEPARTMENT") or []}


def subtree(roots: Iterable[object], departments: Mapping[int, Mapping]) -> set[str]:
    """The departments `roots` and every department below them (by PARENT), as ID strings."""
    children: dict[str, list[str]] = {}
    for dep in departments.values():
        children.setdefault(str(dep.get("PARENT") or ""), []).append(str(dep["ID"]))
    found: set[str] = set()
    todo = [str(r) for r in roots]
    while todo:
        dep = todo.pop()
        if dep not in found:
            found.add(dep)
            todo.extend(children.get(dep, []))
    return found
