"""Every Python example of README.md and docs/ runs as shown and passes ``mypy --strict``.

Session blocks are pasted, page by page, into ``python -m asyncio`` (the basic REPL, the
strictest about pasted code: a compound statement must end with a blank line); file blocks
are saved as modules, and the test modules among them run under pytest-asyncio's strict
mode (its default) and under its auto mode, with the plugin's fixtures. See
``tests/markdown.py`` for the two kinds of block.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from talon_async.testing import FakeTalon

from .markdown import PAGES, ROOT, Block, blocks, files, session

# Recorded against a running fake, then replayed with it stopped: tests/test_recipes.py.
RECORDED = "test_recorded_checkout.py"
# What a page's session must print, besides running without an error.
PRINTS = {"README.md": ["coupon accepted: WELCOME10"], "sessions.md": ["referral code:"]}
_FAILED = re.compile(
    r"^(Traceback \(most recent call last\)|  File \"<(console|stdin|page)>\"|Unclosed |"
    r"Task was destroyed|Exception ignored)",
    flags=re.M,
)


def write_files(directory: Path) -> dict[str, Block]:
    """Save every file block in ``directory``; return them by name."""
    named = files()
    for name, block in named.items():
        (directory / name).write_text(block.source)
    return named


def test_every_page_has_examples_and_the_names_are_unique() -> None:
    assert [page.name for page in PAGES][:1] == ["README.md"] and len(PAGES) >= 10
    named = files()  # asserts that no two file blocks share a name
    assert RECORDED in named and "test_shop_api.py" in named
    assert sum(len(session(page)) for page in PAGES) >= 30


# The whole page at once, with top-level await: where ``python -m asyncio`` cannot read
# pasted code (3.13.0's reads piped input line by line, each line alone).
AT_ONCE = """
import ast, asyncio, sys
code = compile(sys.stdin.read(), "<page>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
async def main():
    result = eval(code, {"__name__": "__main__"})
    if result is not None:
        await result
asyncio.run(main())
"""


def _repl_reads_pasted_code() -> bool:
    run = subprocess.run(
        [sys.executable, "-m", "asyncio"],
        input="if True:\n    print('pasted')\n\n",
        env={**os.environ, "PYTHON_BASIC_REPL": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return "pasted" in run.stdout and "Error" not in run.stderr


async def _paste(page: Path, cwd: Path, repl: bool) -> tuple[Path, int, str]:
    text = "".join(block.source + "\n" for block in session(page))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *(["-m", "asyncio"] if repl else ["-c", AT_ONCE]),
        cwd=cwd,
        env={**os.environ, "PYTHON_BASIC_REPL": "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(text.encode()), 120)
    return page, process.returncode or 0, out.decode("utf-8", "replace")


async def test_session_examples_run_when_pasted_into_python_m_asyncio(tmp_path: Path) -> None:
    pages = [page for page in PAGES if session(page)]
    repl = _repl_reads_pasted_code()
    problems = []
    # Two at a time: this machine has two cores, and each session is one process.
    limit = asyncio.Semaphore(2)

    async def paste(page: Path) -> tuple[Path, int, str]:
        async with limit:
            return await _paste(page, tmp_path, repl)

    for page, code, out in await asyncio.gather(*(paste(page) for page in pages)):
        missing = [text for text in PRINTS.get(page.name, []) if text not in out]
        if code or _FAILED.search(out) or missing:
            problems.append(f"== {page.relative_to(ROOT)} (exit {code}, missing {missing})\n{out}")
    assert not problems, "\n".join(problems)
    # Python 3.10 to 3.12 read pasted code: there, the pages are pasted for real.
    assert repl or sys.version_info >= (3, 13)


@pytest.mark.parametrize("mode", ["strict", "auto"])
def test_test_examples_pass_under_pytest_asyncio_mode(tmp_path: Path, mode: str) -> None:
    named = write_files(tmp_path)
    tests = sum(
        len(re.findall(r"^(?:async )?def test_", block.source, flags=re.M))
        for name, block in named.items()
        if name.startswith("test_") and name != RECORDED
    )
    options = [] if mode == "strict" else ["-o", "asyncio_mode=auto"]  # strict: the default
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--ignore", RECORDED]
    run = subprocess.run(
        [*pytest, *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0 and f"{tests} passed" in run.stdout, run.stdout + run.stderr


def test_examples_pass_mypy_strict(tmp_path: Path) -> None:
    # Each page's session is the body of one async function, so that its top-level awaits
    # are legal; each problem is reported at its line in its page.
    origin: dict[str, list[str]] = {}
    for page in PAGES:
        if not session(page):
            continue
        module = "session_" + re.sub(r"\W", "_", page.stem) + ".py"
        lines, where = ["async def session() -> None:"], [f"{page.name}:0"]
        for block in session(page):
            for offset, text in enumerate(block.source.splitlines()):
                lines.append(textwrap.indent(text, "    ") if text else "")
                where.append(f"{page.relative_to(ROOT)}:{block.line + offset}")
        (tmp_path / module).write_text("\n".join(lines) + "\n")
        origin[module] = where
    for name, block in write_files(tmp_path).items():
        origin[name] = [
            f"{block.page.relative_to(ROOT)}:{block.line + offset}"
            for offset in range(block.source.count("\n") + 1)
        ]
    # In a process of its own: mypy's memory would slow down every later gc.collect().
    mypy = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml")]
    run = subprocess.run(
        [*mypy, "--cache-dir", str(ROOT / ".mypy_cache"), *sorted(origin)],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},  # the checkout's talon_async
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    located = re.sub(
        r"^([\w.]+\.py):(\d+):",
        lambda match: f"{origin[match[1]][int(match[2]) - 1]}:",
        run.stdout,
        flags=re.M,
    )
    assert run.returncode == 0, located + run.stderr


def test_the_seed_file_of_the_testing_guide_loads() -> None:
    [seed] = blocks(ROOT / "docs" / "testing.md", "json")
    fake = FakeTalon()
    fake.seed(json.loads(seed.source))
    assert "WELCOME10" in fake.coupons and "customer-1" in fake.profiles


async def test_the_job_file_of_the_bulk_guide_runs_against_the_fake(tmp_path: Path) -> None:
    from talon_async.bulk import run_job

    [sample] = blocks(ROOT / "docs" / "bulk.md", "jsonl")
    job = tmp_path / "job.jsonl"
    job.write_text(sample.source)
    async with FakeTalon() as fake, fake.client() as talon:
        summary = await run_job(talon, job)
    assert (summary.done, summary.failed, summary.exit_code) == (3, {}, 0), summary.report()
    assert fake.sessions["s-1"]["state"] == "partially_returned"
    assert fake.profiles["p-1"]["attributes"] == {"tier": "gold"}


def test_the_readme_is_a_users_page_that_works_on_pypi() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    assert text.count("\n") <= 400
    for needed in ("pip install talon-async", "pip install 'talon-async[taskiq]'", "3.10"):
        assert needed in text
    # As the package's long description, a relative link or picture would be broken.
    targets = re.findall(r"\]\(([^)]*)\)", text) + re.findall(r"src=\"([^\"]*)\"", text)
    assert targets and [t for t in targets if not t.startswith("https://")] == []
