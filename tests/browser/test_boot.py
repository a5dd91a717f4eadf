"""www/boot.js in Chromium: the portal mode inside the simulated shell (BX24.js, the
user, the namespace, the cached first paint, the language), the standalone mode
without BX24.js, and its failures as codes Python turns into sentences.

Most tests open boot.html (www/index.html without PyScript: boot.js alone, in
the page's real head and skeleton); one opens the harness to see the Python side.
"""

from __future__ import annotations

import re

import pytest

from b24clients.strings import pick_language
from b24sim.portal import RestError
from simkit import portal

pytestmark = pytest.mark.e2e

READY = """() => window.b24cBoot.ready.then(
    (value) => value, (error) => ({rejected: true, code: error.code, message: error.message}))"""
SAVE_VIEW = """async ([ns, words, savedAt, lang]) => {
    const node = document.createElement('div');
    const card = document.createElement('section');
    card.className = 'card';
    const title = document.createElement('h2');
    title.textContent = words;
    card.append(title);
    node.append(card);
    await b24cIdb.saveView(ns, {html: b24cView.capture(node), savedAt: savedAt, lang: lang});
}"""
APP_STATE = """() => {
    const app = document.getElementById('app');
    const note = app.querySelector('.cached-note');
    return {text: app.textContent, note: note ? note.textContent : null, inert: app.inert,
            cached: app.getAttribute('data-cached'), busy: app.getAttribute('aria-busy'),
            at: window.__cachedViewAt === undefined ? null : window.__cachedViewAt,
            lang: document.documentElement.lang, title: document.title,
            pyError: window.__pyError === undefined ? null : window.__pyError};
}"""


def boot_page(browsing, face, *, context=None, **query):
    return browsing.open(face.shell_url(app="/app/boot.html", **query), context=context, wait_harness=False)


def ready(opened) -> dict:
    return opened.frame.evaluate(READY)


def bx24_requests(opened) -> list[str]:
    return [u for u in opened.guard.seen if "/api/v1" in u or "api.bitrix24.com" in u]


def test_portal_mode_knows_the_user_and_the_namespace(serve, browsing):
    face = serve(portal(5))
    face.portal.app_options["settings"] = '{"version": 1}'
    anna = boot_page(browsing, face, user=1, lang="en", placement="CRM_ANALYTICS_MENU")
    value = ready(anna)
    assert value == {**value, "mode": "portal", "ns": "sim:1", "memberId": "sim", "userId": "1", "lang": "en",
                     "language": "en", "isAdmin": True, "placement": "CRM_ANALYTICS_MENU", "placementOptions": {},
                     "appOptions": {"settings": '{"version": 1}'}, "cachedView": False, "protocol": "0",
                     "domain": f"127.0.0.1:{face.port}"}
    assert value["user"]["NAME"] == "Anna"
    assert bx24_requests(anna) == [face.base_url + "/api/v1/"]  # the meta's address, rewritten by the simulator

    boris = boot_page(browsing, face, user=2, lang="ru", placement="CRM_CONTACT_DETAIL_TAB", options={"ID": 3})
    value = ready(boris)
    assert (value["ns"], value["userId"], value["isAdmin"], value["lang"], value["language"]) == \
        ("sim:2", "2", False, "ru", "ru")
    assert value["placementOptions"] == {"ID": "3"}
    state = boris.frame.evaluate(APP_STATE)
    assert (state["lang"], state["title"]) == ("ru", "Клиенты")
    assert "Загрузка…" in state["text"] and state["busy"] == "true" and state["pyError"] is None
    # One request for the user and the app's options: user.current and app.option.get in one batch.
    served = [r for r in face.requests if r["method"] == "batch"]
    assert len(served) == 2 and served[-1]["params"]["cmd"] == {"user": "user.current", "options": "app.option.get"}


@pytest.mark.parametrize("portal_lang, ui", [("ua", "ru"), ("kz", "ru"), ("by", "ru"), ("de", "en"), ("en", "en")])
def test_the_portal_language_picks_the_ui_language(serve, browsing, portal_lang, ui):
    face = serve(portal(5))
    opened = boot_page(browsing, face, user=1, lang=portal_lang)
    value = ready(opened)
    assert (value["lang"], value["language"]) == (portal_lang, ui)
    assert opened.frame.evaluate("() => document.documentElement.lang") == ui == pick_language(portal_lang)


def test_boot_js_and_python_map_languages_the_same_way(serve, browsing):
    face = serve(portal(5))
    opened = browsing.open(face.base_url + "/app/boot.html", frame=False, wait_harness=False)
    values = [None, "", "en", "ru", "RU", " ua ", "UA", "by", "kz", "de", "la", "tr", "br", "ua-x", "russian"]
    in_js = opened.frame.evaluate("(values) => values.map((v) => window.b24cBoot.pickLanguage(v))", values)
    assert in_js == [pick_language(v) for v in values]
    assert in_js[:9] == ["en", "en", "en", "ru", "ru", "ru", "ru", "ru", "ru"]


def test_the_last_view_is_painted_for_the_same_user_only(serve, browsing):
    face = serve(portal(5))
    context = browsing.context()
    first = boot_page(browsing, face, context=context, user=1, lang="en")
    ns = ready(first)["ns"]
    first.frame.evaluate(SAVE_VIEW, [ns, "Saved dashboard 42", "2026-11-20T09:30:00Z", "en"])

    again = boot_page(browsing, face, context=context, user=1, lang="en")
    assert ready(again)["cachedView"] is True
    state = again.frame.evaluate(APP_STATE)
    assert "Saved dashboard 42" in state["text"] and "Loading…" not in state["text"]
    assert re.fullmatch(r"Cached · November 20, 2026(,| at) \d\d:\d\d( AM| PM)?", state["note"]), state["note"]
    assert state["inert"] is True and state["cached"] == "true" and state["at"] > 0
    assert again.frame.locator("#app > .cached-note").count() == 1
    assert again.frame.locator("#app section.card h2").text_content() == "Saved dashboard 42"

    other = boot_page(browsing, face, context=context, user=5, lang="en")
    assert ready(other)["cachedView"] is False
    state = other.frame.evaluate(APP_STATE)
    assert "Saved dashboard" not in state["text"] and state["note"] is None and state["at"] is None
    assert state["inert"] is False and "Loading…" in state["text"]

    # In Russian, and only in the language it was saved in.
    boris = boot_page(browsing, face, context=context, user=2, lang="ru")
    boris.frame.evaluate(SAVE_VIEW, ["sim:2", "Сохранённый вид", "2026-11-20T09:30:00Z", "ru"])
    boris = boot_page(browsing, face, context=context, user=2, lang="ru")
    assert ready(boris)["cachedView"] is True
    assert boris.frame.evaluate(APP_STATE)["note"].startswith("Из кэша · 20 ноября 2026")
    english = boot_page(browsing, face, context=context, user=2, lang="en")
    assert ready(english)["cachedView"] is False


def test_standalone_mode_requests_no_bx24(serve, browsing):
    face = serve(portal(5))
    opened = browsing.open(face.base_url + "/app/boot.html?lang=ru", frame=False, wait_harness=False)
    assert ready(opened) == {"mode": "standalone", "lang": "ru", "language": "ru"}
    opened.page.wait_for_load_state("networkidle")
    assert bx24_requests(opened) == []
    assert any(u.endswith("/app/demo/snapshot.json") for u in opened.guard.seen)  # the demo data preloads
    assert opened.frame.evaluate("() => window.BX24") is None
    assert opened.frame.evaluate(APP_STATE)["lang"] == "ru"


def test_user_current_refused_is_no_crm_access_and_python_says_so(serve, browsing):
    sim = portal(5)

    def refused(portal_, caller, params):
        raise RestError(401, "insufficient_scope", "The request requires higher privileges than provided.")

    sim.methods = {**sim.methods, "user.current": refused}
    face = serve(sim)
    value = ready(boot_page(browsing, face, user=1))
    assert value["rejected"] is True and value["code"] == "no_crm_access"
    assert "insufficient_scope" in value["message"]

    harness = browsing.open(face.shell_url(user=1, app="/app/harness.html"))
    state = harness.frame.evaluate("() => window.__harness")
    assert state["code"] == "no_crm_access" and state["connectError"].startswith("BootFailed: user.current: ")
    assert harness.frame.evaluate("() => window.b24cBoot.error.code") == "no_crm_access"


def test_other_failures_are_bx24_failed_and_not_a_crash(serve, browsing, app_dir):
    sim = portal(5)
    sim.faults.denied_users.add(3)
    face = serve(sim)
    value = ready(boot_page(browsing, face, user=3))
    assert (value["rejected"], value["code"]) == (True, "bx24_failed") and "user_access_error" in value["message"]

    page = (app_dir / "boot.html").read_text(encoding="utf-8")
    broken = page.replace('content="//api.bitrix24.com/api/v1/"', 'content="/missing/bx24.js"')
    assert broken != page
    (app_dir / "boot-missing-bx24.html").write_text(broken, encoding="utf-8")
    opened = browsing.open(face.shell_url(user=1, app="/app/boot-missing-bx24.html"), wait_harness=False)
    value = ready(opened)
    assert (value["rejected"], value["code"]) == (True, "bx24_failed") and "did not load" in value["message"]
    assert opened.frame.evaluate(APP_STATE)["pyError"] is None  # left to Python to say, in words
