"""A modal sheet over the dashboard (settings, help): closes on Escape or its button."""

from __future__ import annotations

import js
from pyodide.ffi import create_proxy

from .dom import element


class Sheet:
    """A modal dialog (settings, help) that closes on Escape, its button or a save."""

    def __init__(self, text: dict[str, str], title: str):
        self.dialog = element("dialog", "sheet", aria_label=title)
        head = element("div", "sheet__head")
        head.append(element("h2", "sheet__title", title))
        close = element("button", "button button--quiet", text["action.close"], type="button")
        close.addEventListener("click", create_proxy(self.close))
        head.append(close)
        self.body = element("div", "sheet__body")
        self.dialog.append(head, self.body)
        self.dialog.addEventListener("close", create_proxy(lambda *_: self.dialog.remove()))
        js.document.body.append(self.dialog)

    def open(self) -> None:
        self.dialog.showModal()

    def close(self, *_) -> None:
        if self.dialog.open:
            self.dialog.close()

    async def close_async(self) -> None:
        self.close()
