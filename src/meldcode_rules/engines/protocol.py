"""What an engine is and what it answers: :class:`Fired`, which rules fire for one case.

Its own module so that both engines and ``judge`` (which reads a :class:`Fired`)
import it from the stage that produces it, and ``engines/__init__`` can load the
engines lazily without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from meldcode_rules.compiler.compile import CompiledRuleset


@dataclass(frozen=True)
class Fired:
    """Which rules fire: certainly (``zeker``) and under some answer to the unknowns."""

    zeker: frozenset[str]
    mogelijk: frozenset[str]


class Engine(Protocol):
    name: str

    def fire(self, compiled: CompiledRuleset, flat: dict[str, Any]) -> Fired: ...
