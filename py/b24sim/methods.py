"""The REST methods the simulated portal answers, by name.

Each handler takes (portal, caller, params) and returns an `Answer` with its
simulated cost, or raises `RestError` with the documented envelope.  Section
numbers refer to ../shared/reference/bitrix24-rest.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

from . import query
from .portal import ACCESS_DENIED_LEGACY, NOT_FOUND_LEGACY, PAGE, Answer, RestError, _param
from .store import COMMENT_OWNER_TABLE, ENTITY_TYPE_OF, ITEM_TABLES, item_row, uf_legacy_name

METHODS: dict[str, Callable] = {}


def method(*names: str):
    def register(handler: Callable) -> Callable:
        for name in names:
            METHODS[name] = handler
        return handler
    return register


def _int_param(params: Mapping, *names: str) -> int | None:
    for name in names:
        value = params.get(name)
        if value not in (None, ""):
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None


def _require_crm(caller) -> None:
    if not caller.access.has_crm:
        raise RestError(*ACCESS_DENIED_LEGACY)


# --- legacy CRM lists, gets, updates (§2, §7) ----------------------------------------

LEGACY = {"contact": "contacts", "company": "companies", "deal": "deals"}


def _legacy_list(table: str, *, default_order: str = "ID", id_key: str = "ID"):
    def handler(portal, caller, params):
        _require_crm(caller)
        page, total, nxt, cost = portal.list_page(table, params, caller, shape=None, id_key=id_key,
                                                  allow_logic=False, default_order=default_order)
        select = _param(params, "select")
        return Answer([query.select_legacy(row, select) for row in page], cost, total=total, next=nxt)
    return handler


for _name, _table in LEGACY.items():
    METHODS[f"crm.{_name}.list"] = _legacy_list(_table)
METHODS["crm.invoice.list"] = _legacy_list("legacy_invoices")
METHODS["crm.requisite.list"] = _legacy_list("requisites")


@method("crm.activity.list")
def activity_list(portal, caller, params):
    spec = _param(params, "filter")
    if isinstance(spec, Mapping) and "BINDINGS" in spec:
        pairs = spec["BINDINGS"]
        pairs = list(pairs.values()) if isinstance(pairs, Mapping) else pairs if isinstance(pairs, list) else []
        wanted = {(_int_param(p, "OWNER_TYPE_ID"), _int_param(p, "OWNER_ID")) for p in pairs if isinstance(p, Mapping)}
        rest = {k: v for k, v in spec.items() if k != "BINDINGS"}

        def rows():
            return portal.owned_rows("activities", wanted)

        def _pairs(row: Mapping) -> set[tuple[int | None, int | None]]:
            return {(_int_param(b, "OWNER_TYPE_ID"), _int_param(b, "OWNER_ID"))
                    for b in row.get("BINDINGS") or [] if isinstance(b, Mapping)}
        _require_crm(caller)
        narrowed = {**params, "filter": rest}
        page, total, nxt, cost = portal.list_page("activities", narrowed, caller, shape=None, id_key="ID",
                                                  allow_logic=False, default_order="START_TIME", rows=rows)
        select = _param(params, "select")
        # several pairs repeat a row once per pair it matches (§2.3), whatever is selected
        rows = [query.select_legacy(activity_view(row), select)
                for row in page for _ in range(max(1, len(_pairs(row) & wanted)))]
        return Answer(rows, cost, total=total, next=nxt)
    _require_crm(caller)
    page, total, nxt, cost = portal.list_page("activities", params, caller, shape=None, id_key="ID",
                                              allow_logic=False, default_order="START_TIME")
    select = _param(params, "select")
    return Answer([query.select_legacy(activity_view(row), select) for row in page], cost, total=total, next=nxt)


def activity_view(row: Mapping) -> Mapping:
    """An activity as the portal gives it: STATUS (1 pending, 2 completed; REF §7.9) follows
    COMPLETED when the snapshot's row does not carry it."""
    if "STATUS" in row or "COMPLETED" not in row:
        return row
    return {**row, "STATUS": "2" if row.get("COMPLETED") == "Y" else "1"}


def _legacy_get(table: str):
    def handler(portal, caller, params):
        _require_crm(caller)
        row = portal.tables[table].rows.get(_int_param(params, "id", "ID") or 0)
        if row is None:
            raise RestError(*NOT_FOUND_LEGACY)
        if not caller.access.sees(table, row, portal.resolve):
            raise RestError(*ACCESS_DENIED_LEGACY)
        return Answer(query.select_legacy(row, ["*", "UF_*", "PHONE", "EMAIL", "WEB", "IM"]), portal.costs.get_s)
    return handler


def _legacy_update(table: str, entity: str):
    def handler(portal, caller, params):
        _require_crm(caller)
        rid = _int_param(params, "id", "ID") or 0
        row = portal.tables[table].rows.get(rid)
        if row is None:
            raise RestError(*NOT_FOUND_LEGACY)
        if not caller.access.sees(table, row, portal.resolve):
            raise RestError(*ACCESS_DENIED_LEGACY)
        if not caller.access.may_edit(table, row, portal.resolve):
            raise RestError(*ACCESS_DENIED_LEGACY)
        fields = _param(params, "fields")
        if not isinstance(fields, Mapping):
            raise RestError(400, "", "Parameter 'fields' must be array.")
        _apply(portal, table, entity, row, fields, caller)
        portal.record_write(f"crm.{entity}.update", caller, params)
        return Answer(True, portal.costs.update_s)
    return handler


def _apply(portal, table: str, entity: str, row: dict, fields: Mapping, caller) -> None:
    """Write fields as the portal stores them; unknown fields are ignored (§8.3)."""
    known = {uf["FIELD_NAME"]: uf for uf in portal.userfields if uf.get("ENTITY_ID") == f"CRM_{entity.upper()}"}
    for name, value in fields.items():
        if name.startswith("UF_"):
            if name in known:
                row[name] = _stored_uf_value(known[name], value)
        elif name in row and name not in ("ID", "DATE_CREATE", "DATE_MODIFY"):
            row[name] = value
    row["DATE_MODIFY"] = portal.iso(portal.clock.now())
    row["MODIFY_BY_ID"] = str(caller.user_id)
    portal.touch(table, int(row["ID"]), links="COMPANY_ID" in fields)


def _stored_uf_value(uf: Mapping, value: object) -> object:
    """How a read gives a UF value back: enumeration item IDs and numbers as strings, booleans 1/0."""
    kind = uf.get("USER_TYPE_ID")
    if value in (None, "", []):
        return None if kind != "boolean" else 0
    if kind == "enumeration":
        ids = {str(item["ID"]) for item in uf.get("LIST") or []}
        text = str(value)
        return text if text in ids else None
    if kind == "boolean":
        return 1 if str(value).upper() in ("1", "Y", "TRUE") else 0
    if kind in ("integer", "double"):
        return str(value)
    return value


for _name, _table in LEGACY.items():
    METHODS[f"crm.{_name}.get"] = _legacy_get(_table)
for _name in ("contact", "company"):
    METHODS[f"crm.{_name}.update"] = _legacy_update(LEGACY[_name], _name)


def _fields(table: str):
    def handler(portal, caller, params):
        _require_crm(caller)
        sample: dict = {}
        for row in list(portal.tables[table].rows.values())[:200]:
            sample.update({k: None for k in row})
        result = {name: {"type": "string", "isRequired": False, "isReadOnly": name in ("ID", "DATE_CREATE"),
                         "isImmutable": False, "isMultiple": name in ("PHONE", "EMAIL", "WEB", "IM"),
                         "isDynamic": False, "title": name} for name in sample}
        entity = {"contacts": "CRM_CONTACT", "companies": "CRM_COMPANY"}.get(table)
        for uf in portal.userfields:
            if uf.get("ENTITY_ID") == entity:
                result[uf["FIELD_NAME"]] = {"type": uf.get("USER_TYPE_ID"), "isRequired": False,
                                            "isReadOnly": False, "isImmutable": False,
                                            "isMultiple": uf.get("MULTIPLE") == "Y", "isDynamic": True,
                                            "title": uf["FIELD_NAME"]}
        return Answer(result, portal.costs.get_s)
    return handler


for _name, _table in LEGACY.items():
    METHODS[f"crm.{_name}.fields"] = _fields(_table)


# --- links (§7.4) -------------------------------------------------------------------

@method("crm.contact.company.items.get")
def contact_companies(portal, caller, params):
    return _binding_rows(portal, caller, params, "contacts", "COMPANY_ID",
                         lambda cid: [b for b in portal.bindings if int(b["CONTACT_ID"]) == cid], "COMPANY_ID")


@method("crm.company.contact.items.get")
def company_contacts(portal, caller, params):
    return _binding_rows(portal, caller, params, "companies", "CONTACT_ID",
                         lambda cid: [b for b in portal.bindings if int(b["COMPANY_ID"]) == cid], "CONTACT_ID")


@method("crm.deal.contact.items.get")
def deal_contacts(portal, caller, params):
    def rows(did):
        deal = portal.tables["deals"].rows.get(did) or {}
        ids = deal.get("CONTACT_IDS") or ([deal["CONTACT_ID"]] if deal.get("CONTACT_ID") not in (None, "", "0") else [])
        return [{"CONTACT_ID": c, "SORT": str(10 * (i + 1)), "IS_PRIMARY": "Y" if i == 0 else "N"}
                for i, c in enumerate(ids)]
    return _binding_rows(portal, caller, params, "deals", "CONTACT_ID", rows, "CONTACT_ID")


def _binding_rows(portal, caller, params, table, _key, rows_for, other_key):
    _require_crm(caller)
    rid = _int_param(params, "id", "ID")
    owner = portal.tables[table].rows.get(rid or 0)
    if owner is None:
        raise RestError(400, "", "The parameter 'ownerEntityID' is invalid or not defined.")
    if not caller.access.sees(table, owner, portal.resolve):
        raise RestError(400, "ACCESS_DENIED", "Access denied!")
    result = [{other_key: int(b[other_key]), "SORT": int(b.get("SORT") or 0), "ROLE_ID": 0,
               "IS_PRIMARY": b.get("IS_PRIMARY", "N")} for b in rows_for(rid)]
    return Answer(result, portal.costs.get_s)


# --- universal crm.item.* (§7.7, §7.10) ------------------------------------------------

def _item_table(params: Mapping) -> str:
    type_id = _int_param(params, "entityTypeId", "ENTITY_TYPE_ID")
    if type_id == 5:
        raise RestError(400, "ENTITY_TYPE_NOT_SUPPORTED", "Entity type 5 is not supported")
    if type_id not in ITEM_TABLES:
        raise RestError(400, "NOT_FOUND", "Smart process not found")
    return ITEM_TABLES[type_id]


def shape_item(portal, table: str):
    def shape(row: dict) -> dict:
        rid = int(row.get("ID", row.get("id")))
        cache = portal._item_cache.setdefault(table, {})
        cached = cache.get(rid)
        if cached is None:
            by_contact, by_company = portal.links()
            links = by_contact if table == "contacts" else by_company
            cached = cache[rid] = item_row(table, row, links)
        return cached
    return shape


@method("crm.item.list")
def item_list(portal, caller, params):
    table = _item_table(params)
    if not caller.access.has_crm:
        raise RestError(400, "ACCESS_DENIED", "Access denied.")
    spec = _param(params, "filter")
    for key in spec if isinstance(spec, Mapping) else ():
        if str(key) != "contactIds" and query.split_key(str(key))[1] == "contactIds":
            # the platform rewrites only the bare key (next-features §A.5): "@contactIds" is no field
            raise RestError(400, "INVALID_ARG_VALUE", "Invalid filter: field 'CONTACT_IDS' is not allowed in filter")
    page, total, nxt, cost = portal.list_page(table, params, caller, shape=shape_item(portal, table),
                                              id_key="id", allow_logic=True)
    select = _param(params, "select")
    items = [_uf_names(query.select_item(row, select), params) for row in page]
    return Answer({"items": items}, cost, total=total, next=nxt)


def _uf_names(item: dict, params: Mapping) -> dict:
    if str(params.get("useOriginalUfNames", "N")).upper() != "Y":
        return item
    return {(uf_legacy_name(k) if k.startswith("ufCrm") else k): v for k, v in item.items()}


@method("crm.item.get")
def item_get(portal, caller, params):
    table = _item_table(params)
    row = portal.tables[table].rows.get(_int_param(params, "id") or 0)
    if row is None:
        raise RestError(400, "NOT_FOUND", "Element not found")
    if not caller.access.sees(table, row, portal.resolve):
        raise RestError(400, "ACCESS_DENIED", "You do not have permission to view this item")
    return Answer({"item": shape_item(portal, table)(row)}, portal.costs.get_s)


@method("crm.item.update")
def item_update(portal, caller, params):
    table = _item_table(params)
    if table not in ("contacts", "companies"):
        raise RestError(400, "ENTITY_TYPE_NOT_SUPPORTED", "Only contacts and companies are updated here")
    row = portal.tables[table].rows.get(_int_param(params, "id") or 0)
    if row is None:
        raise RestError(400, "NOT_FOUND", "Element not found")
    if not caller.access.may_edit(table, row, portal.resolve):
        raise RestError(400, "ACCESS_DENIED", "Access denied")
    fields = params.get("fields")
    if not isinstance(fields, Mapping):
        raise RestError(400, "INVALID_ARG_VALUE", "fields must be an object")
    legacy = {uf_legacy_name(k) if k.startswith("ufCrm") else k: v for k, v in fields.items()}
    entity = "contact" if table == "contacts" else "company"
    _apply(portal, table, entity, row, legacy, caller)
    portal.record_write("crm.item.update", caller, params)
    return Answer({"item": shape_item(portal, table)(row)}, portal.costs.update_s)


# --- directories ------------------------------------------------------------------------

@method("crm.status.list")
def status_list(portal, caller, params):
    spec = _param(params, "filter") or {}
    if isinstance(spec, Mapping) and isinstance(spec.get("ENTITY_ID"), list):
        raise RestError(400, "", "Filter by ENTITY_ID must be a string")
    predicate = query.compile_filter(spec, allow_logic=False, tz=portal.tz)
    rows = [dict(r, ID=str(i + 1)) for i, r in enumerate(portal.statuses) if predicate(r)]
    rows = query.sort_rows(rows, _param(params, "order") or {"SORT": "ASC"}, default="SORT")
    return Answer(rows, portal.costs.list_page(len(rows)), total=len(rows))


@method("crm.category.list")
def category_list(portal, caller, params):
    type_id = _int_param(params, "entityTypeId")
    if type_id not in (2, 31):
        raise RestError(400, "NOT_FOUND", "Entity type not found")
    prefix = "DEAL_STAGE" if type_id == 2 else "SMART_INVOICE_STAGE"
    ids = {0}
    for status in portal.statuses:
        entity = str(status.get("ENTITY_ID") or "")
        if entity.startswith(prefix + "_") and entity.rsplit("_", 1)[1].isdigit():
            ids.add(int(entity.rsplit("_", 1)[1]))
    cats = [{"id": c, "name": "General" if c == 0 else f"Pipeline {c}", "sort": 100 * (c + 1),
             "entityTypeId": type_id, "isDefault": "Y" if c == 0 else "N"} for c in sorted(ids)]
    return Answer({"categories": cats}, portal.costs.list_page(len(cats)), total=len(cats))


@method("crm.documentgenerator.document.list")
def document_list(portal, caller, params):
    _require_crm(caller)
    page, total, nxt, cost = portal.list_page("documents", params, caller, shape=None, id_key="id",
                                              allow_logic=False)
    return Answer({"documents": [query.select_item(r, _param(params, "select")) for r in page]}, cost,
                  total=total, next=nxt)


@method("crm.timeline.comment.list")
def timeline_comment_list(portal, caller, params):
    """One record's comments (ENTITY_TYPE and ENTITY_ID are both required); an owner the
    user may not read, or that does not exist, is "Access denied." as the docs give it."""
    _require_crm(caller)
    spec = _param(params, "filter")
    spec = spec if isinstance(spec, Mapping) else {}
    kind = str(spec.get("ENTITY_TYPE") or "").strip().lower()
    owner_id = _int_param(spec, "ENTITY_ID")
    if not kind or owner_id is None:
        raise RestError(400, "", "Required fields are missing: ENTITY_ID, ENTITY_TYPE.")
    owner = portal.resolve(COMMENT_OWNER_TABLE.get(kind), owner_id)
    if owner is None or not caller.access.sees(COMMENT_OWNER_TABLE[kind], owner, portal.resolve):
        raise RestError(*ACCESS_DENIED_LEGACY)
    type_id = ENTITY_TYPE_OF[COMMENT_OWNER_TABLE[kind]]
    page, total, nxt, cost = portal.list_page("timeline_comments", params, caller, shape=None, id_key="ID",
                                              allow_logic=False,
                                              rows=lambda: portal.owned_rows("timeline_comments", [(type_id, owner_id)]))
    return Answer([query.select_legacy(row, _param(params, "select")) for row in page], cost, total=total, next=nxt)


# --- user fields (§8) ---------------------------------------------------------------------

def _userfield_add(entity: str):
    def handler(portal, caller, params):
        if not caller.access.admin:
            raise RestError(400, "", "Access denied")
        fields = params.get("fields")
        if not isinstance(fields, Mapping) or not fields.get("USER_TYPE_ID"):
            raise RestError(400, "", "The 'USER_TYPE_ID' field is not found.")
        name = str(fields.get("FIELD_NAME") or "")
        name = name if name.startswith("UF_CRM_") else "UF_CRM_" + name.removeprefix("UF_")
        if len(name) > 50 or not all(c.isupper() or c.isdigit() or c == "_" for c in name):
            raise RestError(400, "", "Field name is too long or has invalid characters.")
        entity_id = f"CRM_{entity.upper()}"
        if any(uf["FIELD_NAME"] == name and uf["ENTITY_ID"] == entity_id for uf in portal.userfields):
            raise RestError(400, "", f"A field named {name} already exists.")
        uf_id = 1 + max((int(uf["ID"]) for uf in portal.userfields), default=100)
        row = {"ID": str(uf_id), "ENTITY_ID": entity_id, "FIELD_NAME": name,
               "USER_TYPE_ID": fields["USER_TYPE_ID"], "XML_ID": fields.get("XML_ID"),
               "SORT": str(fields.get("SORT", 100)), "MULTIPLE": fields.get("MULTIPLE", "N"),
               "MANDATORY": fields.get("MANDATORY", "N"), "SHOW_FILTER": fields.get("SHOW_FILTER", "N"),
               "SETTINGS": fields.get("SETTINGS") or [], "LABELS": _labels(fields)}
        if fields["USER_TYPE_ID"] == "enumeration":
            row["LIST"] = _list_items(portal, fields.get("LIST"))
        portal.userfields.append(row)
        portal.record_write(f"crm.{entity}.userfield.add", caller, params)
        return Answer(uf_id, portal.costs.userfield_add_s)
    return handler


def _labels(fields: Mapping) -> dict:
    label = fields.get("EDIT_FORM_LABEL") or fields.get("LABEL") or fields.get("FIELD_NAME")
    return label if isinstance(label, Mapping) else {"en": label}


def _list_items(portal, items: object) -> list[dict]:
    items = list(items.values()) if isinstance(items, Mapping) else items or []
    out = []
    for i, item in enumerate(items):
        portal.data["_enum_seq"] = int(portal.data.get("_enum_seq") or 1000) + 1
        out.append({"ID": str(portal.data["_enum_seq"]), "SORT": str(item.get("SORT", 10 * (i + 1))),
                    "VALUE": item.get("VALUE"), "DEF": item.get("DEF", "N"), "XML_ID": item.get("XML_ID")})
    return out


def _userfield_list(entity: str):
    def handler(portal, caller, params):
        _require_crm(caller)
        spec = _param(params, "filter") or {}
        lang = spec.pop("LANG", None) if isinstance(spec, dict) else None
        predicate = query.compile_filter(spec, allow_logic=False, tz=portal.tz)
        rows = []
        for uf in portal.userfields:
            if uf.get("ENTITY_ID") != f"CRM_{entity.upper()}" or not predicate(uf):
                continue
            row = {k: v for k, v in uf.items() if k != "LABELS"}
            if lang:
                labels = uf.get("LABELS") or {}
                text = labels.get(lang) or next(iter(labels.values()), uf["FIELD_NAME"])
                row.update(EDIT_FORM_LABEL=text, LIST_COLUMN_LABEL=text, LIST_FILTER_LABEL=text)
            rows.append(copy.deepcopy(row))
        return Answer(rows, portal.costs.list_page(len(rows)), total=len(rows))
    return handler


def _userfield_update(entity: str):
    def handler(portal, caller, params):
        if not caller.access.admin:
            raise RestError(400, "", "Access denied")
        uf = next((u for u in portal.userfields if u["ID"] == str(params.get("id"))
                   and u["ENTITY_ID"] == f"CRM_{entity.upper()}"), None)
        if uf is None:
            raise RestError(400, "", "Not found")
        fields = params.get("fields") or {}
        if "EDIT_FORM_LABEL" in fields or "LABEL" in fields:
            uf["LABELS"] = _labels(fields)
        if "LIST" in fields:
            uf["LIST"] = _merge_list(portal, uf.get("LIST") or [], fields["LIST"])
        portal.record_write(f"crm.{entity}.userfield.update", caller, params)
        return Answer(True, portal.costs.update_s)
    return handler


def _merge_list(portal, current: list[dict], changes: object) -> list[dict]:
    changes = list(changes.values()) if isinstance(changes, Mapping) else changes or []
    by_id = {item["ID"]: item for item in current}
    added = []
    for change in changes:
        if change.get("ID") and str(change["ID"]) in by_id:
            if change.get("DEL") == "Y":
                by_id.pop(str(change["ID"]))
            else:
                by_id[str(change["ID"])].update({k: v for k, v in change.items() if k != "ID"})
        else:
            added.append(change)
    return list(by_id.values()) + _list_items(portal, added)


for _name in ("contact", "company"):
    METHODS[f"crm.{_name}.userfield.add"] = _userfield_add(_name)
    METHODS[f"crm.{_name}.userfield.list"] = _userfield_list(_name)
    METHODS[f"crm.{_name}.userfield.update"] = _userfield_update(_name)


from . import platform_methods  # noqa: E402,F401  (registers users, app, placement, im, timeline)
from . import planning_methods  # noqa: E402,F401  (registers crm.currency.*)

__all__ = ["METHODS", "PAGE"]
