"""The dossier: a case over time, as dated events in the meldcode's terms (docs/vocabulary.md).

A case file says what is known at one moment; a dossier says what happened and when:
a signal, a consultation, my report, the receipt, the help and its evaluation. The
current facts are derived from the events (:mod:`meldcode_rules.dossier.derive`); the
time rules of the rulesets (``tijdregels:``) turn the dates into tri-state facts as of
a ``peildatum`` (:mod:`meldcode_rules.dossier.tijd`).

Every event carries only what the meldcode needs: kinds, choices and dates, never names
or free text (case data is sensitive). Unknown kinds and fields are errors, as in a
case file. A field left out says nothing about that day: it changes no fact.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from functools import cache
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    Tag,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from meldcode_rules.case.facts import TRI_VALUES
from meldcode_rules.case.model import (
    REFERENTIE_MAX,
    Case,
    GesprekOvergeslagenReden,
    NietBesprokenReden,
    Problematiek,
    Sectorfeiten,
    Tri,
    TriState,
    Vorm,
)
from meldcode_rules.load.ruleset import TERMIJN_PATTERN

#: The form of a dossier's dates (the same in Python and ECMA-262): a date, or a local date-time
#: to the minute, second or fraction, without a zone. The schema says exactly this.
MOMENT_PATTERN = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?)?$"
)
_MOMENT = re.compile(MOMENT_PATTERN, re.ASCII)
_MOMENT_SCHEMA = {
    "type": "string",
    "pattern": MOMENT_PATTERN,
    "description": "ISO 8601: JJJJ-MM-DD, of JJJJ-MM-DDTUU:MM[:SS] waar uren tellen, in lokale tijd "
    "(zonder tijdzone); de datum moet bestaan.",
}


def _iso_moment(value: Any) -> Any:
    # Only what the schema says: pydantic's lax parsing also reads numbers as Unix times
    # (20260301 would be a day in 1970, and close the CSG window) and drops or applies zones.
    # A zone is refused rather than dropped: the professional's local time is what counts,
    # and a shifted hour can close a window (the CSG, VGV's one hour) too early.
    if type(value) is str and _MOMENT.match(value):
        return value
    if type(value) is dt.date or (type(value) is dt.datetime and value.tzinfo is None):
        return value
    raise PydanticCustomError(
        "moment_iso", "een datum als JJJJ-MM-DD, of datum en tijd als JJJJ-MM-DDTUU:MM (lokale tijd, zonder tijdzone)"
    )


#: A date, or a date-time where hours matter (acute violence, the CSG window, VGV).
Moment = Annotated[dt.date | dt.datetime, BeforeValidator(_iso_moment), WithJsonSchema(_MOMENT_SCHEMA)]
Termijn = Annotated[str, Field(pattern=TERMIJN_PATTERN.pattern)]

#: Who observed a signal or passed it on (pseudonymous categories, never a name).
Herkomst = Literal[
    "eigen_waarneming", "client", "kind", "familie", "collega", "ketenpartner", "school", "huisarts", "anders"
]
ConsultatieMet = Literal["collega", "aandachtsfunctionaris", "veilig_thuis", "deskundige", "centrum_seksueel_geweld"]
MeldingDoor = Literal["mij", "ander"]
TerugkoppelingUitkomst = Literal["advies", "onderzoek", "hulp_georganiseerd", "overgedragen", "geen_vervolg", "anders"]


#: A code in an event (a kind of help, an action): lower case, digits and `_`, never free text.
CODE_PATTERN = r"^[a-z0-9_]{1,40}$"

#: Actions whose doing has an event of its own, with consequences of its own (a report starts the
#: receipt clock, an evaluation answers afwegingsvraag 5, ...): an `actie_uitgevoerd` for one of
#: them is refused, naming the event to use, so it can never silence what that event would show.
EIGEN_GEBEURTENIS: dict[str, str] = {
    "melden_veilig_thuis": "melding",
    "ontvangst_controleren": "ontvangst_bevestigd",
    "herbeoordelen": "hulp_geevalueerd",
    "afwegen": "afweging",
    "zaak_heropenen": "zaak_heropend",
    "kindcheck_uitvoeren": "kindcheck",
    "gesprek_voeren": "gesprek",
    "signalen_vastleggen": "signaal",
    "collega_raadplegen": "consultatie",
    "veilig_thuis_raadplegen": "consultatie",
    "deskundige_raadplegen": "consultatie",
    "centrum_seksueel_geweld_inschakelen": "consultatie",
}
#: the same codes as JSON Schema values, for the schema of `actie_uitgevoerd`
_EIGEN_CODES: list[JsonValue] = [*sorted(EIGEN_GEBEURTENIS)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    datum: Moment = Field(
        description="Wanneer het gebeurde (ISO 8601: JJJJ-MM-DD, of JJJJ-MM-DDTUU:MM waar uren tellen; lokale "
        "tijd, zonder tijdzone)."
    )


class Signaal(_Event):
    """Stap 1: een signaal is opgemerkt of doorgegeven."""

    soort: Literal["signaal"]
    vormen: list[Vorm] = Field(default_factory=list, description="De vermoede vormen van geweld (komen bij `vormen`).")
    herkomst: Herkomst | None = Field(
        default=None, description="Wie het signaal opmerkte of doorgaf (een categorie, nooit een naam)."
    )
    incidentdatum: Moment | None = Field(
        default=None, description="Wanneer het geweld plaatsvond, waar bekend (het venster van het CSG telt hiervan)."
    )
    problematiek: list[Problematiek] = Field(
        default_factory=list, description="Problemen van de cliënt die dit signaal laat zien (komen bij de kindcheck)."
    )
    vastgelegd: TriState | None = Field(
        default=None, description="Het signaal is feitelijk vastgelegd (stap 1, `stappen.signalen_vastgelegd`)."
    )
    medewerker_verdacht: TriState | None = Field(default=None, description="Zie `medewerker_verdacht` in de casus.")


class Kindcheck(_Event):
    """De kindcheck, met de uitkomst."""

    soort: Literal["kindcheck"]
    zorgt_voor_minderjarigen: TriState | None = None
    zwanger: TriState | None = None
    problematiek: list[Problematiek] = Field(default_factory=list)


class Consultatie(_Event):
    """Stap 2: overleg met een collega, Veilig Thuis of een deskundige."""

    soort: Literal["consultatie"]
    met: ConsultatieMet = Field(description="Met wie is overlegd.")


class Gesprek(_Event):
    """Stap 3: het gesprek met de cliënt, of waarom het is overgeslagen."""

    soort: Literal["gesprek"]
    gevoerd: TriState | None = Field(
        default=None, description="Leeg: `ja`, tenzij een grond om over te slaan is gegeven."
    )
    overgeslagen_reden: GesprekOvergeslagenReden | None = None


class AfwegingGebeurtenis(_Event):
    """Stap 4 en 5: de antwoorden op de afwegingsvragen die die dag zijn gegeven."""

    soort: Literal["afweging"]
    vermoeden: TriState | None = None
    acute_onveiligheid: TriState | None = None
    structurele_onveiligheid: TriState | None = None
    hulp_mogelijk: TriState | None = None
    hulp_aanvaard: TriState | None = None
    hulp_effectief: TriState | None = None


class MeldingGebeurtenis(_Event):
    """Een melding bij Veilig Thuis: door mij, of (bekend) door een andere professional."""

    soort: Literal["melding"]
    door: MeldingDoor = Field(description="`mij`: mijn eigen melding; `ander`: een andere professional meldde.")
    besproken_met_client: TriState | None = None
    niet_besproken_reden: NietBesprokenReden | None = None


class OntvangstBevestigd(_Event):
    """Veilig Thuis (of de ketenpartner) bevestigde de ontvangst van mijn melding."""

    soort: Literal["ontvangst_bevestigd"]


class TerugkoppelingVeiligThuis(_Event):
    """Veilig Thuis koppelde terug wat het met de melding doet (dat bevestigt ook de ontvangst)."""

    soort: Literal["terugkoppeling_veilig_thuis"]
    uitkomst: TerugkoppelingUitkomst | None = None


class HulpGestart(_Event):
    """Hulp is gestart, met de afgesproken evaluatiedatum of termijn (afwegingsvraag 5)."""

    soort: Literal["hulp_gestart"]
    hulpvorm: str | None = Field(
        default=None, pattern=CODE_PATTERN, description="Een code voor de hulp (geen vrije tekst)."
    )
    evaluatiedatum: Moment | None = Field(default=None, description="De afgesproken datum van de herbeoordeling.")
    termijn: Termijn | None = Field(default=None, description="Of de afgesproken termijn, bijvoorbeeld `6 weken`.")


class HulpGeevalueerd(_Event):
    """De hulp is geëvalueerd: brengt ze de noodzakelijke veiligheid (afwegingsvraag 5)?"""

    soort: Literal["hulp_geevalueerd"]
    veilig: TriState | None = Field(default=None, description="Het antwoord op afwegingsvraag 5.")
    evaluatiedatum: Moment | None = Field(default=None, description="De volgende afgesproken herbeoordeling.")
    termijn: Termijn | None = None


class HulpAfgesloten(_Event):
    """De hulp is afgesloten, met of zonder afspraak over wie contact houdt en de veiligheid volgt."""

    soort: Literal["hulp_afgesloten"]
    afspraak_wie_contact_houdt: TriState | None = Field(
        default=None, description="Er is afgesproken wie contact met het gezin houdt (leeg: onbekend)."
    )


class ZaakAfgesloten(_Event):
    soort: Literal["zaak_afgesloten"]


class ZaakHeropend(_Event):
    soort: Literal["zaak_heropend"]


class ActieUitgevoerd(_Event):
    """Een actie uit het oordeel is gedaan waar geen andere gebeurtenis dat zegt (de politie
    ingeschakeld, de IGJ ingelicht, aangifte gedaan): de actie is dan `voldaan`, niet verlopen."""

    soort: Literal["actie_uitgevoerd"]
    actie: str = Field(
        pattern=CODE_PATTERN,
        # the validator below, for validators in other languages
        json_schema_extra={"not": {"enum": _EIGEN_CODES}},
        description="De `code` van de actie (docs/vocabulary.md). Een actie met een eigen gebeurtenis "
        "(een melding, een evaluatie, een consultatie, ...) legt u met die gebeurtenis vast.",
    )

    @field_validator("actie")
    @classmethod
    def _niet_met_eigen_gebeurtenis(cls, actie: str) -> str:
        soort = EIGEN_GEBEURTENIS.get(actie)
        if soort is not None:
            # names the event kind to use, never the value given
            raise PydanticCustomError(
                "eigen_gebeurtenis", "deze actie wordt vastgelegd met een gebeurtenis `{soort}`", {"soort": soort}
            )
        return actie


#: Fields of a case file that a dossier gives for all its events (the sector), or that its
#: peildatum and events replace (the datum): never in a momentopname's case facts.
_DOSSIER_VELDEN = ("sector", "datum")


class Momentopname(_Event):
    """De feiten zoals een casusbestand ze geeft, op één moment (een casus is een dossier van één moment)."""

    soort: Literal["momentopname"]
    casus: dict[str, Any] = Field(
        # the validator below, for validators in other languages
        json_schema_extra={"propertyNames": {"not": {"enum": list(_DOSSIER_VELDEN)}}},
        description="Een casus (docs/vocabulary.md), zonder `sector` en `datum`.",
    )

    @field_validator("casus")
    @classmethod
    def _zonder_sector_en_datum(cls, casus: dict[str, Any]) -> dict[str, Any]:
        # The sector chooses the rulesets and the peildatum dates the case: both belong to the
        # dossier. Silently ignored, a sector here would judge the case without its sector's duties.
        for veld in _DOSSIER_VELDEN:
            if veld in casus:
                message = "`{veld}` hoort bij het dossier, niet in de casus van een momentopname"
                raise PydanticCustomError("casus_veld", message, {"veld": veld})
        return casus


def _soort(value: Any) -> str | None:
    if isinstance(value, dict):
        soort = value.get("soort")
        return soort if isinstance(soort, str) else None
    return getattr(value, "soort", None)


Gebeurtenis = Annotated[
    Annotated[Signaal, Tag("signaal")]
    | Annotated[Kindcheck, Tag("kindcheck")]
    | Annotated[Consultatie, Tag("consultatie")]
    | Annotated[Gesprek, Tag("gesprek")]
    | Annotated[AfwegingGebeurtenis, Tag("afweging")]
    | Annotated[MeldingGebeurtenis, Tag("melding")]
    | Annotated[OntvangstBevestigd, Tag("ontvangst_bevestigd")]
    | Annotated[TerugkoppelingVeiligThuis, Tag("terugkoppeling_veilig_thuis")]
    | Annotated[HulpGestart, Tag("hulp_gestart")]
    | Annotated[HulpGeevalueerd, Tag("hulp_geevalueerd")]
    | Annotated[HulpAfgesloten, Tag("hulp_afgesloten")]
    | Annotated[ZaakAfgesloten, Tag("zaak_afgesloten")]
    | Annotated[ZaakHeropend, Tag("zaak_heropend")]
    | Annotated[ActieUitgevoerd, Tag("actie_uitgevoerd")]
    | Annotated[Momentopname, Tag("momentopname")],
    Discriminator(
        _soort,
        custom_error_type="soort",
        custom_error_message="onbekende of ontbrekende `soort` van gebeurtenis",
    ),
]


#: Event kind -> its model, in the order of the union above: the one list of the kinds.
EVENT_MODELS: dict[str, type[_Event]] = {
    tag.tag: model for model, tag in (get_args(member) for member in get_args(get_args(Gebeurtenis)[0]))
}
SOORTEN: tuple[str, ...] = tuple(EVENT_MODELS)


class Dossier(BaseModel):
    """A case over time: dated events, judged as of a date (``peildatum``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Dossier")

    dossier_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
        description="Een pseudoniem kenmerk van het dossier (nooit een naam).",
    )
    referentie: str | None = Field(
        default=None,
        min_length=1,
        max_length=REFERENTIE_MAX,
        description=(
            "De eigen verwijzing van het zaaksysteem (zie de casus); komt ongewijzigd terug in het oordeel "
            "en in een besluitregistratie. Geen feit en geen gebeurtenis. Zet er geen naam of BSN in."
        ),
    )
    sector: str | None = Field(default=None, description="De sector van de professional (zie de casus).")
    organisatie: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
        description="Een code van de organisatie die het dossier voert (voor `meldcode-rules monitor`; "
        "geen invloed op het oordeel).",
    )
    sectorfeiten: Sectorfeiten | None = Field(
        default=None, description="Feiten voor de plichten van een sector (zie de casus); gelden het hele dossier."
    )
    gebeurtenissen: list[Gebeurtenis] = Field(
        min_length=1, description="Wat er gebeurde, met datum; de volgorde in het bestand is vrij (zie de docs)."
    )


def dossier_of_case(case: Case, datum: dt.date | None = None) -> Dossier:
    """A plain case as a dossier of one moment: one ``momentopname`` on its ``datum``.

    Without a ``datum`` in the case the moment is ``datum`` (the peildatum), else today.
    """
    exclude = {"sector", "datum", "sectorfeiten", "referentie"}  # the case's `referentie` is the dossier's
    facts = case.model_dump(mode="json", exclude_defaults=True, exclude=exclude)
    sectorfeiten = case.sectorfeiten if "sectorfeiten" in case.model_fields_set else None
    return Dossier(
        referentie=case.referentie,
        sector=case.sector,
        sectorfeiten=sectorfeiten,
        gebeurtenissen=[Momentopname(soort="momentopname", datum=case.datum or datum or dt.date.today(), casus=facts)],
    )


# ---------------------------------------------------------------- fields, for the time rules

FieldKind = Literal["moment", "termijn", "keuze", "lijst", "tekst"]


def _field_kind(annotation: Any) -> tuple[FieldKind, tuple[str, ...]]:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner = typing.get_args(annotation)[0]
        if any(getattr(m, "pattern", None) == TERMIJN_PATTERN.pattern for m in _metadata(annotation)):
            return "termijn", ()
        return _field_kind(inner)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if set(options) <= {dt.date, dt.datetime}:
            return "moment", ()
        if len(options) == 1:
            return _field_kind(options[0])
        if set(options) == {dt.date, dt.datetime} or all(_is_moment(o) for o in options):
            return "moment", ()
        return "tekst", ()
    if annotation is Tri:
        return "keuze", TRI_VALUES
    if origin is Literal:
        return "keuze", tuple(str(v) for v in typing.get_args(annotation))
    if origin is list:
        _kind, values = _field_kind(typing.get_args(annotation)[0])
        return "lijst", values
    if _is_moment(annotation):
        return "moment", ()
    return "tekst", ()


def _metadata(annotation: Any) -> tuple[Any, ...]:
    found: list[Any] = []
    for item in typing.get_args(annotation)[1:]:
        found.append(item)
        found.extend(getattr(item, "metadata", ()))
    return tuple(found)


def _is_moment(annotation: Any) -> bool:
    if annotation in (dt.date, dt.datetime):
        return True
    if typing.get_origin(annotation) is Annotated:
        return _is_moment(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return all(_is_moment(a) for a in typing.get_args(annotation) if a is not type(None))
    return False


@cache
def event_fields(soort: str) -> dict[str, tuple[FieldKind, tuple[str, ...]]]:
    """The fields of an event kind a time rule may name, with their kind and allowed values."""
    model = EVENT_MODELS[soort]
    out: dict[str, tuple[FieldKind, tuple[str, ...]]] = {}
    for name, info in model.model_fields.items():
        if name == "soort":
            continue
        if _is_moment(info.annotation):
            out[name] = ("moment", ())
            continue
        if name == "termijn":
            out[name] = ("termijn", ())
            continue
        out[name] = _field_kind(info.annotation)
    return out


@cache
def required_fields(soort: str) -> tuple[str, ...]:
    """The fields an event of kind ``soort`` must give, besides ``datum`` and ``soort``."""
    return tuple(
        name
        for name, info in EVENT_MODELS[soort].model_fields.items()
        if info.is_required() and name not in ("datum", "soort")
    )


def trusted(model: type[Any], values: dict[str, Any], given: set[str] | None = None) -> Any:
    """An instance of ``model`` from values that are validated already (no defaults, no checks).

    What ``model_construct`` does, without its per-field machinery, which costs more than
    judging a dossier. Every value must be of the field's type and every field given;
    tests/test_dossier.py checks results against full validation.
    """
    made = _new(model)
    _set(made, "__dict__", values)
    _set_fields_set(made, set(values) if given is None else given)
    _set_extra(made, None)
    _set_private(made, None)
    return made


@cache
def every_field(model: type[BaseModel]) -> set[str]:
    """The fields set of a frozen model built by :func:`trusted` with every field: its ``given``.

    One set per model, shared by the instances: a frozen model refuses assignment, so pydantic
    never adds to it (``model_copy`` adds to a copy). It saves building the same set anew for
    each of the thirty-odd output models of a judgement.
    """
    if not model.model_config.get("frozen"):
        raise TypeError(f"{model.__name__} is not frozen: its instances need a fields set of their own")
    return set(model.model_fields)


# BaseModel's slots, set through their descriptors: a frozen model refuses setattr, and
# object.__setattr__ looks each name up again (trusted() runs some thirty times a judgement).
_new = object.__new__
_set = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
