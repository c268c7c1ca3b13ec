"""pytest fixtures for testing code that uses talon_async against :class:`FakeTalon`.

Enable them in your top-level ``conftest.py``::

    pytest_plugins = ["talon_async.testing.pytest_plugin"]

or with ``pytest -p talon_async.testing.pytest_plugin``. The fixtures are async and need
pytest-asyncio (they work in its strict and auto modes; in strict mode mark your tests
with ``@pytest.mark.asyncio``):

* ``talon_fake``: a running :class:`FakeTalon`, closed after the test;
* ``talon_client``: a :class:`~talon_async.TalonClient` bound to ``talon_fake``, closed
  after the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .._client import TalonClient
from ._fake import FakeTalon


@pytest_asyncio.fixture
async def talon_fake() -> AsyncIterator[FakeTalon]:
    """A running fake Talon.One API with empty state."""
    async with FakeTalon() as fake:
        yield fake


@pytest_asyncio.fixture
async def talon_client(talon_fake: FakeTalon) -> AsyncIterator[TalonClient]:
    """A client of ``talon_fake`` using its API key (and manager token for audiences)."""
    async with talon_fake.client() as client:
        yield client
