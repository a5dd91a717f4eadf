"""The methods the status ladder's passes call (issue 13, spec/status-ladder.md
"The simulated portal"): to-dos with pings, notifications with replacing tags,
timeline log entries, feed posts, and changes of a record's responsible.

Facts: next-features.md §B (called NF below) and bitrix24-rest.md (REF); the
official docs (DOCS, bitrix24/b24restdocs) where NF names a method without its
shape.  Every handler checks the caller's rights through `store.Access`
(who may read, who may edit), costs simulated seconds from the `CostModel`,
and records what it did where tests can look (portal.pings,
.notifications, .log_messages, .feed_posts, .reassignments, .writes).
The app's `entity` storage (the shared lock) is in entity_storage.py; the ping
queue and time travel in effects.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

from . import effects, query
from .methods import METHODS, _int_param, _legacy_update, activity_view, method, shape_item
from .portal import Answer, RestError
from .store import ITEM_TABLES, uf_legacy_name

OWNERS = {2: "deals", 3: "contacts", 4: "companies", 31: "invoices"}
"""CRM owner types the simulator holds (REF §7.1)."""
ENTITY_TYPE_OF = {table: type_id for type_id, table in OWNERS.items()}
LOG_PAGE = 10
"""crm.timeline.logmessage.list pages hold 10 entries (DOCS crm-timeline-logmessage-list.md)."""
APP_CLIENT_ID = "local.b24clients"
ACCESS_DENIED = (400, "ACCESS_DENIED", "Access denied.")


# --- helpers ------------------------------------------------------------------------------

def _required(params: Mapping, *names: str) -> None:
    missing = [n for n in names if params.get(n) in (None, "", [], {})]
    if missing:
        raise RestError(400, "100", "Required fields are missing: " + ", ".join(missing))


def _owner(portal, type_id: int | None, owner_id: int | None) -> tuple[str, dict]:
    table = OWNERS.get(type_id or 0)
    row = portal.resolve(table, owner_id) if table else None
    if row is None:
        raise RestError(400, "OWNER_NOT_FOUND", "Owner of the entity not found")
    return table, row


def _may_edit(portal, caller, table: str, row: Mapping, error: tuple = ACCESS_DENIED) -> None:
    if not caller.access.has_crm or not caller.access.may_edit(table, row, portal.resolve):
        raise RestError(*error)


def _may_read(portal, caller, table: str, row: Mapping, error: tuple = ACCESS_DENIED) -> None:
    if not caller.access.has_crm or not caller.access.sees(table, row, portal.resolve):
        raise RestError(*error)


def _deadline(portal, value: object) -> str:
    moment = portal.moment(value)
    if moment is None:
        raise RestError(400, "WRONG_DATETIME_FORMAT", "Wrong datetime format")
    return portal.iso(moment)


def _new_activity_id(portal) -> int:
    table = portal.tables["activities"]
    new_id = max(portal.sequences.get("activity", 0), table.ids[-1] if table.ids else 0) + 1
    portal.sequences["activity"] = new_id
    return new_id


def _todo(portal, params: Mapping) -> tuple[str, dict, dict]:
    """The to-do a crm.activity.todo.* call names, bound to the owner it names."""
    type_id, owner_id = _int_param(params, "ownerTypeId"), _int_param(params, "ownerId")
    table, owner = _owner(portal, type_id, owner_id)
    activity = portal.tables["activities"].rows.get(_int_param(params, "id") or 0)
    bound = activity is not None and any(
        (str(b.get("OWNER_TYPE_ID")), str(b.get("OWNER_ID"))) == (str(type_id), str(owner_id))
        for b in activity.get("BINDINGS") or [])
    if not bound or activity.get("PROVIDER_ID") != "CRM_TODO":
        raise RestError(400, "NOT_FOUND", "Not found.")
    return table, owner, activity


def _touched(portal, activity: dict, caller) -> None:
    activity["LAST_UPDATED"] = portal.iso(portal.clock.now())
    activity["EDITOR_ID"] = str(caller.user_id)
    portal.touch("activities", int(activity["ID"]), links=False)


def _title(row: Mapping) -> str:
    name = " ".join(str(row.get(k) or "") for k in ("NAME", "LAST_NAME")).strip()
    return str(row.get("TITLE") or row.get("title") or name or f"#{row.get('ID', row.get('id'))}")


def reassigned(portal, caller, *, table: str, rid: int, before: object, after: object, method_name: str,
               notify: bool = False, title: str = "") -> dict | None:
    """Record a change of responsible; with REGISTER_SONET_EVENT the new one is told."""
    old, new = _int(before), _int(after)
    if old == new:
        return None
    entry = {"id": len(portal.reassignments) + 1, "table": table, "entityTypeId": ENTITY_TYPE_OF.get(table),
             "entity_id": rid, "from": old, "to": new, "by": caller.user_id, "method": method_name,
             "at": portal.clock.now(), "date": portal.iso(portal.clock.now()), "notified": False}
    if notify and new and new != caller.user_id and new in portal.users:
        effects.deliver(portal, kind="crm", sender=caller.user_id, to=new, via="crm",
                        message=f"You are now responsible for {title or f'#{rid}'}")
        entry["notified"] = True
    portal.reassignments.append(entry)
    return entry


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# --- to-dos (NF §B.2.2, REF §9; DOCS crm/timeline/activities/todo/*) ----------------------

@method("crm.activity.todo.add")
def todo_add(portal, caller, params):
    """`{ownerTypeId, ownerId, deadline, title?, description?, responsibleId?, pingOffsets?, colorId?}`
    → `{"id": N}`.  Needs edit permission on the owner (NF §B.2.2).  The to-do shows in
    crm.activity.list as PROVIDER_ID CRM_TODO, TYPE_ID 6; each offset of `pingOffsets`
    (minutes before the deadline) queues a ping (effects.py)."""
    _required(params, "ownerTypeId", "ownerId", "deadline")
    type_id, owner_id = _int_param(params, "ownerTypeId"), _int_param(params, "ownerId")
    table, owner = _owner(portal, type_id, owner_id)
    _may_edit(portal, caller, table, owner)
    deadline = _deadline(portal, params["deadline"])
    responsible = _int_param(params, "responsibleId") or caller.user_id
    new_id = _new_activity_id(portal)
    now = portal.iso(portal.clock.now())
    binding = {"OWNER_TYPE_ID": str(type_id), "OWNER_ID": str(owner_id)}
    row = {"ID": str(new_id), "OWNER_ID": str(owner_id), "OWNER_TYPE_ID": str(type_id), "TYPE_ID": "6",
           "PROVIDER_ID": "CRM_TODO", "PROVIDER_TYPE_ID": "TODO", "ASSOCIATED_ENTITY_ID": "0",
           "SUBJECT": str(params.get("title") or ""), "DESCRIPTION": str(params.get("description") or ""),
           "DESCRIPTION_TYPE": "1", "COMPLETED": "N", "STATUS": "1", "DIRECTION": "0", "PRIORITY": "2",
           "CREATED": now, "LAST_UPDATED": now, "START_TIME": deadline, "END_TIME": deadline,
           "DEADLINE": deadline, "AUTHOR_ID": str(caller.user_id), "EDITOR_ID": str(caller.user_id),
           "RESPONSIBLE_ID": str(responsible), "BINDINGS": [binding]}
    portal.tables["activities"].add(row)
    portal.touch("activities", new_id, links=False)
    portal.ping_offsets[new_id] = effects.offsets_of(params.get("pingOffsets"))
    effects.schedule(portal, row, reason="rescheduled")
    portal.record_write("crm.activity.todo.add", caller, params)
    return Answer({"id": new_id}, portal.costs.update_s)


@method("crm.activity.todo.updateDeadline")
def todo_update_deadline(portal, caller, params):
    """`{id, ownerTypeId, ownerId, value}` → `{"id": N}`; the pings are queued again from
    the new deadline (NF §B.2.2 "reset the timer"; CORE PingQueue::register)."""
    _required(params, "id", "ownerTypeId", "ownerId", "value")
    table, owner, activity = _todo(portal, params)
    _may_edit(portal, caller, table, owner)
    if activity.get("COMPLETED") == "Y":
        raise RestError(400, "CAN_NOT_UPDATE_COMPLETED_TODO", "Completed activity cannot be modified")
    deadline = _deadline(portal, params["value"])
    activity.update(DEADLINE=deadline, START_TIME=deadline, END_TIME=deadline)
    _touched(portal, activity, caller)
    effects.schedule(portal, activity, reason="rescheduled")
    portal.record_write("crm.activity.todo.updateDeadline", caller, params)
    return Answer({"id": int(activity["ID"])}, portal.costs.update_s)


@method("crm.activity.todo.update")
def todo_update(portal, caller, params):
    """`{id, ownerTypeId, ownerId, deadline, title?, description?, responsibleId?, pingOffsets?, colorId?}`
    → `{"id": N}` (NF §B.2.2 "or crm.activity.todo.update with new pingOffsets").  Title,
    description and responsible change only when given; `pingOffsets` defaults to an
    empty list, as DOCS crm-activity-todo-update.md says, so leaving it out drops the pings."""
    _required(params, "id", "ownerTypeId", "ownerId", "deadline")
    table, owner, activity = _todo(portal, params)
    _may_edit(portal, caller, table, owner)
    if activity.get("COMPLETED") == "Y":
        raise RestError(400, "CAN_NOT_UPDATE_COMPLETED_TODO", "Completed activity cannot be modified")
    deadline = _deadline(portal, params["deadline"])
    activity.update(DEADLINE=deadline, START_TIME=deadline, END_TIME=deadline)
    for name, field in (("title", "SUBJECT"), ("description", "DESCRIPTION")):
        if params.get(name) is not None:
            activity[field] = str(params[name])
    responsible = _int_param(params, "responsibleId")
    if responsible:
        before = activity.get("RESPONSIBLE_ID")
        activity["RESPONSIBLE_ID"] = str(responsible)
        reassigned(portal, caller, table="activities", rid=int(activity["ID"]), before=before, after=responsible,
                   method_name="crm.activity.todo.update")
    portal.ping_offsets[int(activity["ID"])] = effects.offsets_of(params.get("pingOffsets"))
    _touched(portal, activity, caller)
    effects.schedule(portal, activity, reason="rescheduled")
    portal.record_write("crm.activity.todo.update", caller, params)
    return Answer({"id": int(activity["ID"])}, portal.costs.update_s)


@method("crm.activity.todo.updateResponsibleUser")
def todo_update_responsible(portal, caller, params):
    """`{id, ownerTypeId, ownerId, responsibleId}` → `{"id": N}`: the documented way to give a
    to-do to someone else (DOCS crm-activity-todo-update-responsible-user.md; NF D.4)."""
    _required(params, "id", "ownerTypeId", "ownerId", "responsibleId")
    table, owner, activity = _todo(portal, params)
    _may_edit(portal, caller, table, owner)
    responsible = _int_param(params, "responsibleId") or 0
    if responsible <= 0:
        raise RestError(400, "INVALID_ARG_VALUE", 'Parameter "responsibleId" must be greater than 0')
    if activity.get("COMPLETED") == "Y":
        raise RestError(400, "CAN_NOT_UPDATE_RESPONSIBLE_USER_COMPLETED_TODO",
                        "Cannot change the responsible user in a closed activity")
    before = activity.get("RESPONSIBLE_ID")
    activity["RESPONSIBLE_ID"] = str(responsible)
    _touched(portal, activity, caller)
    reassigned(portal, caller, table="activities", rid=int(activity["ID"]), before=before, after=responsible,
               method_name="crm.activity.todo.updateResponsibleUser")
    portal.record_write("crm.activity.todo.updateResponsibleUser", caller, params)
    return Answer({"id": int(activity["ID"])}, portal.costs.update_s)


def _activity(portal, caller, params, *, edit: bool) -> dict:
    """A legacy crm.activity.* call's activity; rights follow its owner (NF A.5 "Activities
    have no rights of their own"), errors are legacy: HTTP 400 with an empty code."""
    if not caller.access.has_crm:
        raise RestError(400, "", "Access denied.")
    activity = portal.tables["activities"].rows.get(_int_param(params, "id", "ID") or 0)
    if activity is None:
        raise RestError(400, "", "Activity is not found")
    table = OWNERS.get(_int(activity.get("OWNER_TYPE_ID")) or 0)
    owner = portal.resolve(table, _int(activity.get("OWNER_ID"))) if table else None
    if owner is None:  # an orphan: whoever sees it
        allowed = caller.access.sees("activities", activity, portal.resolve)
    elif edit:
        allowed = caller.access.may_edit(table, owner, portal.resolve)
    else:
        allowed = caller.access.sees("activities", activity, portal.resolve)
    if not allowed:
        raise RestError(400, "", "Access denied.")
    return activity


@method("crm.activity.get")
def activity_get(portal, caller, params):
    """`{id}` → the activity's fields, as crm.activity.list gives them (REF §7.9)."""
    activity = _activity(portal, caller, params, edit=False)
    return Answer(query.select_legacy(activity_view(activity), ["*"]), portal.costs.get_s)


@method("crm.activity.update")
def activity_update(portal, caller, params):
    """`{id, fields:{...}}` → `true` (deprecated but working, DOCS crm-activity-update.md).
    Handles what a pass needs: COMPLETED (a closed to-do's pings are cancelled),
    RESPONSIBLE_ID, SUBJECT, DESCRIPTION, PRIORITY; other fields are ignored."""
    activity = _activity(portal, caller, params, edit=True)
    fields = params.get("fields")
    if not isinstance(fields, Mapping):
        raise RestError(400, "", "Parameter 'fields' must be array.")
    fields = {str(k).upper(): v for k, v in fields.items()}
    if "RESPONSIBLE_ID" in fields and not _int(fields["RESPONSIBLE_ID"]):
        raise RestError(400, "", "The field RESPONSIBLE_ID is not defined or invalid.")
    for name in ("SUBJECT", "DESCRIPTION", "PRIORITY"):
        if name in fields:
            activity[name] = str(fields[name] if fields[name] is not None else "")
    if "RESPONSIBLE_ID" in fields:
        before = activity.get("RESPONSIBLE_ID")
        activity["RESPONSIBLE_ID"] = str(_int(fields["RESPONSIBLE_ID"]))
        reassigned(portal, caller, table="activities", rid=int(activity["ID"]), before=before,
                   after=fields["RESPONSIBLE_ID"], method_name="crm.activity.update")
    if "COMPLETED" in fields:
        done = str(fields["COMPLETED"]).upper() in ("Y", "1", "TRUE")
        was = activity.get("COMPLETED") == "Y"
        activity["COMPLETED"], activity["STATUS"] = ("Y", "2") if done else ("N", "1")
        if done and not was:
            effects.cancel(portal, int(activity["ID"]), "completed")
        elif was and not done and activity.get("PROVIDER_ID") == "CRM_TODO":
            effects.schedule(portal, activity, reason="rescheduled")
    _touched(portal, activity, caller)
    portal.record_write("crm.activity.update", caller, params)
    return Answer(True, portal.costs.update_s)


@method("crm.activity.delete")
def activity_delete(portal, caller, params):
    """`{id}` → `true`: "To cancel: crm.activity.delete" (NF §B.2.2); needs edit on the owner.
    Its queued pings are cancelled."""
    activity = _activity(portal, caller, params, edit=True)
    aid = int(activity["ID"])
    portal.tables["activities"].delete(aid)
    portal.touch("activities", aid, links=False)
    effects.cancel(portal, aid, "deleted")
    portal.ping_offsets.pop(aid, None)
    portal.record_write("crm.activity.delete", caller, params)
    return Answer(True, portal.costs.update_s)


# --- notifications (NF §B.2.3, REF §9; DOCS im-notify-system-add.md) -------------------------

def _notify(name: str, kind: str | None):
    def handler(portal, caller, params):
        p = {str(k).upper(): v for k, v in params.items()}
        if caller.principal.startswith("session"):
            raise RestError(403, "WRONG_AUTH_TYPE", "Access for this method not allowed by session authorization.")
        to = _int(p.get("TO", p.get("USER_ID"))) or 0
        if to <= 0:
            raise RestError(400, "USER_ID_EMPTY", "User ID can't be empty")
        kind_now = kind or ("system" if str(p.get("TYPE") or "").upper() == "SYSTEM" else "personal")
        message = str(p.get("MESSAGE") or "").strip()
        if not message:
            raise RestError(400, "MESSAGE_EMPTY", "Message can't be empty")
        attach = p.get("ATTACH")
        if attach not in (None, "", [], {}):
            if isinstance(attach, str):
                try:
                    json.loads(attach)
                except ValueError:
                    raise RestError(400, "ATTACH_ERROR", "Incorrect attach params") from None
            if len(attach if isinstance(attach, str) else json.dumps(attach, ensure_ascii=False)) > 60_000:
                raise RestError(400, "ATTACH_OVERSIZE", "You have exceeded the maximum allowable size of attach")
        cost = portal.costs.update_s
        if to not in portal.users:
            return Answer(False, cost)  # "If the notification was not created, it may return false"
        # TAG and SUB_TAG are the app's own namespace; a webhook needs CLIENT_ID for them (DOCS).
        client = APP_CLIENT_ID if caller.principal == "app" else (
            f"custom{p['CLIENT_ID']}" if p.get("CLIENT_ID") else None)
        prefix = f"MP|{hashlib.md5(client.encode()).hexdigest()[:5]}|" if client else None
        tag = str(p["TAG"]) if p.get("TAG") and prefix else None
        sub_tag = str(p["SUB_TAG"]) if p.get("SUB_TAG") and prefix else None
        system = kind_now == "system"
        note = effects.deliver(
            portal, kind=kind_now, sender=0 if system else caller.user_id, to=to, message=message,
            message_out=str(p.get("MESSAGE_OUT") or "").strip() or None,
            title=effects.APP_NAME if system and caller.principal == "app" else None,
            tag=tag, key=prefix + tag if tag else None, sub_tag=sub_tag, via=caller.principal)
        note["by"] = caller.user_id
        portal.record_write(name, caller, params)
        return Answer(note["id"], cost)
    return handler


for _name, _kind in (("im.notify.system.add", "system"), ("im.notify.personal.add", "personal"), ("im.notify", None)):
    METHODS[_name] = _notify(_name, _kind)


# --- timeline log entries (NF §B.2.4, A.5 step 8; DOCS crm/timeline/logmessage/*) ----------------

def _log_view(entry: Mapping) -> dict:
    return {k: entry[k] for k in ("id", "created", "authorId", "title", "text", "iconCode")}


@method("crm.timeline.logmessage.add")
def logmessage_add(portal, caller, params):
    """`{fields:{entityTypeId, entityId, title, text, iconCode}}` (all required) →
    `{"logMessage": {id, created, authorId, title, text, iconCode}}`; needs edit
    permission on the entity (NF §B.2.4)."""
    fields = params.get("fields")
    if not isinstance(fields, Mapping):
        raise RestError(400, "100", "Could not find value for parameter {fields}")
    _required(fields, "entityTypeId", "entityId", "title", "text", "iconCode")
    table, owner = _owner(portal, _int_param(fields, "entityTypeId"), _int_param(fields, "entityId"))
    _may_edit(portal, caller, table, owner, (400, "ACCESS_DENIED", "Access denied"))
    now = portal.clock.now()
    entry = {"id": effects.next_id(portal, "log_message"), "created": portal.iso(now), "authorId": caller.user_id,
             "title": str(fields["title"]), "text": str(fields["text"]), "iconCode": str(fields["iconCode"]),
             "entityTypeId": ENTITY_TYPE_OF[table], "entityId": int(_int_param(fields, "entityId") or 0),
             "at": now, "app": caller.principal}
    portal.log_messages.append(entry)
    portal.record_write("crm.timeline.logmessage.add", caller, params)
    return Answer({"logMessage": _log_view(entry)}, portal.costs.update_s)


@method("crm.timeline.logmessage.list")
def logmessage_list(portal, caller, params):
    """`{entityTypeId, entityId, order?, start?}` → the entries made by logmessage.add on that
    entity (never system ones), 10 a page, newest first by default; needs read permission."""
    for name in ("entityTypeId", "entityId"):
        if params.get(name) in (None, ""):
            raise RestError(400, "100", f"Could not find value for parameter {{{name}}}")
    type_id, entity_id = _int_param(params, "entityTypeId"), _int_param(params, "entityId")
    table, owner = _owner(portal, type_id, entity_id)
    _may_read(portal, caller, table, owner, (400, "ACCESS_DENIED", "Access denied"))
    rows = [e for e in portal.log_messages if e["entityTypeId"] == type_id and e["entityId"] == entity_id]
    order = params.get("order") if isinstance(params.get("order"), Mapping) else {"id": "desc"}
    (field, direction), = list(order.items())[:1] or [("id", "desc")]
    key = "at" if str(field).lower() == "created" else "id"
    rows.sort(key=lambda e: (e[key], e["id"]), reverse=str(direction).lower() != "asc")
    start = max(0, _int(params.get("start")) or 0)
    page = rows[start:start + LOG_PAGE]
    nxt = start + LOG_PAGE if start + LOG_PAGE < len(rows) else None
    return Answer([_log_view(e) for e in page], portal.costs.list_page(len(rows)), total=len(rows), next=nxt)


def _log_entry(portal, caller, params, *, edit: bool) -> dict:
    entry = next((e for e in portal.log_messages if e["id"] == _int_param(params, "id")), None)
    if entry is None:
        raise RestError(400, "NOT_FOUND", "Not found")
    table, owner = _owner(portal, entry["entityTypeId"], entry["entityId"])
    (_may_edit if edit else _may_read)(portal, caller, table, owner, (400, "ACCESS_DENIED", "Access denied"))
    return entry


@method("crm.timeline.logmessage.get")
def logmessage_get(portal, caller, params):
    """`{id}` → `{"logMessage": {...}}`; needs read permission on the entity."""
    return Answer({"logMessage": _log_view(_log_entry(portal, caller, params, edit=False))}, portal.costs.get_s)


@method("crm.timeline.logmessage.delete")
def logmessage_delete(portal, caller, params):
    """`{id}` → `true`; only the app that made the entry (NF §B.2.4), with edit permission."""
    entry = _log_entry(portal, caller, params, edit=True)
    if entry["app"] != caller.principal:
        raise RestError(400, "ACCESS_DENIED", "Access denied")
    portal.log_messages.remove(entry)
    portal.record_write("crm.timeline.logmessage.delete", caller, params)
    return Answer(True, portal.costs.update_s)


# --- the news feed (NF §B.2.4; DOCS log-blogpost-add.md) --------------------------------------

_DEST = re.compile(r"^(UA|U\d+|SG\d+|DR\d+|D\d+)$")


def _recipients(portal, codes: list[str]) -> list[int]:
    """Users who may read a post sent to these codes: UA everyone, U<id>, D<dept>,
    DR<dept> with its sub-departments (SG groups do not exist here)."""
    users = {uid: u for uid, u in portal.users.items() if u.get("ACTIVE", True) is not False}
    children: dict[str, list[str]] = {}
    for dep in portal.tables["departments"].rows.values():
        children.setdefault(str(dep.get("PARENT") or ""), []).append(str(dep["ID"]))
    out: set[int] = set()
    for code in codes:
        if code == "UA":
            out |= set(users)
        elif code.startswith("U"):
            out |= {int(code[1:])} & set(users)
        elif code.startswith(("DR", "D")):
            deps, todo = set(), [code.lstrip("DR")]
            while todo:
                dep = todo.pop()
                if dep not in deps:
                    deps.add(dep)
                    if code.startswith("DR"):
                        todo.extend(children.get(dep, []))
            out |= {uid for uid, u in users.items() if {str(d) for d in u.get("UF_DEPARTMENT") or []} & deps}
    return sorted(out)


@method("log.blogpost.add")
def blogpost_add(portal, caller, params):
    """`{POST_MESSAGE, POST_TITLE?, DEST?:['U5','DR3','UA'], IMPORTANT?, USER_ID?}` → the post's ID
    (the current CORE returns it; the old DOCS page shows `true`).  Posts as the current user;
    `USER_ID` counts only for admins.  DEST defaults to ['UA']; unknown codes are dropped."""
    p = {str(k).upper(): v for k, v in params.items()}
    message = str(p.get("POST_MESSAGE") or "").strip()
    if not message:
        raise RestError(400, "ERROR_CORE", "Cannot add blog post: the message is empty")
    dest = p.get("DEST", p.get("SPERM"))
    if dest in (None, "", [], {}):
        codes = ["UA"]
    else:
        raw = list(dest.values()) if isinstance(dest, Mapping) else dest if isinstance(dest, list) else [dest]
        codes = [str(c) for c in raw if _DEST.match(str(c))]
        if not codes:
            raise RestError(400, "ERROR_CORE", "Wrong destinations")
    author = caller.user_id
    if caller.access.admin and (_int(p.get("USER_ID")) or 0) > 0 and _int(p["USER_ID"]) in portal.users:
        author = int(p["USER_ID"])
    now = portal.clock.now()
    post = {"id": effects.next_id(portal, "blog_post"), "author": author, "by": caller.user_id,
            "title": str(p.get("POST_TITLE") or ""), "message": message, "dest": codes,
            "recipients": _recipients(portal, codes), "important": str(p.get("IMPORTANT") or "N").upper() == "Y",
            "at": now, "date": portal.iso(now)}
    portal.feed_posts.append(post)
    portal.record_write("log.blogpost.add", caller, params)
    return Answer(post["id"], portal.costs.update_s)


# --- a record's responsible: ASSIGNED_BY_ID (NF §B.2.5, REF §8.3) ------------------------------

METHODS["crm.deal.update"] = _legacy_update("deals", "deal")


def _tracking(name: str, table: str):
    """crm.contact|company|deal.update that records a change of ASSIGNED_BY_ID
    (and, with params.REGISTER_SONET_EVENT = 'Y', tells the new responsible)."""
    inner = METHODS[name]

    def handler(portal, caller, params):
        rid = _int_param(params, "id", "ID") or 0
        row = portal.tables[table].rows.get(rid)
        before = row.get("ASSIGNED_BY_ID") if row else None
        fields = params.get("fields")
        if isinstance(fields, Mapping) and fields.get("ASSIGNED_BY_ID") not in (None, ""):
            value = _int(fields["ASSIGNED_BY_ID"])
            if value is not None:  # stored as a legacy string, whatever the client sent
                params = {**params, "fields": {**fields, "ASSIGNED_BY_ID": str(value)}}
        answer = inner(portal, caller, params)
        row = portal.tables[table].rows.get(rid) or {}
        options = params.get("params") if isinstance(params.get("params"), Mapping) else {}
        reassigned(portal, caller, table=table, rid=rid, before=before, after=row.get("ASSIGNED_BY_ID"),
                   method_name=name, notify=str(options.get("REGISTER_SONET_EVENT", "")).upper() == "Y",
                   title=_title(row))
        return answer
    return handler


for _entity, _table in (("contact", "contacts"), ("company", "companies"), ("deal", "deals")):
    METHODS[f"crm.{_entity}.update"] = _tracking(f"crm.{_entity}.update", _table)

_LEGACY_OF = {"assignedById": "ASSIGNED_BY_ID", "title": "TITLE", "name": "NAME", "lastName": "LAST_NAME",
              "secondName": "SECOND_NAME", "opened": "OPENED", "typeId": "TYPE_ID", "sourceId": "SOURCE_ID",
              "comments": "COMMENTS", "post": "POST", "stageId": "STAGE_ID", "opportunity": "OPPORTUNITY",
              "closedate": "CLOSEDATE", "closed": "CLOSED"}
_ITEM_UPDATE = METHODS["crm.item.update"]


@method("crm.item.update")
def item_update(portal, caller, params):
    """crm.item.update for contacts, companies and now deals (entityTypeId 2), with camelCase
    fields (`assignedById`, `ufCrm…`) written to their legacy names (REF §7.10), and changes
    of responsible recorded as for crm.*.update."""
    type_id = _int_param(params, "entityTypeId", "ENTITY_TYPE_ID")
    table = ITEM_TABLES.get(type_id or 0)
    fields = params.get("fields")
    if table not in ("contacts", "companies", "deals") or not isinstance(fields, Mapping):
        return _ITEM_UPDATE(portal, caller, params)
    legacy = {}
    for key, value in fields.items():
        name = _LEGACY_OF.get(key, uf_legacy_name(key) if key.startswith("ufCrm") else key)
        legacy[name] = str(_int(value)) if name == "ASSIGNED_BY_ID" and _int(value) is not None else value
    rid = _int_param(params, "id") or 0
    row = portal.tables[table].rows.get(rid)
    before = row.get("ASSIGNED_BY_ID") if row else None
    if table == "deals":
        from .methods import _apply

        if row is None:
            raise RestError(400, "NOT_FOUND", "Element not found")
        if not caller.access.may_edit(table, row, portal.resolve):
            raise RestError(400, "ACCESS_DENIED", "Access denied")
        _apply(portal, table, "deal", row, legacy, caller)
        portal.record_write("crm.item.update", caller, params)
        answer = Answer({"item": shape_item(portal, table)(row)}, portal.costs.update_s)
    else:
        answer = _ITEM_UPDATE(portal, caller, {**params, "fields": legacy})
    row = portal.tables[table].rows.get(rid) or {}
    reassigned(portal, caller, table=table, rid=rid, before=before, after=row.get("ASSIGNED_BY_ID"),
               method_name="crm.item.update", title=_title(row))
    return answer


from . import entity_storage  # noqa: E402,F401  (registers entity.*)

# Method names are case-insensitive on a portal and Portal.call looks them up in
# lower case: crm.activity.todo.updateDeadline is answered as ...updatedeadline.
for _name in [n for n in METHODS if n != n.lower()]:
    METHODS[_name.lower()] = METHODS.pop(_name)
