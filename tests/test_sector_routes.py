"""Issue 15: the properties of the sector routes are invariants that `check` proves, and they bite.

Each invariant is proved (exhaustively) on the shipped rulesets, and a mutant that undoes the
fix makes `check` report it (MC200) with a counterexample. Also: exceptions (`uitzonderingen`)
are refused where they could lower a report (MR037), and the case space stays exhaustive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meldcode_rules.api import parse_case
from meldcode_rules.check.context import besluit_rules, space_for
from meldcode_rules.check.invariants import check_declared
from meldcode_rules.check.space import Lit, Or, _interchangeable
from meldcode_rules.compiler.compile import And, evaluate_expr
from meldcode_rules.diagnostics import RulesetError
from meldcode_rules.sectors.registry import compile_from, compiled_for


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "sector",
    [None, "gezondheidszorg", "jeugdhulp", "maatschappelijke_ondersteuning", "onderwijs", "kinderopvang", "justitie"],
)
def test_the_invariants_are_proved_on_the_shipped_rulesets(sector: str | None) -> None:
    assert check_declared(compiled_for(sector)) == []


MUTANTS = [
    # (file, text to remove, sector, invariant that must catch it)
    ("basismodel.yaml", "        - niet: {begrip: stappen_open}\n", None, "niet-afsluiten-met-open-stap"),
    (
        "jeugdhulp.yaml",
        "        - {feit: medewerker_verdacht, is: ja}\n",
        "jeugdhulp",
        "zorgrelatie-igj-uit-beide-feiten",
    ),
    (
        "maatschappelijke_ondersteuning.yaml",
        "        - {feit: medewerker_verdacht, is: ja}\n",
        "maatschappelijke_ondersteuning",
        "zorgrelatie-toezichthouder-uit-beide-feiten",
    ),
    (
        "gezondheidszorg.yaml",
        "        - {feit: medewerker_verdacht, is: ja}\n",
        "gezondheidszorg",
        "zorgrelatie-igj-uit-beide-feiten",
    ),
    (
        "onderwijs.yaml",
        "  - regel: stap3-gesprek-met-client\n",
        "onderwijs",
        "route-verdachte-medewerker-zonder-gesprek",
    ),
    (
        "kinderopvang.yaml",
        "  - regel: stap3-gesprek-met-client\n",
        "kinderopvang",
        "route-verdachte-medewerker-zonder-gesprek",
    ),
]


@pytest.mark.parametrize(("file", "remove", "sector", "invariant"), MUTANTS, ids=[m[3] + "-" + m[0] for m in MUTANTS])
def test_each_invariant_catches_the_undone_fix(
    rulesets: Path, file: str, remove: str, sector: str | None, invariant: str
) -> None:
    path = rulesets / file
    if remove.startswith("  - regel:"):
        # drop the whole exception: everything from `uitzonderingen:` to `invarianten:`
        text = path.read_text(encoding="utf-8")
        start, end = text.index("uitzonderingen:"), text.index("invarianten:")
        path.write_text(text[:start] + text[end:], encoding="utf-8")
    else:
        _edit(path, remove, "")
    findings = check_declared(compile_from([rulesets], sector))
    hits = [f for f in findings if f.code == "MC200" and f"`{invariant}`" in f.message]
    assert hits, [f.message for f in findings]
    assert hits[0].proved and hits[0].tegenvoorbeeld is not None


def test_an_exception_on_a_reporting_rule_is_refused(rulesets: Path) -> None:
    _edit(rulesets / "onderwijs.yaml", "  - regel: stap3-gesprek-met-client", "  - regel: meldnorm1-acute-onveiligheid")
    with pytest.raises(RulesetError) as err:
        compile_from([rulesets], "onderwijs")
    assert [d.code for d in err.value.diagnostics] == ["MR037"]
    assert "melden" in err.value.diagnostics[0].message


def test_an_exception_on_an_unknown_rule_is_refused_with_a_suggestion(rulesets: Path) -> None:
    _edit(rulesets / "onderwijs.yaml", "  - regel: stap3-gesprek-met-client", "  - regel: stap3-gesprek-met-clint")
    with pytest.raises(RulesetError) as err:
        compile_from([rulesets], "onderwijs")
    diagnostic = err.value.diagnostics[0]
    assert diagnostic.code == "MR037"
    assert diagnostic.suggestion == "stap3-gesprek-met-client"


def test_an_exception_keeps_the_rule_while_its_facts_are_unknown() -> None:
    compiled = compiled_for("onderwijs")
    rule = compiled.rule("stap3-gesprek-met-client")
    assert rule.ruleset == "basismodel"  # narrowed, not replaced
    flat = compiled.catalog.flatten(parse_case({"sector": "onderwijs", "vormen": ["seksueel_geweld"]}))
    assert evaluate_expr(rule.zeker, flat)  # medewerker_verdacht onbekend: the conversation stays
    flat["medewerker_verdacht"] = "ja"
    assert not evaluate_expr(rule.zeker, flat) and not evaluate_expr(rule.mogelijk, flat)


def test_list_values_that_only_count_together_share_one_atom() -> None:
    group = Or((Lit("kindcheck__problematiek__lvb", True), Lit("kindcheck__problematiek__depressie", True)))
    assert _interchangeable([group], set()) == {"kindcheck__problematiek__depressie": "kindcheck__problematiek__lvb"}
    # tested alone somewhere else: no longer interchangeable
    alone = Lit("kindcheck__problematiek__lvb", True)
    assert _interchangeable([group, alone], set()) == {}
    # once "one of them", once "all of them": not interchangeable either
    both = And(group.items)
    assert _interchangeable([group, both], set()) == {}


def test_the_basismodel_decisions_stay_exhaustive_with_the_kindcheck() -> None:
    compiled = compiled_for(None)
    space = space_for(compiled, besluit_rules(compiled))
    assert space.exhaustive
    assert "kindcheck__zorgt_voor_minderjarigen" in space.index
