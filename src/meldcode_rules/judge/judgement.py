"""The judgement: what a case system reads back (see docs/vocabulary.md)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from meldcode_rules.load.ruleset import Besluit, Melden


class _Out(BaseModel):
    # Immutable all the way down (tuples, frozen models): parts of a judgement are shared
    # between judgements (see combine.py), so nothing in one may be changed in place.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actie(_Out):
    code: str = Field(description="Stabiele actiecode, bijvoorbeeld `melden_veilig_thuis`.")
    tekst: str = Field(description="Wat de professional doet.")
    termijn: str | None = Field(default=None, description="De termijn zoals de regel hem noemt.")
    deadline: dt.date | None = Field(default=None, description="Uiterste datum (datum + termijn).")
    regels: tuple[str, ...] = Field(description="De regels die deze actie vragen.")


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
