"""Threads that judge at once, starting with every kept part still to build, agree with one thread.

The judgement path keeps parts between calls (the engine's program, decoded
results, judgement skeletons, actions per date, parsed dates). Threads that
race to build them must still each get exactly the sequential judgement.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meldcode_rules.api import evaluate
from meldcode_rules.sectors.registry import compile_from
from strategies import ENGINES, comparable, in_threads, random_cases

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_eight_threads_on_cold_caches_give_the_sequential_judgements(engine: str) -> None:
    cases = random_cases(60, seed=11)
    for n, case in enumerate(cases):
        case["datum"] = f"2026-0{1 + n % 9}-1{n % 10}"  # dates too are parsed and kept once
    warm = compile_from([ROOT / "rulesets"])
    expected = [comparable(evaluate(c, engine=engine, ruleset=warm)) for c in cases]
    # A ruleset compiled anew: nothing is kept for it yet, so the threads build it all.
    cold = compile_from([ROOT / "rulesets"])
    got = in_threads(lambda _index: [comparable(evaluate(c, engine=engine, ruleset=cold)) for c in cases])
    assert all(results == expected for results in got)
