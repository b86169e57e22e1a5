"""Sphinx configuration for the careplan documentation."""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
# With only the docs extra installed, the modules that need another extra
# (careplan.batch: pyarrow; careplan.testing: Hypothesis) are still documented:
# autodoc imports them against stand-ins for what is missing.


def _missing(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return True
    return False


class _Strategy:
    """Stands for any Hypothesis strategy while careplan.testing is documented without it."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: _Strategy()

    def __or__(self, other: object) -> _Strategy:
        return _Strategy()

    __ror__ = __or__


def _composite(function: Callable[..., Any]) -> Callable[..., Any]:
    """``st.composite``: the strategy's signature is the function's without ``draw``."""

    @functools.wraps(function)
    def strategy(*args: Any, **kwargs: Any) -> _Strategy:
        return _Strategy()

    signature = inspect.signature(function)
    strategy.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:]
    )
    return strategy


def _stand_in_for_hypothesis() -> None:
    """Let careplan.testing import, for its reference, where Hypothesis is missing."""
    strategies = types.ModuleType("hypothesis.strategies")
    strategies.composite = _composite  # type: ignore[attr-defined]
    strategies.__getattr__ = lambda name: getattr(_Strategy(), name)  # type: ignore[method-assign]
    hypothesis = types.ModuleType("hypothesis")
    hypothesis.strategies = strategies  # type: ignore[attr-defined]
    sys.modules.update({"hypothesis": hypothesis, "hypothesis.strategies": strategies})


# Sphinx's own stand-ins serve pyarrow; Hypothesis's strategies are combined
# with | at import time, which those do not support.
autodoc_mock_imports = [name for name in ("pyarrow",) if _missing(name)]
if _missing("hypothesis"):
    _stand_in_for_hypothesis()
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

html_theme = "furo"
html_title = f"careplan {release}"
# _generated/_static holds what the build draws for the README (readme_image.py).
(Path(__file__).parent / "_generated" / "_static").mkdir(parents=True, exist_ok=True)
html_static_path = ["_static", "_generated/_static"]


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


def _property_sentences(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Render a property's docstring as the sentences it is.

    Napoleon reads the first line of a property's docstring as ``TYPE:
    description``, so "True when neither bound is set: nothing is known"
    would show "True when neither bound is set" as a type. The type is in
    the signature already; read the docstring as a function's instead.
    """
    if what != "property":
        return
    from sphinx.ext.napoleon.docstring import GoogleDocstring
    from sphinx.util.docstrings import prepare_docstring

    doc = inspect.getdoc(obj)
    if doc:
        config = app.config  # type: ignore[attr-defined]
        lines[:] = GoogleDocstring(prepare_docstring(doc), config, app, "method", name, obj).lines()


def _gallery(app: object) -> None:
    """Draw the gallery's pictures into docs/_generated before the pages are read."""
    import runpy
    from pathlib import Path

    runpy.run_path(str(Path(__file__).parent / "gallery.py"), run_name="__main__")


def _readme_image(app: object) -> None:
    """Draw the README's picture of the weekly grid, published as _static/weekly-grid.png."""
    import runpy

    from sphinx.util import logging

    drawn = runpy.run_path(str(Path(__file__).parent / "readme_image.py"))["draw"]()
    if not drawn:
        logging.getLogger(__name__).info(
            "the README's weekly-grid.png is not drawn: Chromium is not installed "
            "(Debian: apt-get install chromium)"
        )


def _public_bases(app: object, name: str, obj: object, options: object, bases: list[type]) -> None:
    """Show a private base class (an implementation detail) as the public bases it stands on."""
    bases[:] = [
        public
        for base in bases
        for public in (base.__bases__ if base.__name__.startswith("_") else (base,))
    ]


def setup(app: object) -> None:
    """Register the signature clean-up, the gallery's pictures and the README's picture."""
    app.connect("autodoc-process-signature", _attrs_defaults)  # type: ignore[attr-defined]
    app.connect("autodoc-process-bases", _public_bases)  # type: ignore[attr-defined]
    # After napoleon (priority 500), which would read a property's first line as a type.
    app.connect(  # type: ignore[attr-defined]
        "autodoc-process-docstring", _property_sentences, priority=600
    )
    app.connect("builder-inited", _gallery)  # type: ignore[attr-defined]
    app.connect("builder-inited", _readme_image)  # type: ignore[attr-defined]
