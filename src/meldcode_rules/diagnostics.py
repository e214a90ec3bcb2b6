"""Errors as data, in one place: every code, every exception, every problem with a place.

Like OPA's compiler errors, problems are collected rather than raised one at a
time, sorted by file and line, and each has a stable code, so a trainer who
broke three things learns about all three in one run.

- :class:`Code`: the table of every code this library reports, each with its
  stage and a one-line Dutch description. Code is written as ``Code.MR020``,
  never as a string literal (``tests/test_errors.py`` checks both src and the
  code tables of the docs against this table).
- :class:`Location` and :class:`Diagnostic`: one located problem.
- The exceptions: :class:`MeldcodeError` and everything derived from it. Other
  modules re-export the ones they raise (``meldcode_rules.engines.EngineUnavailable``),
  so their documented import paths keep working.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Severity = Literal["fout", "waarschuwing"]


# ---------------------------------------------------------------- the code table


class Code(StrEnum):
    """Every code, once. ``MR``: ruleset and scenario files; ``MC``: findings of ``check``;
    ``MV``: a case (input) that cannot be judged."""

    beschrijving: str
    stap: str

    def __new__(cls, value: str, stap: str, beschrijving: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.stap = stap
        member.beschrijving = beschrijving
        return member

    # ruleset files: parse and schema (load/loader.py)
    MR001 = "MR001", "parse", "het bestand is niet te lezen (geen UTF-8, onleesbaar of geen geldige YAML)"
    MR002 = "MR002", "parse", "een YAML-tag is gebruikt; een ruleset bevat alleen gegevens"
    MR003 = "MR003", "parse", "een grens van de YAML-lezer: grootte, aliassen, nesting, getallen (docs/limits.md)"
    MR010 = "MR010", "schema", "het bestand past niet in het formaat (onbekend veld, verkeerd type, ongeldige waarde)"
    MR011 = "MR011", "schema", "een regel, begrip, invariant of ruleset noemt geen bron"
    # check and compile (compiler/compile.py)
    MR020 = "MR020", "check", "onbekend feit (in een voorwaarde of in `vragen`)"
    MR021 = "MR021", "check", "een waarde die het feit niet kan hebben"
    MR022 = "MR022", "check", "de operator past niet bij het soort feit"
    MR030 = "MR030", "check", "een id van een regel of begrip bestaat al (ook over `breidt_uit` heen)"
    MR031 = "MR031", "check", "onbekende actiecode (in een regel of invariant)"
    MR032 = "MR032", "resolve", "ruleset-ids: dubbel id, onbekende ruleset of een kring in `breidt_uit`"
    MR033 = "MR033", "check", "`besluit: melden` of `melden_en_hulp` zonder `melden: ja` in dezelfde regel"
    MR035 = "MR035", "check", "onbekend begrip"
    MR036 = "MR036", "check", "een begrip verwijst naar zichzelf, direct of via andere"
    MR034 = (
        "MR034",
        "check",
        "een uitzondering op een onbekende regel, of op een regel die `melden` of `besluit` concludeert",
    )
    MR037 = "MR037", "check", "een begrip, regel of invariant is uitgeschreven te groot (docs/limits.md)"
    MR038 = "MR038", "check", "te veel regels of begrippen (docs/limits.md)"
    MR039 = "MR039", "check", "een regel is te groot voor durable-rules, ook in stukken (docs/limits.md)"
    MR040 = "MR040", "check", "een uitbreiding concludeert `melden: nee`: zij mag melden nooit verlagen"
    MR041 = "MR041", "sector", "de ruleset van een sector breidt het basismodel niet uit"
    MR042 = "MR042", "sector", "een sectorpakket met een ruleset voor een andere sector, of niet precies één eigen"
    MR043 = "MR043", "versies", "de geldigheidsperiodes van versies met hetzelfde id laten een gat"
    MR044 = "MR044", "versies", "de geldigheidsperiodes van versies met hetzelfde id overlappen"
    MR045 = "MR045", "versies", "op een datum waarop een versie geldt, geldt geen versie van wat zij uitbreidt"
    MR046 = (
        "MR046",
        "check",
        "twee feiten zijn voor durable-rules één eigenschap: dezelfde hash van hun naam (docs/limits.md)",
    )
    # time rules, `tijdregels:` (compiler/tijdregels.py)
    MR060 = "MR060", "check", "het feit van een tijdregel bestaat al (een andere tijdregel of een casusfeit)"
    MR061 = "MR061", "check", "een tijdregel noemt een onbekende soort gebeurtenis"
    MR062 = "MR062", "check", "een tijdregel noemt een veld of waarde die de gebeurtenis niet heeft"
    MR063 = "MR063", "check", "een tijdregel mist wat zijn `toets` nodig heeft"
    MR064 = "MR064", "check", "`maakt_onbekend` noemt geen ja/nee-casusfeit"
    # scenario files (scenarios/scenarios.py)
    MR050 = "MR050", "scenario", "het scenariobestand is niet te lezen of past niet in het formaat"
    MR051 = "MR051", "scenario", "`gegeven` is geen geldige casus voor de sector"
    MR052 = "MR052", "scenario", "`verwacht` noemt een onbekende actiecode, feit of regel"
    MR053 = "MR053", "scenario", "de sector van het scenariobestand is niet geïnstalleerd"
    MR054 = "MR054", "scenario", "twee scenario's in één bestand hebben dezelfde `naam`"
    # findings of `meldcode-rules check` (check/)
    MC010 = "MC010", "check", "de `sector` van een ruleset lijkt op een bekende sector (een tikfout)"
    MC100 = "MC100", "check", "een casus waarop geen regel `melden` beslist (het veiligheidsnet antwoordt)"
    MC101 = "MC101", "check", "`melden: onbekend` zonder open vraag die het kan beslissen"
    MC200 = "MC200", "check", "een verklaarde invariant faalt"
    MC201 = "MC201", "check", "nooit verzwakken: een sector meldt minder dan het basismodel"
    MC202 = "MC202", "check", "een onbekend feit maakt van een verplichte melding `nee`"
    MC204 = "MC204", "check", "een antwoord dat veroudert (`maakt_onbekend`) verlaagt `melden`"
    MC203 = (
        "MC203",
        "check",
        "een oordeel spreekt zichzelf tegen (melden ja zonder meldactie, besluit melden zonder melden ja, ...)",
    )
    MC300 = "MC300", "check", "een regel `melden: nee` met `besluit: afsluiten` vuurt zeker samen met `melden: ja`"
    MC301 = "MC301", "check", "een andere overlap van `ja` en `nee`: de beschermende volgorde beslist"
    MC302 = "MC302", "check", "één regel concludeert `melden: ja` met een besluit dat geen melding is"
    MC400 = "MC400", "check", "dode regel: de voorwaarde kan nooit zeker gelden"
    MC401 = "MC401", "check", "overschaduwde regel: verandert het oordeel nooit"
    MC500 = "MC500", "check", "de engines durable en reference verschillen"
    MC501 = "MC501", "check", "vergelijking van de engines overgeslagen (durable-rules niet te importeren)"
    MC600 = "MC600", "check", "`--against`: een klasse van casussen krijgt minder bescherming dan in de vorige versie"
    MC601 = (
        "MC601",
        "check",
        "`--against`: een invariant van vroeger is weg of belooft minder, zonder `vervalt:`",
    )
    MC602 = "MC602", "check", "`--against`: de vorige versie is niet te lezen of niet te controleren"
    # a case that cannot be judged (api.py, scenarios/oefen.py): CaseError
    MV001 = "MV001", "casus", "het casusbestand is niet te lezen"
    MV002 = "MV002", "casus", "het casusbestand is geen UTF-8-tekst"
    MV003 = "MV003", "casus", "het casusbestand is geen geldige JSON"
    MV004 = "MV004", "casus", "de casus (of oefening) is geen object met velden"
    MV010 = "MV010", "casus", "onbekend veld in de casus"
    MV011 = "MV011", "casus", "ongeldige waarde voor een veld (de waarde zelf wordt niet herhaald)"
    MV012 = "MV012", "casus", "een veld heeft het verkeerde type of vorm"
    MV020 = "MV020", "casus", "op de `datum` van de casus geldt geen versie van de ruleset (bijvoorbeeld ervoor)"
    MV021 = "MV021", "casus", "de gevraagde `versie` van de ruleset bestaat niet"


# ---------------------------------------------------------------- located problems


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a file and line, or (in a case) a file and a field path."""

    file: str
    line: int = 0  # 1-based; 0 = the file as a whole
    column: int = 0  # 1-based
    #: the dotted field path in a case (``afweging.vermoeden``); empty in a ruleset file
    path: str = ""

    def __str__(self) -> str:
        if not self.line:
            return f"{self.file}: {self.path}" if self.path else self.file
        return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding. ``code`` is stable; ``message`` is Dutch and says what to do."""

    code: str
    message: str
    location: Location
    suggestion: str | None = None
    severity: Severity = "fout"
    details: tuple[str, ...] = field(default=())

    def render(self) -> str:
        text = f"{self.location}: {self.code}: {self.message}"
        if self.suggestion:
            text += f"\n    bedoelde u: {self.suggestion}?"
        for line in self.details:
            text += f"\n    {line}"
        return text

    def sort_key(self) -> tuple[Location, str]:
        return (self.location, self.code)


def nearest(word: str, options: Iterable[str]) -> str | None:
    """The closest valid spelling of ``word``, for 'bedoelde u ...?' suggestions."""
    options = list(options)
    # A trainer often types only the last part of a dotted fact name: an exact last part
    # beats a similar-looking other name (`vermoeden` -> `afweging.vermoeden`, not `vormen`).
    tail = [o for o in options if o != word and o.rsplit(".", 1)[-1] == word.rsplit(".", 1)[-1]]
    if tail:
        return tail[0]
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


# ---------------------------------------------------------------- exceptions


class MeldcodeError(Exception):
    """Base of every error this library raises on purpose."""


class RulesetError(MeldcodeError):
    """One or more problems in ruleset files; ``diagnostics`` holds all of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.diagnostics)
        head = f"{count} {'fout' if count == 1 else 'fouten'} in de ruleset(s):"
        return "\n".join([head, *(d.render() for d in self.diagnostics)])


class DiffError(MeldcodeError):
    """``diff``/``check --against``: OLD or NEW is not a path nor a git revision, or cannot be read."""


class ScenarioError(RulesetError):
    """One or more problems in scenario files; ``diagnostics`` holds all of them."""

    def render(self) -> str:
        count = len(self.diagnostics)
        head = f"{count} {'fout' if count == 1 else 'fouten'} in de scenario's:"
        return "\n".join([head, *(d.render() for d in self.diagnostics)])


def case_problem(
    code: Code, message: str, source: str = "casus", path: str = "", suggestion: str | None = None
) -> Diagnostic:
    """A problem in a case: located by its field path (``path``), never carrying the value."""
    return Diagnostic(code, message, Location(source, path=path), suggestion)


class CaseError(MeldcodeError):
    """A case file that cannot be read or does not fit the vocabulary.

    ``diagnostics`` are located problems (the field path as location, a ``MV``
    code, the message, a suggestion); ``problems`` the same as one line of text each.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic | str], source: str = "casus") -> None:
        self.source = source
        self.diagnostics = [
            d if isinstance(d, Diagnostic) else case_problem(Code.MV012, d, source) for d in diagnostics
        ]
        self.problems = [_problem_text(d, source) for d in self.diagnostics]
        super().__init__(f"{source}: de casus is ongeldig:\n" + "\n".join(f"  - {p}" for p in self.problems))


def _problem_text(diagnostic: Diagnostic, source: str) -> str:
    location = diagnostic.location
    if not diagnostic.code.startswith("MV") or location.file != source:
        return diagnostic.render()  # a problem of the file itself (YAML syntax), as the loader words it
    text = f"`{location.path}`: {diagnostic.message}" if location.path else diagnostic.message
    return text + (f" (bedoelde u `{diagnostic.suggestion}`?)" if diagnostic.suggestion else "")


class UnknownSector(MeldcodeError):
    """No installed sector (or ruleset) has that name."""

    def __init__(self, sector: str, known: Iterable[str]) -> None:
        known = sorted(known)
        # The given text is not repeated: a case system may paste case text into `sector`.
        hint = nearest(sector, known) if isinstance(sector, str) and len(sector) <= 64 else None
        message = f"onbekende sector; bekend: {', '.join(known)}"
        if hint:
            message += f" (bedoelde u `{hint}`?)"
        super().__init__(message)
        self.sector = sector


class SectorError(MeldcodeError):
    """A sector package that cannot be used (bad descriptor, duplicate name, ...)."""


class EngineUnavailable(MeldcodeError):
    """The requested engine cannot run here."""


class Geweigerd(MeldcodeError):
    """``monitor``: a record that is no valid dossier: a category, never its content."""

    def __init__(self, categorie: str) -> None:
        super().__init__(categorie)
        self.categorie = categorie


class InvoerFout(MeldcodeError):
    """``monitor``: a path that cannot be read at all (missing, unknown kind, no pyarrow for Parquet)."""


class DaskFout(MeldcodeError):
    """``monitor --dask``: Dask cannot be used as asked (not installed, no scheduler, standard input)."""


class DurableEngineError(MeldcodeError):
    """durable-rules answered something this adapter does not understand."""


class CheckerBug(AssertionError):
    """``check`` and the evaluator disagree: never a finding to waive, always a bug to fix.

    An ``AssertionError``, not a :class:`MeldcodeError`: it is never the user's input.
    """


class SchemaPortabilityError(ValueError):
    """A generated JSON Schema uses something other validators do not read the same way."""


class RecordError(MeldcodeError):
    """A decision record cannot be written or read (the message says why, in Dutch)."""


class ConfigError(MeldcodeError):
    """The service cannot start with this configuration (the message says why, in Dutch)."""


class ProblemError(MeldcodeError):
    """Inside the HTTP service: a request that fails; the app turns it into a Dutch problem
    document (RFC 9457) of its ``kind`` (see :mod:`meldcode_rules.service.problems`)."""

    def __init__(self, kind: str, detail: str, fouten: list[str] | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.fouten = fouten or []


class DurableTooWide(Exception):
    """A rule that durable-rules cannot hold, however it is split (compiler/bounds.py);
    the compiler turns it into MR039, never to a caller."""


class InputProblem(Exception):
    """Case data outside the limits (load/guard.py); ``problems`` are Dutch sentences naming
    places. Always turned into a :class:`CaseError` before it reaches a caller."""

    def __init__(self, problems: list[str], code: Code = Code.MV012) -> None:
        self.problems = problems
        self.code = code
        super().__init__("\n".join(problems))

    def case_error(self, source: str) -> CaseError:
        return CaseError([case_problem(self.code, p, source) for p in self.problems], source)


class YamlTooLarge(Exception):
    """The written-out YAML passed a limit (an alias bomb, an alias to itself); the loader
    turns it into MR003 at ``path``, never to a caller."""

    def __init__(self, message: str, path: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
