"""The StructureDefinitions of careplan's FHIR extensions, shipped in the package.

Each extension careplan writes has a definition (``kind`` complex-type,
``derivation`` constraint on ``Extension``, with its value type and the
elements it may sit on), one file per extension and FHIR version under
``careplan/fhir/definitions/r4`` and ``.../r5``, so a validating server can
load them. :func:`definitions` builds them; a test checks the shipped files
are what it builds (``python -m careplan.fhir._definitions`` writes them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from careplan.fhir._codes import (
    ASSESSOR_ROLE,
    CLIENT_SIGNED,
    CLINICIAN_SIGNED,
    DISCHARGE_REASON,
    EPISODE,
    EPISODE_REASON,
    EVERY_WEEKS,
    ITEM_MOST,
    JOIN_URL,
    MODALITY,
    NEXT_SCREENING,
    REVIEWED,
    SCHEDULED_ON,
    SESSION_ID,
    SUICIDE_ITEM,
    TRACK,
    WALL_TIME,
    WEEK_OFFSET,
    FhirVersion,
)

__all__ = ["EXTENSIONS", "definitions", "definitions_dir"]

_FHIR_VERSION = {"r4": "4.0.1", "r5": "5.0.0"}
_DETAIL = "CarePlan.activity.detail"
_COMPONENT = ("Observation.component",)
_RESPONSE = ("QuestionnaireResponse",)
_ASSESSMENT = ("RiskAssessment",)

#: Each extension: URL, value type, the elements it sits on in R4 and in R5
#: (none: not written in that version), and what it says.
EXTENSIONS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        EPISODE_REASON,
        "Coding",
        ("EpisodeOfCare",),
        ("EpisodeOfCare",),
        "Why this level-of-care episode began (a careplan transition reason).",
    ),
    (
        DISCHARGE_REASON,
        "Coding",
        ("CarePlan",),
        ("CarePlan",),
        "Why care ended (a careplan transition reason).",
    ),
    (
        SCHEDULED_ON,
        "date",
        ("Appointment",),
        (),
        "The day the series puts this occurrence on (before any move).",
    ),
    (
        EVERY_WEEKS,
        "positiveInt",
        ("Appointment",),
        (),
        "The series of this occurrence meets every n weeks.",
    ),
    (
        JOIN_URL,
        "url",
        ("Appointment", _DETAIL),
        (),
        "Where a virtual session is joined.",
    ),
    (SESSION_ID, "string", (_DETAIL,), (), "The id of the weekly session this activity is."),
    (TRACK, "Coding", (_DETAIL,), (), "The treatment track of the weekly session."),
    (
        EPISODE,
        "Reference",
        (_DETAIL,),
        (),
        "The EpisodeOfCare (level of care) the weekly session belongs to.",
    ),
    (MODALITY, "code", (_DETAIL,), (), "in_person or virtual."),
    (
        WEEK_OFFSET,
        "unsignedInt",
        (_DETAIL,),
        (),
        "The week of its cadence the weekly session is held in (0: the episode's first).",
    ),
    (
        WALL_TIME,
        "time",
        (),
        ("Appointment",),
        "The local wall time of a series (its first start may fall in a clock change).",
    ),
    (ITEM_MOST, "positiveInt", _COMPONENT, _COMPONENT, "The highest answer of this item."),
    (
        SUICIDE_ITEM,
        "boolean",
        _COMPONENT,
        _COMPONENT,
        "An answer above 0 to this item is a positive suicide-risk screen.",
    ),
    (ASSESSOR_ROLE, "code", _ASSESSMENT, _ASSESSMENT, "The care role of who assessed."),
    (NEXT_SCREENING, "date", _ASSESSMENT, _ASSESSMENT, "When to screen again."),
    (CLIENT_SIGNED, "date", _RESPONSE, _RESPONSE, "The day the client signed the safety plan."),
    (
        CLINICIAN_SIGNED,
        "date",
        _RESPONSE,
        _RESPONSE,
        "The day the clinician signed the safety plan.",
    ),
    (REVIEWED, "date", _RESPONSE, _RESPONSE, "A day the safety plan was reviewed with the client."),
)


def _element(
    path: str, least: int, most: str, base: tuple[int, str], **more: Any
) -> dict[str, Any]:
    """One element of a snapshot: its path, cardinality, the base's cardinality and the rest."""
    return {
        "id": path,
        "path": path,
        "min": least,
        "max": most,
        "base": {"path": path, "min": base[0], "max": base[1]},
        **more,
    }


def _definition(
    version: FhirVersion, url: str, value: str, context: tuple[str, ...], says: str
) -> dict[str, Any]:
    name = url.rsplit("/", 1)[1]
    elements = [
        {**_element("Extension", 0, "*", (0, "*")), "short": says, "definition": says},
        _element("Extension.extension", 0, "0", (0, "*"), type=[{"code": "Extension"}]),
        _element("Extension.url", 1, "1", (1, "1"), type=[{"code": "uri"}], fixedUri=url),
        _element("Extension.value[x]", 1, "1", (0, "1"), type=[{"code": value}]),
    ]
    return {
        "resourceType": "StructureDefinition",
        "id": f"careplan-{name}",
        "url": url,
        "version": "1",
        "name": "".join(part.capitalize() for part in name.split("-")),
        "title": f"careplan {name}",
        "status": "active",
        "description": says,
        "fhirVersion": _FHIR_VERSION[version],
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": where} for where in context],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "snapshot": {"element": elements},
        "differential": {"element": [e for e in elements if e["id"] != "Extension.extension"]},
    }


def definitions(version: FhirVersion) -> dict[str, dict[str, Any]]:
    """The StructureDefinitions careplan's ``version`` export uses, by file name."""
    found = {}
    for url, value, r4, r5, says in EXTENSIONS:
        context = r4 if version == "r4" else r5
        if context:
            found[f"{url.rsplit('/', 1)[1]}.json"] = _definition(version, url, value, context, says)
    return found


def definitions_dir(version: FhirVersion) -> Path:
    """The folder of the shipped definitions for ``version``."""
    return Path(__file__).parent / "definitions" / version


def _write() -> None:
    versions: tuple[FhirVersion, ...] = ("r4", "r5")
    for version in versions:
        folder = definitions_dir(version)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.json"):
            stale.unlink()
        for name, definition in definitions(version).items():
            text = json.dumps(definition, indent=2, ensure_ascii=False) + "\n"
            (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    _write()
