"""Errors the gateway raises after its retries are spent: never a silent short answer."""

from __future__ import annotations


class RestError(Exception):
    """The portal answered with an error that retrying will not fix."""

    def __init__(self, status: int, code: str, description: str, method: str = ""):
        super().__init__(f"{method}: {code or 'error'}: {description} (HTTP {status})" if method
                         else f"{code or 'error'}: {description} (HTTP {status})")
        self.status, self.code, self.description, self.method = status, code, description, method

    @classmethod
    def of_command(cls, error: dict, method: str) -> RestError:
        """A batch command's error (`result_error`'s entry), as a call of `method` would raise it."""
        return cls(400, str(error.get("error") or ""), str(error.get("error_description") or ""), method)

    @property
    def access_denied(self) -> bool:
        """The user may not read this: `Access denied.` and its variants (bitrix24-rest.md §10)."""
        return self.code in ("ACCESS_DENIED", "") and "access denied" in self.description.lower()


class GatewayGaveUp(Exception):
    """The portal did not answer usably after every retry; the run stops and resumes later."""
