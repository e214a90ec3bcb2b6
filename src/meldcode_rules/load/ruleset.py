"""The ruleset format: what a trainer writes in ``rulesets/*.yaml``.

These models are the single definition of the format; the JSON Schema that
editors use for completion is generated from them (``meldcode-rules schema``).
Conditions are data (a tree of ``alle``/``een_van``/``niet`` over fact tests):
nothing in a ruleset is ever executed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, create_model, field_validator, model_validator

from meldcode_rules.load.operators import BY_NAME, OPERATORS, Operator, dutch_list

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
#: ``n`` has at most as many digits as ``limits.MAX_TERMIJN`` (999: nineteen years in weeks), so
#: every deadline of every termijn is a date (docs/limits.md).
TERMIJN_PATTERN = re.compile(
    r"^(direct|(?P<n>[1-9][0-9]{0,2}) (?P<eenheid>uur|uren|dag|dagen|werkdag|werkdagen|week|weken))$"
)
#: The units of a termijn in hours: the one termijn a date-time counts to the hour.
UREN = frozenset(("uur", "uren"))


def in_uren(termijn: str) -> bool:
    """``termijn`` is a termijn in hours (``1 uur``, ``4 uren``)."""
    match = TERMIJN_PATTERN.match(termijn)
    return match is not None and match["eenheid"] in UREN


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _FeitTestBase(_Node):
    feit: str = Field(description="De naam van het feit, bijvoorbeeld `afweging.acute_onveiligheid`.")

    def operator(self) -> tuple[str, Any]:
        """The one operator given, as ``(name, value)``."""
        given = [(op.name, getattr(self, op.field)) for op in OPERATORS if getattr(self, op.field) is not None]
        if len(given) != 1:
            raise ValueError("precies een operator")
        return given[0]

    def op(self) -> Operator:
        """The :class:`Operator` of this test (from the one table, :mod:`meldcode_rules.load.operators`)."""
        return BY_NAME[self.operator()[0]]

    def model_post_init(self, __context: Any) -> None:
        if sum(getattr(self, op.field) is not None for op in OPERATORS) != 1:
            raise ValueError(f"een feittest heeft precies een operator: {_OPERATOR_NAMES}")


_OPERATOR_NAMES = dutch_list([op.name for op in OPERATORS]).replace("`", "")


def _not_empty(cls: type, value: list[str] | None) -> list[str] | None:
    if value is not None and not value:
        raise ValueError("de lijst mag niet leeg zijn")
    return value


#: One ``(annotation, FieldInfo)`` per operator. ``Any`` as the value type: mypy checks a ``**``-unpacked
#: dict against every keyword of ``create_model`` (``__config__``, ``__doc__``, ...), not only the fields.
_OPERATOR_FIELDS: dict[str, Any] = {
    op.field: (
        op.annotation(),
        Field(default=None, alias=op.name if op.field != op.name else None, description=op.beschrijving),
    )
    for op in OPERATORS
}

# The model is built at run time (one field per operator), so a type checker cannot know its
# fields; it is built here, outside the TYPE_CHECKING split below, so that mypy still checks the call.
# The validator is the plain function: pydantic's field_validator wraps a function whose first
# parameter is ``cls`` in ``classmethod`` itself (the same object as wrapping it here), and its
# annotation for ``__validators__`` takes a function, not a classmethod.
_feit_test_model: type[_FeitTestBase] = create_model(
    "FeitTest",
    __base__=_FeitTestBase,
    __doc__="A test of one fact. Exactly one of the operators is given.",
    __module__=__name__,
    __validators__={"_not_empty": field_validator(*(op.field for op in OPERATORS if op.many))(_not_empty)},
    **_OPERATOR_FIELDS,
)

#: A test of one fact: ``feit`` plus one field per operator of :data:`OPERATORS`. A type checker
#: sees the base class, which has everything but the generated fields: a variable holding a class
#: made at run time is no type to it, and ``FeitTest`` stands in annotations throughout.
if TYPE_CHECKING:
    FeitTest = _FeitTestBase
else:
    FeitTest = _feit_test_model


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

# ---------------------------------------------------------------- the one walker of a condition tree

#: A place in a ruleset file, as keys and indexes from the top (``("regels", 3, "als")``).
YamlPath = tuple[str | int, ...]
T = TypeVar("T")


def fold(
    cond: Conditie,
    *,
    feit: Callable[[FeitTest, YamlPath], T],
    begrip: Callable[[BegripRef, YamlPath], T],
    alle: Callable[[Alle, list[T]], T],
    een_van: Callable[[EenVan, list[T]], T],
    niet: Callable[[Niet, T], T],
    path: YamlPath = (),
) -> T:
    """Fold a condition tree bottom-up: the one walker every stage uses.

    ``feit`` and ``begrip`` get a leaf and its place in the file (``path`` plus
    ``alle``/``een_van``/``niet`` and indexes below it); ``alle``, ``een_van`` and
    ``niet`` get the node and the results of its children. Checking (with the
    place of each problem), writing out begrippen, listing facts and begrippen,
    compiling to ``zeker``/``mogelijk`` and the Dutch wording are all folds.
    """

    def go(node: Conditie, where: YamlPath) -> T:
        if isinstance(node, Alle):
            return alle(node, [go(c, (*where, "alle", i)) for i, c in enumerate(node.alle)])
        if isinstance(node, EenVan):
            return een_van(node, [go(c, (*where, "een_van", i)) for i, c in enumerate(node.een_van)])
        if isinstance(node, Niet):
            return niet(node, go(node.niet, (*where, "niet")))
        if isinstance(node, BegripRef):
            return begrip(node, where)
        return feit(node, where)

    return go(cond, path)


def leaves(cond: Conditie, path: YamlPath = ()) -> list[tuple[FeitTest | BegripRef, YamlPath]]:
    """Every fact test and begrip reference in ``cond`` with its place, in the order they stand."""

    def leaf(node: FeitTest | BegripRef, where: YamlPath) -> list[tuple[FeitTest | BegripRef, YamlPath]]:
        return [(node, where)]

    def join(_node: Any, parts: list[list[tuple[FeitTest | BegripRef, YamlPath]]]) -> list[Any]:
        return [found for part in parts for found in part]

    return fold(cond, feit=leaf, begrip=leaf, alle=join, een_van=join, niet=lambda _, inner: inner, path=path)


def begrip_refs(cond: Conditie) -> list[str]:
    """The begrippen ``cond`` uses directly (not those they use in turn)."""
    return [leaf.begrip for leaf, _ in leaves(cond) if isinstance(leaf, BegripRef)]


def condition_facts(cond: Conditie) -> list[str]:
    """The facts ``cond`` tests directly (a begrip's facts only once it is written out)."""
    return [leaf.feit for leaf, _ in leaves(cond) if not isinstance(leaf, BegripRef)]


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
    geen_acties: list[str] = Field(default_factory=list, description="Actiecodes die er nooit mogen zijn.")
    besluit_niet: list[Besluit] = Field(default_factory=list, description="Besluiten die het oordeel nooit mag hebben.")
    melden_niet: list[Melden] = Field(
        default_factory=list, description="Waarden van `melden` die het oordeel nooit mag hebben."
    )
    melden_niet_lager_dan_zonder: list[str] = Field(
        default_factory=list,
        description="Ja/nee-feiten: waar `als` geldt, is `melden` nooit lager dan op dezelfde casus met dat feit "
        "`nee` of `onbekend` (een paar casussen dat alleen in dat feit verschilt; bewezen over alle gevallen).",
    )


class Invariant(_Node):
    """A property that must hold for every case that meets ``als``; proved by ``check``."""

    id: str = Field(pattern=ID_PATTERN)
    titel: str = Field(min_length=1)
    bron: str = Field(min_length=1)
    als: Conditie
    dan: Verwachting


class Uitzondering(_Node):
    """Where a law gives a sector its own route, a rule of the extended ruleset does not apply.

    Only a rule that concludes neither ``melden`` nor ``besluit`` can get an exception, so an
    exception never lowers a report; the rule's condition becomes ``alle: [als, niet: uitzondering]``.
    """

    regel: str = Field(description="De id van de regel uit de uitgebreide ruleset die hier niet geldt.")
    titel: str = Field(min_length=1)
    bron: str = Field(min_length=1, description="De wet of bron die de eigen route voorschrijft (verplicht).")
    uitleg: str = Field(min_length=1, description="Een Nederlandse zin: waarom de regel hier niet geldt.")
    als: Conditie = Field(description="Wanneer de regel niet geldt.")


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


class GebeurtenisKeuze(_Node):
    """Which events a time rule looks at: a ``soort``, optionally with field values."""

    soort: str = Field(description="De soort gebeurtenis (zie docs/vocabulary.md, Dossier).")
    waar: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Veld -> toegestane waarden (bij een lijstveld: bevat een van deze). Leeg veld = `onbekend`.",
    )


#: The namespace of every derived fact about time; no case fact lives in it (case/model.py).
TIJD_NAMESPACE = "tijd"

#: What a time rule's derived fact says, as of the peildatum (docs/ruleset-format.md, tijdregels).
TIJDTOETSEN = ("loopt", "verlopen", "venster_open", "na_start", "patroon")


class Tijdregel(_Node):
    """A derived tri-state fact as of the peildatum, defined by events and a termijn (data, never code).

    The clock starts at the latest ``start`` event and stops at a later ``stop`` event.
    No start event: the fact is ``onbekend`` (a missing date is never "not overdue").
    """

    feit: str = Field(
        pattern=rf"^{TIJD_NAMESPACE}\.[a-z][a-z0-9_]*$", description="De naam van het afgeleide feit (`tijd.`...)."
    )
    titel: str = Field(min_length=1)
    bron: str = Field(min_length=1, description="De bron van de termijn; zonder bron: zeg dat het een standaard is.")
    vraag: str = Field(min_length=1, description="De vraag als het feit `onbekend` is.")
    toets: Literal["loopt", "verlopen", "venster_open", "na_start", "patroon"] = Field(
        description="`loopt`, `verlopen`, `venster_open`, `na_start` of `patroon` (zie docs/ruleset-format.md)."
    )
    start: list[GebeurtenisKeuze] = Field(default_factory=list, description="Gebeurtenissen die de klok starten.")
    stop: list[GebeurtenisKeuze] = Field(default_factory=list, description="Gebeurtenissen die de klok stoppen.")
    gebeurtenis: list[GebeurtenisKeuze] = Field(
        default_factory=list, description="`na_start` en `patroon`: de gebeurtenissen die tellen."
    )
    vanaf: str | None = Field(
        default=None, description="Een datumveld van de startgebeurtenis om van te tellen (standaard `datum`)."
    )
    deadline_veld: str | None = Field(
        default=None, description="Een datumveld van de startgebeurtenis dat de uiterste datum geeft."
    )
    termijn_veld: str | None = Field(
        default=None, description="Een termijnveld van de startgebeurtenis dat `termijn` vervangt."
    )
    termijn: str | None = Field(default=None, pattern=TERMIJN_PATTERN.pattern, description="De termijn.")
    projectstandaard: bool = Field(
        default=False, description="De termijn (of het aantal) komt uit geen bron: een standaard van meldcode-rules."
    )
    min_aantal: int | None = Field(default=None, ge=1, description="`patroon`: zoveel gebeurtenissen in het venster.")
    min_herkomsten: int | None = Field(
        default=None, ge=2, description="`patroon`: of gebeurtenissen van zoveel verschillende herkomsten."
    )
    actie: str | None = Field(default=None, description="De actie waarvan deze klok de deadline geeft.")
    maakt_onbekend: dict[str, Literal["ja", "nee"]] = Field(
        default_factory=dict,
        description=(
            "Ja/nee-casusfeiten met het antwoord dat verouderd is zolang dit feit `ja` is: gegeven bij of"
            " vóór de gebeurtenis waarvan de klok telt, telt dat antwoord als `onbekend`. Alleen een"
            " antwoord dat `melden` nooit verlaagt als het onbekend wordt (`meldcode-rules check` bewijst het)."
        ),
    )


class Vervalt(_Node):
    """An invariant of an earlier version that this version removes or weakens, on purpose.

    ``check --against REV`` reports a removed or weakened invariant (MC601) unless the new
    version says so here: a promise about children's safety never disappears silently.
    """

    invariant: str = Field(pattern=ID_PATTERN, description="Het id van de invariant die vervalt of verzwakt.")
    reden: str = Field(min_length=1, description="Waarom: wat de bron nu zegt, of waar het nu geregeld is.")
    bron: str | None = Field(default=None, description="De bron van de wijziging.")


class RulesetFile(_Node):
    """One ruleset file."""

    model_config = ConfigDict(title="Ruleset", extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, description="De naam van de ruleset (bijvoorbeeld `basismodel`).")
    titel: str = Field(min_length=1)
    versie: str = Field(min_length=1, description="Versie van deze ruleset.")
    geldig_vanaf: dt.date = Field(description="Datum waarop deze versie ingaat.")
    geldig_tot: dt.date | None = Field(
        default=None,
        description="Eerste dag waarop deze versie niet meer geldt (exclusief: de `geldig_vanaf` van de "
        "volgende versie). Leeg: geldt tot er een volgende versie is die dat zegt.",
    )
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
    uitzonderingen: list[Uitzondering] = Field(
        default_factory=list,
        description="Regels van de uitgebreide ruleset die niet gelden waar een wet een eigen route geeft.",
    )
    invarianten: list[Invariant] = Field(default_factory=list)
    tijdregels: list[Tijdregel] = Field(
        default_factory=list,
        description="Afgeleide feiten over tijd (`tijd.`...) voor dossiers, op de peildatum (docs/ruleset-format.md).",
    )
    vervalt: list[Vervalt] = Field(
        default_factory=list,
        description="Invarianten van een vorige versie die deze versie bewust laat vervallen of verzwakt.",
    )

    @model_validator(mode="after")
    def _period(self) -> RulesetFile:
        if self.geldig_tot is not None and self.geldig_tot <= self.geldig_vanaf:
            raise ValueError("`geldig_tot` ligt niet na `geldig_vanaf` (de eerste dag die niet meer geldt)")
        return self

    def in_force(self, datum: dt.date) -> bool:
        """Whether this version applies on ``datum`` (``geldig_vanaf`` inclusive, ``geldig_tot`` exclusive)."""
        return self.geldig_vanaf <= datum and (self.geldig_tot is None or datum < self.geldig_tot)
