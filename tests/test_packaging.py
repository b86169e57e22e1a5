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
