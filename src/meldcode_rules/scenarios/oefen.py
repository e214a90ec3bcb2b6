"""Training mode: the trainee answers the afwegingsvragen for a case, the ruleset gives feedback.

An exercise is a case file (its leading comment lines are the story) or a
scenario file (``scenarios: [{naam, omschrijving, gegeven, ...}]``, or one ``gegeven:``).
Nothing that gives the answer away is shown before the questions: not the ``# verwacht:``
or ``# Meldcode:`` lines of a case file, not a scenario's ``naam`` or ``bron`` (they often
name the meldnorm); those are shown after the last answer, with the score.
The trainee sees the story and every fact except the answers to the
afwegingsvragen, and answers those in the order of the afwegingskader
(ja / nee / weet niet). Each answer is compared with the case, and the
feedback cites the rules that fire for the right answer, with their bron.
The questions stop where the afwegingskader ends, as in practice.

The interaction is a function of two callables (``vraag`` and ``zeg``), so
the CLI is a thin adapter and the whole exchange can be tested.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.case.model import Case
from meldcode_rules.diagnostics import CaseError, Code, case_problem
from meldcode_rules.explain.render import takken
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.messages import os_message
from meldcode_rules.sectors.registry import RulesetKeuze, choose

ANTWOORDEN: tuple[str, ...] = ("ja", "nee", "weet niet")
#: "weet niet" is how a trainee says the case leaves the answer ``onbekend``
NAAR_FEIT = {"ja": "ja", "nee": "nee", "weet niet": "onbekend"}
VAN_FEIT = {v: k for k, v in NAAR_FEIT.items()}

#: The afwegingsvragen in order: (fact, node of the chart, the answer that leads on to the next question).
VOLGORDE: tuple[tuple[str, str, str], ...] = (
    ("afweging.vermoeden", "V1", "ja"),
    ("afweging.acute_onveiligheid", "V2", "nee"),
    ("afweging.structurele_onveiligheid", "V2", "nee"),
    ("afweging.hulp_mogelijk", "V3", "ja"),
    ("afweging.hulp_aanvaard", "V4", "ja"),
    ("afweging.hulp_effectief", "V5", ""),
)
ALGEMENE_BRON = "Afwegingskader meldcode huiselijk geweld en kindermishandeling [NJI][HAAG]"


@dataclass(frozen=True)
class Oefening:
    naam: str
    verhaal: str
    case: Case
    sector: str | None
    #: where the exercise comes from (a scenario's ``bron``): shown after the answers
    bron: str = ""


#: comment lines of a case file that begin what the story must not tell (the answer)
_ANTWOORD_REGELS = ("verwacht", "meldcode:", "sector:", "bron:")


@dataclass(frozen=True)
class Vraag:
    feit: str
    tekst: str
    #: the answer in the case: ``ja``, ``nee`` or ``weet niet``
    juist: str
    #: why, with sources: one line per rule
    toelichting: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    goed: int
    totaal: int
    oordeel: Judgement


# ---------------------------------------------------------------- reading exercises


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def lees_oefeningen(path: Path) -> list[Oefening]:
    """The exercises in a case file or a scenario file."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CaseError(
            [case_problem(Code.MV001, f"kan het bestand niet lezen: {os_message(error)}", source)], source
        ) from None
    data = _plain(read_yaml(text, source)[0])
    if not isinstance(data, dict):
        message = "een oefening is een casus of een scenariobestand (een YAML-object)"
        raise CaseError([case_problem(Code.MV004, message, source)], source)
    if "scenarios" in data or "gegeven" in data:
        sector = data.get("sector")
        items = data.get("scenarios") or [data]
        oefeningen = []
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("gegeven"), dict):
                message = f"scenario {i}: `gegeven` ontbreekt of is geen object"
                raise CaseError([case_problem(Code.MV004, message, source)], source)
            verhaal = str(item.get("omschrijving") or "")
            case = parse_case(item["gegeven"], f"{source}, scenario {i}")
            naam = str(item.get("naam", f"scenario {i}"))
            oefeningen.append(Oefening(naam, verhaal, case, case.sector or sector, str(item.get("bron") or "")))
        return oefeningen
    regels: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.lower().startswith(_ANTWOORD_REGELS):
            break  # from here on the comment explains the answer
        if "yaml-language-server" not in line:
            regels.append(body)
    case = parse_case(data, source)
    return [Oefening(path.stem, "\n".join(regels).strip(), case, case.sector)]


def gegeven_tekst(oefening: Oefening) -> str:
    """What the trainee may see: every fact given, except the answers to the afwegingsvragen."""
    data = oefening.case.model_dump(mode="json", exclude_defaults=True, exclude={"afweging"})
    lines: list[str] = []

    def walk(value: Any, prefix: str) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(sub, f"{prefix}{key}.")
        else:
            shown = ", ".join(value) if isinstance(value, list) else value
            lines.append(f"  {prefix[:-1]}: {shown}")

    walk(data, "")
    return "\n".join(lines) if lines else "  (geen andere feiten gegeven)"


# ---------------------------------------------------------------- the questions


def vragen(oefening: Oefening, ruleset: RulesetKeuze = None) -> tuple[list[Vraag], Judgement]:
    """The questions to ask, in order and up to where the afwegingskader ends, with the right answers,
    by the versions in force on the case's ``datum`` (default: today), as ``evaluate`` chooses them."""
    compiled = choose(ruleset, oefening.sector, oefening.case.datum)
    oordeel = evaluate(oefening.case, ruleset=compiled)
    fired = {r.regel: r for r in oordeel.redenering}
    getekend = takken(compiled)
    out = []
    for feit, knoop_id, verder in VOLGORDE:
        spec = compiled.catalog[feit]
        waarde = _waarde(oefening.case, feit)
        toelichting = []
        for g in getekend:
            if g.tak.van == knoop_id and g.tak.antwoord == waarde:
                for rid in g.regels:
                    if rid in fired:
                        r = fired[rid]
                        toelichting.append(f"{r.titel} ({r.regel}); bron: {r.bron}; {r.locatie}")
        if waarde == "onbekend":
            toelichting.append(
                "De casus geeft hier nog geen antwoord: vraag het na of raadpleeg Veilig Thuis; "
                f"zolang blijft melden 'onbekend'. Bron: {ALGEMENE_BRON}"
            )
        elif not toelichting:
            toelichting.append(f"Door naar de volgende afwegingsvraag. Bron: {ALGEMENE_BRON}")
        out.append(Vraag(feit, spec.vraag, VAN_FEIT[waarde], tuple(toelichting)))
        if waarde != verder:
            break
    return out, oordeel


def _waarde(case: Case, path: str) -> str:
    value: Any = case
    for part in path.split("."):
        value = getattr(value, part)
    return str(value.value)


# ---------------------------------------------------------------- the exchange


def oefen(
    oefening: Oefening,
    vraag: Callable[[str], str],
    zeg: Callable[[str], None],
    ruleset: RulesetKeuze = None,
    nummer: int | None = None,
) -> Score:
    """Run one exercise: ask with ``vraag`` (returns ja/nee/weet niet), tell with ``zeg``.

    The exercise's name and source are told only after the last answer: they give it away.
    """
    zeg(f"Oefening {nummer}" if nummer else "Oefening")
    if oefening.verhaal:
        zeg(oefening.verhaal)
    zeg("Wat er bekend is:")
    zeg(gegeven_tekst(oefening))
    zeg("")
    te_stellen, oordeel = vragen(oefening, ruleset)
    goed = 0
    for n, v in enumerate(te_stellen, start=1):
        antwoord = vraag(f"{n}. {v.tekst}")
        if antwoord == v.juist:
            goed += 1
            zeg(f"Goed: {v.juist}.")
        else:
            zeg(f"Niet goed: volgens de casus is het antwoord '{v.juist}' (u antwoordde '{antwoord}').")
        for regel in v.toelichting:
            zeg(f"  {regel}")
        zeg("")
    zeg(f"Volgens de ruleset: melden {oordeel.melden}, besluit {oordeel.besluit}, stap {oordeel.stap}.")
    for actie in oordeel.acties[:5]:
        zeg(f"  - {actie.tekst}" + (f" [{actie.termijn}]" if actie.termijn else ""))
    zeg(f"Dit was: {oefening.naam}" + (f" (bron: {oefening.bron})" if oefening.bron else ""))
    zeg(f"Score: {goed} van {len(te_stellen)} goed.")
    return Score(goed, len(te_stellen), oordeel)
