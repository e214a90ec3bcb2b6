"""The ruleset format: what a trainer writes in ``rulesets/*.yaml``.

These models are the single definition of the format; the JSON Schema that
editors use for completion is generated from them (``meldcode-rules schema``).
Conditions are data (a tree of ``alle``/``een_van``/``niet`` over fact tests):
nothing in a ruleset is ever executed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

Melden = Literal["ja", "nee", "onbekend"]
Besluit = Literal[
    "afsluiten",
    "verder_met_stappen",
    "hulp_bieden_of_organiseren",
    "onvoldoende_informatie",
    "melden",
    "melden_en_hulp",
]

#: From least to most protective: when rules disagree, the later one wins.
MELDEN_ORDE: tuple[Melden, ...] = ("nee", "onbekend", "ja")
BESLUIT_ORDE: tuple[Besluit, ...] = (
    "afsluiten",
    "verder_met_stappen",
    "hulp_bieden_of_organiseren",
    "onvoldoende_informatie",
    "melden",
    "melden_en_hulp",
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
TERMIJN_PATTERN = re.compile(
    r"^(direct|(?P<n>[1-9][0-9]*) (?P<eenheid>uur|uren|dag|dagen|werkdag|werkdagen|week|weken))$"
)


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FeitTest(_Node):
    """A test of one fact. Exactly one of the operators is given."""

    feit: str = Field(description="De naam van het feit, bijvoorbeeld `afweging.acute_onveiligheid`.")
    is_: str | None = Field(
        default=None,
        alias="is",
        description="Het antwoord is deze waarde (`ja`, `nee`, `onbekend`, of een keuzewaarde).",
    )
    is_niet: str | None = Field(default=None, description="Het antwoord is niet deze waarde.")
    in_: list[str] | None = Field(default=None, alias="in", description="Het antwoord is een van deze waarden.")
    bevat: str | None = Field(default=None, description="De lijst bevat deze waarde.")
    bevat_een_van: list[str] | None = Field(default=None, description="De lijst bevat minstens een van deze waarden.")

    def operator(self) -> tuple[str, Any]:
        given = [
            (name, value)
            for name, value in (
                ("is", self.is_),
                ("is_niet", self.is_niet),
                ("in", self.in_),
                ("bevat", self.bevat),
                ("bevat_een_van", self.bevat_een_van),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise ValueError("precies een operator")
        return given[0]

    @field_validator("bevat_een_van", "in_")
    @classmethod
    def _not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("de lijst mag niet leeg zijn")
        return value

    def model_post_init(self, __context: Any) -> None:
        operators = [v for v in (self.is_, self.is_niet, self.in_, self.bevat, self.bevat_een_van) if v is not None]
        if len(operators) != 1:
            raise ValueError("een feittest heeft precies een operator: is, is_niet, in, bevat of bevat_een_van")


class Alle(_Node):
    alle: list[Conditie] = Field(min_length=1, description="Alle voorwaarden gelden.")


class EenVan(_Node):
    een_van: list[Conditie] = Field(min_length=1, description="Minstens een voorwaarde geldt.")


class Niet(_Node):
    niet: Conditie = Field(description="De voorwaarde geldt niet.")


class BegripRef(_Node):
    """A named condition (see ``begrippen``), written out where it is used."""

    begrip: str = Field(description="De naam van een begrip uit deze of een uitgebreide ruleset.")


CONDITIE_SLEUTELS = ("alle", "een_van", "niet", "feit", "begrip")


def _conditie_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in CONDITIE_SLEUTELS:
            if key in value:
                return key
        return None
    if isinstance(value, BaseModel):
        return {
            Alle: "alle",
            EenVan: "een_van",
            Niet: "niet",
            FeitTest: "feit",
            BegripRef: "begrip",
        }.get(type(value))
    return None


Conditie = Annotated[
    Annotated[Alle, Tag("alle")]
    | Annotated[EenVan, Tag("een_van")]
    | Annotated[Niet, Tag("niet")]
    | Annotated[FeitTest, Tag("feit")]
    | Annotated[BegripRef, Tag("begrip")],
    Discriminator(
        _conditie_tag,
        custom_error_type="conditie",
        custom_error_message="een voorwaarde begint met `alle`, `een_van`, `niet`, `feit` of `begrip`",
    ),
]
Alle.model_rebuild()
EenVan.model_rebuild()
Niet.model_rebuild()


class Actie(_Node):
    code: str = Field(description="Een actiecode uit de actielijst (bijvoorbeeld `melden_veilig_thuis`).")
    tekst: str = Field(min_length=1, description="Wat de professional doet, in het Nederlands.")
    termijn: str | None = Field(
        default=None,
        pattern=TERMIJN_PATTERN.pattern,
        description="`direct`, of `<n> uur`, `<n> dagen`, `<n> werkdagen`, `<n> weken`.",
    )


class Conclusie(_Node):
    """What a rule concludes when its condition holds. Conclusions combine protectively."""

    melden: Melden | None = Field(default=None, description="Moet de professional nu melden?")
    besluit: Besluit | None = None
    stap: int | None = Field(default=None, ge=1, le=5, description="De stap waarin de casus is.")
    acties: list[Actie] = Field(default_factory=list)
    vastleggen: list[str] = Field(default_factory=list, description="Wat nu in het dossier hoort.")
    vragen: list[str] = Field(default_factory=list, description="Feiten waarvan het antwoord nog nodig is (feitnamen).")


class Begrip(_Node):
    """A named condition that rules can use as ``{begrip: naam}``.

    A begrip is written out in place when the ruleset is compiled; it is not
    a rule and concludes nothing, so rules still only test facts.
    """

    id: str = Field(pattern=ID_PATTERN)
    titel: str = Field(min_length=1)
    bron: str = Field(min_length=1)
    als: Conditie


class Regel(_Node):
    id: str = Field(pattern=ID_PATTERN, description="Unieke, stabiele naam van de regel.")
    titel: str = Field(min_length=1)
    bron: str = Field(min_length=1, description="De bron die deze regel vastlegt (verplicht).")
    uitleg: str = Field(min_length=1, description="Een Nederlandse zin: waarom deze regel.")
    als: Conditie
    dan: Conclusie


class Verwachting(_Node):
    """The expected judgement of an invariant (any field left out is not checked)."""

    melden: Melden | None = None
    besluit: Besluit | None = None
    acties: list[str] = Field(default_factory=list, description="Actiecodes die er moeten zijn.")


class Invariant(_Node):
    """A property that must hold for every case that meets ``als``; proved by ``check``."""

    id: str = Field(pattern=ID_PATTERN)
    titel: str = Field(min_length=1)
    bron: str = Field(min_length=1)
    als: Conditie
    dan: Verwachting


class ActieDefinitie(_Node):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    omschrijving: str = Field(min_length=1)
    stap: int | None = Field(
        default=None,
        ge=1,
        le=5,
        description="De stap van de meldcode waarin de actie hoort; acties staan in een oordeel per stap, "
        "dan meest urgent eerst. Zonder stap staat een actie vóór de stappen.",
    )
    volgorde: int | None = Field(
        default=None,
        description="Volgorde binnen een route (bijvoorbeeld eerst het bevoegd gezag informeren, dan "
        "aangifte): bij gelijke stap en termijn komt een lager getal eerst, daarna acties zonder volgorde.",
    )


class RulesetFile(_Node):
    """One ruleset file."""

    model_config = ConfigDict(title="Ruleset", extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, description="De naam van de ruleset (bijvoorbeeld `basismodel`).")
    titel: str = Field(min_length=1)
    versie: str = Field(min_length=1, description="Versie van deze ruleset.")
    geldig_vanaf: dt.date = Field(description="Datum waarop deze versie ingaat.")
    bron: str = Field(min_length=1, description="De hoofdbron van de ruleset.")
    sector: str | None = Field(default=None, description="De sector waarvoor deze ruleset geldt.")
    breidt_uit: list[str] = Field(
        default_factory=list, description="Rulesets die deze ruleset uitbreidt (nooit verzwakt)."
    )
    acties: list[ActieDefinitie] = Field(
        default_factory=list, description="Actiecodes die deze ruleset (extra) invoert."
    )
    begrippen: list[Begrip] = Field(
        default_factory=list, description="Benoemde voorwaarden die regels kunnen gebruiken."
    )
    regels: list[Regel] = Field(default_factory=list)
    invarianten: list[Invariant] = Field(default_factory=list)
