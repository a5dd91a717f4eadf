"""The simulated portal over HTTP(S): REST, the portal shell and the BX24.js stand-in.

Routes (spec/portal-sim.md "HTTP"; bitrix24-rest.md §1.1):

- ``GET|POST /rest/{method}[.json]`` with ``auth=`` in the query or the body
  (an app's OAuth token) and ``/rest/{user_id}/{code}/{method}[.json]``
  (a webhook).  Bodies: JSON, ``application/x-www-form-urlencoded`` with
  PHP-style ``a[b][c]=v`` keys (also when sent as ``text/plain``, which is
  what BX24.js's XHR does), or ``multipart/form-data``; the query string is
  merged under the body.  The answer is ``Portal.call``'s status and JSON; a
  dropped connection (``portal.faults.drops``) closes the socket unanswered.
- ``GET /shell?user=&lang=&placement=&options={json}&install=1&mobile=1&app=``:
  the portal page that hosts the app in a frame (shell.py).
- ``GET /api/v1/``: the BX24.js stand-in (static/bx24.js).
- ``/app/...``: the app's files (``--app DIR``, default the repo's dist/);
  HTML is served with ``//api.bitrix24.com/api/v1/`` pointed at ``/api/v1/``
  unless ``rewrite_bx24=False`` (then tests route that URL themselves).
- ``GET /_sim/state``: what the portal holds now (options, install, counters).
- ``POST /_sim/travel`` ``{"days": N}``: time travel (to-do pings passed on the way ring);
  ``GET /_sim/effects``: the recorded pings, notifications, log entries, feed posts,
  reassignments and storages (ladder_methods.py, entity_storage.py, effects.py).

Time: ``Portal.call`` holds the portal's lock only while it computes; the
call's simulated cost is then slept out on the portal's clock outside the
lock (``RealClock(scale)``: real seconds / scale; ``VirtualClock``: no wait).

HTTPS: a throwaway CA and a server certificate for 127.0.0.1 and localhost
are made at start (the ``openssl`` tool, else the ``cryptography`` package)
in a temporary folder removed at stop; ``cert_file`` is the CA that
clients verify against (``requests``: ``verify=cert_file``; ``ssl``:
``cafile=cert_file``).  Nothing here turns verification off.
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import email.policy
import json
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import phpquery
from .shell import STATIC, Shell, ShellError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_APP_DIR = ROOT / "dist"
BX24_REFERENCE = re.compile(rb"(?:https?:)?//api\.bitrix24\.com/api/v1/?")
WEBHOOK_PATH = re.compile(r"^/rest/(\d+)/([^/]+)/([^/]+?)(?:\.json)?/?$")
APP_PATH = re.compile(r"^/rest/([^/]+?)(?:\.json)?/?$")
MIME = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".json": "application/json", ".wasm": "application/wasm", ".toml": "text/plain; charset=utf-8",
    ".py": "text/plain; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".zip": "application/zip",
}


class BadRequest(Exception):
    pass


# --- request bodies -------------------------------------------------------------

def rest_params(query: str, body: bytes, content_type: str | None) -> dict:
    """The query string's parameters, then the body's over them (as PHP's $_REQUEST)."""
    params = phpquery.parse(query) if query else {}
    if body.strip():
        ctype = (content_type or "").split(";")[0].strip().lower()
        if ctype.endswith("/json") or (ctype in ("", "text/plain") and body.lstrip()[:1] == b"{"):
            try:
                data = json.loads(body)
            except (ValueError, UnicodeDecodeError) as error:
                raise BadRequest(f"the body is not valid JSON: {error}") from None
            if not isinstance(data, dict):
                raise BadRequest("a JSON body must be an object")
        elif ctype == "multipart/form-data":
            data = phpquery.parse(urlencode(_multipart(body, content_type or "")))
        else:
            try:
                data = phpquery.parse(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise BadRequest("the body is not UTF-8") from None
        params.update(data)
    return params


def _multipart(body: bytes, content_type: str) -> list[tuple[str, str]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    pairs = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True) or b""
            pairs.append((name, payload.decode("utf-8", "replace")))
    return pairs


# --- certificates ---------------------------------------------------------------

_OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = b24sim
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def make_certificate(folder: Path, *, tool: str | None = None) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost.
    Returns (ca_file, chain_file, key_file): clients trust ca_file; the server
    presents chain_file with key_file.  Made with the `openssl` tool when it is
    installed, else with the `cryptography` package (`tool` forces one)."""
    tool = tool or ("openssl" if shutil.which("openssl") else "cryptography")
    if tool == "openssl":
        return _certificate_with_openssl(folder)
    return _certificate_with_cryptography(folder)


def _certificate_with_openssl(folder: Path) -> tuple[Path, Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the `openssl` command-line tool is not installed")
    config = folder / "openssl.cnf"
    config.write_text(_OPENSSL_CONFIG)
    ca_key, ca_file = folder / "ca.key", folder / "b24sim-ca.pem"
    key, csr, cert, chain = folder / "server.key", folder / "server.csr", folder / "server.pem", folder / "chain.pem"
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        done = subprocess.run([openssl, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"openssl {args[0]} failed: {done.stderr.strip()}")

    run("req", "-x509", "-config", str(config), "-extensions", "ca", *ec, "-days", "30",
        "-subj", "/CN=b24sim throwaway CA", "-keyout", str(ca_key), "-out", str(ca_file))
    run("req", "-new", "-config", str(config), *ec, "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(csr))
    run("x509", "-req", "-in", str(csr), "-CA", str(ca_file), "-CAkey", str(ca_key),
        "-set_serial", str(secrets.randbits(63)), "-days", "30", "-extfile", str(config), "-extensions", "server",
        "-out", str(cert))
    chain.write_text(cert.read_text() + ca_file.read_text())
    return ca_file, chain, key


def _certificate_with_cryptography(folder: Path) -> tuple[Path, Path, Path]:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise RuntimeError("HTTPS needs the `openssl` tool (apt-get install openssl) "
                           "or the `cryptography` package (pip install cryptography)") from None
    import datetime
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "b24sim throwaway CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    usage = dict(content_commitment=False, data_encipherment=False, key_agreement=False,
                 encipher_only=False, decipher_only=False)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, key_encipherment=False, key_cert_sign=True,
                                       crl_sign=True, **usage), critical=True)
          .add_extension(ca_ski, critical=False)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])).issuer_name(ca_name)
              .public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=False,
                                           crl_sign=False, **usage), critical=True)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                          x509.DNSName("localhost")]), critical=False)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
              .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    ca_file, chain, key_file = folder / "b24sim-ca.pem", folder / "chain.pem", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(pem))
    chain.write_bytes(server.public_bytes(pem) + ca.public_bytes(pem))
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return ca_file, chain, key_file


# --- the server -------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    face: "PortalHttp"

    def handle_error(self, request, client_address):
        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, (ConnectionError, ssl.SSLError, TimeoutError)):
            return  # a client that went away or refused our certificate
        super().handle_error(request, client_address)


class PortalHttp:
    """One Portal behind an HTTP(S) server on a background thread or the main one."""

    def __init__(self, portal, *, host: str = "127.0.0.1", port: int = 0, https: bool = False,
                 app_dir: Path | str | None = None, rewrite_bx24: bool = True, webhook_user: int = 1,
                 webhook_code: str | None = None, log=None, cert_tool: str | None = None):
        self.portal = portal
        self.app_dir = Path(app_dir) if app_dir else (DEFAULT_APP_DIR if DEFAULT_APP_DIR.is_dir() else None)
        self.rewrite_bx24 = rewrite_bx24
        self.shell = Shell(portal, app_dir=self.app_dir)
        self.requests: deque[dict] = deque(maxlen=5000)
        """The REST requests served, newest last: verb, method, params (without auth), status, and
        when each came in and was answered (`time.time()`: `at`, `answered`)."""
        self.log = log
        with portal.lock:
            if webhook_user not in portal.users and portal.users:
                webhook_user = min(portal.users)
            self.webhook_user = webhook_user
            self.webhook_code = portal.add_webhook(webhook_user, webhook_code)
        self.https = https
        self.cert_file: Path | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        context = None
        if https:
            self._tmp = tempfile.TemporaryDirectory(prefix="b24sim-tls-")
            try:
                self.cert_file, chain, key = make_certificate(Path(self._tmp.name), tool=cert_tool)
            except BaseException:
                self._tmp.cleanup()
                raise
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(chain, key)
        self.server = _Server((host, port), _Handler)
        self.server.face = self
        if context is not None:
            # The handshake happens in the request's thread, so a slow or plain-HTTP
            # client cannot stall the accept loop.
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True,
                                                     do_handshake_on_connect=False)
        self.host = "127.0.0.1" if host in ("", "0.0.0.0") else host
        self.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    # --- addresses ---

    @property
    def base_url(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}:{self.port}"

    @property
    def rest_url(self) -> str:
        return self.base_url + "/rest/"

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/rest/{self.webhook_user}/{self.webhook_code}/"

    def shell_url(self, *, user: int = 1, lang: str | None = None, placement: str = "DEFAULT",
                  options: dict | None = None, install: bool = False, mobile: bool = False,
                  app: str | None = None, installer: str | None = None) -> str:
        """`app` None: the handler bound to the placement, else /app/index.html (shell.py)."""
        query: dict[str, object] = {"user": user, "placement": placement}
        if app:
            query["app"] = app
        if lang:
            query["lang"] = lang
        if options:
            query["options"] = json.dumps(options, ensure_ascii=False)
        if install:
            query["install"] = 1
        if mobile:
            query["mobile"] = 1
        if installer:
            query["installer"] = installer
        return f"{self.base_url}/shell?{urlencode(query)}"

    # --- running ---

    def start(self) -> "PortalHttp":
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"b24sim:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server.server_close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


@contextlib.contextmanager
def serve_in_thread(portal, *, https: bool = False, host: str = "127.0.0.1", port: int = 0, **options):
    """The portal served on a background thread for the duration of the block:
    yields a PortalHttp (.base_url, .rest_url, .webhook_url, .cert_file, .portal, .shell_url())."""
    face = PortalHttp(portal, host=host, port=port, https=https, **options).start()
    try:
        yield face
    finally:
        face.stop()


# --- the handler ----------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "b24sim"
    server: _Server

    def log_message(self, format, *args):  # noqa: A002
        if self.server.face.log is not None:
            self.server.face.log(f"{self.address_string()} {format % args}")

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_OPTIONS(self):
        self._read_body()
        self._send(204, b"", "text/plain", extra={
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": self.headers.get("Access-Control-Request-Headers") or "Content-Type",
            "Access-Control-Max-Age": "600"})

    # --- plumbing ---

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, data: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, status: int, body: object) -> None:
        self._send(status, json.dumps(body, separators=(",", ":")).encode(), "application/json; charset=utf-8")

    def _text(self, status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> None:
        self._send(status, text.encode("utf-8"), content_type)

    def _dispatch(self, verb: str) -> None:
        url = urlsplit(self.path)
        path = url.path
        body = self._read_body()
        try:
            if path.startswith("/rest/"):
                self._rest(verb, path, url.query, body)
            elif path in ("/api/v1", "/api/v1/") or path.startswith("/api/v1/"):
                self._static("bx24.js")
            elif path == "/shell":
                self._shell_page(url.query)
            elif path == "/_shell/shell.js":
                self._static("shell.js")
            elif path == "/_shell/message" and verb == "POST":
                self._shell_message(body)
            elif path.startswith("/app/"):
                self._app_file(path[len("/app/"):])
            elif path == "/_sim/state":
                self._state()
            elif path == "/_sim/travel" and verb == "POST":
                self._travel(url.query, body)
            elif path == "/_sim/effects":
                self._effects()
            elif path == "/":
                self._index()
            else:
                self._text(404, f"Not found: {path}\n")
        except BadRequest as error:
            self._json(400, {"error": "INVALID_REQUEST", "error_description": str(error)})

    # --- REST ---

    def _rest(self, verb: str, path: str, query: str, body: bytes) -> None:
        face = self.server.face
        params = rest_params(query, body, self.headers.get("Content-Type"))
        auth = params.pop("auth", None)
        hook = WEBHOOK_PATH.match(path)
        if hook:
            user_id, code, method = int(hook.group(1)), hook.group(2), hook.group(3)
            kwargs = {"webhook": (user_id, code)}
        else:
            app = APP_PATH.match(path)
            if not app:
                self._json(404, {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
                return
            method = app.group(1)
            kwargs = {"auth": auth if isinstance(auth, str) else None}
        record = {"verb": verb, "method": method, "params": params, "webhook": bool(hook), "at": time.time()}
        face.requests.append(record)
        try:
            reply = face.portal.call(method, params, **kwargs)
        except ConnectionResetError:
            record["status"] = None
            self.close_connection = True  # drop: the socket closes with no answer at all
            return
        except Exception:  # a bug in the simulator: answer as the portal would, and say why on stderr
            traceback.print_exc()
            record["status"] = 500
            self._json(500, {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"})
            return
        record["status"], record["answered"] = reply.status, time.time()
        self._json(reply.status, reply.body)

    # --- shell, BX24.js, app files ---

    def _static(self, name: str) -> None:
        self._send(200, (STATIC / name).read_bytes(), MIME[Path(name).suffix], extra={"Cache-Control": "no-store"})

    def _shell_page(self, query: str) -> None:
        face = self.server.face
        host = self.headers.get("Host") or f"{face.host}:{face.port}"
        if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host):
            self._text(400, "Bad Host header\n")
            return
        try:
            session = face.shell.open(dict(parse_qsl(query)), domain=host, protocol=1 if face.https else 0)
        except ShellError as error:
            self._text(400, f"Cannot open the shell: {error}\n")
            return
        self._send(200, face.shell.page(session).encode("utf-8"), MIME[".html"], extra={"Cache-Control": "no-store"})

    def _shell_message(self, body: bytes) -> None:
        try:
            message = json.loads(body)
            out = self.server.face.shell.handle(str(message["sid"]), str(message["cmd"]), message.get("params"))
        except KeyError:
            self._json(404, {"error": "unknown shell session"})
            return
        except ValueError:
            self._json(400, {"error": "bad shell message"})
            return
        self._json(200, out)

    def _app_file(self, relative: str) -> None:
        face = self.server.face
        if face.app_dir is None:
            self._text(404, "No app is served: start with --app DIR (or build dist/)\n")
            return
        root = face.app_dir.resolve()
        target = (root / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if root not in target.parents or not target.is_file():
            self._text(404, f"Not found: /app/{relative}\n")
            return
        data = target.read_bytes()
        if target.suffix == ".html" and face.rewrite_bx24:
            data = BX24_REFERENCE.sub(b"/api/v1/", data)
        self._send(200, data, MIME.get(target.suffix, "application/octet-stream"))

    def _state(self) -> None:
        portal = self.server.face.portal
        with portal.lock:
            portal.ring_pings()
            state = {"now": portal.clock.now(), "date": portal.date().isoformat(), "installed": portal.installed,
                     "app_options": portal.app_options,
                     "user_options": {str(k): v for k, v in portal.user_options.items()},
                     "placements": portal.placements, "counters": portal.counters,
                     "notifications": len(portal.notifications), "writes": len(portal.writes),
                     "pings": {status: sum(1 for x in portal.pings if x["status"] == status)
                               for status in ("scheduled", "rung", "cancelled", "skipped")},
                     "log_messages": len(portal.log_messages), "feed_posts": len(portal.feed_posts),
                     "reassignments": len(portal.reassignments), "storages": sorted(portal.storages)}
            data = json.dumps(state, ensure_ascii=False, default=str)
        self._send(200, data.encode(), "application/json; charset=utf-8")

    def _travel(self, query: str, body: bytes) -> None:
        """POST /_sim/travel {"days": N, "hours", "minutes", "seconds"} or {"to": ISO moment}
        (JSON or a query string): the portal clock jumps forward and the to-do pings passed
        on the way ring."""
        params = rest_params(query, body, self.headers.get("Content-Type"))
        try:
            amounts = {k: float(params.get(k) or 0) for k in ("days", "hours", "minutes", "seconds")}
            done = self.server.face.portal.travel(**amounts, to=params.get("to") or None)
        except (TypeError, ValueError) as error:
            self._json(400, {"error": "INVALID_REQUEST", "error_description": f"cannot travel: {error}"})
            return
        self._send(200, json.dumps({**done, "rung": len(done["rung"]), "pings": done["rung"]}, default=str).encode(),
                   "application/json; charset=utf-8")

    def _effects(self) -> None:
        """GET /_sim/effects: what the portal recorded (pings, notifications, log entries,
        feed posts, reassignments, entity storages) for a test in another process."""
        portal = self.server.face.portal
        with portal.lock:
            portal.ring_pings()
            storages = {code: {"NAME": s["NAME"], "rights": s["rights"], "properties": sorted(s["properties"]),
                               "items": len(s["items"])} for code, s in portal.storages.items()}
            data = json.dumps({"now": portal.clock.now(), "date": portal.date().isoformat(), "pings": portal.pings,
                               "notifications": portal.notifications, "timeline_entries": portal.timeline_entries,
                               "log_messages": portal.log_messages, "feed_posts": portal.feed_posts,
                               "reassignments": portal.reassignments, "storages": storages},
                              ensure_ascii=False, default=str)
        self._send(200, data.encode(), "application/json; charset=utf-8")

    def _index(self) -> None:
        face = self.server.face
        links = "".join(
            f'<li><a href="{face.shell_url(placement=p, options=o)}">{p}</a></li>'
            for p, o in (("DEFAULT", None), ("CRM_CONTACT_DETAIL_TAB", {"ID": "1"}),
                         ("CRM_COMPANY_DETAIL_TAB", {"ID": "1"}), ("CRM_ANALYTICS_MENU", None)))
        page = (f"<!doctype html><meta charset=utf-8><title>b24sim</title><link rel=icon href='data:,'>"
                f"<h1>Simulated Bitrix24 portal</h1><p>Webhook: <code>{face.webhook_url}</code></p>"
                f"<p>The app in the portal shell:</p><ul>{links}</ul>"
                f"<p><a href='{face.shell_url(mobile=True)}'>Mobile frame</a> · "
                f"<a href='{face.shell_url(install=True)}'>Install mode</a> · <a href='/_sim/state'>State</a></p>")
        self._text(200, page, MIME[".html"])


# --- `python -m b24sim serve` ---------------------------------------------------------

def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--snapshot", type=Path, help="a b24-snapshot/1 JSON file (.json or .json.gz)")
    source.add_argument("--clients", type=int, help="generate a synthetic portal of this many clients")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--long-histories", action="store_true",
                        help="with --clients: add companies of 1, 20 and 200 contacts with long histories")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="default: any free port (printed)")
    parser.add_argument("--https", action="store_true", help="serve HTTPS with a certificate made now")
    parser.add_argument("--limits", choices=("standard", "enterprise", "off"), default="standard")
    parser.add_argument("--time-scale", type=float, default=1.0, metavar="K",
                        help="portal time runs K times faster than real time (default 1)")
    parser.add_argument("--app", type=Path, help="the app's folder, served under /app/ (default: dist/)")
    parser.add_argument("--webhook-code", help="the webhook's code (default: random)")
    parser.add_argument("--quiet", action="store_true", help="no request log on stderr")


def load_snapshot(path: Path) -> dict:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or data.get("format") != "b24-snapshot/1":
        raise SystemExit(f"{path}: not a b24-snapshot/1 file")
    return data


def serve_command(args: argparse.Namespace) -> int:
    from .limits import RealClock
    from .portal import Portal

    if args.time_scale <= 0:
        raise SystemExit("--time-scale must be positive")
    if args.app is not None and not args.app.is_dir():
        raise SystemExit(f"--app {args.app}: not a folder")
    if args.snapshot is not None:
        snapshot = load_snapshot(args.snapshot)
    else:
        from .generate import generate

        snapshot = generate(args.clients, args.seed, long_histories=args.long_histories)
    portal = Portal(snapshot, plan=args.limits, clock=RealClock(args.time_scale))
    log = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    face = PortalHttp(portal, host=args.host, port=args.port, https=args.https, app_dir=args.app,
                      webhook_code=args.webhook_code, log=log)
    print(f"{face.base_url} {face.webhook_url}", flush=True)
    print(f"  REST for app tokens: {face.rest_url}  (webhook user {face.webhook_user})")
    if face.cert_file:
        print(f"  certificate (CA to verify against): {face.cert_file}")
    print(f"  shell: {face.shell_url()}")
    print(f"  app: {face.app_dir or '(none: pass --app DIR)'}  BX24.js stand-in: {face.base_url}/api/v1/")
    print(f"  time travel: POST {face.base_url}/_sim/travel {{\"days\": N}}; effects: {face.base_url}/_sim/effects")
    print(f"  limits: {args.limits}, time scale {args.time_scale:g}x; Ctrl-C stops", flush=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        face.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        face.stop()
    return 0
