"""The notebook grid in a real browser: headless Chromium renders it.

Chromium is a system package (Debian: ``apt-get install chromium``), which
``.ci/run`` installs. Where it is missing these tests are skipped and say
so, except where ``CAREPLAN_REQUIRE_ORACLES`` is set (on CI): there they fail.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from careplan.demo import working_parent, working_parent_plan

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_MISSING = (
    "headless Chromium is not installed (Debian: apt-get install chromium); "
    "the browser rendering of the weekly grid is not checked"
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CAREPLAN_REQUIRE_ORACLES"), reason=_MISSING
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


# Measures what the browser laid out and writes it into the page, for --dump-dom.
_MEASURE = """<script>
window.addEventListener('load', () => {
  const found = [...document.querySelectorAll('.session')].map(e => {
    const box = e.getBoundingClientRect();
    const label = e.querySelector('.label');
    const text = label.getBoundingClientRect();
    return {
      minutes: Number(e.dataset.minutes),
      height: box.height,
      colour: getComputedStyle(e).color,
      background: getComputedStyle(e).backgroundColor,
      label: label.textContent,
      hover: e.title,
      // The label lies inside its block, and nothing of it is cut sideways.
      label_shown: text.top >= box.top - 0.5 && text.bottom <= box.bottom + 0.5
        && text.left >= box.left - 0.5 && text.right <= box.right + 0.5
        && label.scrollWidth <= label.clientWidth,
    };
  });
  const grid = document.querySelector('.careplan-week').getBoundingClientRect();
  const legend = document.querySelector('.careplan-week .legend');
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({
    blocks: found,
    grid_width: grid.width,
    page_width: document.body.clientWidth,
    legend: legend ? legend.innerText : null,
    legend_colour: legend ? getComputedStyle(legend).color : null,
  });
  document.body.appendChild(out);
});
</script>"""


def _page(tmp_path: Path, background: str = "#fff", text: str = "#000") -> Path:
    grid = working_parent_plan().schedule.to_html(working_parent(), title="Evening IOP")
    page = tmp_path / "grid.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'></head>"
        f"<body style='margin:12px;background:{background};color:{text}'>{grid}{_MEASURE}"
        "</body></html>",
        encoding="utf-8",
    )
    return page


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if CHROMIUM is None:
        pytest.fail(_MISSING)
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


def _measured(tmp_path: Path, background: str, text: str, width: int = 760) -> dict[str, Any]:
    page = _page(tmp_path, background, text)
    done = _run(tmp_path, f"--window-size={width},1000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    (found,) = re.findall(r'<pre id="measured">(.*?)</pre>', done.stdout.decode(), re.S)
    measured: dict[str, Any] = json.loads(html.unescape(found))
    return measured


@needs_chromium
@pytest.mark.parametrize(
    ("background", "text"), [("#ffffff", "#000000"), ("#1e1e1e", "#d4d4d4")], ids=["light", "dark"]
)
def test_rendered_heights_follow_durations_on_light_and_dark_pages(tmp_path, background, text):
    blocks = _measured(tmp_path, background, text)["blocks"]
    assert len(blocks) == len(working_parent_plan().schedule.sessions)
    per_minute = {round(float(b["height"]) / int(b["minutes"]), 2) for b in blocks}
    assert len(per_minute) == 1  # a 30-minute block is half a 60-minute one
    # The grid brings its own ink: a dark page's light text does not leak in.
    assert {b["colour"] for b in blocks} == {"rgb(26, 26, 26)"}
    assert all(b["background"] != "rgba(0, 0, 0, 0)" for b in blocks)


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


@needs_chromium
@pytest.mark.parametrize("width", [600, 760, 1200], ids=["narrow", "docs", "wide"])
@pytest.mark.parametrize(
    ("background", "text"), [("#ffffff", "#000000"), ("#1e1e1e", "#d4d4d4")], ids=["light", "dark"]
)
def test_every_label_is_whole_and_the_legend_reads_on_light_and_dark_pages(
    tmp_path, width, background, text
):
    measured = _measured(tmp_path, background, text, width)
    sessions = working_parent_plan().schedule.sessions
    titles = {s.display_title for s in sessions}
    blocks = measured["blocks"]
    assert {b["label"] for b in blocks} == titles
    for block in blocks:
        # Each label is shown whole; hovering gives it too, with time and modality.
        assert block["label_shown"], (width, block)
        assert block["hover"].startswith(block["label"] + " · ")
        assert block["hover"].split(" · ")[-1] in {"in person", "online", "every 2 weeks"}
    # The grid takes the page's width, not a fixed 36em.
    assert measured["grid_width"] >= 0.95 * measured["page_width"]
    legend = measured["legend"]
    for label in (*titles, "every 2 weeks", "busy (the client's week)", "evening"):
        assert label in legend, label
    assert measured["legend_colour"] == "rgb(26, 26, 26)"  # its own ink, on a dark page too


_ROOT = Path(__file__).parent.parent
_DOCS = "https://careplan.readthedocs.io/en/latest/"


def test_the_readmes_links_and_picture_work_outside_the_repository():
    # A package index shows the README without the repository around it, so
    # every link and the picture point at the published docs, and each
    # names a page the docs build makes (or the picture it draws).
    readme = (_ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", readme)
    assert targets
    for target in targets:
        assert target.startswith(_DOCS), target
        page = target[len(_DOCS) :]
        if page == "_static/weekly-grid.png":
            continue
        assert page.endswith(".html"), target
        assert (_ROOT / "docs" / page.replace(".html", ".md")).exists(), target
    assert f"{_DOCS}_static/weekly-grid.png" in targets


@needs_chromium
def test_the_docs_build_draws_the_readmes_picture(tmp_path):
    import runpy

    draw = runpy.run_path(str(_ROOT / "docs" / "readme_image.py"))["draw"]
    out = tmp_path / "weekly-grid.png"
    assert draw(out) is True
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    # Cropped to the grid: as wide as drawn, and not the whole window's height.
    assert width == 820
    assert 250 < height < 1600
