"""What the e2e tests and the timing script share: where the bundle is, how to
serve it on loopback, how Debian's Chromium is launched, and the request guard
that proves nothing leaves 127.0.0.1.

Not a test module (pytest collects only test_*.py); conftest.py and
measure_first_paint.py import it from this directory.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # build.py lives at the repository root
    sys.path.insert(0, str(ROOT))

from build import BundleHandler  # noqa: E402
DIST = ROOT / "dist"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
BUILD_HINT = "run `python build.py build` first (or `python build.py test`, which builds)"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

READY_TIMEOUT_MS = 120_000
"""Pyodide boots in about 5 s on the 2-core CI machine; this only bounds a hang."""

LOCAL_URL = re.compile(r"^(https?://127\.0\.0\.1[:/]|data:|blob:)")



def cannot_run(message: str):
    """Skip on a developer's machine; fail in CI, where a skip would hide a broken build."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def missing_bundle() -> str | None:
    """Why dist/ cannot be tested, or None when it looks built."""
    for name in ("index.html", "main.py", "pyscript.toml", "vendor/pyodide/pyodide.mjs",
                 "vendor/pyscript/core.js", "py/b24clients.zip", "demo/snapshot.json"):
        if not (DIST / name).is_file():
            return f"the bundle is not built: dist/{name} is missing; {BUILD_HINT}"
    return None


class _QuietHandler(BundleHandler):
    """The demo server's handler (same MIME types), without its request log."""

    def log_message(self, format, *args):  # noqa: A002
        pass


@contextmanager
def serve_dist():
    """dist/ on 127.0.0.1 at a free port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class RequestGuard:
    """Aborts and records every request that is not to loopback, data: or blob:.

    Installed on a browser context, so it also sees worker and module fetches.
    Note that any context.route() disables the HTTP cache for that context.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.blocked: list[str] = []

    def handle(self, route) -> None:
        url = route.request.url
        self.seen.append(url)
        if LOCAL_URL.match(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def install(self, context) -> "RequestGuard":
        context.route("**/*", self.handle)
        return self

    def problem(self) -> str | None:
        if self.blocked:
            return f"{len(self.blocked)} request(s) tried to leave 127.0.0.1: {self.blocked}"
        return None


READY_OR_ERROR = "() => window.__pyReadyAt !== undefined || window.__pyError !== undefined"


@dataclass
class OpenedPage:
    page: object
    guard: RequestGuard
    console: list[str] = field(default_factory=list)

    def diagnostics(self) -> str:
        return "\n".join(self.console[-30:]) or "(no console output)"


def open_guarded(browser, url: str, *, width: int = 1280, height: int = 800, phone: bool = False,
                 wait_until: str = "load") -> tuple[object, OpenedPage]:
    """`url` in a new context with the request guard: desktop by default, or a phone
    (is_mobile, touch) with `phone=True`.  Returns the context (to close) and the page."""
    options = {"viewport": {"width": width, "height": height}}
    if phone:
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    context = browser.new_context(**options)
    guard = RequestGuard().install(context)
    page = context.new_page()
    result = OpenedPage(page, guard)
    page.on("console", lambda m: result.console.append(f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: result.console.append(f"pageerror: {e}"))
    page.goto(url, wait_until=wait_until)
    return context, result
