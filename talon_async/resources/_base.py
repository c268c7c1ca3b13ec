"""What every resource module shares: access to the transport, and query parameters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from .._operation import snake_case
from ..auth import API_KEY_V1, INTEGRATION_AUTH

if TYPE_CHECKING:
    from .._transport import Transport

DEFAULT_AUTH = (API_KEY_V1, INTEGRATION_AUTH)
"""The schemes most Integration API operations accept."""
API_KEY_AUTH = (API_KEY_V1,)
"""The one scheme the current spec lists for operations the seed documents lack."""


class HasTransport(Protocol):
    """Anything holding a transport: a resource, or the client for the official names.

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


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{snake_case(name)} must be {expected}, got {type(value).__name__}")


def path_id(name: str, value: int) -> str:
    """A numeric ID used as a path parameter (``loyaltyProgramId``), checked and written."""
    if type(value) is not int:
        raise _type_error(name, "an int", value)
    if value < 0:
        raise ValueError(f"{snake_case(name)} must not be negative, got {value}")
    return str(value)


class Query(dict[str, "str | list[str]"]):
    """The query parameters of one call, each checked and written the way the API reads it.

    Every method takes the parameter's wire name and the caller's value, raises
    ``TypeError``/``ValueError`` naming the Python parameter when the value is wrong, and
    leaves out a value of None. Methods return the query, so calls chain.
    """

    def flag(self, name: str, value: bool) -> Query:
        """A boolean the API defaults to false: sent as ``true`` only when set."""
        if type(value) is not bool:
            raise _type_error(name, "True or False", value)
        if value:
            self[name] = "true"
        return self

    def boolean(self, name: str, value: bool | None) -> Query:
        """A boolean sent as given (``true``/``false``) unless it is None."""
        if value is not None:
            self.flag(name, value)
            self[name] = "true" if value else "false"
        return self

    def yes_no(self, name: str, value: bool) -> Query:
        """A boolean the API spells ``yes``/``no`` (``silent``): always sent, as the API's
        default is yes."""
        self.flag(name, value)
        self[name] = "yes" if value else "no"
        return self

    def integer(
        self,
        name: str,
        value: int | None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> Query:
        """An integer, within ``minimum``..``maximum`` when those are given."""
        if value is None:
            return self
        if type(value) is not int:
            raise _type_error(name, "an int", value)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise ValueError(f"{snake_case(name)} must be {bounds}, got {value}")
        self[name] = str(value)
        return self

    def string(self, name: str, value: str | None) -> Query:
        """A non-empty string."""
        if value is None:
            return self
        if not isinstance(value, str):
            raise _type_error(name, "a str", value)
        if not value:
            raise ValueError(f"{snake_case(name)} must not be empty")
        self[name] = str.__str__(value)  # the plain value of a subclass, e.g. a StrEnum member
        return self

    def strings(
        self, name: str, values: Sequence[str] | Sequence[int] | None, *, explode: bool = True
    ) -> Query:
        """A list, sent as the parameter repeated once per item (``?a=1&a=2``), or with
        ``explode=False`` as one comma-separated value (``?a=1,2``): whichever the spec
        documents for the parameter."""
        if values is None:
            return self
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise _type_error(name, "a list", values)
        items = []
        for item in values:
            if type(item) is int:
                items.append(str(item))
            elif isinstance(item, str) and item:
                items.append(str.__str__(item))
            else:
                raise TypeError(
                    f"an item of {snake_case(name)} must be a non-empty str or an int, "
                    f"got {type(item).__name__}"
                )
        if not items:
            return self
        if explode:
            self[name] = items
        elif any("," in item for item in items):
            raise ValueError(f"an item of {snake_case(name)} must not contain a comma")
        else:
            self[name] = ",".join(items)
        return self

    def moment(self, name: str, value: datetime | None) -> Query:
        """A timezone-aware datetime, sent as RFC 3339."""
        if value is None:
            return self
        if not isinstance(value, datetime):
            raise _type_error(name, "a datetime", value)
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{snake_case(name)} must be timezone-aware, e.g. datetime.now(timezone.utc)"
            )
        self[name] = value.isoformat()
        return self
