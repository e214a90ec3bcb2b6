"""Stage 5, judge: the rules that fired -> one judgement.

Engines only decide *which* rules fire (for certain, and possibly). Turning
that into a judgement happens here, once, for every engine, so the engines
cannot differ in meaning. Conclusions combine protectively: the most
protective ``melden`` and ``besluit`` win, so adding a rule can never lower
protection, and an unknown fact that could require a report makes ``melden``
``onbekend``, never ``nee``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from meldcode_rules.compiler import CompiledRule, CompiledRuleset
from meldcode_rules.judgement import (
    Actie,
    Judgement,
    OpenVraag,
    Redenering,
    RulesetRef,
    Vastlegging,
)
from meldcode_rules.ruleset import BESLUIT_ORDE, MELDEN_ORDE, TERMIJN_PATTERN, Besluit, Melden

#: Shown when no rule settled ``melden``: a gap in the ruleset must not read as "nee".
GEEN_REGEL = Redenering(
    regel="veiligheidsnet",
    titel="Geen regel bepaalde of gemeld moet worden",
    bron="Besluit verplichte meldcode, Stb. 2013, 324, art. 2 (bij twijfel Veilig Thuis raadplegen)",
    uitleg="Geen enkele regel gaf uitsluitsel over melden; daarom is het antwoord 'onbekend' en "
    "niet 'nee'. Vraag Veilig Thuis om advies.",
    ruleset="meldcode-rules",
    locatie="meldcode_rules/combine.py",
)


@dataclass(frozen=True)
class Fired:
    """Which rules fire: certainly (``zeker``) and under some answer to the unknowns."""

    zeker: frozenset[str]
    mogelijk: frozenset[str]


def deadline(datum: dt.date, termijn: str | None) -> dt.date | None:
    if termijn is None:
        return None
    match = TERMIJN_PATTERN.match(termijn)
    if match is None or termijn == "direct" or match["eenheid"] in ("uur", "uren"):
        return datum
    n = int(match["n"])
    unit = match["eenheid"]
    if unit.startswith("werkdag"):
        day = datum
        while n:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day
    return datum + dt.timedelta(days=n * (7 if unit in ("week", "weken") else 1))


def _termijn_uren(termijn: str | None) -> float:
    """Urgency of a termijn in hours, for ordering actions (no termijn: last)."""
    if termijn is None:
        return float("inf")
    match = TERMIJN_PATTERN.match(termijn)
    if termijn == "direct" or match is None:
        return 0.0
    n, unit = int(match["n"]), match["eenheid"]
    per = {
        "uur": 1,
        "uren": 1,
        "dag": 24,
        "dagen": 24,
        "werkdag": 24,
        "werkdagen": 24,
        "week": 168,
        "weken": 168,
    }[unit]
    return float(n * per) * (1.4 if unit.startswith("werkdag") else 1)


def _rank(order: tuple[str, ...], value: str) -> int:
    return order.index(value)


def judge(
    compiled: CompiledRuleset, flat: dict[str, object], fired: Fired, *, datum: dt.date, engine: str
) -> Judgement:
    rules = [r for r in compiled.rules if r.id in fired.zeker]
    possible = [r for r in compiled.rules if r.id in fired.mogelijk and r.id not in fired.zeker]

    melden, safety_net = _melden(rules, possible)
    besluit = _besluit(rules, melden)
    stappen = [r.dan.stap for r in rules if r.dan.stap is not None]

    redenering = [_reason(r) for r in rules]
    if safety_net:
        redenering.append(GEEN_REGEL)
    return Judgement(
        melden=melden,
        besluit=besluit,
        stap=_stap(stappen),
        acties=_acties(rules, datum),
        open_vragen=_open_vragen(compiled, flat, rules, possible, melden),
        vastleggen=_vastleggen(rules),
        redenering=redenering,
        ruleset=[
            RulesetRef(id=i.id, versie=i.versie, geldig_vanaf=i.geldig_vanaf, sha256=i.sha256)
            for i in compiled.rulesets
        ],
        sector=compiled.sector,
        datum=datum,
        engine=engine,
    )


def _melden(rules: list[CompiledRule], possible: list[CompiledRule]) -> tuple[Melden, bool]:
    certain = {r.dan.melden for r in rules if r.dan.melden is not None}
    if "ja" in certain:
        return "ja", False
    if "onbekend" in certain or any(r.dan.melden == "ja" for r in possible):
        return "onbekend", False
    if "nee" in certain:
        return "nee", False
    return "onbekend", True


def _stap(stappen: list[int]) -> int:
    # Step rules name the earliest unfinished step; a decision (stap 5) means the case is
    # in step 5, and the unfinished steps stay on the list as actions.
    if 5 in stappen:
        return 5
    return min(stappen) if stappen else 1


def _besluit(rules: list[CompiledRule], melden: Melden) -> Besluit:
    floor: Besluit = {"ja": "melden", "onbekend": "onvoldoende_informatie"}.get(melden, "afsluiten")  # type: ignore[assignment]
    concluded = [r.dan.besluit for r in rules if r.dan.besluit is not None]
    if not concluded and melden == "nee":
        return "verder_met_stappen"
    return max([floor, *concluded], key=lambda b: _rank(BESLUIT_ORDE, b))


def _acties(rules: list[CompiledRule], datum: dt.date) -> list[Actie]:
    merged: dict[str, dict[str, object]] = {}
    for rule in rules:
        for actie in rule.dan.acties:
            entry = merged.get(actie.code)
            if entry is None:
                merged[actie.code] = {"actie": actie, "regels": [rule.id]}
                continue
            entry["regels"].append(rule.id)  # type: ignore[union-attr]
            current = entry["actie"]
            # The most urgent termijn wins; on a tie, the text of the first rule by id.
            if _termijn_uren(actie.termijn) < _termijn_uren(current.termijn):  # type: ignore[attr-defined]
                entry["actie"] = actie
    out = []
    for code, entry in merged.items():
        actie = entry["actie"]
        out.append(
            Actie(
                code=code,
                tekst=actie.tekst,
                termijn=actie.termijn,  # type: ignore[attr-defined]
                deadline=deadline(datum, actie.termijn),  # type: ignore[attr-defined]
                regels=entry["regels"],
            )
        )  # type: ignore[arg-type]
    out.sort(key=lambda a: (_termijn_uren(a.termijn), a.code))
    return out


def _vastleggen(rules: list[CompiledRule]) -> list[Vastlegging]:
    merged: dict[str, list[str]] = {}
    for rule in rules:
        for tekst in rule.dan.vastleggen:
            merged.setdefault(tekst, []).append(rule.id)
    return [Vastlegging(tekst=t, regels=r) for t, r in merged.items()]


def _open_vragen(
    compiled: CompiledRuleset,
    flat: dict[str, object],
    rules: list[CompiledRule],
    possible: list[CompiledRule],
    melden: Melden,
) -> list[OpenVraag]:
    catalog = compiled.catalog
    wanted: dict[str, list[str]] = {}

    def want(fact: str, rule_id: str) -> None:
        spec = catalog[fact]
        if spec.kind == "tri" and flat.get(spec.key()) != "onbekend":
            return
        wanted.setdefault(fact, [])
        if rule_id not in wanted[fact]:
            wanted[fact].append(rule_id)

    if melden != "ja":
        # Answering these could change melden: rules that may fire and would conclude
        # something other than what melden is now.
        for rule in possible:
            if rule.dan.melden is not None and rule.dan.melden != melden:
                for fact in rule.feiten:
                    if not catalog[fact].later_beantwoord:
                        want(fact, rule.id)
    for rule in rules:
        for fact in rule.dan.vragen:
            want(fact, rule.id)
    ordered = sorted(wanted, key=lambda f: catalog[f].volgorde)
    return [OpenVraag(feit=f, vraag=catalog[f].vraag, regels=wanted[f]) for f in ordered]


def _reason(rule: CompiledRule) -> Redenering:
    return Redenering(
        regel=rule.id,
        titel=rule.titel,
        bron=rule.bron,
        uitleg=rule.uitleg,
        ruleset=rule.ruleset,
        locatie=_short_location(rule),
    )


def _short_location(rule: CompiledRule) -> str:
    # A relative, stable place (rulesets/x.yaml:12) rather than this machine's absolute path.
    file = re.sub(r"^.*?(?=(_?rulesets)/)", "", rule.location.file).lstrip("_")
    return f"{file}:{rule.location.line}"


def melden_rank(value: Melden) -> int:
    """Position of ``value`` in protective order (nee < onbekend < ja)."""
    return _rank(MELDEN_ORDE, value)
