"""The HTML page of a ruleset renders in a real browser (headless Chromium) and is not blank."""

from __future__ import annotations

from pathlib import Path

from browser import screenshot
from meldcode_rules.explain import render
from meldcode_rules.sectors.registry import compiled_for


def test_html_page_renders_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "basismodel.html"
    page.write_text(render.html(compiled_for(None)), encoding="utf-8")
    width, height, pixels = screenshot(page, tmp_path, 1200, 2000)
    assert (width, height) == (1200, 2000)
    colours = set(pixels)
    # a blank page has one colour; text, the coloured boxes and the table give many
    assert len(colours) > 20, f"de pagina lijkt leeg: {len(colours)} kleuren"
    # the red "melden" boxes (#fde2e1) of the afwegingskader are drawn
    assert bytes((0xFD, 0xE2, 0xE1)) in colours
