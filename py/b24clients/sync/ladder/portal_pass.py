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
changes recognised → the day's plan (`day_plan`: whole days through
yesterday, today's alarms projected) → fields, log entries, alarms, what
goes along with a reassigned client, digests, heads → the ledger chunk with
the new mark → the published statuses → done.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from ...ladder import (Client, Digest, LadderSettings, PortalPlan, StatusChange, Write, Written, manager_plan,
                      portal_plan, standing)
from ...ladder.passes import NO_HEADS
from ...model import COMPANY, CONTACT, Ref
from ...records import field as raw_field, ref_id
from ...rest.gateway import Gateway
from . import claims
from .alarms import carry_out, reassigned_alarms
from .context import Context, mark_day, mark_read, open_context
from .fields import ENTITIES_OF
from .ledger import Ledger, Subject, tracked
from .messages import Texts
from .notices import send_digests, send_heads
from .reading import (Alarms, People, Survey, portal_clock, read_alarms, read_changed, read_ids, read_names,
                             read_people, survey)
from .status import published, publish
from .store import ROWS_PER_CHUNK, LedgerStore
from .writes import carry_along, log_entries, write_fields

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
    """Why it did not run: off, not_admin, not_started, not_installed, done_today, locked."""
    day: str | None = None
    after: str | None = None
    """The last day the previous pass walked through: events after it, up to yesterday, are news."""
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
    if not ctx.settings.enabled:
        return _stop(report, "off")
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
        await claims.release_lock(gateway, lock)
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
        self.alarms = Alarms()
        self.names: dict[Ref, str] = {}
        self.full = False
        self.after: date = (mark_day(ctx.portal_mark) or self.settings.started_on) - timedelta(days=1)
        """Through where the last pass walked: the day before it (see `day_plan`)."""

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
        rows = await read_changed(self.gateway, None if self.full else since - OVERLAP, self.survey.tops,
                                  totals=self.survey.totals)
        self.report.full_read = self.full
        self.report.read = {name: len(part) for name, part in rows.items()}
        before = {(e, rid): self.ledger.party((e, rid)) for e in (CONTACT, COMPANY) for rid in map(_id, rows[e])}
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
        self.clients = tracked(subjects, self.settings, {r: a.alarm for r, a in self.alarms.by_client.items()})
        return True

    async def _reconcile(self) -> None:
        """Deletions, found by counting: a list whose count does not match is listed by ID."""
        tables: Mapping[str, dict] = {CONTACT: self.ledger.contacts, COMPANY: self.ledger.companies,
                                      "deals": self.ledger.deals}
        for name, table in tables.items():
            if self.survey.totals.get(name, 0) == len(table):
                continue
            gone = set(table) - await read_ids(self.gateway, name, self.survey.tops[name])
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
        plan, people = await self._plan()
        self.step("write")
        written, moves = await self._write(plan)
        logged = await log_entries(self.gateway, [
            (e.key, *self.texts.log_entry(e, written[e.key].assign_to if e.kind == "loss" else None))
            for e in plan.events if e.key in written and e.kind not in UNLOGGED])
        self.report.logged = len(logged.done)
        self.report.skipped_no_rights += len(logged.denied)
        self.step("alarms")
        await self._alarms(plan, moves)
        carried = await carry_along(self.gateway, moves, deals=self.settings.reassign.deals,
                                    todos=self.settings.reassign.todos)
        self.report.carried = dict(carried.__dict__)
        self.report.skipped_no_rights += carried.skipped
        self.step("notify")
        await self._notify(plan, people)

    async def _plan(self) -> tuple[PortalPlan, People | None]:
        """The day's plan (`day_plan`); users and departments are read only when someone was lost."""
        self.report.after = self.after.isoformat()
        plan = day_plan(self.clients, self.settings, self.after, self.ctx.today)
        people = None
        if any(e.kind == "loss" for e in plan.events):
            people = await read_people(self.gateway)
            plan = day_plan(self.clients, self.settings, self.after, self.ctx.today, people.heads)
        self.report.events = dict(Counter(e.kind for e in plan.events))
        return plan, people

    async def _write(self, plan: PortalPlan) -> tuple[dict[Ref, Write], dict[Ref, tuple[int, int]]]:
        """The fields (and new responsibles); what was written, and who moved from whom to whom."""
        outcome = await write_fields(self.gateway, plan.writes, self.survey.item_of)
        self.report.written, self.report.skipped_no_rights = len(outcome.done), len(outcome.denied)
        self.report.gone = len(outcome.gone)
        by_key = {c.history.key: c for c in self.clients}
        moves: dict[Ref, tuple[int, int]] = {}
        for w in outcome.done:
            self._keep(self.ledger.hold(w.key, Written(w.status, w.since), w.assign_to))
            if w.assign_to is not None:
                moves[w.key] = (by_key[w.key].responsible, w.assign_to)
        for w in outcome.gone:
            self._keep(self.ledger.forget(w.key[0], [w.key[1]]))
        self.report.reassigned = len(moves)
        return {w.key: w for w in outcome.done}, moves

    async def _alarms(self, plan: PortalPlan, moves: Mapping[Ref, tuple[int, int]]) -> None:
        responsible = {**{c.history.key: c.responsible for c in self.clients},
                       **{ref: new for ref, (_, new) in moves.items()}}
        handover = [(a, responsible[a.key])
                    for a in reassigned_alarms(self.alarms.by_client, responsible, plan.alarms)]
        names = await self._names({o.key for o in plan.alarms if o.action != "close"})
        stats = await carry_out(self.gateway, plan.alarms, self.texts, names, hour=self.settings.alarm_hour,
                                tz=self.ctx.tz, handover=handover, recheck={})
        self.report.alarms = stats.as_dict()
        self.report.skipped_no_rights += stats.skipped

    async def _notify(self, plan: PortalPlan, people: People | None) -> None:
        today = self.ctx.today
        notices = await send_digests(self.gateway, today, plan.digests, self.texts, self._names, leave_news=True,
                                     also=None)
        if plan.heads:
            people = people or await read_people(self.gateway)
            heads = await send_heads(self.gateway, today, plan.heads, self.texts, self._names, people.names,
                                     feed=self.settings.feed)
            notices.heads, notices.feed = heads.heads, heads.feed
        self.report.notices = notices.as_dict()

    async def _names(self, refs: Iterable[Ref]) -> Mapping[Ref, str]:
        """Clients' names, each read once per pass."""
        wanted = set(refs) - set(self.names)
        if wanted:
            self.names.update(await read_names(self.gateway, wanted))
        return self.names

    # --- saving -------------------------------------------------------------------------------

    async def save(self) -> None:
        """The ledger's new chunk and the mark together, then the published statuses."""
        today = self.ctx.today
        meta = {"version": VERSION, "day": today.isoformat(), "read": self.read_at.isoformat(),
                "by": self.ctx.user_id}
        self.step("save")
        if self.full or self.store.added >= COMPACT_AFTER:
            await self.store.replace(meta, self.ledger.chunks(ROWS_PER_CHUNK))
        else:
            await self.store.commit(meta, self.delta or None)
        subjects = self.ledger.subjects(self.settings.entity, self.ctx.pipelines)
        rows = [published(client, self.settings, today) for client in tracked(subjects, self.settings, {})]
        self.report.published = await publish(self.gateway, rows, day=today, read=self.read_at, by=self.ctx.user_id)

    def _keep(self, chunk: dict) -> None:
        for kind, rows in chunk.items():
            if kind == "deleted":
                deleted = self.delta.setdefault("deleted", {})
                for name, ids in rows.items():
                    deleted[name] = [*deleted.get(name, []), *ids]
            else:
                self.delta.setdefault(kind, []).extend(rows)


def day_plan(clients: Iterable[Client], settings: LadderSettings, after: date, today: date,
             heads: Mapping[int, int] = NO_HEADS) -> PortalPlan:
    """What a pass on `today` does, the last one having walked through `after`.

    A pass sees only the start of its own day, and the ladder decides by whole
    days (a call later on a drop day still saves the client): so the statuses,
    events, losses and heads' notices come from the complete days, through
    yesterday, and today's part is only projected — the alarms and the digest's
    "drops soon" lines, from that state with today's touches so far
    (`ladder.manager_plan`).  A drop due today rings today and is written by the
    next pass, with its true date."""
    clients = list(clients)
    plan = portal_plan(clients, settings, after, today - timedelta(days=1), heads)
    targets = {w.key: w for w in plan.writes}
    by_manager: dict[int, list[Client]] = defaultdict(list)
    for client in clients:
        w = targets.get(client.history.key)
        if w is not None:
            client = replace(client, written=Written(w.status, w.since), responsible=w.assign_to or client.responsible)
        by_manager[client.responsible].append(client)
    alarms, soon = [], {}
    for manager, own in sorted(by_manager.items()):
        projected = manager_plan(own, settings, manager, today)
        alarms += projected.alarms
        if projected.digest is not None:
            soon[manager] = projected.digest.soon
    digests = {d.manager: replace(d, soon=()) for d in plan.digests}
    for manager, lines in soon.items():
        digests[manager] = replace(digests.get(manager, Digest(manager)), soon=lines)
    return replace(plan, alarms=tuple(alarms), digests=tuple(d for _, d in sorted(digests.items())
                                                            if d.soon or d.dropped or d.lost or d.undone))


def _id(row: Mapping) -> int:
    return int(raw_field(row, "id", "ID"))
