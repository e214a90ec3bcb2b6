"""``open_vragen`` only asks what can change the judgement (issue 15 item 10).

A question is asked because a rule that may still fire tests it and, firing, would
change ``melden``, ``besluit`` or an action, or because a rule that fired asks it
(``vragen``). For the first kind this checks, by trying the answers, that answering
the rule's unknown facts can indeed change the judgement.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from typing import Any

import pytest

from meldcode_rules.api import evaluate
from meldcode_rules.judge.algebra import Combination, RuleCases
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.ruleset import Actie, Conclusie
from meldcode_rules.sectors.registry import compiled_for
from strategies import random_cases, set_path


def _key(judgement: Judgement) -> tuple[Any, ...]:
    return (judgement.melden, judgement.besluit, tuple((a.code, a.tekst, a.termijn) for a in judgement.acties))


def _can_change(case: dict[str, Any], facts: list[str], before: tuple[Any, ...]) -> bool:
    for answers in itertools.product(("ja", "nee"), repeat=len(facts)):
        changed = copy.deepcopy(case)
        for fact, answer in zip(facts, answers, strict=True):
            set_path(changed, fact, answer)
        if _key(evaluate(changed, engine="reference")) != before:
            return True
    return False


@pytest.mark.parametrize("sector", [None, "onderwijs", "jeugdhulp"])
def test_every_question_from_a_possible_rule_can_change_the_judgement(sector: str | None) -> None:
    compiled = compiled_for(sector)
    checked = 0
    for case in random_cases(40, seed=17):
        if sector:
            case["sector"] = sector
        judgement = evaluate(case, engine="reference")
        flat = compiled.catalog
        fired = {r.regel for r in judgement.redenering}
        before = _key(judgement)
        for vraag in judgement.open_vragen:
            for rule_id in vraag.regels:
                rule = compiled.rule(rule_id)
                if rule_id in fired and vraag.feit in rule.dan.vragen:
                    continue  # asked by a rule that fired: the ruleset needs the answer now
                unknown = [f for f in rule.feiten if _is_unknown(case, f, flat)][:6]
                assert vraag.feit in unknown
                assert _can_change(case, unknown, before), (vraag.feit, rule_id, case)
                checked += 1
    assert checked > 20


def _is_unknown(case: dict[str, Any], fact: str, catalog: Any) -> bool:
    node: Any = case
    for part in fact.split("."):
        if not isinstance(node, dict) or part not in node:
            return True
        node = node[part]
    return node in (None, "onbekend")


def _rule(rule_id: str, feiten: tuple[str, ...], **dan: Any) -> Any:
    template = compiled_for(None).rules[0]
    return dataclasses.replace(template, id=rule_id, dan=Conclusie(**dan), feiten=feiten)


def _asked(rules: list[Any], zeker: set[str], mogelijk: set[str]) -> set[str]:
    combination = Combination(rules)
    one = RuleCases.one_case(zeker, mogelijk | zeker)
    return set(combination.vraag_kandidaten(one, combination.melden(one)))


def test_a_question_that_changes_nothing_is_not_asked() -> None:
    onbekend = _rule("a", (), melden="onbekend")
    nee = _rule("n", ("x",), melden="nee")
    # melden is onbekend for certain: n firing (nee) would change nothing, so x is not asked ...
    assert _asked([onbekend, nee], {"a"}, {"n"}) == set()
    # ... but where only the safety net answered onbekend, n would settle melden: x is asked.
    assert _asked([onbekend, nee], set(), {"n"}) == {"x"}


def test_a_question_that_could_add_or_change_an_action_is_asked() -> None:
    vt = Actie(code="veilig_thuis_raadplegen", tekst="Vraag advies.", termijn="1 week")
    urgent = Actie(code="veilig_thuis_raadplegen", tekst="Vraag direct advies.", termijn="direct")
    has_it = _rule("a", (), acties=[vt])
    same = _rule("b", ("x",), acties=[vt])
    sooner = _rule("c", ("y",), acties=[urgent])
    assert _asked([has_it, same], set(), {"b"}) == {"x"}  # the case lacks the action
    assert _asked([has_it, same], {"a"}, {"b"}) == set()  # the same action is there already
    assert _asked([has_it, sooner], {"a"}, {"c"}) == {"y"}  # a more urgent text would win


def test_a_question_that_could_change_besluit_is_asked_also_when_melden_is_nee() -> None:
    nee = _rule("a", (), melden="nee")
    hulp = _rule("h", ("x",), besluit="hulp_bieden_of_organiseren")
    sluiten = _rule("s", ("y",), besluit="afsluiten")
    assert _asked([nee, hulp], {"a"}, {"h"}) == {"x"}
    # melden nee with no besluit concluded reads verder_met_stappen: afsluiten would change it ...
    assert _asked([nee, sluiten], {"a"}, {"s"}) == {"y"}
    # ... but not once a more protective besluit is concluded.
    assert _asked([nee, hulp, sluiten], {"a", "h"}, {"s"}) == set()
