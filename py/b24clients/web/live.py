"""The app inside a portal: the user's own store, refreshes, settings, cards.

Which run a page makes is decided by `sync.provenance.run_kind`: an admin
computes (reads the history month by month and writes the fields), everyone
else reads the written fields, and a non-admin computes from what they see
only where nothing was computed or write-back is off (and writes nothing).

One run at a time.  The dashboard is drawn from the local store before any
request (the last computation, classified again for today, or the last
reading, derived again for today), then an unfinished computation resumes,
or a page with nothing stored reads at once.  During a run the screen shows
progress; when the numbers are ready the dashboard is replaced (before the
write-back, which has its own progress line).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import datetime, timezone

import js
from pyodide.ffi import create_proxy

from .. import settings as app_settings
from ..classify import classify_with_pauses
from ..ranks import Rates, client_ranks_steps
from ..rest.errors import GatewayGaveUp, RestError
from ..steps import with_pauses
from ..sync import provenance as who
from ..sync.aggregates import Aggregates
from ..ranks.scope import Scope, headed_tree, members
from ..sync import planning as planning_io
from ..sync.engine import FORMAT, Progress, rates_from_json
from ..sync.reading import Reading, read_written
from . import control, dashboard_cache, listing, planning
from .app import error_detail, open_help, screen_data
from .dom import Breaks, by_id, element, js_object, next_task, now_ms, signal, wasm_bytes
from .history_app import ClientPage, client_of, crm_url, open_in_portal
from .history_view import ClientHeader
from .ladder_app import LadderApp
from .listview import display_name
from .origin import Origin
from .people import People, full_name
from .planning_view import PlanForm, PlanningSource
from .screen import Actions, Screen
from .sheet import Sheet, confirm
from ..strings import pick_language, strings_for
from .tabs import OneRun
from .view import rank_figures

class Timer:
    """Milliseconds between laps, for `window.__classifiedPhases` (measure_app.py prints them)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._at = now_ms()

    def lap(self, name: str) -> None:
        at = now_ms()
        self.laps[name] = at - self._at
        self._at = at


READING_FORMAT = "b24clients-reading/2"
"""2: each record carries the rank the computing run wrote."""


class LiveApp:
    def __init__(self, context):
        from . import portal

        self.context = context
        self.language = pick_language(context.lang)
        self.text = strings_for(self.language)
        self.breaks = Breaks()
        """Yields to the browser inside long Python work (parsing, folding, classifying)."""
        self.gateway = portal.make_gateway(context=context)
        self.store = portal.make_store(context, pause=self.breaks)
        """The computing run's progress (and the cached view)."""
        self.readings = portal.make_store(context, pause=self.breaks, part="reading")
        """The last reading run's values."""
        self.dashboards = portal.make_store(context, pause=self.breaks, part="dashboard")
        """The last dashboard's rows (`dashboard_cache.py`)."""
        options = context.app_options or {}
        self.settings = app_settings.from_option(options.get("settings"))
        self.provenance = who.Provenance.from_option(options.get(who.OPTION))
        self.kind = who.COMPUTE
        self.people = People(call=self._call)
        self.running: asyncio.Task | None = None
        self.one_run = OneRun(context.ns)
        """One refresh per user, whatever the number of tabs (`tabs.py`)."""
        self.screen: Screen | None = None
        self.phases: dict[str, float] = {}
        """How long the opening's parts took (ms), for `window.__pyPhases`."""
        self.ladder = LadderApp(self)
        """The status ladder while it is on (`ladder_app.py`)."""
        self.ladder_task: asyncio.Task | None = None
        self.crm = None
        """The CRM of the last computation shown (the Planning mode attributes activities with it)."""
        self.folded = None
        """The activities of that computation's aggregates: the Planning mode's, with no request."""
        self.dashboard_meta: dict | None = None
        """The marks of the dashboard kept (`remember_dashboard`), for `remember_refresh`."""
        self.cached = None
        """The dashboard read back from them on opening (its saved view is already this one)."""
        self.engine = None
        """The last computing run's engine: Refresh runs it again, starting from what it holds
        (no replay of the store, only the changed clients classified again).  Dropped when
        the store changes under it: Clear, new settings, another tab's run."""

    async def _call(self, method: str, params: dict):
        return (await self.gateway.call(method, params)).result

    @property
    def admin(self) -> bool:
        return bool(self.context.is_admin)

    # --- start ------------------------------------------------------------------

    async def start(self, phases: dict[str, float]) -> None:
        from . import bx24

        self.phases = phases
        actions = Actions(refresh=self.refresh, clear=self.clear if self.admin else None,
                          settings=self.open_settings if self.admin else None, help=self.open_help,
                          open_card=self.open_card, card_url=self.card_url, open_client=self.open_client,
                          fit=None if self.context.plain_links else bx24.fit_frame, planning=self.planning_source,
                          control=self.control_events)
        self.screen = Screen(self.text, self.language, self.people, actions)
        try:
            meta, data = await self.opening()
        except Exception as exc:
            self.fail(exc)
            return
        await self.show_opening(meta, data)
        self.ladder_task = asyncio.ensure_future(self.ladder.load())
        client = client_of("DEFAULT", self.context.placement_options or {})
        if client is not None:  # a deep link (BX24.openApplication) names a client: its page opens
            await self.open_client(client)

    def mounted(self) -> Screen:
        """The live screen, put in place of the skeleton the first time something is
        known: nothing stored and no answer yet keeps the skeleton ("Loading…"), so a
        user the CRM refuses sees the sentence without a flash of an empty dashboard."""
        if not self.screen.mounted:
            self.screen.mount(by_id("app"))
        return self.screen

    def _progress(self, progress) -> None:
        self.mounted().progress(progress)
        self.one_run.tell(dataclasses.asdict(progress))

    async def show_opening(self, meta, data) -> None:
        """What is stored, at once; then the run that is due: a reading when nothing was
        read yet, a computation that has not finished."""
        if data is not None:
            began = now_ms()
            self.mounted().show(data)
            self.phases["draw"] = now_ms() - began
            if data is self.cached:  # the view saved with it is this one: saved again behind
                asyncio.ensure_future(self.save_view())
            else:
                await self.save_view()
        unfinished = meta is None or meta.get("phase") != "done" or meta.get("format") != FORMAT
        if data is None if self.kind == who.READ else unfinished:
            self.run()

    async def opening(self, *, again: bool = False):
        """Which run this page makes, the progress meta (computing) and what to show at once:
        the last dashboard's rows when they were saved (one parse, issue 11's "live in a
        second"), else the store replayed and classified.  `again`: from the store itself
        (the settings changed, or another tab has just refreshed)."""
        shared = self.provenance is not None and self.settings.write_back
        meta = None
        if self.admin or not shared:
            meta = await self.store.load_meta()
        self.kind = who.run_kind(admin=self.admin, computing_here=meta is not None, provenance=self.provenance,
                                 write_back=self.settings.write_back)
        data = None if again else await self.saved_dashboard()
        if data is None:
            data = await (self.saved_reading() if self.kind == who.READ else self._replayed(meta))
        return meta, data

    async def _replayed(self, meta):
        return (await self.saved())[1] if meta is not None else None

    async def saved_dashboard(self):
        """The rows of the last dashboard this page showed, moved on to today (None if none,
        or if they came from another kind of run than the one this page makes now).  The
        responsibles' names are asked for while the rows are rebuilt."""
        began = now_ms()
        try:
            meta, chunks = await self.dashboards.load()
        except Exception:  # a broken cache is no cache: the store is read instead
            return None
        if not meta or not chunks or meta.get("kind") != self.kind:
            return None
        self.phases["cache_read"] = now_ms() - began
        self.people.remember(dashboard_cache.names(chunks))  # shown at once; read again behind
        asyncio.ensure_future(self._names_again(dashboard_cache.responsibles(chunks)))
        began = now_ms()
        tz = datetime.fromisoformat(meta["today_at"]).tzinfo if meta.get("today_at") else timezone.utc
        data = await with_pauses(dashboard_cache.from_chunks_steps(chunks, datetime.now(tz).date(),
                                                                   self.settings.thresholds), self.breaks)
        self.phases["cache_rows"] = now_ms() - began
        self.dashboard_meta, self.cached = meta, data
        if data is not None:
            refreshed = meta.get("refreshed_at")  # a later Refresh that found nothing new
            data.origin = dataclasses.replace(
                data.origin, provenance=self.provenance or data.origin.provenance,
                refreshed_at=datetime.fromisoformat(refreshed) if refreshed else data.origin.refreshed_at)
        return data

    async def _names_again(self, ids: list[int]) -> None:
        try:
            await self.people.load(ids, again=True)
        except Exception as exc:  # the remembered names stay
            js.console.warn(f"could not read the responsibles again: {exc}")

    async def remember_dashboard(self, data) -> None:
        """Keep the rows shown for the next open (a failure only costs the next open time)."""
        try:
            chunks = []
            for chunk in dashboard_cache.to_chunks(data, self.people.names()):
                chunks.append(chunk)
                await self.breaks()
            meta = {"kind": data.origin.kind, "today_at": datetime.now(timezone.utc).isoformat()}
            await self.dashboards.replace(meta, chunks)
            self.dashboard_meta = meta
        except Exception as exc:
            js.console.warn(f"could not keep the dashboard: {exc}")

    async def remember_refresh(self, data) -> None:
        """The dashboard kept is still right, only newer: its time, in the marks alone (rewriting
        85,000 rows into IndexedDB is a long task of its own)."""
        if self.dashboard_meta is None or self.dashboard_meta.get("kind") != data.origin.kind:
            await self.remember_dashboard(data)
            return
        try:
            self.dashboard_meta = {**self.dashboard_meta, "refreshed_at": data.origin.refreshed_at.isoformat()}
            await self.dashboards.commit(self.dashboard_meta)
        except Exception as exc:
            js.console.warn(f"could not keep the dashboard's time: {exc}")

    async def aggregates(self) -> tuple[dict | None, Aggregates | None]:
        """The store's meta and what its months fold into (None before any month)."""
        meta, chunks = await self.store.load()
        if meta is None or meta.get("format") != FORMAT or not chunks:  # another layout: the run starts over
            return meta, None
        aggregates = Aggregates()
        for chunk in chunks:
            await with_pauses(aggregates.replay_steps(chunk), self.breaks)
        return meta, aggregates

    async def saved(self):
        """The store's meta and the dashboard it gives today (None before any month)."""
        meta, aggregates = await self.aggregates()
        if aggregates is None:
            return meta, None
        stamp = meta.get("last_run") or meta.get("run_started")
        moment = datetime.fromisoformat(stamp) if stamp else datetime.now(timezone.utc)
        today = datetime.now(moment.tzinfo or timezone.utc).date()
        refreshed = datetime.fromisoformat(meta["last_run"]) if meta.get("last_run") else None
        return meta, await self._computed_data(aggregates, today, refreshed, rates_from_json(meta.get("rates")))

    async def _computed_data(self, aggregates: Aggregates, today, refreshed, rates: Rates):
        crm = self.crm = aggregates.crm()
        self.folded = aggregates.activities
        await next_task()
        rows = await classify_with_pauses(crm, today, self.settings.thresholds, self.settings.pipelines,
                                          pause=self.breaks)
        ranks = await with_pauses(client_ranks_steps(crm, today, self.settings.ranks, rates, self.settings.pipelines),
                                  self.breaks)
        await self.people.load({card.responsible_id for card in aggregates.cards.values() if card.responsible_id})
        return await screen_data(rows, aggregates.cards, today, self._origin(refreshed),
                                 linked=listing.linked_companies(crm), own=listing.own_companies(crm),
                                 problems=aggregates.problem_list(), pause=self.breaks,
                                 ranks=ranks.ranks, figures=rank_figures(ranks, self.settings.ranks, rates.base))

    async def saved_reading(self):
        """The last reading, derived again for today (None when there is none)."""
        meta, chunks = await self.readings.load()
        if meta is None or meta.get("format") != READING_FORMAT or not chunks:
            return None
        return await self._reading_data(Reading.from_json(chunks[0]))

    async def _reading_data(self, reading: Reading):
        tz = reading.read_at.tzinfo if reading.read_at else timezone.utc
        today = datetime.now(tz).date()
        rows = reading.rows(today, self.settings.thresholds)
        await next_task()
        await self.people.load({card.responsible_id for card in reading.cards.values() if card.responsible_id})
        clients = sum(1 for row in rows if row.is_client)
        restricted = self.provenance is not None and clients < self.provenance.clients
        origin = self._origin(reading.read_at, restricted=restricted, uncomputed=reading.uncomputed)
        return await screen_data(rows, reading.cards, today, origin, linked=reading.linked, pause=self.breaks,
                                 ranks=reading.ranks())

    def _origin(self, refreshed, **extra) -> Origin:
        return Origin(kind=self.kind, refreshed_at=refreshed, provenance=self.provenance, admin=self.admin, **extra)

    # --- refreshing ------------------------------------------------------------------

    def run(self) -> None:
        if self.running is not None and not self.running.done():
            return
        self.running = asyncio.ensure_future(self._run())

    async def refresh(self) -> None:
        """A reader re-reads; an admin's Refresh always computes (spec/sync.md: an admin's
        other devices read until the admin presses Refresh)."""
        if self.admin:
            self.kind = who.COMPUTE
        self.run()

    async def clear(self) -> None:
        if self.running is not None and not self.running.done():
            return
        if not await confirm(self.text, self.text["confirm.clear"], self.text["action.clear"]):
            return
        await self.store.clear()
        self.kind = who.COMPUTE
        self.run()

    async def _run(self) -> None:
        screen = self.screen
        screen.forget_planning()
        if screen.mounted:
            screen.busy(True)
            screen.progress(None)
        try:
            if not await self.one_run.run(self._read if self.kind == who.READ else self._compute):
                await self._elsewhere()
            elif self.kind == who.READ or self.crm is not None:  # what the mode needs is at hand
                screen.prepare_planning()
            signal(__runDone=js.performance.now(), __wasmBytes=wasm_bytes())
        except Exception as exc:
            self.fail(exc, keep_screen=screen.mounted)
        finally:
            if screen.mounted:
                screen.busy(False)
                screen.progress(None)

    async def _elsewhere(self) -> None:
        """Another tab of this user is refreshing: its progress here, then its result."""
        screen = self.mounted()
        screen.busy(True)

        def heard(progress: dict) -> None:
            if progress.get("phase") != "ended":
                screen.progress(Progress(**progress), elsewhere=True)

        screen.progress(Progress("starting"), elsewhere=True)
        await self.one_run.wait_for_other(heard)
        self.crm = self.folded = None  # the other tab's run changed the store: the Planning mode replays it
        meta, data = await self.opening()
        if data is not None:
            screen.show(data)

    async def _read(self) -> None:
        began = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - began
            eta = (total - done) * elapsed / done if done and total > done else None
            self._progress(Progress("reading", months_done=done, months_total=total, records=done, eta_s=eta))

        reading = await read_written(self.gateway, on_progress=progress, pause=self.breaks,
                                     ours=self.provenance.ours if self.provenance else None)
        await self.readings.replace({"format": READING_FORMAT}, [reading.to_json()])
        self.mounted().show(await self._reading_data(reading))
        await self.save_view()
        await self.remember_dashboard(self.screen.data)

    async def _compute(self) -> None:
        from . import portal

        engine = await self._engine_to_reuse() or portal.make_engine(
            self.context, self.gateway, self.store, self.settings, on_progress=self._progress,
            on_classified=self._classified, pause=self.breaks, ours=self.provenance.ours if self.provenance else None)
        result = await engine.run()
        self.engine = engine
        if result.write.get("written"):
            self.screen.written(result.write["written"])
        if self.admin and self.settings.write_back and result.write.get("not_written") is None:
            await self._remember_computation(engine, result.counts["clients"], result.write)

    async def _engine_to_reuse(self):
        """The last run's engine while the store is still as it left it (another tab of
        this user may have run since: its marks then differ, and a new engine reads the
        store).  Kept again only once a run of it ends well."""
        engine, self.engine = self.engine, None
        if engine is None or engine.meta is None:
            return None
        stored = await self.store.load_meta()
        same = stored is not None and all(stored.get(k) == engine.meta.get(k) for k in ("run_started", "last_run"))
        return engine if same else None

    async def _classified(self, engine, rows) -> None:
        """The engine has classified: show the new numbers before the write-back starts.
        When it found nothing new since the dashboard shown, that stays, with a new time."""
        signal(__classifiedAt=js.performance.now())
        self.screen.forget_planning()  # opened during the run, the mode took the activities half folded
        timer = Timer()
        shown = self.screen.data if self.screen is not None else None
        if engine.unchanged and shown is not None and shown.origin.kind == who.COMPUTE:
            self.screen.set_origin(self._origin(datetime.now(timezone.utc)))
            await asyncio.gather(self.save_view(), self.remember_refresh(shown))  # two stores: both at once
            return
        aggregates = engine.aggregates
        await self.people.load({c.responsible_id for c in aggregates.cards.values() if c.responsible_id})
        timer.lap("people")
        crm = self.crm = aggregates.crm()
        self.folded = aggregates.activities
        today = engine.today or datetime.now(engine.tz or timezone.utc).date()
        timer.lap("crm")
        await next_task()
        linked, own = listing.linked_companies(crm), listing.own_companies(crm)
        timer.lap("companies")
        data = await screen_data(rows, aggregates.cards, today, self._origin(datetime.now(timezone.utc)),
                                 linked=linked, own=own, problems=aggregates.problem_list(), pause=self.breaks,
                                 ranks=engine.ranks.ranks,
                                 figures=rank_figures(engine.ranks, engine.rank_settings, engine.rates.base))
        timer.lap("screen_data")
        self.mounted().show(data)
        timer.lap("draw")
        await self.save_view()
        timer.lap("save_view")
        await self.remember_dashboard(data)
        timer.lap("remember")
        signal(__classifiedPhases=js_object(timer.laps))

    async def _remember_computation(self, engine, clients: int, write: dict) -> None:
        """The fields now hold this run's values: every other user and device reads them."""
        wrote = None
        if write.get("wrote_from") and write.get("wrote_to"):
            wrote = (datetime.fromisoformat(write["wrote_from"]), datetime.fromisoformat(write["wrote_to"]))
        elif self.provenance is not None:
            wrote = self.provenance.wrote  # nothing changed this time: the last write-back still explains
        self.provenance = who.Provenance(at=datetime.now(engine.tz or timezone.utc), by_id=int(self.context.user_id),
                                         by_name=full_name(self.context.user), clients=clients, wrote=wrote)
        await self.gateway.call("app.option.set", {"options": {who.OPTION: self.provenance.to_option()}})
        self.screen.set_origin(self._origin(datetime.now(timezone.utc)))
        await asyncio.gather(self.save_view(), self.remember_refresh(self.screen.data))

    # --- a client's page ---------------------------------------------------------------

    async def open_client(self, row) -> None:
        """The client's whole history over the list, in a side panel (full screen on a phone).
        `row` is a list row (its values make the header at once) or a (entity, id) pair."""
        if isinstance(row, tuple):
            client, header, title = row, None, self.text["history.title"]
        else:
            client = (row.entity, row.id)
            title = display_name(row, self.text)
            header = ClientHeader(row.entity, row.id, row.name, row.client_type, row.lifecycle, row.frequency,
                                  row.last_payment, row.payments, row.responsible_id)
        sheet = Sheet(self.text, title, wide=True)
        page = ClientPage(self.context, self.gateway, self.people, self.screen.text, self.language,
                          open_path=lambda path, event: open_in_portal(self.context, path, event),
                          crm_url=lambda path: crm_url(self.context, path),
                          fit=self.screen.fit if self.screen is not None else None, header=header,
                          status=self.screen.published(client))
        sheet.open()
        await page.open(sheet.body, client)

    # --- the Planning mode ----------------------------------------------------------------

    async def planning_source(self):
        """The activities behind the bands and who this user may pick (their own rights): a
        computing page takes the activities from its aggregates, a reading page reads them."""
        data = self.screen.data
        ranks = app_settings.in_force(self.settings, self.ladder.settings)
        computed = self.kind != who.READ  # an admin's computation, or a user's own from what they see
        if self.crm is None and computed:
            await self._fold_store()  # a dashboard drawn from the cache: the CRM behind it, from the store
        folded = self.folded if computed and self.crm is not None else None
        read = await planning_io.read_planning(self.gateway, ranks, today=data.today, folded=folded, pause=self.breaks,
                                               names=self.people.load)
        tree = headed_tree(read.departments, read.user_id)
        team = members(await planning_io.read_members(self.gateway, tree), tree) if tree else {}
        await self.people.load(set(team))
        crm = self.crm if computed and self.crm is not None else planning.rows_crm(data.rows)
        return PlanningSource(crm, read, Scope(read.user_id, self.admin, frozenset(team)), ranks,
                              self.settings.thresholds, plan=lambda plan, kind: self.plan_touch(read, plan, kind))

    async def _fold_store(self) -> None:
        """The CRM and activities of the store, without classifying them again."""
        _, aggregates = await self.aggregates()
        if aggregates is not None:
            self.crm, self.folded = aggregates.crm(), aggregates.activities

    async def control_events(self, first, last) -> list:
        """The control table's activities of the period, for the employees of this user's scope."""
        source = self.screen.planning
        users = source.scope.users(source.scope.default())
        rows = await planning_io.read_control(self.gateway, first, last, source.read.today, source.read.tz, users)
        events = [control.event(raw, source.read.tz) for raw in rows]
        await self.people.load({uid for e in events for uid in (e.author_id, e.responsible_id) if uid})
        return events

    async def plan_touch(self, read, plan, kind: str):
        """The form for one row; the to-do it made (None when the form was closed unsaved)."""
        row = plan.row
        responsible = row.responsible_id or read.user_id
        name = display_name(row, self.text)
        sheet = Sheet(self.text, f'{self.text[f"plan.form.{kind}"]}: {name}')
        made = asyncio.get_running_loop().create_future()

        async def save(when, subject: str) -> None:
            activity = await planning_io.plan_touch(self.gateway, plan.ref, when, subject, responsible, read.tz)
            if not made.done():
                made.set_result(activity)
            sheet.close()

        def closed(*_) -> None:
            if not made.done():
                made.set_result(None)

        sheet.dialog.addEventListener("close", create_proxy(closed))
        form = PlanForm(sheet.body, self.text, self.language, kind=kind, client_name=name,
                        responsible_name=self.people.name(responsible) or f"#{responsible}", today=read.today,
                        capacity=self.settings.ranks.capacity, responsible_id=responsible, save=save, tz=read.tz,
                        load=lambda year, month: planning_io.read_month(self.gateway, responsible, year, month,
                                                                        read.tz))
        sheet.open()
        await form.start()
        return await made

    # --- cards, settings, help ---------------------------------------------------------

    def card_url(self, row) -> str:
        protocol = "https" if str(self.context.protocol) == "1" else "http"
        return f"{protocol}://{self.context.domain}/crm/{row.entity}/details/{row.id}/"

    def open_card(self, row, event) -> None:
        """BX24.openPath opens the card in a slider; the mobile app has no openPath,
        so there (or when it fails) the plain link does its job."""
        from . import bx24

        if self.context.plain_links:
            return
        event.preventDefault()
        path = f"/crm/{row.entity}/details/{row.id}/"

        async def open_it() -> None:
            answer = await bx24.open_path(path)
            if isinstance(answer, dict) and answer.get("result") == "error":
                self.context.plain_links = True
                js.window.open(self.card_url(row), "_blank", "noopener")

        asyncio.ensure_future(open_it())

    async def open_settings(self) -> None:
        from .ladder_settings import LadderSection
        from .settings_view import render_settings

        pipelines = await self._pipelines()
        sheet = Sheet(self.text, self.text["action.settings"])

        async def save(new) -> None:
            await self.gateway.call("app.option.set", {"options": {"settings": app_settings.to_option(new)}})
            self.settings = new
            self.engine = None  # thresholds, pipelines or ranks of another engine
            self.screen.forget_planning()  # the bands, and how far back they read, follow the new gaps
            sheet.close()
            meta, data = await self.opening(again=True)
            await self.show_opening(meta, data)
            if data is not None:
                await self.remember_dashboard(data)

        app_box, ladder_box = element("div", "settings-app"), element("div", "settings-ladder")
        ladder_on = render_settings(app_box, self.settings, pipelines, self.text, save, sheet.close_async,
                                    ladder_on=self.ladder.settings is not None and self.ladder.settings.enabled)
        actions = self.ladder.actions()

        async def enable():
            settings = await self.ladder.enable()
            ladder_on()  # from now on the kinds are the ladder's: its form edits them
            return settings

        actions.enable = enable
        section = LadderSection(self.text, self.language, actions)
        section.render(self.ladder.settings)
        ladder_box.append(section.node)
        sheet.body.replaceChildren(app_box, ladder_box)
        sheet.open()

    async def _pipelines(self) -> list[tuple[int, str]]:
        try:
            answer = await self.gateway.call("crm.category.list", {"entityTypeId": 2})
        except RestError:
            return [(0, "—")]
        items = answer.result.get("categories", []) if isinstance(answer.result, dict) else []
        return [(int(c.get("id", 0)), str(c.get("name") or "")) for c in items] or [(0, "—")]

    async def open_help(self) -> None:
        await open_help(self.screen.text, self.settings, self.ladder.running)

    # --- the cached view and failures -------------------------------------------------

    async def save_view(self) -> None:
        tree = js.b24cView.capture(by_id("app"))
        try:
            await self.store.save_view(tree, datetime.now(timezone.utc).isoformat(), self.language)
        except Exception as exc:  # a full disk must not break the live page
            js.console.warn(f"could not save the view: {exc}")

    def fail(self, exc: BaseException, *, keep_screen: bool = False) -> None:
        from .app import render_error

        message, detail = error_detail(exc)
        js.console.error(detail)
        text = self.text
        if isinstance(exc, RestError) and exc.access_denied:
            sentence = text["error.no_crm"]
        elif isinstance(exc, (RestError, GatewayGaveUp)):
            sentence = text["error.portal"]
        elif "IndexedDB" in str(exc):
            sentence = text["error.storage"]
        else:
            sentence = text["error.unexpected"]
        denied = isinstance(exc, RestError) and exc.access_denied
        if keep_screen and self.screen is not None and not denied:
            self.screen.alert(sentence, detail)  # the numbers stay; Refresh continues the run
            signal(__runError=message)
        else:
            render_error(text, sentence, detail)
            signal(__pyError=message)
