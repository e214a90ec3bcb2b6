from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meldcode_rules.sectors.registry import builtin_ruleset_dir


@pytest.fixture
def rulesets(tmp_path: Path) -> Path:
    """A writable copy of the shipped rulesets."""
    target = tmp_path / "rulesets"
    shutil.copytree(builtin_ruleset_dir(), target)
    return target


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The mutation self-test takes the longest by far; started first, it runs on one core
    # while the rest of the suite shares the other (pytest-xdist, `-n 2`), so it does not
    # set the length of the run alone at its end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
