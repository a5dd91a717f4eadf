"""The portal shell: what a Bitrix24 page is to an app (bitrix24-rest.md §6.1, §11, §12).

A real portal page hosts the app in an ``<iframe name="DOMAIN|PROTOCOL|APP_SID">``
and answers the app's BX24.js over ``postMessage``.  Here the page is
``static/shell.html`` + ``static/shell.js``; the browser side only relays each
message to ``POST /_shell/message``, and this module decides the answer and
the page effect (resize, title, reload, slider), so what the parent does is
plain Python, testable without a browser, and every message is recorded in
``Shell.log`` as well as in the page's ``window.__shellLog``.

One ``Session`` per opened shell page (its APP_SID): the user, the language,
the placement and its options, install mode, mobile mode, the app's URL,
and the refresh token the parent holds for the frame.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from urllib.parse import urlencode, urlsplit

from .limits import RealClock
from .portal import RestError

STATIC = Path(__file__).with_name("static")
PHONE = (390, 844)
"""The frame size of mobile mode (a phone in portrait)."""

DETAIL_TABS = ("CRM_CONTACT_DETAIL_TAB", "CRM_COMPANY_DETAIL_TAB", "CRM_DEAL_DETAIL_TAB", "CRM_LEAD_DETAIL_TAB")


class ShellError(ValueError):
    """A /shell query that cannot open a page (unknown user, bad options JSON, ...)."""


@dataclass
class Session:
    sid: str
    user_id: int
    lang: str
    placement: str
    placement_options: dict
    install: bool
    mobile: bool
    app_url: str
    installer_url: str
    domain: str
    protocol: int
    refresh_id: str | None = None
    title: str = ""
    opened_paths: list[str] = field(default_factory=list)
    opened_apps: list[dict] = field(default_factory=list)
    """What `BX24.openApplication` passed, one entry per call (its `PLACEMENT_OPTIONS`)."""

    @property
    def first_run(self) -> bool:
        return self.install

    def frame_name(self) -> str:
        return f"{self.domain}|{self.protocol}|{self.sid}"

    def frame_src(self, url: str | None = None) -> str:
        """The app (or installer) URL with the query a portal adds to a handler."""
        url = url or (self.installer_url if self.install else self.app_url)
        query = urlencode({"DOMAIN": self.domain, "PROTOCOL": self.protocol, "LANG": self.lang, "APP_SID": self.sid})
        return url + ("&" if "?" in url else "?") + query


class Shell:
    def __init__(self, portal, *, app_dir: Path | None = None):
        self.portal = portal
        self.app_dir = app_dir
        self.sessions: dict[str, Session] = {}
        self.log: list[dict] = []
        """Every message any shell page relayed, with its answer and effect."""
        self._lock = threading.Lock()

    # --- opening a page ------------------------------------------------------

    def open(self, query: dict[str, str], *, domain: str, protocol: int) -> Session:
        """A new page from /shell's query: user, lang, placement, options, install, mobile, app, installer."""
        try:
            user_id = int(query.get("user") or 1)
        except ValueError:
            raise ShellError(f"user must be a number, not {query.get('user')!r}") from None
        with self.portal.lock:
            if user_id not in self.portal.users:
                raise ShellError(f"there is no user {user_id} on this portal")
        try:
            options = json.loads(query.get("options") or "{}")
        except json.JSONDecodeError as error:
            raise ShellError(f"options is not JSON: {error}") from None
        if not isinstance(options, dict):
            raise ShellError("options must be a JSON object, e.g. {\"ID\":\"5\"}")
        # The portal sends PLACEMENT_OPTIONS as a JSON string of strings (§11: "ID" is a string).
        options = {str(k): str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                   for k, v in options.items()}
        placement = query.get("placement") or "DEFAULT"
        app_url = query.get("app") or self._bound_handler(placement) or "/app/index.html"
        if not (app_url.startswith("/") or urlsplit(app_url).scheme in ("http", "https")):
            raise ShellError("app must be a path on this server (/app/...) or an http(s) URL")
        session = Session(
            sid=secrets.token_hex(16), user_id=user_id,
            lang=query.get("lang") or str((self.portal.data.get("portal") or {}).get("lang") or "ru"),
            placement=placement, placement_options=options,
            install=_flag(query.get("install")), mobile=_flag(query.get("mobile")),
            app_url=app_url, installer_url=query.get("installer") or self._installer_for(app_url),
            domain=domain, protocol=protocol)
        with self._lock:
            self.sessions[session.sid] = session
        return session

    def _bound_handler(self, placement: str) -> str | None:
        """The handler `placement.bind` gave this placement: a portal opens that page in a tab."""
        if placement == "DEFAULT":
            return None
        with self.portal.lock:
            return next((p["handler"] for p in self.portal.placements if p["placement"] == placement), None)

    def _installer_for(self, app_url: str) -> str:
        """The archive's install.html next to the app, if it exists (§12.1), else the app itself."""
        if self.app_dir is not None and app_url.startswith("/app/"):
            folder = app_url[len("/app/"):].split("?")[0].rpartition("/")[0]
            candidate = self.app_dir / folder / "install.html"
            if candidate.is_file():
                return f"/app/{folder + '/' if folder else ''}install.html"
        return app_url

    def page(self, session: Session) -> str:
        user = self.portal.users[session.user_id]
        width, height = PHONE if session.mobile else ("100%", 700)
        config = {"app_sid": session.sid, "domain": session.domain, "protocol": session.protocol,
                  "user": session.user_id, "lang": session.lang, "placement": session.placement,
                  "placement_options": session.placement_options, "install": session.install,
                  "mobile": session.mobile, "app": session.app_url, "installer": session.installer_url,
                  "frame_name": session.frame_name(), "frame_src": session.frame_src()}
        template = Template((STATIC / "shell.html").read_text(encoding="utf-8"))
        return template.substitute(
            lang=html.escape(session.lang),
            config=json.dumps(config, ensure_ascii=False).replace("<", "\\u003c"),
            body_class="mobile" if session.mobile else "desktop",
            user=html.escape(" ".join(filter(None, (user.get("NAME"), user.get("LAST_NAME"))))
                             or f"#{session.user_id}"),
            placement=html.escape(session.placement),
            mode=" · install" if session.install else "",
            frame_name=html.escape(session.frame_name(), quote=True),
            frame_src=html.escape(session.frame_src(), quote=True),
            width=width, height=height, date=html.escape(self.portal.date().isoformat()))

    # --- the parent's side of the frame protocol (§6.1) -------------------------

    def handle(self, sid: str, cmd: str, params: object) -> dict:
        """One message from the app: {"answer": ...} when the parent answers (None = an
        empty answer), {"effect": {...}} for the page, {} when the message is ignored."""
        session = self.sessions.get(sid)
        if session is None:
            raise KeyError(sid)
        params = params if isinstance(params, dict) else {}
        handler = getattr(self, "_cmd_" + cmd, None)
        if handler is not None:
            out = handler(session, params)
        elif cmd == "reloadData" and session.placement in DETAIL_TABS:
            out = {"answer": None, "effect": {"reloadData": True}}
        else:
            out = {}  # unknown (or placement-specific) commands are silently ignored
        with self._lock:
            self.log.append({"sid": sid, "cmd": cmd, "params": params, **out})
        return out

    def _auth(self, session: Session, pair: dict) -> dict:
        session.refresh_id = pair["refresh_token"]
        clock = self.portal.clock
        remaining = self.portal.tokens[pair["access_token"]][1] - clock.now()
        if isinstance(clock, RealClock):
            remaining /= clock.scale  # the browser counts real seconds
        return {"AUTH_ID": pair["access_token"], "REFRESH_ID": pair["refresh_token"],
                "AUTH_EXPIRES": max(1, int(remaining))}

    def _cmd_getInitData(self, s: Session, params: dict) -> dict:
        portal = self.portal
        with portal.lock:
            auth = self._auth(s, portal.issue_token(s.user_id))
            user = portal.users[s.user_id]
            answer = {
                "DOMAIN": s.domain, "PROTOCOL": s.protocol, "PATH": "/rest", "LANG": s.lang, **auth,
                "MEMBER_ID": portal.member_id, "IS_ADMIN": bool(user.get("ADMIN")),
                "APP_OPTIONS": dict(portal.app_options), "USER_OPTIONS": dict(portal.user_options.get(s.user_id, {})),
                "PLACEMENT": s.placement, "PLACEMENT_OPTIONS": dict(s.placement_options),
                "INSTALL": s.install, "FIRST_RUN": s.first_run,
            }
        return {"answer": answer}

    def _cmd_refreshAuth(self, s: Session, params: dict) -> dict:
        with self.portal.lock:
            try:
                pair = self.portal.refresh(s.refresh_id or "")
            except RestError:  # the parent's own session is still valid: it just issues a new pair
                pair = self.portal.issue_token(s.user_id)
            return {"answer": self._auth(s, pair)}

    def _cmd_setInstallFinish(self, s: Session, params: dict) -> dict:
        with self.portal.lock:
            self.portal.installed = True
        was_installing, s.install = s.install, False
        return {"effect": {"navigate": s.frame_src(s.app_url)}} if was_installing else {"effect": {}}

    def _cmd_setInstall(self, s: Session, params: dict) -> dict:
        """Sent by BX24.js when its BX24.install() handlers have all finished (FIRST_RUN)."""
        if params.get("install"):
            with self.portal.lock:
                self.portal.installed = True
        return {"effect": {}}

    def _cmd_resizeWindow(self, s: Session, params: dict) -> dict:
        """The frame takes the size asked; the phone frame keeps its width (a phone's
        screen does not widen) and grows in height, as a webview's page scrolls."""
        size = {k: params.get(k) for k in ("width", "height")}
        if s.mobile:
            size["width"] = None
        return {"answer": None, "effect": {"resize": size}}

    def _cmd_setTitle(self, s: Session, params: dict) -> dict:
        s.title = str(params.get("title") or "")
        return {"answer": None, "effect": {"title": s.title}}

    def _cmd_setScroll(self, s: Session, params: dict) -> dict:
        return {"answer": None, "effect": {"scroll": params.get("scroll")}}

    def _cmd_reloadWindow(self, s: Session, params: dict) -> dict:
        return {"effect": {"navigate": s.frame_src()}}

    def _cmd_setAppOption(self, s: Session, params: dict) -> dict:
        with self.portal.lock:
            if self.portal.users[s.user_id].get("ADMIN") and params.get("name"):
                self.portal.app_options[str(params["name"])] = params.get("value")
            return {"answer": dict(self.portal.app_options)}

    def _cmd_setUserOption(self, s: Session, params: dict) -> dict:
        with self.portal.lock:
            options = self.portal.user_options.setdefault(s.user_id, {})
            if params.get("name"):
                options[str(params["name"])] = params.get("value")
            return {"answer": dict(options)}

    def _cmd_openPath(self, s: Session, params: dict) -> dict:
        path = str(params.get("path") or "")
        if s.mobile:  # §6.2: not in the mobile app
            return {"answer": {"result": "error", "errorCode": "METHOD_NOT_SUPPORTED_ON_DEVICE"}}
        if not path.startswith("/") or path.startswith("//"):
            return {"answer": {"result": "error", "errorCode": "PATH_NOT_AVAILABLE"}}
        s.opened_paths.append(path)
        # The slider opens now; the page answers {result: 'close'} when it is closed.
        return {"effect": {"slider": path}}

    def _cmd_openApplication(self, s: Session, params: dict) -> dict:
        """The app again, in a slider: a portal page of its own whose frame gets `params`
        (with `settings` as `bx24_*` keys) as PLACEMENT_OPTIONS under placement DEFAULT.
        The opener's callback is answered when the slider closes."""
        s.opened_apps.append(dict(params))
        query = {"user": s.user_id, "lang": s.lang, "placement": "DEFAULT", "app": s.app_url,
                 "options": json.dumps(params, ensure_ascii=False)}
        if s.mobile:
            query["mobile"] = 1
        return {"effect": {"application": "/shell?" + urlencode(query)}}

    def _cmd_closeApplication(self, s: Session, params: dict) -> dict:
        """From the app in an openApplication slider: the page around it closes the slider."""
        return {"answer": None, "effect": {"closeApplication": True}}

    def _cmd_getInterface(self, s: Session, params: dict) -> dict:
        commands = ["reloadData"] if s.placement in DETAIL_TABS else []
        return {"answer": {"command": commands, "event": []}}


def _flag(value: str | None) -> bool:
    return str(value or "").lower() in ("1", "y", "yes", "true", "on")
