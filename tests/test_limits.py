"""docs/limits.md and meldcode_rules/limits.py agree: every limit is documented with its value."""

from __future__ import annotations

from pathlib import Path

from meldcode_rules import limits
from meldcode_rules.load.ruleset import TERMIJN_PATTERN

DOC = (Path(__file__).parents[1] / "docs" / "limits.md").read_text(encoding="utf-8")


def test_every_limit_is_on_the_limits_page() -> None:
    names = [n for n in dir(limits) if n.isupper()]
    assert names
    for name in names:
        assert f"`{name}`" in DOC or f"({name})" in DOC or name in DOC, name


def test_the_termijn_pattern_allows_exactly_max_termijn() -> None:
    assert TERMIJN_PATTERN.match(f"{limits.MAX_TERMIJN} weken")
    assert not TERMIJN_PATTERN.match(f"{limits.MAX_TERMIJN + 1} weken")


def test_the_page_is_in_the_site_navigation() -> None:
    mkdocs = (Path(__file__).parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    assert "limits.md" in mkdocs
