"""Stage 1 input: the case file model (``model``), the fact catalog derived from it (``facts``)
and the fast reader for plain JSON-shaped dicts (``flat_reader``)."""

from meldcode_rules.case.model import (
    Afweging,
    Case,
    Kindcheck,
    Melding,
    Sectorfeiten,
    Stappen,
    Tri,
    TriState,
    vraag,
)

__all__ = ["Afweging", "Case", "Kindcheck", "Melding", "Sectorfeiten", "Stappen", "Tri", "TriState", "vraag"]
