"""Users, departments, the app itself, placements, notifications and the timeline (§6.3, §9, §10, §12)."""

from __future__ import annotations

from collections.abc import Mapping

from . import query
from .methods import _int_param, method
from .portal import Answer, RestError
from .store import COMMENT_OWNER_TABLE

USER_PUBLIC = ("ID", "ACTIVE", "NAME", "LAST_NAME", "SECOND_NAME", "EMAIL", "UF_DEPARTMENT", "WORK_POSITION",
               "PERSONAL_PHOTO", "WORK_PHONE", "PERSONAL_MOBILE", "TIME_ZONE", "IS_ONLINE")
PLACEMENTS = ("DEFAULT", "LEFT_MENU", "CRM_CONTACT_DETAIL_TAB", "CRM_COMPANY_DETAIL_TAB", "CRM_ANALYTICS_MENU",
              "CRM_DEAL_DETAIL_TAB", "REST_APP_URI")


def _public(user: Mapping) -> dict:
    return {k: user.get(k) for k in USER_PUBLIC if k in user}


def _admin_only(caller, code: str = "ACCESS_DENIED", text: str = "Access denied!") -> None:
    if not caller.access.admin:
        raise RestError(403, code, text)


def _app_only(caller) -> None:
    if caller.principal != "app":
        raise RestError(403, "WRONG_AUTH_TYPE", "Application context required")


@method("profile")
def profile(portal, caller, params):
    user = portal.users[caller.user_id]
    return Answer({"ID": user["ID"], "ADMIN": bool(user.get("ADMIN")), "NAME": user.get("NAME"),
                   "LAST_NAME": user.get("LAST_NAME"), "PERSONAL_GENDER": "", "TIME_ZONE": "",
                   "PERSONAL_PHOTO": user.get("PERSONAL_PHOTO")}, portal.costs.other_s)


@method("user.current")
def user_current(portal, caller, params):
    return Answer(_public(portal.users[caller.user_id]), portal.costs.other_s)


@method("user.admin")
def user_admin(portal, caller, params):
    return Answer(bool(portal.users[caller.user_id].get("ADMIN")), portal.costs.other_s)


@method("user.access")
def user_access(portal, caller, params):
    codes = params.get("ACCESS") or params.get("access") or []
    codes = list(codes.values()) if isinstance(codes, Mapping) else codes if isinstance(codes, list) else [codes]
    user = portal.users[caller.user_id]
    mine = {"AU", f"U{caller.user_id}"} | {f"D{d}" for d in user.get("UF_DEPARTMENT") or []}
    return Answer(bool(user.get("ADMIN")) or any(str(c) in mine for c in codes), portal.costs.other_s)


@method("user.get")
def user_get(portal, caller, params):
    spec = params.get("FILTER") or params.get("filter") or {}
    spec = {k: v for k, v in spec.items() if k not in ("USER_TYPE",)} if isinstance(spec, Mapping) else spec
    sort = params.get("sort") or params.get("SORT") or "ID"
    order = {str(sort): str(params.get("order") or params.get("ORDER") or "ASC")}
    page, total, nxt, cost = portal.list_page("users", {"filter": spec, "order": order, "start": params.get("start", 0)},
                                              caller, shape=_public, id_key="ID", allow_logic=False)
    return Answer(page, cost, total=total, next=nxt)


def _department(row: Mapping) -> dict:
    """A department as department.get gives it: ID and PARENT strings, SORT an int, UF_HEAD
    an int when set and absent when not (next-features.md §B.2.5; DOCS department-get.md)."""
    out = {"ID": str(row["ID"]), "NAME": row.get("NAME"), "SORT": int(row.get("SORT") or 500)}
    if row.get("PARENT") not in (None, "", 0, "0"):
        out["PARENT"] = str(row["PARENT"])
    if row.get("UF_HEAD") not in (None, "", 0, "0"):
        out["UF_HEAD"] = int(row["UF_HEAD"])
    return out


@method("department.get")
def department_get(portal, caller, params):
    """Filters ID, NAME, SORT, PARENT, UF_HEAD (exact); `sort` + `order`; `START`, 50 a page
    (REF §9; any user may read the structure, next-features.md C.5)."""
    spec = {k: v for k, v in params.items() if k in ("ID", "NAME", "SORT", "PARENT", "UF_HEAD")}
    predicate = query.compile_filter(spec, allow_logic=False, tz=portal.tz)
    rows = [_department(r) for r in (portal.tables["departments"].rows[i] for i in portal.tables["departments"].ids)]
    rows = [r for r in rows if predicate(r)]
    sort = str(params.get("sort") or params.get("SORT_BY") or "ID").upper()
    order = {sort if sort in ("ID", "NAME", "SORT", "PARENT", "UF_HEAD") else "ID":
             "DESC" if str(params.get("order") or "").upper() == "DESC" else "ASC"}
    rows = query.sort_rows(rows, order, default="ID")
    start = _int_param(params, "START", "start") or 0
    page = rows[start:start + 50]
    nxt = start + 50 if start + 50 < len(rows) else None
    return Answer(page, portal.costs.list_page(len(rows)), total=len(rows), next=nxt)


@method("app.info")
def app_info(portal, caller, params):
    if caller.principal != "app":
        raise RestError(400, "ACCESS_DENIED", "Access denied! Application context required")
    return Answer({"ID": 1, "CODE": "local.b24clients", "VERSION": 1, "STATUS": "L", "INSTALLED": portal.installed,
                   "PAYMENT_EXPIRED": "N", "DAYS": None, "LANGUAGE_ID": (portal.data.get("portal") or {}).get("lang", "ru"),
                   "LICENSE": "ru_project", "LICENSE_TYPE": "project", "LICENSE_FAMILY": "project"},
                  portal.costs.other_s)


@method("app.option.get")
def app_option_get(portal, caller, params):
    name = params.get("option")
    value = portal.app_options.get(name) if name else dict(portal.app_options)
    return Answer(value, portal.costs.other_s)


@method("app.option.set")
def app_option_set(portal, caller, params):
    _admin_only(caller)
    options = params.get("options")
    if not isinstance(options, Mapping):
        raise RestError(400, "ERROR_ARGUMENT", "Argument 'options' is null or empty", argument="options")
    portal.app_options.update(options)
    portal.record_write("app.option.set", caller, params)
    return Answer(True, portal.costs.update_s)


@method("user.option.get")
def user_option_get(portal, caller, params):
    options = portal.user_options.get(caller.user_id, {})
    name = params.get("option")
    return Answer(options.get(name) if name else dict(options), portal.costs.other_s)


@method("user.option.set")
def user_option_set(portal, caller, params):
    options = params.get("options")
    if not isinstance(options, Mapping):
        raise RestError(400, "ERROR_ARGUMENT", "Argument 'options' is null or empty", argument="options")
    portal.user_options.setdefault(caller.user_id, {}).update(options)
    return Answer(True, portal.costs.update_s)


@method("placement.list")
def placement_list(portal, caller, params):
    return Answer(list(PLACEMENTS), portal.costs.other_s)


@method("placement.bind")
def placement_bind(portal, caller, params):
    _app_only(caller)
    _admin_only(caller)
    code = str(params.get("PLACEMENT") or "")
    handler = str(params.get("HANDLER") or "")
    if not code:
        raise RestError(200, "ERROR_ARGUMENT", "Argument 'PLACEMENT' is null or empty", argument="PLACEMENT")
    if code not in PLACEMENTS:
        raise RestError(400, "ERROR_PLACEMENT_NOT_FOUND", "Placement not found")
    if not handler:
        raise RestError(200, "EMPTY_ERROR_HANDLER_URL", "Handler URL is empty")
    if any(p["placement"] == code and p["handler"] == handler for p in portal.placements):
        # rest/lib/api/placement.php: PlacementTable refuses a second row for the same app, placement and handler
        raise RestError(400, "ERROR_CORE", "Unable to set placement handler: Handler already binded")
    portal.placements.append({"placement": code, "userId": 0, "handler": handler, "options": [],
                              "title": params.get("TITLE") or "", "description": params.get("DESCRIPTION") or "",
                              "langAll": params.get("LANG_ALL") or {}})
    portal.record_write("placement.bind", caller, params)
    return Answer(True, portal.costs.update_s)


@method("placement.get")
def placement_get(portal, caller, params):
    _app_only(caller)
    _admin_only(caller)
    return Answer([dict(p) for p in portal.placements], portal.costs.other_s)


@method("placement.unbind")
def placement_unbind(portal, caller, params):
    _app_only(caller)
    _admin_only(caller)
    code, handler = str(params.get("PLACEMENT") or ""), params.get("HANDLER")
    keep = [p for p in portal.placements if not (p["placement"] == code and (not handler or p["handler"] == handler))]
    count = len(portal.placements) - len(keep)
    portal.placements = keep
    portal.record_write("placement.unbind", caller, params)
    return Answer({"count": count}, portal.costs.update_s)


_OWNER_TYPES = {"contact": ("contacts", 3), "company": ("companies", 4), "deal": ("deals", 2)}


@method("crm.timeline.comment.add")
def timeline_comment_add(portal, caller, params):
    fields = params.get("fields")
    if not isinstance(fields, Mapping):
        raise RestError(400, "100", "Required fields are missing: fields")
    table = COMMENT_OWNER_TABLE.get(str(fields.get("ENTITY_TYPE") or "").lower())
    owner = portal.resolve(table, _int_param(fields, "ENTITY_ID"))
    if owner is None:
        raise RestError(400, "OWNER_NOT_FOUND", "Owner not found")
    if not caller.access.sees(table, owner, portal.resolve):
        raise RestError(400, "ACCESS_DENIED", "Access denied")
    if not str(fields.get("COMMENT") or "").strip():
        raise RestError(400, "INVALID_ARG_VALUE", "Comment is empty")
    comments = portal.tables["timeline_comments"]
    new_id = comments.next_id()
    comments.add({"ID": str(new_id), "ENTITY_ID": str(owner.get("ID")),
                  "ENTITY_TYPE": str(fields["ENTITY_TYPE"]).lower(), "CREATED": portal.iso(portal.clock.now()),
                  "AUTHOR_ID": str(caller.user_id), "COMMENT": str(fields["COMMENT"])})
    portal.touch("timeline_comments", new_id, links=False)
    portal.record_write("crm.timeline.comment.add", caller, params)
    return Answer(new_id, portal.costs.update_s)


from . import ladder_methods  # noqa: E402,F401  (to-dos, notifications, log entries, feed, entity.*)
