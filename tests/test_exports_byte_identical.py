"""The exports of the demo plans stay byte-identical unless a change means them to.

The expected files were written by ``tests/golden/make.py`` before the
package was reorganised into layers; a refactoring must not change a byte.
A deliberate change of output regenerates them and says so in the CHANGELOG.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "golden"


def _outputs() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("golden_make", HERE / "make.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outputs: dict[str, bytes] = module.outputs()
    return outputs


OUTPUTS = _outputs()


def test_every_golden_file_is_produced() -> None:
    on_disk = {p.name for p in HERE.iterdir() if p.suffix != ".py" and p.is_file()}
    assert on_disk == set(OUTPUTS)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_output_is_unchanged(name: str) -> None:
    assert OUTPUTS[name] == (HERE / name).read_bytes()
