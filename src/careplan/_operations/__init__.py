"""Layer 2, the operations: pure functions that read values and make new ones.

Expansion of schedules into occurrences, weekly figures, delivered care,
the validation rules and their registry, the weekly planner, and the moves
between levels (step up, step down, schedule change, discharge).

May import: ``careplan._model`` and its own modules. Never
``careplan._adapters`` nor the public adapter modules.
"""
