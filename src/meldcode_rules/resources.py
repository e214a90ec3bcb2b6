"""Where the shipped data lives: inside the wheel (``meldcode_rules/_rulesets`` and friends,
see ``[tool.hatch.build.targets.wheel.force-include]``) or, in a source checkout, the folders
``rulesets/``, ``schemas/`` and ``scenarios/`` at the repository root. One place, so no stage
works out its own path from ``__file__``."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The shipped folder ``name`` (``rulesets``, ``schemas``, ``scenarios``)."""
    packaged = _PACKAGE / f"_{name}"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parents[1] / name
