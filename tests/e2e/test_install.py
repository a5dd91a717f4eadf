"""install.html end to end: the built bundle in the simulated portal's shell,
in Debian's Chromium (spec/app.md "Installation"; bitrix24-rest.md §6, §6.3,
§8, §12.2).

The shell opens the archive's install.html in its frame in install mode, as
a portal does on an admin's first open; BX24.js is the simulator's stand-in
(the server rewrites the address in the HTML), and every request that is not
to 127.0.0.1 is aborted and fails the test.  After installFinish the shell
sends the frame to index.html, which is answered here with a stub: these
tests do not depend on what the main page shows.  Screenshots go to
tests/e2e/screenshots/install-*.png.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest

from b24clients.settings import DEFAULTS, OPTION, from_option, to_option
from b24clients.sync.fields import FIELDS
from b24clients.web.install import PLACEMENT
from b24clients.strings import STRINGS
from b24sim.http import serve_in_thread
from bundle_support import DIST, READY_TIMEOUT_MS, SCREENSHOTS, RequestGuard, missing_bundle
from simkit import portal

pytestmark = pytest.mark.e2e

BX24_URL = re.compile(r"^https?://api\.bitrix24\.com/api/v1/")
INDEX = re.compile(r"^http://127\.0\.0\.1:\d+/app/index\.html(\?|$)")
STUB = "<!doctype html><meta charset=utf-8><title>app</title><p id=stub>the app</p>"
DESKTOP = {"width": 1366, "height": 768}
PHONE_PAGE = {"width": 420, "height": 900}
"""The shell page around a phone-sized (390×844) frame and its bezel."""
SETTLED = "() => window.__installDone === true || window.__pyError !== undefined || !!window.__installState"
ADMIN, SALES = 1, 2
EN, RU = STRINGS["en"], STRINGS["ru"]


@pytest.fixture(scope="module", autouse=True)
def built():
    problem = missing_bundle() or (None if (DIST / "install.html").is_file() and (DIST / "install.py").is_file()
                                   else "dist/install.html is missing; run `python build.py build`")
    if problem:
        pytest.fail(problem, pytrace=False)


class Guard(RequestGuard):
    """Loopback only (BX24.js's real address would go to the stand-in); index.html
    answered with a stub; installFinish's relay to the portal held on request."""

    def __init__(self, stand_in_url: str):
        super().__init__()
        self.stand_in_url = stand_in_url
        self.hold_finish = False
        self.held: list = []

    def handle(self, route) -> None:
        request = route.request
        url = request.url
        if BX24_URL.match(url):
            route.fulfill(response=route.fetch(url=self.stand_in_url))
        elif INDEX.match(url):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=STUB)
        elif (self.hold_finish and request.method == "POST" and url.endswith("/_shell/message")
              and '"setInstallFinish"' in (request.post_data or "")):
            self.held.append(route)
        else:
            super().handle(route)

    def release(self) -> None:
        held, self.held = self.held, []
        for route in held:
            route.continue_()


@dataclass
class Opened:
    page: object
    frame: object
    guard: Guard
    console: list[str] = field(default_factory=list)

    def state(self) -> dict:
        return self.frame.evaluate("""() => ({done: window.__installDone === true, error: window.__pyError,
            state: window.__installState,
            steps: Array.from(document.querySelectorAll('[data-step]'), li => [li.dataset.step, li.dataset.state]),
            text: document.getElementById('app').innerText,
            overflow: document.documentElement.scrollWidth - window.innerWidth})""")


@pytest.fixture
def sim():
    with serve_in_thread(portal(20), app_dir=DIST) as face:
        yield face


@pytest.fixture
def open_install(browser):
    opened: list[tuple[object, Opened]] = []

    def _open(face, *, user: int = ADMIN, lang: str = "en", phone: bool = False, hold: bool = False) -> Opened:
        context = browser.new_context(viewport=PHONE_PAGE if phone else DESKTOP)
        guard = Guard(face.base_url + "/api/v1/")
        guard.hold_finish = hold
        context.route("**/*", guard.handle)
        page = context.new_page()
        result = Opened(page, None, guard)
        page.on("console", lambda m: result.console.append(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: result.console.append(f"pageerror: {e}"))
        opened.append((context, result))
        page.goto(face.shell_url(user=user, lang=lang, install=True, mobile=phone, app="/app/index.html"))
        result.frame = page.frame(name=page.evaluate("() => window.__shell.config.frame_name"))
        assert "/app/install.html?" in result.frame.url  # the shell found the archive's installer
        try:
            result.frame.wait_for_function(SETTLED, timeout=READY_TIMEOUT_MS)
        except Exception:
            body = result.frame.evaluate("() => document.body.innerText")
            log = result.page.evaluate("() => JSON.stringify(window.__shellLog)")
            pytest.fail(f"install.html did not settle: {result.frame.url}\n{body}\n{log[:2000]}\n"
                        + "\n".join(result.console[-30:]), pytrace=False)
        return result

    yield _open

    problems = [o.guard.problem() for _, o in opened if o.guard.problem()]
    for context, o in opened:
        o.guard.release()
        context.close()
    assert not problems, "; ".join(problems)


def shoot(opened: Opened, name: str, *, phone: bool) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.frame.evaluate("() => document.fonts.ready")
    target = opened.page.locator("#app-frame") if phone else opened.page
    target.screenshot(path=str(SCREENSHOTS / f"install-{name}.png"), animations="disabled")


def portal_state(face) -> dict:
    p = face.portal
    with p.lock:
        fields = {entity: sorted(uf["FIELD_NAME"] for uf in p.userfields if uf["ENTITY_ID"] == f"CRM_{entity}")
                  for entity in ("CONTACT", "COMPANY")}
        return {"fields": fields, "field_rows": [dict(uf) for uf in p.userfields],
                "placements": [dict(b) for b in p.placements], "options": dict(p.app_options),
                "installed": p.installed}


def listed_fields(face, entity: str) -> list[str]:
    with face.portal.lock:
        token = face.portal.issue_token(ADMIN)["access_token"]
    reply = face.portal.call(f"crm.{entity}.userfield.list", {"filter": {"LANG": "ru"}}, auth=token)
    assert reply.status == 200, reply.body
    return sorted(uf["FIELD_NAME"] for uf in reply.body["result"])


def wait_installed(face, opened: Opened) -> None:
    opened.guard.release()
    opened.page.wait_for_function("() => window.__shellLog.some(e => e.cmd === 'setInstallFinish' && e.effect)",
                                  timeout=20_000)
    opened.frame.wait_for_selector("#stub", timeout=20_000)  # the shell sent the frame to index.html
    assert INDEX.match(opened.frame.url)


def fail_with(opened: Opened, state: dict) -> None:
    pytest.fail(f"install.html reported {state['error']!r} ({state['state']})\n{state['text']}\n"
                + "\n".join(opened.console[-30:]), pytrace=False)


# --- the tests -----------------------------------------------------------------------------------

def test_a_first_install_then_a_second_one_that_changes_nothing(sim, open_install):
    names = sorted(f.name for f in FIELDS)
    first = open_install(sim, hold=True)
    state = first.state()
    if not state["done"]:
        fail_with(first, state)
    assert state["steps"] == [["fields", "done"], ["placement", "done"], ["tabs", "done"], ["settings", "done"],
                              ["finish", "done"]]
    assert "Fields created: 18; already there: 0" in state["text"]
    assert EN["install.done"] in state["text"] and state["overflow"] <= 0
    assert first.page.evaluate("() => document.title") == "Bitrix24 (simulated)"
    assert first.frame.evaluate("() => document.documentElement.lang") == "en"
    shoot(first, "desktop-en", phone=False)
    assert sim.portal.installed is False  # installFinish is still on its way to the portal (held)
    wait_installed(sim, first)

    after = portal_state(sim)
    assert after["installed"] is True
    assert after["fields"] == {"CONTACT": names, "COMPANY": names}
    assert listed_fields(sim, "contact") == names and listed_fields(sim, "company") == names
    handler = f"{sim.base_url}/app/index.html"
    assert [(b["placement"], b["handler"], b["title"]) for b in after["placements"]] == [
        (PLACEMENT, handler, "Clients"), ("CRM_CONTACT_DETAIL_TAB", handler, "Client history"),
        ("CRM_COMPANY_DETAIL_TAB", handler, "Client history")]
    assert after["placements"][0]["langAll"]["ru"]["TITLE"] == "Клиенты"
    assert after["placements"][2]["langAll"]["ru"]["TITLE"] == "История клиента"
    assert after["options"][OPTION] == to_option(DEFAULTS) and from_option(after["options"][OPTION]) == DEFAULTS
    assert json.loads(after["options"]["tabs"]) == {"CRM_CONTACT_DETAIL_TAB": "bound",
                                                    "CRM_COMPANY_DETAIL_TAB": "bound"}
    assert EN["install.tabs.bound"] in state["text"]
    writes = len(sim.portal.writes)

    again = open_install(sim, lang="ru", phone=True, hold=True)
    state = again.state()
    if not state["done"]:
        fail_with(again, state)
    assert state["steps"] == [["fields", "skipped"], ["placement", "skipped"], ["tabs", "skipped"],
                              ["settings", "skipped"], ["finish", "done"]]
    assert RU["install.step.fields"] in state["text"] and RU["install.state.skipped"] in state["text"]
    assert state["overflow"] <= 0
    shoot(again, "phone-ru-again", phone=True)
    wait_installed(sim, again)
    assert portal_state(sim) == after  # same fields, the same three placements, options untouched
    assert len(sim.portal.writes) == writes


def test_an_admins_settings_survive_a_reinstall(sim, open_install):
    mine = '{"version":1,"active_months":3,"lost_months":9,"pipelines":[0],"write_back":false}'
    sim.portal.app_options[OPTION] = mine
    opened = open_install(sim, hold=True)
    state = opened.state()
    if not state["done"]:
        fail_with(opened, state)
    assert dict(state["steps"])["settings"] == "skipped" and EN["install.settings.existing"] in state["text"]
    wait_installed(sim, opened)
    assert sim.portal.app_options[OPTION] == mine  # the admin's settings, untouched
    assert set(sim.portal.app_options) == {OPTION, "tabs"}


def test_someone_who_is_not_an_admin_is_told_to_ask_one(sim, open_install):
    for phone, lang in ((False, "en"), (True, "ru")):
        opened = open_install(sim, user=SALES, lang=lang, phone=phone)
        state = opened.state()
        assert state["state"] == "not_admin" and state["error"] is None and not state["done"]
        assert STRINGS[lang]["install.not_admin"] in state["text"] and state["steps"] == []
        assert state["overflow"] <= 0
        shoot(opened, f"{'phone' if phone else 'desktop'}-{lang}-not-admin", phone=phone)
        assert not opened.page.evaluate("() => window.__shellLog.some(e => e.cmd === 'setInstallFinish')")
    after = portal_state(sim)
    assert after["fields"] == {"CONTACT": [], "COMPANY": []} and after["placements"] == []
    assert after["options"] == {} and after["installed"] is False


def test_a_refused_step_fails_in_words_and_try_again_finishes(sim, open_install):
    sim.portal.faults.denied_users.add(ADMIN)
    opened = open_install(sim, phone=True, hold=True)
    state = opened.state()
    assert state["state"] == "failed" and "user_access_error" in state["error"]
    assert state["steps"] == [["fields", "failed"], ["placement", "waiting"], ["tabs", "waiting"],
                              ["settings", "waiting"], ["finish", "waiting"]]
    frame = opened.frame
    alert = frame.locator("[data-step=fields] [role=alert]")
    assert EN["install.failed.denied"] in alert.inner_text()
    retry = frame.get_by_role("button", name=EN["install.retry"])
    box = retry.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert state["overflow"] <= 0
    shoot(opened, "phone-en-failed", phone=True)
    detail = frame.locator("[data-step=fields] details pre")
    assert not detail.is_visible()  # the technical detail waits behind its toggle
    frame.locator("[data-step=fields] details summary").click()
    assert "user_access_error" in detail.inner_text()
    assert opened.state()["overflow"] <= 0
    assert portal_state(sim)["fields"] == {"CONTACT": [], "COMPANY": []}

    sim.portal.faults.denied_users.clear()
    retry.click()
    frame.wait_for_function("() => window.__installDone === true", timeout=60_000)
    assert frame.evaluate("() => window.__pyError") is None
    assert [s for _, s in opened.state()["steps"]] == ["done"] * 5
    wait_installed(sim, opened)
    assert portal_state(sim)["installed"] is True
