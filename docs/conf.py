"""Sphinx configuration for the careplan documentation."""

from __future__ import annotations

import careplan

project = "careplan"
author = "careplan developers"
copyright = "2026, careplan developers"
release = careplan.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "conftest.py", "_generated"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Types go into the documented parameters only: an attrs class's fields are
# documented once, under "Attributes" (as Variables), not again as Parameters.
autodoc_typehints_description_target = "documented"
autodoc_typehints_format = "short"
# "Bases: object" says nothing; the reference shows bases only for errors.
autodoc_default_options = {"members": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

html_theme = "furo"
html_title = f"careplan {release}"
html_static_path = ["_static"]


def _attrs_defaults(
    app: object,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None]:
    """Show a field whose default is computed as ``<factory>``, as dataclasses do.

    attrs' generated ``__init__`` marks those defaults with its ``NOTHING``
    sentinel, which reads like "no default" in a signature.
    """
    if signature is not None:
        signature = signature.replace("=NOTHING", "=<factory>")
    return signature, return_annotation


def _gallery(app: object) -> None:
    """Draw the gallery's pictures into docs/_generated before the pages are read."""
    import runpy
    from pathlib import Path

    runpy.run_path(str(Path(__file__).parent / "gallery.py"), run_name="__main__")


def setup(app: object) -> None:
    """Register the signature clean-up and the gallery's pictures."""
    app.connect("autodoc-process-signature", _attrs_defaults)  # type: ignore[attr-defined]
    app.connect("builder-inited", _gallery)  # type: ignore[attr-defined]
