"""Testvoorbeeld: een sector die het basismodel probeert te verzwakken; meldcode-rules weigert hem."""

from __future__ import annotations

from pathlib import Path

from meldcode_rules.sectors import Sector


def sector() -> Sector:
    return Sector(
        name="verzwakt",
        titel="Verzwakt (testvoorbeeld, wordt geweigerd)",
        versie="0.1.0",
        bron="testvoorbeeld",
        rulesets=(Path(__file__).parent / "rulesets",),
    )
