"""Draw the README's picture of the weekly grid: the docs build runs this (see conf.py).

Headless Chromium renders the grid of the working parent's evening IOP as a
notebook shows it, into ``docs/_generated/_static/weekly-grid.png`` (not
committed); the build publishes it as ``_static/weekly-grid.png``, the
address the README shows. Chromium is a system package (Debian:
``apt-get install chromium``); without it the picture is not drawn and the
build says so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from careplan.demo import working_parent_plan

OUT = Path(__file__).parent / "_generated" / "_static"
WIDTH = 820


def chromium() -> str | None:
    """The Chromium program, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def draw(out: Path = OUT / "weekly-grid.png") -> bool:
    """Write the picture to ``out``; False when Chromium is not installed."""
    program = chromium()
    if program is None:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    grid = working_parent_plan().schedule.to_html(title="A working parent's evening IOP")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "grid.html"
        page.write_text(
            "<!doctype html><html><head><meta charset='utf-8'></head>"
            f"<body style='margin:0;background:transparent'>{grid}</body></html>",
            encoding="utf-8",
        )
        shot = Path(folder) / "shot.png"
        subprocess.run(
            [
                program,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-background-networking",
                "--default-background-color=00000000",
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--window-size={WIDTH},1600",
                f"--screenshot={shot}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
            cwd=folder,
        )
        with Image.open(shot) as image:
            # The page is transparent: keep the grid, drop the empty rest.
            box = image.getchannel("A").getbbox()
            image.crop(box).save(out, optimize=True)
    return True


if __name__ == "__main__":
    print("drawn" if draw() else "not drawn: Chromium is not installed")
