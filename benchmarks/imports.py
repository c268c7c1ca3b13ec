"""Import cost: wall time of ``import X`` and the process RSS right after, in fresh processes.

Each sample is a new interpreter that imports only ``time`` before starting the clock, so
nothing the library needs is preloaded. Two scenarios per library:

* ``import``: just ``import talon_async`` / ``import talon_one``;
* ``ready``: additionally everything needed before the first call can be made (the
  models, the HTTP stack, a constructed client), so a library that defers imports to
  first use cannot look better than it is.

A bare interpreter (``pass``) gives the RSS baseline; importing talon_async's runtime
dependencies alone (asyncio, attrs, cattrs, orjson) the yardstick of its own import cost,
which must not grow with the number of models ("all models" loads every one of them);
and what attrs and cattrs add to a process that has aiohttp and orjson already.
The samples of all scenarios are interleaved and the first round is thrown away (it may
write bytecode caches).
For a breakdown by module use ``python -X importtime -c "import talon_async"``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SNIPPET = """\
import time
{setup}
began = time.perf_counter()
{code}
elapsed = time.perf_counter() - began
with open("/proc/self/status") as status:
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
print(elapsed, rss)
"""

SCENARIOS: dict[str, str] = {
    "bare interpreter": "pass",
    "dependencies import": "import asyncio, attrs, cattrs, orjson",
    "talon_async import": "import talon_async",
    "talon_async from-import": "from talon_async import TalonClient",
    "talon_async all models": (
        "import talon_async.models as m\nfor name in m.__all__: getattr(m, name)"
    ),
    "talon_async ready": (
        "import aiohttp, talon_async, talon_async.models\n"
        "talon_async.TalonClient('http://127.0.0.1:9', auth=talon_async.ApiKeyV1('k'))"
    ),
    "attrs + cattrs, aiohttp loaded": "import attrs, cattrs",
    "official import": "import talon_one",
    "official ready": (
        "import talon_one\n"
        "talon_one.IntegrationApi(talon_one.ApiClient("
        "talon_one.Configuration(host='http://127.0.0.1:9')))"
    ),
}


SETUP = {"attrs + cattrs, aiohttp loaded": "import asyncio, aiohttp, orjson"}
"""What a scenario imports before the clock starts: what talon_async's dependencies add
to a process that has aiohttp and orjson anyway (as the cold start's floor has)."""


def sample(code: str, setup: str = "") -> tuple[float, int]:
    """(seconds spent in ``code``, RSS in KiB afterwards) from a fresh interpreter that
    ran ``setup`` first."""
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET.format(setup=setup, code=code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def measure(runs: int, official: bool) -> dict[str, Any]:
    """Median import seconds and RSS (MiB) per scenario over ``runs`` fresh processes."""
    names = [n for n in SCENARIOS if official or not n.startswith("official")]
    samples: dict[str, list[tuple[float, int]]] = {n: [] for n in names}
    for round_ in range(runs + 1):
        for name in names:
            value = sample(SCENARIOS[name], SETUP.get(name, ""))
            if round_:
                samples[name].append(value)
    return {
        name: {
            "ms": statistics.median(s for s, _ in values) * 1000,
            "rss_mib": statistics.median(r for _, r in values) / 1024,
            "runs": len(values),
        }
        for name, values in samples.items()
    }
