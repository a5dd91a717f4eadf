"""The installer: what install.html does the first time an admin opens the app
(spec/app.md "Installation"; bitrix24-rest.md §6.3, §8, §12.2).

In order, each step shown with its state:

1. the eight user fields on contacts and companies (`install_fields`: a field
   that exists is never created again);
2. the CRM Analytics menu item, `placement.bind` CRM_ANALYTICS_MENU → the
   app's index.html (skipped when `placement.get` already lists it);
3. the "Client history" tab in the contact and company cards, `placement.bind`
   CRM_CONTACT_DETAIL_TAB and CRM_COMPANY_DETAIL_TAB → the same index.html. No
   document says whether an app uploaded as a ZIP may bind a card tab to a
   handler in its own archive, so the step tries, reads `placement.get` back,
   keeps what happened in `app.option` `tabs`, and says it in words; a tab
   that cannot be bound is not a failure (the client page opens from the list);
4. the default settings in `app.option` (skipped when an admin's "settings"
   option exists: never overwritten);
5. `BX24.installFinish()`, after which the portal opens the app.

Re-running changes nothing. The steps themselves (`create_fields`,
`bind_placement`, `store_defaults`, `run_steps`) are plain async Python over
a Gateway, so they run under CPython against the simulated portal; only
`start()` and `InstallPage` touch the browser (`js` is imported there).

Signals for tests: `window.__installDone = true` after installFinish,
`window.__pyError` with a one-line message on failure, and
`window.__installState`: "done", "failed", "not_admin" or "no_portal".
"""

from __future__ import annotations

import asyncio
import json
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..rest.errors import RestError
from ..rest.gateway import Gateway
from ..settings import DEFAULTS, OPTION, months_text, to_option
from ..sync.fields import FIELDS
from ..sync.writeback import ENTITIES, install_fields
from ..strings import pick_language, strings_for

PLACEMENT = "CRM_ANALYTICS_MENU"
TABS = ("CRM_CONTACT_DETAIL_TAB", "CRM_COMPANY_DETAIL_TAB")
TABS_OPTION = "tabs"
"""app.option: per tab placement, "bound" or "failed: <error code>" as the installer found it."""
STEPS = ("fields", "placement", "tabs", "settings", "finish")
WAITING, RUNNING, DONE, SKIPPED, FAILED, WARNED = "waiting", "running", "done", "skipped", "failed", "warned"
INIT_TIMEOUT_S = 30
ATTEMPTS = 3
"""Retries per REST call: the admin is watching, a stuck step must fail in words soon."""


@dataclass(frozen=True)
class Outcome:
    state: str
    """DONE or SKIPPED (already there)."""
    note: str
    """The sentence under the step: what was done or found."""


class StepFailed(Exception):
    def __init__(self, step: str, cause: BaseException):
        super().__init__(f"{step}: {type(cause).__name__}: {cause}")
        self.step, self.cause = step, cause


# --------------------------------------------------------------------------
# the steps (pure: a Gateway and strings)


def handler_url(page_url: str) -> str:
    """The app's index.html next to this page, without query or fragment (the
    portal adds DOMAIN, LANG, APP_SID to a handler's query itself)."""
    parts = urlsplit(urljoin(page_url, "index.html"))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _same_url(a: object, b: str) -> bool:
    strip = lambda url: urlunsplit(urlsplit(str(url))[:3] + ("", "")).rstrip("/")  # noqa: E731
    return strip(a) == strip(b)


async def create_fields(gateway: Gateway, text: dict[str, str]) -> Outcome:
    _, created = await install_fields(gateway)
    total = len(FIELDS) * len(ENTITIES)
    if created == 0:
        return Outcome(SKIPPED, text["install.fields.existing"].format(count=total))
    return Outcome(DONE, text["install.fields.created"].format(created=created, existing=total - created))


async def bind_placement(gateway: Gateway, handler: str, language: str) -> Outcome:
    text = strings_for(language)
    bound = (await gateway.call("placement.get")).result or []
    if any(isinstance(p, dict) and p.get("placement") == PLACEMENT and _same_url(p.get("handler"), handler)
           for p in bound):
        return Outcome(SKIPPED, text["install.placement.existing"])
    lang_all = {code: {"TITLE": strings_for(code)["install.placement_title"],
                       "DESCRIPTION": strings_for(code)["install.placement_description"]} for code in ("en", "ru")}
    await gateway.call("placement.bind", {
        "PLACEMENT": PLACEMENT, "HANDLER": handler, "TITLE": text["install.placement_title"],
        "DESCRIPTION": text["install.placement_description"], "LANG_ALL": lang_all})
    return Outcome(DONE, text["install.placement.bound"].format(title=text["install.placement_title"]))


async def bind_tabs(gateway: Gateway, handler: str, language: str) -> Outcome:
    """The card tabs: bound where they are not yet, then what `placement.get` lists is what
    is kept (a bind that answered but did not take counts as failed)."""
    text = strings_for(language)

    def ours(rows: object) -> set[str]:
        return {p.get("placement") for p in rows or [] if isinstance(p, dict) and _same_url(p.get("handler"), handler)}

    had = ours((await gateway.call("placement.get")).result)
    errors: dict[str, str] = {}
    lang_all = {code: {"TITLE": strings_for(code)["history.tab"]} for code in ("en", "ru")}
    for placement in TABS:
        if placement in had:
            continue
        try:
            await gateway.call("placement.bind", {"PLACEMENT": placement, "HANDLER": handler,
                                                  "TITLE": text["history.tab"], "LANG_ALL": lang_all})
        except RestError as exc:
            errors[placement] = exc.code or "ERROR"
    now = ours((await gateway.call("placement.get")).result)
    found = {placement: "bound" if placement in now else f"failed: {errors.get(placement, 'NOT_LISTED')}"
             for placement in TABS}
    kept = (await gateway.call("app.option.get", {"option": TABS_OPTION})).result
    if kept != json.dumps(found):
        await gateway.call("app.option.set", {"options": {TABS_OPTION: json.dumps(found)}})
    if all(state == "bound" for state in found.values()):
        return Outcome(SKIPPED if had >= set(TABS) else DONE, text["install.tabs.bound"])
    return Outcome(WARNED, text["install.tabs.failed"].format(
        codes=", ".join(state.removeprefix("failed: ") for state in found.values() if state != "bound")))


async def store_defaults(gateway: Gateway, text: dict[str, str]) -> Outcome:
    held = (await gateway.call("app.option.get", {"option": OPTION})).result
    if held:  # None, "" and an empty list/object mean absent; so does BX24's null (Pyodide's falsy jsnull)
        return Outcome(SKIPPED, text["install.settings.existing"])
    await gateway.call("app.option.set", {"options": {OPTION: to_option(DEFAULTS)}})
    thresholds = DEFAULTS.thresholds
    return Outcome(DONE, text["install.settings.stored"].format(
        active=months_text(thresholds.active_months, text), lost=months_text(thresholds.lost_months, text)))


Report = Callable[[str, str, "Outcome | None"], None]
"""(step, state, outcome) — called as each step starts and ends."""


async def run_steps(gateway: Gateway, handler: str, language: str, report: Report,
                    finish: Callable[[], Awaitable[Outcome]]) -> None:
    """Every step in order; raises StepFailed at the first that fails (the
    ones after it stay waiting)."""
    text = strings_for(language)
    work: dict[str, Callable[[], Awaitable[Outcome]]] = {
        "fields": lambda: create_fields(gateway, text),
        "placement": lambda: bind_placement(gateway, handler, language),
        "tabs": lambda: bind_tabs(gateway, handler, language),
        "settings": lambda: store_defaults(gateway, text),
        "finish": finish,
    }
    for step in STEPS:
        report(step, RUNNING, None)
        try:
            outcome = await work[step]()
        except Exception as exc:
            report(step, FAILED, None)
            raise StepFailed(step, exc) from exc
        report(step, outcome.state, outcome)


def failure_sentence(failed: StepFailed, text: dict[str, str]) -> str:
    """What the admin reads for a failed step: what failed and what to do."""
    cause = failed.cause
    if isinstance(cause, (RestError, PermissionError)) and _denied(cause):
        return text["install.failed.denied"]
    return f'{text["install.failed." + failed.step]} {text["install.failed.next"]}'


def _denied(cause: BaseException) -> bool:
    if isinstance(cause, PermissionError):
        return True
    return cause.access_denied or cause.code in ("ACCESS_DENIED", "user_access_error", "insufficient_scope") \
        or cause.status == 403


# --------------------------------------------------------------------------
# the page (browser only)


class InstallPage:
    """The steps as a list, each with its state in words; a failure shows its
    sentence, the technical detail behind a toggle, and Try again."""

    def __init__(self, text: dict[str, str], language: str, gateway: Gateway, handler: str):
        self.text, self.language, self.gateway, self.handler = text, language, gateway, handler
        self.rows: dict[str, dict] = {}
        self._proxies: list = []
        self.running = False

    def mount(self) -> None:
        from .dom import by_id, element

        js_app = by_id("app")
        card = element("section", "inst__card")
        steps = element("ol", "inst__steps", aria_label=self.text["install.steps"])
        for step in STEPS:
            item = element("li", f"inst-step inst-step--{WAITING}", data_step=step, data_state=WAITING)
            item.append(element("span", "inst-step__mark", aria_hidden="true"))
            body = element("div", "inst-step__body")
            body.append(element("p", "inst-step__title", self.text[f"install.step.{step}"]))
            line = element("p", "inst-step__line")
            label = element("span", "inst-step__state", self.text[f"install.state.{WAITING}"])
            note = element("span", "inst-step__note")
            line.append(label, note)
            problem = element("div", "inst-step__problem")
            problem.hidden = True
            body.append(line, problem)
            item.append(body)
            steps.append(item)
            self.rows[step] = {"item": item, "label": label, "note": note, "problem": problem}
        card.append(steps)
        self.status = element("p", "inst__status", role="status", aria_live="polite")
        js_app.replaceChildren(_header(self.text), card, self.status)
        js_app.setAttribute("aria-busy", "false")

    def report(self, step: str, state: str, outcome: Outcome | None) -> None:
        row = self.rows[step]
        row["item"].className = f"inst-step inst-step--{state}"
        row["item"].setAttribute("data-state", state)
        row["label"].textContent = self.text[f"install.state.{state}"]
        row["note"].textContent = f" · {outcome.note}" if outcome and outcome.note else ""
        if state == RUNNING:
            row["item"].setAttribute("aria-current", "step")
            self.status.textContent = f'{self.text[f"install.step.{step}"]}: {self.text["install.state.running"]}'
        else:
            row["item"].removeAttribute("aria-current")

    def show_failure(self, failed: StepFailed, detail: str) -> None:
        from pyodide.ffi import create_proxy

        from .dom import element

        problem = self.rows[failed.step]["problem"]
        problem.replaceChildren()
        problem.setAttribute("role", "alert")
        problem.append(element("p", "inst-step__sentence", failure_sentence(failed, self.text)))
        more = element("details", "inst-step__more")
        more.append(element("summary", None, self.text["error.details"]))
        more.append(element("pre", "inst-step__detail", detail))
        retry = element("button", "button inst-step__retry", self.text["install.retry"], type="button")
        handler = create_proxy(lambda *_: self.retry())
        self._proxies.append(handler)
        retry.addEventListener("click", handler)
        problem.append(retry, more)
        problem.hidden = False
        self.status.textContent = self.text[f"install.failed.{failed.step}"]

    def retry(self) -> None:
        if not self.running:
            asyncio.ensure_future(self.run())

    async def run(self) -> bool:
        import js

        from .dom import signal

        self.running = True
        try:
            for step in STEPS:
                self.rows[step]["problem"].hidden = True
                self.rows[step]["problem"].removeAttribute("role")
                self.report(step, WAITING, None)
            js.Reflect.deleteProperty(js.window, "__pyError")
            await run_steps(self.gateway, self.handler, self.language, self.report, self._finish)
        except StepFailed as failed:
            message = str(failed).splitlines()[0]
            detail = f"{message}\n\n{''.join(traceback.format_exception(failed.cause))}"
            self.show_failure(failed, detail)
            signal(__installState=FAILED, __pyError=message)
            return False
        finally:
            self.running = False
        self.status.textContent = self.text["install.done"]
        signal(__installState=DONE, __installDone=True)
        return True

    async def _finish(self) -> Outcome:
        import js

        js.BX24.installFinish()
        return Outcome(DONE, self.text["install.finish.done"])


def _header(text: dict[str, str], *, lead: bool = True):
    from .dom import element

    header = element("header", "inst__head")
    header.append(element("h1", "inst__title", text["install.title"]))
    if lead:  # "setting itself up": only while the steps run
        header.append(element("p", "inst__lead", text["install.lead"]))
    return header


def render_message(text: dict[str, str], sentence: str, detail: str | None = None) -> None:
    """The page with one sentence instead of the steps (not an admin, not in a portal)."""
    from .dom import by_id, element

    box = element("div", "inst__notice", role="alert")
    box.append(element("p", "inst__sentence", sentence))
    if detail:
        more = element("details", "inst-step__more")
        more.append(element("summary", None, text["error.details"]))
        more.append(element("pre", "inst-step__detail", detail))
        box.append(more)
    app = by_id("app")
    app.replaceChildren(_header(text, lead=False), box)
    app.setAttribute("aria-busy", "false")


async def wait_for_bx24() -> None:
    """BX24.init as a JS Promise: resolved once the portal has sent the init data."""
    import js

    async def ready() -> None:
        await js.Promise.new(lambda resolve, reject: js.BX24.init(resolve))

    await asyncio.wait_for(ready(), INIT_TIMEOUT_S)


async def start() -> None:
    """install.html's entry point (www/install.py)."""
    import js

    from ..rest.clock import SystemClock
    from .bx24 import Bx24Transport
    from .dom import now_ms, signal

    signal(__pyStartedAt=now_ms())
    text = strings_for("en")
    try:
        if not getattr(js.window, "BX24", None):
            signal(__installState="no_portal")
            render_message(text, text["install.no_portal"])
            return
        await wait_for_bx24()
        language = pick_language(str(js.BX24.getLang() or ""))
        text = strings_for(language)
        js.document.documentElement.lang = language
        js.document.title = text["install.title"]
        if not js.BX24.isAdmin():
            signal(__installState="not_admin")
            render_message(text, text["install.not_admin"])
            return
        gateway = Gateway(Bx24Transport(), SystemClock(), attempts=ATTEMPTS)
        page = InstallPage(text, language, gateway, handler_url(str(js.location.href)))
        page.mount()
        await page.run()
    except Exception as exc:  # BX24 never answered, or a bug: a sentence, never a stack trace
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        signal(__installState=FAILED, __pyError=message)
        sentence = text["install.failed.no_answer" if isinstance(exc, asyncio.TimeoutError)
                        else "install.failed.unexpected"]
        render_message(text, sentence, f"{message}\n\n{traceback.format_exc()}")
