"""The Python side of the boot (docs/app.md): who and where the page is, and the
gateway, store and engine that belong to that user on that portal.

boot.js has already decided the mode, loaded BX24.js, asked `user.current`
and painted the cached view; `connect()` only awaits `window.b24cBoot.ready`
and turns its answer into a `Context`.  In a portal everything is keyed by
the namespace "MEMBER_ID:USER_ID": one user's progress is never read for
another user of the same browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import js
from pyodide.ffi import JsException

from ..rest.clock import Clock, SystemClock
from ..rest.gateway import Gateway
from ..rest.pacing import Limits
from .bx24 import Bx24Transport, py_value
from .idbstore import IndexedDbStore
from ..strings import pick_language


class BootFailed(Exception):
    """The page could not start in the portal; `code` says why:
    "no_crm_access" (user.current refused) or "bx24_failed" (anything else)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Context:
    mode: str
    """"portal" or "standalone"."""
    lang: str
    """The UI language, "en" or "ru" (from BX24.getLang() in a portal, ?lang= standalone)."""
    portal_lang: str = ""
    """The language code as the portal gave it ("ua", "de", ...)."""
    ns: str | None = None
    """"MEMBER_ID:USER_ID": the key of everything this page stores."""
    member_id: str | None = None
    user_id: int | None = None
    user: dict = field(default_factory=dict)
    is_admin: bool = False
    placement: str = "DEFAULT"
    placement_options: dict = field(default_factory=dict)
    app_options: dict = field(default_factory=dict)
    cached_view: bool = False
    """boot.js painted this user's last dashboard from the cache."""
    domain: str = ""
    protocol: str = "1"
    """"1" https, "0" http (the simulated portal)."""
    plain_links: bool = False
    """Open CRM cards as plain links: BX24.openPath is not available (the mobile app)."""


async def connect() -> Context:
    """The page's context, once boot.js's `b24cBoot.ready` has settled.

    Raises BootFailed (with its `code`) when the portal refused or BX24.js failed."""
    boot = getattr(js.window, "b24cBoot", None)
    if boot is None:  # boot.js is not on this page: a plain standalone page
        query = js.URLSearchParams.new(js.location.search)
        return Context(mode="standalone", lang=pick_language(py_value(query.get("lang"))))
    try:
        answer = await boot.ready
    except JsException as error:
        failure = py_value(getattr(boot, "error", None)) or {}
        code = str(failure.get("code") or getattr(error, "code", None) or "bx24_failed")
        raise BootFailed(code, str(failure.get("message") or error)) from None
    data = py_value(answer) or {}
    if data.get("mode") != "portal":
        return Context(mode="standalone", lang=pick_language(data.get("lang")), portal_lang="")
    user = dict(data.get("user") or {})
    agent = str(js.navigator.userAgent or "")
    return Context(
        mode="portal",
        lang=pick_language(data.get("lang")),
        portal_lang=str(data.get("lang") or ""),
        ns=str(data["ns"]),
        member_id=str(data.get("memberId") or ""),
        user_id=int(data["userId"]),
        user=user,
        is_admin=bool(data.get("isAdmin")),
        placement=str(data.get("placement") or "DEFAULT"),
        placement_options=dict(data.get("placementOptions") or {}),
        app_options=_options(data.get("appOptions")),
        cached_view=bool(data.get("cachedView")),
        domain=str(data.get("domain") or ""),
        protocol=str(data.get("protocol") or "1"),
        plain_links="BitrixMobile" in agent,
    )


def _options(value) -> dict:
    """app.option.get's answer: an object, or [] when the app has none."""
    return dict(value) if isinstance(value, dict) else {}


IN_FLIGHT = 6
"""Requests the page keeps in flight: as many as Chromium opens to one host over HTTP/1.1.
More would wait in the browser's own queue, out of our order and of the place a Refresh's
counts leave for its changes (`engine.count_places`); over HTTP/2 this costs little, since
the bucket, not the connections, sets the pace of a long run."""


class StoredLevel:
    """The bucket's level as this browser's pages of the app last left it (localStorage, per
    portal): a reload right after a Refresh, or the card tab beside the app, would otherwise
    take a bucket the last page filled for an empty one and meet 503s.  A page that may not
    use localStorage keeps its own level, as before."""

    def __init__(self, member_id: str):
        self.key = f"b24clients.bucket.{member_id}"

    def load(self) -> tuple[float, float] | None:
        try:
            level, at = (float(x) for x in str(js.localStorage.getItem(self.key) or "").split())
        except (JsException, ValueError, AttributeError):
            return None
        return level, at

    def save(self, level: float, at: float) -> None:
        try:
            js.localStorage.setItem(self.key, f"{level:.3f} {at:.3f}")
        except (JsException, AttributeError):
            pass


def make_gateway(clock: Clock | None = None, *, context: Context | None = None, limits: Limits | None = None,
                 transport: Bx24Transport | None = None) -> Gateway:
    """The gateway over BX24.js, paced to the standard plan's limits (2 requests/s,
    burst 50, 480 s per method per 10 minutes); Enterprise portals only go faster."""
    shared = StoredLevel(context.member_id) if context is not None and context.member_id else None
    return Gateway(transport or Bx24Transport(), clock or SystemClock(), limits=limits or Limits(),
                   max_in_flight=IN_FLIGHT, shared=shared)


def make_store(context: Context, *, pause=None, part: str = "") -> IndexedDbStore:
    """This user's progress store on this portal (`pause`: awaited between chunks on load);
    `part` names another store of the same user (the reading run's)."""
    if not context.ns:
        raise ValueError("the progress store needs a portal user (the page runs standalone)")
    return IndexedDbStore(f"{context.ns}#{part}" if part else context.ns, pause=pause)


def make_engine(context: Context, gateway: Gateway | None = None, store=None, settings=None, *,
                on_progress=None, **options):
    """The sync engine for this user: `settings` (b24clients.settings.Settings, or
    None for the defaults) gives thresholds, pipelines, write-back and ranks; `options`
    go to SyncEngine as they are (today=, months_in_flight=, ...)."""
    from ..sync.engine import SyncEngine

    kwargs: dict = {}
    if settings is not None:
        kwargs["thresholds"] = settings.thresholds
        kwargs["write_back"] = bool(getattr(settings, "write_back", True))
        kwargs["rank_settings"] = settings.ranks
        pipelines = getattr(settings, "pipelines", None)
        if pipelines is not None:
            kwargs["pipelines"] = set(pipelines)
    kwargs.update(options)
    return SyncEngine(gateway or make_gateway(context=context), store if store is not None else make_store(context),
                      on_progress=on_progress, **kwargs)
