"""A cattrs converter for careplan's values, for services that already use cattrs.

A service that structures its requests with `cattrs <https://catt.rs/>`_
can take a care plan, a continuum or a payer rule pack in a request body
the same way :func:`careplan.from_json` reads one: the same document, the
same checks, the same :class:`~careplan.DocumentError` (with the path of the
bad field) for anything wrong.
"""

from __future__ import annotations

from typing import Any

import cattrs

from careplan._adapters.payer_packs import payer_rules_from_data, payer_rules_to_data
from careplan._model.levels import Continuum
from careplan._model.limits import MAX_PLAN_YEARS
from careplan._model.payer import PayerRules
from careplan._model.plan import CarePlan
from careplan.document import continuum_from_data, continuum_to_data, plan_from_data, plan_to_data

__all__ = ["converter"]


def converter(
    base: cattrs.Converter | None = None, *, max_years: int = MAX_PLAN_YEARS
) -> cattrs.Converter:
    """A cattrs converter that structures and unstructures careplan's documents.

    :class:`~careplan.CarePlan` is read and written as the ``careplan/1``
    document (:func:`careplan.plan_from_data`, :func:`careplan.plan_to_data`),
    :class:`~careplan.Continuum` and :class:`~careplan.PayerRules` as their
    own documents.

    Args:
        base: A converter of the service's own to add careplan's hooks to;
            a new :class:`cattrs.Converter` by default.
        max_years: The longest plan read, as :func:`careplan.from_json` takes it.

    >>> import careplan as cp
    >>> from careplan.demo import sample_plan
    >>> c = cp.converter()
    >>> plan = sample_plan()
    >>> c.structure(c.unstructure(plan), cp.CarePlan) == plan
    True
    """
    found = cattrs.Converter() if base is None else base

    def plan(data: Any, _: type) -> CarePlan:
        return plan_from_data(data, max_years=max_years)

    found.register_structure_hook(CarePlan, plan)
    found.register_unstructure_hook(CarePlan, plan_to_data)
    found.register_structure_hook(Continuum, lambda data, _: continuum_from_data(data))
    found.register_unstructure_hook(Continuum, continuum_to_data)
    found.register_structure_hook(PayerRules, lambda data, _: payer_rules_from_data(data))
    found.register_unstructure_hook(PayerRules, payer_rules_to_data)
    return found
