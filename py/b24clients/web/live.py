"""The app inside a portal: the user's own store, refreshes, settings, cards.

One run at a time. The dashboard is drawn from the store before any request
(the last run's aggregates, classified again for today), then an unfinished
run resumes at once. During a run the screen shows progress; when the
engine has classified, the dashboard is replaced with the new numbers (before
the write-back, which has its own progress line).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import js

from .. import settings as app_settings
from ..classify import classify_with_pauses
from ..rest.errors import GatewayGaveUp, RestError
from ..sync.aggregates import Aggregates
from .app import error_detail, open_help, screen_data
from .dom import Breaks, by_id, next_task, signal
from .people import People
from .screen import Actions, Screen
from .sheet import Sheet
from .strings import pick_language, strings_for

CLIENTS_TOTAL_OPTION = "clients_total"
"""app.option an admin's run leaves behind: how many clients the whole portal has."""


class LiveApp:
    def __init__(self, context):
        from . import portal

        self.context = context
        self.language = pick_language(context.lang)
        self.text = strings_for(self.language)
        self.breaks = Breaks()
        """Yields to the browser inside long Python work (parsing, folding, classifying)."""
        self.gateway = portal.make_gateway()
        self.store = portal.make_store(context, pause=self.breaks)
        self.settings = app_settings.from_option((context.app_options or {}).get("settings"))
        self.people = People(call=self._call)
        self.running: asyncio.Task | None = None
        self.screen: Screen | None = None

    async def _call(self, method: str, params: dict):
        return (await self.gateway.call(method, params)).result

    # --- start ------------------------------------------------------------------

    async def start(self, phases: dict[str, float]) -> None:
        admin = bool(self.context.is_admin)
        actions = Actions(refresh=self.refresh, clear=self.clear if admin else None,
                          settings=self.open_settings if admin else None, help=self.open_help,
                          open_card=self.open_card, card_url=self.card_url)
        self.screen = Screen(self.text, self.language, self.people, actions)
        meta = None
        try:
            meta, data = await self.saved()
        except Exception as exc:
            self.fail(exc)
            return
        self.screen.mount(by_id("app"))
        if data is not None:
            self.screen.show(data)
            await self.save_view()
        if meta is None or meta.get("phase") != "done":
            self.screen.progress(None)
            self.run()

    async def saved(self):
        """The store's meta and the dashboard it gives today (None before any month)."""
        meta, chunks = await self.store.load()
        if meta is None or not chunks:
            return meta, None
        aggregates = Aggregates()
        for chunk in chunks:
            aggregates.replay(chunk)
            await self.breaks()
        stamp = meta.get("last_run") or meta.get("run_started")
        moment = datetime.fromisoformat(stamp) if stamp else datetime.now(timezone.utc)
        today = datetime.now(moment.tzinfo or timezone.utc).date()
        crm = aggregates.crm()
        await next_task()
        rows = await classify_with_pauses(crm, today, self.settings.thresholds, self.settings.pipelines,
                                          pause=self.breaks)
        refreshed = datetime.fromisoformat(meta["last_run"]) if meta.get("last_run") else None
        await self.people.load({card.responsible_id for card in aggregates.cards.values() if card.responsible_id})
        data = await screen_data(rows, aggregates.cards, crm, today, refreshed_at=refreshed,
                                 restricted=await self.restricted(rows))
        return meta, data

    # --- refreshing ------------------------------------------------------------------

    def run(self) -> None:
        if self.running is not None and not self.running.done():
            return
        self.running = asyncio.ensure_future(self._run())

    async def refresh(self) -> None:
        self.run()

    async def clear(self) -> None:
        if self.running is not None and not self.running.done():
            return
        if not js.window.confirm(self.text["confirm.clear"]):
            return
        await self.store.clear()
        self.run()

    async def _run(self) -> None:
        from . import portal

        screen = self.screen
        screen.busy(True)
        screen.progress(None)
        try:
            engine = portal.make_engine(self.context, self.gateway, self.store, self.settings,
                                        on_progress=screen.progress, on_classified=self._classified,
                                        pause=self.breaks)
            result = await engine.run()
            if result.write.get("written"):
                screen.written(result.write["written"])
            if self.context.is_admin:
                await self._remember_total(result.counts["clients"])
            signal(__runDone=js.performance.now())
        except Exception as exc:
            self.fail(exc, keep_screen=True)
        finally:
            screen.busy(False)
            screen.progress(None)

    async def _classified(self, engine, rows) -> None:
        """The engine has classified: show the new numbers before the write-back starts."""
        aggregates = engine.aggregates
        await self.people.load({c.responsible_id for c in aggregates.cards.values() if c.responsible_id})
        crm = aggregates.crm()
        today = engine.today or datetime.now(engine.tz or timezone.utc).date()
        data = await screen_data(rows, aggregates.cards, crm, today, refreshed_at=datetime.now(timezone.utc),
                                 restricted=await self.restricted(rows))
        self.screen.show(data)
        await self.save_view()

    # --- permissions ----------------------------------------------------------------

    async def restricted(self, rows) -> bool:
        """Does this user see fewer clients than the portal has? Admins' runs leave the
        portal's total in app.option; without it, a user who sees nobody else's
        contacts counts as restricted (bitrix24-rest.md §10, heuristics)."""
        if self.context.is_admin:
            return False
        mine = sum(1 for row in rows if row.is_client)
        total = (self.context.app_options or {}).get(CLIENTS_TOTAL_OPTION)
        try:
            if total is not None:
                return mine < int(total)
        except (TypeError, ValueError):
            pass
        try:
            others = await self.gateway.call("crm.item.list", {
                "entityTypeId": 3, "select": ["id"], "start": -1,
                "filter": {"!assignedById": self.context.user_id}})
        except RestError:
            return True
        return not others.result.get("items") if isinstance(others.result, dict) else not others.result

    async def _remember_total(self, clients: int) -> None:
        try:
            await self.gateway.call("app.option.set", {"options": {CLIENTS_TOTAL_OPTION: clients}})
        except RestError:
            pass  # only a hint for restricted users' notice

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
        from .settings_view import render_settings

        pipelines = await self._pipelines()
        sheet = Sheet(self.text, self.text["action.settings"])

        async def save(new) -> None:
            await self.gateway.call("app.option.set", {"options": {"settings": app_settings.to_option(new)}})
            self.settings = new
            sheet.close()
            _meta, data = await self.saved()
            if data is not None:
                self.screen.show(data)

        render_settings(sheet.body, self.settings, pipelines, self.text, save, sheet.close_async)
        sheet.open()

    async def _pipelines(self) -> list[tuple[int, str]]:
        try:
            answer = await self.gateway.call("crm.category.list", {"entityTypeId": 2})
        except RestError:
            return [(0, "—")]
        items = answer.result.get("categories", []) if isinstance(answer.result, dict) else []
        return [(int(c.get("id", 0)), str(c.get("name") or "")) for c in items] or [(0, "—")]

    async def open_help(self) -> None:
        await open_help(self.text, self.settings)

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
