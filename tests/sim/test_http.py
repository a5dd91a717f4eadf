"""The simulated portal over HTTP(S) (b24sim.http): REST with every body the
clients send, webhook and token auth, errors with their statuses, dropped
connections, HTTPS verified against the certificate it makes, the `serve`
command, limits on a scaled real clock, and the shell's side of the frame
protocol without a browser (bitrix24-rest.md §1.1, §1.4, §3.1, §4.1, §6.1)."""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from b24sim import phpquery
from b24sim.http import serve_in_thread
from b24sim.limits import CostModel, RealClock
from simkit import portal, token

ROOT = Path(__file__).resolve().parents[2]
SHELL_APP = Path(__file__).resolve().parent / "shell_app"


def fetch(url: str, *, body: bytes | str | None = None, content_type: str | None = None,
          json_body: object = None, context: ssl.SSLContext | None = None, method: str | None = None,
          headers: dict | None = None) -> tuple[int, object, dict]:
    """(status, parsed JSON or text, headers); HTTP errors are answers too."""
    if json_body is not None:
        body, content_type = json.dumps(json_body), "application/json"
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"))
    if content_type:
        request.add_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            status, raw, head = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, head = error.code, error.read(), dict(error.headers)
    text = raw.decode("utf-8")
    try:
        return status, json.loads(text), head
    except ValueError:
        return status, text, head


def ids(body) -> list[int]:
    return [int(row["ID"]) for row in body["result"]]


# --- REST: routes, bodies, auth ------------------------------------------------------

def test_a_webhook_answers_get_json_form_and_multipart_bodies_alike():  # §1.1
    with serve_in_thread(portal(120)) as face:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/rest/1/[0-9a-f]+/", face.webhook_url)
        params = {"select": ["ID"], "start": -1, "filter": {">ID": 100}, "order": {"ID": "ASC"}}
        expected = list(range(101, 121))

        status, body, head = fetch(face.webhook_url + "crm.contact.list.json?" + phpquery.build(params))
        assert status == 200 and ids(body) == expected and body["total"] == 0 and "next" not in body
        assert head["Content-Type"].startswith("application/json")

        assert ids(fetch(face.webhook_url + "crm.contact.list", json_body=params)[1]) == expected
        form = phpquery.build(params)
        assert "filter%5B%3EID%5D=100" in form or "filter[%3EID]=100" in form
        assert ids(fetch(face.webhook_url + "crm.contact.list.json", body=form,
                         content_type="application/x-www-form-urlencoded")[1]) == expected

        boundary = "b24simboundary"
        parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        for k, v in (("select[]", "ID"), ("start", "-1"), ("filter[>ID]", "100")))
        multipart = (parts + f"--{boundary}--\r\n").encode()
        status, body, _ = fetch(face.webhook_url + "crm.contact.list", body=multipart,
                                content_type=f"multipart/form-data; boundary={boundary}")
        assert status == 200 and ids(body) == expected


def test_an_app_token_works_in_the_query_or_the_body_and_the_query_merges_under_the_body():  # §1.1
    p = portal(120)
    t = token(p, 1)
    with serve_in_thread(p) as face:
        assert face.rest_url == face.base_url + "/rest/"
        status, body, _ = fetch(face.rest_url + f"user.current.json?auth={token(p, 2)}")
        assert status == 200 and body["result"]["ID"] == "2"
        # BX24.js posts its form body with no Content-Type (the XHR sends text/plain).
        bx24_body = f"auth={t}&start=50&select%5B0%5D=ID&order%5BID%5D=ASC"
        status, body, _ = fetch(face.rest_url + "crm.contact.list.json", body=bx24_body,
                                content_type="text/plain;charset=UTF-8")
        assert status == 200 and body["next"] == 100 and len(body["result"]) == 50
        # auth in the query, parameters in a JSON body; the body's start wins over the query's
        status, body, _ = fetch(face.rest_url + f"crm.contact.list?auth={t}&start=0",
                                json_body={"select": ["ID"], "start": 50})
        assert status == 200 and body["next"] == 100
        assert face.requests[-1]["params"] == {"select": ["ID"], "start": 50}  # auth is not kept


def test_batch_over_http_with_a_bx24_style_double_encoded_form():  # §3.1
    p = portal(120)
    with serve_in_thread(p) as face:
        first = "crm.contact.list?" + phpquery.build({"select": ["ID"], "start": -1, "order": {"ID": "ASC"}})
        second = "crm.contact.list?" + phpquery.build(
            {"select": ["ID"], "start": -1, "order": {"ID": "ASC"}, "filter": {">ID": "$result[a][49][ID]"}})
        commands = {"a": first, "b": second, "c": "no.such.method"}
        form = f"auth={token(p)}&" + phpquery.build({"halt": 0, "cmd": commands})
        assert "%253E" in form  # the sub-query is encoded twice
        status, body, _ = fetch(face.rest_url + "batch.json", body=form,
                                content_type="application/x-www-form-urlencoded")
        assert status == 200
        result = body["result"]
        assert [int(r["ID"]) for r in result["result"]["b"]] == list(range(51, 101))
        assert result["result_error"]["c"]["error"] == "ERROR_METHOD_NOT_FOUND"


def test_errors_come_with_their_documented_statuses():  # §1.4, §5.1
    p = portal(20)
    t, nobody = token(p), token(p, 4)
    with serve_in_thread(p) as face:
        base = face.base_url
        cases = [
            (f"{base}/rest/user.current", 401, "NO_AUTH_FOUND"),
            (f"{base}/rest/user.current?auth=nonsense", 401, "invalid_token"),
            (f"{base}/rest/1/wrongcode/user.current", 401, "NO_AUTH_FOUND"),
            (f"{base}/rest/2/{face.webhook_code}/user.current", 401, "NO_AUTH_FOUND"),
            (f"{base}/rest/no.such.method?auth={t}", 404, "ERROR_METHOD_NOT_FOUND"),
            (f"{base}/rest/crm.contact.list?auth={nobody}", 400, ""),
        ]
        for url, status, code in cases:
            got, body, _ = fetch(url)
            assert (got, body["error"]) == (status, code), (url, body)
        assert fetch(f"{base}/rest/crm.contact.list?auth={nobody}")[1]["error_description"] == "Access denied."

        p.faults.server_errors = 1
        assert fetch(face.webhook_url + "user.current")[:2] == (
            500, {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"})
        p.expire_tokens()
        assert fetch(f"{base}/rest/user.current?auth={t}")[:2] == (
            401, {"error": "expired_token", "error_description": "The access token provided has expired."})
        p.faults.denied_users.add(1)
        assert fetch(face.webhook_url + "user.current")[:2][0] == 403
        p.faults.denied_users.clear()

        got, body, _ = fetch(face.webhook_url + "user.current", body="{not json", content_type="application/json")
        assert got == 400 and body["error"] == "INVALID_REQUEST"
        assert fetch(f"{base}/nothing/here")[0] == 404


def test_a_dropped_connection_closes_the_socket_without_an_answer_and_the_next_request_works():
    p = portal(5)
    with serve_in_thread(p) as face:
        p.faults.drops = 1
        parts = urlsplit(face.webhook_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", parts.path + "user.current")
        with pytest.raises(ConnectionError):  # RemoteDisconnected is a ConnectionResetError
            connection.getresponse()
        connection.close()
        assert face.requests[-1]["status"] is None
        assert fetch(face.webhook_url + "user.current")[0] == 200


def test_keep_alive_connections_serve_several_requests():
    with serve_in_thread(portal(5)) as face:
        parts = urlsplit(face.webhook_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        for _ in range(3):
            connection.request("POST", parts.path + "user.current.json", body="{}",
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            assert response.status == 200 and json.loads(response.read())["result"]["ID"] == "1"
        connection.close()


def test_cors_preflight_and_headers():
    with serve_in_thread(portal(5)) as face:
        status, _, head = fetch(face.webhook_url + "user.current", method="OPTIONS",
                                headers={"Origin": "http://127.0.0.1:1", "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "content-type"})
        assert status == 204 and head["Access-Control-Allow-Origin"] == "*"
        assert "content-type" in head["Access-Control-Allow-Headers"]
        assert fetch(face.webhook_url + "user.current")[2]["Access-Control-Allow-Origin"] == "*"


# --- HTTPS -------------------------------------------------------------------------

@pytest.mark.parametrize("tool", ["openssl", "cryptography"])
def test_https_is_verified_against_the_certificate_it_makes(tool):
    if tool == "cryptography":
        pytest.importorskip("cryptography")  # the fallback where the openssl tool is missing
    with serve_in_thread(portal(5), https=True, cert_tool=tool) as face:
        assert face.base_url.startswith("https://127.0.0.1:") and face.cert_file.is_file()
        strict = ssl.create_default_context(cafile=str(face.cert_file))
        strict.verify_flags |= ssl.VERIFY_X509_STRICT
        status, body, _ = fetch(face.webhook_url + "user.current", context=strict)
        assert status == 200 and body["result"]["ID"] == "1"
        by_name = face.webhook_url.replace("127.0.0.1", "localhost")
        assert fetch(by_name + "user.current", context=strict)[0] == 200
        # Without the certificate a client refuses the server, as it should.
        with pytest.raises(urllib.error.URLError) as refused:
            fetch(face.webhook_url + "user.current", context=ssl.create_default_context())
        assert isinstance(refused.value.reason, ssl.SSLCertVerificationError)
        # A plain-HTTP client gets nothing, and the server carries on.
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            fetch(face.webhook_url.replace("https://", "http://") + "user.current")
        assert fetch(face.webhook_url + "user.current", context=strict)[0] == 200
    assert not face.cert_file.exists()  # removed when the server stops


# --- time and limits ----------------------------------------------------------------

def test_limits_over_http_on_a_time_scale_a_burst_over_the_bucket_gets_503():  # §4.1
    p = portal(5, clock=RealClock(scale=10), costs=CostModel(network_rtt_s=0.01, other_s=0.01))
    with serve_in_thread(p) as face:
        url = face.webhook_url + "user.current"
        with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
            statuses = list(pool.map(lambda _: fetch(url)[:2], range(120)))
        codes = [s for s, _ in statuses]
        assert codes.count(200) >= 50 and codes.count(503) >= 20, codes
        assert all(body == {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
                   for s, body in statuses if s == 503)
        time.sleep(0.6)  # 6 portal seconds: the bucket drains 12
        assert fetch(url)[0] == 200


def test_costs_are_slept_out_scaled_and_outside_the_portal_lock():
    p = portal(5, clock=RealClock(scale=10))
    with serve_in_thread(p) as face:
        p.faults.slow_s, p.faults.slow_calls = 3.0, 1  # 3 portal seconds = 0.3 s of real time
        slow = threading.Thread(target=fetch, args=(face.webhook_url + "user.current",))
        started = time.monotonic()
        slow.start()
        time.sleep(0.05)
        fast_started = time.monotonic()
        assert fetch(face.webhook_url + "user.current")[0] == 200
        assert time.monotonic() - fast_started < 0.2  # not held up by the slow one
        slow.join()
        assert 0.28 <= time.monotonic() - started < 2.0


# --- the serve command -------------------------------------------------------------------

def test_the_serve_command_prints_base_and_webhook_urls_first_and_serves_until_interrupted():
    paths = [str(ROOT / "py"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    proc = subprocess.Popen([sys.executable, "-m", "b24sim", "serve", "--clients", "200", "--quiet"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killer = threading.Timer(120, proc.kill)
    killer.start()
    try:
        first = proc.stdout.readline().strip()
        assert first, proc.stderr.read()
        base, webhook = first.split()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        assert re.fullmatch(re.escape(base) + r"/rest/1/[0-9a-f]+/", webhook)
        status, body, _ = fetch(webhook + "user.current.json")
        assert status == 200 and body["result"]["ID"] == "1" and body["result"]["ACTIVE"] is True
        status, body, _ = fetch(webhook + "crm.contact.list", json_body={"select": ["ID"]})
        assert status == 200 and len(body["result"]) == 50 and body["total"] > 50
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()


# --- app files, BX24.js and the shell without a browser -------------------------------------

def test_app_files_are_served_with_the_bx24_reference_pointed_at_the_stand_in():
    with serve_in_thread(portal(5), app_dir=SHELL_APP) as face:
        status, page, head = fetch(face.base_url + "/app/index.html")
        assert status == 200 and head["Content-Type"].startswith("text/html")
        assert 'src="/api/v1/"' in page and "api.bitrix24.com" not in page.split("-->", 1)[1]
        status, script, head = fetch(face.base_url + "/api/v1/")
        assert status == 200 and "text/javascript" in head["Content-Type"] and "window.BX24" in script
        assert fetch(face.base_url + "/app/../../http.py")[0] == 404
        assert fetch(face.base_url + "/app/missing.html")[0] == 404
    with serve_in_thread(portal(5), app_dir=SHELL_APP, rewrite_bx24=False) as face:
        assert '<script src="//api.bitrix24.com/api/v1/">' in fetch(face.base_url + "/app/index.html")[1]


def open_shell(face, **query) -> dict:
    status, page, _ = fetch(face.shell_url(**query))
    assert status == 200, page
    config = json.loads(re.search(r'<script id="shell-config" type="application/json">(.*?)</script>',
                                  page).group(1))
    frame = re.search(r'<iframe id="app-frame" name="([^"]+)" src="([^"]+)" width="([^"]+)" height="([^"]+)"', page)
    config["html_frame"] = frame.groups()
    return config


def shell_says(face, config, cmd, params=None) -> dict:
    status, out, _ = fetch(face.base_url + "/_shell/message",
                           json_body={"sid": config["app_sid"], "cmd": cmd, "params": params})
    assert status == 200, out
    return out


def test_the_shell_hosts_the_app_in_a_named_frame_and_answers_the_frame_protocol():  # §6.1, §11
    p = portal(20)
    with serve_in_thread(p, app_dir=SHELL_APP) as face:
        domain = f"127.0.0.1:{face.port}"
        config = open_shell(face, user=2, lang="en", placement="CRM_CONTACT_DETAIL_TAB", options={"ID": 5})
        name, src, width, _ = config["html_frame"]
        assert name == f"{domain}|0|{config['app_sid']}"
        assert src.startswith("/app/index.html?") and f"DOMAIN={domain}" in src.replace("%3A", ":")
        assert "PROTOCOL=0" in src and "LANG=en" in src and width == "100%"

        init = shell_says(face, config, "getInitData")["answer"]
        assert {k: init[k] for k in ("DOMAIN", "PROTOCOL", "PATH", "LANG", "MEMBER_ID", "IS_ADMIN", "PLACEMENT",
                                      "PLACEMENT_OPTIONS", "INSTALL", "FIRST_RUN")} == {
            "DOMAIN": domain, "PROTOCOL": 0, "PATH": "/rest", "LANG": "en", "MEMBER_ID": "sim", "IS_ADMIN": False,
            "PLACEMENT": "CRM_CONTACT_DETAIL_TAB", "PLACEMENT_OPTIONS": {"ID": "5"}, "INSTALL": False,
            "FIRST_RUN": False}
        assert init["AUTH_EXPIRES"] == 3600 and init["APP_OPTIONS"] == {} and init["USER_OPTIONS"] == {}
        assert fetch(face.rest_url + f"user.current?auth={init['AUTH_ID']}")[1]["result"]["ID"] == "2"

        fresh = shell_says(face, config, "refreshAuth", {})["answer"]
        assert set(fresh) == {"AUTH_ID", "REFRESH_ID", "AUTH_EXPIRES"} and fresh["AUTH_ID"] != init["AUTH_ID"]
        assert fetch(face.rest_url + f"user.current?auth={fresh['AUTH_ID']}")[0] == 200

        assert shell_says(face, config, "setAppOption", {"name": "color", "value": "red"})["answer"] == {}  # not admin
        user_options = shell_says(face, config, "setUserOption", {"name": "view", "value": "list"})["answer"]
        assert user_options == {"view": "list"}
        assert p.user_options[2] == {"view": "list"} and p.app_options == {}
        assert shell_says(face, config, "resizeWindow", {"width": 500, "height": 300}) == {
            "answer": None, "effect": {"resize": {"width": 500, "height": 300}}}
        assert shell_says(face, config, "setTitle", {"title": "Clients"})["effect"] == {"title": "Clients"}
        assert shell_says(face, config, "openPath", {"path": "/crm/contact/details/5/"}) == {
            "effect": {"slider": "/crm/contact/details/5/"}}
        assert shell_says(face, config, "getInterface")["answer"] == {"command": ["reloadData"], "event": []}
        assert shell_says(face, config, "reloadData")["effect"] == {"reloadData": True}
        assert shell_says(face, config, "noSuchCommand", {"x": 1}) == {}
        assert [e["cmd"] for e in face.shell.log][-3:] == ["getInterface", "reloadData", "noSuchCommand"]

        admin = open_shell(face, user=1, mobile=True, install=True)
        assert admin["html_frame"][2:] == ("390", "844")
        assert admin["html_frame"][1].startswith("/app/install.html?")  # the archive's installer (§12.1)
        init = shell_says(face, admin, "getInitData")["answer"]
        assert init["IS_ADMIN"] is True and init["INSTALL"] is True and init["FIRST_RUN"] is True
        assert init["LANG"] == "en"  # the portal's language when none is asked for
        assert shell_says(face, admin, "setAppOption", {"name": "color", "value": "red"})["answer"] == {"color": "red"}
        assert shell_says(face, admin, "openPath", {"path": "/crm/contact/details/5/"})["answer"] == {
            "result": "error", "errorCode": "METHOD_NOT_SUPPORTED_ON_DEVICE"}
        assert not p.installed
        assert shell_says(face, admin, "setInstallFinish", {})["effect"]["navigate"].startswith("/app/index.html?")
        assert p.installed

        assert fetch(face.shell_url(user=99))[0] == 400
        assert fetch(face.base_url + "/shell?options=[1]")[0] == 400
        assert fetch(face.base_url + "/_shell/message", json_body={"sid": "nope", "cmd": "getInitData"})[0] == 404


def test_auth_expires_in_the_init_data_is_in_real_seconds_on_a_scaled_clock():
    p = portal(5, clock=RealClock(scale=100))
    with serve_in_thread(p, app_dir=SHELL_APP) as face:
        init = shell_says(face, open_shell(face), "getInitData")["answer"]
        assert 35 <= init["AUTH_EXPIRES"] <= 36  # 3600 portal seconds at 100x
