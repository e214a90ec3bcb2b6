"""The judgement: what a case system reads back (see docs/vocabulary.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from meldcode_rules.load.ruleset import Besluit, Melden


class _Out(BaseModel):
    # Immutable all the way down (tuples, frozen models): parts of a judgement are shared
    # between judgements (see combine.py), so nothing in one may be changed in place.
    model_config = ConfigDict(extra="forbid", frozen=True)


#: A day, or a dossier's local date-time (no zone), as the output writes it. JSON Schema's
#: `date-time` demands an offset, so the schema states the ISO form written out, as text any
#: validator reads the same way.
_MOMENT_UIT = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"


class GebeurtenisRef(_Out):
    """Which event of a dossier: its position in the file (1-based), kind and date."""

    positie: int = Field(ge=1, description="De plaats van de gebeurtenis in `gebeurtenissen` (vanaf 1).")
    soort: str = Field(description="De soort gebeurtenis.")
    datum: Annotated[
        dt.date | dt.datetime,
        WithJsonSchema(
            {
                "type": "string",
                "pattern": _MOMENT_UIT,
                "description": "De datum (of datum en tijd, zonder tijdzone) waarvan geteld wordt.",
            }
        ),
    ] = Field(description="De datum (of datum en tijd) waarvan geteld wordt.")
    veld: str = Field(default="datum", description="Het datumveld waarvan geteld wordt (bijvoorbeeld `incidentdatum`).")


class Actie(_Out):
    code: str = Field(description="Stabiele actiecode, bijvoorbeeld `melden_veilig_thuis`.")
    tekst: str = Field(description="Wat de professional doet.")
    termijn: str | None = Field(default=None, description="De termijn zoals de regel hem noemt.")
    deadline: Annotated[
        dt.date | dt.datetime | None,
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "pattern": _MOMENT_UIT},
                    {"type": "null"},
                ]
            }
        ),
    ] = Field(
        default=None,
        description="Uiterste datum (datum + termijn); in een dossier met tijd (lokaal, zonder tijdzone) "
        "bij een termijn in uren die telt vanaf een gebeurtenis met tijd.",
    )
    regels: tuple[str, ...] = Field(description="De regels die deze actie vragen.")
    # Over time (dossiers); a plain case leaves these empty.
    telt_vanaf: GebeurtenisRef | None = Field(
        default=None, description="Dossier: de gebeurtenis waarvan de termijn telt (leeg bij een losse casus)."
    )
    verlopen: bool | Literal["onbekend"] | None = Field(
        default=None,
        description="Dossier: is de deadline op de peildatum voorbij; `onbekend` als een datum ontbreekt "
        "(nooit `false` bij een ontbrekende datum). Leeg bij een losse casus of zonder termijn.",
    )
    dagen_verlopen: int | None = Field(
        default=None,
        ge=1,
        description="Dossier: zoveel hele dagen na de deadline (leeg bij minder dan een dag, een termijn in uren).",
    )
    voldaan: GebeurtenisRef | None = Field(
        default=None,
        description="Dossier: de gebeurtenis die laat zien dat deze actie is gedaan (bijvoorbeeld de melding).",
    )

    def hoe_lang_verlopen(self) -> str:
        """How far past its deadline, as the renderings say it: whole days, or less than a day."""
        return f"{self.dagen_verlopen} dag(en)" if self.dagen_verlopen is not None else "minder dan een dag"


class Tegenstrijdigheid(_Out):
    """Two events on one day that answer one fact differently: the later in the file counts."""

    feit: str
    eerste: GebeurtenisRef
    geldt: GebeurtenisRef = Field(description="De gebeurtenis waarvan het antwoord telt (de latere in het bestand).")


class TijdFeit(_Out):
    """A fact about time, derived from the dossier as of the peildatum (a `tijdregel`)."""

    feit: str = Field(description="Het afgeleide feit, bijvoorbeeld `tijd.herbeoordeling_verlopen`.")
    waarde: Literal["ja", "nee", "onbekend"]
    telt_vanaf: GebeurtenisRef | None = Field(default=None, description="De gebeurtenis waarvan de klok telt.")
    gestopt_door: GebeurtenisRef | None = Field(default=None, description="De gebeurtenis die de klok stopte.")
    deadline: dt.date | None = None
    maakt_onbekend: tuple[str, ...] = Field(
        default=(),
        description=(
            "Casusfeiten waarvan het antwoord door deze klok verouderd is: in dit oordeel tellen"
            " ze als `onbekend` (`maakt_onbekend` in de ruleset)."
        ),
    )


class OpenVraag(_Out):
    feit: str = Field(description="Het feit waarvan het antwoord ontbreekt.")
    vraag: str = Field(description="De vraag om te stellen.")
    regels: tuple[str, ...] = Field(description="De regels waarvoor het antwoord uitmaakt.")


class Vastlegging(_Out):
    tekst: str
    regels: tuple[str, ...]


class Redenering(_Out):
    regel: str = Field(description="Id van de regel die vuurde.")
    titel: str
    bron: str = Field(description="De bron van de regel.")
    uitleg: str = Field(description="Waarom de regel geldt, in het Nederlands.")
    ruleset: str
    locatie: str = Field(description="Bestand en regelnummer van de regel.")


class RulesetRef(_Out):
    id: str
    versie: str
    geldig_vanaf: dt.date
    sha256: str


class Judgement(_Out):
    """Het oordeel over een casus."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Oordeel")

    melden: Melden = Field(
        description="Moet deze professional nu melden bij Veilig Thuis: `ja`, `nee` of `onbekend`. "
        "`onbekend` betekent: een antwoord op een open vraag kan een melding nodig maken."
    )
    besluit: Besluit = Field(description="Het besluit in stap 5 (of waarom dat er nog niet is).")
    stap: int = Field(ge=1, le=5, description="De stap van de meldcode waarin de casus is.")
    acties: tuple[Actie, ...] = Field(
        description="Wat nu te doen, in de volgorde van de meldcode: per stap, dan meest urgent eerst, "
        "dan in de volgorde van een route."
    )
    open_vragen: tuple[OpenVraag, ...] = Field(
        description="Ontbrekende feiten waarvan het antwoord het oordeel kan veranderen (`melden`, `besluit` of een "
        "actie), in meldcode-volgorde."
    )
    vastleggen: tuple[Vastlegging, ...] = Field(description="Wat nu in het dossier hoort.")
    redenering: tuple[Redenering, ...] = Field(description="Alle regels die vuurden, met bron en uitleg.")
    ruleset: tuple[RulesetRef, ...] = Field(description="De gebruikte rulesets, met versie en sha256.")
    sector: str | None = Field(default=None, description="De sector van de beoordeling.")
    datum: dt.date = Field(description="De datum van de beoordeling.")
    engine: str = Field(description="De engine die de regels uitvoerde.")
    referentie: str | None = Field(
        default=None, description="De `referentie` van de casus, ongewijzigd (de eigen verwijzing van het zaaksysteem)."
    )
    oordeel_id: str | None = Field(
        default=None,
        description="Het id van de besluitregistratie van dit oordeel (alleen als die is gevraagd; zie `replay`).",
    )
    # Dossiers (a case over time); a plain case leaves these empty.
    dossier_id: str | None = Field(default=None, description="Dossier: het pseudonieme kenmerk.")
    tijdfeiten: tuple[TijdFeit, ...] = Field(
        default=(), description="Dossier: de feiten over tijd op de peildatum (`datum`), met hun klok."
    )
    tegenstrijdigheden: tuple[Tegenstrijdigheid, ...] = Field(
        default=(), description="Dossier: gebeurtenissen op één dag die elkaar tegenspreken (de latere telt)."
    )
