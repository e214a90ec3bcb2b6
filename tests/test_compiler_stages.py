"""The compiler is the list of named stages that docs/architecture.md shows, and runs as described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meldcode_rules.case.facts import catalog_for
from meldcode_rules.compiler.stages import STAGES, Context, run_stages
from meldcode_rules.diagnostics import Code, Location, RulesetError
from meldcode_rules.sectors.registry import basismodel_file, load_all

ROOT = Path(__file__).resolve().parents[1]


def test_the_architecture_doc_lists_the_stages_in_order_with_their_gates() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("### The compiler's stages", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (yes)? ?\|", section, re.M)
    assert [(name, gate == "yes") for name, gate in rows] == [(name, gate) for name, _stage, gate in STAGES]


def test_every_stage_is_a_named_documented_function() -> None:
    names = [name for name, _stage, _gate in STAGES]
    assert len(set(names)) == len(names)
    for name, stage, _gate in STAGES:
        assert stage.__name__ == name and stage.__doc__, name


def test_a_gate_stops_later_stages_and_everything_found_is_raised_together() -> None:
    ran: list[str] = []

    def finds_two(ctx: Context) -> None:
        ran.append("finds_two")
        ctx.add(Code.MR020, "een", Location("a.yaml", 2))
        ctx.add(Code.MR021, "twee", Location("a.yaml", 1))

    def also_runs(ctx: Context) -> None:
        ran.append("also_runs")

    def gated(ctx: Context) -> None:
        ran.append("gated")

    ctx = Context(load_all([basismodel_file()]), None, catalog_for())
    with pytest.raises(RulesetError) as caught:
        run_stages(ctx, [("finds_two", finds_two, False), ("also_runs", also_runs, False), ("gated", gated, True)])
    assert ran == ["finds_two", "also_runs"]
    assert [d.code for d in caught.value.diagnostics] == ["MR021", "MR020"]  # sorted by line


def test_the_stages_compile_the_basismodel() -> None:
    ctx = run_stages(Context(load_all([basismodel_file()]), None, catalog_for()))
    assert ctx.top == "basismodel" and ctx.rules and not ctx.diagnostics
