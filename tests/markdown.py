"""The project's Markdown pages (README.md and docs/*.md) as their tests read them.

A ```` ```python ```` block is one of two kinds:

* a **file**: its first line names it (``# shop_api.py``); it is a module of its own,
  imports included, saved under that name (a ``test_*.py`` one is run by pytest);
* a **session** block: every other one. A page's session blocks run in order, as a reader
  pastes them, in one ``python -m asyncio`` session, the first one starting what the page
  needs (a fake Talon.One API), the last one closing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\S*)\n(.*?)^```$", flags=re.S | re.M)
_FILE_NAME = re.compile(r"# (\w+\.py)\n")


@attrs.frozen
class Block:
    """One fenced block of a page."""

    page: Path
    line: int
    """The page's line number of the block's first line."""
    language: str
    source: str

    @property
    def file_name(self) -> str | None:
        """The module name a file block gives itself; None for a session block."""
        named = _FILE_NAME.match(self.source) if self.language == "python" else None
        return named.group(1) if named else None

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path, language: str | None = None) -> list[Block]:
    """The fenced blocks of ``page`` (of one language, if given), in page order."""
    text = page.read_text("utf-8")
    found = [
        Block(page, text.count("\n", 0, match.start(2)) + 1, match.group(1), match.group(2))
        for match in _FENCE.finditer(text)
    ]
    return [block for block in found if language is None or block.language == language]


def session(page: Path) -> list[Block]:
    """The session blocks of ``page``, in order."""
    return [block for block in blocks(page, "python") if block.file_name is None]


def files() -> dict[str, Block]:
    """Every file block of every page, by the name it gives itself (names are unique)."""
    named: dict[str, Block] = {}
    for block in _python_blocks():
        name = block.file_name
        if name is not None:
            assert name not in named, f"{block.where}: {name} is also {named[name].where}"
            named[name] = block
    return named


def _python_blocks() -> Iterator[Block]:
    for page in PAGES:
        yield from blocks(page, "python")
