"""Convenience methods of values whose work lives in a higher layer.

``CarePlan.to_html()`` reads well in a notebook, but drawing a plan is the
display adapter's work, and the model never imports upward. So the method
calls a :class:`Hook` that the owning module fills when it is imported.
``careplan/__init__.py`` imports those modules (the planner, the notebook
views) with the package, and Python imports a package before any of its
modules, so a hook is filled before anyone can hold a value. Each hook is
typed with the signature its provider must have, so mypy checks the wiring.

Expanding a schedule needs no hook: it is the model's own work
(:mod:`careplan._model.expansion`).
"""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["Hook"]

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
        """Fill the hook; the owning module calls this once, when it is imported."""
        self._implementation = implementation

    def __call__(self) -> F:
        """The implementation.

        Raises:
            RuntimeError: Nothing provided it: a private module was loaded
                without the ``careplan`` package, which cannot happen through
                a normal import.
        """
        if self._implementation is None:
            raise RuntimeError(f"{self.name} is not loaded; import careplan first")
        return self._implementation
