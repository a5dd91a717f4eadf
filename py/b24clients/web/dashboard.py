"""The dashboard page in the browser: load the demo snapshot, classify, render.

Only this module (and anything else in b24clients.web that needs it) touches
`js`; what to show is decided in `view.py`, the words are in `strings.py`.
CRM-derived text goes into the page through `textContent` only, never as
HTML.

Signals for tests and timing: `window.__pyStartedAt` when our Python begins,
`window.__pyReadyAt` when the counts are on screen (both `performance.now()`,
i.e. milliseconds since navigation), `window.__pyPhases` with our own steps,
or `window.__pyError` with a one-line message if anything failed.
"""

from __future__ import annotations

import traceback
from datetime import date, timezone

import js
from pyodide.ffi import to_js

from . import view
from .strings import pick_language, strings_for

DEMO_SNAPSHOT_URL = "./demo/snapshot.json"


class DataMissing(Exception):
    """The demo snapshot could not be fetched."""


# --------------------------------------------------------------------------
# DOM helpers


def element(tag: str, cls: str | None = None, text: str | None = None, **attrs: str):
    """A new element; `text` is set as textContent, so it is never parsed as HTML.
    Attribute names use `_` for `-` (data_count → data-count)."""
    node = js.document.createElement(tag)
    if cls:
        node.className = cls
    if text is not None:
        node.textContent = text
    for name, value in attrs.items():
        node.setAttribute(name.replace("_", "-"), str(value))
    return node


def set_status(text: str) -> None:
    """Update the progress line under the skeleton (if it is still there)."""
    node = js.document.getElementById("status-text")
    if node is not None:
        node.textContent = text


async def yield_to_browser() -> None:
    """Let the browser paint the new status before a long synchronous step.

    Waits for the next animation frame, or 50 ms if frames are paused (a
    hidden tab), then one more task so the frame has actually been drawn.
    """
    def next_frame(resolve, reject):
        js.requestAnimationFrame(resolve)
        js.setTimeout(resolve, 50)

    await js.Promise.new(next_frame)
    await js.Promise.new(lambda resolve, reject: js.setTimeout(resolve, 0))


def now_ms() -> float:
    return js.performance.now()


def local_date(day: date, language: str) -> str:
    """A date as people read it in that language ("23 November 2026")."""
    options = to_js({"day": "numeric", "month": "long", "year": "numeric"},
                    dict_converter=js.Object.fromEntries)
    text = js.Date.new(day.year, day.month - 1, day.day).toLocaleDateString(language, options)
    return text.replace(" ", "\u00a0")  # never wrap inside a date ("2026 / г.")


# --------------------------------------------------------------------------
# rendering


def render_header(text: dict[str, str], language: str, today: date | None, total: int | None):
    """Title, data date, the total (data-count="clients") and the language switch."""
    header = element("header", "header")
    left = element("div", "header__text")
    left.append(element("h1", "header__title", text["title"]))
    if today is not None:
        meta = f'{text["meta.demo"]} · {text["meta.as_of"].format(date=local_date(today, language))}'
        left.append(element("p", "header__meta", meta))
    header.append(left)
    if total is not None:
        box = element("div", "header__total")
        box.append(element("span", "header__total-number", str(total), data_count="clients"))
        box.append(element("span", "header__total-label", text["total.label"]))
        header.append(box)
    header.append(render_languages(text, language))
    return header


def render_languages(text: dict[str, str], current: str):
    """Links to this page in each language, keeping ?today= and other parameters."""
    nav = element("nav", "lang", aria_label=text["language"])
    for code in ("en", "ru"):
        other = strings_for(code)
        link = element("a", "lang__link", other["lang.short"],
                       href=view.language_href(str(js.location.search), code),
                       title=other["lang.name"], lang=code)
        if code == current:
            link.setAttribute("aria-current", "true")
        nav.append(link)
    return nav


def render_counter(counter: view.Counter, text: dict[str, str]):
    """One counter row: label, number (data-count), share of all clients, bar."""
    key_class = counter.key.replace(".", "-").replace("_", "-")
    zero = " counter--zero" if counter.value == 0 else ""
    item = element("li", f"counter counter--{key_class}{zero}",
                   title=text["share.title"].format(share=f"{counter.share}%"))
    item.append(element("span", "counter__label", counter.label))
    item.append(element("span", "counter__value", str(counter.value), data_count=counter.key))
    item.append(element("span", "counter__share", f"{counter.share}%"))
    bar = element("span", "counter__bar", aria_hidden="true")
    fill = element("span", "counter__fill")
    fill.style.setProperty("--share", f"{100 * counter.fraction:.2f}%")
    bar.append(fill)
    item.append(bar)
    return item


def render_section(section: view.Section, text: dict[str, str]):
    card = element("section", f"card card--{section.key.replace('_', '-')}",
                   aria_labelledby=f"card-{section.key}")
    card.append(element("h2", "card__title", section.title, id=f"card-{section.key}"))
    rows = element("ul", "counters")
    for counter in section.counters:
        rows.append(render_counter(counter, text))
    card.append(rows)
    return card


def render_dashboard(result: dict, text: dict[str, str], language: str) -> None:
    """Replace the skeleton with the counts, in one DOM change (no flash)."""
    counts = result["counts"]
    today = date.fromisoformat(result["today"])
    cards = element("div", "cards")
    for section in view.sections(counts, text):
        cards.append(render_section(section, text))
    js.document.title = text["title"]
    app = js.document.getElementById("app")
    app.replaceChildren(render_header(text, language, today, counts["clients"]), cards)
    app.setAttribute("aria-busy", "false")


def render_error(text: dict[str, str], language: str, sentence: str, detail: str) -> None:
    """A sentence saying what to do, with the technical detail behind a toggle."""
    box = element("div", "error", role="alert")
    box.append(element("p", "error__sentence", sentence))
    more = element("details", "error__more")
    more.append(element("summary", None, text["error.details"]))
    more.append(element("pre", "error__detail", detail))
    box.append(more)
    app = js.document.getElementById("app")
    app.replaceChildren(render_header(text, language, None, None), box)
    app.setAttribute("aria-busy", "false")


# --------------------------------------------------------------------------
# the page


async def fetch_text(url: str) -> str:
    """The body of a file of our bundle, or DataMissing saying why not."""
    try:
        response = await js.fetch(url)
    except Exception as exc:  # a JsException: network error, blocked request
        raise DataMissing(f"fetch {url}: {exc}") from exc
    if not response.ok:
        raise DataMissing(f"fetch {url}: HTTP {response.status}")
    # Bytes, decoded in Python: about twice as fast for a 12 MB snapshot as
    # response.text() plus the JS-string → Python-str conversion.
    buffer = await response.arrayBuffer()
    return buffer.to_bytes().decode("utf-8")


def error_sentence(exc: BaseException, text: dict[str, str]) -> str:
    """Which sentence the user sees for a failure."""
    if isinstance(exc, DataMissing):
        return text["error.data_missing"]
    if isinstance(exc, view.BadQuery):
        return text["error.bad_today"]
    if isinstance(exc, UnicodeDecodeError) or type(exc).__name__ == "SnapshotError":
        # SnapshotError is matched by name: importing the engine may itself fail
        return text["error.data_invalid"]
    return text["error.unexpected"]


async def load_and_classify(params: dict[str, str], text: dict[str, str], phases: dict[str, float]) -> dict:
    """Fetch the demo snapshot, parse it, pick today, classify. Pure engine calls."""
    # Imported here, not at the top, so that a broken engine still gets the
    # error UI rather than a PyScript traceback banner.
    from b24clients.classify import classify_snapshot
    from b24clients.snapshot import parse_snapshot

    given_today = params.get("today")
    if given_today:  # a bad ?today= fails before the download, not after
        view.today_from_query(given_today, timezone.utc)

    set_status(text["status.loading"])
    t = now_ms()
    raw = await fetch_text(DEMO_SNAPSHOT_URL)
    phases["fetch"] = now_ms() - t

    set_status(text["status.classifying"])
    await yield_to_browser()
    t = now_ms()
    snapshot = parse_snapshot(raw, source="demo/snapshot.json")
    phases["parse"] = now_ms() - t
    today = view.today_from_query(given_today, snapshot.utc_offset)
    t = now_ms()
    result = classify_snapshot(snapshot, today)
    phases["classify"] = now_ms() - t
    return result


async def start() -> None:
    """Entry point (www/main.py). Never raises: every failure ends on screen."""
    js.window.__pyStartedAt = now_ms()
    params = view.query_params(str(js.location.search))
    language = pick_language(params.get("lang"))
    text = strings_for(language)
    phases: dict[str, float] = {}
    try:
        result = await load_and_classify(params, text, phases)
        t = now_ms()
        render_dashboard(result, text, language)
        phases["render"] = now_ms() - t
        await yield_to_browser()  # "ready" means painted, not just in the DOM
        js.window.__pyPhases = to_js(phases, dict_converter=js.Object.fromEntries)
        js.window.__pyReadyAt = now_ms()
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        # The one-line message first: the box scrolls, the traceback is long.
        detail = f"{message}\n\n{traceback.format_exc()}"
        js.console.error(detail)
        render_error(text, language, error_sentence(exc, text), detail)
        js.window.__pyError = message
