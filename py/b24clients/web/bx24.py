"""BX24.js through the Pyodide FFI: the gateway's transport inside a Bitrix24 page,
and the few frame helpers the page needs.

BX24.js quirks this works with (bitrix24-rest.md §1.5, §2.2, §3.1, §5.2, §6):

- `callMethod` drops `params.start`.  The gateway reads lists through
  `batch`, whose commands are query strings that keep their own `start`;
  a batch is sent as the plain method "batch" through `callMethod`, so the
  whole answer (`result_time` included) comes back.  Any other call that
  carries `start` is wrapped here into a one-command batch, so the portal
  sees it, and unwrapped into the answer a single call would give.
- On an HTTP 5xx, a network error or an answer that is not JSON, BX24.js
  throws 'Query error!' and never calls back.  `callMethod` returns the
  XHR when it sends at once: when that XHR ends with such a status and no
  callback came, the call is lost at once; otherwise (the call was queued
  behind init, a token refresh or the library's throttle) it is lost after
  TIMEOUT_S.  Either way TransportLost, which the gateway retries.
- On `expired_token` BX24.js refreshes the token through the parent and
  resends by itself; the gateway's `refresh()` (a second expiry) and a
  token that `getAuth()` already reports as expired go through
  `BX24.refreshAuth`, one refresh at a time.
- An answer crosses the FFI once, as JSON text (`JSON.stringify` in JS,
  `json.loads` here): faster than `to_py()` on a 2,500-row batch and, unlike
  it, turns JS null into None.  An error answer is read field by field (it
  carries BX24.js's error object).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

import js
from pyodide.ffi import JsProxy, create_once_callable, create_proxy, to_js

try:
    from pyodide.ffi import jsnull
except ImportError:  # Pyodide before 0.26 gives JS null as None
    jsnull = None

from ..rest.query import build
from ..rest.transport import Response, TransportLost

TIMEOUT_S = 90.0
"""A call whose callback has not come by then is lost (a real portal gives up on a request at 60 s)."""
LOST_AFTER_END_S = 0.5
"""After its XHR ended with a status BX24.js throws on, how long a callback may still come."""
REFRESH_TIMEOUT_S = 30.0
"""The parent window answers refreshAuth; a parent that never does must not hang the run."""

_SUB = "c"
"""The key of the one command when a call with `start` is wrapped into a batch."""
_SUB_STATUS = {
    "OPERATION_TIME_LIMIT": 429, "QUERY_LIMIT_EXCEEDED": 503, "expired_token": 401, "invalid_token": 401,
    "NO_AUTH_FOUND": 401, "ACCESS_DENIED": 403, "insufficient_scope": 403, "user_access_error": 403,
    "ERROR_METHOD_NOT_FOUND": 404, "INTERNAL_SERVER_ERROR": 500,
}
"""A batch command's error carries no HTTP status: the one a single call would have had."""


def _bx24():
    bx24 = getattr(js.window, "BX24", None)
    if bx24 is None:
        raise TransportLost("BX24.js is not loaded (the page is not open inside Bitrix24)")
    return bx24


def _plain(value):
    """Parameters as BX24.js should encode them, the same as rest.query.build does:
    True/False as Y/N, None as an empty value, an empty mapping as an empty array."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()} if value else []
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is True:
        return "Y"
    if value is False:
        return "N"
    if value is None:
        return ""
    return value


def to_js_object(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


def py_value(value):
    """A JS value as Python data: JSON-like objects as dicts and lists, null and
    undefined as None (`to_py()` would keep nulls as `jsnull`)."""
    if value is None or value is jsnull:
        return None
    if isinstance(value, JsProxy):
        text = js.JSON.stringify(value)
        return json.loads(text) if isinstance(text, str) else None
    return value


def _body(answer) -> dict:
    """The parsed JSON answer as a dict, converted once: JSON text across the FFI and
    json.loads (faster than `to_py()` on a 2,500-row batch, and nulls become None)."""
    if not isinstance(answer, JsProxy) or answer is jsnull:
        return {}
    error = getattr(answer, "error", None)
    if error is not None and error is not jsnull:
        # An error answer also carries `ex`, BX24.js's AjaxError: take only the JSON fields.
        holder = answer if isinstance(error, str) else error
        code = error if isinstance(error, str) else py_value(getattr(error, "error", None))
        return {"error": str(code or ""), "error_description": str(py_value(getattr(holder, "error_description", None))
                                                                  or "")}
    body = py_value(answer)
    return body if isinstance(body, dict) else {}


def _wrap(method: str, params: dict) -> tuple[str, dict]:
    return "batch", {"halt": 0, "cmd": {_SUB: f"{method}?{build(params)}"}}


def _unwrap(response: Response) -> Response:
    """The answer a single call would have given, from a one-command batch's."""
    if response.status != 200:
        return response
    outer = response.body.get("result") or {}

    def part(name: str):
        block = outer.get(name) if isinstance(outer, dict) else None
        return block.get(_SUB) if isinstance(block, dict) else None

    error = part("result_error")
    if isinstance(error, dict):
        code = str(error.get("error") or "")
        return Response(_SUB_STATUS.get(code, 400), {"error": code, "error_description":
                                                     str(error.get("error_description") or "")})
    body: dict = {"result": part("result")}
    if part("result_next") is not None:
        body["next"] = part("result_next")
    if part("result_total") is not None:
        body["total"] = part("result_total")
    body["time"] = part("result_time") or response.body.get("time") or {}
    return Response(200, body)


class Bx24Transport:
    """`rest.transport.Transport` over `BX24.callMethod`."""

    def __init__(self, *, timeout_s: float | None = None):
        self.timeout_s = timeout_s
        self._refreshing: asyncio.Future | None = None
        self.lost = 0
        """Calls given up as lost (for tests and diagnostics)."""

    async def send(self, method: str, params: dict) -> Response:
        bx24 = _bx24()
        wrapped = method != "batch" and "start" in params
        if wrapped:
            method, params = _wrap(method, params)
        if not bx24.getAuth():  # expired while the tab slept: one refresh for everyone waiting
            await self.refresh()
        response = await self._call(bx24, method, params)
        return _unwrap(response) if wrapped else response

    async def _call(self, bx24, method: str, params: dict) -> Response:
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def answered(result) -> None:
            if future.done():
                return
            try:
                status = int(getattr(result, "status", 0) or 200)
                future.set_result(Response(status, _body(getattr(result, "answer", None))))
            except Exception as error:  # a malformed answer: treat as no answer
                future.set_exception(TransportLost(f"{method}: unreadable answer ({error})"))

        callback = create_once_callable(answered)
        xhr = bx24.callMethod(method, to_js_object(_plain(params)), callback)
        watcher = None
        if isinstance(xhr, JsProxy) and hasattr(xhr, "addEventListener"):
            def ended(*_) -> None:
                status = int(getattr(xhr, "status", 0) or 0)
                if not future.done() and not (200 <= status < 300 or 400 <= status < 500 or status == 304):
                    loop.call_later(LOST_AFTER_END_S, _lose, future,
                                    f"{method}: {f'HTTP {status}' if status else 'network error'}; BX24.js never called back")

            watcher = create_proxy(ended)
            xhr.addEventListener("loadend", watcher)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout_s or TIMEOUT_S)
        except asyncio.TimeoutError:
            self.lost += 1
            raise TransportLost(f"{method}: BX24.js did not call back within {self.timeout_s or TIMEOUT_S:g} s") \
                from None
        except TransportLost:
            self.lost += 1
            raise
        finally:
            if watcher is not None:
                xhr.removeEventListener("loadend", watcher)
                watcher.destroy()

    async def refresh(self) -> None:
        """A fresh token from the parent window (BX24.refreshAuth), shared by concurrent callers."""
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.ensure_future(self._refresh())
        await asyncio.shield(self._refreshing)

    async def _refresh(self) -> None:
        future = asyncio.get_running_loop().create_future()

        def done(*_) -> None:
            if not future.done():
                future.set_result(None)

        _bx24().refreshAuth(create_once_callable(done))
        try:
            await asyncio.wait_for(future, REFRESH_TIMEOUT_S)
        except asyncio.TimeoutError:
            raise TransportLost(f"BX24.refreshAuth did not answer within {REFRESH_TIMEOUT_S:g} s") from None


def _lose(future: asyncio.Future, message: str) -> None:
    if not future.done():
        future.set_exception(TransportLost(message))


# --------------------------------------------------------------------------
# the frame: init, who and where we are, slider, options


async def init() -> None:
    """Wait for BX24.init (at once when boot.js has already initialised)."""
    future = asyncio.get_running_loop().create_future()

    def ready(*_) -> None:
        if not future.done():
            future.set_result(None)

    _bx24().init(create_once_callable(ready))
    await future


def placement_info() -> dict:
    """{"placement": "DEFAULT" | "CRM_CONTACT_DETAIL_TAB" | ..., "options": {...}}."""
    info = py_value(_bx24().placement.info()) or {}
    return {"placement": str(info.get("placement") or "DEFAULT"), "options": dict(info.get("options") or {})}


def is_admin() -> bool:
    """May this user manage the app's settings (BX24.isAdmin)?"""
    return bool(_bx24().isAdmin())


def lang() -> str:
    """The portal user's language code as BX24.js gives it ("ru", "en", "ua", ...)."""
    return str(_bx24().getLang() or "")


async def open_path(path: str) -> dict:
    """Open a portal path in a slider; {"result": "close"} once it is closed, or
    {"result": "error", "errorCode": "PATH_NOT_AVAILABLE" | "METHOD_NOT_SUPPORTED_ON_DEVICE"}."""
    future = asyncio.get_running_loop().create_future()

    def answered(answer=None) -> None:
        if not future.done():
            future.set_result(py_value(answer) if answer is not None else {})

    _bx24().openPath(path, create_once_callable(answered))
    answer = await future
    return answer if isinstance(answer, dict) else {"result": str(answer or "")}


def app_option(name: str):
    """An app option as the init data had it (None if unset)."""
    return py_value(_bx24().appOption.get(name))


async def set_app_option(name: str, value) -> dict:
    """Store an app option (admins only: BX24.js ignores others, so this raises
    PermissionError for them instead of waiting forever); returns all options."""
    bx24 = _bx24()
    if not bx24.isAdmin():
        raise PermissionError("only a portal administrator may change the app's settings")
    future = asyncio.get_running_loop().create_future()

    def answered(options=None) -> None:
        if not future.done():
            future.set_result(py_value(options) if options is not None else {})

    bx24.appOption.set(name, to_js_object(value) if isinstance(value, (dict, list)) else value,
                       create_once_callable(answered))
    try:
        options = await asyncio.wait_for(future, REFRESH_TIMEOUT_S)
    except asyncio.TimeoutError:
        raise TransportLost(f"app option {name}: the portal did not answer") from None
    return options if isinstance(options, dict) else {}


def fit_frame(height: int) -> None:
    """Ask the portal for a frame as tall as the page: its page scrolls, ours does not.

    `BX24.fitWindow` keeps the frame's width at 100 % (the portal's menu may open or
    close), but measures at least the frame's present height, so it only grows it; to
    shrink, `resizeWindow` (which sets a width in pixels) comes first, then `fitWindow`
    gives the width back to the portal."""
    bx24 = _bx24()
    current = int(js.window.innerHeight or 0)
    if 0 < height < current - 1:  # the portal answers in turn: fitWindow only after the resize is done
        bx24.resizeWindow(int(js.window.innerWidth), height, create_once_callable(lambda *_: bx24.fitWindow()))
    elif height > current:
        bx24.fitWindow()


def scroll_portal_to(top: int) -> None:
    """Scroll the portal's page (a side panel opens at the top of our frame)."""
    _bx24().scrollParentWindow(top)
