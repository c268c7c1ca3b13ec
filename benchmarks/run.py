"""Run every benchmark, print the tables and save the results as JSON.

    python -m benchmarks                  # full run against nginx (~8 minutes)
    python -m benchmarks --smoke          # seconds; aiohttp server, no official SDK
    python -m benchmarks --sections throughput --concurrency 64 --repeats 3
    python -m benchmarks --sections bulk --bulk-profiles 200000

Each measurement runs in its own process; the orchestrator only starts servers, collects
JSON and does the arithmetic. See benchmarks/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks import imports, payload, plot, servers

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SECTIONS = ("codec", "imports", "coldstart", "throughput", "memory", "bulk")
SMOKE_SECTIONS = ("codec", "imports", "coldstart", "throughput", "memory")
"""What ``--smoke`` runs unless ``--sections`` says otherwise (bulk needs redis-server)."""
ALL_CLIENTS = ("talon_async", "floor_orjson", "floor", "official")

TARGETS = {
    "throughput_vs_official": 3.0,  # talon_async / official at concurrency 64, at least
    "throughput_vs_floor": 0.95,  # talon_async / floor (stdlib json) at every concurrency
    "p99_vs_floor": 1.25,  # p99 latency talon_async / floor at concurrency 64, at most
    "throughput_vs_floor_orjson": 0.85,  # / the true floor (orjson), every concurrency
    "p99_vs_floor_orjson": 1.15,  # p99 / the true floor's, every concurrency, at most
    "first_answer_vs_floor": 1.3,  # fresh process to first decoded answer, at most
    "encode_vs_orjson_dumps": 3.0,  # encode / orjson.dumps of the plain dict, at most
    "read_effects_vs_orjson_loads": 1.5,  # decode + read effects' props / orjson.loads
    "to_json_lazy_vs_strict": 1.1,  # to_json(from_json(raw)) lazy / eager, at most
    "asdict_lazy_vs_strict": 1.1,  # attrs.asdict(from_json(raw)) lazy / eager, at most
    "decode_vs_json_loads": 1.2,  # decode time talon_async / json.loads of the same bytes
    "decode_vs_official": 0.5,  # talon_async / official SDK decode time, at most
    "import_vs_dependencies": 1.5,  # import talon_async / its runtime dependencies, at most
    "import_vs_official": 1 / 20,  # import time ratio, at most
    "rss_vs_official": 0.4,  # RSS after import ratio, at most
    "read_answer_memory_vs_eager": 1.0,  # bytes of fully read lazy / eager answers, at most
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def child(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> args`` and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.{module} {' '.join(args)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                model,
            )
    except OSError:
        pass
    versions = {}
    for name in ("aiohttp", "attrs", "cattrs", "talon-one-sdk", "pydantic", "urllib3"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = None
    spec = importlib.util.find_spec("talon_async")
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "load_average": os.getloadavg(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "talon_async_path": str(Path(spec.origin).parent) if spec and spec.origin else None,
        "versions": versions,
    }


def ratio_of_medians(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize_throughput(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians per client and concurrency, and paired ratios (same repeat, same level)."""
    table: dict[str, dict[str, Any]] = {}
    for run in runs:
        key = f"{run['client']}@{run['concurrency']}"
        table.setdefault(
            key, {"client": run["client"], "concurrency": run["concurrency"], "repeats": []}
        )["repeats"].append(run)
    for row in table.values():
        reps = row["repeats"]
        fields = ("requests", "rps", "latency_ms_p50", "latency_ms_p99", "client_cpu", "server_cpu")
        for field in fields:
            row[field] = statistics.median(r[field] for r in reps)
        row["server_cpu_max"] = max(r["server_cpu"] for r in reps)
    ratios: dict[str, dict[str, float | None]] = {}
    levels = sorted({row["concurrency"] for row in table.values()})
    for level in levels:
        mine = table.get(f"talon_async@{level}")
        if mine is None:
            continue
        entry: dict[str, float | None] = {}
        for other in ("official", "floor", "floor_orjson"):
            theirs = table.get(f"{other}@{level}")
            if theirs is None:
                continue
            pairs = list(zip(mine["repeats"], theirs["repeats"], strict=False))
            entry[f"vs_{other}"] = ratio_of_medians(
                [a["rps"] / b["rps"] for a, b in pairs if b["rps"]]
            )
            entry[f"p99_vs_{other}"] = ratio_of_medians(
                [a["latency_ms_p99"] / b["latency_ms_p99"] for a, b in pairs if b["latency_ms_p99"]]
            )
        ratios[str(level)] = entry
    return {"rows": list(table.values()), "ratios": ratios}


def run_throughput(args: argparse.Namespace, body: bytes) -> dict[str, Any]:
    server = servers.start_nginx(body) if args.server == "nginx" else servers.start_aiohttp(body)
    log(f"throughput: server {server.label} at {server.url}")
    runs = []
    try:
        for repeat in range(args.repeats):
            for level in args.concurrency:
                for client in args.clients:
                    result = child(
                        "throughput",
                        "--client",
                        client,
                        "--url",
                        server.url,
                        "--concurrency",
                        str(level),
                        "--warmup",
                        str(args.warmup),
                        "--duration",
                        str(args.duration),
                        "--server-pids",
                        ",".join(map(str, server.pids())),
                    )
                    result["repeat"] = repeat
                    runs.append(result)
                    log(
                        f"  repeat {repeat + 1}/{args.repeats} c={level:<4} {client:<12} "
                        f"{result['rps']:8.0f} req/s  server cpu {result['server_cpu']:.0%}"
                    )
    finally:
        server.stop()
    summary = summarize_throughput(runs)
    summary["server"] = {"kind": server.kind, "label": server.label, "version": server.version}
    summary["settings"] = {
        "repeats": args.repeats,
        "warmup_s": args.warmup,
        "duration_s": args.duration,
        "concurrency": args.concurrency,
        "clients": args.clients,
    }
    return summary


def run_coldstart(args: argparse.Namespace, body: bytes) -> dict[str, Any]:
    """Fresh processes to their first decoded answer, talon_async and the true floor."""
    server = servers.start_nginx(body) if args.server == "nginx" else servers.start_aiohttp(body)
    log(f"coldstart: {args.coldstart_pairs} pairs of fresh processes, server {server.label}")
    try:
        result = child("coldstart", "--url", server.url, "--pairs", str(args.coldstart_pairs))
    finally:
        server.stop()
    result["server"] = server.label
    return result


def run_memory(args: argparse.Namespace, body: bytes) -> dict[str, Any]:
    server = servers.start_aiohttp(body, hold=True)
    log(f"memory: hold server {server.label} at {server.url}, {args.inflight} in flight")
    rows = []
    try:
        for client in ("talon_async", "floor"):
            for mode in ("tracemalloc", "rss"):
                rows.append(
                    child(
                        "memory",
                        "--client",
                        client,
                        "--url",
                        server.url,
                        "--inflight",
                        str(args.inflight),
                        "--mode",
                        mode,
                    )
                )
    finally:
        server.stop()
    log(f"memory: {args.answers} decoded answers")
    decoded = child("memory", "--answers", str(args.answers))
    return {"inflight": args.inflight, "rows": rows, "answers": decoded}


def run_bulk(args: argparse.Namespace) -> dict[str, Any]:
    """Profiles per second through ``bulk run`` (one process, 2 workers) and the SDK."""
    # Every request is a silent bulk update: an empty object is all the answer needed.
    server = servers.start_nginx(b"{}") if args.server == "nginx" else servers.start_aiohttp(b"{}")
    log(f"bulk: server {server.label} at {server.url}, {args.bulk_profiles} profiles")
    flags = ["--official"] if "official" in args.clients else []
    runs = []
    try:
        for repeat in range(args.bulk_repeats):
            result = child(
                "bulk", "--url", server.url, "--profiles", str(args.bulk_profiles), *flags
            )
            runs.append(result)
            rates = ", ".join(f"{k} {v:.0f}/s" for k, v in result["profiles_per_second"].items())
            log(f"  repeat {repeat + 1}/{args.bulk_repeats}: {rates}")
    finally:
        server.stop()
    modes = list(runs[0]["seconds"])
    return {
        "server": {"kind": server.kind, "label": server.label, "version": server.version},
        "profiles": args.bulk_profiles,
        "per_line": runs[0]["per_line"],
        "median_profiles_per_second": {
            mode: statistics.median(run["profiles_per_second"][mode] for run in runs)
            for mode in modes
        },
        "runs": runs,
        "latency": run_bulk_latency(args, flags),
    }


BULK_DELAY = 0.030
"""Seconds the rate-limited server takes to answer: a deployment's latency."""
BULK_RATE = 100
"""Requests per second the rate-limited server answers; it refuses more with 429."""


def run_bulk_latency(args: argparse.Namespace, flags: list[str]) -> dict[str, Any]:
    """The same job against a server that answers in 30 ms and allows 100 requests a
    second: jobs paced with ``--rate`` (10 % under the limit), and the official SDK."""
    server = servers.start_aiohttp(b"{}", delay=BULK_DELAY, rate=BULK_RATE)
    profiles = args.bulk_profiles // 10
    log(f"bulk: {server.label}, {profiles} profiles, 100 per request")
    try:
        result = child(
            "bulk",
            "--url",
            server.url,
            "--profiles",
            str(profiles),
            "--per-line",
            "100",
            "--rate",
            f"{BULK_RATE}/s",
            *flags,
        )
    finally:
        server.stop()
    result["server"] = server.label
    return result


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it is met."""
    checks = []

    def add(name: str, value: float | None, limit: float, at_least: bool, detail: str) -> None:
        hit = None if value is None else (value >= limit if at_least else value <= limit)
        checks.append(
            {
                "target": name,
                "value": value,
                "limit": limit,
                "at_least": at_least,
                "hit": hit,
                "detail": detail,
            }
        )

    all_ratios = results.get("throughput", {}).get("ratios", {})
    ratios = all_ratios.get("64", {})
    if "vs_official" in ratios:
        add(
            "throughput_vs_official",
            ratios["vs_official"],
            TARGETS["throughput_vs_official"],
            True,
            "req/s talon_async / official SDK, concurrency 64",
        )
    for level, entry in all_ratios.items():
        if "vs_floor" in entry and level in ("1", "16", "64", "256"):
            add(
                f"throughput_vs_floor@{level}",
                entry["vs_floor"],
                TARGETS["throughput_vs_floor"],
                True,
                f"req/s talon_async / aiohttp + json, concurrency {level}",
            )
    for level, entry in all_ratios.items():
        if "vs_floor_orjson" in entry:
            add(
                f"throughput_vs_floor_orjson@{level}",
                entry["vs_floor_orjson"],
                TARGETS["throughput_vs_floor_orjson"],
                True,
                f"req/s talon_async / aiohttp + orjson (the true floor), concurrency {level}",
            )
            add(
                f"p99_vs_floor_orjson@{level}",
                entry["p99_vs_floor_orjson"],
                TARGETS["p99_vs_floor_orjson"],
                False,
                f"p99 latency talon_async / the true floor's, concurrency {level}",
            )
    if "p99_vs_floor" in ratios:
        add(
            "p99_vs_floor@64",
            ratios["p99_vs_floor"],
            TARGETS["p99_vs_floor"],
            False,
            "p99 latency talon_async / plain aiohttp, concurrency 64",
        )
    decode = results.get("codec", {}).get("decode", {})
    if "talon_async" in decode and "json.loads" in decode:
        add(
            "decode_vs_json_loads",
            decode["talon_async"]["median_us"] / decode["json.loads"]["median_us"],
            TARGETS["decode_vs_json_loads"],
            False,
            "decode time talon_async / json.loads of the same bytes",
        )
    if "official" in decode:
        add(
            "decode_vs_official",
            decode["talon_async"]["median_us"] / decode["official"]["median_us"],
            TARGETS["decode_vs_official"],
            False,
            "decode time talon_async / official SDK",
        )
    codec_ratios = results.get("codec", {}).get("ratios", {})
    limits = {
        key: f" (the same work unchecked, Python's limit: {codec_ratios[f'limit_{key}']:.2f})"
        for key in ("encode_vs_orjson_dumps", "read_effects_vs_orjson_loads")
        if f"limit_{key}" in codec_ratios
    }
    for key, detail in (
        (
            "encode_vs_orjson_dumps",
            "encode time talon_async / orjson.dumps of the plain dict"
            + limits.get("encode_vs_orjson_dumps", ""),
        ),
        (
            "read_effects_vs_orjson_loads",
            "decode + read every effect's props / orjson.loads"
            + limits.get("read_effects_vs_orjson_loads", ""),
        ),
        ("to_json_lazy_vs_strict", "to_json(from_json(raw)), lenient (lazy) / strict (eager)"),
        ("asdict_lazy_vs_strict", "attrs.asdict(from_json(raw)), lenient / strict"),
    ):
        if key in codec_ratios:
            add(key, codec_ratios[key], TARGETS[key], False, detail)
    cold = results.get("coldstart")
    found = results.get("imports", {})
    if cold:
        made = cold["class_creation"]
        dependencies = found.get("attrs + cattrs, aiohttp loaded")
        add(
            "first_answer_vs_floor",
            cold["ratio"],
            TARGETS["first_answer_vs_floor"],
            False,
            "fresh process to first decoded answer, talon_async / aiohttp + orjson (of it, "
            f"attrs creating {made['classes']} model classes: {made['attrs_ms']:.0f} ms"
            + (f"; importing attrs and cattrs: {dependencies['ms']:.0f} ms" if dependencies else "")
            + ")",
        )
    if "dependencies import" in found:
        for scenario in ("talon_async import", "talon_async from-import"):
            add(
                f"import_vs_dependencies ({scenario.split()[1]})",
                found[scenario]["ms"] / found["dependencies import"]["ms"],
                TARGETS["import_vs_dependencies"],
                False,
                f"{scenario} / import of asyncio, attrs, cattrs, orjson",
            )
    if "official import" in found:
        add(
            "import_vs_official",
            found["talon_async import"]["ms"] / found["official import"]["ms"],
            TARGETS["import_vs_official"],
            False,
            "import wall time talon_async / talon_one",
        )
        add(
            "rss_vs_official",
            found["talon_async import"]["rss_mib"] / found["official import"]["rss_mib"],
            TARGETS["rss_vs_official"],
            False,
            "RSS after import talon_async / talon_one",
        )
    decoded = results.get("memory", {}).get("answers")
    if decoded:
        add(
            "read_answer_memory_vs_eager",
            decoded["lazy_read_bytes"] / decoded["eager_bytes"],
            TARGETS["read_answer_memory_vs_eager"],
            False,
            "bytes held by fully read lazily decoded answers / eagerly decoded ones",
        )
    return checks


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    out = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    # Text columns read best aligned left, numbers aligned right.
    out += [
        "  ".join(
            str(c).ljust(w) if isinstance(c, str) and not c[:1].isdigit() else str(c).rjust(w)
            for c, w in zip(row, widths, strict=True)
        )
        for row in rows
    ]
    return "\n".join(out) + "\n"


def report(results: dict[str, Any]) -> str:
    """The human-readable tables."""
    m = results["machine"]
    parts = [
        f"talon_async benchmarks  {m['date']}  {m['nproc']} x {m['cpu_model']}  "
        f"Python {m['python']}  load {m['load_average'][0]:.2f}\n"
        f"talon_async from {m['talon_async_path']}\n"
    ]
    if "throughput" in results:
        t = results["throughput"]
        s = t["settings"]
        rows = [
            [
                r["client"],
                r["concurrency"],
                f"{r['rps']:.0f}",
                f"{r['latency_ms_p50']:.2f}",
                f"{r['latency_ms_p99']:.2f}",
                f"{r['client_cpu']:.0%}",
                f"{r['server_cpu']:.0%}",
            ]
            for r in sorted(
                t["rows"], key=lambda r: (r["concurrency"], ALL_CLIENTS.index(r["client"]))
            )
        ]
        parts.append(
            _table(
                "Session update round trips (PUT /v2/customer_sessions, 30-item cart, "
                f"{results['payload']['response_bytes']} B answer)\n"
                f"server: {t['server']['label']}; "
                f"median of {s['repeats']} x {s['duration_s']}s after {s['warmup_s']}s warm-up; "
                "CPU = share of one core",
                ["client", "conc", "req/s", "p50 ms", "p99 ms", "client CPU", "server CPU"],
                rows,
            )
        )
        keys = (
            "vs_official",
            "vs_floor_orjson",
            "vs_floor",
            "p99_vs_official",
            "p99_vs_floor_orjson",
            "p99_vs_floor",
        )
        ratio_rows = [
            [level, *(f"{e[k]:.2f}x" if e.get(k) else "-" for k in keys)]
            for level, e in t["ratios"].items()
        ]
        parts.append(
            _table(
                "talon_async ratios (median of paired repeats): req/s, then p99 latency",
                [
                    "conc",
                    "req/s vs official",
                    "vs true floor",
                    "vs json floor",
                    "p99 vs official",
                    "vs true floor",
                    "vs json floor",
                ],
                ratio_rows,
            )
        )
    if "codec" in results:
        c = results["codec"]
        rows = [
            [group, name, f"{v['median_us']:.0f}", f"{v['best_us']:.0f}"]
            for group in ("decode", "encode")
            for name, v in c[group].items()
        ]
        parts.append(
            _table(
                f"Encode/decode (request {c['request_bytes']} B, "
                f"response {c['response_bytes']} B), microseconds per call",
                ["what", "implementation", "median us", "best us"],
                rows,
            )
        )
    if "imports" in results:
        rows = [
            [name, f"{v['ms']:.0f}", f"{v['rss_mib']:.1f}"]
            for name, v in results["imports"].items()
        ]
        parts.append(
            _table("Import (fresh process each, median)", ["scenario", "wall ms", "RSS MiB"], rows)
        )
    if "coldstart" in results:
        cold = results["coldstart"]
        rows = [
            [name, f"{cold[name]['median_ms']:.0f}", f"{cold[name]['best_ms']:.0f}"]
            for name in ("talon_async", "floor")
        ]
        made = cold["class_creation"]
        parts.append(
            _table(
                "Fresh process to its first decoded answer (one session update, its effects "
                f"read), {len(cold['floor']['runs'])} interleaved pairs; floor: aiohttp + orjson",
                ["client", "median ms", "best ms"],
                rows,
            )
            + f"creating the {made['classes']} model classes a session answer loads: "
            f"{made['attrs_ms']:.1f} ms with attrs, {made['plain_ms']:.1f} ms as plain "
            "slotted classes\n"
        )
    if "memory" in results:
        mem = results["memory"]
        scale = 1000 / mem["inflight"]
        rows = []
        for r in mem["rows"]:
            peak = r["completion_peak_bytes"]
            rows.append(
                [
                    r["client"],
                    r["mode"],
                    f"{r['inflight_bytes'] * scale / 2**20:.1f}",
                    "-" if peak is None else f"{peak * scale / 2**20:.1f}",
                    f"{r['results_bytes'] * scale / 2**20:.1f}",
                ]
            )
        parts.append(
            _table(
                f"Memory per 1000 requests in flight (measured with {mem['inflight']})",
                ["client", "measured by", "in flight MiB", "completion peak MiB", "results MiB"],
                rows,
            )
        )
        decoded = mem["answers"]
        count = decoded["answers"]
        parts.append(
            _table(
                f"Memory of {count} decoded answers ({decoded['answer_bytes']} B each), "
                "by tracemalloc",
                ["decoded", "MiB", "KiB per answer"],
                [
                    [
                        label,
                        f"{decoded[key] / 2**20:.1f}",
                        f"{decoded[key] / count / 1024:.1f}",
                    ]
                    for label, key in (
                        ("eagerly (strict)", "eager_bytes"),
                        ("lazily, unread", "lazy_unread_bytes"),
                        ("lazily, every field read", "lazy_read_bytes"),
                    )
                ],
            )
        )
    if "bulk" in results:
        bulk = results["bulk"]
        rates = bulk["median_profiles_per_second"]
        official_rate = rates.get("official SDK")
        rows = [
            [
                mode,
                f"{rate:.0f}",
                f"{bulk['profiles'] / rate:.2f}",
                f"{rate / official_rate:.2f}x" if official_rate else "-",
            ]
            for mode, rate in rates.items()
        ]
        parts.append(
            _table(
                f"Bulk load of {bulk['profiles']} profiles, {bulk['per_line']} per request "
                f"(median of {len(bulk['runs'])}, server {bulk['server']['label']})",
                ["mode", "profiles/s", "seconds", "vs official"],
                rows,
            )
        )
    if "bulk" in results and "latency" in results["bulk"]:
        late = results["bulk"]["latency"]
        calls = late["lines"]
        rows = [
            [
                mode,
                f"{late['profiles_per_second'][mode]:.0f}",
                f"{calls / seconds:.0f}" if mode != "update_many_v2" else "-",
                f"{seconds:.2f}",
                str(late["refused_429"].get(mode, "-")),
            ]
            for mode, seconds in late["seconds"].items()
        ]
        parts.append(
            _table(
                f"Bulk load of {late['profiles']} profiles against a deployment-like server "
                f"({late['server']}): jobs with --rate {BULK_RATE * 0.9:g}/s, "
                f"{late['per_line']} profiles per request (update_many_v2: 1000)",
                ["mode", "profiles/s", "requests/s", "seconds", "429 answers"],
                rows,
            )
        )
    if results["targets"]:
        rows = [
            [
                c["target"],
                "-" if c["value"] is None else f"{c['value']:.3f}",
                (">= " if c["at_least"] else "<= ") + f"{c['limit']:.3f}",
                {True: "HIT", False: "MISS", None: "n/a"}[c["hit"]],
            ]
            for c in results["targets"]
        ]
        parts.append(_table("Targets", ["target", "measured", "wanted", ""], rows))
    return "\n".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny run: aiohttp server, talon_async and the floors"
    )
    parser.add_argument(
        "--server",
        choices=("nginx", "aiohttp"),
        help="HTTP server for the throughput runs (default nginx; smoke: aiohttp)",
    )
    parser.add_argument("--sections", help="comma-separated subset of " + ",".join(SECTIONS))
    parser.add_argument("--clients", help="comma-separated subset of " + ",".join(ALL_CLIENTS))
    parser.add_argument("--concurrency", default="1,16,64,256")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds measured")
    parser.add_argument("--inflight", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=1000, help="decoded answers measured")
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--coldstart-pairs", type=int, default=9)
    parser.add_argument("--codec-time", type=float, default=0.3)
    parser.add_argument("--codec-repeats", type=int, default=7)
    parser.add_argument("--output", type=Path, default=RESULTS, help="directory for the JSON")
    parser.add_argument("--label", default="", help="free text stored with the results")
    parser.add_argument("--bulk-profiles", type=int, default=200_000)
    parser.add_argument("--bulk-repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if args.smoke:
        args.server = args.server or "aiohttp"
        args.clients = args.clients or "talon_async,floor_orjson,floor"
        args.concurrency = "1,4"
        args.repeats, args.warmup, args.duration = 1, 0.2, 0.6
        args.inflight, args.import_runs, args.answers = 20, 1, 20
        args.coldstart_pairs = 1
        args.codec_time, args.codec_repeats = 0.01, 1
        args.sections = args.sections or ",".join(SMOKE_SECTIONS)
        args.bulk_profiles, args.bulk_repeats = 2000, 1
    args.sections = args.sections or ",".join(SECTIONS)
    args.server = args.server or "nginx"
    args.clients = [c for c in (args.clients or ",".join(ALL_CLIENTS)).split(",") if c]
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.sections = [s for s in args.sections.split(",") if s]
    unknown = [c for c in args.clients if c not in ALL_CLIENTS] + [
        s for s in args.sections if s not in SECTIONS
    ]
    if unknown:
        parser.error(f"unknown client or section: {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    official = "official" in args.clients
    if official and importlib.util.find_spec("talon_one") is None:
        log(
            "error: the official SDK (module talon_one) is not installed in this Python.\n"
            "Install it with: pip install -e . --group bench  (or pass --clients talon_async,floor)"
        )
        return 2
    needs_server = {"throughput", "bulk", "coldstart"} & set(args.sections)
    if needs_server and args.server == "nginx" and not servers.nginx_binary():
        log(
            "error: nginx is not installed (Debian: apt-get install -y nginx).\n"
            "Use --server=aiohttp for a separate-process aiohttp server instead; it is slower "
            "than nginx and may limit the results, which are then labelled as such."
        )
        return 2

    body = payload.response_bytes()
    payload.check_talon_async(body)
    if official:
        payload.check_official(body)
    document = payload.response_document()
    results: dict[str, Any] = {
        "label": args.label,
        "smoke": args.smoke,
        "machine": machine(),
        "payload": {
            "response_bytes": len(body),
            "request_bytes": len(json.dumps(payload.request_body(), separators=(",", ":"))),
            "cart_items": payload.CART_SIZE,
            "effects": len(document["effects"]),
            "effect_types": payload.effect_types(document),
            "created_coupons": len(document["createdCoupons"]),
        },
    }
    if "codec" in args.sections:
        log("codec: timing encode/decode")
        flags = ["--official"] if official else []
        results["codec"] = child(
            "codec",
            *flags,
            "--min-time",
            str(args.codec_time),
            "--repeats",
            str(args.codec_repeats),
        )
    if "imports" in args.sections:
        log("imports: fresh interpreters")
        results["imports"] = imports.measure(args.import_runs, official)
    if "coldstart" in args.sections:
        results["coldstart"] = run_coldstart(args, body)
    if "throughput" in args.sections:
        results["throughput"] = run_throughput(args, body)
    if "memory" in args.sections:
        results["memory"] = run_memory(args, body)
    if "bulk" in args.sections:
        results["bulk"] = run_bulk(args)
    results["targets"] = evaluate(results)

    print(report(results))
    args.output.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kind = "smoke" if args.smoke else args.server
    path = args.output / f"{stamp}-{kind}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results written to {path}")
    if "throughput" in results:
        if importlib.util.find_spec("matplotlib") is None:
            log("no picture: matplotlib is not installed (pip install --group bench)")
        else:
            print(f"picture written to {plot.draw(results, path.with_suffix('.png'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
