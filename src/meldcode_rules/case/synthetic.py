"""Fictional case facts, drawn at random over a fact catalog: for benchmarks and digests.

Every fact a case file can state is left out (``onbekend``, or empty) with probability
``weglaten``, or given an answer in one of its JSON spellings (``"ja"``, ``true``, ``null``...),
so the readers and the caches meet the variety a case system sends. Facts derived from a
dossier's events (``tijd.*``) are never drawn: no case file states them. Nothing here is a real
person's data.
"""

from __future__ import annotations

import random
from typing import Any

from meldcode_rules.case.facts import FactCatalog

__all__ = ["random_facts"]


def random_facts(rng: random.Random, catalog: FactCatalog, *, weglaten: float = 0.4) -> dict[str, Any]:
    """One case's facts (nested as in a case file), drawn with ``rng``; no ``datum`` or ``sector``."""
    derived = {spec.path for spec in catalog.derived}
    facts: dict[str, Any] = {}
    for spec in catalog:
        if spec.path in derived:
            continue
        if rng.random() < weglaten:
            continue
        if spec.kind == "tri":
            value: Any = rng.choice(["ja", "nee", "onbekend", True, False, None])
        elif spec.kind == "keuze":
            value = rng.choice([*spec.values, None])
        else:
            value = rng.sample(list(spec.values), rng.randint(0, min(3, len(spec.values))))
        *parents, leaf = spec.path.split(".")
        node = facts
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return facts
