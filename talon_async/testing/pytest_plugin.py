"""pytest fixtures for testing code that uses talon_async against :class:`FakeTalon`.

Installing talon_async registers them (a ``pytest11`` entry point): nothing to add to a
``conftest.py``. Loading the plugin imports no aiohttp, and pytest-asyncio is optional.

* ``talon_fake``: a running :class:`FakeTalon` on the test's event loop, closed after
  the test; for async tests run by pytest-asyncio (strict mode: mark them
  ``@pytest.mark.asyncio``; auto mode: nothing to mark) or by anyio
  (``@pytest.mark.anyio``, asyncio backend);
* ``talon_client``: a :class:`~talon_async.TalonClient` bound to ``talon_fake``, closed
  after the test;
* ``talon_fake_server``: a :class:`FakeTalon` in thread mode (its own loop in a background
  thread), for synchronous tests and for apps run on a loop of their own (FastAPI's
  ``TestClient``); configure the app under test with ``fake.url`` and ``fake.api_key``.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .._client import TalonClient
    from ._fake import FakeTalon


def _fake_fixture(name: str) -> Callable[[], AsyncIterator[FakeTalon]]:
    async def fixture() -> AsyncIterator[FakeTalon]:
        from ._fake import FakeTalon

        async with FakeTalon() as fake:
            yield fake

    fixture.__name__ = name
    return fixture


def _client_fixture(name: str) -> Callable[[FakeTalon], AsyncIterator[TalonClient]]:
    async def fixture(talon_fake: FakeTalon) -> AsyncIterator[TalonClient]:
        async with talon_fake.client() as client:
            yield client

    fixture.__name__ = name
    return fixture


# One async fixture per runner: anyio runs plain async fixtures for its tests, strict
# pytest-asyncio only its own. Each function object is decorated once: pytest-asyncio
# marks the functions it decorates.
_talon_fake_anyio = pytest.fixture(_fake_fixture("_talon_fake_anyio"))
_talon_client_anyio = pytest.fixture(_client_fixture("_talon_client_anyio"))
try:
    import pytest_asyncio
except ImportError:  # anyio and the thread-mode fixture work without pytest-asyncio
    _WITH_PYTEST_ASYNCIO = False
else:
    _WITH_PYTEST_ASYNCIO = True
    _talon_fake_asyncio = pytest_asyncio.fixture(_fake_fixture("_talon_fake_asyncio"))
    _talon_client_asyncio = pytest_asyncio.fixture(_client_fixture("_talon_client_asyncio"))


def _on_the_tests_loop(request: pytest.FixtureRequest, fixture: str) -> Any:
    """The ``fixture`` made by the runner of this test: anyio's or pytest-asyncio's."""
    if not inspect.iscoroutinefunction(request.function):
        raise pytest.UsageError(
            f"{fixture} runs on the test's event loop, so the test must be async; "
            "synchronous tests use talon_fake_server"
        )
    if "anyio_backend" in request.fixturenames:
        return request.getfixturevalue(f"_{fixture}_anyio")
    if not _WITH_PYTEST_ASYNCIO:
        raise pytest.UsageError(
            f"{fixture} needs pytest-asyncio, or anyio with @pytest.mark.anyio; "
            "talon_fake_server needs neither"
        )
    return request.getfixturevalue(f"_{fixture}_asyncio")


@pytest.fixture
def talon_fake(request: pytest.FixtureRequest) -> FakeTalon:
    """A running fake Talon.One API with empty state, on the test's event loop."""
    fake: FakeTalon = _on_the_tests_loop(request, "talon_fake")
    return fake


@pytest.fixture
def talon_client(request: pytest.FixtureRequest) -> TalonClient:
    """A client of ``talon_fake`` using its API key (and manager token for audiences)."""
    client: TalonClient = _on_the_tests_loop(request, "talon_client")
    return client


@pytest.fixture
def talon_fake_server() -> Iterator[FakeTalon]:
    """A running fake with empty state in thread mode, usable from any thread or loop."""
    from ._fake import FakeTalon

    with FakeTalon.in_thread() as fake:
        yield fake
