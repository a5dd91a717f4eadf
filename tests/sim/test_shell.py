"""The portal shell and the BX24.js stand-in, end to end in Debian's Chromium.

A tiny app (tests/sim/shell_app/) that loads BX24.js from its real URL runs
in the shell's frame; every context routes //api.bitrix24.com/api/v1/ to the
simulator's stand-in and fails the test if any other request leaves
127.0.0.1 (as tests/e2e does).  Reference: bitrix24-rest.md §1.5, §2.2, §3.1,
§5.2, §6, §11, §12.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from b24sim.http import serve_in_thread
from e2e.bundle_support import RequestGuard
from simkit import portal

pytestmark = pytest.mark.e2e

SHELL_APP = Path(__file__).resolve().parent / "shell_app"
BX24_URL = re.compile(r"^https?://api\.bitrix24\.com/api/v1/")
WAIT_MS = 20_000


class Guard(RequestGuard):
    """Serves BX24.js's real URL from the simulator; aborts and records anything
    else that is not loopback, data: or blob:."""

    def __init__(self, stand_in_url: str | None):
        super().__init__()
        self.stand_in_url = stand_in_url
        self.stand_in = 0

    def handle(self, route) -> None:
        if self.stand_in_url and BX24_URL.match(route.request.url):
            self.stand_in += 1
            route.fulfill(response=route.fetch(url=self.stand_in_url))
        else:
            super().handle(route)


@dataclass
class Shell:
    page: object
    frame: object
    guard: Guard
    errors: list[str] = field(default_factory=list)

    def log(self) -> list[dict]:
        return self.page.evaluate("() => window.__shellLog")

    def entries(self, cmd: str) -> list[dict]:
        return [e for e in self.log() if e.get("cmd") == cmd]

    def wait_for_log(self, cmd: str, *, answered: bool = False) -> dict:
        self.page.wait_for_function(
            "([cmd, answered]) => window.__shellLog.some(e => e.cmd === cmd && (!answered || 'answer' in e))",
            arg=[cmd, answered], timeout=WAIT_MS)
        return self.entries(cmd)[-1]


@pytest.fixture
def sim():
    with serve_in_thread(portal(120), app_dir=SHELL_APP, rewrite_bx24=False) as face:
        yield face


@pytest.fixture
def open_shell(browser):
    opened: list[tuple[object, Shell]] = []

    def _open(face, *, route_bx24: bool = True, phone: bool = False, **query) -> Shell:
        options = {"viewport": {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}}
        context = browser.new_context(**options)
        guard = Guard(face.base_url + "/api/v1/" if route_bx24 else None)
        context.route("**/*", guard.handle)
        page = context.new_page()
        shell = Shell(page, None, guard)
        page.on("pageerror", lambda error: shell.errors.append(str(error)))
        opened.append((context, shell))
        page.goto(face.shell_url(**query))
        name = page.evaluate("() => window.__shell.config.frame_name")
        shell.frame = page.frame(name=name)
        shell.frame.wait_for_function("() => window.__app && window.__app.init", timeout=WAIT_MS)
        return shell

    yield _open

    problems = [s.guard.problem() for _, s in opened if s.guard.problem()]
    for context, _ in opened:
        context.close()
    assert not problems, "; ".join(problems)


def init_of(shell: Shell) -> dict:
    return shell.frame.evaluate("() => window.__app.init")


# --- init ---------------------------------------------------------------------------------

def test_init_data_arrives_with_the_user_language_and_placement(sim, open_shell):  # §6.1, §11
    sim.portal.app_options["color"] = "blue"
    sim.portal.user_options[2] = {"view": "list"}
    shell = open_shell(sim, user=2, lang="en", placement="CRM_CONTACT_DETAIL_TAB", options={"ID": 7})
    init = init_of(shell)
    assert shell.guard.stand_in == 1  # the app's own <script src="//api.bitrix24.com/api/v1/">
    assert init["lang"] == "en" and init["admin"] is False
    assert init["domain"] == f"127.0.0.1:{sim.port}"
    assert init["placement"] == {"placement": "CRM_CONTACT_DETAIL_TAB", "options": {"ID": "7"}}
    assert init["appOption"] == "blue" and init["userOption"] == "list"
    auth = init["auth"]
    assert sim.portal.tokens[auth["access_token"]][0] == 2 and auth["member_id"] == "sim"
    now_ms = time.time() * 1000
    assert now_ms + 3500_000 < auth["expires_in"] < now_ms + 3700_000  # an absolute ms timestamp (§5.2)
    entry = shell.wait_for_log("getInitData", answered=True)
    assert entry["answer"]["AUTH_ID"] == auth["access_token"] and entry["answer"]["PATH"] == "/rest"
    frame = shell.page.locator("#app-frame")
    sid = shell.page.evaluate("() => window.__shell.config.app_sid")
    assert frame.get_attribute("name") == f"127.0.0.1:{sim.port}|0|{sid}"
    assert shell.errors == []


# --- REST through BX24.js --------------------------------------------------------------------

def test_call_method_answers_and_drops_start_so_only_next_pages(sim, open_shell):  # §2.2
    shell = open_shell(sim)
    first = shell.frame.evaluate(
        "() => call('crm.contact.list', {select: ['ID'], order: {ID: 'ASC'}, start: 50})")
    assert [int(r["ID"]) for r in first["data"]] == list(range(1, 51))  # the first page: start was dropped
    assert first["total"] == 120 and first["next"] == 50 and first["more"] is True and first["hasTime"]
    assert "start" not in sim.requests[-1]["params"]

    pages = shell.frame.evaluate("() => nextPage('crm.contact.list', {select: ['ID'], order: {ID: 'ASC'}})")
    assert [int(r["ID"]) for r in pages[1]["data"]] == list(range(51, 101))
    assert pages[1]["query"]["start"] == 50 and sim.requests[-1]["params"]["start"] == "50"

    error = shell.frame.evaluate("() => call('no.such.method', {})")
    assert error["status"] == 404 and error["error"] == "ERROR_METHOD_NOT_FOUND: Method not found! (404)"
    assert shell.errors == []


def test_call_batch_keys_results_with_total_and_next_and_keeps_start(sim, open_shell):  # §3.1
    shell = open_shell(sim)
    before = sum(1 for r in sim.requests if r["method"] == "batch")
    results = shell.frame.evaluate("""() => batch({
        a: ['crm.contact.list', {select: ['ID'], order: {ID: 'ASC'}, start: -1}],
        b: ['crm.contact.list', {select: ['ID'], order: {ID: 'ASC'}, start: -1, filter: {'>ID': '$result[a][49][ID]'}}],
        c: {method: 'user.current', params: {}},
        d: ['no.such.method', {}],
        e: ['crm.contact.list', {select: ['ID']}]
    })""")
    assert sum(1 for r in sim.requests if r["method"] == "batch") == before + 1
    assert [int(r["ID"]) for r in results["b"]["data"]] == list(range(51, 101))
    assert results["a"]["total"] == 0 and results["a"]["more"] is False
    assert results["c"]["data"]["ID"] == "1"
    assert results["d"]["error"] == "ERROR_METHOD_NOT_FOUND: Method not found! (200)"
    assert results["e"]["total"] == 120 and results["e"]["next"] == 50

    page = shell.frame.evaluate("() => batchNext({p: ['crm.contact.list', {select: ['ID'], order: {ID: 'ASC'}}]}, 'p')")
    assert [int(r["ID"]) for r in page["data"]] == list(range(51, 101))
    assert shell.errors == []


def test_a_5xx_answer_never_calls_the_callback(sim, open_shell):  # §1.5
    shell = open_shell(sim)
    sim.portal.faults.server_errors = 1
    shell.frame.evaluate("() => { BX24.callMethod('user.current', {}, () => { window.__app.fired = true; }); }")
    deadline = time.monotonic() + 10
    while not any("Query error!" in e for e in shell.errors) and time.monotonic() < deadline:
        shell.page.wait_for_timeout(50)
    assert any("Query error!" in e for e in shell.errors), shell.errors
    assert sim.requests[-1]["status"] == 500
    shell.page.wait_for_timeout(1000)
    assert shell.frame.evaluate("() => window.__app.fired") is None
    assert shell.frame.evaluate("() => call('user.current', {})")["data"]["ID"] == "1"  # the next one works


def test_an_expired_token_is_refreshed_silently_and_the_call_resent(sim, open_shell):  # §5.2
    shell = open_shell(sim)
    old = init_of(shell)["auth"]["access_token"]
    with sim.portal.lock:
        sim.portal.expire_tokens()
    result = shell.frame.evaluate("() => call('user.current', {})")
    assert result["error"] is None and result["data"]["ID"] == "1"
    assert [r["status"] for r in sim.requests if r["method"] == "user.current"][-2:] == [401, 200]
    refresh = shell.wait_for_log("refreshAuth", answered=True)
    new = shell.frame.evaluate("() => BX24.getAuth().access_token")
    assert new == refresh["answer"]["AUTH_ID"] != old
    assert shell.frame.evaluate("() => window.__app.callbacks") == 1  # only the resent answer reached it
    assert shell.errors == []


# --- the window, options, placements ---------------------------------------------------------

def test_frame_commands_resize_title_open_path_and_options(sim, open_shell):  # §6.2
    shell = open_shell(sim, user=1, placement="CRM_COMPANY_DETAIL_TAB", options={"ID": "7"})
    frame, page = shell.frame, shell.page
    frame.evaluate("() => frameCall('resizeWindow', [640, 480])")
    assert page.locator("#app-frame").bounding_box()["height"] == 480
    frame.evaluate("() => frameCall('setTitle', ['Clients'])")
    assert page.locator("#shell-title").text_content() == "Clients"

    frame.evaluate("() => { window.__closed = frameCall('openPath', ['/crm/company/details/7/']); }")
    page.locator("#slider").wait_for(state="visible", timeout=WAIT_MS)
    assert page.locator("#slider-path").text_content() == "/crm/company/details/7/"
    page.locator("#slider-close").click()
    assert frame.evaluate("() => window.__closed") == {"result": "close"}

    options = frame.evaluate("() => frameCall('appOption.set', ['color', 'red'])")
    assert options == {"color": "red"} and sim.portal.app_options == {"color": "red"}
    frame.evaluate("() => BX24.userOption.set('view', 'cards')")
    shell.wait_for_log("setUserOption", answered=True)
    assert sim.portal.user_options[1] == {"view": "cards"}

    assert frame.evaluate("() => frameCall('placement.getInterface', [])") == {"command": ["reloadData"], "event": []}
    frame.evaluate("() => frameCall('placement.call', ['reloadData', {}])")
    frame.evaluate("() => { BX24.placement.call('noSuchCommand', {}, () => { window.__app.unknown = true; }); }")
    page.wait_for_function("() => window.__shellLog.some(e => e.cmd === 'noSuchCommand' && e.ignored)",
                           timeout=WAIT_MS)
    page.wait_for_timeout(300)
    assert "answer" not in shell.entries("noSuchCommand")[-1]
    assert frame.evaluate("() => window.__app.unknown") is None  # silently ignored: no callback
    assert shell.errors == []


def test_a_user_who_is_not_admin_cannot_set_app_options(sim, open_shell):  # §6.2
    shell = open_shell(sim, user=3)
    shell.frame.evaluate("() => BX24.appOption.set('color', 'red', () => {})")
    shell.page.wait_for_timeout(300)
    assert sim.portal.app_options == {} and shell.entries("setAppOption") == []


def test_mobile_mode_is_phone_sized_and_open_path_is_not_supported(sim, open_shell):  # §12.4
    shell = open_shell(sim, phone=True, mobile=True, lang="ru")
    box = shell.page.locator("#app-frame").bounding_box()
    assert (box["width"], box["height"]) == (390, 844)
    answer = shell.frame.evaluate("() => frameCall('openPath', ['/crm/contact/details/2/'])")
    assert answer == {"result": "error", "errorCode": "METHOD_NOT_SUPPORTED_ON_DEVICE"}
    assert init_of(shell)["lang"] == "ru"


def test_install_mode_runs_the_installer_then_reloads_into_the_app(sim, open_shell):  # §12.2
    shell = open_shell(sim, install=True)  # waits for index.html's init, after the installer
    assert "/app/index.html?" in shell.frame.url
    assert sim.portal.installed is True
    assert init_of(shell)["appOption"] == "green"  # set by the installer, an admin, before installing
    first, second = shell.entries("getInitData")
    assert (first["answer"]["INSTALL"], first["answer"]["FIRST_RUN"]) == (True, True)
    assert (second["answer"]["INSTALL"], second["answer"]["FIRST_RUN"]) == (False, False)
    assert [e["cmd"] for e in shell.log()] == ["getInitData", "setAppOption", "setInstallFinish", "getInitData"]
    assert shell.log()[2]["effect"]["navigate"].startswith("/app/index.html?")
    assert shell.errors == []


def test_with_the_servers_rewrite_the_app_needs_no_route(open_shell):
    """`python -m b24sim serve` points the app's BX24.js reference at /api/v1/ itself."""
    with serve_in_thread(portal(5), app_dir=SHELL_APP) as face:
        shell = open_shell(face, route_bx24=False)
        assert shell.guard.stand_in == 0 and init_of(shell)["domain"] == f"127.0.0.1:{face.port}"
        assert shell.frame.evaluate("() => call('user.current', {})")["data"]["ID"] == "1"


# --- a client's history: the card tabs and the deep link (spec/history.md "Where it opens") ----

def test_a_card_tab_opens_the_bound_handler_with_the_records_id_and_fits_its_height(sim, open_shell):  # §11, A.2
    handler = f"{sim.base_url}/app/index.html?view=history"
    auth = sim.portal.issue_token(1)["access_token"]
    bound = sim.portal.call("placement.bind", {"PLACEMENT": "CRM_COMPANY_DETAIL_TAB", "HANDLER": handler,
                                               "TITLE": "History"}, auth=auth)
    assert bound.status == 200
    company = open_shell(sim, placement="CRM_COMPANY_DETAIL_TAB", options={"ID": 42})
    assert company.frame.url.startswith(handler + "&DOMAIN=")
    assert init_of(company)["placement"] == {"placement": "CRM_COMPANY_DETAIL_TAB", "options": {"ID": "42"}}
    company.frame.evaluate("() => { document.body.style.height = '1500px'; }")
    company.frame.evaluate("() => frameCall('fitWindow', [])")
    resize = company.wait_for_log("resizeWindow", answered=True)
    assert resize["params"]["width"] == "100%" and resize["params"]["height"] >= 1500
    assert company.page.locator("#app-frame").bounding_box()["height"] == resize["params"]["height"]
    contact = open_shell(sim, placement="CRM_CONTACT_DETAIL_TAB", options={"ID": "7"})   # not bound: the app
    assert "/app/index.html?DOMAIN=" in contact.frame.url
    assert init_of(contact)["placement"] == {"placement": "CRM_CONTACT_DETAIL_TAB", "options": {"ID": "7"}}
    assert company.errors == contact.errors == []


def test_open_application_opens_the_app_in_a_slider_naming_the_client(sim, open_shell):  # §6.2, A.4
    shell = open_shell(sim, user=2, lang="en")
    shell.frame.evaluate("""() => { window.__closed = new Promise(done => BX24.openApplication(
        {entity: 'company', id: 42}, function () { done(arguments.length); }, {width: 900})); }""")
    shell.page.locator("#app-slider").wait_for(state="visible", timeout=WAIT_MS)
    opened = shell.wait_for_log("openApplication")
    assert opened["effect"]["application"].startswith("/shell?") and "placement=DEFAULT" in opened["effect"]["application"]

    def nested():
        return [f for f in shell.page.frames if "/app/index.html" in f.url and f.parent_frame is not None
                and f.parent_frame.parent_frame is not None]

    deadline = time.monotonic() + WAIT_MS / 1000
    while not nested() and time.monotonic() < deadline:
        shell.page.wait_for_timeout(50)
    (app,) = nested()
    app.wait_for_function("() => window.__app && window.__app.init", timeout=WAIT_MS)
    init = app.evaluate("() => window.__app.init")
    assert init["placement"] == {"placement": "DEFAULT",                 # scalars as strings, as a tab's ID
                                 "options": {"entity": "company", "id": "42", "bx24_width": "900"}}
    assert sim.portal.tokens[init["auth"]["access_token"]][0] == 2 and init["lang"] == "en"
    session = sim.shell.sessions[shell.page.evaluate("() => window.__shell.config.app_sid")]
    assert session.opened_apps == [{"entity": "company", "id": 42, "bx24_width": 900}]

    app.evaluate("() => BX24.closeApplication()")
    assert shell.frame.evaluate("() => window.__closed") == 0          # closeCallback, called without arguments
    assert shell.page.locator("#app-slider").is_hidden()
    assert shell.errors == []
