"""Code and text generated from the table of operations, and the command that writes them.

    python -m tests.generate

rewrites the parts of the repository that repeat facts of ``talon_async.operations`` in a
form the table itself cannot take: ``talon_async/_official_names.py``, the client's
methods under the official SDKs' names (type checkers and IDEs must see each signature
written out, overloads included, so each is generated from its resource method).
``tests/test_operations_table.py`` fails when a generated part is out of date.
"""

from __future__ import annotations

import ast
import inspect
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import talon_async.models as models
from talon_async import TalonClient
from talon_async._operation import ENTITIES
from talon_async.operations import OPERATIONS, Operation

ROOT = Path(__file__).resolve().parents[1]

_IMPORTS = {
    "Any": "typing",
    "Literal": "typing",
    "Sequence": "collections.abc",
    "datetime": "datetime",
    "Unpack": "typing_extensions",
    "CallOptions": "._operation",
}
"""Where the names used in signatures come from (besides the models)."""
_SECTION = {"collections.abc": 0, "datetime": 0, "typing": 0, "typing_extensions": 1}
"""The import sections of modules outside the package: standard library, third party."""


def _resource_class(operation: Operation[Any]) -> type:
    return TalonClient.__dict__[operation.resource]._resource_class  # type: ignore[no-any-return]


def _definitions(operation: Operation[Any]) -> tuple[list[str], list[ast.AsyncFunctionDef]]:
    """The source of the method's overloads and implementation header, and their nodes."""
    cls = _resource_class(operation)
    source = inspect.getsource(inspect.getmodule(cls))  # type: ignore[arg-type]
    lines = source.splitlines()
    tree = ast.parse(source)
    [class_node] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__]
    nodes = [
        node
        for node in class_node.body
        if isinstance(node, ast.AsyncFunctionDef) and node.name == operation.method
    ]
    *overloads, implementation = nodes
    texts = [
        "\n".join(lines[node.decorator_list[0].lineno - 1 : node.end_lineno]) for node in overloads
    ]
    header = "\n".join(lines[implementation.lineno - 1 : implementation.body[0].lineno - 1])
    return [*texts, header], nodes


def _call(operation: Operation[Any], node: ast.AsyncFunctionDef) -> str:
    arguments = [arg.arg for arg in node.args.args[1:]]
    arguments += [f"{arg.arg}={arg.arg}" for arg in node.args.kwonlyargs]
    arguments.append("**options")
    call = f"self.{operation.resource}.{operation.method}({', '.join(arguments)})"
    returns_nothing = isinstance(node.returns, ast.Constant) and node.returns.value is None
    return f"        {'await' if returns_nothing else 'return await'} {call}\n"


def _method(operation: Operation[Any]) -> tuple[str, set[str]]:
    texts, nodes = _definitions(operation)
    implementation = nodes[-1]
    rename = f"def {operation.method}("
    texts = [text.replace(rename, f"def {operation.name}(", 1) for text in texts]
    names = {
        name.id
        for node in nodes
        for part in (node.args, node.returns)
        if part is not None
        for name in ast.walk(part)
        if isinstance(name, ast.Name)
    }
    doc = (
        f'        """The same as ``client.{operation.resource}.{operation.method}``\n'
        f'        (operationId {operation.operation_id})."""\n'
    )
    return "\n".join(texts) + "\n" + doc + _call(operation, implementation), names


_TEMPLATE = """\
\"\"\"The client's methods under the official SDKs' names: GENERATED, do not edit.

Written by ``python -m tests.generate`` from the table of operations
(:mod:`talon_async.operations`) and the resource methods; each method is the
resource method of its operation under the snake_case name of its operationId.
\"\"\"

from __future__ import annotations

from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
{imports}

class OfficialNames:
    \"\"\"Every operation under its official name (``client.update_customer_session_v2``).\"\"\"

    __slots__ = ()

    if TYPE_CHECKING:  # the client's resources, which these methods call
{resources}

{methods}"""


def official_names() -> str:
    """The source of ``talon_async/_official_names.py``."""
    methods = []
    used: set[str] = set()
    resources = {op.resource: _resource_class(op) for op in OPERATIONS.values()}
    for operation in OPERATIONS.values():
        text, names = _method(operation)
        methods.append(text)
        used |= names
    used -= {"self", "overload", "bool", "dict", "int", "list", "str"}
    unknown = used - set(models.__all__) - set(_IMPORTS)
    if unknown:
        raise SystemExit(f"generate.py: where do {sorted(unknown)} come from? add them to _IMPORTS")
    by_module: dict[str, list[str]] = {}
    for name in sorted(used):
        by_module.setdefault(_IMPORTS.get(name, ".models"), []).append(name)
    for cls in resources.values():
        by_module[f".resources.{cls.__module__.rpartition('.')[2]}"] = [cls.__name__]
    # In the order ruff's isort writes them (standard library, third party, this package),
    # so that the generated code is the same with or without ruff to format it.
    order = sorted(by_module, key=lambda module: (_SECTION.get(module, 2), module))
    imports = [f"    from {module} import {', '.join(by_module[module])}\n" for module in order]
    source = _TEMPLATE.format(
        imports="".join(imports),
        resources="".join(f"        {name}: {cls.__name__}\n" for name, cls in resources.items()),
        methods="\n".join(methods),
    )
    return _formatted(source)


def _formatted(source: str) -> str:
    """``source`` with its imports sorted and formatted as ruff does (when ruff is here)."""
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        return source
    for command in (["check", "--fix", "--select", "I", "--quiet"], ["format"]):
        source = subprocess.run(
            [ruff, *command, "--stdin-filename", "talon_async/_official_names.py", "-"],
            input=source,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    return source


def _row(operation: Operation[Any]) -> str:
    method = getattr(_resource_class(operation), operation.method)
    parameters = list(inspect.signature(method).parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]
    arguments = ", ".join([*positional, *(["*", *keywords] if keywords else [])])
    returns = f"`{operation.returns}`" if operation.returns else "`None`"
    if "silent" in operation.query_parameters:
        returns += " (`None` if silent)"
    notes = []
    if operation.deprecated:
        notes.append(f"deprecated: use `{operation.deprecated}`")
    if operation.http_method == "POST" and operation.replay_safe:
        notes.append(
            "retried like a PUT" + (" (`Idempotency-Key`)" if operation.idempotency_key else "")
        )
    if operation.order_key:
        notes.append(f"one at a time per {ENTITIES[operation.order_key]}")
    return (
        f"| {operation.operation_id} | `{operation.http_method} {operation.path}` "
        f"| `client.{operation.resource}.{operation.method}({arguments})` | {returns} "
        f"| {'; '.join(notes)} |\n"
    )


def operations_table() -> str:
    """The table of every operation in ``docs/operations.md``."""
    header = (
        "| operationId | request | talon_async call | returns | notes |\n"
        "| --- | --- | --- | --- | --- |\n"
    )
    return header + "".join(_row(operation) for operation in OPERATIONS.values())


_TABLE_BEGIN = "<!-- BEGIN operations table: generated by python -m tests.generate -->\n"
_TABLE_END = "<!-- END operations table -->\n"


def operations_page() -> str:
    """``docs/operations.md`` with its table written from the table of operations."""
    text = (ROOT / "docs" / "operations.md").read_text("utf-8")
    head, _, rest = text.partition(_TABLE_BEGIN)
    _, _, tail = rest.partition(_TABLE_END)
    return head + _TABLE_BEGIN + operations_table() + _TABLE_END + tail


FILES: dict[Path, Callable[[], str]] = {
    ROOT / "talon_async" / "_official_names.py": official_names,
    ROOT / "docs" / "operations.md": operations_page,
}
"""Each generated file and the function that writes its text."""


def same(path: Path, a: str, b: str) -> bool:
    """Whether two texts of ``path`` are the same: for Python, the same code whatever its
    formatting (ruff formats what this module writes, when it is installed)."""
    if path.suffix == ".py":
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    return a == b


def main() -> None:
    for path, generate in FILES.items():
        path.write_text(generate(), "utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
