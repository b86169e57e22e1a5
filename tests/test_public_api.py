"""The public surface: exported names, docstrings, and the documented codes."""

from __future__ import annotations

import doctest
import inspect
import re
import typing
from pathlib import Path

import careplan as cp
from careplan._operations.validation import CODES

DOCS = Path(__file__).parent.parent / "docs"


def _is_class(value: object) -> bool:
    # Python 3.10 counts a parametrised alias such as careplan.Rule
    # (Callable[[RuleContext], ...]) as a class; it is a type alias.
    return inspect.isclass(value) and typing.get_origin(value) is None


def issubclass_safe(value: object, kind: type) -> bool:
    return inspect.isclass(value) and issubclass(value, kind)


def test_every_public_name_is_exported_and_documented():
    for name in cp.__all__:
        value = getattr(cp, name)
        if _is_class(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"
            # The module that defines it (errors name themselves careplan.X).
            expected = "careplan" if issubclass_safe(value, cp.CarePlanError) else "careplan."
            assert value.__module__.startswith(expected), name
    for module in (cp, __import__("careplan.demo").demo, __import__("careplan.testing").testing):
        assert module.__doc__


def test_public_methods_have_docstrings():
    for name in cp.__all__:
        value = getattr(cp, name)
        if not _is_class(value):
            continue
        for attribute, member in vars(value).items():
            if attribute.startswith("_") or not (
                inspect.isfunction(member) or isinstance(member, (property, classmethod))
            ):
                continue
            assert inspect.getdoc(member), f"{name}.{attribute} has no docstring"


def test_the_doctest_finder_sees_the_examples_in_methods():
    # Classes keep the module that defines them, so pytest's own doctest
    # collection (--doctest-modules) finds and runs their methods' examples.
    import careplan._model.plan as plan_module

    found = {test.name for test in doctest.DocTestFinder().find(plan_module) if test.examples}
    assert "careplan._model.plan.CarePlan.plan_of_care_on" in found
    assert "careplan._model.plan.CarePlan.with_attendance" in found


def test_every_public_name_is_written_once_in_the_package():
    # __init__.py imports each name once; __all__ lists exactly those names.
    source = (Path(cp.__file__)).read_text(encoding="utf-8")
    imported = set(re.findall(r"^    (\w+),$", source, re.M))
    lazy = set(re.findall(r"^    \"(\w+)\": \"careplan\.(?:_adapters|document)", source, re.M))
    assert imported | lazy | {"__version__"} == set(cp.__all__)
    assert not imported & lazy
    assert "__module__" not in source


def test_the_violation_table_lists_every_code_with_its_severities():
    table = (DOCS / "reference" / "violations.md").read_text(encoding="utf-8")
    documented = {
        code: tuple(s.strip() for s in severities.split(","))
        for code, severities in re.findall(r"^\| `([a-z_.]+)` \| ([a-z, ]+) \|", table, re.M)
    }
    assert documented == CODES


def test_api_reference_covers_every_export():
    api = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    missing = [n for n in cp.__all__ if n != "__version__" and f"careplan.{n}" not in api]
    assert missing == []


def test_the_package_ships_py_typed():
    assert (Path(cp.__file__).parent / "py.typed").exists()
