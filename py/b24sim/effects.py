"""What the portal does by itself, kept for tests to inspect: notifications
with their replacing tags, the to-do ping queue, and time travel.

- **Notifications** (`portal.notifications`, append-only): every one sent,
  by `im.notify.*` or by the portal itself (to-do pings, a new responsible).
  A notification with a tag removes the recipient's earlier ones with the
  same tag (next-features.md §B.2.3: "When adding a notification with an
  existing tag, other notifications will be removed"): they stay in the list
  with `removed_at` and `replaced_by`; `portal.inbox(user)` is what the user
  still has.
- **Pings** (`portal.pings`, append-only): Bitrix24's own alarm clock for
  to-dos (next-features.md §B.2.2, `PingAgent` / `PingQueue` in CORE).  A
  to-do with `pingOffsets` (minutes before its deadline) queues one ping per
  distinct offset whose moment is still ahead (`scheduled`; a moment already
  past is `skipped`, as PingQueue never queues it).  A new deadline, new
  offsets, completion or deletion cancel what is queued (`cancelled`, with a
  reason) and queue again what is still ahead.  When portal time passes a
  ping's moment it rings (`rung`): for every binding of the to-do a PING entry
  on that entity's timeline (`portal.timeline_entries`) and a notification to
  the to-do's responsible, tagged `CRM|PING_TODO_ACTIVITY|<id>`.
- **Time travel**: `portal.travel(days=...)` moves the portal clock forward
  (virtual or real) and rings every ping passed on the way, in order.  Pings
  also ring whenever a request arrives after their moment (`Portal._call`),
  so time that passes through call costs or a scaled real clock rings them too.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

PING_TAG = "CRM|PING_TODO_ACTIVITY|{}"
APP_NAME = "b24clients"
"""The app's name: Bitrix24 puts it as the first line of an app's system notification."""


def next_id(portal, name: str) -> int:
    seq = portal.sequences
    seq[name] = seq.get(name, 0) + 1
    return seq[name]


# --- notifications --------------------------------------------------------------------

def deliver(portal, *, kind: str, sender: int, to: int, message: str, tag: str | None = None,
            key: str | None = None, sub_tag: str | None = None, message_out: str | None = None,
            title: str | None = None, at: float | None = None, via: str | None = None) -> dict:
    """Record one notification; with a tag `key`, the recipient's earlier ones under
    the same key are removed (kept in the list with `removed_at` / `replaced_by`)."""
    moment = portal.clock.now() if at is None else at
    note = {"id": next_id(portal, "notification"), "kind": kind, "from": sender, "to": to, "message": message,
            "message_out": message_out, "title": title, "tag": tag, "key": key, "sub_tag": sub_tag,
            "at": moment, "date": portal.iso(moment), "via": via, "removed_at": None, "replaced_by": None}
    if key:
        for old in portal.notifications:
            if old["to"] == to and old["key"] == key and old["removed_at"] is None:
                old["removed_at"], old["replaced_by"] = moment, note["id"]
    portal.notifications.append(note)
    return note


def inbox(portal, user_id: int) -> list[dict]:
    """The notifications a user still has: sent to them and not replaced by a newer one with the same tag."""
    return [n for n in portal.notifications if n["to"] == user_id and n["removed_at"] is None]


# --- the ping queue -----------------------------------------------------------------------

def offsets_of(value: object) -> list[int]:
    """`pingOffsets` as the server keeps them: whole minutes >= 0, each once
    (PingSettingsProvider::filterOffsets); a JSON list or a PHP-style form map."""
    if value in (None, ""):
        return []
    items = value.values() if isinstance(value, Mapping) else value if isinstance(value, (list, tuple)) else [value]
    out: list[int] = []
    for item in items:
        try:
            minutes = int(float(str(item).strip()))
        except ValueError:
            continue
        if minutes >= 0 and minutes not in out:
            out.append(minutes)
    return out


def schedule(portal, activity: Mapping, *, reason: str = "rescheduled") -> list[dict]:
    """(Re)build an open to-do's queue from its deadline and stored offsets
    (PingQueue::register): what was queued is cancelled, what lies ahead is queued."""
    aid = int(activity["ID"])
    cancel(portal, aid, reason)
    if activity.get("COMPLETED") == "Y":
        return []
    deadline = portal.moment(activity.get("DEADLINE"))
    if deadline is None:
        return []
    now = portal.clock.now()
    made = []
    for minutes in sorted(portal.ping_offsets.get(aid, []), reverse=True):
        due = deadline - minutes * 60
        ping = {"id": next_id(portal, "ping"), "activity_id": aid, "offset": minutes, "due": due,
                "due_date": portal.iso(due), "status": "scheduled" if due > now else "skipped",
                "reason": None if due > now else "past", "queued_at": now, "rung_at": None,
                "cancelled_at": None, "responsible": int(activity.get("RESPONSIBLE_ID") or 0)}
        portal.pings.append(ping)
        if ping["status"] == "scheduled":
            heapq.heappush(portal.ping_queue, (due, ping["id"], ping))
        made.append(ping)
    return made


def cancel(portal, activity_id: int, reason: str) -> None:
    """Unqueue a to-do's pings (completed, deleted, or about to be queued again)."""
    now = portal.clock.now()
    for ping in portal.pings:
        if ping["activity_id"] == activity_id and ping["status"] == "scheduled":
            ping.update(status="cancelled", reason=reason, cancelled_at=now)


def ring_due(portal, until: float | None = None) -> list[dict]:
    """Ring every queued ping whose moment has come (PingAgent::doRun), in order."""
    until = portal.clock.now() if until is None else until
    rung = []
    queue = portal.ping_queue
    while queue and queue[0][0] <= until:
        _, _, ping = heapq.heappop(queue)
        if ping["status"] != "scheduled":
            continue
        activity = portal.tables["activities"].rows.get(ping["activity_id"])
        if activity is None or activity.get("COMPLETED") == "Y":
            ping.update(status="cancelled", reason="deleted" if activity is None else "completed",
                        cancelled_at=ping["due"])
            continue
        _ring(portal, ping, activity)
        rung.append(ping)
    return rung


def _ring(portal, ping: dict, activity: Mapping) -> None:
    due = ping["due"]
    responsible = int(activity.get("RESPONSIBLE_ID") or 0)
    author = int(activity.get("AUTHOR_ID") or 0)
    deadline = portal.moment(activity.get("DEADLINE"))
    ping.update(status="rung", rung_at=due, responsible=responsible)
    subject = str(activity.get("SUBJECT") or "") or "To-do"
    for binding in _bindings(activity):
        portal.timeline_entries.append({
            "id": next_id(portal, "timeline"), "type": "PING", "ENTITY_TYPE_ID": int(binding["OWNER_TYPE_ID"]),
            "ENTITY_ID": int(binding["OWNER_ID"]), "ASSOCIATED_ENTITY_ID": int(activity["ID"]),
            "AUTHOR_ID": responsible, "CREATED": portal.iso(due),
            "PING_OFFSET": None if deadline is None else int(deadline - due)})
        deliver(portal, kind="ping", sender=author, to=responsible,
                message=f"{subject} · {portal.iso(deadline) if deadline is not None else ''}".strip(" ·"),
                tag=PING_TAG.format(activity["ID"]), key=PING_TAG.format(activity["ID"]),
                title="CRM", at=due, via="crm")


def _bindings(activity: Mapping) -> Iterable[Mapping]:
    bindings = [b for b in activity.get("BINDINGS") or [] if isinstance(b, Mapping)]
    return bindings or [{"OWNER_TYPE_ID": activity.get("OWNER_TYPE_ID"), "OWNER_ID": activity.get("OWNER_ID")}]


# --- time travel ----------------------------------------------------------------------------

def travel(portal, seconds: float) -> dict:
    """Move the portal clock forward by `seconds` and ring the pings passed on the way."""
    if seconds < 0:
        raise ValueError("time travel only goes forward")
    before = portal.clock.now()
    rung = ring_due(portal, before)  # anything already due rings on its own moment first
    portal.clock.travel(seconds)
    rung += ring_due(portal)
    after = portal.clock.now()
    return {"from": portal.iso(before), "to": portal.iso(after), "now": after,
            "date": portal.date().isoformat(), "rung": rung}
