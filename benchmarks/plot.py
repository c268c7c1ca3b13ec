"""The picture of a run: req/s and p99 latency against concurrency, for each client.

Written beside the run's JSON (same name, ``.png``) when matplotlib is installed (it is in
the ``bench`` extra); ``python -m benchmarks.plot RESULTS.json`` redraws it from a saved run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

LABELS = {
    "talon_async": "talon_async",
    "floor_orjson": "true floor (aiohttp + orjson, no models)",
    "floor": "floor (aiohttp + json)",
    "official": "official SDK",
}


def draw(results: dict[str, Any], path: Path) -> Path:
    """Draw the throughput rows of ``results`` into the PNG file ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results["throughput"]["rows"]
    figure, (rate, tail) = plt.subplots(1, 2, figsize=(11, 4.2))
    for client, label in LABELS.items():
        mine = sorted((r for r in rows if r["client"] == client), key=lambda r: r["concurrency"])
        if not mine:
            continue
        levels = [r["concurrency"] for r in mine]
        rate.plot(levels, [r["rps"] for r in mine], marker="o", label=label)
        tail.plot(levels, [r["latency_ms_p99"] for r in mine], marker="o", label=label)
    for axes, title, unit in (
        (rate, "throughput", "requests per second"),
        (tail, "p99 latency", "ms"),
    ):
        axes.set_xscale("log", base=2)
        axes.set_xlabel("concurrency (calls in flight)")
        axes.set_ylabel(unit)
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
        axes.legend()
    tail.set_yscale("log")
    machine = results["machine"]
    figure.suptitle(
        f"Session updates (28.8 KB answer), {results['throughput']['server']['label']}; "
        f"{machine['nproc']} x {machine['cpu_model']}, {machine['date'][:10]}",
        fontsize=9,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main() -> None:
    source = Path(sys.argv[1])
    print(draw(json.loads(source.read_text()), source.with_suffix(".png")))


if __name__ == "__main__":
    main()
