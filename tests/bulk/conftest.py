"""What the bulk tests share: job files, the line number each request carried, subprocesses
of ``python -m talon_async`` and a real redis-server of their own."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
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


class RedisProcess:
    """A redis-server of one test's own, on a free port of 127.0.0.1, that the test may
    stop and start again (its data kept: an append-only file written on every command),
    pause (SIGSTOP) or protect with a password."""

    def __init__(self, directory: Path, password: str | None = None) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is not installed (apt-get install -y redis-server)")
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> None:
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        options += ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        if self.password:
            options += ["--requirepass", self.password]
        self.process = subprocess.Popen([self.executable, *options], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while self.command("PING") != b"+PONG":
            assert time.monotonic() < deadline and self.process.poll() is None
            time.sleep(0.02)

    def stop(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    def command(self, *words: str) -> bytes:
        """One command, its first answer line (b"" when Redis cannot be reached)."""
        text = ("AUTH " + self.password + "\r\n" if self.password else "") + " ".join(words)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
                connection.sendall(text.encode() + b"\r\n")
                answer = b""
                while answer.count(b"\r\n") < (2 if self.password else 1):
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
        except OSError:
            return b""
        return answer.split(b"\r\n")[1 if self.password else 0]

    def clients(self) -> int:
        """Connected clients, this probe left out."""
        self.command("PING")
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
            auth = f"AUTH {self.password}\r\n" if self.password else ""
            connection.sendall(f"{auth}INFO clients\r\n".encode())
            time.sleep(0.05)
            info = connection.recv(65536).decode()
        return int(info.split("connected_clients:")[1].split("\r\n")[0]) - 1


@pytest.fixture
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    """A redis-server of this test alone (see :class:`RedisProcess`), started."""
    redis = RedisProcess(tmp_path_factory.mktemp("own-redis"))
    redis.start()
    try:
        yield redis
    finally:
        if redis.process is not None and redis.process.poll() is None:
            redis.process.send_signal(signal.SIGCONT)
            redis.stop()


class Gate:
    """A TCP proxy of the test's own in front of a port: ``cut()`` closes every
    connection through it and refuses new ones until ``mend()``, as a firewall would."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.open = True
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        return url.replace(f":{self.target}/", f":{self.port}/")

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target), timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)  # ends the other direction's thread
        with self.lock:
            self.sockets.discard(source)
        source.close()

    def cut(self) -> None:
        self.open = False
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            self.sockets.clear()

    def mend(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()
