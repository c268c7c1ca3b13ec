"""talon_async: an asyncio client for the Talon.One Integration API.

Request and response models live in :mod:`talon_async.models`.
"""

from ._client import TalonClient
from ._version import __version__
from .auth import ApiKeyV1, AuthStrategy, Bearer, ContentSignature
from .errors import (
    AuthConfigurationError,
    AuthenticationError,
    BadRequestError,
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

__all__ = [
    "ApiKeyV1",
    "AuthConfigurationError",
    "AuthStrategy",
    "AuthenticationError",
    "BadRequestError",
    "Bearer",
    "ClientClosedError",
    "ConflictError",
    "ContentSignature",
    "ErrorBody",
    "ErrorDetail",
    "ErrorSource",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TalonClient",
    "TalonConnectionError",
    "TalonDecodeError",
    "TalonError",
    "TalonStatusError",
    "TalonTimeoutError",
    "__version__",
]
