"""A manager's pass (status-ladder.md "When the pass runs"): once a day per user
(gated by their own mark in `user.option`), with whatever rights they have.

It never changes a status — a partial view cannot prove that nobody touched a
client — and it never reads the ledger (which holds what this user may not
see).  It starts from what the last portal pass published for this manager's
clients (status, since, next drop: `ladder_status`), adds the touches and
planned touches this user can see since that pass read the CRM, and with
that keeps their own alarm to-dos right (a call they can see moves or closes
one; a client entering its window gets one) and sends their digest.  A drop
the portal pass decided stays decided: a touch can only push it later
(docs/ladder.md, "The manager's pass").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta

from ...ladder import Client, Deal, LadderSettings, Touch, Written, manager_plan
from ...ladder.statuses import IN_WORK
from ...model import COMPANY, CONTACT, Entity
from ...records import field as raw_field
from ...rest.gateway import MAX_BATCH, Gateway
from .alarms import carry_out
from .context import USER_OPTION, Context, mark_day, open_context
from .fields import ENTITIES_OF
from .ledger import Ledger, Subject
from .messages import Texts
from .notices import send_digests
from .portal_pass import PassReport, portal_pass
from .reading import LISTS, OpenAlarm, read_alarms, read_by_ids, read_changed, read_names, status_items
from .status import Published, load_publication


async def manager_pass(gateway: Gateway, *, lang: str = "en") -> PassReport:
    """Run this user's pass for today, if they have not run it yet."""
    ctx = await open_context(gateway)
    report = PassReport("manager", day=ctx.today.isoformat())
    settings = ctx.settings
    if not settings.enabled:
        report.reason = "off"
        return report
    if settings.started_on is None:
        report.reason = "not_started"
        return report
    if mark_day(ctx.user_mark) == ctx.today:
        report.reason = "done_today"
        return report
    items = await status_items(gateway)
    if any(not items[e] for e in ENTITIES_OF[settings.entity]):
        report.reason = "not_installed"
        return report
    me = ctx.user_id
    view = Ledger(ctx.tz)
    mine = await _my_records(gateway, me, ENTITIES_OF[settings.entity])
    for entity, rows in mine.items():
        view.fold_parties(entity, rows, items[entity])
    updated = {(entity, int(raw_field(r, "id", "ID"))): _moment(r, ctx) for entity, rows in mine.items() for r in rows}
    publication = await load_publication(gateway, manager=me)
    since = publication.read or _earliest(view, ctx)
    changed = await read_changed(gateway, since, {}, names=("acts", "todos"))
    view.fold_activities([*changed["acts"], *changed["todos"]])
    await _resolve(gateway, view)
    report.read = {"records": sum(len(rows) for rows in mine.values()),
                   "acts": len(changed["acts"]) + len(changed["todos"]), "published": len(publication.rows)}
    alarms = await read_alarms(gateway, ctx.tz, {"RESPONSIBLE_ID": me})
    subjects = {ref: s for ref, s in view.subjects(settings.entity, ctx.pipelines).items()
                if s.party.responsible == me and s.party.held.status is not None}
    clients = [_client(subject, publication.rows.get(ref), updated.get(ref), settings, ctx,
                       alarms.by_client.get(ref))
               for ref, subject in sorted(subjects.items())]
    plan = manager_plan(clients, settings, me, ctx.today)
    texts = Texts(settings, lang)
    names = await read_names(gateway, {o.key for o in plan.alarms if o.action != "close"})
    stats = await carry_out(gateway, plan.alarms, texts, names, hour=settings.alarm_hour, tz=ctx.tz,
                            recheck={"RESPONSIBLE_ID": me})
    report.alarms = stats.as_dict()
    report.skipped_no_rights = stats.skipped
    notices = await send_digests(gateway, ctx.today, [plan.digest] if plan.digest else [], texts,
                                 lambda refs: read_names(gateway, refs), leave_news=False, also=[me])
    report.notices = notices.as_dict()
    mark = {"day": ctx.today.isoformat(), "read": ctx.now.isoformat()}
    await gateway.call("user.option.set", {"options": {USER_OPTION: json.dumps(mark, separators=(",", ":"))}})
    report.ran = True
    return report


async def _my_records(gateway: Gateway, me: int, entities: Iterable[Entity]) -> dict[Entity, list[dict]]:
    """This manager's contacts and companies, with the two fields."""
    specs = {}
    for entity in entities:
        specs |= LISTS[entity].specs(entity, {"ASSIGNED_BY_ID": me}, lambda _: (MAX_BATCH, None))
    rows = await gateway.read_many(specs)
    return {entity: LISTS[entity].joined(entity, rows) for entity in entities}


async def _resolve(gateway: Gateway, view: Ledger) -> None:
    """The contacts and deals the visible activities are bound to, so that each touch
    finds its client (a member contact's call is its company's)."""
    contacts = {c for act in view.acts.values() for c in act.contacts} - set(view.contacts)
    deals = {d for act in view.acts.values() for d in act.deals} - set(view.deals)
    found = {"deals": await read_by_ids(gateway, "deals", deals) if deals else [],
             CONTACT: await read_by_ids(gateway, CONTACT, contacts) if contacts else []}
    view.fold_deals(found["deals"])
    view.fold_parties(CONTACT, found[CONTACT], {})
    companies = {c for d in view.deals.values() for c in [d.company] if c} - set(view.companies)
    companies |= {c for p in view.contacts.values() for c in p.companies} - set(view.companies)
    view.fold_parties(COMPANY, await read_by_ids(gateway, COMPANY, companies) if companies else [], {})


def _client(subject: Subject, row: Published | None, updated: datetime | None, settings: LadderSettings,
            ctx: Context, alarm: OpenAlarm | None) -> Client:
    """The client as the portal pass left it, with what this user saw since.

    The published next drop enters as a touch `days` before it, so the projection
    never brings a drop forward; an In work client whose deal the portal pass saw
    open keeps an open deal.  A status a person changed since the publication
    counts from that change."""
    history, written = subject.history, subject.party.held
    touches: tuple[Touch, ...] = history.touches
    deals: tuple[Deal, ...] = ()
    if row is not None and (row.status, row.since) == (written.status, written.since):
        days = settings.days_in(written.status)
        if row.drop_on is not None and days is not None:
            base = datetime.combine(row.drop_on - timedelta(days=days), time(), ctx.tz)
            touches = tuple(sorted((Touch(_counted(settings), base), *touches), key=lambda t: t.at))
        elif written.status == IN_WORK:
            deals = (Deal(0, written.since or history.created),)
    elif updated is not None and written.since is not None:
        written = Written(written.status, max(written.since, updated.date()))
    return Client(replace(history, deals=deals, touches=touches, changes=()), ctx.user_id, written,
                  alarm.alarm if alarm else None)


def _counted(settings: LadderSettings) -> str:
    """A touch kind the settings count ("any" counts every kind)."""
    return "other" if "any" in settings.touch_kinds else sorted(settings.touch_kinds)[0]


def _earliest(view: Ledger, ctx: Context) -> datetime:
    """Without a publication: every touch since the earliest `since` among this user's clients."""
    days = [p.held.since for p in (*view.contacts.values(), *view.companies.values()) if p.held.since]
    return datetime.combine(min(days, default=ctx.today), time(), ctx.tz)


def _moment(row: Mapping, ctx: Context) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw_field(row, "updatedTime", "DATE_MODIFY"))).astimezone(ctx.tz)
    except ValueError:
        return None



async def daily_pass(gateway: Gateway, *, lang: str = "en") -> PassReport:
    """What opening the app runs: the portal pass for an admin, this user's own pass for anyone else."""
    report = await portal_pass(gateway, lang=lang)
    return await manager_pass(gateway, lang=lang) if report.reason == "not_admin" else report
