"""Encode and decode cost of the session-update bodies, without any network.

Decode is the ~28 KB ``IntegrationStateV2`` response, from bytes to a typed object:

* talon_async: ``structure(decode_json(raw), IntegrationStateV2)``, the very two calls
  ``Transport`` makes for a 2xx answer. Decoding is lenient, and lenient decoding leaves
  each field holding models to be decoded when first read, so this is the price of a
  typed answer nobody has read yet; three more rows say what reading costs on top:
  reading every effect's props (what an integration does with the answer), reading
  every field of every model (recursively), and the same walk over an already decoded
  answer (the walk's own cost, to subtract);
* talon_async strict: ``structure(..., strict=True)``, eager: every value is decoded and
  checked at once (contract tests);
* official SDK: what ``update_customer_session_v2`` does with the answer (decode the
  bytes, then ``ApiClient.deserialize``, i.e. ``json.loads`` + ``IntegrationStateV2.from_dict``),
  and, for reference, ``IntegrationStateV2.from_json`` on an already decoded str;
* ``json.loads`` and ``orjson.loads`` alone, for orientation: talon_async parses with
  orjson, so ``orjson.loads`` is what its decoding is compared with;
* full reads measured as users do them: ``to_json(from_json(raw))`` and
  ``attrs.asdict(from_json(raw))``, each decoded leniently (lazy) and strictly (eager).

Encode is the 30-item ``IntegrationRequest`` from a typed object to the bytes on the wire:

* talon_async: ``talon_async._convert.encode`` (what ``Transport.send`` calls);
* official SDK: ``json.dumps(ApiClient.sanitize_for_serialization(request))`` encoded to
  UTF-8, which is what ``param_serialize`` and its REST client do before sending. (The
  model's own ``to_json()`` is no alternative: it raises ``TypeError`` on this request,
  because ``to_dict()`` leaves the UUID and datetime values in for ``json.dumps``.)
* ``json.dumps`` and ``orjson.dumps`` of the equivalent plain dict, for orientation (the
  latter is what talon_async's encoder calls once its checks are done).

Two rows, marked "Python's limit", do talon_async's work with code generated the same way
but checking nothing (see :mod:`benchmarks.limits`): encoding the request, and decoding the
answer's effects with their props. No Python model layer can do less; a target below them
can only be reached by moving the work out of Python.

Each case runs in a loop sized to take ``--min-time`` seconds, repeated ``--repeats``
times with the garbage collector left on (as in real use); the report gives the median
and the best per-call time in microseconds, and under ``"ratios"`` the ratios of medians
the targets are about (see :data:`RATIOS`). Run as ``python -m benchmarks.codec``;
``--profile`` prints instead where the time of one encode and of one decode + read of
the effects goes (cProfile over many calls, the top functions by own time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.payload import request_body, response_bytes


def time_call(func: Callable[[], object], min_time: float, repeats: int) -> dict[str, float]:
    """Median and best microseconds per call of ``func``."""
    func()  # first call builds caches (converter hooks, pydantic validators)
    loops = 1
    while True:
        began = time.perf_counter()
        for _ in range(loops):
            func()
        elapsed = time.perf_counter() - began
        if elapsed >= min_time / 4 or loops >= 1_000_000:
            break
        loops *= 2
    loops = max(1, int(loops * min_time / max(elapsed, 1e-9)))
    per_call = []
    for _ in range(repeats):
        began = time.perf_counter()
        for _ in range(loops):
            func()
        per_call.append((time.perf_counter() - began) / loops * 1e6)
    return {"median_us": statistics.median(per_call), "best_us": min(per_call), "loops": loops}


def read_all(value: object) -> None:
    """Read every field of every model in ``value``, recursively."""
    import attrs

    if isinstance(value, list):
        for item in value:
            read_all(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_all(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            read_all(getattr(value, field.name))


def cases(official: bool) -> dict[str, dict[str, Callable[[], object]]]:
    """The callables to time, grouped into "decode" and "encode"."""
    import attrs
    import orjson

    from benchmarks.limits import unchecked_decoder, unchecked_encoder
    from talon_async import from_json, to_json
    from talon_async._convert import decode_json, encode, structure
    from talon_async.models import Effect, IntegrationRequest, IntegrationStateV2

    raw = response_bytes()
    document = request_body()
    request = structure(document, IntegrationRequest)

    def read_effects() -> object:
        state = structure(decode_json(raw), IntegrationStateV2)
        return [effect.props for effect in state.effects]

    encode_unchecked = unchecked_encoder(IntegrationRequest)
    decode_effect = unchecked_decoder(Effect)

    def read_effects_unchecked() -> object:
        effects = [decode_effect(effect) for effect in orjson.loads(raw)["effects"]]
        return [effect.props for effect in effects]

    decoded = structure(decode_json(raw), IntegrationStateV2, strict=True)
    decode: dict[str, Callable[[], object]] = {
        "json.loads": lambda: json.loads(raw),
        "orjson.loads": lambda: orjson.loads(raw),
        "talon_async": lambda: structure(decode_json(raw), IntegrationStateV2),
        "talon_async + read effects": read_effects,
        LIMIT_READ_EFFECTS: read_effects_unchecked,
        "talon_async + read every field": lambda: read_all(
            structure(decode_json(raw), IntegrationStateV2)
        ),
        "talon_async strict": lambda: structure(decode_json(raw), IntegrationStateV2, strict=True),
        "(walk of a decoded answer)": lambda: read_all(decoded),
        "to_json(from_json) lazy": lambda: to_json(from_json(IntegrationStateV2, raw)),
        "to_json(from_json) strict": lambda: to_json(
            from_json(IntegrationStateV2, raw, strict=True)
        ),
        "attrs.asdict(from_json) lazy": lambda: attrs.asdict(from_json(IntegrationStateV2, raw)),
        "attrs.asdict(from_json) strict": lambda: attrs.asdict(
            from_json(IntegrationStateV2, raw, strict=True)
        ),
    }
    encode_cases: dict[str, Callable[[], object]] = {
        "json.dumps": lambda: json.dumps(document, separators=(",", ":")).encode(),
        "orjson.dumps": lambda: orjson.dumps(document),
        "talon_async": lambda: encode(request),
        LIMIT_ENCODE: lambda: orjson.dumps(encode_unchecked(request)),
    }
    if official:
        import talon_one

        client = talon_one.ApiClient()
        text = raw.decode()
        sdk_request = talon_one.IntegrationRequest.from_dict(document)
        sdk_state = talon_one.IntegrationStateV2

        decode["official"] = lambda: client.deserialize(
            raw.decode("utf-8"), "IntegrationStateV2", "application/json"
        )
        decode["official from_json"] = lambda: sdk_state.from_json(text)
        encode_cases["official"] = lambda: json.dumps(
            client.sanitize_for_serialization(sdk_request)
        ).encode("utf-8")
    return {"decode": decode, "encode": encode_cases}


LIMIT_ENCODE = "no checks (Python's limit)"
LIMIT_READ_EFFECTS = "no checks + read effects (Python's limit)"

RATIOS = {
    "encode_vs_orjson_dumps": (("encode", "talon_async"), ("encode", "orjson.dumps")),
    "decode_vs_orjson_loads": (("decode", "talon_async"), ("decode", "orjson.loads")),
    "read_effects_vs_orjson_loads": (
        ("decode", "talon_async + read effects"),
        ("decode", "orjson.loads"),
    ),
    "limit_encode_vs_orjson_dumps": (("encode", LIMIT_ENCODE), ("encode", "orjson.dumps")),
    "limit_read_effects_vs_orjson_loads": (
        ("decode", LIMIT_READ_EFFECTS),
        ("decode", "orjson.loads"),
    ),
    "to_json_lazy_vs_strict": (
        ("decode", "to_json(from_json) lazy"),
        ("decode", "to_json(from_json) strict"),
    ),
    "asdict_lazy_vs_strict": (
        ("decode", "attrs.asdict(from_json) lazy"),
        ("decode", "attrs.asdict(from_json) strict"),
    ),
}
"""Ratio name -> (case, case it is divided by), each (group, name); of median times."""


def measure(official: bool, min_time: float, repeats: int) -> dict[str, Any]:
    """Time every case; returns {"decode": {name: timing}, "encode": {...}, "ratios":
    {name: ratio}, sizes}."""
    result: dict[str, Any] = {
        "response_bytes": len(response_bytes()),
        "request_bytes": len(json.dumps(request_body(), separators=(",", ":"))),
    }
    for group, funcs in cases(official).items():
        result[group] = {name: time_call(f, min_time, repeats) for name, f in funcs.items()}
    result["ratios"] = {
        name: result[top[0]][top[1]]["median_us"] / result[bottom[0]][bottom[1]]["median_us"]
        for name, (top, bottom) in RATIOS.items()
    }
    return result


def profile(calls: int = 2000, lines: int = 14) -> str:
    """Where the time of one encode and one decode + read of the effects goes."""
    import cProfile
    import io
    import pstats

    found = cases(official=False)
    out = io.StringIO()
    for title, func in (
        ("encode", found["encode"]["talon_async"]),
        ("decode + read effects", found["decode"]["talon_async + read effects"]),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            func()
        profiler.disable()
        out.write(f"== {title}: {calls} calls, top functions by own time ==\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description="Encode/decode timings (prints JSON).")
    parser.add_argument("--official", action="store_true", help="include the official SDK")
    parser.add_argument("--min-time", type=float, default=0.3, help="seconds per repeat")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()
    if args.profile:
        print(profile())
        return
    print(json.dumps(measure(args.official, args.min_time, args.repeats)))


if __name__ == "__main__":
    main()
