"""``--ruleset PATH``: judge against edited ruleset files instead of the installed ones.

One option for ``evaluate``, ``explain``, ``batch``, ``oefen`` (and ``test``), so a trainer
can try one case against an edited ruleset before it is installed. The rulesets under the
paths are parsed once per sector (``scenarios.ruleset_for``), exactly as ``test`` does, and
each case is judged by the versions under them in force on its own date (or ``--versie``),
chosen as for the installed rulesets (:func:`meldcode_rules.sectors.registry.choose`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from meldcode_rules.scenarios.scenarios import ruleset_for
from meldcode_rules.sectors.registry import Versies

HELP = (
    "Rulesetbestand of -map om mee te beoordelen in plaats van de geïnstalleerde rulesets "
    "(mag vaker; de sector kiest de ruleset met dat `sector`-veld, anders het basismodel)."
)


def ruleset_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--ruleset",
        "-r",
        "rulesets",
        multiple=True,
        type=click.Path(path_type=Path, exists=True),
        help=HELP,
    )(function)


def chosen(rulesets: tuple[Path, ...], sector: str | None) -> Versies | None:
    """The versions to judge with: ``None`` (the installed ones) unless ``--ruleset`` was given."""
    if not rulesets:
        return None
    return ruleset_for(sector, list(rulesets))
