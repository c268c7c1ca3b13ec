"""The converter's generated hooks: every model's are built here, in both directions and
for strict and lenient decoding, so a model that breaks the conventions of
talon_async.models._base fails CI rather than a user's first call; and the switch that
prints their source."""

from __future__ import annotations

import os
import subprocess
import sys

import attrs
import pytest

from talon_async._convert import SpecDeviation, converter, lazy_hook, structure
from talon_async.models._base import KIND, Model

from .all_models import every_model

MODELS = every_model()


def test_the_walk_finds_the_models_fields_hold() -> None:
    names = {model.__name__ for model in MODELS}
    assert {"IntegrationStateV2", "CartItem", "SetDiscountEffectProps", "Product"} <= names
    assert len(MODELS) > 150


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_builds_its_hooks(model: type[Model]) -> None:
    converter.get_structure_hook(model)  # strict decoding (and lenient of a caller's dict)
    converter.get_unstructure_hook(model)
    lazy_hook(model)  # lenient decoding of answers
    # Left to their first read: the fields holding models that hold models (not a kind's).
    deferred = {
        field.name
        for field in attrs.fields(model)
        if KIND not in field.metadata
        and any(
            _holds_models(inner.type)
            for held in _models_in(field.type)
            for inner in attrs.fields(held)
        )
    }
    assert set(model.__dict__.get("_talon_resolvers", {})) == deferred
    # Only a class with such fields has a __getattr__ (which slows every read of a field).
    assert hasattr(model, "__getattr__") == bool(deferred)
    # Each runs: an empty object, strictly and leniently, every field read.
    try:
        structure({}, model, strict=True)
    except SpecDeviation as exc:
        assert "is missing" in str(exc)
    decoded = structure({"unknown": 1}, model)
    for field in attrs.fields(model):
        getattr(decoded, field.name)
    assert decoded.extra_fields == {"unknown": 1}


def _models_in(hint: object) -> list[type[Model]]:
    if isinstance(hint, type) and issubclass(hint, Model):
        return [hint]
    return [model for arg in getattr(hint, "__args__", ()) for model in _models_in(arg)]


def _holds_models(hint: object) -> bool:
    return bool(_models_in(hint))


DEBUG = (
    "from talon_async import from_json, to_json\n"
    "from talon_async.models import NewCustomerSessionV2\n"
    'session = b\'{"cartItems": [{"sku": "A", "quantity": 1, "product": {"name": "p"}}]}\'\n'
    "to_json(from_json(NewCustomerSessionV2, session))\n"
)


def test_the_debug_switch_prints_each_generated_hook() -> None:
    def run(**env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", DEBUG],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stderr

    printed = run(TALON_ASYNC_DEBUG_CODEGEN="1")
    for header in (
        "# <talon_async lazy structure NewCustomerSessionV2>\ndef hook(o, _=None):\n",
        "# <talon_async resolver of cart_items of NewCustomerSessionV2>\ndef cart_items(o):\n",
        "# <talon_async structure CartItem>\ndef hook(o, _=None):\n",
        "# <talon_async unstructure CartItem>\ndef hook(i):\n",
    ):
        assert header in printed
    compile(printed, "printed", "exec")  # what it prints is the Python that runs
    environment = {k: v for k, v in os.environ.items() if k != "TALON_ASYNC_DEBUG_CODEGEN"}
    done = subprocess.run(
        [sys.executable, "-c", DEBUG], env=environment, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""


KINDS = (
    "from talon_async import from_json\n"
    "from talon_async.models import Effect\n"
    'effect = b\'{"campaignId": 1, "rulesetId": 2, "ruleIndex": 0, "ruleName": "r", '
    '"effectType": "setDiscount", "props": {"name": "10%", "value": 10}}\'\n'
    "for strict in (False, True):\n"
    "    assert from_json(Effect, effect, strict=strict).props.value == 10\n"
)


def test_a_kinds_hook_is_built_when_the_kind_is_first_met() -> None:
    # A fresh process compiles the hooks of the effect types its answers hold, not all.
    printed = subprocess.run(
        [sys.executable, "-c", KINDS],
        env={**os.environ, "TALON_ASYNC_DEBUG_CODEGEN": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "# <talon_async structure SetDiscountEffectProps>" in printed
    assert "EffectProps>" not in printed.replace("SetDiscountEffectProps>", "")


RESOLVED = """
import typing
import attrs
from tests.all_models import every_model
from talon_async._convert._hooks import _fields

models = every_model()  # resolves each model's types with attrs.resolve_types: undone here
for model in models:
    del model.__attrs_types_resolved__
    for field in attrs.fields(model):
        object.__setattr__(field, "type", model.__annotations__.get(field.name, field.type))
unresolved = sum(isinstance(f.type, str) for m in models for f in attrs.fields(m))
for model in models:
    _fields(model)
    hints = typing.get_type_hints(model)
    for field in attrs.fields(model):
        assert field.type == hints[field.name], (model.__name__, field.name, field.type)
    assert model.__attrs_types_resolved__ is model
print(len(models), unresolved)
"""


def test_the_hooks_resolve_field_types_as_typing_does() -> None:
    # The converter evaluates each annotation's text once per module instead of calling
    # typing.get_type_hints for every class; the types must come out the same for all.
    done = subprocess.run(
        [sys.executable, "-c", RESOLVED], capture_output=True, text=True, check=True
    )
    models, unresolved = map(int, done.stdout.split())
    assert models > 150
    assert unresolved > 800  # the annotations were text again before the converter ran
