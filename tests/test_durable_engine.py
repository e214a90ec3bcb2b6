"""The durable-rules traps (engines/durable.py), each handled and tested.

durable-rules does not install on Python 3.13+; there the whole module is
skipped and the reference engine is the only engine.
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from strategies import CATALOG, comparable, in_threads, random_cases

pytest.importorskip("durable")
import durable_rules_engine  # after the skip: absent where durable-rules is not installed

from meldcode_rules import evaluate
from meldcode_rules.api import parse_case
from meldcode_rules.compiler.bounds import property_hash
from meldcode_rules.compiler.compile import And, Expr, Lit, Or
from meldcode_rules.compiler.expr import expr_keys
from meldcode_rules.diagnostics import DurableEngineError
from meldcode_rules.engines import EngineUnavailable, get_engine
from meldcode_rules.engines.durable import (
    CHUNK_PENDING,
    CHUNK_RULES,
    MAX_KEYS,
    DurableEngine,
    _branches,
    _condition,
    _entries,
    _Network,
    _pending,
    _run,
)
from meldcode_rules.engines.protocol import Fired
from meldcode_rules.sectors.registry import compile_from, compiled_for, known_sectors, versions_of


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


@pytest.mark.parametrize("total", [MAX_KEYS, MAX_KEYS + 1])
def test_a_chunk_holding_max_keys_runs(total: int) -> None:
    # Chains of `alle` leave little pending, so one chunk takes every key it may: MAX_KEYS
    # keys in one fact are accepted (one more is error 302), and one more key is a second chunk.
    base = compiled_for()
    keys = [f"proef__k{i}" for i in range(total)]
    groups = [keys[i : i + 23] for i in range(0, total, 23)]
    rules = []
    for n, group in enumerate(groups):
        expr = And(tuple(Lit(k, True) for k in group)) if len(group) > 1 else Lit(group[0], True)
        rules.append(dataclasses.replace(base.rules[0], id=f"zz-{n}", zeker=expr, mogelijk=expr))
    compiled = dataclasses.replace(base, id=f"proef-keys-{total}", rules=tuple(rules))
    durable = DurableEngine()
    for flat in ({k: True for k in keys}, {k: k != keys[-1] for k in keys}):
        assert durable.fire(compiled, flat) == get_engine("reference").fire(compiled, flat)
    sizes = [len(c.keys) for c in durable._program(compiled).chunks]
    assert sizes == [MAX_KEYS] if total == MAX_KEYS else (len(sizes) == 2 and sum(sizes) == total)


def test_a_rule_testing_more_keys_than_one_durable_fact_holds_is_split_and_runs() -> None:
    # Before issue 14 this was refused; now the `or` is split over several durable rulesets.
    compiled, flat = _synthetic(MAX_KEYS + 1)
    assert DurableEngine().fire(compiled, flat).zeker == {f"zz-breed-{MAX_KEYS + 1}"}
    assert get_engine("reference").fire(compiled, flat).zeker == {f"zz-breed-{MAX_KEYS + 1}"}


def test_an_alle_too_wide_for_one_durable_rule_is_refused_clearly() -> None:
    base = compiled_for()
    wide = And(tuple(Lit(f"proef__k{i}", True) for i in range(40)))
    rule = dataclasses.replace(base.rules[0], id="zz-alle-breed", zeker=wide, mogelijk=wide)
    compiled = dataclasses.replace(base, id="proef-alle", rules=(rule,))
    flat = {f"proef__k{i}": True for i in range(40)}
    with pytest.raises(EngineUnavailable) as caught:
        DurableEngine().fire(compiled, flat)
    assert "zz-alle-breed" in str(caught.value) and "--engine reference" in str(caught.value)
    assert get_engine("reference").fire(compiled, flat).zeker == {"zz-alle-breed"}


def test_equal_branches_are_one_durable_rule_that_answers_for_each() -> None:
    # A rule's `zeker` and `mogelijk`, or two rules, with the same condition: registered once,
    # and its firing counts for every one of them.
    base = compiled_for()
    same = Or((Lit("proef__a", True), Lit("proef__b", True)))
    other = Lit("proef__a", True)  # implies `same`, as a rule's zeker implies its mogelijk
    rules = (
        dataclasses.replace(base.rules[0], id="zz-een", zeker=same, mogelijk=same),
        dataclasses.replace(base.rules[0], id="zz-twee", zeker=other, mogelijk=same),
    )
    compiled = dataclasses.replace(base, id="proef-gelijk", rules=rules)
    durable = DurableEngine()
    program = durable._program(compiled)
    assert sorted(program.names.values()) == [
        (("zz-een", True), ("zz-een", False), ("zz-twee", False)),
        (("zz-twee", True),),
    ]
    for a, b in ((True, False), (False, True), (False, False), (True, True)):
        flat = {"proef__a": a, "proef__b": b}
        assert durable.fire(compiled, flat) == get_engine("reference").fire(compiled, flat), flat


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


# ---------------------------------------------------------------- the chunking's model of durable's C code
#
# The adapter packs branches into chunks by a model of the alpha network durable builds
# (engines/durable.py, `_Network`): an upper bound on the nodes one fact leaves pending
# (error 303 at 64) and durable's own count of expression entries (error 113 at 32). These
# tests hold the model to the C code at the edges, on rulesets registered directly.


def _direct(name: str, conditions: list[dict[str, Any]]) -> int:
    """``conditions`` as one durable ruleset of its own (with the chunks' always-firing rule)."""
    rules = {f"r{i}": {"all": [{"m": c}]} for i, c in enumerate(conditions)}
    rules["mr_always"] = {"all": [{"m": {"mr__case": 1}}]}
    return int(durable_rules_engine.create_ruleset(name, json.dumps(rules)))


def _bound(conditions: list[dict[str, Any]]) -> int:
    network = _Network()  # holds the always-firing rule already
    for condition in conditions:
        network.add(condition)
    return _pending(network.root, network.memo)


def _assert_once(handle: int, fact: dict[str, Any]) -> None:
    # The session is left alone: deleting one in which no action was started frees the
    # uninitialised action context of a new state node (state.c, deleteStateNode: SIGSEGV).
    # The always-true key first: its node is pushed first and walked last (handleAlpha).
    durable_rules_engine.assert_fact(handle, json.dumps({"mr__case": 1, **fact, "sid": "edge"}))


@pytest.mark.parametrize("shape", ["tests", "or-joins", "nested"])
def test_the_pending_bound_is_durables_own_count_at_the_edge(shape: str) -> None:
    # For each shape the worst fact pushes exactly the bound: C accepts it at 64 (or 63) and
    # refuses one more with error 303, so the model neither misses a push nor an order.
    def conditions(n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        if shape == "tests":  # n tests under the root, all matching
            return [{f"k{i}": "ja"} for i in range(n)], {f"k{i}": "ja" for i in range(n)}
        if shape == "or-joins":  # n `$or`s of two tests: 2n tests, each pushes its join
            conds = [{"$or": [{f"a{i}": "ja"}, {f"b{i}": "ja"}]} for i in range(n)]
            return conds, {**{f"a{i}": "ja" for i in range(n)}, **{f"b{i}": "ja" for i in range(n)}}
        # 30 tests under the root, and one chain whose second node has n matching tests: walked
        # first (its key is the fact's last property, so it is pushed last) while 31 wait.
        conds = [{f"k{i}": "ja"} for i in range(30)]
        conds.append({"$and": [{"z": "ja"}, {"$or": [{f"c{i}": "ja"} for i in range(n)]}]})
        fact = {**{f"k{i}": "ja" for i in range(30)}, **{f"c{i}": "ja" for i in range(n)}, "z": "ja"}
        return conds, fact

    sizes = {"tests": 63, "or-joins": 31, "nested": 33}
    fits, fact = conditions(sizes[shape])
    over, over_fact = conditions(sizes[shape] + 1)
    assert _bound(fits) in (63, 64) and _bound(over) > 64
    _assert_once(_direct(f"edge_fits_{shape}", fits), fact)
    with pytest.raises(durable_rules_engine.error, match="303"):
        _assert_once(_direct(f"edge_over_{shape}", over), over_fact)


def test_durables_expression_entries_are_its_connectives() -> None:
    # rete.c appends two entries per `$and`/`$or` and none per test against a value: an `$and`
    # of 14 `$or`s (30 entries, 42 tests) is one rule, of 15 (32) error 113.
    def of(n: int) -> Expr:
        return And(tuple(Or((Lit(f"proef__a{i}", True), Lit(f"proef__b{i}", True))) for i in range(n)))

    assert _entries(of(14)) == 30 and _branches(of(14)) == [of(14)]
    _direct("entries_14", [_condition(of(14))])
    with pytest.raises(durable_rules_engine.error, match="113"):
        _direct("entries_15", [_condition(of(15))])
    assert len(_branches(of(15))) == 2  # split on its first `or`


# Two names with one FNV-1a hash (found by a birthday search over random names): durable-rules
# knows a property only by that hash, so for it these are one key.
_SAME_HASH = ("proef__2u62yrmnkt", "proef__cdplqyu9hs")


def test_property_hash_is_the_hash_durable_knows_properties_by() -> None:
    # The two hashes durable-rules hard-codes in state.h (HASH_ID, HASH_SID), for its own keys.
    assert property_hash("id") == 926444256 and property_hash("sid") == 3593476751
    assert property_hash(_SAME_HASH[0]) == property_hash(_SAME_HASH[1])


def test_durable_takes_two_names_with_one_hash_for_one_property() -> None:
    # The trap the adapter guards against: a rule testing one name fires on a fact holding the other.
    handle = _direct("proef_een_hash", [{_SAME_HASH[0]: "ja"}])
    assert "r0" in _run(handle, json.dumps({"mr__case": 1, _SAME_HASH[1]: "ja", "sid": "mr"}))


def test_a_ruleset_whose_keys_share_a_hash_is_refused_before_it_reaches_durable() -> None:
    base = compiled_for()
    rules = tuple(
        dataclasses.replace(base.rules[0], id=f"zz-hash-{i}", zeker=Lit(key, "ja"), mogelijk=Lit(key, "ja"))
        for i, key in enumerate(_SAME_HASH)
    )
    compiled = dataclasses.replace(base, id="proef-een-hash", rules=rules)
    flat = {_SAME_HASH[0]: "nee", _SAME_HASH[1]: "ja"}
    with pytest.raises(EngineUnavailable) as caught:
        DurableEngine().fire(compiled, flat)
    message = str(caught.value)
    assert all(key in message for key in _SAME_HASH) and "--engine reference" in message
    assert "nee" not in message.replace("een", "")  # names the keys, never a value of the case
    # the reference engine reads each key by its name
    assert get_engine("reference").fire(compiled, flat).zeker == {"zz-hash-1"}


def test_every_key_of_every_shipped_ruleset_has_a_hash_of_its_own() -> None:
    # What _Program checks when it is built, over every sector and every version shipped.
    for sector in (None, *known_sectors()):
        for _, vanaf, _ in versions_of(sector):
            compiled = compiled_for(sector, datum=vanaf)
            keys = set().union(*(expr_keys(e) for r in compiled.rules for e in (r.zeker, r.mogelijk)))
            names = {*keys, "id", "sid", "mr__case"}
            assert len({property_hash(k) for k in names}) == len(names), sector


def test_a_fact_durable_refuses_is_reported_as_such_not_as_the_failed_clean_up() -> None:
    # A fact with more properties than durable holds fails the assert (302) before a session
    # exists; deleting the session then fails as well (309), and used to hide the first error
    # behind a raw durable_rules_engine.error.
    handle = _direct("proef_302", [{"k0": "ja"}])
    fact = {**{f"k{i}": "ja" for i in range(300)}, "sid": "mr", "mr__case": 1}
    with pytest.raises(DurableEngineError) as caught:
        _run(handle, json.dumps(fact))
    assert "302" in str(caught.value) and "309" not in str(caught.value)
    # and the handle still judges
    assert _run(handle, json.dumps({"k0": "ja", "sid": "mr", "mr__case": 1})) == {"r0", "mr_always"}


def test_the_shapes_the_chunking_makes_run_and_agree() -> None:
    # Whole rules of up to 15 connectives, chunks of CHUNK_RULES rules and up to CHUNK_PENDING
    # pending, in a child process (a crash in C is a failed test, not a dead pytest).
    tests = str(Path(__file__).parent)
    code = f"import sys; sys.path.insert(0, {tests!r}); import test_durable_engine as t; t.chunk_shapes()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=600, check=False)
    assert result.returncode == 0, (result.returncode, result.stderr.decode()[-2000:])
    assert result.stdout.decode().split() == ["chunks", "agree"]


def chunk_shapes() -> None:
    """Random rules over 20 tri-state keys, packed as the adapter packs them; both engines agree.

    Deep rules fill chunks up to the pending bound, small ones up to the rule limit.
    """
    rng = random.Random(11)
    keys = [f"proef__k{i}" for i in range(20)]

    def expr(depth: int) -> Expr:
        if depth == 0 or rng.random() < 0.2:
            return Lit(rng.choice(keys), rng.choice(("ja", "nee", "onbekend")), rng.random() < 0.7)
        kind = And if depth % 2 else Or
        return kind(tuple(expr(depth - 1) for _ in range(rng.randint(2, 4))))

    base = compiled_for()
    durable, reference = DurableEngine(), get_engine("reference")
    for depth, count, full in ((3, 200, "pending"), (1, 300, "rules")):
        rules = []
        for i in range(count):  # as compiled rules are: what fires for certain fires possibly
            zeker = expr(depth)
            rules.append(
                dataclasses.replace(base.rules[0], id=f"zz-{i}", zeker=zeker, mogelijk=Or((zeker, expr(depth))))
            )
        compiled = dataclasses.replace(base, id=f"proef-{full}", rules=tuple(rules))
        program = durable._program(compiled)
        sizes, pending = [], []
        for chunk in program.chunks:
            definitions = durable._host.get_ruleset(chunk.name)._definition
            network = _Network()
            for name, rule in definitions.items():
                if name != "mr_always":
                    network.add(rule["all"][0]["m"])
            sizes.append(len(definitions))
            pending.append(_pending(network.root, network.memo))
        assert max(pending) <= CHUNK_PENDING and max(sizes) <= CHUNK_RULES, (sizes, pending)
        # each kind of shape reaches the limit it is meant to reach
        assert (max(pending) >= CHUNK_PENDING - 4) if full == "pending" else (max(sizes) == CHUNK_RULES), (
            sizes,
            pending,
        )
        for _ in range(300):
            flat = {k: rng.choice(("ja", "nee", "onbekend")) for k in keys}
            assert durable.fire(compiled, flat) == reference.fire(compiled, flat), flat
    print("chunks agree")
