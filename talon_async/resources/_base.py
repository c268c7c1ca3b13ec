"""What every resource module shares: access to the transport and query helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ..auth import API_KEY_V1, INTEGRATION_AUTH

if TYPE_CHECKING:
    from .._transport import Transport

DEFAULT_AUTH = (API_KEY_V1, INTEGRATION_AUTH)
"""The schemes most Integration API operations accept."""


class HasTransport(Protocol):
    """Anything holding a transport: a resource, or the client for the seed-named aliases.

    Resource methods annotate ``self`` with this protocol, so the client can expose the
    very same functions under the official SDKs' operation names.
    """

    @property
    def _transport(self) -> Transport: ...


class Resource:
    """Base of the resource classes: holds the transport of the client it belongs to."""

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport


def flags(**values: bool) -> dict[str, str]:
    """Query parameters for the boolean flags that are set (the API's default is false)."""
    return {name: "true" for name, value in values.items() if value}


def yes_no(value: bool) -> str:
    """The API's spelling of ``silent``; sent always, because the server defaults to yes."""
    return "yes" if value else "no"
