"""The monitor's HTML report opens offline in headless Chromium, with its charts and work list.

Chromium comes from tests/browser.py, as for tests/test_screenshot.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from browser import screenshot
from meldcode_rules.monitor import Opties, monitor
from meldcode_rules.monitor.html import html_report
from meldcode_rules.monitor.report import rapport
from meldcode_rules.monitor.synthetic import Mix, write_jsonl

OP = dt.date(2026, 12, 1)


def report_page(tmp_path: Path) -> str:
    path = tmp_path / "dossiers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(out, 250, seed=31, mix=Mix(peildatum=OP))
    return html_report(rapport(monitor([path], Opties(op=OP, engine="reference")), OP, 5))


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    page = report_page(tmp_path)
    assert page.count("<svg") == 2  # trends per month, overdue per sector
    assert "<script" not in page.lower()
    # nothing is fetched: no URL to load, no web font, and a policy that forbids loading at all
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@font-face" not in page and "@import" not in page
    assert "default-src 'none'" in page
    assert "&lt;5" in page  # small cells suppressed
    assert "Werklijst" in page and "d0000" in page


def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "monitor.html"
    page.write_text(report_page(tmp_path), encoding="utf-8")
    width, height, pixels = screenshot(page, tmp_path, 1200, 1600)
    assert (width, height) == (1200, 1600)
    colours = set(pixels)
    assert len(colours) > 20, f"de pagina lijkt leeg: {len(colours)} kleuren"

    # the charts are drawn: the blue of the first series (#1f5fa8) and the red of the second (#c0392b)
    def near(target: tuple[int, int, int]) -> bool:
        return any(all(abs(c - t) <= 6 for c, t in zip(p, target, strict=True)) for p in colours)

    assert near((0x1F, 0x5F, 0xA8)), "de grafieken ontbreken (geen blauw)"
    assert near((0xC0, 0x39, 0x2B)), "de grafieken ontbreken (geen rood)"
