"""Layer 3, the adapters: values in and out of other formats.

The versioned JSON document, iCalendar (with its VTIMEZONE writer), the
notebook and terminal views, and the plain-text summary. The public modules
``careplan.fhir`` (a package: R5, R4, reading, codes) and ``careplan.cli``
belong to this layer too.

May import: ``careplan._model``, ``careplan._operations`` and its own
modules. Nothing imports an adapter except other adapters and the public
surface.
"""
