"""Convenience methods of values whose work lives in a higher layer.

``CarePlan.occurrences()`` reads well in a notebook, but expanding a plan is
an operation, and the model never imports upward. So the method calls a
:class:`Hook` that the layer owning the work fills in when it is imported.
``careplan/__init__.py`` loads its names lazily, so it tells this module
(:func:`load_from`) which module fills each hook; a hook not filled yet
imports that module on its first call. Python imports a package before any
of its modules, so that is known before anyone can hold a value. Each hook
is typed with the signature its provider must have, so mypy checks the
wiring.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Generic, TypeVar

__all__ = ["Hook", "load_from"]

# The module that fills each hook, by the hook's name (set by careplan/__init__.py).
_PROVIDERS: dict[str, str] = {}


def load_from(providers: Mapping[str, str]) -> None:
    """Say which module fills each hook, by the hook's name."""
    _PROVIDERS.update(providers)


F = TypeVar("F")


class Hook(Generic[F]):
    """A function a value's method needs, provided by the layer that owns it.

    Attributes:
        name: The public function that does the work, for the error message.
    """

    __slots__ = ("_implementation", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._implementation: F | None = None

    def provide(self, implementation: F) -> None:
        """Fill the hook; the owning layer calls this once, when it is imported."""
        self._implementation = implementation

    def __call__(self) -> F:
        """The implementation.

        Raises:
            RuntimeError: Nothing provided it: a private module was loaded
                without the ``careplan`` package, which cannot happen through
                a normal import.
        """
        if self._implementation is None and self.name in _PROVIDERS:
            importlib.import_module(_PROVIDERS[self.name])
        if self._implementation is None:
            raise RuntimeError(f"{self.name} is not loaded; import careplan first")
        return self._implementation
