"""Authentication strategies.

An operation lists the security schemes it accepts; the client holds one or more strategies
and applies the first one whose ``scheme`` the operation accepts. Writing your own strategy
(a key fetched from a vault, a rotating token) means implementing :class:`AuthStrategy`.
No strategy ever shows its secret in ``repr()``/``str()``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import MutableMapping
from typing import Protocol, runtime_checkable

__all__ = [
    "API_KEY_V1",
    "INTEGRATION_AUTH",
    "MANAGER_AUTH",
    "ApiKeyV1",
    "AuthStrategy",
    "Bearer",
    "ContentSignature",
]

API_KEY_V1 = "api_key_v1"
MANAGER_AUTH = "manager_auth"
INTEGRATION_AUTH = "integration_auth"


@runtime_checkable
class AuthStrategy(Protocol):
    """Adds credentials to an outgoing request.

    ``scheme`` names the API security scheme the strategy satisfies (``"api_key_v1"``,
    ``"manager_auth"`` or ``"integration_auth"``). ``apply`` is awaited once per attempt,
    right before sending, with the final method, URL, headers and exact body bytes; it
    adds its headers in place.
    """

    @property
    def scheme(self) -> str: ...

    async def apply(
        self, method: str, url: str, headers: MutableMapping[str, str], body: bytes
    ) -> None: ...


def _require_text(name: str, value: object) -> str:
    """A credential as it can go into a header: printable ASCII, nothing around it."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value or value != value.strip():
        raise ValueError(f"{name} must be a non-empty string without surrounding whitespace")
    if not (value.isascii() and value.isprintable()):
        # A line break would split the header; never quote the value itself.
        raise ValueError(f"{name} must be printable ASCII (no line breaks or control characters)")
    return value


class ApiKeyV1:
    """``Authorization: ApiKey-v1 <key>`` with an Application's API key."""

    __slots__ = ("_header",)
    scheme = API_KEY_V1

    def __init__(self, api_key: str) -> None:
        self._header = "ApiKey-v1 " + _require_text("api_key", api_key)

    async def apply(
        self, method: str, url: str, headers: MutableMapping[str, str], body: bytes
    ) -> None:
        headers["Authorization"] = self._header

    def __repr__(self) -> str:
        return "ApiKeyV1(api_key=<redacted>)"


class Bearer:
    """``Authorization: Bearer <token>`` with a Management API token (manager_auth)."""

    __slots__ = ("_header",)
    scheme = MANAGER_AUTH

    def __init__(self, token: str) -> None:
        self._header = "Bearer " + _require_text("token", token)

    async def apply(
        self, method: str, url: str, headers: MutableMapping[str, str], body: bytes
    ) -> None:
        headers["Authorization"] = self._header

    def __repr__(self) -> str:
        return "Bearer(token=<redacted>)"


class ContentSignature:
    """``Content-Signature`` header: an HMAC-MD5 of the body keyed with the Application key.

    ``application_key`` is the hex-encoded key shown in the Campaign Manager.
    """

    __slots__ = ("_application_id", "_key")
    scheme = INTEGRATION_AUTH

    def __init__(self, application_id: int | str, application_key: str) -> None:
        if isinstance(application_id, bool) or not isinstance(application_id, (int, str)):
            raise TypeError(
                f"application_id must be an int or a str, got {type(application_id).__name__}"
            )
        self._application_id = _require_text("application_id", str(application_id))
        if ";" in self._application_id:
            raise ValueError("application_id must not contain ';'")
        try:
            self._key = bytes.fromhex(_require_text("application_key", application_key))
        except ValueError:
            raise ValueError("application_key must be a hex string") from None

    async def apply(
        self, method: str, url: str, headers: MutableMapping[str, str], body: bytes
    ) -> None:
        digest = hmac.new(self._key, body, hashlib.md5).hexdigest()
        headers["Content-Signature"] = f"signer={self._application_id}; signature={digest}"

    def __repr__(self) -> str:
        return (
            f"ContentSignature(application_id={self._application_id!r}, application_key=<redacted>)"
        )
