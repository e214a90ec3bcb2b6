"""Every operator of the one table, through every stage: load, check, compile, both engines,
render, explain, ``meldcode-rules check`` and the schema.

The loop is over :data:`OPERATORS`, so a new entry is covered without touching this file.
Each operator's three-valued meaning is checked against an oracle written here from the
documented meaning (docs/ruleset-format.md), not from the compiler: over every answer of the
fact, ``zeker`` is "holds for every completion of an unknown" and ``mogelijk`` "for some".
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from meldcode_rules import schema
from meldcode_rules.case.facts import GEEN, FactSpec, catalog_for
from meldcode_rules.case.model import Case
from meldcode_rules.check import run_check
from meldcode_rules.compiler.compile import compile_condition
from meldcode_rules.diagnostics import RulesetError
from meldcode_rules.engines import ENGINES, durable_available, get_engine
from meldcode_rules.explain import render
from meldcode_rules.explain.explain import uitleg
from meldcode_rules.load.operators import BY_NAME, OPERATORS, Operator, for_kind
from meldcode_rules.load.ruleset import FeitTest, Niet
from meldcode_rules.sectors.registry import compile_from

CATALOG = catalog_for()
#: one fact per kind, plus the later-answered fact whose onbekend is never lifted
FACTS = ["afweging.vermoeden", "afweging.hulp_effectief", "stappen.gesprek_overgeslagen_reden", "vormen"]
AVAILABLE_ENGINES = [e for e in ENGINES if e != "durable" or durable_available()]


def _value_sets(op: Operator, spec: FactSpec) -> list[list[str]]:
    """A few value sets ``V`` that fit the fact: one value, or lists of one and two."""
    values = [*spec.values, GEEN] if spec.kind == "keuze" else list(spec.values)
    if op.many:
        return [[values[0]], values[:2], values[-2:]]
    return [[values[0]], [values[-1]]]


def _cases() -> list[tuple[str, Operator, str, list[str]]]:
    out = []
    for op in OPERATORS:
        for path in FACTS:
            spec = CATALOG[path]
            if spec.kind in op.kinds:
                out.extend((f"{op.name}-{path}-{'+'.join(v)}", op, path, v) for v in _value_sets(op, spec))
    return out


CASES = _cases()


def _answers(spec: FactSpec) -> list[Any]:
    """Every answer the fact can have: tri and choice one value, a list any subset (up to two)."""
    if spec.kind == "tri":
        return ["ja", "nee", "onbekend"]
    if spec.kind == "keuze":
        return [*spec.values, None]
    return [set(c) for n in range(3) for c in itertools.combinations(spec.values, n)]


def _holds(op: Operator, spec: FactSpec, wanted: list[str], answer: Any) -> bool:
    found = bool(answer & set(wanted)) if spec.kind == "lijst" else (GEEN if answer is None else answer) in wanted
    return found != op.negated


def _oracle(op: Operator, spec: FactSpec, wanted: list[str], answer: Any, *, negated: bool) -> tuple[bool, bool]:
    """(zeker, mogelijk) of the test (or of ``niet`` the test), from the documented meaning.

    Strong Kleene logic per test: a test of a tri-state fact that is still ``onbekend`` is
    itself unknown (not zeker, mogelijk; so is its negation), unless the test names
    ``onbekend`` or the fact is answered later: then it tests the answer as it lies.
    """
    concrete = spec.kind != "tri" or "onbekend" in wanted or spec.later_beantwoord
    if answer == "onbekend" and not concrete:
        return False, True
    holds = _holds(op, spec, wanted, answer) != negated
    return holds, holds


def _flat(spec: FactSpec, answer: Any) -> dict[str, Any]:
    flat = CATALOG.flatten(Case())
    if spec.kind == "tri":
        flat[spec.key()] = answer
    elif spec.kind == "keuze":
        flat[spec.key()] = GEEN if answer is None else answer
    else:
        for value in spec.values:
            flat[spec.key(value)] = value in answer
    return flat


def _case(spec: FactSpec, answer: Any) -> dict[str, Any]:
    data: Any = answer if spec.kind != "lijst" else sorted(answer)
    case: dict[str, Any] = {}
    node = case
    *parents, last = spec.path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = data
    return case


def _ruleset(tmp_path: Path, test: dict[str, Any]) -> Path:
    text = {
        "id": "basismodel",
        "titel": "Proef",
        "versie": "1",
        "geldig_vanaf": "2024-01-01",
        "bron": "test",
        "regels": [
            {
                "id": "test-ja",
                "titel": "De test geldt",
                "bron": "test",
                "uitleg": "De test geldt.",
                "als": test,
                "dan": {"melden": "ja"},
            },
            {
                "id": "test-niet",
                "titel": "De test geldt niet",
                "bron": "test",
                "uitleg": "De test geldt niet.",
                "als": {"niet": test},
                "dan": {"vastleggen": ["de test geldt niet"]},
            },
        ],
    }
    path = tmp_path / "basismodel.yaml"
    path.write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


@pytest.mark.parametrize(("op", "path", "wanted"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_operator_through_every_stage(tmp_path: Path, op: Operator, path: str, wanted: list[str]) -> None:
    spec = CATALOG[path]
    value: Any = wanted if op.many else wanted[0]
    test = {"feit": path, op.name: value}
    file = _ruleset(tmp_path, test)

    # load, check, compile
    compiled = compile_from([file])
    assert compiled.rule("test-ja").als.op() is op  # type: ignore[union-attr]

    # both engines agree with the documented three-valued meaning, also under `niet`
    for answer in _answers(spec):
        flat = _flat(spec, answer)
        for engine in AVAILABLE_ENGINES:
            fired = get_engine(engine).fire(compiled, flat)
            for rule_id, negated in (("test-ja", False), ("test-niet", True)):
                zeker, mogelijk = _oracle(op, spec, wanted, answer, negated=negated)
                got = (rule_id in fired.zeker, rule_id in fired.mogelijk)
                assert got == (zeker, mogelijk), f"{engine}: {rule_id} op {path}={answer!r}"

    # render: the table's wording, in every format
    wording = f"{path} {op.woorden} {', '.join(wanted)}"
    assert render.conditie_tekst(compiled.rule("test-ja").als) == wording
    assert render.conditie_tekst(compiled.rule("test-niet").als) == f"niet ({wording})"
    assert render.render(compiled, "mermaid").startswith("flowchart TD")  # the chart has no conditions
    for fmt in ("markdown", "html"):
        assert wording in render.render(compiled, fmt), fmt

    # explain: a rule that fired for certain (the test, or its negation), worded by the table
    for negated, text in ((False, wording), (True, f"niet ({wording})")):
        answer = next((a for a in _answers(spec) if _oracle(op, spec, wanted, a, negated=negated)[0]), None)
        if answer is not None:
            explained = uitleg(_case(spec, answer), engine="reference", ruleset=compiled)
            assert text in [r.voorwaarde for r in explained.regels]
            break
    else:
        raise AssertionError(f"neither the test nor its negation ever holds for certain: {test}")

    # meldcode-rules check runs its stages on it and the engines agree
    report = run_check([file], engine_agreement=durable_available())
    assert not [f for f in report.findings if f.code in ("MC500", "MR020", "MR021", "MR022")], report.findings


@pytest.mark.parametrize("op", OPERATORS, ids=[op.name for op in OPERATORS])
def test_every_operator_is_refused_on_a_fact_of_another_kind(tmp_path: Path, op: Operator) -> None:
    path = next(p for p in FACTS if CATALOG[p].kind not in op.kinds)
    kind = CATALOG[path].kind
    with pytest.raises(RulesetError) as caught:
        compile_from([_ruleset(tmp_path, {"feit": path, op.name: ["x"] if op.many else "x"})])
    (problem,) = {d.message: d for d in caught.value.diagnostics}.values()
    assert problem.code == "MR022"
    for fitting in for_kind(kind):
        assert f"`{fitting.name}`" in problem.message


@pytest.mark.parametrize("op", OPERATORS, ids=[op.name for op in OPERATORS])
def test_every_operator_has_its_schema_fragment_and_model_field(op: Operator) -> None:
    feittest = schema.generate()["ruleset"]["$defs"]["FeitTest"]
    assert feittest["properties"][op.name] == {"description": op.beschrijving, **op.json_schema()}
    assert any(item.get("required") == [op.name] for item in feittest["oneOf"])
    field = FeitTest.model_fields[op.field]
    assert (field.alias or op.field) == op.name
    assert BY_NAME[op.name] is op


def test_the_docs_list_every_operator_with_its_kinds() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "ruleset-format.md").read_text(encoding="utf-8")
    names = {"tri": "tri-state", "keuze": "choice", "lijst": "list"}
    for op in OPERATORS:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{op.name}:")), None)
        assert row is not None, f"docs/ruleset-format.md: no row for `{op.name}`"
        kinds = row.split("|")[2]
        assert {k for k, word in names.items() if word in kinds} == set(op.kinds), row


def test_the_kinds_of_the_table_are_the_kinds_of_the_catalog() -> None:
    assert {spec.kind for spec in CATALOG} == {kind for op in OPERATORS for kind in op.kinds}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("afweging.vermoeden", "ja"),
        ("afweging.vermoeden", "onbekend"),
        ("afweging.hulp_effectief", "nee"),
        ("afweging.hulp_effectief", "onbekend"),
        ("stappen.gesprek_overgeslagen_reden", "veiligheid"),
        ("stappen.gesprek_overgeslagen_reden", GEEN),
    ],
)
def test_is_niet_compiles_to_exactly_niet_is(path: str, value: str) -> None:
    negated = FeitTest.model_validate({"feit": path, "is_niet": value})
    niet_is = Niet(niet=FeitTest.model_validate({"feit": path, "is": value}))
    for zeker in (True, False):
        assert compile_condition(negated, CATALOG, zeker=zeker) == compile_condition(niet_is, CATALOG, zeker=zeker)


@pytest.mark.parametrize("doc", ["ruleset-format.md", "trainers/handleiding.md", "trainers/foutmeldingen.md"])
def test_the_trainer_docs_name_every_operator(doc: str) -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / doc).read_text(encoding="utf-8")
    missing = [op.name for op in OPERATORS if f"`{op.name}" not in text]
    assert not missing, f"docs/{doc} does not name {missing}"
