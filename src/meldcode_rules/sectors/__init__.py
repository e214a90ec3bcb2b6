"""Sectors: the :class:`Sector` protocol and the built-in sectors (``builtin``, named by the
entry points ``meldcode_rules.sectors:NAME``) and the registry that compiles them (``registry``)."""

from meldcode_rules.sectors.builtin import (
    Sector,
    SectorError,
    gezondheidszorg,
    jeugdhulp,
    justitie,
    kinderopvang,
    maatschappelijke_ondersteuning,
    onderwijs,
)

__all__ = [
    "Sector",
    "SectorError",
    "gezondheidszorg",
    "jeugdhulp",
    "justitie",
    "kinderopvang",
    "maatschappelijke_ondersteuning",
    "onderwijs",
]
