"""Fixtures of the fake's own tests: a raw HTTP helper (the plugin's come by entry point)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from yarl import URL

from talon_async.testing import FakeTalon

__all__ = ["Raw", "Reply", "raw"]


@dataclass(frozen=True)
class Reply:
    """An answer of the fake as raw HTTP."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Raw:
    """Sends hand-made requests to the fake (with its API key unless told otherwise).

    ``path`` is sent exactly as given, so it must already be percent-encoded.
    """

    def __init__(self, session: aiohttp.ClientSession, fake: FakeTalon) -> None:
        self.session = session
        self.fake = fake

    async def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> Reply:
        sent = {"Authorization": f"ApiKey-v1 {self.fake.api_key}"} if auth else {}
        sent.update(headers or {})
        if data is None and body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        async with self.session.request(
            method, URL(self.fake.url + path, encoded=True), data=data, headers=sent
        ) as response:
            return Reply(response.status, dict(response.headers), await response.read())


@pytest.fixture
async def raw(talon_fake: FakeTalon) -> AsyncIterator[Raw]:
    async with aiohttp.ClientSession() as session:
        yield Raw(session, talon_fake)
