"""The page's controller: which data to show, when to refresh, what to say on failure.

In a portal the dashboard comes from the user's own progress store (what the
last run folded in), classified again for today; an unfinished run resumes at
once; Refresh runs an incremental pass; Clear and refresh starts over.
Standalone, the bundled demo snapshot is classified instead. Either way the
same `Screen` draws it.

Signals for tests and timing (milliseconds since navigation):
`window.__pyStartedAt`, `window.__pyReadyAt` (live dashboard painted),
`window.__runDone` (a refresh finished), `window.__pyPhases`, or
`window.__pyError` with a one-line message.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Set
from datetime import date, timezone

import js

from ..model import Ref
from ..ranks import Rank, RankSettings, client_ranks
from ..steps import with_pauses
from . import listing, view
from .view import Data
from .dom import by_id, element, js_object, next_task, now_ms, yield_to_browser
from .origin import DEMO, Origin
from .people import People
from .screen import Actions, Screen
from ..strings import pick_language, strings_for

DEMO_SNAPSHOT_URL = "./demo/snapshot.json"


class DataMissing(Exception):
    """The demo snapshot could not be fetched."""


# --------------------------------------------------------------------------
# building the screen's data


async def screen_data(rows, cards, today: date, origin: Origin, *, linked: Set[int],
                      own: Set[int] = frozenset(), problems=(), pause=next_task,
                      ranks: Mapping[Ref, Rank] | None = None, figures: view.RankFigures | None = None) -> Data:
    """From a classification to what the screen shows (list rows, counts, series, and the
    rows in the list's first order), every pass over all clients paused (steps.py).

    `linked`: companies with at least one linked contact; `own`: the seller's companies;
    `problems`: the rows the run skipped (problems.DataProblem); `ranks`: every client's
    rank; `figures`: the money behind them (`view.rank_figures`), None where it is not
    seen (a reading run).
    """
    list_rows = await with_pauses(listing.build_rows_steps(rows, cards, linked, ranks), pause)
    counts = await with_pauses(listing.counts_steps(list_rows), pause)
    months = await with_pauses(listing.created_per_month_steps(cards, own, today), pause)
    managers = await with_pauses(listing.managers_steps(list_rows, today), pause)
    return await ordered(Data(rows=list_rows, counts=counts, months=months, managers=managers, today=today,
                              origin=origin, ranks=figures, problems=[(p.kind, p.id, p.reason) for p in problems]),
                         pause)


async def ordered(data: Data, pause=next_task) -> Data:
    """The rows in the list's first order (by name), sorted with pauses before the screen
    needs them: the first draw then only filters."""
    data.ordered[view.FIRST_ORDER] = await with_pauses(listing.sort_rows_steps(data.rows, *view.FIRST_ORDER), pause)
    return data


def render_error(text: dict[str, str], sentence: str, detail: str) -> None:
    """A sentence saying what to do, with the technical detail behind a toggle."""
    box = element("div", "error", role="alert")
    box.append(element("p", "error__sentence", sentence))
    more = element("details", "error__more")
    more.append(element("summary", None, text["error.details"]))
    more.append(element("pre", "error__detail", detail))
    box.append(more)
    app = by_id("app")
    header = element("header", "header")
    header.append(element("h1", "header__title", text["title"]))
    app.replaceChildren(header, box)
    app.removeAttribute("inert")
    app.setAttribute("aria-busy", "false")


def error_detail(exc: BaseException) -> tuple[str, str]:
    message = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return message, f"{message}\n\n{traceback.format_exc()}"


def language_links(text: dict[str, str], current: str):
    """Standalone only (in a portal the language is the portal's): this page in each language."""
    nav = element("nav", "lang", aria_label=text["language"])
    for code in ("en", "ru"):
        other = strings_for(code)
        link = element("a", "lang__link", other["lang.short"], href=view.language_href(str(js.location.search), code),
                       title=other["lang.name"], lang=code)
        if code == current:
            link.setAttribute("aria-current", "true")
        nav.append(link)
    return nav


# --------------------------------------------------------------------------
# standalone: the demo


async def fetch_text(url: str) -> str:
    try:
        response = await js.fetch(url)
    except Exception as exc:  # a JsException: network error, blocked request
        raise DataMissing(f"fetch {url}: {exc}") from exc
    if not response.ok:
        raise DataMissing(f"fetch {url}: HTTP {response.status}")
    buffer = await response.arrayBuffer()
    return buffer.to_bytes().decode("utf-8")


def demo_sentence(exc: BaseException, text: dict[str, str]) -> str:
    if isinstance(exc, DataMissing):
        return text["error.data_missing"]
    if isinstance(exc, view.BadQuery):
        return text["error.bad_today"]
    if isinstance(exc, UnicodeDecodeError) or type(exc).__name__ == "SnapshotError":
        return text["error.data_invalid"]
    return text["error.unexpected"]


async def run_demo(params: dict[str, str], phases: dict[str, float]) -> None:
    from ..classify import classify
    from ..snapshot import parse_snapshot

    language = pick_language(params.get("lang"))
    text = strings_for(language)
    try:
        given_today = params.get("today")
        if given_today:  # a bad ?today= fails before the download, not after
            view.today_from_query(given_today, timezone.utc)
        t = now_ms()
        raw = await fetch_text(DEMO_SNAPSHOT_URL)
        phases["fetch"] = now_ms() - t
        await next_task()
        t = now_ms()
        snapshot = parse_snapshot(raw, source="demo/snapshot.json")
        phases["parse"] = now_ms() - t
        today = view.today_from_query(given_today, snapshot.utc_offset)
        await next_task()
        t = now_ms()
        crm = snapshot.crm
        rows = classify(crm, today)
        ranks = client_ranks(crm, today, RankSettings(), snapshot.rates)
        phases["classify"] = now_ms() - t
        data = await screen_data(rows, snapshot.cards, today, Origin(DEMO), linked=listing.linked_companies(crm),
                                 own=listing.own_companies(crm), ranks=ranks.ranks,
                                 figures=view.rank_figures(ranks, RankSettings(), snapshot.rates.base))
        people = People(users=snapshot.rows("users"), departments=snapshot.rows("departments"))
        actions = Actions(card_url=lambda row: "#", open_card=_demo_open, help=lambda: open_help(text))
        t = now_ms()
        screen = Screen(text, language, people, actions, language_links=language_links(text, language))
        screen.mount(by_id("app"))
        screen.show(data)
        phases["render"] = now_ms() - t
    except Exception as exc:
        message, detail = error_detail(exc)
        js.console.error(detail)
        render_error(text, demo_sentence(exc, text), detail)
        js.window.__pyError = message


async def open_help(text: dict[str, str], settings=None, ladder=None) -> None:
    from ..settings import DEFAULTS
    from .help_view import render_help
    from .sheet import Sheet

    sheet = Sheet(text, text["action.help"])
    render_help(sheet.body, text, settings or DEFAULTS, ladder)
    sheet.open()


def _demo_open(row, event) -> None:
    """Demo rows belong to no portal: there is no card to open."""
    event.preventDefault()


# --------------------------------------------------------------------------
# the page


async def start() -> None:
    """Entry point (www/main.py). Never raises: every failure ends on screen."""
    js.window.__pyStartedAt = now_ms()
    params = view.query_params(str(js.location.search))
    phases: dict[str, float] = {}
    from . import portal

    began = now_ms()
    try:
        context = await portal.connect()
    except Exception as exc:
        text = strings_for(pick_language(params.get("lang")))
        message, detail = error_detail(exc)
        sentence = text["error.no_crm"] if getattr(exc, "code", "") == "no_crm_access" else text["error.unexpected"]
        render_error(text, sentence, detail)
        js.window.__pyError = message
        return
    phases["connect"] = now_ms() - began
    if context.mode == "standalone":
        await run_demo(params, phases)
    elif context.placement in ("CRM_CONTACT_DETAIL_TAB", "CRM_COMPANY_DETAIL_TAB"):
        from .history_app import run_tab

        await run_tab(context, phases)
    else:
        began = now_ms()
        from .live import LiveApp

        phases["import"] = now_ms() - began
        await LiveApp(context).start(phases)
    if getattr(js.window, "__pyError", None) is None:
        await yield_to_browser()  # "ready" means painted, not just in the DOM
        js.window.__pyPhases = js_object(phases)
        js.window.__pyReadyAt = now_ms()
