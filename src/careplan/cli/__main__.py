"""``python -m careplan.cli``: the ``careplan`` command line, as ``python -m careplan`` runs it."""

from __future__ import annotations

import sys

from careplan.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
