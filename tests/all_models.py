"""Every model class reachable from talon_async.models (its names, and the models their
fields hold), for tests that go through all of them."""

from __future__ import annotations

from typing import Any, get_args

import attrs

import talon_async.models
from talon_async.models._base import KIND, Model


def every_model() -> list[type[Model]]:
    """The model classes, sorted by name."""
    found: dict[str, type[Model]] = {}

    def visit(hint: Any) -> None:
        if isinstance(hint, type) and issubclass(hint, Model):
            if hint.__name__ in found:
                return
            found[hint.__name__] = hint
            attrs.resolve_types(hint)
            for field in attrs.fields(hint):
                visit(field.type)
                if KIND in field.metadata:
                    for model in field.metadata[KIND][1].values():
                        visit(model)
        for arg in get_args(hint):
            visit(arg)

    for name in talon_async.models.__all__:
        visit(getattr(talon_async.models, name))
    return [found[name] for name in sorted(found)]
