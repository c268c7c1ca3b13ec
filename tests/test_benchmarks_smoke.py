"""The benchmark command still runs end to end (tiny sizes; no timing is asserted).

``python -m benchmarks --smoke`` uses the separate-process aiohttp server and only
talon_async and the plain-aiohttp floor, so it needs neither nginx nor the official SDK.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_smoke(output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_smoke_run_prints_tables_and_writes_json(tmp_path: Path) -> None:
    done = run_smoke(tmp_path)
    assert done.returncode == 0, done.stderr

    for title in (
        "Session update round trips",
        "talon_async ratios",
        "Encode/decode",
        "Import (fresh process each, median)",
        "Memory per 1000 requests in flight",
        "Memory of 20 decoded answers",
        "Fresh process to its first decoded answer",
    ):
        assert title in done.stdout
    assert "aiohttp" in done.stdout  # the fallback server is named as such

    written = sorted(tmp_path.glob("*-smoke.json"))
    assert len(written) == 1
    assert f"results written to {written[0]}" in done.stdout
    results: dict[str, Any] = json.loads(written[0].read_text())

    assert results["smoke"] is True
    assert results["payload"]["cart_items"] == 30
    assert results["payload"]["effects"] == 25
    assert results["throughput"]["server"]["kind"] == "aiohttp"
    measured = {(row["client"], row["concurrency"]) for row in results["throughput"]["rows"]}
    assert measured == {
        (client, level) for client in ("talon_async", "floor_orjson", "floor") for level in (1, 4)
    }
    assert all(row["requests"] > 0 for row in results["throughput"]["rows"])
    assert {"json.loads", "talon_async", "talon_async strict"} <= set(results["codec"]["decode"])
    assert "no checks (Python's limit)" in results["codec"]["encode"]
    assert "limit_read_effects_vs_orjson_loads" in results["codec"]["ratios"]
    assert results["coldstart"]["class_creation"]["classes"] > 0
    assert "model classes a session answer loads" in done.stdout
    assert "talon_async import" in results["imports"]
    assert {row["client"] for row in results["memory"]["rows"]} == {"talon_async", "floor"}
    # Targets against the official SDK, or at concurrency 64, do not apply to a smoke run.
    assert results["coldstart"]["ratio"] > 0
    assert {check["target"] for check in results["targets"]} == {
        "throughput_vs_floor@1",
        "throughput_vs_floor_orjson@1",
        "throughput_vs_floor_orjson@4",
        "p99_vs_floor_orjson@1",
        "p99_vs_floor_orjson@4",
        "encode_vs_orjson_dumps",
        "read_effects_vs_orjson_loads",
        "to_json_lazy_vs_strict",
        "asdict_lazy_vs_strict",
        "first_answer_vs_floor",
        "decode_vs_json_loads",
        "import_vs_dependencies (import)",
        "import_vs_dependencies (from-import)",
        "read_answer_memory_vs_eager",
    }


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sections", "nope", "--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown client or section: nope" in done.stderr
    assert not list(tmp_path.iterdir())
