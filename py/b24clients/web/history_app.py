"""A client's history page, wherever it opens (spec/history.md "Where it opens"):
the contact or company card tab (`CRM_CONTACT_DETAIL_TAB`, `CRM_COMPANY_DETAIL_TAB`,
the client in `PLACEMENT_OPTIONS.ID`), a side panel over the client list, or a
deep link (`PLACEMENT_OPTIONS` naming `entity` and `id`).

It never waits for, nor starts, the portal-wide sync: a history is a handful of
its own requests.  The last read of each client is kept per user in IndexedDB
and painted before any request (with the header and the people's names it
showed), then the fresh read replaces it.

Signals for tests and timing (ms since navigation): `window.__historyCachedAt`
(the saved history painted), `window.__historyAt` (the fresh one, read at the
portal's moment `window.__historyReadAt`), or `window.__historyError`.
"""

from __future__ import annotations

from datetime import date

import js

from ..model import COMPANY, CONTACT, Ref
from ..rest.errors import RestError
from ..sync.history_cache import open_history
from ..sync.reading import read_one
from . import ladder_view
from .dom import FitLater, by_id, element, now_ms, signal
from .history_view import ClientHeader, HistoryView
from .idbstore import IndexedDbHistoryCache
from .people import People

TABS = {"CRM_CONTACT_DETAIL_TAB": CONTACT, "CRM_COMPANY_DETAIL_TAB": COMPANY}


def client_of(placement: str, options: dict) -> Ref | None:
    """The client a placement or a deep link names: a card tab's `ID`, or
    `{"entity": "company", "id": 42}` from BX24.openApplication.  Values come as strings."""
    entity = TABS.get(placement) or str(options.get("entity") or "").lower()
    raw = options.get("ID") if placement in TABS else options.get("id")
    try:
        record_id = int(str(raw))
    except (TypeError, ValueError):
        return None
    return (entity, record_id) if entity in (CONTACT, COMPANY) and record_id > 0 else None


class ClientPage:
    """One client's history in `box`, for this user: cached first, then fresh."""

    def __init__(self, context, gateway, people: People, text: dict[str, str], language: str, *,
                 open_path, crm_url, fit=None, header: ClientHeader | None = None, status=None,
                 ladder: bool = False):
        self.context, self.gateway, self.people = context, gateway, people
        self.text, self.language = text, language
        self.header = header
        self.status = status
        """The client's published ladder row (`sync.ladder.status.Published`) while the ladder is on."""
        self.ladder = ladder
        """Look the row up in the publication (the card tab, which has no dashboard to ask)."""
        self.cache = IndexedDbHistoryCache(context.ns)
        self.view = HistoryView(text, language, names=people.name, open_item=open_path, crm_url=crm_url,
                                fit=fit, restricted=not context.is_admin, on_toggle=self._toggled)
        self.client: Ref | None = None
        self.include_companies = False

    async def open(self, box, client: Ref) -> None:
        self.client = client
        self.view.mount(box)
        extras = await self.cache.extras(client)
        if extras.get("names"):
            self.people.remember(extras["names"])
        if self.header is not None:
            self.view.show_client(self.header)
        elif extras.get("header"):
            self.view.show_client(_header(extras["header"]))
        if self.status is not None:
            self.view.show_status(self.status)
        await self._read()
        if self.header is None:
            await self._fresh_header()
        if self.ladder and self.status is None:
            await self._published_status()
        await self.cache.keep_extras(client, {"header": _plain(self.header), "names": self._names()})

    async def _read(self) -> None:
        try:
            async for shown in open_history(self.gateway, self.cache, self.client,
                                            include_companies=self.include_companies):
                if shown.fresh:
                    await self.people.load({uid for item in shown.history.items
                                            for uid in (item.author_id, item.responsible_id) if uid})
                self.view.show(shown.history, shown.as_of, shown.fresh)
                signal(**{"__historyAt" if shown.fresh else "__historyCachedAt": now_ms()})
                if shown.fresh:
                    signal(__historyReadAt=shown.as_of.isoformat())
        except RestError as exc:
            signal(__historyError=f"{exc.code}: {exc}")
            self.view.failed(self.text["error.no_crm"] if exc.access_denied else self.text["history.refresh_failed"])

    async def _fresh_header(self) -> None:
        try:
            values, card = await read_one(self.gateway, self.client)
        except RestError:
            return
        if card is None:
            return
        await self.people.load([card.responsible_id] if card.responsible_id else [])
        entity, record_id = self.client
        self.header = ClientHeader(entity, record_id, card.name, responsible_id=card.responsible_id,
                                   **({} if values is None else {
                                       "client_type": values.client_type, "lifecycle": values.lifecycle,
                                       "frequency": _frequency(values.payments), "last_payment": values.last_payment,
                                       "payments": values.payments}))
        self.view.show_client(self.header)

    async def _published_status(self) -> None:
        """The client's row among its responsible's published statuses (the publication is
        grouped by responsible; a client handed over since the last portal pass is not found)."""
        from ..sync.ladder.status import load_publication

        if self.header is not None and self.header.responsible_id:
            try:
                publication = await load_publication(self.gateway, manager=self.header.responsible_id)
            except RestError:
                publication = None
            self.status = publication.rows.get(self.client) if publication is not None else None
            if self.status is not None:
                self.view.show_status(self.status)
        signal(__ladderAt=now_ms())

    async def _toggled(self, include: bool) -> None:
        self.include_companies = include
        await self._read()

    def _names(self) -> dict[str, str]:
        return {str(uid): name for uid, name in self.people.names().items() if name}


async def run_tab(context, phases: dict) -> None:
    """The card tab's page: the history of the card's client, alone in the frame."""
    from . import bx24, portal
    from ..strings import pick_language, strings_for

    language = pick_language(context.lang)
    ladder = ladder_view.running_ladder(context.app_options)
    text = strings_for(language)
    if ladder is not None:
        text = {**text, **ladder_view.labels(ladder, text)}
    client = client_of(context.placement, context.placement_options)
    app = by_id("app")
    if client is None:
        from .app import render_error

        render_error(text, text["error.unexpected"], f"no client in {context.placement} {context.placement_options}")
        signal(__pyError="no client in the placement options")
        return
    gateway = portal.make_gateway(context=context)

    async def call(method: str, params: dict):
        return (await gateway.call(method, params)).result

    box = element("main", "history history--tab")
    app.replaceChildren(box)
    app.removeAttribute("inert")
    app.setAttribute("aria-busy", "false")
    app.classList.add("app--live")

    fit = FitLater(bx24.fit_frame) if not context.plain_links else None
    if fit is not None:
        fit.watch(app)
    page = ClientPage(context, gateway, People(call=call), text, language,
                      open_path=lambda path, event: open_in_portal(context, path, event),
                      crm_url=lambda path: crm_url(context, path), fit=fit, ladder=ladder is not None)
    await page.open(box, client)


def crm_url(context, path: str) -> str:
    protocol = "https" if str(context.protocol) == "1" else "http"
    return f"{protocol}://{context.domain}{path}"


def open_in_portal(context, path: str, event) -> None:
    """BX24.openPath opens the item in the portal's slider; where it cannot (the mobile
    app), the plain link does its job."""
    import asyncio

    from . import bx24

    if context.plain_links:
        return
    event.preventDefault()

    async def open_it() -> None:
        answer = await bx24.open_path(path)
        if isinstance(answer, dict) and answer.get("result") == "error":
            context.plain_links = True
            js.window.open(crm_url(context, path), "_blank", "noopener")

    asyncio.ensure_future(open_it())


def _frequency(payments: int) -> str:
    from ..lifecycle import frequency

    return frequency(payments)


def _plain(header: ClientHeader | None) -> dict | None:
    if header is None:
        return None
    data = dict(header.__dict__)
    data["last_payment"] = header.last_payment.isoformat() if header.last_payment else None
    return data


def _header(data: dict) -> ClientHeader:
    data = dict(data)
    data["last_payment"] = date.fromisoformat(data["last_payment"]) if data.get("last_payment") else None
    return ClientHeader(**data)
