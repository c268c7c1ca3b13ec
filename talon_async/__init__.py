"""talon_async: an asyncio client for the Talon.One Integration API.

Request and response models live in :mod:`talon_async.models`.
"""

from ._client import TalonClient
from ._transport import CallOptions
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
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "TalonClient",
    "TalonConnectionError",
    "TalonDecodeError",
    "TalonError",
    "TalonStatusError",
    "TalonTimeoutError",
    "__version__",
    "run_batch",
]
