"""The app's data storage, `entity.*`: the status ladder's shared lock.

next-features.md §B.2.1: `app.option.set` is admin-only, so a mark that every
user may write lives in an `entity` storage: `entity.add {ENTITY, NAME,
ACCESS:{"AU":"W"}}` once at install, then `entity.item.add` / `.get` /
`.update` / `.delete` by anyone with W.  There is no compare-and-set; the lock
recipe is "add an item, re-read the items with that NAME by ID ascending, the
lowest ID wins" (§B.2.1), which this storage supports as the portal does:
item IDs only grow, and `entity.item.get` filters and sorts.

Shapes and rules follow DOCS (api-reference/entity/*) and CORE
(rest/classes/general/rest_entity.php, `CBitrixRestEntity`):

- Application context only (an app token); a webhook gets 403
  `ACCESS_DENIED` "Access denied! Application context required".
- `ENTITY` keeps only `[a-zA-Z0-9_]` and at most 13 characters (DOCS: "In most
  cases for Bitrix24, this is 13 characters").
- Rights are access codes with a letter: `R` read, `W` write, `X` manage.
  The creator gets `X`; portal admins manage every storage.  Codes: `U<id>`,
  `AU` / `G2` (every user), `G1` (admins), `D<dept>`, `DR<dept>` (with
  sub-departments).  Reading items needs R, adding, changing and deleting
  them W, properties and the storage itself X.
- Items: `ID, TIMESTAMP_X, MODIFIED_BY, DATE_CREATE, CREATED_BY, ACTIVE,
  DATE_ACTIVE_FROM, DATE_ACTIVE_TO, SORT, NAME, PREVIEW_PICTURE, PREVIEW_TEXT,
  DETAIL_PICTURE, DETAIL_TEXT, CODE, ENTITY, SECTION` and `PROPERTY_VALUES`
  (when the storage has properties; only declared properties are kept),
  strings as an iblock gives them.  `entity.item.get` pages by 50 with
  `total`/`next`; `FILTER` takes the operations `'' ! < <= > >= >< !>< ? = != % !%`
  (others are dropped, as CORE's checkFilter does), `PROPERTY_<code>` keys and
  nested `{LOGIC: 'OR', ...}` groups; `SORT` defaults to `{ID: 'ASC'}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import effects, query
from .methods import method
from .portal import PAGE, Answer, RestError

MAX_ENTITY = 13
LEVELS = {"D": 0, "R": 1, "W": 2, "X": 3}
_OPERATION = re.compile(r"^([^A-Za-z]*)(.*)$")
_ALLOWED = {"", "!", "<", "<=", ">", ">=", "><", "!><", "?", "=", "!=", "%", "!%"}
ITEM_FIELDS = ("NAME", "CODE", "ACTIVE", "SORT", "DATE_ACTIVE_FROM", "DATE_ACTIVE_TO", "PREVIEW_TEXT",
               "DETAIL_TEXT", "SECTION")


def _upper(params: Mapping) -> dict:
    return {str(k).upper(): v for k, v in params.items()}


def _app_only(caller) -> None:
    if caller.principal != "app":
        raise RestError(403, "ACCESS_DENIED", "Access denied! Application context required")


def _argument(name: str) -> RestError:
    return RestError(400, "ERROR_ARGUMENT", f"Argument '{name}' is null or empty", argument=name)


def _code(value: object, name: str = "ENTITY") -> str:
    code = re.sub(r"[^a-zA-Z0-9_]", "", str(value if value is not None else "").strip())
    if not code:
        raise _argument(name)
    if name == "ENTITY" and len(code) > MAX_ENTITY:
        raise RestError(400, "ERROR_ARGUMENT", f"Entity code is too long. Max length is {MAX_ENTITY} characters.",
                        argument=name)
    return code


def _storage(portal, params: dict) -> dict:
    storage = portal.storages.get(_code(params.get("ENTITY")))
    if storage is None:
        raise RestError(400, "ERROR_ENTITY_NOT_FOUND", "Entity not found")
    return storage


def level(portal, caller, storage: Mapping) -> str:
    """The caller's letter on a storage: the highest of the codes that apply to them."""
    if caller.access.admin:
        return "X"
    user = portal.users.get(caller.user_id) or {}
    departments = {str(d) for d in user.get("UF_DEPARTMENT") or []}
    parents = {str(d["ID"]): str(d.get("PARENT") or "") for d in portal.tables["departments"].rows.values()}
    with_parents = set(departments)
    for dep in departments:
        seen = set()
        while parents.get(dep) and dep not in seen:
            seen.add(dep)
            dep = parents[dep]
            with_parents.add(dep)
    mine = {f"U{caller.user_id}", "AU", "G2"} | {f"D{d}" for d in departments} | {f"DR{d}" for d in with_parents}
    best = "D"
    for code, letter in storage["rights"].items():
        if code in mine and LEVELS.get(letter, 0) > LEVELS[best]:
            best = letter
    return best


def _need(portal, caller, storage: Mapping, letter: str) -> None:
    if LEVELS[level(portal, caller, storage)] < LEVELS[letter]:
        raise RestError(403, "ACCESS_DENIED", "Access denied!")


def _rights(access: object, creator: int) -> dict[str, str]:
    """ACCESS as CORE's checkRights keeps it: only R, W and X entries; the creator gets X."""
    rights = {str(code): str(letter).upper() for code, letter in (access.items() if isinstance(access, Mapping) else [])
              if str(letter).upper() in ("R", "W", "X")}
    rights[f"U{creator}"] = "X"
    return rights


# --- storages -----------------------------------------------------------------------------------

@method("entity.add")
def entity_add(portal, caller, params):
    """`{ENTITY, NAME, ACCESS?:{code: R|W|X}}` → `true`.  Any user in app context (DOCS
    entity-add.md "any user upon application authorization"; the spec runs it from install)."""
    _app_only(caller)
    p = _upper(params)
    code = _code(p.get("ENTITY"))
    if code in portal.storages:
        raise RestError(400, "ERROR_ENTITY_ALREADY_EXISTS", "Entity already exists")
    name = str(p.get("NAME") or "").strip()
    if not name:
        raise RestError(400, "ERROR_CORE", "Please enter a name.")
    portal.storages[code] = {"ID": effects.next_id(portal, "storage"), "ENTITY": code, "NAME": name,
                             "rights": _rights(p.get("ACCESS"), caller.user_id), "properties": {}, "items": {},
                             "created_by": caller.user_id}
    portal.record_write("entity.add", caller, params)
    return Answer(True, portal.costs.update_s)


def _view(storage: Mapping) -> dict:
    return {"ID": str(storage["ID"]), "IBLOCK_TYPE_ID": "rest_entity", "ENTITY": storage["ENTITY"],
            "NAME": storage["NAME"]}


@method("entity.get")
def entity_get(portal, caller, params):
    """`{ENTITY?}` → `{ID, IBLOCK_TYPE_ID, ENTITY, NAME}`, or all the app's storages."""
    _app_only(caller)
    p = _upper(params)
    if p.get("ENTITY") is None:
        return Answer([_view(s) for s in portal.storages.values()], portal.costs.other_s)
    return Answer(_view(_storage(portal, p)), portal.costs.other_s)


@method("entity.update")
def entity_update(portal, caller, params):
    """`{ENTITY, NAME?, ENTITY_NEW?, ACCESS?}` → `true`; needs X."""
    _app_only(caller)
    p = _upper(params)
    storage = _storage(portal, p)
    _need(portal, caller, storage, "X")
    if p.get("NAME") is not None:
        storage["NAME"] = str(p["NAME"]).strip()
    if isinstance(p.get("ACCESS"), Mapping) and p["ACCESS"]:
        storage["rights"] = _rights(p["ACCESS"], caller.user_id)
    if p.get("ENTITY_NEW") and _code(p["ENTITY_NEW"]) != storage["ENTITY"]:
        new = _code(p["ENTITY_NEW"])
        if new in portal.storages:
            raise RestError(400, "ERROR_ENTITY_ALREADY_EXISTS", "Entity already exists")
        portal.storages[new] = portal.storages.pop(storage["ENTITY"])
        storage["ENTITY"] = new
    portal.record_write("entity.update", caller, params)
    return Answer(True, portal.costs.update_s)


@method("entity.delete")
def entity_delete(portal, caller, params):
    """`{ENTITY}` → `true`; needs X; its items go with it."""
    _app_only(caller)
    storage = _storage(portal, _upper(params))
    _need(portal, caller, storage, "X")
    del portal.storages[storage["ENTITY"]]
    portal.record_write("entity.delete", caller, params)
    return Answer(True, portal.costs.update_s)


@method("entity.rights")
def entity_rights(portal, caller, params):
    """`{ENTITY, ACCESS?}` → `{code: letter}`; setting them needs X."""
    _app_only(caller)
    p = _upper(params)
    storage = _storage(portal, p)
    if isinstance(p.get("ACCESS"), Mapping) and p["ACCESS"]:
        _need(portal, caller, storage, "X")
        storage["rights"] = _rights(p["ACCESS"], caller.user_id)
        portal.record_write("entity.rights", caller, params)
    return Answer(dict(storage["rights"]), portal.costs.other_s)


# --- properties ---------------------------------------------------------------------------------

@method("entity.item.property.add")
def property_add(portal, caller, params):
    """`{ENTITY, PROPERTY, NAME?, TYPE?: S|N|F, SORT?}` → `true`; needs X.  Only declared
    properties are kept in PROPERTY_VALUES (DOCS entity-item-add.md)."""
    _app_only(caller)
    p = _upper(params)
    code = _code(p.get("ENTITY"))
    kind = str(p.get("TYPE") or "S").upper()
    if kind not in ("S", "N", "F"):
        raise RestError(400, "ERROR_ARGUMENT", "Wrong entity item property type", argument="TYPE")
    storage = portal.storages.get(code)
    prop = _code(p.get("PROPERTY"), "PROPERTY") if p.get("PROPERTY") is not None else None
    if storage is not None and prop is not None and prop.upper() in {k.upper() for k in storage["properties"]}:
        raise RestError(400, "ERROR_PROPERTY_ALREADY_EXISTS", "Property already exists")
    if prop is None:
        raise _argument("PROPERTY")
    if storage is None:
        raise RestError(400, "ERROR_ENTITY_NOT_FOUND", "Entity not found")
    _need(portal, caller, storage, "X")
    if prop[:1].isdigit():
        raise RestError(400, "ERROR_CORE", "Property code cannot start with a digit")
    storage["properties"][prop] = {"PROPERTY": prop, "NAME": str(p.get("NAME") or prop), "TYPE": kind,
                                   "SORT": str(int(p.get("SORT") or 500))}
    portal.record_write("entity.item.property.add", caller, params)
    return Answer(True, portal.costs.update_s)


@method("entity.item.property.get")
def property_get(portal, caller, params):
    """`{ENTITY, PROPERTY?}` → `{PROPERTY, NAME, TYPE, SORT}` or the list of them."""
    _app_only(caller)
    p = _upper(params)
    storage = _storage(portal, p)
    if p.get("PROPERTY"):
        prop = next((v for k, v in storage["properties"].items() if k.upper() == str(p["PROPERTY"]).upper()), None)
        if prop is None:
            raise RestError(400, "ERROR_PROPERTY_NOT_FOUND", "Property not found")
        return Answer(dict(prop), portal.costs.other_s)
    props = sorted(storage["properties"].values(), key=lambda v: int(v["SORT"]))
    return Answer([dict(v) for v in props], portal.costs.other_s)


# --- items ----------------------------------------------------------------------------------------

def _set_fields(portal, storage: Mapping, item: dict, p: Mapping) -> None:
    for name in ITEM_FIELDS:
        if name not in p:
            continue
        value = p[name]
        if name in ("DATE_ACTIVE_FROM", "DATE_ACTIVE_TO"):
            moment = portal.moment(value)
            item[name] = None if moment is None else moment
        elif name == "SORT":
            item[name] = int(value) if str(value).strip().lstrip("-").isdigit() else 500
        elif name == "ACTIVE":
            item[name] = "N" if str(value).upper() in ("N", "0", "FALSE") else "Y"
        else:
            item[name] = None if value in (None, "") else str(value)
    values = p.get("PROPERTY_VALUES")
    if isinstance(values, Mapping):
        declared = {k.upper(): k for k in storage["properties"]}
        for key, value in values.items():
            prop = declared.get(str(key).upper())
            if prop is not None:
                item["props"][prop] = value


def _stored(value: object) -> object:
    """A property value as an iblock gives it back: text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        return value
    return str(value)


def item_view(portal, storage: Mapping, item: Mapping) -> dict:
    """An item as entity.item.get answers it."""
    row = {
        "ID": str(item["ID"]), "TIMESTAMP_X": portal.iso(item["TIMESTAMP_X"]), "MODIFIED_BY": str(item["MODIFIED_BY"]),
        "DATE_CREATE": portal.iso(item["DATE_CREATE"]), "CREATED_BY": str(item["CREATED_BY"]),
        "ACTIVE": item["ACTIVE"],
        "DATE_ACTIVE_FROM": portal.iso(item["DATE_ACTIVE_FROM"]) if item["DATE_ACTIVE_FROM"] is not None else "",
        "DATE_ACTIVE_TO": portal.iso(item["DATE_ACTIVE_TO"]) if item["DATE_ACTIVE_TO"] is not None else "",
        "SORT": str(item["SORT"]), "NAME": item["NAME"], "PREVIEW_PICTURE": None, "PREVIEW_TEXT": item["PREVIEW_TEXT"],
        "DETAIL_PICTURE": None, "DETAIL_TEXT": item["DETAIL_TEXT"], "CODE": item["CODE"],
        "ENTITY": storage["ENTITY"], "SECTION": item["SECTION"],
    }
    if storage["properties"]:
        row["PROPERTY_VALUES"] = {code: _stored(item["props"].get(code)) for code in storage["properties"]}
    return row


@method("entity.item.add")
def item_add(portal, caller, params):
    """`{ENTITY, NAME, PROPERTY_VALUES?, CODE?, SORT?, ACTIVE?, DATE_ACTIVE_FROM?, DATE_ACTIVE_TO?,
    PREVIEW_TEXT?, DETAIL_TEXT?}` → the new item's ID (an int, ever growing); needs W."""
    _app_only(caller)
    p = _upper(params)
    storage = _storage(portal, p)
    _need(portal, caller, storage, "W")
    if not str(p.get("NAME") or "").strip():
        raise RestError(400, "ERROR_CORE", "Please enter a name.")
    now = portal.clock.now()
    item = {"ID": effects.next_id(portal, "entity_item"), "NAME": None, "CODE": None, "ACTIVE": "Y", "SORT": 500,
            "DATE_ACTIVE_FROM": None, "DATE_ACTIVE_TO": None, "PREVIEW_TEXT": None, "DETAIL_TEXT": None,
            "SECTION": None, "CREATED_BY": caller.user_id, "MODIFIED_BY": caller.user_id, "DATE_CREATE": now,
            "TIMESTAMP_X": now, "props": {}}
    _set_fields(portal, storage, item, p)
    storage["items"][item["ID"]] = item
    portal.record_write("entity.item.add", caller, params)
    return Answer(item["ID"], portal.costs.update_s)


def _translate(spec: Mapping) -> dict:
    """An iblock FILTER in the simulator's filter language (query.py)."""
    out: dict = {}
    for key, value in spec.items():
        upper = str(key).upper()
        if upper.isdigit() and isinstance(value, Mapping):
            out[f"{len(out)}"] = {**_translate(value), "LOGIC": str(value.get("LOGIC", value.get("logic", "AND")))}
            continue
        if upper == "LOGIC":
            continue
        op, field = _OPERATION.match(upper).groups()
        if op not in _ALLOWED or field in ("IBLOCK_ID", "CHECK_PERMISSIONS", ""):
            continue
        if op in ("><", "!><"):
            bounds = list(value.values()) if isinstance(value, Mapping) else value
            if not isinstance(bounds, list) or len(bounds) != 2:
                continue
            out[f"{len(out)}"] = ({f">={field}": bounds[0], f"<={field}": bounds[1]} if op == "><" else
                                  {f"<{field}": bounds[0], f">{field}": bounds[1], "LOGIC": "OR"})
        elif op == "?":
            out[f"%{field}"] = value
        else:
            out[f"{op or '='}{field}"] = value
    return out


def _flat(view: Mapping) -> dict:
    row = {k: v for k, v in view.items() if k != "PROPERTY_VALUES"}
    for code, value in (view.get("PROPERTY_VALUES") or {}).items():
        row[f"PROPERTY_{code.upper()}"] = value
    return row


@method("entity.item.get")
def item_get(portal, caller, params):
    """`{ENTITY, SORT?, FILTER?, start?}` → items, 50 a page, with `total` and `next`; needs R."""
    _app_only(caller)
    p = _upper(params)
    storage = _storage(portal, p)
    _need(portal, caller, storage, "R")
    spec = p.get("FILTER") if isinstance(p.get("FILTER"), Mapping) else {}
    predicate = query.compile_filter(_translate(spec), allow_logic=True, tz=portal.tz)
    views = [item_view(portal, storage, i) for i in storage["items"].values()]
    rows = [(v, _flat(v)) for v in views]
    matching = [flat for _, flat in rows if predicate(flat)]
    order = p.get("SORT") if isinstance(p.get("SORT"), Mapping) and p.get("SORT") else {"ID": "ASC"}
    order = {str(k).upper(): v for k, v in order.items()}
    matching = query.sort_rows(matching, order, default="ID")
    by_id = {v["ID"]: v for v, _ in rows}
    try:
        start = max(0, int(p.get("START") or 0))
    except (TypeError, ValueError):
        start = 0
    page = [by_id[r["ID"]] for r in matching[start:start + PAGE]]
    total = len(matching)
    nxt = start + PAGE if start + PAGE < total else None
    return Answer(page, portal.costs.list_page(total), total=total, next=nxt)


def _item(portal, caller, params: Mapping, letter: str) -> tuple[dict, dict]:
    p = _upper(params)
    storage = _storage(portal, p)
    rid = int(p["ID"]) if str(p.get("ID") or "").strip().isdigit() else 0
    if rid <= 0:
        raise _argument("ID")
    _need(portal, caller, storage, letter)
    item = storage["items"].get(rid)
    if item is None:
        raise RestError(400, "ERROR_ITEM_NOT_FOUND", "Item not found")
    return storage, item


@method("entity.item.update")
def item_update(portal, caller, params):
    """`{ENTITY, ID, NAME?, PROPERTY_VALUES?, ...}` → `true`; needs W.  Only the given
    fields and properties change (CIBlockElement::SetPropertyValuesEx)."""
    _app_only(caller)
    storage, item = _item(portal, caller, params, "W")
    _set_fields(portal, storage, item, _upper(params))
    item["MODIFIED_BY"], item["TIMESTAMP_X"] = caller.user_id, portal.clock.now()
    portal.record_write("entity.item.update", caller, params)
    return Answer(True, portal.costs.update_s)


@method("entity.item.delete")
def item_delete(portal, caller, params):
    """`{ENTITY, ID}` → `true`; needs W."""
    _app_only(caller)
    storage, item = _item(portal, caller, params, "W")
    del storage["items"][item["ID"]]
    portal.record_write("entity.item.delete", caller, params)
    return Answer(True, portal.costs.update_s)
