"""talon_async: an asyncio client for the Talon.One Integration API.

Request and response models live in :mod:`talon_async.models`.
"""

import logging as _logging
import os as _os

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
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
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
    "Hooks",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestEvent",
    "ResponseEvent",
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
    "run_batch",
]

_log_level = _os.environ.get("TALON_ASYNC_LOG", "").strip().upper()
if _log_level:
    # Opt-in switch for quick debugging: TALON_ASYNC_LOG=debug prints one line per request.
    _logging.basicConfig()
    _logging.getLogger("talon_async").setLevel(_log_level)
