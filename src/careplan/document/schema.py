"""The JSON Schema of the ``careplan/1`` document, generated from its classes."""

from __future__ import annotations

import typing
from types import UnionType
from typing import Any, Union, get_args, get_origin

import attrs

from careplan.document.decode import FORMAT
from careplan.document.shape import PlanDoc

__all__ = ["json_schema"]


def _schema_of(type_: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(type_)
    if type_ is str:
        return {"type": "string"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is float:
        return {"type": "number"}
    if type_ is type(None):
        return {"type": "null"}
    if origin is list:
        return {"type": "array", "items": _schema_of(get_args(type_)[0], definitions)}
    if origin is dict:
        return {
            "type": "object",
            "additionalProperties": _schema_of(get_args(type_)[1], definitions),
        }
    if origin in (Union, UnionType):
        return {"anyOf": [_schema_of(arg, definitions) for arg in get_args(type_)]}
    if attrs.has(type_):
        name = type_.__name__.strip("_").removesuffix("Doc")
        if name not in definitions:
            definitions[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(type_)
            properties = {}
            required = []
            for field in attrs.fields(type_):
                properties[field.name] = _schema_of(hints[field.name], definitions)
                if field.default is attrs.NOTHING:
                    required.append(field.name)
            definitions[name] = {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {type_!r}")  # pragma: no cover - a new field type


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``careplan/1`` document.

    Generated from the document's own classes, so it cannot drift from what
    :func:`from_json` reads. It checks structure and types; values (a time
    like ``"25:00"``, an unknown zone) are checked by :func:`from_json`.

    >>> schema = json_schema()
    >>> schema["properties"]["format"]
    {'const': 'careplan/1'}
    """
    definitions: dict[str, Any] = {}
    root = _schema_of(PlanDoc, definitions)
    plan = definitions.pop(root["$ref"].rsplit("/", 1)[1])
    plan["properties"]["format"] = {"const": FORMAT}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://careplan.readthedocs.io/schema/careplan-1.json",
        "title": "careplan/1 document",
        **plan,
        "$defs": definitions,
    }
