"""Explain one case step by step, in plain Dutch.

:func:`uitleg` returns the structure (for a case system that shows its own
screen); :func:`explain` returns the same as text (``meldcode-rules explain``).
Both are built on :func:`meldcode_rules.api.evaluate`: the explanation is of
the judgement the engine gave, never a second opinion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.bronnen import Bron, bronnen_voor
from meldcode_rules.case.model import Case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.explain.render import conclusie_tekst, conditie_tekst
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.sectors.registry import RulesetKeuze, choose

#: The part of the case each step of the meldcode answers.
STAP_DELEN: tuple[tuple[str, str], ...] = (
    ("stappen.", "Stap 1 tot en met 3: signalen, consultatie en gesprek"),
    ("afweging.", "Stap 4 en 5: de afwegingsvragen"),
)


@dataclass(frozen=True)
class Antwoord:
    feit: str
    vraag: str
    antwoord: str


@dataclass(frozen=True)
class RegelUitleg:
    regel: str
    titel: str
    uitleg: str
    voorwaarde: str
    conclusie: str
    bron: str
    locatie: str


@dataclass(frozen=True)
class Onbekend:
    feit: str
    vraag: str
    #: the rules an answer could make apply, as ``(id, titel, conclusie)``
    regels: tuple[tuple[str, str, str], ...]
    #: of those, the ones that conclude ``melden: ja``
    meldregels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Uitleg:
    """The explanation of one judgement, in the order a professional reads it."""

    oordeel: Judgement
    #: per part of the meldcode: its title and the answers in the case
    stappen: tuple[tuple[str, tuple[Antwoord, ...]], ...]
    regels: tuple[RegelUitleg, ...]
    onbekend: tuple[Onbekend, ...]
    #: the legend entries of every source tag the fired rules cite (docs/bronnen.md)
    bronnen: tuple[Bron, ...] = ()


def _antwoord(case: Case, path: str) -> str:
    value: Any = case
    for part in path.split("."):
        value = getattr(value, part)
    if value is None:
        return "niet opgegeven"
    return value.value if isinstance(value, Enum) else str(value)


def uitleg(
    case: Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
) -> Uitleg:
    """The structured explanation of how ``case`` is judged."""
    facts = parse_case(case)
    compiled = choose(ruleset, sector or facts.sector, facts.datum)  # the version of its date
    oordeel = evaluate(facts, sector=sector, engine=engine, ruleset=compiled)
    return uitleg_van(facts, compiled, oordeel)


def uitleg_van(facts: Case, compiled: CompiledRuleset, oordeel: Judgement) -> Uitleg:
    """The explanation of a judgement already made of ``facts`` (a dossier's derived case, too)."""
    delen = []
    for prefix, titel in STAP_DELEN:
        antwoorden = tuple(
            Antwoord(spec.path, spec.vraag, _antwoord(facts, spec.path))
            for spec in compiled.catalog
            if spec.path.startswith(prefix)
        )
        delen.append((titel, antwoorden))
    regels = []
    for r in oordeel.redenering:
        try:
            rule = compiled.rule(r.regel)
        except KeyError:  # the safety net of combine.py is not a rule of the ruleset
            regels.append(RegelUitleg(r.regel, r.titel, r.uitleg, "-", "melden: onbekend", r.bron, r.locatie))
            continue
        regels.append(
            RegelUitleg(
                r.regel, r.titel, r.uitleg, conditie_tekst(rule.als), conclusie_tekst(rule.dan), r.bron, r.locatie
            )
        )
    onbekend = []
    for vraag in oordeel.open_vragen:
        betrokken = []
        for rule_id in vraag.regels:
            try:
                rule = compiled.rule(rule_id)
            except KeyError:
                continue
            betrokken.append((rule.id, rule.titel, conclusie_tekst(rule.dan)))
        meldregels = tuple(rid for rid in vraag.regels if rid in {r.id for r in compiled.rules if r.dan.melden == "ja"})
        onbekend.append(Onbekend(vraag.feit, vraag.vraag, tuple(betrokken), meldregels))
    bronnen: dict[str, Bron] = {}
    for r in oordeel.redenering:
        for bron in bronnen_voor(r.bron):
            bronnen.setdefault(bron.tag, bron)
    return Uitleg(oordeel, tuple(delen), tuple(regels), tuple(onbekend), tuple(bronnen.values()))


MELDEN_TEKST = {
    "ja": "Ja: meld bij Veilig Thuis.",
    "nee": "Nee: op grond van wat nu bekend is, hoeft u niet te melden.",
    "onbekend": "Nog niet te zeggen: een antwoord op een open vraag kan een melding nodig maken. "
    "Raadpleeg bij twijfel Veilig Thuis.",
}


def tekst(u: Uitleg) -> str:
    """The explanation as plain Dutch text."""
    o = u.oordeel
    sector = o.sector or "basismodel"
    versies = ", ".join(f"{r.id} {r.versie}" for r in o.ruleset)
    out = [
        f"Uitleg bij de casus (sector: {sector}; ruleset: {versies}; datum: {o.datum.isoformat()}; engine: {o.engine})",
        "",
    ]
    n = 0
    for titel, antwoorden in u.stappen:
        n += 1
        out.append(f"{n}. {titel}")
        for a in antwoorden:
            out.append(f"   - {a.vraag}")
            out.append(f"     Antwoord: {a.antwoord}")
        out.append("")
    n += 1
    out.append(f"{n}. Welke regels gelden, en waarom")
    for r in u.regels:
        out += [
            f"   - {r.titel} ({r.regel})",
            f"     Waarom: {r.uitleg}",
            f"     Voorwaarde: {r.voorwaarde}",
            f"     Gevolg: {r.conclusie}",
            f"     Bron: {r.bron}",
            f"     Vastgelegd in: {r.locatie}",
        ]
    out.append("")
    n += 1
    out.append(f"{n}. Wat nog onbekend is")
    if not u.onbekend:
        out.append("   Niets dat het oordeel over melden nog kan veranderen.")
    for v in u.onbekend:
        out.append(f"   - {v.vraag} ({v.feit})")
        if v.meldregels:
            titels = "; ".join(f"{titel} ({rid})" for rid, titel, _ in v.regels if rid in v.meldregels)
            out.append(f"     Dit doet ertoe: het antwoord kan een melding nodig maken: {titels}.")
        elif v.regels:
            titels = "; ".join(f"{titel} ({rid})" for rid, titel, _ in v.regels)
            out.append(f"     Dit doet ertoe: het antwoord bepaalt of deze regels gelden: {titels}.")
    out.append("")
    n += 1
    out += [
        f"{n}. Het oordeel",
        f"   Stap: {o.stap}",
        f"   Melden: {MELDEN_TEKST[o.melden]}",
        f"   Besluit: {o.besluit}",
        "",
    ]
    n += 1
    out.append(f"{n}. Wat nu te doen")
    if not o.acties:
        out.append("   Geen actie.")
    for actie in o.acties:
        wanneer = ""
        if actie.termijn:
            wanneer = (
                f" [{actie.termijn}" + (f", uiterlijk {actie.deadline.isoformat()}" if actie.deadline else "") + "]"
            )
        if actie.verlopen is True:
            wanneer += f" VERLOPEN, {actie.hoe_lang_verlopen()}"
        elif actie.verlopen == "onbekend":
            wanneer += " (of dit verlopen is, is onbekend: een datum ontbreekt)"
        out.append(f"   - {actie.tekst}{wanneer} (regels: {', '.join(actie.regels)})")
    out.append("")
    n += 1
    out.append(f"{n}. Vastleggen in het dossier")
    if not o.vastleggen:
        out.append("   Niets extra.")
    for vastlegging in o.vastleggen:
        out.append(f"   - {vastlegging.tekst}")
    if u.bronnen:
        out.append("")
        n += 1
        out.append(f"{n}. Bronnen (de afkortingen hierboven; de hele legenda staat in docs/bronnen.md)")
        for bron in u.bronnen:
            out.append(f"   - {bron.regel()}")
    return "\n".join(out) + "\n"


def explain(
    case: Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
) -> str:
    """How ``case`` is judged, step by step, as plain Dutch text."""
    return tekst(uitleg(case, sector, engine, ruleset=ruleset))
