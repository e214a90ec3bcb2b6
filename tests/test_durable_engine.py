"""The durable-rules traps (engines/durable.py), each handled and tested.

durable-rules does not install on Python 3.13+; there the whole module is
skipped and the reference engine is the only engine.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import pytest

from strategies import CATALOG, comparable, in_threads, random_cases

pytest.importorskip("durable")

from meldcode_rules import evaluate
from meldcode_rules.api import parse_case
from meldcode_rules.compiler.compile import Lit, Or
from meldcode_rules.engines import EngineUnavailable, get_engine
from meldcode_rules.engines.durable import MAX_KEYS, DurableEngine
from meldcode_rules.engines.protocol import Fired
from meldcode_rules.sectors.registry import compile_from, compiled_for


def test_eight_threads_give_the_sequential_results() -> None:
    # One host shared by threads segfaulted, a host per thread returned an empty state about
    # once in 5,000 calls: 8 threads x 300 calls must all equal the sequential answers.
    compiled = compiled_for()
    durable = get_engine("durable")
    cases = random_cases(150, seed=1)
    flats = [compiled.catalog.flatten(parse_case(c)) for c in cases]
    expected = [durable.fire(compiled, flat) for flat in flats]
    reference = get_engine("reference")
    assert expected == [reference.fire(compiled, flat) for flat in flats]

    def worker(index: int) -> list[Fired]:
        order = list(range(len(cases))) * 2
        random.Random(index).shuffle(order)
        got: dict[int, Fired] = {}
        for i in order:
            fired = durable.fire(compiled, flats[i])
            if fired != expected[i]:
                raise AssertionError(f"thread {index}, case {cases[i]}: {fired} != {expected[i]}")
            got[i] = fired
        return [got[i] for i in range(len(cases))]

    results = in_threads(worker)
    assert len(results) == 8
    assert all(result == expected for result in results)


def test_threads_get_whole_judgements() -> None:
    cases = random_cases(40, seed=3)
    expected = [comparable(evaluate(c, engine="durable")) for c in cases]
    got = in_threads(lambda _index: [comparable(evaluate(c, engine="durable")) for c in cases], timeout=120)
    assert all(results == expected for results in got)


def test_more_sequential_cases_than_durable_keeps_sessions() -> None:
    # durable-rules fails at the 1025th live session: every case's session must be deleted.
    compiled = compiled_for()
    durable, reference = get_engine("durable"), get_engine("reference")
    for i, case in enumerate(random_cases(2000, seed=2)):
        flat = compiled.catalog.flatten(parse_case(case))
        assert durable.fire(compiled, flat) == reference.fire(compiled, flat), (i, case)


RULESET = """\
id: basismodel
titel: Proef
versie: "1"
geldig_vanaf: 2024-01-01
bron: test
acties:
  - {{code: melden_veilig_thuis, omschrijving: Melden bij Veilig Thuis}}
regels:
  - id: of-regel
    titel: Een van twee
    bron: test
    uitleg: Een regel met twee takken.
    als:
      een_van:
        - {{feit: afweging.acute_onveiligheid, is: ja}}
        - {{feit: afweging.structurele_onveiligheid, is: ja}}
    dan:
      melden: {melden}
      acties:
        - code: melden_veilig_thuis
          tekst: Meld.
"""


def test_an_or_whose_branches_both_match_fires_once(tmp_path: Path) -> None:
    path = tmp_path / "proef.yaml"
    path.write_text(RULESET.format(melden="ja"), encoding="utf-8")
    compiled = compile_from([path])
    case = {"afweging": {"acute_onveiligheid": "ja", "structurele_onveiligheid": "ja"}}
    fired = get_engine("durable").fire(compiled, compiled.catalog.flatten(parse_case(case)))
    assert fired == Fired(frozenset({"of-regel"}), frozenset({"of-regel"}))
    oordeel = evaluate(case, engine="durable", ruleset=compiled)
    assert [r.regel for r in oordeel.redenering] == ["of-regel"]
    (actie,) = oordeel.acties
    assert actie.regels == ("of-regel",)
    assert comparable(oordeel) == comparable(evaluate(case, engine="reference", ruleset=compiled))


def test_a_case_that_matches_no_rule_is_an_answer_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "proef.yaml"
    path.write_text(RULESET.format(melden="ja"), encoding="utf-8")
    compiled = compile_from([path])
    case = {"afweging": {"acute_onveiligheid": "nee", "structurele_onveiligheid": "nee"}}
    fired = get_engine("durable").fire(compiled, compiled.catalog.flatten(parse_case(case)))
    assert fired == Fired(frozenset(), frozenset())
    oordeel = evaluate(case, engine="durable", ruleset=compiled)
    assert oordeel.melden == "onbekend"  # no rule decided: the safety net, never `nee`
    assert [r.regel for r in oordeel.redenering] == ["veiligheidsnet"]
    # and the engine still works afterwards
    again = {"afweging": {"acute_onveiligheid": "ja"}}
    assert evaluate(again, engine="durable", ruleset=compiled).melden == "ja"


def _synthetic(keys: int) -> Any:
    """The basismodel with one extra rule testing ``keys`` distinct flat keys."""
    base = compiled_for()
    template = base.rules[0]
    wide = Or(tuple(Lit(f"proef__k{i}", True) for i in range(keys)))
    rule = dataclasses.replace(template, id=f"zz-breed-{keys}", zeker=wide, mogelijk=wide)
    only = dataclasses.replace(base, id=f"proef-{keys}", rules=(rule,))
    flat = {f"proef__k{i}": i == keys - 1 for i in range(keys)}
    return only, flat


def test_the_real_catalog_fits_in_one_durable_fact() -> None:
    keys = {spec.key() for spec in CATALOG if spec.kind != "lijst"}
    keys |= {spec.key(v) for spec in CATALOG if spec.kind == "lijst" for v in spec.values}
    assert len(keys) <= MAX_KEYS


def test_a_ruleset_testing_max_keys_runs() -> None:
    compiled, flat = _synthetic(MAX_KEYS)
    fired = DurableEngine().fire(compiled, flat)
    assert fired.zeker == {f"zz-breed-{MAX_KEYS}"}


def test_a_ruleset_testing_more_keys_than_durable_holds_is_refused_clearly() -> None:
    compiled, flat = _synthetic(MAX_KEYS + 1)
    with pytest.raises(EngineUnavailable) as caught:
        DurableEngine().fire(compiled, flat)
    message = str(caught.value)
    assert "MAX_OBJECT_PROPERTIES" in message
    assert "--engine reference" in message
    assert str(MAX_KEYS + 1) in message
    # The reference engine has no such limit.
    assert get_engine("reference").fire(compiled, flat).zeker == {f"zz-breed-{MAX_KEYS + 1}"}


TWIN = """\
id: basismodel
titel: Proef
versie: "1"
geldig_vanaf: 2024-01-01
bron: test
regels:
  - id: {rule_id}
    titel: Proef
    bron: test
    uitleg: Dezelfde voorwaarde, een andere regel.
    als: {{feit: afweging.acute_onveiligheid, is: ja}}
    dan:
      melden: {melden}
"""


def test_an_edited_ruleset_with_the_same_conditions_is_not_confused_with_the_first(tmp_path: Path) -> None:
    # A trainer renames a rule and changes its conclusion, and the edited ruleset is
    # evaluated in the same process (a check run, a service that reloads rulesets).
    compiled = []
    for name, rule_id, melden in (("eerst", "regel-a", "ja"), ("daarna", "regel-b", "onbekend")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "basismodel.yaml").write_text(TWIN.format(rule_id=rule_id, melden=melden), encoding="utf-8")
        compiled.append(compile_from([folder]))
    case = {"afweging": {"acute_onveiligheid": "ja"}}
    for ruleset, rule_id, melden in zip(compiled, ("regel-a", "regel-b"), ("ja", "onbekend"), strict=True):
        oordeel = evaluate(case, engine="durable", ruleset=ruleset)
        assert [r.regel for r in oordeel.redenering] == [rule_id]
        assert oordeel.melden == melden
