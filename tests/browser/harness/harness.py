# The test harness page's Python (tests/browser/): our package in the real
# browser, behind one entry point the tests call through Playwright:
#
#   window.harnessCall(name, argsJson) -> Promise of a JSON string
#       {"ok": result} or {"error": class name, "message": ..., "trace": ...}
#
# window.__harness = {ready, context | connectError} once portal.connect()
# has settled. A sync run started with "engine_start" reports in
# window.__engine = {months: [...], phase, done, error}.
import asyncio
import json
import time
import traceback
from dataclasses import asdict
from datetime import date

import js
from pyodide.ffi import create_proxy, to_js

from b24clients.rest.transport import TransportLost
from b24clients.web import bx24, portal
from b24clients.web.idbstore import IndexedDbStore
from b24clients.strings import pick_language

CONTEXT = None
ENGINE = {"task": None, "result": None}


class ScaledClock:
    """The simulated portal's RealClock(scale) seen from the page: same origin, same speed."""

    def __init__(self, scale: float, origin: float):
        self.scale, self.origin = scale, origin

    def now(self) -> float:
        return self.origin + (time.time() - self.origin) * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.scale)


def js_object(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


# --- handlers ------------------------------------------------------------------


async def context():
    return asdict(CONTEXT)


async def languages(values):
    return [pick_language(value) for value in values]


async def store(op, ns, meta=None, chunk=None, chunks=None, html=None, saved_at=None, lang=None):
    s = IndexedDbStore(ns)
    if op == "load":
        loaded_meta, loaded = await s.load()
        return {"meta": loaded_meta, "chunks": loaded}
    if op == "commit":
        return await s.commit(meta, chunk)
    if op == "replace":
        return await s.replace(meta, chunks or [])
    if op == "clear":
        return await s.clear()
    if op == "save_view":
        return await s.save_view(html, saved_at, lang)
    if op == "load_view":
        return await s.load_view()
    raise ValueError(op)


async def send(method, params, timeout=None, hide_xhr=False):
    """One call through Bx24Transport; hide_xhr makes callMethod return nothing
    (as when BX24.js queues a call), leaving only the timeout to notice a loss."""
    transport = bx24.Bx24Transport(timeout_s=timeout)
    original = js.BX24.callMethod
    if hide_xhr:
        js.eval("(function () { var f = BX24.callMethod;"
                " BX24.callMethod = function (m, p, cb) { f(m, p, cb); }; })()")
    started = time.monotonic()
    try:
        response = await transport.send(method, params)
        return {"status": response.status, "body": response.body, "seconds": time.monotonic() - started}
    except TransportLost as error:
        return {"lost": str(error), "seconds": time.monotonic() - started, "count": transport.lost}
    finally:
        if hide_xhr:
            js.BX24.callMethod = original


async def auth():
    value = js.BX24.getAuth()
    return bx24.py_value(value) if value else None


async def refresh():
    transport = bx24.Bx24Transport()
    before = js.BX24.getAuth().access_token
    await asyncio.gather(transport.refresh(), transport.refresh(), transport.refresh())
    return {"before": before, "after": js.BX24.getAuth().access_token}


async def gateway_call(method, params, scale, origin):
    gateway = portal.make_gateway(ScaledClock(scale, origin))
    answer = await gateway.call(method, params)
    return {"result": answer.result, "total": answer.total, "next": answer.next,
            "requests": gateway.stats.requests, "retries": gateway.stats.retries}


async def frame_helpers():
    await bx24.init()
    return {"placement": bx24.placement_info(), "admin": bx24.is_admin(), "lang": bx24.lang(),
            "color": bx24.app_option("color")}


async def set_option(option, value):
    try:
        return {"options": await bx24.set_app_option(option, value)}
    except PermissionError as error:
        return {"refused": str(error)}


async def open_path(path):
    return await bx24.open_path(path)


async def conversion(rows):
    """to_py() of a batch-sized answer against JSON text + json.loads, in ms."""
    payload = js.JSON.parse(json.dumps({"result": {"result": {f"c{i}": [
        {"ID": str(i * 50 + j), "NAME": f"Name {j}", "LAST_NAME": None, "DATE_CREATE": "2024-01-01T10:00:00+03:00",
         "COMPANY_ID": None, "ASSIGNED_BY_ID": "1", "PHONE": [{"VALUE": "+7", "TYPE_ID": "PHONE"}]}
        for j in range(50)] for i in range(rows // 50)}}}))
    t = time.perf_counter()
    converted = payload.to_py()
    to_py_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    json.loads(js.JSON.stringify(payload))
    json_ms = (time.perf_counter() - t) * 1000
    sample = converted["result"]["result"]["c0"][0]
    return {"to_py_ms": to_py_ms, "json_ms": json_ms, "null_is_none": sample["LAST_NAME"] is None}


# --- the sync engine in the page ------------------------------------------------------


def _report(progress) -> None:
    state = js.window.__engine
    state.phase = progress.phase
    if progress.phase == "months" and progress.month:
        state.months.push(progress.month)


async def engine_start(scale, origin, today, write_back=False):
    js.window.__engine = js_object({"months": [], "phase": "starting", "done": False, "error": None})
    gateway = portal.make_gateway(ScaledClock(scale, origin))
    engine = portal.make_engine(CONTEXT, gateway, on_progress=_report, today=date.fromisoformat(today),
                                write_back=write_back)

    async def run():
        started = time.monotonic()
        try:
            result = await engine.run()
            ENGINE["result"] = {"counts": result.counts, "clients": [row.to_json() for row in result.rows],
                                "first_run": result.first_run, "seconds": time.monotonic() - started,
                                "requests": gateway.stats.requests, "retries": gateway.stats.retries,
                                "http_503": gateway.stats.http_503, "http_429": gateway.stats.http_429}
        except BaseException as error:
            js.window.__engine.error = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
            raise
        finally:
            js.window.__engine.done = True

    ENGINE["task"] = asyncio.ensure_future(run())
    return True


async def engine_result():
    return ENGINE["result"]


HANDLERS = {f.__name__: f for f in (context, languages, store, send, auth, refresh, gateway_call, frame_helpers,
                                      set_option, open_path, conversion, engine_start, engine_result)}


async def dispatch(name, args_json):
    try:
        result = await HANDLERS[name](**json.loads(args_json))
        return json.dumps({"ok": result}, default=str)
    except Exception as error:
        return json.dumps({"error": type(error).__name__, "message": str(error), "trace": traceback.format_exc()})


js.window.harnessCall = create_proxy(dispatch)
try:
    CONTEXT = await portal.connect()  # noqa: F704 (PyScript allows top-level await)
    js.window.__harness = js_object({"ready": True, "context": json.dumps(asdict(CONTEXT))})
except Exception as error:
    js.window.__harness = js_object({"ready": True, "connectError": f"{type(error).__name__}: {error}",
                                     "code": getattr(error, "code", None)})
js.window.__pyReadyAt = js.performance.now()  # as the app does: boot.js's fallback stands down
