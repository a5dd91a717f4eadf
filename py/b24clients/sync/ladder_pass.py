"""The portal pass (status-ladder.md "When the pass runs"): once a day, when a
portal admin opens the app, everything that should have happened since the
last pass — drops with their true dates, losses, reassignments, heads'
notices — is applied once.

Only an admin runs it: a restricted view can prove that a touch happened,
never that none did (a colleague's call on a shared company may be hidden),
so no drop, loss or reassignment ever comes from anyone else's view.  Two
admins opening at once never both run it: the day's lock decides
(`ladder_claims`).  Its reads are incremental: it replays the shared ledger
and reads only what changed since the mark the last pass left
(`app.option` `ladder_pass`), so a second device goes on where the first
stopped.  Its writes are target states, so running it again finds nothing
to do; missed days are walked through at once, with one digest.

Steps: gate and lock → ledger and changes since the mark → people's status
changes recognised → plan (ladder.portal_plan) → fields, log entries,
alarms, what goes along with a reassigned client, digests, heads → the
ledger chunk with the new mark → the published statuses → done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from ..ladder import (Client, Event, LadderSettings, PortalPlan, StatusChange, Written, portal_plan, standing,
                      walk)
from ..model import COMPANY, CONTACT, Ref
from ..records import field as raw_field, ref_id
from ..rest.gateway import Gateway
from . import ladder_claims as claims
from .ladder_alarms import carry_out, reassigned_alarms
from .ladder_context import Context, mark_day, mark_read, open_context
from .ladder_fields import ENTITIES_OF
from .ladder_ledger import Ledger, Subject, tracked
from .ladder_messages import Texts
from .ladder_notices import send_digests, send_heads
from .ladder_reading import (Survey, portal_clock, read_alarms, read_changed, read_ids, read_names, read_people,
                             survey)
from .ladder_status import published, publish
from .ladder_store import ROWS_PER_CHUNK, LedgerStore
from .ladder_writes import carry_along, log_entries, write_fields

UNLOGGED = ("warning", "set")
"""Events not written to the timeline: a warning changes nothing, and a person's own change
is theirs (the card records the edit); the ladder's changes and undone raises are logged."""
OVERLAP = timedelta(seconds=10)
"""How far before the last read an incremental read begins (rows committed while it ran)."""
COMPACT_AFTER = 30
"""Chunks of changes after which the ledger is written again as a whole."""
VERSION = 1


@dataclass
class PassReport:
    """What one pass did, for the screens and the tests."""

    kind: str
    """"portal" or "manager"."""
    ran: bool = False
    reason: str | None = None
    """Why it did not run: not_admin, not_started, not_installed, done_today, locked."""
    day: str | None = None
    after: str | None = None
    """The last day the previous pass covered: events after it are news."""
    holder: int | None = None
    """Who runs the day's portal pass, when locked."""
    full_read: bool = False
    read: dict = field(default_factory=dict)
    changes: int = 0
    """People's status changes recognised in the CRM and recorded."""
    events: dict = field(default_factory=dict)
    written: int = 0
    skipped_no_rights: int = 0
    gone: int = 0
    logged: int = 0
    alarms: dict = field(default_factory=dict)
    reassigned: int = 0
    carried: dict = field(default_factory=dict)
    notices: dict = field(default_factory=dict)
    published: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


async def portal_pass(gateway: Gateway, *, lang: str = "en",
                      on_step: Callable[[str], None] | None = None) -> PassReport:
    """Run today's portal pass if this user is an admin and nobody has run it yet."""
    step = on_step or (lambda name: None)
    ctx = await open_context(gateway)
    report = PassReport("portal", day=ctx.today.isoformat())
    if not ctx.admin:
        return _stop(report, "not_admin")
    if ctx.settings.started_on is None:
        return _stop(report, "not_started")
    if mark_day(ctx.portal_mark) == ctx.today:
        return _stop(report, "done_today")
    lock = await claims.take_lock(gateway, ctx.today, ctx.now)
    if lock.done:
        return _stop(report, "done_today")
    if not lock.won:
        report.holder = lock.holder
        return _stop(report, "locked")
    run = _Run(gateway, ctx, report, Texts(ctx.settings, lang), step)
    if not await run.prepare():
        return _stop(report, "not_installed")
    await claims.keep_lock(gateway, lock)
    await run.apply()
    await claims.keep_lock(gateway, lock)
    await run.save()
    await claims.finish_lock(gateway, lock)
    await claims.sweep(gateway, ctx.now)
    report.ran = True
    return report


def _stop(report: PassReport, reason: str) -> PassReport:
    report.reason = reason
    return report


class _Run:
    def __init__(self, gateway: Gateway, ctx: Context, report: PassReport, texts: Texts,
                 step: Callable[[str], None]) -> None:
        self.gateway, self.ctx, self.report, self.texts, self.step = gateway, ctx, report, texts, step
        self.settings: LadderSettings = ctx.settings
        self.store = LedgerStore(gateway)
        self.ledger = Ledger(ctx.tz)
        self.delta: dict[str, list] = {}
        self.survey: Survey | None = None
        self.read_at: datetime = ctx.now
        self.clients: list[Client] = []
        self.full = False
        self.last: date | None = mark_day(ctx.portal_mark)
        """The last pass's day: it saw only the start of it, so this pass walks from the day before."""
        self.after: date = (self.last or self.settings.started_on) - timedelta(days=1)

    # --- reading ------------------------------------------------------------------------------

    async def prepare(self) -> bool:
        """Load the ledger, read what changed, recognise people's changes, find the alarms."""
        self.step("ledger")
        meta, chunks = await self.store.load()
        for chunk in chunks:
            self.ledger.replay(chunk)
        self.survey = await survey(self.gateway)
        if any(not self.survey.items[e] for e in ENTITIES_OF[self.settings.entity]):
            return False
        since = mark_read(meta or {})
        self.full = since is None
        self.read_at = await portal_clock(self.gateway)
        self.step("read")
        rows = await read_changed(self.gateway, None if self.full else since - OVERLAP, self.survey.tops)
        self.report.full_read = self.full
        self.report.read = {name: len(part) for name, part in rows.items()}
        before = {(e, records_id): self.ledger.party((e, records_id))
                  for e in (CONTACT, COMPANY) for records_id in (_id(r) for r in rows[e])}
        for entity in (CONTACT, COMPANY):
            self._keep(self.ledger.fold_parties(entity, rows[entity], self.survey.items[entity]))
        self._keep(self.ledger.fold_deals(rows["deals"]))
        self._keep(self.ledger.fold_activities([*rows["acts"], *rows["todos"]]))
        await self._reconcile()
        subjects = self.ledger.subjects(self.settings.entity, self.ctx.pipelines)
        changed = self._people_changes(subjects, before, {(e, _id(r)): r for e in (CONTACT, COMPANY) for r in rows[e]})
        self.report.changes = len(changed)
        self._keep(self.ledger.record_changes(changed))
        for ref, _ in changed:
            subject = subjects[ref]
            subjects[ref] = Subject(subject.party, replace(subject.history, changes=self.ledger.changes[ref]))
        self.step("alarms")
        self.alarms = await read_alarms(self.gateway, self.ctx.tz)
        self.subjects = subjects
        self.clients = tracked(subjects, self.settings, {r: a.alarm for r, a in self.alarms.by_client.items()})
        return True

    async def _reconcile(self) -> None:
        """Deletions, found by counting: a list whose count does not match is listed by ID."""
        tables: Mapping[str, dict] = {CONTACT: self.ledger.contacts, COMPANY: self.ledger.companies,
                                      "deals": self.ledger.deals}
        for name, table in tables.items():
            if self.survey.totals.get(name, 0) == len(table):
                continue
            gone = set(table) - await read_ids(self.gateway, name)
            if gone:
                self._keep(self.ledger.forget(name, gone))

    def _people_changes(self, subjects: Mapping[Ref, Subject], before: Mapping[Ref, object],
                        rows: Mapping[Ref, Mapping]) -> list[tuple[Ref, StatusChange]]:
        """A status field that no longer says what the CRM held, nor what the ladder said on
        the day it was changed, is a person's change: dated by the record's last change, by
        its author.  (What the ladder said is what this app writes — also when a pass died
        before saving its mark — so a pass never mistakes its own writes for a person's.)"""
        out = []
        for ref, raw in sorted(rows.items()):
            subject = subjects.get(ref)
            if subject is None:
                continue
            old = before.get(ref)
            held_before = old.held if old is not None else Written()
            now = subject.party.held
            if now.status == held_before.status:
                continue
            at = self._moment(raw)
            said = standing(subject.history, self.settings, at.date())
            if (said.status, said.since) == (now.status, now.since) or (now.status is None and said.status is None):
                continue
            since = now.since if now.since != held_before.since and now.since and now.since <= at.date() else None
            out.append((ref, StatusChange(at, now.status, ref_id(raw_field(raw, "updatedBy", "MODIFY_BY_ID")),
                                          since=since if now.status else None)))
        return out

    def _moment(self, raw: Mapping) -> datetime:
        value = raw_field(raw, "updatedTime", "DATE_MODIFY")
        try:
            return datetime.fromisoformat(str(value)).astimezone(self.ctx.tz)
        except ValueError:
            return self.read_at

    # --- applying -----------------------------------------------------------------------------

    async def apply(self) -> None:
        settings, report, today = self.settings, self.report, self.ctx.today
        report.after = self.after.isoformat()
        told_day, told = self.ledger.told
        told = told if told_day == self.last else frozenset()
        plan = portal_plan(self.clients, settings, self.after, today)
        people = None
        if any(e.kind == "loss" and told_key(e) not in told for e in plan.events):
            people = await read_people(self.gateway)
            plan = portal_plan(self.clients, settings, self.after, today, people.heads)
        self._keep(self.ledger.tell(today, [told_key(e) for e in plan.events if e.on == today]))
        plan = untold(plan, told)
        report.events = dict(Counter(e.kind for e in plan.events))
        by_key = {c.history.key: c for c in self.clients}
        names_cache: dict[Ref, str] = {}

        async def names(refs) -> Mapping[Ref, str]:
            wanted = set(refs) - set(names_cache)
            if wanted:
                names_cache.update(await read_names(self.gateway, wanted))
            return names_cache

        self.step("write")
        outcome = await write_fields(self.gateway, plan.writes, self.survey.item_of)
        report.written, report.skipped_no_rights = len(outcome.done), len(outcome.denied)
        report.gone = len(outcome.gone)
        moves: dict[Ref, tuple[int, int]] = {}
        for w in outcome.done:
            old = by_key[w.key].responsible
            self._keep(self.ledger.hold(w.key, Written(w.status, w.since), w.assign_to))
            if w.assign_to is not None:
                moves[w.key] = (old, w.assign_to)
        for w in outcome.gone:
            self._keep(self.ledger.forget(w.key[0], [w.key[1]]))
        report.reassigned = len(moves)
        written = {w.key: w for w in outcome.done}
        entries = [(e.key, *self.texts.log_entry(e, written[e.key].assign_to if e.kind == "loss" else None))
                   for e in plan.events if e.key in written and e.kind not in UNLOGGED]
        logged = await log_entries(self.gateway, entries)
        report.logged = len(logged.done)
        report.skipped_no_rights += len(logged.denied)
        self.step("alarms")
        responsible = {**{c.history.key: c.responsible for c in self.clients},
                       **{ref: new for ref, (_, new) in moves.items()}}
        handover = [(a, responsible[a.key]) for a in reassigned_alarms(self.alarms.by_client, responsible,
                                                                         plan.alarms)]
        await names({o.key for o in plan.alarms if o.action != "close"})
        stats = await carry_out(self.gateway, plan.alarms, self.texts, names_cache, hour=settings.alarm_hour,
                                tz=self.ctx.tz, handover=handover, recheck={})
        report.alarms = stats.as_dict()
        carried = await carry_along(self.gateway, moves, deals=settings.reassign.deals, todos=settings.reassign.todos)
        report.carried = dict(carried.__dict__)
        self.step("notify")
        notices = await send_digests(self.gateway, today, plan.digests, self.texts, names, leave_news=True,
                                     also=None)
        if plan.heads:
            people = people or await read_people(self.gateway)
            heads = await send_heads(self.gateway, today, plan.heads, self.texts, names, people.names,
                                     feed=settings.feed)
            notices.heads, notices.feed = heads.heads, heads.feed
        report.notices = notices.as_dict()

    # --- saving -------------------------------------------------------------------------------

    async def save(self) -> None:
        """The ledger's new chunk and the mark together, then the published statuses."""
        today = self.ctx.today
        meta = {"version": VERSION, "day": today.isoformat(), "read": self.read_at.isoformat(),
                "by": self.ctx.user_id}
        self.step("save")
        if self.full or self.store.chunk_count >= COMPACT_AFTER:
            await self.store.replace(meta, self.ledger.chunks(ROWS_PER_CHUNK))
        else:
            await self.store.commit(meta, self.delta or None)
        rows = []
        for client in tracked(self.ledger.subjects(self.settings.entity, self.ctx.pipelines), self.settings, {}):
            rows.append(published(client, walk(client.history, self.settings, today), today))
        self.report.published = await publish(self.gateway, rows, day=today, read=self.read_at, by=self.ctx.user_id)

    def _keep(self, chunk: dict) -> None:
        for kind, rows in chunk.items():
            if kind == "deleted":
                deleted = self.delta.setdefault("deleted", {})
                for name, ids in rows.items():
                    deleted[name] = [*deleted.get(name, []), *ids]
            else:
                self.delta.setdefault(kind, []).extend(rows)


def told_key(event: Event) -> tuple:
    return (event.key[0], event.key[1], event.kind, event.on.toordinal(), event.status_from, event.status_to)


def untold(plan: PortalPlan, told: frozenset[tuple]) -> PortalPlan:
    """The plan without the events an earlier pass already reported (logs, digests, heads);
    its writes and alarms are target states and stay as they are."""
    if not told:
        return plan
    fresh = [e for e in plan.events if told_key(e) not in told]
    keep = set(map(told_key, fresh))

    def news(events: tuple[Event, ...]) -> tuple[Event, ...]:
        return tuple(e for e in events if told_key(e) in keep)

    digests = [replace(d, dropped=news(d.dropped), lost=news(d.lost), undone=news(d.undone)) for d in plan.digests]
    lost = {(e.key, e.on) for e in fresh if e.kind == "loss"}
    heads = [replace(h, losses=tuple(loss for loss in h.losses if (loss.key, loss.on) in lost)) for h in plan.heads]
    writes = [w if w.assign_to is None or any(key == w.key for key, _ in lost) else replace(w, assign_to=None)
              for w in plan.writes]  # a loss already told was reassigned then
    return replace(plan, writes=tuple(writes), events=tuple(fresh),
                   digests=tuple(d for d in digests if d.soon or d.dropped or d.lost or d.undone),
                   heads=tuple(h for h in heads if h.losses))


def _id(row: Mapping) -> int:
    return int(raw_field(row, "id", "ID"))
