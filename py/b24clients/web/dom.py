"""The few DOM helpers every screen uses (only b24clients.web touches `js`).

CRM-derived text goes into the page through `textContent` only, never as
HTML: `element(..., text=...)` is the one way words enter the DOM.
"""

from __future__ import annotations

from datetime import date, datetime

import js
from pyodide.ffi import create_once_callable, create_proxy, to_js

SVG_NS = "http://www.w3.org/2000/svg"


def element(tag: str, cls: str | None = None, text: str | None = None, **attrs: object):
    """A new element; `text` is set as textContent, so it is never parsed as HTML.
    Attribute names use `_` for `-` (data_count → data-count); None skips one."""
    node = js.document.createElement(tag)
    if cls:
        node.className = cls
    if text is not None:
        node.textContent = text
    for name, value in attrs.items():
        if value is not None:
            node.setAttribute(name.replace("_", "-"), str(value))
    return node


def svg(tag: str, attrs: dict[str, str], text: str | None = None):
    node = js.document.createElementNS(SVG_NS, tag)
    for name, value in attrs.items():
        node.setAttribute(name, value)
    if text is not None:
        node.textContent = text
    return node


def icon(name: str):
    """A Bitrix24 icon from the vendored sprite (vendor/b24ui/icons.svg, built by build.py)."""
    node = svg("svg", {"class": "icon", "aria-hidden": "true", "focusable": "false"})
    node.append(svg("use", {"href": f"./vendor/b24ui/icons.svg#{name}"}))
    return node


def signal(**values: object) -> None:
    """Set `window.__name = value` for tests and timing. Through setattr because
    inside a class body Python would mangle `js.window.__name` into `_Class__name`."""
    for name, value in values.items():
        setattr(js.window, name, value)


def wasm_bytes() -> int:
    """The size of Pyodide's WebAssembly memory (what Python holds, and never gives back)."""
    try:
        import pyodide_js

        return int(pyodide_js._module.HEAP8.length)
    except Exception:  # not exposed in this runtime: the figure is left out
        return 0


def by_id(name: str):
    return js.document.getElementById(name)


async def yield_to_browser() -> None:
    """Let the browser paint and handle input before the next slice of work.

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


def js_object(value: dict):
    return to_js(value, dict_converter=js.Object.fromEntries)


def local_date(day: date, language: str) -> str:
    """A date as people read it in that language ("23 November 2026")."""
    options = js_object({"day": "numeric", "month": "long", "year": "numeric"})
    text = js.Date.new(day.year, day.month - 1, day.day).toLocaleDateString(language, options)
    return text.replace(" ", "\u00a0")  # never wrap inside a date ("2026 / г.")


def short_date(day: date, language: str) -> str:
    """A date for a table cell: "Apr 29, 2025" / "29.04.2025" (Russian short
    month names with "г." would not fit the column)."""
    if language == "ru":
        options = js_object({"day": "2-digit", "month": "2-digit", "year": "numeric"})
    else:
        options = js_object({"day": "numeric", "month": "short", "year": "numeric"})
    return js.Date.new(day.year, day.month - 1, day.day).toLocaleDateString(language, options)


def local_moment(moment: datetime, language: str) -> str:
    """A date and time in the browser's zone ("23 Nov 2026, 14:05")."""
    options = js_object({"day": "numeric", "month": "short", "year": "numeric",
                         "hour": "2-digit", "minute": "2-digit"})
    return js.Date.new(moment.timestamp() * 1000).toLocaleString(language, options)


def local_month(month: str, language: str) -> str:
    """"2022-08" as "August 2022" in that language."""
    year, number = (int(part) for part in month.split("-"))
    options = js_object({"month": "long", "year": "numeric"})
    return js.Date.new(year, number - 1, 1).toLocaleDateString(language, options)


def short_month(day, language: str) -> str:
    """A month's short name in that language ("Nov", "нояб.")."""
    options = js_object({"month": "short"})
    return js.Date.new(day.year, day.month - 1, 1).toLocaleDateString(language, options)


def local_number(value: int, language: str) -> str:
    return js.Number.new(value).toLocaleString(language)


def page_height() -> int:
    """How tall the page is: #app's bottom, or an open dialog's if that reaches lower."""
    app = js.document.getElementById("app")
    height = int(app.getBoundingClientRect().bottom + js.window.scrollY) if app else 0
    for node in js.document.querySelectorAll("dialog[open]"):
        height = max(height, int(node.scrollHeight))
    return height + 16


class FitLater:
    """Once the current change is drawn, tell `ask(height)` how tall the page is (once per
    frame, however many changes asked)."""

    def __init__(self, ask):
        self.ask = ask
        self.due = False
        self._observer = None

    def __call__(self) -> None:
        if self.due:
            return
        self.due = True

        def measure(*_) -> None:
            self.due = False
            self.ask(page_height())

        js.requestAnimationFrame(create_once_callable(measure))

    def watch(self, node) -> None:
        """Ask again whenever `node` changes size, whatever changed it (a group folded open,
        rows filled in a later task, a detail shown), so no drawing code can forget to."""
        self._observer = js.ResizeObserver.new(create_proxy(lambda *_: self()))
        self._observer.observe(node)


async def next_task() -> None:
    """End this task: the browser handles input (and paints, if a frame is due)
    before Python goes on. Cheaper than waiting for a frame."""
    await js.Promise.new(lambda resolve, reject: js.setTimeout(resolve, 0))


class Breaks:
    """A pause for long Python work that ends the current task once it has run
    for `slice_ms`: tasks stay short (the issue's 200 ms), and fast steps do
    not each pay for a break."""

    def __init__(self, slice_ms: float = 50.0):
        self.slice_ms = slice_ms
        self.started = now_ms()

    async def __call__(self) -> None:
        if now_ms() - self.started >= self.slice_ms:
            await next_task()
            self.started = now_ms()
