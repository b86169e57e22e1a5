"""``python -m careplan``: the ``careplan`` command line, for when the script is not on PATH."""

from __future__ import annotations

import sys

from careplan.cli import main

if __name__ == "__main__":
    sys.exit(main())
