"""The seam between the gateway and whatever carries a request to the portal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass
class Response:
    status: int
    body: dict


class TransportLost(Exception):
    """No answer at all: a dropped connection, or a BX24.js callback that never fired (5xx)."""


class Transport(Protocol):
    async def send(self, method: str, params: dict) -> Response:
        """One HTTP request; raises TransportLost when no answer comes."""
        ...

    async def refresh(self) -> None:
        """Get a fresh access token after 401 expired_token (a no-op where the
        transport refreshes by itself, as BX24.js does)."""
        ...
