"""The reference engine's grouped evaluation: the same bits as one lookup per key.

engines/reference.py takes the tested keys in groups and keeps each group's violated bits
per combination of its values. These tests hold that to the definition it stands for (the
OR of every key's table, and each rule's expression evaluated as a tree), and check that a
kept combination never hides an impossible value or a missing key.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_rules.compiler.compile import CompiledRuleset, evaluate_expr
from meldcode_rules.engines import reference
from meldcode_rules.engines.reference import GROUP, ReferenceEngine, _Program
from meldcode_rules.sectors.registry import compiled_for, known_sectors

SECTORS = [None, *known_sectors()]


def _flat_cases(compiled: CompiledRuleset) -> st.SearchStrategy[dict[str, Any]]:
    catalog = compiled.catalog
    keys = [key for spec in catalog for key in _keys_of(catalog, spec.key())]
    return st.fixed_dictionaries({key: st.sampled_from(catalog.domain(key)) for key in keys})


def _keys_of(catalog: Any, key: str) -> list[str]:
    # a list fact has one flat key per option (vormen__x); the others one key each
    if catalog.has_domain(key):
        return [key]
    return [k for k in catalog._domains if k.startswith(f"{key}__")]


def _ungrouped(program: _Program, flat: dict[str, Any]) -> int:
    """fired() by its definition: one table lookup per tested key, OR-ed."""
    violated = reduce(or_, (table[flat[key]] for key, table in program.violates.items()), 0)
    return ((program.boxes ^ violated) + program.add) & program.carry


@pytest.mark.parametrize("sector", SECTORS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_grouped_bits_are_the_bits_of_one_lookup_per_key(sector: str | None, data: st.DataObject) -> None:
    compiled = compiled_for(sector)
    engine = ReferenceEngine()
    program = engine._program(compiled)
    assert len(program._groups) == -(-len(program.violates) // GROUP)
    flat = data.draw(_flat_cases(compiled))
    assert program.fired(flat) == _ungrouped(program, flat)
    # twice: the second time from the kept combinations
    assert program.fired(flat) == _ungrouped(program, flat)
    fired = engine.fire(compiled, flat)
    # and the rules as expression trees: the meaning the boxes were made from
    assert fired.mogelijk == {r.id for r in compiled.rules if evaluate_expr(r.mogelijk, flat)}
    assert fired.zeker == {r.id for r in compiled.rules if evaluate_expr(r.zeker, flat)}


def test_a_kept_combination_never_hides_an_impossible_value_or_a_missing_key() -> None:
    compiled = compiled_for(None)
    program = ReferenceEngine()._program(compiled)
    flat = {key: compiled.catalog.domain(key)[0] for key in program.violates}
    program.fired(flat)  # kept now
    key = next(iter(program.violates))
    with pytest.raises(ValueError, match="no value"):
        program.fired({**flat, key: "geen-waarde-van-dit-domein"})
    missing = dict(flat)
    del missing[key]
    with pytest.raises(ValueError, match="no value"):
        program.fired(missing)
    assert program.fired(flat) == _ungrouped(program, flat)


def test_groups_of_one_key_give_the_same_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    # GROUP 1: every group is a single key (itemgetter of one key gives no tuple)
    monkeypatch.setattr(reference, "GROUP", 1)
    compiled = compiled_for("onderwijs")
    program = _Program(compiled)
    assert len(program._groups) == len(program.violates)
    flat = {key: compiled.catalog.domain(key)[-1] for key in program.violates}
    assert program.fired(flat) == _ungrouped(program, flat)
