"""What the bulk tests share: job files, the line number each request carried, subprocesses
of ``python -m talon_async`` and a real redis-server of their own."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from talon_async.testing import RecordedRequest


def write_job(path: Path, lines: Sequence[Any]) -> Path:
    """A job file: objects as JSON, strings as given, one per line."""
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


def line_of(request: RecordedRequest) -> int:
    """The job line a request came from: the jobs of these tests put it in ``attributes``."""
    body = request.json
    if "customerSession" in body:
        body = body["customerSession"]
    elif "customerProfiles" in body:
        [body] = body["customerProfiles"]
    return int(body["attributes"]["line"])


def check_order(requests: Sequence[RecordedRequest], key_of: dict[int, str]) -> None:
    """Each key's lines arrived in file order; a line sent again right after itself (the
    resend of a call whose first send may have arrived) is allowed."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for request in requests:
        number = line_of(request)
        lines = by_key[key_of[number]]
        if not lines or lines[-1] != number:
            lines.append(number)
    for key, lines in by_key.items():
        assert lines == sorted(lines), f"{key}: {lines}"


def talon_command(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``python -m talon_async ARGS`` in a subprocess, its output kept in pipes."""
    return subprocess.Popen(
        [sys.executable, "-m", "talon_async", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of the tests' own on a free port of 127.0.0.1, its URL.

    CI installs redis-server; a machine without it fails these tests rather than skip them.
    """
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            *(executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)),
            *("--save", "", "--appendonly", "no", "--protected-mode", "yes"),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16) == b"+PONG\r\n":
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """The test redis-server, emptied for each test."""
    port = int(redis_server.rsplit(":", 1)[1].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"FLUSHALL\r\n")
        assert connection.recv(16) == b"+OK\r\n"
    yield redis_server
