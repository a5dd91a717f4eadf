"""Runs of the sync engine (spec/sync.md "Month-by-month processing").

First run: from the month of the first record to the current month, every
kind created in that month is read (several months in flight at once) and
folded in; each month is committed with its "done through" mark in one
atomic step.  Then a catch-up pass reads what changed since the run began,
and counts reconcile deletions.  Later runs are incremental: what changed
since the last run, plus deletions found by counting.  Classification and
the ranks are recomputed from the aggregates every time, so time-driven
transitions need no refetch; the only extra read for the ranks is one
`crm.currency.list` per run (today's rates, kept with the marks so that a
page can draw from the store before its run).  Write-back follows, if it is
switched on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..classify import ClientRow, count
from ..incremental import Classification
from ..lifecycle import Thresholds
from ..model import COMPANY, CONTACT, Ref
from ..problems import DataProblem, shown
from ..ranks import RankReport, RankSettings, Rates, client_ranks_steps
from ..records import StageBook, currency_rate, ref_id
from ..rest.errors import GatewayGaveUp, RestError
from ..rest.gateway import PAGE, PASSING, Gateway, ListSpec
from ..steps import CLIENT_STEP, STEP, settle, with_pauses
from .aggregates import Aggregates
from .months import month_of, month_start, months_between, next_month
from .plan import KINDS, LINKED, Kind
from .store import ProgressStore
from .writeback import write_back

FORMAT = "b24clients-progress/4"
"""The layout of the saved chunks (3: deals and invoices carry amount, currency and
creation date; 4: activities carry kind, completion, responsible, dates, deals and
invoices).  A store saved in another layout is not read but started over: a
full first run is slower than a migration, but cannot be wrong."""
OPTIONAL_METHOD = "crm.invoice.list"
ID_RANGES = 8
"""Parallel chains when all IDs of a kind must be listed (deletions)."""
COUNT_COMMAND_S, COUNT_ROW_S = 0.06, 20.9e-6
"""What a counting command costs the portal (sync.md's cost model, after the documented
49.9 s of a page over 2,387,743 rows): a Refresh cuts its counts into requests of one cost."""
COUNTED_AT_LEAST = 10_000
"""Rows of the smallest count request: one of fewer would cost more in overhead (0.06 s a
command, 0.08 s on the way) than it saves in waiting."""
KEPT_S = 0.8
"""When the place kept for the changes frees in a Refresh (the head and the changes' batch
of a Refresh with nothing new took 0.73–0.76 s in Chromium at 85k)."""
OVERLAP = timedelta(seconds=10)
"""How far before the last mark an incremental read begins.  Marks are the portal's own
clock (answers' `date_start`), so this only covers rows committed while a read ran."""


@dataclass
class Progress:
    phase: str
    """"months", "catch_up", "reconcile", "classified", "write_back" or "done"."""
    month: str | None = None
    months_done: int = 0
    months_total: int = 0
    records: int = 0
    eta_s: float | None = None


@dataclass
class SyncResult:
    rows: list[ClientRow] = field(repr=False)
    """(Not in the repr: CPython 3.11's asyncio.run formats its task's result, 115,000 rows at 85k.)"""
    counts: dict
    first_run: bool
    analytics_ready_at: float
    """Portal-clock time when classification was done."""
    write: dict = field(default_factory=dict)
    problems: list[DataProblem] = field(default_factory=list)
    """Rows skipped as unreadable, this run's and earlier ones' still unread (problems.py): what
    an admin opens under "data problems"."""
    ranks: RankReport | None = field(default=None, repr=False)
    """Every client's rank from the same aggregates (planning.md "Ranks")."""


class SyncEngine:
    def __init__(self, gateway: Gateway, store: ProgressStore, *, thresholds: Thresholds = Thresholds(),
                 today: date | None = None, write_back: bool = True,
                 on_progress: Callable[[Progress], None] | None = None, months_in_flight: int = 6,
                 kinds: tuple[Kind, ...] = KINDS, pipelines: Set[int] | None = None,
                 pause: Callable[[], Awaitable[None]] | None = None,
                 on_classified: Callable[["SyncEngine", list[ClientRow]], Awaitable[None]] | None = None,
                 ours: Callable[[dict], bool] | None = None, rank_settings: RankSettings = RankSettings()):
        self.gateway, self.store = gateway, store
        self.thresholds, self.today, self.write_back = thresholds, today, write_back
        # The deal pipelines that count (None: all) apply when classifying, so the saved
        # aggregates keep every deal and a changed setting needs no re-read.
        self.pipelines = pipelines
        self.on_progress = on_progress or (lambda progress: None)
        self.pause = pause or _no_pause
        """Awaited between two folds: a browser page paints and handles input there."""
        self.on_classified = on_classified
        """Awaited with the new rows before the write-back begins (analytics are ready)."""
        self.months_in_flight = months_in_flight
        self.kinds = kinds
        self.aggregates = Aggregates()  # after a run, `aggregates.cards` feed the client list
        self.aggregates.ours = ours
        """A row last changed by an earlier write-back of the app (`cards.written_by`): after a
        Clear and refresh, its modification date is the app's, not the CRM's news."""
        self.loaded = False
        self.meta: dict | None = None
        """The store's marks once it was read into `aggregates` (a later `run` starts from them)."""
        self.classification: Classification | None = None
        """The last classification, brought up to date by the next one of this engine."""
        self.to_compare: set[Ref] | None = None
        """Rows whose values may differ from what the CRM holds: changed by a classification
        since the last finished write-back, read again, or not written then (no rights).
        None: all of them (no write-back has finished in this engine)."""
        self.stages = StageBook()
        self.rank_settings = rank_settings
        self.rates = Rates()
        """Today's `crm.currency.list`, read once per run (or as the store last kept it)."""
        self.ranks: RankReport | None = None
        """The last run's ranks (ready before `on_classified` is awaited)."""
        self.counts: dict | None = None
        """The last run's counts (a pass over every row: 40 ms in CPython at 85k, more in the page)."""
        self.classified_on: date | None = None
        self.news = True
        """Something changed (the CRM, or the day) since the last run of this engine ranked."""
        self.unchanged = False
        """The last run found nothing new: the CRM, the rates and the day as the run before
        it of this engine left them, so its rows and ranks are that run's (a page then
        keeps its dashboard: Refresh with nothing changed is quick, issue 11)."""
        self.tz = None
        self.user_id: int | None = None

    # --- the run ---------------------------------------------------------------

    async def run(self) -> SyncResult:
        """One run.  The same engine may run again (Refresh): it then starts from the
        aggregates and the classification it holds instead of reading the store again,
        so it must be the store's only writer in the meantime (a page that learns of
        another tab's run makes a new engine)."""
        meta = await self.load()
        head = asyncio.ensure_future(self._head())
        refresh = meta is not None and meta.get("phase") == "done"
        places = asyncio.Semaphore(count_places(self.gateway))
        totals = asyncio.ensure_future(self._counts(places)) if refresh else None  # the longest wait: from the start
        try:
            return await self._run(meta, head, places, totals)
        except BaseException:
            if totals is not None:
                totals.cancel()
                if totals.done() and not totals.cancelled():
                    totals.exception()  # retrieved: the run's own error is the one said
            raise

    async def _run(self, meta: dict | None, head: Awaitable, places: asyncio.Semaphore,
                   totals: asyncio.Future | None) -> SyncResult:
        now, statuses, rates = await head
        self.on_progress(Progress("starting"))  # the CRM answered: the strip shows from here (issue 11)
        self.stages = StageBook(statuses)
        unchanged_rates, self.rates = rates == self.rates, rates
        first_run = meta is None or meta.get("phase") != "done"
        if meta is None:
            meta = {"format": FORMAT, "run_started": now.isoformat(), "phase": "months", "done_through": None,
                    "first_month": await self._first_month(now)}
            await self.store.replace(meta, [])
        meta["rates"] = rates_to_json(self.rates)
        self.meta = meta
        if first_run:
            await self._months(meta, now)
            since = datetime.fromisoformat(meta["run_started"])
        else:
            since = datetime.fromisoformat(meta["last_run"])
            meta["run_started"] = now.isoformat()
        totals = totals or asyncio.ensure_future(self._counts(places))
        await self._changed_since(meta, since - OVERLAP)
        places.release()  # the changes are read: their place goes to the counts
        found = await self._reconcile(meta, await totals)
        meta.update(phase="done", last_run=meta["run_started"])
        await self.store.commit(meta, _kept(found))  # one write: a Refresh's last step before its rows
        today = self.today or now.date()
        rows = await self.classify(today)
        self.unchanged = not self.news and unchanged_rates and self.ranks is not None and self.counts is not None
        if not self.unchanged:
            self.ranks = await self.rank_report(today)
            self.counts = count(rows)
        self.news = False
        result = SyncResult(rows, self.counts, first_run, self.gateway.clock.now(),
                            problems=self.aggregates.problem_list(), ranks=self.ranks)
        self.on_progress(Progress("classified", records=len(rows)))
        if self.on_classified is not None:
            await self.on_classified(self, rows)
        result.write = {"not_written": "switched_off"}
        if self.write_back:
            only, self.to_compare = self.to_compare, None
            stats = await write_back(self.gateway, self.store, self.aggregates, rows, meta, self.on_progress,
                                     result.ranks.ranks, only=only, pause=self.pause)
            self.to_compare = set(stats.refused)
            result.write = stats.as_dict()
            if stats.written:
                await self._sweep_after_writing(meta)
        self.on_progress(Progress("done", records=len(rows)))
        return result

    async def load(self) -> dict | None:
        """Read the store into `aggregates`, once: its marks (None for a store that is empty
        or in another layout — a full first run is slower than a migration, but cannot be
        wrong).  A page may call it (and `classify`) to draw before the run; the run then
        starts from what was read."""
        if self.loaded:
            return self.meta
        meta, chunks = await self.store.load()
        if meta is not None and meta.get("format") == FORMAT:
            for chunk in chunks:
                await with_pauses(self.aggregates.replay_steps(chunk), self.pause)
                await self.pause()
            self.meta = meta
            self.rates = rates_from_json(meta.get("rates"))
        self.loaded = True
        return self.meta

    async def classify(self, today: date) -> list[ClientRow]:
        """The rows for `today` from what the engine holds, with pauses.  The first
        classification of an engine is a full one; later ones compute again only what
        the aggregates' changes and the passing days reach.  An interrupted one is
        forgotten, so the next is full again."""
        classification, self.classification = self.classification, None
        if classification is None:
            self.aggregates.drop_change()
            change = None
            classification = Classification(self.thresholds, self.pipelines)
            rows = await with_pauses(classification.build(self.aggregates.crm(), today), self.pause)
        else:
            change = self.aggregates.take_change()
            rows = await with_pauses(classification.update(change, today), self.pause)
        self.news = self.news or bool(change) or classification.changed != set() or today != self.classified_on
        self.classification, self.classified_on = classification, today
        if classification.changed is None:
            self.to_compare = None
        elif self.to_compare is not None:
            self.to_compare |= classification.changed
            self.to_compare.update((CONTACT, i) for i in change.contacts)
            self.to_compare.update((COMPANY, i) for i in change.companies)
        return rows

    async def rank_report(self, today: date) -> RankReport:
        """Every client's rank for `today`, from the aggregates and the rates held: no request;
        in steps, with the engine's pauses."""
        crm = self.aggregates.crm()
        await self.pause()
        return await with_pauses(client_ranks_steps(crm, today, self.rank_settings, self.rates, self.pipelines),
                                 self.pause)

    async def _head(self) -> tuple[datetime, list, Rates]:
        """The portal's clock, the stages and today's rates, in one request: a Refresh's
        counts go at the same moment, and each request more here is a connection fewer
        for them (the page has six).  Rates: one uncounted page, `total` is always 0."""
        order = {"order": {"SORT": "ASC"}}
        commands = {"clock": ("user.current", {}), "stages": ("crm.status.list", order),
                    "rates": ("crm.currency.list", order)}
        answer = await self.gateway.batch(commands)
        for key, error in answer.errors.items():  # the first refusal stops the run, as a call's would
            raise RestError.of_command(error, commands[key][0])
        now = self._clock_of(answer.results.get("clock"), answer.time)
        rows = answer.results.get("rates") or []
        return now, answer.results.get("stages") or [], Rates.of(
            rate for rate in map(currency_rate, rows) if rate is not None)

    async def _sweep_after_writing(self, meta: dict) -> None:
        """Our writes moved every written record's modification time: read what changed
        since the run began once more (others' edits during the write-back), then let
        the next run start from now, so it does not fetch our own writes again."""
        sweep_started = await self._portal_now()
        await self._changed_since(meta, datetime.fromisoformat(meta["run_started"]) - OVERLAP)
        meta.update(phase="done", last_run=sweep_started.isoformat())
        await self.store.commit(meta)

    async def _portal_now(self) -> datetime:
        """The portal's own clock and offset, from an answer's `time.date_start`."""
        body = await self.gateway.call_raw("user.current")
        return self._clock_of(body["result"], body["time"])

    def _clock_of(self, user: dict, time: dict) -> datetime:
        self.user_id = int(user["ID"])
        moment = datetime.fromisoformat(time["date_start"])
        self.tz = moment.tzinfo
        return moment

    # --- months -------------------------------------------------------------------

    async def _first_month(self, now: datetime) -> str:
        """The month of the oldest record of any kind."""
        commands = {kind.name: (kind.method, {**kind.params, "select": [kind.id_key, kind.created],
                                              "order": {kind.created: "ASC"}, "start": -1})
                    for kind in self.kinds}
        answer = await self.gateway.batch(commands)
        earliest = now
        for kind in self.kinds:
            if kind.name in answer.errors:
                self._tolerate(kind, answer.errors[kind.name])
                continue
            rows = answer.results.get(kind.name) or []
            rows = rows.get("items", []) if isinstance(rows, dict) else rows
            for row in rows[:1]:
                created = row.get(kind.created) if isinstance(row, dict) else None
                try:
                    earliest = min(earliest, datetime.fromisoformat(created).astimezone(self.tz))
                except (TypeError, ValueError, OverflowError):  # unreadable: the month of another kind decides
                    continue
        return month_of(earliest)

    async def _counts(self, places: asyncio.Semaphore) -> dict[str, int]:
        """How many rows of each kind this user sees: the `total`s of counting commands over
        ID ranges, in requests sent at once that end together (`_count_requests`).
        `places`: the requests in flight they may take (`count_places`)."""
        totals = dict.fromkeys((kind.name for kind in self.kinds), 0)

        async def ask(commands: dict[str, tuple[Kind, dict]]) -> None:
            for _ in range(self.gateway.attempts):
                async with places:
                    answer = await self.gateway.batch({key: (kind.method, kind.count_params(window))
                                                       for key, (kind, window) in commands.items()})
                again = {}
                for key, (kind, window) in commands.items():
                    error = answer.errors.get(key)
                    if error is None:
                        totals[kind.name] += int(answer.totals.get(key) or 0)
                    elif error.get("error") in PASSING:  # the pacer has learned of it: asked again
                        again[key] = (kind, window)
                    else:
                        self._tolerate(kind, error)
                if not again:
                    return
                commands = again
            raise GatewayGaveUp(f"counts: no usable answer after {self.gateway.attempts} attempts")

        requests = self._count_requests()
        await self.pause()
        counting = asyncio.gather(*(ask({f"{i}.{j}": command for j, command in enumerate(request)})
                                    for i, request in enumerate(requests)))  # the largest first
        for kind in self.kinds:  # while they are in flight: the spans the next Refresh cuts its ranges from
            self.aggregates.id_span(kind.name)
            await self.pause()
        await counting
        return totals

    async def _months(self, meta: dict, now: datetime) -> None:
        """Months in order: count each month's rows per kind (so every chain is exactly
        as long as needed), fetch groups of small months together and several groups
        at once, and commit each month with its mark, in order."""
        start = next_month(meta["done_through"]) if meta["done_through"] else meta["first_month"]
        months = months_between(start, month_of(now))
        all_months = months_between(meta["first_month"], month_of(now))
        self.on_progress(Progress("counting", records=self._records()))
        sizes = await self._month_sizes(months)
        expected = self._records() + sum(size.get(kind.name, 0) for size in sizes.values() for kind in self.kinds)
        began, records = self.gateway.clock.now(), self._records()
        queue = _groups(months, sizes)
        window: list[asyncio.Task] = []
        while queue or window:
            while queue and len(window) < self.months_in_flight:
                window.append(asyncio.ensure_future(self._fetch_group(queue.pop(0), sizes)))
            for month, rows in await window.pop(0):
                chunk: dict = {}
                for kind in self.kinds:
                    await self._fold(chunk, kind, rows.get(kind.name, []))
                meta["done_through"] = month
                await self.store.commit(meta, chunk)
                settle()
                done = self._records()
                elapsed = self.gateway.clock.now() - began
                rate = (done - records) / elapsed if elapsed > 0 else 0
                self.on_progress(Progress("months", month, all_months.index(month) + 1, len(all_months), done,
                                          max(0.0, expected - done) / rate if rate > 0 else None))

    def _month_filter(self, kind: Kind, month: str) -> dict:
        return {f">={kind.created}": month_start(month, self.tz), f"<{kind.created}": month_start(next_month(month), self.tz)}

    async def _month_sizes(self, months: list[str]) -> dict[str, dict[str, int]]:
        """Rows per month and kind (and of each kind's `Links`, under LINKED), from counting
        pages batched 50 to a request."""
        jobs = [(month, kind, linked) for month in months for kind in self.kinds
                for linked in ((False, True) if kind.links else (False,))]
        sizes: dict[str, dict[str, int]] = {month: {} for month in months}

        def params(month: str, kind: Kind, linked: bool) -> tuple[str, dict]:
            window = self._month_filter(kind, month)
            if linked:
                return kind.links.of.method, kind.links.count_params(window)
            return kind.method, kind.count_params(window)

        async def count(part: list[tuple[str, Kind, bool]]) -> None:
            commands = {f"{month}/{kind.name}{LINKED * linked}": params(month, kind, linked)
                        for month, kind, linked in part}
            answer = await self.gateway.batch(commands)
            for month, kind, linked in part:
                name = kind.name + LINKED * linked
                if f"{month}/{name}" in answer.errors:
                    self._tolerate(kind, answer.errors[f"{month}/{name}"])
                sizes[month][name] = int(answer.totals.get(f"{month}/{name}") or 0)

        await asyncio.gather(*(count(jobs[i:i + 50]) for i in range(0, len(jobs), 50)))
        return sizes

    async def _fetch_group(self, months: list[str], sizes: dict[str, dict[str, int]]) -> list[tuple[str, dict]]:
        specs = {}
        for month in months:
            counted = sizes[month]
            for kind in self.kinds:
                specs |= kind.specs(f"{month}/{kind.name}", self._month_filter(kind, month),
                                    lambda linked, kind=kind, counted=counted: _sized(
                                        counted.get(kind.name + LINKED * linked, 0)))
        rows = await self._read(specs)
        return [(month, {kind.name: kind.joined(f"{month}/{kind.name}", rows) for kind in self.kinds})
                for month in months]

    async def _read(self, specs: dict[str, ListSpec], *, until_complete: bool = True) -> dict[str, list[dict]]:
        """Read several lists; a kind the portal does not offer (legacy invoices on a new portal) is empty."""
        try:
            return await self.gateway.read_many(specs, until_complete=until_complete)
        except RestError as error:
            if not _optional(error):
                raise
            return await self.gateway.read_many({n: s for n, s in specs.items() if s.method != OPTIONAL_METHOD},
                                                until_complete=until_complete)

    def _records(self) -> int:
        return sum(self.aggregates.count(kind.name) for kind in self.kinds)

    @staticmethod
    def _tolerate(kind: Kind, error: dict) -> None:
        """A batch command's error: raised unless it is `_optional`."""
        failure = RestError.of_command(error, kind.method)
        if not _optional(failure):
            raise failure

    # --- changes and deletions -----------------------------------------------------------

    async def _changed_since(self, meta: dict, since: datetime) -> None:
        """Everything modified since `since` (the catch-up pass, or an incremental run).

        Contacts and companies are first listed light (ID, time, author), and
        only rows that our own write-back does not explain are fetched in full:
        writing the eight fields bumps every record's modification time.  One
        batch asks one page of every kind, so a Refresh with little changed is
        one request (a page costs the same empty or full); a kind with more goes
        on from there, contacts and companies as ID ranges at once.
        """
        meta["phase"] = "catch_up"
        self.on_progress(Progress("catch_up", records=self._records()))
        stamp = since.astimezone(self.tz).isoformat()
        first = {k.name: (k.light_spec if k.modified_by else k.spec)({f">={k.modified}": stamp}, pages=1)
                 for k in self.kinds if k.modified}
        rows = await self._read(first, until_complete=False)
        busy = [k for k in self.kinds if k.name in first and not first[k.name].complete]
        more = await asyncio.gather(*(
            self._read_ranges(k, lambda flt, k=k: k.light_spec({**flt, f">={k.modified}": stamp})) if k.modified_by
            else self._read({k.name: first[k.name]}) for k in busy))
        for kind, part in zip(busy, more):
            if kind.modified_by:
                rows[kind.name] = part  # read again in ID ranges at once: one chain waits for each batch
            else:
                rows[kind.name] = rows.get(kind.name, []) + part.get(kind.name, [])
        light = [k for k in self.kinds if k.modified_by]
        for kind in light:
            if kind.name in rows:
                listed, wanted = [], []
                for start in range(0, len(rows[kind.name]), STEP):  # after a write-back: every record
                    part = [(ref_id(r.get(kind.id_key)), r) for r in rows[kind.name][start:start + STEP]]
                    listed += part
                    wanted += [rid for rid, r in part if rid is not None and not self._ours(kind, rid, r)]
                    await self.pause()
                specs = {}
                for i in range(0, len(wanted), 50):
                    specs |= _by_id(f"{kind.name}.{i}", kind, wanted[i:i + 50])
                fetched = await self._read(specs) if specs else {}
                unreadable = [r for rid, r in listed if rid is None]  # folded only to be named
                rows[kind.name] = [row for i in range(0, len(wanted), 50)
                                   for row in kind.joined(f"{kind.name}.{i}", fetched)] + unreadable
        chunk: dict = {}
        for kind in self.kinds:
            await self._fold(chunk, kind, rows.get(kind.name, []))
        await self.store.commit(meta, _kept(chunk))

    async def _fold(self, chunk: dict, kind: Kind, rows: list[dict]) -> None:
        """Fold rows of one kind into the aggregates and the chunk being built, CLIENT_STEP
        rows between two pauses (a month of a bulk import holds thousands, and a row costs
        about 20 µs of CPython to fold: a contact's card, a deal's stage, an activity's dates)."""
        for start in range(0, len(rows), CLIENT_STEP):
            _merge(chunk, self.aggregates.fold(kind.name, rows[start:start + CLIENT_STEP], self.stages, self.tz))
            await self.pause()

    def _ours(self, kind: Kind, rid: int, row: dict) -> bool:
        """Was this change our own write-back?  Same user, within a written batch's time (±1 s)."""
        entity = "contact" if kind.name == "contacts" else "company"
        window = self.aggregates.written_at.get((entity, rid))
        if window is None or ref_id(row.get(kind.modified_by)) != self.user_id:
            return False
        modified = row.get(kind.modified)
        try:
            moment = datetime.fromisoformat(modified).timestamp() if isinstance(modified, str) else None
        except (ValueError, OverflowError):
            return False
        return moment is not None and window[0] - 1 <= moment <= window[1] + 1

    async def _all_ids(self, kind: Kind) -> tuple[set[int], set[str]]:
        """Every ID of a kind the portal has; also the IDs that are no ID, as problems name them."""
        given = [row.get(kind.id_key) for row in await self._read_ranges(
            kind, lambda flt: ListSpec(kind.method, kind.count_params(flt), kind.id_key, kind.items))]
        ids = {ref_id(value) for value in given}
        return ids - {None}, {shown(value) for value in given if ref_id(value) is None}

    async def _read_ranges(self, kind: Kind, spec: Callable[[dict], ListSpec]) -> list[dict]:
        """A list read as ID_RANGES chains, split where the IDs we hold split evenly: the
        first batch asks all of them (a short list is done in one request); whatever is
        left goes on as separate chains at once, since one chain waits for each of its
        batches in turn (at 85k, every contact's modification time in one chain took two
        minutes after a write-back)."""
        named = {f"range.{i}": spec(window) for i, window in enumerate(self._id_windows(kind, ID_RANGES))}
        first = await self.gateway.read_many(named, until_complete=False)
        left = {name: one for name, one in named.items() if not one.complete}
        rest = await asyncio.gather(*(self.gateway.read_many({name: one}) for name, one in left.items()))
        return [row for part in (first, *rest) for rows in part.values() for row in rows]

    def _count_requests(self) -> list[list[tuple[Kind, dict]]]:
        """A Refresh's counts as requests that end together, each a batch of (kind, ID
        filter) commands.  A counting command costs per row it counts and a batch runs its
        commands one after another, so the rows held, the largest kinds first, are laid end
        to end and cut into one request for each place the counts may take and one for the
        place the changes give back once read, each as dear as the time it has before the
        others end (`_budgets`): a request the bucket holds back, or the changes' place,
        gets less.  (At 85k in Chromium, eleven ranges of one size, a request each, ended
        1.96 s into a Refresh: five places took two rounds; now 1.74 s.)"""
        held = sorted(((kind, self.aggregates.count(kind.name)) for kind in self.kinds), key=lambda item: -item[1])
        places = count_places(self.gateway)
        pacer, now = self.gateway.pacer, self.gateway.clock.now()
        room = pacer.room(now) - 1  # the head of the run goes first
        held_back = [max(0.0, (k + 1 - room) / pacer.limits.drain_per_s) for k in range(places + 1)]
        starts = sorted([*held_back[:places], max(KEPT_S, held_back[places])])
        work = sum(COUNT_COMMAND_S + COUNT_ROW_S * rows for _, rows in held) + places * COUNT_COMMAND_S  # and cuts
        budgets = _budgets(work, starts, COUNT_COMMAND_S + COUNT_ROW_S * COUNTED_AT_LEAST)
        return [commands for request in _cut_line(held, budgets)
                if (commands := [(kind, window) for kind, lo, hi in request
                                 if (window := self._id_window(kind, lo, hi)) is not None])]

    def _id_window(self, kind: Kind, lo: float, hi: float) -> dict | None:
        """The ID filter of the part of a kind from fraction `lo` to `hi` of the span of the IDs
        we hold; the first part has no lower end and the last no upper end, so new IDs are
        counted too (None: an empty part).  CRM IDs count up as records are made, so equal
        spans hold about equal numbers; any cuts would be correct, and these need no sort
        of 85,000 IDs."""
        if lo <= 0 and hi >= 1:
            return {}
        low, high = self.aggregates.id_span(kind.name)  # cut only when rows are held
        cut_lo, cut_hi = low + int((high - low) * lo), low + int((high - low) * hi)
        if 0 < lo and hi < 1 and cut_lo >= cut_hi:
            return None
        window = {f">={kind.id_key}": cut_lo} if lo > 0 else {}
        if hi < 1:
            window[f"<{kind.id_key}"] = cut_hi
        return window

    def _id_windows(self, kind: Kind, parts: int) -> list[dict]:
        """Up to `parts` ID filters that split the span of the IDs we hold evenly and
        together take in every ID, new ones too ({} alone: no split)."""
        if parts <= 1 or self.aggregates.id_span(kind.name) is None:
            return [{}]
        return [window for i in range(parts) if (window := self._id_window(kind, i / parts, (i + 1) / parts)) is not None]

    async def _reconcile(self, meta: dict, totals: dict[str, int]) -> dict:
        """Deletions (and anything the other passes missed) found by counting: only a kind
        whose count does not add up has its IDs compared.  Returns the chunk that records
        what it found, for the run's closing commit.  The counts are asked for while
        the changes are read (a Refresh asks them first of all: one wait less): a record
        created or deleted in between makes
        a count disagree, and the comparison that follows finds it; a creation and a deletion
        that cancel out within that second are found by the next run."""
        self.on_progress(Progress("reconcile", records=self._records()))
        chunk: dict = {}
        for kind in self.kinds:
            skipped = self.aggregates.problem_keys(kind.name)
            if totals.get(kind.name, 0) == self.aggregates.count(kind.name) + len(skipped):
                continue
            ours = self.aggregates.ids(kind.name) | {int(key) for key in skipped if key.isdigit()}
            theirs, unreadable = await self._all_ids(kind)
            gone = sorted(ours - theirs)
            if gone:
                _merge(chunk, self.aggregates.delete(kind.name, gone))
            _merge(chunk, self.aggregates.solved(kind.name, {key for key in skipped if not key.isdigit()} - unreadable))
            missing = sorted(theirs - ours)
            for start in range(0, len(missing), 50):
                fetched = await self.gateway.read_many(_by_id("missing", kind, missing[start:start + 50]))
                _merge(chunk, self.aggregates.fold(kind.name, kind.joined("missing", fetched), self.stages, self.tz))
        return chunk


def _sized(rows: int) -> tuple[int, int]:
    """A chain's first pages for `rows` counted (or at most held), and the count."""
    return rows // PAGE + 1, rows


def _by_id(name: str, kind: Kind, ids: list[int]) -> dict[str, ListSpec]:
    """Up to 50 records of a kind by ID (a page, or two when the first is full)."""
    return kind.specs(name, {f"@{kind.id_key}": ids}, lambda _: _sized(len(ids)))


async def _no_pause() -> None:
    pass


def _kept(chunk: dict) -> dict | None:
    """What of a chunk is worth a record in the store (None: nothing; a Refresh that found
    nothing changed used to add one of empty lists every time)."""
    kept = {key: value for key, value in chunk.items() if value}
    return kept or None


def _merge(chunk: dict, part: dict) -> None:
    """Add what a fold or delete returned to a chunk being built."""
    for key, value in part.items():
        if key == "deleted":
            for kind, ids in value.items():
                chunk.setdefault("deleted", {}).setdefault(kind, []).extend(ids)
        else:
            chunk.setdefault(key, []).extend(value)


def _budgets(work: float, starts: list[float], smallest: float) -> list[float]:
    """The costs of requests that may start at `starts` (ascending, in seconds) so that they
    all end together and hold `work` between them: as many as leave the last one at least
    `smallest`."""
    for many in range(len(starts), 0, -1):
        end = (work + sum(starts[:many])) / many
        if end - starts[many - 1] >= smallest:
            return [end - start for start in starts[:many]]
    return [work]


def _cut_line(held: list[tuple[Kind, int]], budgets: list[float]) -> list[list[tuple[Kind, float, float]]]:
    """Kinds' rows laid end to end, cut into requests of the costs `budgets`: each request
    as (kind, from, to) fractions of that kind's rows.  No piece is cut of fewer than half
    of COUNTED_AT_LEAST rows: a request ends a little short or long, and the next makes up
    for it; the last takes what is left."""
    requests: list[list[tuple[Kind, float, float]]] = [[] for _ in budgets]
    i, left = 0, budgets[0]
    slack = COUNT_ROW_S * COUNTED_AT_LEAST / 2
    for kind, rows in held:
        done = 0.0
        while done < 1.0:
            rest = COUNT_COMMAND_S + COUNT_ROW_S * rows * (1 - done)
            if i == len(budgets) - 1 or rest <= left + slack:
                requests[i].append((kind, done, 1.0))
                left -= rest
                break
            fits = (left - COUNT_COMMAND_S) / COUNT_ROW_S
            if fits >= COUNTED_AT_LEAST / 2:  # this request ends inside the kind
                requests[i].append((kind, done, done + fits / rows))
                done, left = done + fits / rows, 0.0
            i += 1
            left += budgets[i]  # what one request left, or took over, the next makes up
    return requests


def count_places(gateway: Gateway) -> int:
    """The requests in flight a Refresh's counts may take: all but one, which the changes'
    batch (the head of a Refresh, and what it reads next) finds free; once the changes are
    read, the counts take that one too."""
    return max(1, gateway.max_in_flight - 1)


def _optional(error: RestError) -> bool:
    """Only legacy invoices may be missing (new portals have none); any other error, and
    any refusal to this user, stops the run loudly."""
    return error.method == OPTIONAL_METHOD and not error.access_denied


def rates_to_json(rates: Rates) -> dict:
    return {"base": rates.base, "per_unit": {code: str(value) for code, value in rates.per_unit.items()}}


def rates_from_json(data: object) -> Rates:
    """The rates a store kept (none: an empty set, every foreign amount then left out and said so)."""
    if not isinstance(data, dict):
        return Rates()
    return Rates(data.get("base"), {code: Decimal(value) for code, value in (data.get("per_unit") or {}).items()})


def _groups(months: list[str], sizes: dict[str, dict[str, int]], pages: int = 50) -> list[list[str]]:
    """Consecutive months whose pages fit one batch together; a big month stands alone."""
    groups: list[list[str]] = []
    load = 0
    for month in months:
        need = sum(count // 50 + 1 for count in sizes[month].values())
        if groups and load + need <= pages:
            groups[-1].append(month)
            load += need
        else:
            groups.append([month])
            load = need
    return groups
