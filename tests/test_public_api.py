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


def test_every_public_name_is_exported_and_documented():
    for name in cp.__all__:
        value = getattr(cp, name)
        if _is_class(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"
            assert value.__module__ == "careplan", name
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


def _public_methods():
    for name in cp.__all__:
        value = getattr(cp, name)
        if _is_class(value):
            for attribute, member in vars(value).items():
                if not attribute.startswith("_"):
                    yield f"{name}.{attribute}", inspect.unwrap(getattr(member, "__func__", member))


def test_examples_in_method_docstrings_run():
    # pytest's doctest finder skips them: the classes are re-labelled as
    # careplan's, but their methods keep the private module's globals.
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    examples = 0
    for qualified, member in _public_methods():
        if not inspect.isfunction(member):
            continue
        for test in finder.find(member, qualified, module=False, globs=dict(member.__globals__)):
            examples += len(test.examples)
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert examples >= 3


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
