"""The gateway's transport inside a Bitrix24 page: BX24.js through the Pyodide FFI.

BX24.js quirks this works with (bitrix24-rest.md §1.5, §2.2, §5.2):
- `callMethod` drops `params.start`, so the gateway reads every list through
  `batch`, whose commands keep their own `start`; a batch is sent as the
  plain method "batch" so the whole answer (`result_time` included) comes back;
- on HTTP 5xx the callback is never called: a call with no answer within
  TIMEOUT_S becomes TransportLost, which the gateway retries;
- on `expired_token` BX24.js refreshes and resends by itself, so `refresh`
  has nothing to do.
"""

from __future__ import annotations

import asyncio

import js
from pyodide.ffi import create_once_callable, to_js

from ..rest.transport import Response, TransportLost

TIMEOUT_S = 90


class Bx24Transport:
    async def send(self, method: str, params: dict) -> Response:
        future = asyncio.get_running_loop().create_future()

        def answered(result) -> None:
            if not future.done():
                body = result.answer.to_py() if result.answer else {}
                future.set_result(Response(int(result.status or 200), body if isinstance(body, dict) else {}))

        js.BX24.callMethod(method, to_js(params, dict_converter=js.Object.fromEntries),
                           create_once_callable(answered))
        try:
            return await asyncio.wait_for(future, TIMEOUT_S)
        except asyncio.TimeoutError:
            raise TransportLost(f"{method}: BX24.js never called back (an HTTP 5xx answer)") from None

    async def refresh(self) -> None:
        """BX24.js refreshes an expired token and resends the call itself."""
