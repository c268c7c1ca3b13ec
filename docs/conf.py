"""Sphinx configuration of the documentation site: ``sphinx-build -W docs docs/_build``.

The pages are Markdown (MyST), the API reference comes from the docstrings (autodoc).
"""

from talon_async import __version__

project = "talon_async"
author = "talon_async contributors"
copyright = "talon_async contributors"
release = version = __version__

extensions = ["myst_parser", "sphinx.ext.autodoc"]
exclude_patterns = ["_build"]
# Links such as [pytest fixtures](testing.md#pytest-fixtures) name a heading by its slug.
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

html_theme = "furo"
html_title = f"talon_async {__version__}"


def setup(app: object) -> None:
    """JSON Lines (the bulk guide's job files) is highlighted as JSON."""
    from pygments.lexers.data import JsonLexer

    app.add_lexer("jsonl", JsonLexer)  # type: ignore[attr-defined]
