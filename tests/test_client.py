"""Client configuration and the ownership of the aiohttp session."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

import talon_async
from talon_async import ApiKeyV1, Bearer, ClientClosedError, TalonClient

from .conftest import RecordingServer


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("https://acme.europe-west1.talon.one", "https://acme.europe-west1.talon.one"),
        ("https://acme.talon.one///", "https://acme.talon.one"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://proxy.example.com/talon/", "https://proxy.example.com/talon"),
    ],
)
def test_base_url_is_normalized(given: str, normalized: str) -> None:
    assert TalonClient(given, auth=ApiKeyV1("k")).base_url == normalized


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "acme.talon.one",
        "ftp://acme.talon.one",
        "https://",
        "https://:80",
        "http://h:99999",
        "https://h/?x=1",
        "https://user:pw@h",
        "https://h/x\ny",
        42,
    ],
)
def test_malformed_base_url_is_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="base_url"):
        TalonClient(bad, auth=ApiKeyV1("k"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "https://svc:s3cr3t-pass@h.talon.one",
        "https://svc:s3cr3t-pass@h.talon.one:99999",
        "ftp://svc:s3cr3t-pass@h.talon.one",
        "https://h.talon.one/?s3cr3t-pass",
    ],
)
def test_a_rejected_base_url_never_shows_its_credentials(url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as info:
        TalonClient(url, auth=ApiKeyV1("k"))
    assert "s3cr3t-pass" not in str(info.value)
    assert "svc" not in str(info.value)


def test_auth_is_required_and_checked() -> None:
    with pytest.raises(TypeError, match="AuthStrategy"):
        TalonClient("https://h", auth=[])
    with pytest.raises(TypeError, match="AuthStrategy"):
        TalonClient("https://h", auth="my-key")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("timeout", 0, ValueError),
        ("timeout", -1, ValueError),
        ("timeout", float("inf"), ValueError),
        ("timeout", float("nan"), ValueError),
        ("timeout", "5", TypeError),
        ("timeout", True, TypeError),
        ("connect_timeout", 0, ValueError),
        ("total_timeout", 0, ValueError),
        ("total_timeout", "1", TypeError),
        ("max_connections", 0, ValueError),
        ("max_connections", 1.5, TypeError),
        ("max_response_bytes", 10, ValueError),
        ("strict_responses", "yes", TypeError),
        ("retry", 3, TypeError),
    ],
)
def test_client_options_are_checked(option: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=option):
        TalonClient("https://h", auth=ApiKeyV1("k"), **{option: value})  # type: ignore[arg-type]


async def test_user_agent_and_path_prefix(server: RecordingServer) -> None:
    async with TalonClient(server.url + "/prefix/", auth=ApiKeyV1("k")) as client:
        await client.customer_data.delete("p")
    user_agent = server.last.headers["User-Agent"]
    assert user_agent == (
        f"talon-async/{talon_async.__version__} aiohttp/{aiohttp.__version__} "
        f"Python/{platform.python_version()}"
    )
    assert server.last.path == "/prefix/v1/customer_data/p"


async def test_own_session_is_closed(server: RecordingServer) -> None:
    client = TalonClient(server.url, auth=ApiKeyV1("k"))
    await client.customer_data.delete("p")
    session = client._transport._session
    assert session is not None and not session.closed
    await client.aclose()
    assert session.closed and client.closed


async def test_borrowed_session_is_left_open(server: RecordingServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with TalonClient(server.url, auth=ApiKeyV1("k"), session=session) as client:
            await client.customer_data.delete("p")
        assert not session.closed
        assert len(server.received) == 1


async def test_client_that_never_sent_creates_no_session() -> None:
    client = TalonClient("https://acme.talon.one", auth=ApiKeyV1("k"))
    await client.aclose()
    assert client._transport._session is None


async def test_closed_client_raises_a_clear_error(server: RecordingServer) -> None:
    client = TalonClient(server.url, auth=ApiKeyV1("k"))
    await client.aclose()
    with pytest.raises(ClientClosedError, match="closed"):
        await client.customer_data.delete("p")
    await client.aclose()  # closing twice is harmless
    assert server.received == []


async def test_closed_borrowed_session_raises_a_clear_error(server: RecordingServer) -> None:
    session = aiohttp.ClientSession()
    await session.close()
    client = TalonClient(server.url, auth=ApiKeyV1("k"), session=session)
    with pytest.raises(ClientClosedError, match="aiohttp session"):
        await client.customer_data.delete("p")


def test_leaked_session_fails_the_suite(tmp_path: Path) -> None:
    """The guard the suite relies on: a test that leaks an aiohttp session fails."""
    leaky = tmp_path / "test_leaky.py"
    leaky.write_text("import aiohttp\nasync def test_leak():\n    aiohttp.ClientSession()\n")
    config = Path(__file__).parent.parent / "pyproject.toml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(config), "-p", "no:cacheprovider", str(leaky)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0, run.stdout
    assert "Unclosed client session" in run.stdout


def test_aiohttp_loads_with_the_first_client_not_with_the_package() -> None:
    code = (
        "import sys, talon_async, talon_async.models\n"
        "assert 'aiohttp' not in sys.modules, 'imported by the package'\n"
        "talon_async.TalonClient('http://127.0.0.1:9', auth=talon_async.ApiKeyV1('k'))\n"
        "assert 'aiohttp' in sys.modules, 'not imported by the client'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_the_auth_strategies_are_readable_in_the_order_given() -> None:
    key, token = ApiKeyV1("k"), Bearer("t")
    assert TalonClient("https://acme.talon.one", auth=key).auth == (key,)
    assert TalonClient("https://acme.talon.one", auth=[token, key]).auth == (token, key)
