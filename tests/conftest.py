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
