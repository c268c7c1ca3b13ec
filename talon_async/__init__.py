"""talon_async: an asyncio client for the Talon.One Integration API.

Request and response models live in :mod:`talon_async.models`.
"""

import logging as _logging
import os as _os
from typing import Any as _Any, TypeVar as _TypeVar

from ._client import TalonClient
from ._operation import CallOptions
from ._version import __version__
from .auth import ApiKeyV1, AuthStrategy, Bearer, ContentSignature
from .batch import run_batch
from .errors import (
    AuthConfigurationError,
    AuthenticationError,
    BadRequestError,
    BulkUpdateError,
    ClientClosedError,
    ConflictError,
    ErrorBody,
    ErrorDetail,
    ErrorSource,
    EventLoopError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    TalonConnectionError,
    TalonDecodeError,
    TalonError,
    TalonStatusError,
    TalonTimeoutError,
)
from .observe import (
    Hooks,
    RawResponse,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    capture_responses,
)
from .retry import DEFAULT_RETRY, NO_RETRY, RetryPolicy

__all__ = [
    "DEFAULT_RETRY",
    "NO_RETRY",
    "ApiKeyV1",
    "AuthConfigurationError",
    "AuthStrategy",
    "AuthenticationError",
    "BadRequestError",
    "Bearer",
    "BulkUpdateError",
    "CallOptions",
    "ClientClosedError",
    "ConflictError",
    "ContentSignature",
    "ErrorBody",
    "ErrorDetail",
    "ErrorSource",
    "EventLoopError",
    "Hooks",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestEvent",
    "ResponseEvent",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
    "TalonClient",
    "TalonConnectionError",
    "TalonDecodeError",
    "TalonError",
    "TalonStatusError",
    "TalonTimeoutError",
    "__version__",
    "capture_responses",
    "from_json",
    "run_batch",
    "to_json",
]

_M = _TypeVar("_M")


def from_json(model_type: type[_M], data: bytes | str | _Any, *, strict: bool = False) -> _M:
    """Decode JSON (bytes or text, or data already parsed from JSON) into ``model_type``
    exactly as the client decodes an answer of the API.

    By default decoding is lenient, as for responses: a member that deviates from the spec
    is kept as received and logged once per field. ``strict=True`` raises
    :class:`TalonDecodeError` instead, naming the field (for contract tests). Arguments of
    the wrong kind (swapped ones included) raise ``TypeError``.
    """
    from ._convert import decode_model

    return decode_model(model_type, data, strict=strict)


def to_json(model: object) -> bytes:
    """Encode a model as the client sends it: compact JSON with the API's member names,
    unset optional fields left out, every value checked against its field's type.

    A value that cannot be sent raises ``TypeError`` or ``ValueError`` naming its field."""
    from ._convert import encode

    return encode(model, root="to_json's argument")


_log_level = _os.environ.get("TALON_ASYNC_LOG", "").strip().upper()
if _log_level:
    # Opt-in switch for quick debugging: TALON_ASYNC_LOG=debug prints one line per request.
    _logging.basicConfig()
    _logging.getLogger("talon_async").setLevel(_log_level)
