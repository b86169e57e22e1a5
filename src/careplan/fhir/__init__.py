"""FHIR both ways: R5 or R4 (US Core) Bundles out, either read back in.

:func:`to_fhir` writes one ``CarePlan`` (status, intent, subject, period,
the level of care as category, the plan's id as an identifier), a ``Goal``
per goal, an ``EpisodeOfCare`` per level-of-care episode (with its time
zone and the reason it began), the ``Patient`` they are about, carrying only
the client's identifier (and the name when asked for), and the sessions: in
R5 an ``Appointment`` per session series with a weekly
``recurrenceTemplate``, ``basedOn`` the CarePlan, and an exception
Appointment per moved occurrence; in R4, which has no recurring
appointments, an activity ``detail`` per series and an ``Appointment`` per
occurrence. Following FHIR JSON, no element is ever an empty array, object
or string. Substance-use-disorder treatment is labelled as 42 CFR Part 2
records. :func:`from_fhir` reads either version back into a plan with the
same occurrences. A plan of care adds a
``ServiceRequest`` per intervention (a ``CarePlan`` activity, and what the
appointments of its session kinds are ``basedOn``, beside the CarePlan),
goal targets from the objectives (LOINC for instruments), an
``Observation`` per measurement and, only when diagnoses are asked for, a
``Condition`` per problem. Only when asked for (``safety=True``), the
suicide-risk records: screens as ``Observation``s, risk assessments as
``RiskAssessment``s and safety plans as ``QuestionnaireResponse``s the
``CarePlan`` links; :func:`from_fhir` reads them back.

The output is plain JSON-ready data and needs no extra package. With the
``fhir`` extra installed (from a checkout, ``pip install -e '.[fhir]'``),
``validate=True`` checks it against the models of fhir.resources.

Level codes have no official HL7 code system; careplan uses
``https://careplan.readthedocs.io/fhir/CodeSystem/<continuum>`` (for example
``.../default`` with codes ``OP``, ``IOP``, ``PHP``, ``RES``, ``INP``), and
says what FHIR has no element for in extensions under
``https://careplan.readthedocs.io/fhir/StructureDefinition/``.

>>> from careplan.demo import sample_plan
>>> bundle = to_fhir(sample_plan())
>>> sorted({entry["resource"]["resourceType"] for entry in bundle["entry"]})
['Appointment', 'CarePlan', 'EpisodeOfCare', 'Goal', 'Patient']
"""

from __future__ import annotations

from careplan.fhir._codes import CODE_SYSTEM_BASE, FhirVersion
from careplan.fhir._r5 import to_fhir
from careplan.fhir._read import from_fhir

__all__ = ["CODE_SYSTEM_BASE", "FhirVersion", "from_fhir", "to_fhir"]
