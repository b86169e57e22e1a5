"""The ``careplan/1`` JSON document: its shape, reading, writing and schema.

- :mod:`~careplan.document.shape`: one small class per JSON object;
- :mod:`~careplan.document.decode`: JSON text to those classes, strictly
  (repeated keys, overlong numbers and wrong types are refused);
- :mod:`~careplan.document.read` (and :mod:`~careplan.document.care` for the
  plan of care, :mod:`~careplan.document.fields` for single values): the
  classes to a plan, every error at its document path;
- :mod:`~careplan.document.write`: a plan to the classes and to JSON;
- :mod:`~careplan.document.schema`: the JSON Schema, from the classes;
- :mod:`~careplan.document.paths`: the one helper that maps an error to a
  document path, and what an error shows of a refused value.

The public functions are importable from :mod:`careplan` too.
"""

from __future__ import annotations

from careplan.document.decode import FORMAT, MAX_DIGITS
from careplan.document.read import (
    continuum_from_data,
    continuum_from_json,
    from_json,
    plan_from_data,
)
from careplan.document.schema import json_schema
from careplan.document.write import continuum_to_data, plan_to_data, to_json

__all__ = [
    "FORMAT",
    "MAX_DIGITS",
    "continuum_from_data",
    "continuum_from_json",
    "continuum_to_data",
    "from_json",
    "json_schema",
    "plan_from_data",
    "plan_to_data",
    "to_json",
]
