"""The notebook grid in a real browser: headless Chromium renders it.

Chromium is a system package (Debian: ``apt-get install chromium``); the
test suite never installs it. Where it is missing these tests are skipped
and say so.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from careplan.demo import working_parent, working_parent_plan

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium); "
    "the browser rendering of the weekly grid is not checked",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _page(tmp_path: Path) -> Path:
    grid = working_parent_plan().schedule.to_html(working_parent(), title="Evening IOP")
    page = tmp_path / "grid.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'></head>"
        f"<body style='margin:12px;background:#fff'>{grid}</body></html>",
        encoding="utf-8",
    )
    return page


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


@needs_chromium
def test_chromium_lays_out_every_session_and_busy_block(tmp_path):
    page = _page(tmp_path)
    done = _run(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    dom = done.stdout.decode()
    sessions = working_parent_plan().schedule.sessions
    assert dom.count('class="session ') == len(sessions)
    assert 'class="busy"' in dom
    assert "Psychiatric / medication management" in dom


@needs_chromium
def test_chromium_screenshot_of_the_grid(tmp_path):
    page = _page(tmp_path)
    shot = tmp_path / "grid.png"
    done = _run(tmp_path, "--window-size=760,1000", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (760, 1000)
    assert len(data) > 10_000  # a blank page compresses to far less
