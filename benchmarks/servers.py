"""The HTTP servers the clients talk to, each in its own process on 127.0.0.1.

* :func:`start_nginx` runs Debian's nginx in the foreground (``daemon off``) from a
  throw-away prefix directory: its config, pid file, logs and temp dirs all live there
  and vanish on :meth:`Server.stop`. Every request is answered with the fixed body.
* :func:`start_aiohttp` runs this module as a small aiohttp application instead. It is
  the fallback when nginx is missing (and what the smoke test uses); being Python, it
  may well be the bottleneck, which the report says next to every figure it produced.
* The same application has a "hold" mode for the memory measurement: requests whose
  path contains ``hold-`` are parked until ``/_release`` is called, and ``/_pending``
  tells how many are parked.

Run as ``python -m benchmarks.servers --body FILE --port N [--hold]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 8192;
}}

http {{
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_max_body_size 4m;
    client_body_buffer_size 1m;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    types {{ application/json json; }}
    default_type application/json;

    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {prefix}/www;

        location / {{
            # Every path is the same document.
            rewrite ^ /state.json break;
            # The static handler refuses PUT with 405. error_page turns that into an
            # internal GET of the same file, answered with status 200.
            error_page 405 =200 /state.json;
        }}
    }}
}}
"""


def free_port() -> int:
    """An unprivileged TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on 127.0.0.1:{port} within {timeout:.0f}s")


def children_of(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (nginx's workers), read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time consumed so far by the given processes (gone ones count 0)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


@attrs.define
class Server:
    """A running server process (and, for nginx, its workers)."""

    kind: str
    label: str
    version: str
    url: str
    process: subprocess.Popen[bytes]
    prefix: Path | None = None
    log: Path | None = None

    def pids(self) -> list[int]:
        """The master and its workers: everything whose CPU time counts as the server's."""
        return [self.process.pid, *children_of(self.process.pid)]

    def stop(self) -> None:
        """Shut the server down, wait for it, and remove its temporary directory."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.prefix is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)


def nginx_binary() -> str | None:
    """Path of the nginx executable, or None when it is not installed."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def start_nginx(body: bytes, *, workers: int = 1) -> Server:
    """Start nginx in the foreground on a free port, answering every request with ``body``."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError(
            "nginx is not installed. Install it (Debian: apt-get install -y nginx) or run "
            "with --server=aiohttp to use the slower separate-process aiohttp server."
        )
    version = subprocess.run(
        [binary, "-v"], capture_output=True, text=True, check=True
    ).stderr.strip()
    prefix = Path(tempfile.mkdtemp(prefix="talon-bench-nginx-"))
    # Workers run as an unprivileged user when nginx is started as root: let them read.
    prefix.chmod(0o755)
    (prefix / "www").mkdir(mode=0o755)
    (prefix / "tmp").mkdir(mode=0o755)
    (prefix / "www" / "state.json").write_bytes(body)
    (prefix / "www" / "state.json").chmod(0o644)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, workers=workers))
    log = prefix / "error.log"
    command = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(log)]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    server = Server(
        "nginx",
        f"{version} ({workers} worker)",
        version,
        f"http://127.0.0.1:{port}",
        process,
        prefix,
        log,
    )
    try:
        _wait_listening(port, process)
    except RuntimeError as exc:
        text = log.read_text(errors="replace") if log.exists() else ""
        server.stop()
        raise RuntimeError(f"nginx failed to start: {exc}\n{text}") from None
    return server


def start_aiohttp(
    body: bytes, *, hold: bool = False, delay: float = 0.0, rate: float = 0.0
) -> Server:
    """Start this module's aiohttp application in a separate Python process.

    ``delay`` seconds pass before each answer (a deployment's latency); with ``rate``
    (requests per second, over a window of one second) a request beyond the rate is
    answered 429 with ``Retry-After: 1`` at once, as an API with a rate limit does.
    ``GET /_stats`` says how many were answered and how many refused.
    """
    prefix = Path(tempfile.mkdtemp(prefix="talon-bench-aiohttp-"))
    (prefix / "state.json").write_bytes(body)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "benchmarks.servers",
        "--port",
        str(port),
        "--body",
        str(prefix / "state.json"),
    ]
    if hold:
        command.append("--hold")
    command += ["--delay", str(delay), "--rate", str(rate)]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True)
    import aiohttp

    label = (
        "aiohttp " + aiohttp.__version__ + (" hold server" if hold else " (fallback, 1 process)")
    )
    if delay or rate:
        label = f"aiohttp {aiohttp.__version__}, {delay * 1000:.0f} ms per answer, {rate:g} req/s"
    server = Server(
        "aiohttp",
        label,
        "aiohttp " + aiohttp.__version__,
        f"http://127.0.0.1:{port}",
        process,
        prefix,
    )
    try:
        _wait_listening(port, process)
    except RuntimeError:
        server.stop()
        raise
    return server


def _serve(port: int, body: bytes, hold: bool, delay: float, rate: float) -> None:
    import asyncio
    import collections
    import time

    from aiohttp import web

    headers = {"Content-Type": "application/json"}
    release = asyncio.Event()
    parked = 0
    recent: collections.deque[float] = collections.deque()
    stats = {"answered": 0, "refused": 0}

    async def answer(request: web.Request) -> web.Response:
        nonlocal parked, release
        await request.read()
        if rate:
            now = time.monotonic()
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            if len(recent) >= rate:
                stats["refused"] += 1
                return web.Response(status=429, headers={"Retry-After": "1"})
            recent.append(now)
        if delay:
            await asyncio.sleep(delay)
        stats["answered"] += 1
        if hold and "hold-" in request.path:
            parked += 1
            gate = release
            try:
                await gate.wait()
            finally:
                parked -= 1
        return web.Response(body=body, headers=headers)

    async def pending(request: web.Request) -> web.Response:
        return web.Response(text=str(parked))

    async def counts(request: web.Request) -> web.Response:
        return web.json_response(stats)

    async def release_all(request: web.Request) -> web.Response:
        nonlocal release
        gate, release = release, asyncio.Event()
        gate.set()
        return web.Response(text="released")

    app = web.Application(client_max_size=8 * 1024 * 1024)
    app.router.add_get("/_pending", pending)
    app.router.add_get("/_stats", counts)
    app.router.add_post("/_release", release_all)
    app.router.add_route("*", "/{tail:.*}", answer)
    web.run_app(
        app,
        host="127.0.0.1",
        port=port,
        access_log=None,
        print=None,
        backlog=4096,
        handle_signals=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--hold", action="store_true")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--rate", type=float, default=0.0)
    args = parser.parse_args()
    _serve(args.port, args.body.read_bytes(), args.hold, args.delay, args.rate)


if __name__ == "__main__":
    main()
