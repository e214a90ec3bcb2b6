"""The case file: the facts a case system sends us (see docs/vocabulary.md).

The field names are a public contract (shared/domain/vocabulary.md). Every
field carries its question (``vraag``) in Dutch; the fact catalog
(:mod:`meldcode_rules.case.facts`) is derived from these models, so the rules, the
JSON Schema and the open questions can never disagree about what a fact is.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


class Tri(StrEnum):
    """A tri-state answer. A missing answer is ``onbekend``, never ``nee``."""

    ja = "ja"
    nee = "nee"
    onbekend = "onbekend"


def _tri_from_json(value: Any) -> Any:
    # JSON booleans are accepted as ja/nee; null means the answer is not known.
    if value is True:
        return Tri.ja
    if value is False:
        return Tri.nee
    if value is None:
        return Tri.onbekend
    return value


#: The JSON Schema says what the before-validator takes (``json_schema_input_type``), so a schema
#: validator outside Python accepts exactly the case files this library accepts.
TriState = Annotated[Tri, BeforeValidator(_tri_from_json, json_schema_input_type=Tri | bool | None)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
#: The form of ``datum`` in JSON, as an ECMA-262 pattern (the schema says it beside ``format: date``).
DATUM_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _iso_date(value: Any) -> Any:
    # Only a calendar date (or none): pydantic's lax date parsing also reads Unix times and
    # date-times at midnight, which no JSON Schema validator reads as `format: date`.
    if value is None or (type(value) is str and _ISO_DATE.match(value)) or type(value) is dt.date:
        return value
    raise PydanticCustomError("datum_iso", "een datum als JJJJ-MM-DD")


def _datum_pattern(schema: dict[str, Any]) -> None:
    # On the string branch: Ajv's strict mode wants `pattern` beside `type: string`.
    for branch in schema["anyOf"]:
        if branch.get("type") == "string":
            branch["pattern"] = DATUM_PATTERN


#: The longest ``referentie`` accepted: a case system's own key, never a document.
REFERENTIE_MAX = 200


def vraag(tekst: str, *, later: bool = False) -> dict[str, Any]:
    """Metadata for a fact: the question to ask when it is unknown.

    ``later`` marks a question that by design is answered later (afwegingsvraag
    5 while help is running): its ``onbekend`` is not a gap but a moment to
    re-assess, so it never makes ``melden`` uncertain by itself.
    """
    extra: dict[str, Any] = {"vraag": tekst}
    if later:
        extra["later_beantwoord"] = True
    return extra


Vorm = Literal[
    "kindermishandeling",
    "partnergeweld",
    "ouderenmishandeling",
    "eergerelateerd_geweld",
    "huwelijksdwang",
    "achterlating",
    "vgv",
    "seksueel_geweld",
    "verwaarlozing",
    "financiele_uitbuiting",
]
Problematiek = Literal["psychiatrisch", "verslaving", "partnergeweld", "lvb", "suicidepoging", "depressie", "detentie"]
GesprekOvergeslagenReden = Literal["veiligheid", "contact_verbreken"]
NietBesprokenReden = Literal["veiligheid_client", "veiligheid_professional", "contact_verbreken"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kindcheck(_Part):
    """Kindcheck (stap 1): zorgt de cliënt voor minderjarigen, en is hun veiligheid in het geding?"""

    problematiek: list[Problematiek] = Field(
        default_factory=list,
        description="Problemen van de cliënt die kinderen in zijn of haar zorg kunnen bedreigen.",
        json_schema_extra=vraag("Welke problemen heeft de cliënt (psychiatrie, verslaving, ...)?"),
    )
    zorgt_voor_minderjarigen: TriState = Field(
        default=Tri.onbekend,
        description="De cliënt zorgt voor minderjarige kinderen.",
        json_schema_extra=vraag("Zorgt de cliënt voor minderjarige kinderen?"),
    )
    zwanger: TriState = Field(
        default=Tri.onbekend,
        description="De cliënt (of de partner) is zwanger.",
        json_schema_extra=vraag("Is de cliënt (of de partner) zwanger?"),
    )


class Stappen(_Part):
    """Stap 1 tot en met 3 van de meldcode."""

    signalen_vastgelegd: TriState = Field(
        default=Tri.onbekend,
        description="Stap 1: signalen en contra-indicaties zijn in kaart gebracht en vastgelegd.",
        json_schema_extra=vraag("Zijn de signalen (en wat ze tegenspreekt) vastgelegd? (stap 1)"),
    )
    collega_geraadpleegd: TriState = Field(
        default=Tri.onbekend,
        description="Stap 2: collegiale consultatie heeft plaatsgevonden.",
        json_schema_extra=vraag("Is een collega (of de aandachtsfunctionaris) geraadpleegd? (stap 2)"),
    )
    veilig_thuis_geraadpleegd: TriState = Field(
        default=Tri.onbekend,
        description="Stap 2: Veilig Thuis is om advies gevraagd.",
        json_schema_extra=vraag("Is Veilig Thuis om advies gevraagd? (stap 2)"),
    )
    gesprek_gevoerd: TriState = Field(
        default=Tri.onbekend,
        description="Stap 3: het gesprek met de cliënt is gevoerd.",
        json_schema_extra=vraag("Is het gesprek met de cliënt gevoerd? (stap 3)"),
    )
    gesprek_overgeslagen_reden: GesprekOvergeslagenReden | None = Field(
        default=None,
        description=(
            "Stap 3: de grond waarop het gesprek is overgeslagen: `veiligheid` (van cliënt, "
            "professional of een ander) of `contact_verbreken`. Leeg: geen grond opgegeven."
        ),
        json_schema_extra=vraag("Waarom is het gesprek met de cliënt niet gevoerd? (stap 3)"),
    )


class Afweging(_Part):
    """De vijf afwegingsvragen van het afwegingskader (stap 4 en 5)."""

    vermoeden: TriState = Field(
        default=Tri.onbekend,
        description="Afwegingsvraag 1: er is een vermoeden van (dreiging van) huiselijk geweld of kindermishandeling.",
        json_schema_extra=vraag(
            "Afwegingsvraag 1: is er op basis van stap 1 tot en met 4 een vermoeden van "
            "(dreiging van) huiselijk geweld of kindermishandeling?"
        ),
    )
    acute_onveiligheid: TriState = Field(
        default=Tri.onbekend,
        description="Afwegingsvraag 2: er is acute onveiligheid.",
        json_schema_extra=vraag("Afwegingsvraag 2: is er acute onveiligheid?"),
    )
    structurele_onveiligheid: TriState = Field(
        default=Tri.onbekend,
        description="Afwegingsvraag 2: er is structurele onveiligheid.",
        json_schema_extra=vraag("Afwegingsvraag 2: is er structurele onveiligheid?"),
    )
    hulp_mogelijk: TriState = Field(
        default=Tri.onbekend,
        description="Afwegingsvraag 3: ik kan voldoende effectieve hulp bieden of organiseren.",
        json_schema_extra=vraag("Afwegingsvraag 3: kan ik voldoende effectieve hulp bieden of organiseren?"),
    )
    hulp_aanvaard: TriState = Field(
        default=Tri.onbekend,
        description="Afwegingsvraag 4: de betrokkenen aanvaarden de hulp en verbinden zich eraan.",
        json_schema_extra=vraag("Afwegingsvraag 4: aanvaarden de betrokkenen de hulp en verbinden zij zich daaraan?"),
    )
    hulp_effectief: TriState = Field(
        default=Tri.onbekend,
        description=(
            "Afwegingsvraag 5: de hulp leidt binnen de beoogde termijn tot de noodzakelijke "
            "veiligheid. Wordt beantwoord terwijl de hulp loopt; `onbekend` betekent dan: "
            "opnieuw beoordelen op de afgesproken datum."
        ),
        json_schema_extra=vraag(
            "Afwegingsvraag 5: leidt de hulp binnen de beoogde termijn tot de noodzakelijke "
            "veiligheid en/of duurzaam herstel?",
            later=True,
        ),
    )


class Melding(_Part):
    """Wat hoort bij een (besluit tot) melding bij Veilig Thuis."""

    besproken_met_client: TriState = Field(
        default=Tri.onbekend,
        description="Het besluit tot melden is vooraf met de cliënt besproken.",
        json_schema_extra=vraag("Is de melding vooraf met de cliënt besproken?"),
    )
    niet_besproken_reden: NietBesprokenReden | None = Field(
        default=None,
        description=(
            "De grond om de melding niet vooraf te bespreken: `veiligheid_client`, "
            "`veiligheid_professional` of `contact_verbreken`. Leeg: geen grond opgegeven."
        ),
        json_schema_extra=vraag("Waarom is de melding niet vooraf met de cliënt besproken?"),
    )
    ontvangst_bevestigd: TriState = Field(
        default=Tri.onbekend,
        description="Veilig Thuis of de ketenpartner heeft de ontvangst bevestigd.",
        json_schema_extra=vraag("Heeft Veilig Thuis (of de ketenpartner) de ontvangst bevestigd?"),
    )


# ---------------------------------------------------------------- sectorfeiten
# Feiten die alleen sector-rulesets testen (docs/sectors/). Ontbreekt een antwoord,
# dan is het `onbekend` (of leeg bij een keuze), net als bij de andere feiten.

#: The KNMG-meldcode (2023) is written for artsen and applies to tandartsen and
#: tandarts-specialisten as well (its voorwoord): the same duties for all three.
Rol = Literal["arts", "tandarts", "tandarts_specialist", "andere_professional"]
Verdachte = Literal["medewerker", "houder", "gastouder", "huisgenoot", "vrijwilliger", "stagiair", "anders"]
VgvRisico = Literal["geen", "twijfel", "reeel", "vermoeden_uitgevoerd", "vastgesteld"]


class Sectorfeiten(_Part):
    """Feiten voor de plichten van een sector bovenop de vijf stappen (zie docs/sectors/)."""

    rol: Rol | None = Field(
        default=None,
        description=(
            "De rol van de professional: `arts`, `tandarts` of `tandarts_specialist` (voor hen geldt de "
            "KNMG-meldcode) of `andere_professional`. Leeg: niet opgegeven."
        ),
        json_schema_extra=vraag("Bent u arts, tandarts of tandarts-specialist (geldt de KNMG-meldcode voor u)?"),
    )
    veilig_thuis_overgeslagen_reden_vastgelegd: TriState = Field(
        default=Tri.onbekend,
        description=(
            "KNMG (artsen): Veilig Thuis is in stap 2 niet geraadpleegd en de reden daarvoor is in het "
            "dossier vastgelegd."
        ),
        json_schema_extra=vraag("Is vastgelegd waarom Veilig Thuis in stap 2 niet is geraadpleegd?"),
    )
    mantelzorg_afhankelijken: TriState = Field(
        default=Tri.onbekend,
        description="Mantelzorgverleningscheck (KNMG): volwassenen zijn voor hun zorg afhankelijk van de cliënt.",
        json_schema_extra=vraag("Zijn er volwassenen die voor hun zorg afhankelijk zijn van de cliënt?"),
    )
    geweld_in_zorgrelatie: TriState = Field(
        default=Tri.onbekend,
        description=(
            "Er is geweld in de zorg- of hulprelatie. Jeugdhulp (Jeugdwet art. 1.1): geweld bij de verlening "
            "van jeugdhulp door een beroepskracht, of door een andere jeugdige of een ouder met wie de "
            "jeugdige in de accommodatie verblijft. Maatschappelijke ondersteuning (Wmo 2015 art. 1.1.1): "
            "geweld bij de verstrekking van een voorziening door een beroepskracht, of door een andere "
            "cliënt met wie de cliënt verblijft (bijvoorbeeld beschermd wonen). Gezondheidszorg (Wkkgz): "
            "geweld door een zorgverlener of iemand die voor de zorgaanbieder werkt; geweld tussen cliënten "
            "valt daar niet onder, maar kan een calamiteit zijn."
        ),
        json_schema_extra=vraag(
            "Gaat het om geweld in de zorg- of hulprelatie: door een medewerker, of (in de jeugdhulp en de "
            "Wmo) door een andere cliënt, jeugdige of ouder die in dezelfde voorziening verblijft?"
        ),
    )
    calamiteit: TriState = Field(
        default=Tri.onbekend,
        description=(
            "Er is een calamiteit: een onbedoelde of onverwachte gebeurtenis bij de zorg, hulp of "
            "ondersteuning die tot de dood of ernstige schade van een cliënt heeft geleid."
        ),
        json_schema_extra=vraag("Is er een calamiteit (dood of ernstige schade van een cliënt bij de zorg of hulp)?"),
    )
    verdachte: Verdachte | None = Field(
        default=None,
        description=(
            "Wie in de organisatie wordt verdacht (onderwijs, kinderopvang): `medewerker`, `houder`, "
            "`gastouder`, `huisgenoot` (van de gastouder), `vrijwilliger`, `stagiair` of `anders`. "
            "Leeg: niet opgegeven."
        ),
        json_schema_extra=vraag("Wie wordt verdacht: een medewerker, de houder, een gastouder, ...?"),
    )
    redelijk_vermoeden: TriState = Field(
        default=Tri.onbekend,
        description=(
            "Onderwijs en kinderopvang: na overleg met de vertrouwensinspecteur is er een redelijk "
            "vermoeden van een strafbaar feit door een medewerker (dan volgt aangifte)."
        ),
        json_schema_extra=vraag("Is er (na overleg met de vertrouwensinspecteur) een redelijk vermoeden?"),
    )
    vgv_risico: VgvRisico | None = Field(
        default=None,
        description=(
            "JGZ-risicocategorie bij vrouwelijke genitale verminking: `geen`, `twijfel`, `reeel`, "
            "`vermoeden_uitgevoerd` of `vastgesteld`. Leeg: niet ingeschat."
        ),
        json_schema_extra=vraag("Welke VGV-risicocategorie (JGZ) geldt?"),
    )


class Case(BaseModel):
    """One case file: the facts as the professional knows them now.

    Every answer that is left out is ``onbekend``. Unknown field names are an
    error, so a typo can never silently become an unknown answer.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, title="Casus")

    sector: str | None = Field(
        default=None,
        description=(
            "De sector van de professional (`gezondheidszorg`, `jeugdhulp`, `onderwijs`, "
            "`kinderopvang`, `maatschappelijke_ondersteuning`, `justitie`, of de naam van een "
            "plugin). Leeg: alleen het basismodel."
        ),
    )
    datum: Annotated[dt.date | None, BeforeValidator(_iso_date)] = Field(
        default=None,
        description="Datum van de beoordeling (ISO 8601, JJJJ-MM-DD). Leeg: vandaag.",
        json_schema_extra=_datum_pattern,
    )
    referentie: str | None = Field(
        default=None,
        min_length=1,
        max_length=REFERENTIE_MAX,
        description=(
            "De eigen verwijzing van het zaaksysteem (bijvoorbeeld een zaaknummer); komt ongewijzigd "
            "terug in het oordeel en in een besluitregistratie. Geen feit: de regels lezen het niet. "
            "Zet er geen naam of BSN in."
        ),
    )
    vormen: list[Vorm] = Field(
        default_factory=list,
        description="De vermoede vormen van geweld.",
        json_schema_extra=vraag("Om welke vorm(en) van geweld gaat het vermoeden?"),
    )
    kindcheck: Kindcheck = Field(default_factory=Kindcheck)
    stappen: Stappen = Field(default_factory=Stappen)
    afweging: Afweging = Field(default_factory=Afweging)
    eerder_gemeld_door_ander: TriState = Field(
        default=Tri.onbekend,
        description=(
            "Een andere professional heeft dit al bij Veilig Thuis gemeld. Verlaagt nooit de plicht om zelf te melden."
        ),
        json_schema_extra=vraag("Heeft een andere professional dit al bij Veilig Thuis gemeld?"),
    )
    melding: Melding = Field(default_factory=Melding)
    medewerker_verdacht: TriState = Field(
        default=Tri.onbekend,
        description=(
            "Een medewerker (in de kinderopvang: iedereen met taken) wordt verdacht van een "
            "zedendelict of geweld tegen een kind (in de zorg, de jeugdhulp en de maatschappelijke "
            "ondersteuning: een cliënt) in de zorg van de organisatie."
        ),
        json_schema_extra=vraag("Wordt een medewerker verdacht van een zedendelict of geweld tegen een kind?"),
    )
    sectorfeiten: Sectorfeiten = Field(
        default_factory=Sectorfeiten,
        description="Feiten voor de plichten van een sector bovenop de vijf stappen (docs/sectors/).",
    )
