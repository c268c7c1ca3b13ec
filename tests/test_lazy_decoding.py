"""Lenient decoding is lazy: a field holding models is decoded when first read. That must
hold from any number of threads at once, and a fully read answer must cost no more memory
than one decoded eagerly."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import attrs
import pytest

from talon_async._convert import decode_json, structure
from talon_async.models import IntegrationStateV2

DATA = Path(__file__).parent / "data"

STATE = Path(__file__).parent / "data" / "integration_state_v2.json"

# Run in a fresh interpreter, so that no hook exists yet: 16 threads released at once
# decode (leniently and strictly) and encode their first answers, then share answers
# decoded later and read every field of each at the same moment. It prints the errors
# seen and the fields for which two threads got different objects.
HAMMER = r"""
import json, sys, threading
import attrs
from talon_async._convert import decode_json, encode, structure
from talon_async.models import IntegrationStateV2

sys.setswitchinterval(1e-6)  # switch threads as often as possible
raw = open(sys.argv[1], "rb").read()
THREADS, ROUNDS = 16, int(sys.argv[2])
together = threading.Barrier(THREADS)
with_main = threading.Barrier(THREADS + 1)
errors, shared, seen = [], [], [[] for _ in range(THREADS)]

def reach(value, found):
    found.append(value)
    if isinstance(value, list):
        for item in value:
            reach(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            reach(item, found)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            reach(getattr(value, field.name), found)
    return found

def work(index):
    try:
        together.wait()
        if index % 4 == 1:
            structure(decode_json(raw), IntegrationStateV2, strict=True)
        elif index % 4 == 2:
            encode(structure(decode_json(raw), IntegrationStateV2, strict=True))
        else:
            reach(structure(decode_json(raw), IntegrationStateV2), [])
        with_main.wait()  # the main thread decodes the shared answers meanwhile
        with_main.wait()
        for answer in shared:
            together.wait()
            seen[index].append(reach(answer, []))
    except threading.BrokenBarrierError:
        pass
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
        together.abort()
        with_main.abort()

threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
for thread in threads:
    thread.start()
try:
    with_main.wait()
    shared[:] = [structure(decode_json(raw), IntegrationStateV2) for _ in range(ROUNDS)]
    with_main.wait()
except threading.BrokenBarrierError:
    pass
for thread in threads:
    thread.join()
different = sorted(
    {
        index
        for index in range(1, THREADS)
        for mine, theirs in zip(seen[0], seen[index])
        if len(mine) != len(theirs) or any(a is not b for a, b in zip(mine, theirs))
    }
)
print(json.dumps({"errors": sorted(set(errors)), "different": different}))
"""


def test_first_use_and_shared_answers_from_16_threads() -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, str(STATE), "10"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert json.loads(out) == {"errors": [], "different": []}


def _read_every_field(value: Any, found: list[Any]) -> list[Any]:
    """Every model reachable from ``value``, each of its fields read on the way."""
    if isinstance(value, list):
        for item in value:
            _read_every_field(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _read_every_field(item, found)
    elif attrs.has(type(value)):
        found.append(value)
        for field in attrs.fields(type(value)):
            _read_every_field(getattr(value, field.name), found)
    return found


def _holds_json(model: Any) -> bool:
    try:
        object.__getattribute__(model, "_raw")
    except AttributeError:
        return False
    return True


def test_a_fully_read_answer_keeps_no_json() -> None:
    state = structure(decode_json(STATE.read_bytes()), IntegrationStateV2)
    assert _holds_json(state)  # unread: what it leaves for later is kept
    models = _read_every_field(state, [])
    assert len(models) > 30
    assert [type(m).__name__ for m in models if _holds_json(m)] == []


def test_what_holds_only_flat_models_is_decoded_at_once() -> None:
    # Deferring a field pays off when what it holds is large; a flat model (and an
    # effect's props, one model) costs less to decode at once than to defer.
    from talon_async.models import EFFECT_PROPS_TYPES, CartItem

    state = structure(decode_json(STATE.read_bytes()), IntegrationStateV2)
    with pytest.raises(AttributeError):
        object.__getattribute__(state, "effects")  # a list of effects: deferred
    assert state.effects
    for effect in state.effects:
        props = object.__getattribute__(effect, "props")  # decoded with the effect
        assert isinstance(props, EFFECT_PROPS_TYPES[effect.effect_type])
        assert not _holds_json(effect)
    item = structure({"sku": "A", "quantity": 1, "product": {"name": "p"}}, CartItem)
    assert object.__getattribute__(item, "product").name == "p"
    assert not _holds_json(item)


def test_a_model_with_nothing_left_to_decode_keeps_no_json() -> None:
    from talon_async.models import CartItem

    item = structure({"sku": "A", "quantity": 1}, CartItem)  # no product, prices, ...
    assert not _holds_json(item)
    assert item.product is None


def _memory_of(build: Any, count: int) -> int:
    """Bytes held by ``count`` results of ``build()``, by tracemalloc."""
    build()  # hooks and caches built outside the measurement
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [build() for _ in range(count)]
        gc.collect()
        held: int = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(kept) == count
    return held


def test_a_fully_read_lazy_answer_costs_no_more_memory_than_an_eager_one() -> None:
    raw = STATE.read_bytes()
    eager = _memory_of(lambda: structure(decode_json(raw), IntegrationStateV2, strict=True), 20)
    read = _memory_of(
        lambda: _read_every_field(structure(decode_json(raw), IntegrationStateV2), [])[0], 20
    )
    assert read <= eager


def test_a_deferred_field_builds_its_decoder_when_first_read() -> None:
    # Reading an answer's effects must not build what decodes its session or campaigns:
    # a fresh process pays for the hooks of what it reads only.
    code = (
        "import os, sys\n"
        "from talon_async import from_json\n"
        "from talon_async.models import IntegrationStateV2\n"
        "raw = open(sys.argv[1], 'rb').read()\n"
        "state = from_json(IntegrationStateV2, raw)\n"
        "[effect.props for effect in state.effects]\n"
        "print('---', file=sys.stderr)\n"
        "state.customer_session.cart_items\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(DATA / "integration_state_v2.json")],
        env={**os.environ, "TALON_ASYNC_DEBUG_CODEGEN": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = done.stderr.split("---\n")
    assert "# <talon_async resolver of effects of IntegrationStateV2>" in before
    for later in (
        "structure CustomerSessionV2>",
        "structure CartItem>",
        "resolver of customer_session of",
    ):
        assert later not in before, later
        assert later in after, later
