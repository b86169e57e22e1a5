"""Layer 1, the values: everything a care plan is made of.

Time helpers and errors, vocabularies (session kinds, treatment tracks),
levels and continua, sessions and weekly schedules, a client's week and a
clinic's program, calendar changes, the records a plan holds (transitions,
attendance, authorizations) and the plan itself, plus the report validation
returns. Frozen attrs values and the checks their constructors make.

May import: the standard library, attrs and pendulum, and its own modules,
each only from modules below it (``errors`` and ``time`` at the bottom,
``plan`` at the top). Never ``careplan._operations`` or
``careplan._adapters``: a method that needs them (``CarePlan.occurrences``,
``WeeklySchedule.grid``) calls a :class:`~careplan._model.hooks.Hook`
that the owning layer fills in.
"""
