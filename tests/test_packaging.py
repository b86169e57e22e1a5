"""The oldest dependency versions that `make test-oldest` tests against."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).parent.parent


def _runtime_requirements() -> list[Requirement]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.M | re.S)
    assert block is not None
    return [Requirement(line) for line in re.findall(r'^\s*"([^"]+)"', block.group(1), re.M)]


def test_the_oldest_constraints_pin_every_declared_lower_bound():
    pins = {}
    for line in (ROOT / "constraints" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip()] = Version(version)
    requirements = _runtime_requirements()
    assert {r.name for r in requirements} == set(pins)
    for requirement in requirements:
        (lower,) = [s.version for s in requirement.specifier if s.operator == ">="]
        assert pins[requirement.name] == Version(lower), requirement.name


def test_the_license_file_is_the_mit_license_pyproject_names():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', text, re.M)
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_every_python_version_the_wheel_supports_is_a_classifier():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for minor in (10, 11, 12, 13):
        assert f'"Programming Language :: Python :: 3.{minor}",' in text


_WITHOUT_EXTRAS = '''
import runpy, sys

class Missing:
    """Packages of the extras other than docs are not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"pyarrow", "hypothesis", "pandas", "ortools", "dask", "fhir"}:
            raise ModuleNotFoundError(name)

sys.meta_path.insert(0, Missing())
conf = runpy.run_path(sys.argv[1])
assert conf["autodoc_mock_imports"] == ["pyarrow"], conf["autodoc_mock_imports"]
from sphinx.ext.autodoc.mock import mock

with mock(conf["autodoc_mock_imports"]):
    import careplan.batch
import careplan.testing, inspect

assert careplan.batch.run.__doc__.startswith("Read, validate and expand")
signature = inspect.signature(careplan.testing.care_plans)
assert "draw" not in signature.parameters, signature
assert careplan.testing.care_plans.__doc__
print("documented")
'''


def test_with_only_the_docs_extra_the_reference_still_documents_every_module(tmp_path):
    import subprocess
    import sys

    api = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    for module in ("batch", "testing", "plots", "census", "fhir", "safety", "demo", "programs"):
        assert f".. automodule:: careplan.{module}" in api, module
    script = tmp_path / "without_extras.py"
    script.write_text(_WITHOUT_EXTRAS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(ROOT / "docs" / "conf.py")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "documented"
