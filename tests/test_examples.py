"""The examples and the README's code run, so they never rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_scripts_run(script, tmp_path):
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.iterdir()), "the example writes its output"


def test_readme_code_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_the_notebook_runs(tmp_path):
    import nbclient
    import nbformat

    notebook = nbformat.read(ROOT / "examples" / "prototype_program.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("careplan-week" in page for page in html)
    # The stepped-down plan shows both episodes, and the three plots render as PNG.
    assert any(page.count("class='careplan-week'") == 2 for page in html)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3


# --- every plan the docs and examples export validates (issue 35; issue 29, item 9) ----------

#: Where plans leave careplan: the exports, the plots and the notebook renderings.
_EXPORTERS = (
    ("careplan", "to_ical"),
    ("careplan", "to_json"),
    ("careplan", "plan_to_data"),
    ("careplan.fhir", "to_fhir"),
    ("careplan.plots", "care_path"),
    ("careplan.plots", "hours"),
    ("careplan.plots", "attendance"),
    ("careplan.plots", "measures"),
)
_EXPORTING = re.compile(
    r"to_ical|to_json|plan_to_data|to_fhir|plots\.|care_path|to_html|to_dataframe"
)
PAGES = sorted(
    path
    for path in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    if "_generated" not in path.parts and _EXPORTING.search(path.read_text(encoding="utf-8"))
)


@pytest.fixture
def exported(monkeypatch):
    """Every plan handed to an exporter, a plot or a plan's table or grid while the test runs."""
    import importlib

    import careplan as cp

    found = []

    def spy(original):
        def record(plan, *args, **kwargs):
            if isinstance(plan, cp.CarePlan):
                found.append(plan)
            return original(plan, *args, **kwargs)

        return record

    for module_name, name in _EXPORTERS:
        module = importlib.import_module(module_name)
        monkeypatch.setattr(module, name, spy(getattr(module, name)))
    for name in ("to_html", "to_dataframe"):
        monkeypatch.setattr(cp.CarePlan, name, spy(getattr(cp.CarePlan, name)))
    return found


def _errors(plans):
    import careplan as cp

    return sorted({v.code for plan in plans for v in cp.validate(plan).errors})


def _judge(text, plans):
    """No errors, or the page says the plan does not validate and names each error."""
    errors = _errors(plans)
    if errors:
        assert "does not validate" in text, f"exports plans with {errors} and does not say why"
        assert all(f"`{code}`" in text for code in errors), errors


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_plan_a_page_exports_validates_or_the_page_says_why(page, exported, tmp_path):
    from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

    from sybil import Sybil
    from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

    sybil = Sybil(
        parsers=[
            PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
            SkipParser(),
        ]
    )
    for example in sybil.parse(page):
        example.evaluate()
    _judge(page.read_text(encoding="utf-8"), exported)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_every_plan_an_example_script_exports_validates(script, exported, tmp_path, monkeypatch):
    import runpy

    monkeypatch.setattr(sys, "argv", [str(script), str(tmp_path)])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(script), run_name="__main__")
    assert done.value.code == 0
    assert exported
    assert _errors(exported) == []


def test_every_plan_the_notebook_exports_validates(exported, tmp_path, monkeypatch):
    import nbformat

    monkeypatch.chdir(tmp_path)
    notebook = nbformat.read(ROOT / "examples" / "prototype_program.ipynb", as_version=4)
    namespace: dict[str, object] = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "prototype_program.ipynb", "exec"), namespace)
    assert len(exported) >= 4  # the step-down plan's plots and the exported calendar
    assert _errors(exported) == []


def _docstring_tests():
    """The docstring examples of careplan's modules that export, plot or render a plan."""
    import doctest
    import importlib
    import pkgutil

    import careplan

    finder = doctest.DocTestFinder()
    found = []
    for info in pkgutil.walk_packages(careplan.__path__, "careplan."):
        module = importlib.import_module(info.name)
        for test in finder.find(module):
            source = "".join(example.source for example in test.examples)
            if test.examples and _EXPORTING.search(source):
                found.append(test)
    return found


def test_every_plan_a_docstring_exports_validates(exported):
    import doctest

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = _docstring_tests()
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert len(tests) >= 3
    assert _errors(exported) == []
