"""Each auth scheme's header, byte for byte, as a real server receives it."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import MutableMapping

import pytest

from talon_async import (
    ApiKeyV1,
    AuthConfigurationError,
    AuthStrategy,
    Bearer,
    ContentSignature,
    TalonClient,
)
from talon_async.models.profiles import CustomerProfileAudienceRequest
from talon_async.models.referrals import NewReferral

from .conftest import RecordingServer

APP_KEY_HEX = "f2a1c0ffee00112233445566778899aa"


async def test_api_key_v1_header(server: RecordingServer) -> None:
    async with TalonClient(server.url, auth=ApiKeyV1("k-123")) as client:
        await client.customer_data.delete("p1")
    assert server.last.headers["Authorization"] == "ApiKey-v1 k-123"
    assert "Content-Signature" not in server.last.headers


async def test_content_signature_is_hmac_md5_of_exact_body(server: RecordingServer) -> None:
    server.respond(
        201,
        b'{"id":1,"created":"2024-01-01T00:00:00Z","campaignId":2,'
        b'"advocateProfileIntegrationId":"a","code":"R1","usageCounter":0,"usageLimit":1}',
    )
    async with TalonClient(server.url, auth=ContentSignature(42, APP_KEY_HEX)) as client:
        await client.referrals.create(
            NewReferral(campaign_id=2, advocate_profile_integration_id="advocate-ü")
        )
    body = server.last.body
    # Computed independently of the library: HMAC-MD5 keyed with the hex-decoded key.
    expected = hmac.new(bytes.fromhex(APP_KEY_HEX), body, "md5").hexdigest()
    assert server.last.headers["Content-Signature"] == f"signer=42; signature={expected}"
    assert hashlib.md5(body).hexdigest() != expected  # keyed, not a plain digest
    assert "Authorization" not in server.last.headers


async def test_first_accepted_strategy_in_client_order_wins(server: RecordingServer) -> None:
    auth: list[AuthStrategy] = [Bearer("mgr-token"), ApiKeyV1("k-1")]
    async with TalonClient(server.url, auth=auth) as client:
        await client.profiles.update_audiences(CustomerProfileAudienceRequest(data=[]))
        assert server.last.headers["Authorization"] == "Bearer mgr-token"
        await client.customer_data.delete("p1")
        assert server.last.headers["Authorization"] == "ApiKey-v1 k-1"


async def test_operation_without_an_accepted_scheme_fails_before_io(
    server: RecordingServer,
) -> None:
    async with TalonClient(server.url, auth=Bearer("mgr-token")) as client:
        with pytest.raises(AuthConfigurationError, match="api_key_v1 or integration_auth"):
            await client.customer_data.delete("p1")
    assert server.received == []


class RotatingKey:
    """A user-written strategy: a different key for every request."""

    scheme = "api_key_v1"

    def __init__(self) -> None:
        self.count = 0

    async def apply(
        self, method: str, url: str, headers: MutableMapping[str, str], body: bytes
    ) -> None:
        self.count += 1
        headers["Authorization"] = f"ApiKey-v1 rotated-{self.count}"


async def test_user_written_strategy_plugs_in(server: RecordingServer) -> None:
    async with TalonClient(server.url, auth=RotatingKey()) as client:
        await client.customer_data.delete("a")
        await client.customer_data.delete("b")
    assert [r.headers["Authorization"] for r in server.received] == [
        "ApiKey-v1 rotated-1",
        "ApiKey-v1 rotated-2",
    ]


@pytest.mark.parametrize(
    ("strategy", "secret"),
    [
        (ApiKeyV1("sekrit-key-1"), "sekrit-key-1"),
        (Bearer("sekrit-token-2"), "sekrit-token-2"),
        (ContentSignature(7, "abcdef0123"), "abcdef0123"),
    ],
)
def test_secrets_never_in_repr_or_str(strategy: object, secret: str) -> None:
    assert secret not in repr(strategy)
    assert secret not in str(strategy)
    client = TalonClient("https://example.talon.one", auth=strategy)  # type: ignore[arg-type]
    assert secret not in repr(client)


@pytest.mark.parametrize(
    "bad",
    ["", " s3cr3t", "s3cr3t\n", "s3\ncr3t", "s3cr3t\x00", "s3cr3té", "s3\rcr3t", None, 5, b"k"],
)
def test_bad_api_key_is_refused_without_echoing_it(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        ApiKeyV1(bad)  # type: ignore[arg-type]
    with pytest.raises((TypeError, ValueError)):
        Bearer(bad)  # type: ignore[arg-type]
    assert "s3" not in str(info.value)


@pytest.mark.parametrize("bad", ["1\n", "1; signature=x", "", True, 1.5])
def test_bad_application_id_is_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="application_id"):
        ContentSignature(bad, "00ff")  # type: ignore[arg-type]


def test_content_signature_needs_a_hex_key() -> None:
    with pytest.raises(ValueError, match="hex") as info:
        ContentSignature(1, "not-hex-secret")
    assert "not-hex-secret" not in str(info.value)


async def test_secret_absent_from_errors_and_logs(
    server: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.respond(401, b'{"message":"bad key","StatusCode":401}')
    async with TalonClient(server.url, auth=ApiKeyV1("sekrit-key-9")) as client:
        with pytest.raises(Exception) as info:
            await client.customer_data.delete("p1")
    assert "sekrit-key-9" not in str(info.value)
    assert "sekrit-key-9" not in repr(info.value)
    assert "sekrit-key-9" not in caplog.text
