"""The gateway over HTTPS to any portal, by its webhook URL (command line; CPython only).

`https://portal.bitrix24.ru/rest/1/<code>/` — every call is a POST of a JSON
body to `…/<method>.json`.  The blocking request runs in a worker thread so
several can be in flight; no answer at all becomes `TransportLost`.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import urllib.error
import urllib.request

from .transport import Response, TransportLost

TIMEOUT_S = 90
"""A cloud request may run 60 s; past that there is no answer coming."""


class HttpTransport:
    def __init__(self, webhook_url: str, *, cafile: str | None = None):
        if "/rest/" not in webhook_url:
            raise ValueError(f"not a webhook URL like https://portal/rest/1/code/: {webhook_url}")
        self.base = webhook_url.rstrip("/") + "/"
        self.context = ssl.create_default_context(cafile=cafile) if webhook_url.startswith("https") else None

    async def send(self, method: str, params: dict) -> Response:
        return await asyncio.to_thread(self._post, method, params)

    def _post(self, method: str, params: dict) -> Response:
        request = urllib.request.Request(self.base + method + ".json", data=json.dumps(params).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S, context=self.context) as answer:
                return Response(answer.status, _json(answer.read()))
        except urllib.error.HTTPError as error:
            return Response(error.code, _json(error.read()))
        except (urllib.error.URLError, OSError, TimeoutError) as lost:
            raise TransportLost(str(lost)) from lost

    async def refresh(self) -> None:
        """A webhook has no token to refresh."""


def _json(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {"error": "ERROR_UNEXPECTED_ANSWER", "error_description": "Server returned an unexpected response"}
    return body if isinstance(body, dict) else {"result": body}
