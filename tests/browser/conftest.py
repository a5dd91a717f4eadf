"""Our browser code in Debian's Chromium, inside the simulated portal's shell.

The app served under /app/ is a temporary folder put together for the
session: the vendored runtime from dist/vendor (build it once with
`python build.py build`), our package zipped fresh from py/b24clients, and
www/'s idb.js, viewcache.js, boot.js, style.css, index.html, main.py and
pyscript.toml as they are now, so a change to Python or to those files needs
no rebuild.  Next to them:

- harness.html + harness.py (tests/browser/harness/): a PyScript page with the
  real head (BX24.js meta, idb.js, viewcache.js, boot.js) whose Python
  exposes our modules to the tests (`harness_call`);
- boot.html: www/index.html without PyScript, to watch boot.js alone;
- index.html, main.py, pyscript.toml (and dist/demo/snapshot.json when
  built): the real page, for the end-to-end checks of test_real_page.py.

Every context gets a guard that aborts and records any request that is not
to 127.0.0.1 (the simulator rewrites BX24.js's address in HTML to its
stand-in, so nothing needs to leave); the test fails if one tried.

A page that takes a boot and a portal run to make, and that several tests of a
module only look at (or put back as they found it), is made once per module
with `shared` (see `SharedPages`); after a test that used it fails, it is made
afresh for the next one.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from b24sim.http import serve_in_thread  # noqa: E402
from bundle_support import BUILD_HINT, DIST, RequestGuard, cannot_run  # noqa: E402
from outcome import failed  # noqa: E402

HARNESS = Path(__file__).resolve().parent / "harness"
WWW = ROOT / "www"
PYSCRIPT_TAG = re.compile(r'\s*<script type="module" src="\./vendor/pyscript/core\.js"></script>')
PY_TAG = re.compile(r'\s*<script type="py"[^>]*></script>')
BOOT_MS = 120_000
"""Pyodide starts in about 5-10 s on the 2-core machine; this only bounds a hang."""


@pytest.fixture(scope="session")
def app_dir(tmp_path_factory) -> Path:
    """The folder served as /app/ (see the module's docstring)."""
    for name in ("vendor/pyodide/pyodide.mjs", "vendor/pyscript/core.js"):
        if not (DIST / name).is_file():
            cannot_run(f"dist/{name} is missing; {BUILD_HINT}")
    from build import zip_package

    folder = tmp_path_factory.mktemp("app")
    shutil.copytree(DIST / "vendor", folder / "vendor")
    zip_package(folder / "py" / "b24clients.zip")
    for name in ("idb.js", "locks.js", "viewcache.js", "boot.js", "style.css", "index.html", "main.py",
                 "pyscript.toml"):
        shutil.copy2(WWW / name, folder / name)
    if (DIST / "demo" / "snapshot.json").is_file():
        (folder / "demo").mkdir()
        shutil.copy2(DIST / "demo" / "snapshot.json", folder / "demo" / "snapshot.json")
    for path in HARNESS.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    page = (WWW / "index.html").read_text(encoding="utf-8")
    (folder / "boot.html").write_text(PY_TAG.sub("", PYSCRIPT_TAG.sub("", page)), encoding="utf-8")
    return folder


@pytest.fixture
def serve(app_dir):
    """serve(portal) -> the simulator over HTTP (a PortalHttp) with our app dir, stopped after the test."""
    serving = _Serving(app_dir)
    yield serving
    serving.close()


class _Serving:
    def __init__(self, app_dir: Path):
        self.app_dir = app_dir
        self._stack: list = []

    def __call__(self, portal):
        manager = serve_in_thread(portal, app_dir=self.app_dir)
        face = manager.__enter__()
        self._stack.append(manager)
        return face

    def close(self) -> None:
        while self._stack:
            self._stack.pop().__exit__(None, None, None)


@dataclass
class Opened:
    page: object
    frame: object
    guard: RequestGuard
    console: list[str] = field(default_factory=list)

    def diagnostics(self) -> str:
        return "\n".join(self.console[-40:]) or "(no console output)"

    def call(self, name: str, **args):
        """harnessCall(name, args) in the app frame; raises with the page's traceback on failure."""
        text = self.frame.evaluate("([name, args]) => window.harnessCall(name, args)", [name, json.dumps(args)])
        out = json.loads(text)
        if "error" in out:
            raise AssertionError(f"{name} failed in the page: {out['error']}: {out['message']}\n{out['trace']}")
        return out["ok"]

    def shell_log(self) -> list[dict]:
        return self.page.evaluate("() => window.__shellLog || []")


@dataclass
class Browsing:
    browser: object
    contexts: list = field(default_factory=list)
    opened: list = field(default_factory=list)

    def context(self, **options):
        context = self.browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        context._b24c_guard = RequestGuard().install(context)
        self.contexts.append(context)
        return context

    def open(self, url: str, *, context=None, wait_harness: bool = True, frame: bool = True) -> Opened:
        """Open `url` (a shell URL, or an app page directly with frame=False) in a new page."""
        context = context or self.context()
        page = context.new_page()
        opened = Opened(page, None, context._b24c_guard)
        page.on("console", lambda m: opened.console.append(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: opened.console.append(f"pageerror: {e}"))
        self.opened.append(opened)
        page.goto(url)
        if frame:
            opened.frame = page.frame(name=page.evaluate("() => window.__shell.config.frame_name"))
        else:
            opened.frame = page.main_frame
        if wait_harness:
            opened.frame.wait_for_function("() => window.__harness && window.__harness.ready", timeout=BOOT_MS)
        return opened

    def close(self) -> list[str]:
        problems = [c._b24c_guard.problem() for c in self.contexts if c._b24c_guard.problem()]
        for context in self.contexts:
            context.close()
        return problems


@pytest.fixture
def browsing(browser):
    """Contexts and pages for one test, closed after it; fails it if a request left 127.0.0.1."""
    session = Browsing(browser)
    yield session
    problems = session.close()
    assert not problems, "; ".join(problems)


class SharedPages:
    """What `boot(serve, browsing)` made (pages on a served portal, typically), kept
    under a key for the module's later tests, each key with its own server and
    browser contexts: `get` makes it once and hands it out again after `reset(made)`
    (which puts the page back as `boot` left it); `drop` closes it."""

    def __init__(self, browser, app_dir: Path):
        self.browser, self.app_dir = browser, app_dir
        self.held: dict[str, tuple[_Serving, Browsing, object]] = {}

    def get(self, key: str, boot, reset=None):
        if key in self.held:
            made = self.held[key][2]
            if reset is not None:
                reset(made)
            return made
        serving, browsing = _Serving(self.app_dir), Browsing(self.browser)
        try:
            made = boot(serving, browsing)
        except BaseException:
            browsing.close()
            serving.close()
            raise
        self.held[key] = (serving, browsing, made)
        return made

    def problem(self, key: str) -> str | None:
        """A request of the key's contexts that tried to leave 127.0.0.1, if any."""
        if key not in self.held:
            return None
        problems = [c._b24c_guard.problem() for c in self.held[key][1].contexts if c._b24c_guard.problem()]
        return "; ".join(problems) or None

    def drop(self, key: str) -> None:
        serving, browsing, _ = self.held.pop(key, (None, None, None))
        if browsing is not None:
            browsing.close()
            serving.close()

    def close(self) -> None:
        for key in list(self.held):
            self.drop(key)


@pytest.fixture(scope="module")
def shared_pages(browser, app_dir):
    pages = SharedPages(browser, app_dir)
    yield pages
    pages.close()


@pytest.fixture
def shared(request, shared_pages):
    """shared(key, boot, reset=None, spend=False) -> what `boot(serve, browsing)` returned,
    made by the first test of the module that asks for `key` and handed to the later ones
    after `reset(made)`.  A test that fails makes the pages it used be made again for the next
    one; a request that tried to leave 127.0.0.1 fails the test it happened in."""
    used: list[str] = []
    spent: list[str] = []

    def get(key: str, boot, reset=None, *, spend: bool = False):
        """spend=True: this test changes the page beyond what `reset` puts back, so it is
        closed after it (the key's last test in the module says so)."""
        used.append(key)  # first: a reset that fails drops the page too
        if spend:
            spent.append(key)
        return shared_pages.get(key, boot, reset)

    yield get
    problems = [p for p in map(shared_pages.problem, used) if p]
    for key in used if problems or failed(request.node) else spent:
        shared_pages.drop(key)
    assert not problems, "; ".join(problems)
