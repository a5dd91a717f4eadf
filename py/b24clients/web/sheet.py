"""Side panels and the confirm dialog: the app's own, in the portal's manner.

Settings and help open as a panel from the right edge, the way Bitrix24 opens
its own sliders; it closes on Escape, its button or a save.  The confirm
dialog replaces the browser's `confirm()`, which a portal frame may not
show and which looks like neither Bitrix24 nor this app.  In a frame taller
than the screen, the portal's page is scrolled to the top first, where both
open.
"""

from __future__ import annotations

import asyncio

import js
from pyodide.ffi import create_proxy

from .dom import element


def _to_top() -> None:
    """A dialog opens at the top of our frame: bring the portal's page there."""
    if getattr(js.window, "BX24", None) is not None:
        from . import bx24

        bx24.scroll_portal_to(0)


class Sheet:
    """A side panel (settings, help) that closes on Escape, its button or a save."""

    def __init__(self, text: dict[str, str], title: str, *, wide: bool = False):
        self.dialog = element("dialog", "sheet" + (" sheet--wide" if wide else ""), aria_label=title)
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
        _to_top()
        self.dialog.showModal()

    def close(self, *_) -> None:
        if self.dialog.open:
            self.dialog.close()

    async def close_async(self) -> None:
        self.close()


async def confirm(text: dict[str, str], question: str, yes: str) -> bool:
    """Ask before something that cannot be undone; True when the user agrees."""
    dialog = element("dialog", "confirm", role="alertdialog", aria_label=question)
    dialog.append(element("p", "confirm__text", question))
    actions = element("form", "confirm__actions", method="dialog")
    actions.append(element("button", "button button--quiet", text["action.cancel"], value="no"),
                   element("button", "button button--danger", yes, value="yes", data_confirm="yes"))
    dialog.append(actions)
    js.document.body.append(dialog)
    answer = asyncio.get_running_loop().create_future()
    closed = create_proxy(lambda *_: answer.done() or answer.set_result(dialog.returnValue == "yes"))
    dialog.addEventListener("close", closed)
    _to_top()
    dialog.showModal()
    try:
        return await answer
    finally:
        closed.destroy()
        dialog.remove()
