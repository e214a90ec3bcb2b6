"""FICTIEF voorbeeld van een sectorpakket: sportverenigingen.

Sportverenigingen vallen niet onder de Wet verplichte meldcode, en voor de
regels hier is geen bron gevonden: ze tonen hoe een sectorpakket werkt (een
ruleset die het basismodel uitbreidt, eigen feiten onder ``sport.`` en eigen
scenario's), niet wat een sportclub moet. Zie docs/plugins.md.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from meldcode_rules.case import Tri, TriState, vraag
from meldcode_rules.sectors import Sector

__version__ = "0.1.0"
HERE = Path(__file__).parent


class SportFeiten(BaseModel):
    """De feiten van deze sector; in een casus staan ze onder `sport:`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vcp_geraadpleegd: TriState = Field(
        default=Tri.onbekend,
        description="De vertrouwenscontactpersoon (VCP) van de vereniging is geraadpleegd.",
        json_schema_extra=vraag("Is de vertrouwenscontactpersoon van de vereniging geraadpleegd?"),
    )
    begeleider_verdacht: TriState = Field(
        default=Tri.onbekend,
        description="Een trainer, coach of andere begeleider van de vereniging wordt verdacht.",
        json_schema_extra=vraag("Wordt een trainer, coach of andere begeleider van de vereniging verdacht?"),
    )


def sector() -> Sector:
    """Het entry point (``meldcode_rules.sectors``: ``sport``)."""
    return Sector(
        name="sport",
        titel="Sportverenigingen (FICTIEF voorbeeld)",
        versie=__version__,
        bron="FICTIEF voorbeeld zonder bron: sportverenigingen vallen niet onder de Wet verplichte meldcode",
        rulesets=(HERE / "rulesets",),
        scenarios=(HERE / "scenarios",),
        feiten=SportFeiten,
    )
