"""The sector protocol: a sector is a named package of rulesets, found by entry point.

A sector package (built in, or installed with ``pip``) declares an entry point
in the group ``meldcode_rules.sectors``; the entry point names a :class:`Sector`
or a function without arguments that returns one::

    [project.entry-points."meldcode_rules.sectors"]
    sport = "meldcode_sector_sport:sector"

Loading an entry point imports Python code that the administrator installed;
the rulesets themselves stay data (YAML, no tags) and are checked like the
built-in ones. A sector can only *extend* the basismodel: the registry refuses
a sector whose ruleset does not extend it, and the compiler refuses a rule
that replaces a basismodel rule or concludes ``melden: nee`` (docs/plugins.md).

Extra facts: a plugin may give a pydantic model (``feiten``); its fields become
facts under the sector's name (``sport.vcp_geraadpleegd``). The case model of
that sector is :class:`~meldcode_rules.case.Case` plus that one field, so an
unknown field is still an error (``extra=forbid``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from meldcode_rules._version import __version__
from meldcode_rules.diagnostics import SectorError
from meldcode_rules.resources import shipped_dir

#: The entry-point group sector packages declare.
ENTRY_POINT_GROUP = "meldcode_rules.sectors"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
#: The distribution that ships the built-in sectors.
BUILTIN_DISTRIBUTION = "meldcode-rules"


@dataclass(frozen=True)
class Sector:
    """What a sector package gives: its name, rulesets and metadata.

    ``rulesets`` are YAML files or directories (every ``*.yaml`` below them);
    exactly one ruleset in them has ``sector: <name>`` and extends the
    basismodel. ``scenarios`` are scenario files or directories (optional).
    ``feiten`` is an optional pydantic model whose fields become facts under
    ``<name>.``; tri-state (:data:`~meldcode_rules.case.TriState`), a
    ``Literal`` choice ``| None`` or a ``list[Literal]``.
    """

    name: str
    titel: str
    versie: str
    bron: str
    rulesets: tuple[Path, ...]
    scenarios: tuple[Path, ...] = ()
    feiten: type[BaseModel] | None = None
    #: filled in by the registry: the distribution that declared the entry point
    distributie: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not NAME_PATTERN.match(self.name):
            raise SectorError(f"ongeldige sectornaam `{self.name}`: kleine letters, cijfers en `_`")
        if not self.rulesets:
            raise SectorError(f"sector `{self.name}` noemt geen rulesets")
        if self.feiten is not None and not (isinstance(self.feiten, type) and issubclass(self.feiten, BaseModel)):
            raise SectorError(f"sector `{self.name}`: `feiten` moet een pydantic-model zijn")

    @property
    def ingebouwd(self) -> bool:
        return self.distributie in (None, BUILTIN_DISTRIBUTION)

    @property
    def herkomst(self) -> str:
        """Where the sector comes from: ``ingebouwd`` or the distribution's name."""
        return "ingebouwd" if self.ingebouwd else str(self.distributie)


# ---------------------------------------------------------------- the built-in sectors

BUILTIN_SECTORS: tuple[tuple[str, str, str], ...] = (
    ("gezondheidszorg", "Gezondheidszorg", "KNMG-meldcode 2023 [KNMG-1][KNMG-VW][LHV]; Wkkgz art. 11 [WKKGZ][SKIPR]"),
    ("jeugdhulp", "Jeugdhulp", "Jeugdwet art. 1.1 en 4.1.8 [JW][IGJ][TSD]"),
    ("onderwijs", "Onderwijs", "Meld- en aangifteplicht zedendelicten, WPO art. 4a [WPO][WVO][OI][ROVO]"),
    ("kinderopvang", "Kinderopvang", "Meld-, overleg- en aangifteplicht, Wet kinderopvang [WKO][PED][KNGO]"),
    ("maatschappelijke_ondersteuning", "Maatschappelijke ondersteuning", "Wmo 2015 art. 1.1.1 en 3.4 [WMO]"),
    ("justitie", "Justitie (reclassering, DJI, Halt)", "Besluit verplichte meldcode [BESLUIT]"),
)


def _builtin(name: str) -> Sector:
    titel, bron = next((t, b) for n, t, b in BUILTIN_SECTORS if n == name)
    scenarios = shipped_dir("scenarios") / name
    return Sector(
        name=name,
        titel=titel,
        versie=__version__,
        bron=bron,
        # a later or earlier version of the same ruleset: rulesets/<name>-<versie>.yaml
        rulesets=(
            shipped_dir("rulesets") / f"{name}.yaml",
            *sorted(shipped_dir("rulesets").glob(f"{name}-*.yaml")),
        ),
        scenarios=(scenarios,) if scenarios.is_dir() else (),
        distributie=BUILTIN_DISTRIBUTION,
    )


# The entry points of the built-in sectors (pyproject.toml) name these functions.
def gezondheidszorg() -> Sector:
    return _builtin("gezondheidszorg")


def jeugdhulp() -> Sector:
    return _builtin("jeugdhulp")


def onderwijs() -> Sector:
    return _builtin("onderwijs")


def kinderopvang() -> Sector:
    return _builtin("kinderopvang")


def maatschappelijke_ondersteuning() -> Sector:
    return _builtin("maatschappelijke_ondersteuning")


def justitie() -> Sector:
    return _builtin("justitie")
