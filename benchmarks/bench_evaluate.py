"""How long one full judgement takes, per engine, on the shipped examples.

Run: ``.venv/bin/python benchmarks/bench_evaluate.py`` (see benchmarks/README.md).

A "full judgement" is ``evaluate(case_dict, engine=...)``: reading and
validating the dict, flattening it, firing the rules and building the
``Judgement`` model, exactly what a case system calling the API pays. The
target is measured on the examples, judged over and over. Because parts of
judgements are kept per combination of fired rules (see combine.py), a
second line judges generated cases that were never seen before, each once,
and a third passes validated ``Case`` models. The bare ``engine.fire()``
line shows how much of it all is the engine itself.

A script, not a test: timings depend on the machine and its load, and a
timed test would fail at random. Total run time stays well under 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.case.synthetic import random_facts
from meldcode_rules.engines import durable_available, get_engine
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.sectors.registry import compiled_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Targets from issue 2: median per full judgement of the basismodel.
TARGET_US = {"durable": 500.0, "reference": 50.0}


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every example as the plain dict a case system would pass (dates as ISO text)."""
    cases = []
    for path in sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.json")]):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else read_yaml(text, str(path))[0]
        if "gebeurtenissen" in data:
            continue  # dossiers have their own benchmark (bench_dossier.py)
        cases.append((path.name, json.loads(json.dumps(data, default=_iso))))
    return cases


def generated_cases(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``count`` distinct valid case dicts over the whole vocabulary, reproducibly drawn.

    Each fact is left out, or given an answer in one of its JSON spellings; the
    assessment dates vary too, so per-date parts are built as often as they would be.
    """
    rng = random.Random(seed)
    catalog = compiled_for(None).catalog
    dates = [(dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat() for n in range(60)]
    cases: dict[str, dict[str, Any]] = {}
    while len(cases) < count:
        case: dict[str, Any] = {"datum": rng.choice(dates)}
        case.update(random_facts(rng, catalog, weglaten=0.4))
        cases[json.dumps(case, sort_keys=True)] = case
    return list(cases.values())


def new_cases_in_fresh_process(engine: str, count: int) -> list[int]:
    """Samples of judging ``count`` generated cases once each, in a new process.

    A new process has none of the parts this one kept while judging the examples,
    so this is what a case system pays for cases (and combinations of fired rules,
    and dates) it has not sent before.
    """
    command = [sys.executable, __file__, "--fresh", engine, "--new-cases", str(count)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def judge_new_cases(engine: str, count: int) -> int:
    cases = generated_cases(count)
    # Load and compile the ruleset and let the engine build its program: a process
    # does that once, at start. One empty case does it without judging any of ``cases``.
    evaluate({}, engine=engine)
    samples = measure(lambda c: evaluate(c, engine=engine), cases, budget_s=60.0, max_rounds=1)
    print(json.dumps(samples))
    return 0


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def measure(call: Callable[[Any], object], inputs: list[Any], budget_s: float, max_rounds: int) -> list[int]:
    """Nanoseconds per call, one sample per call, in passes over ``inputs``.

    Stops after ``max_rounds`` passes or when ``budget_s`` seconds are spent,
    whichever comes first, so the whole script stays under 30 s even on a
    slow or busy machine. The garbage collector is left on: its pauses are
    part of what a caller pays, and they show in p99.
    """
    samples: list[int] = []
    clock = time.perf_counter_ns
    deadline = clock() + int(budget_s * 1e9)
    for _ in range(max_rounds):
        for item in inputs:
            start = clock()
            call(item)
            samples.append(clock() - start)
        if clock() > deadline:
            break
    return samples


def percentile(sorted_samples: list[int], fraction: float) -> float:
    index = min(len(sorted_samples) - 1, round(fraction * (len(sorted_samples) - 1)))
    return float(sorted_samples[index])


def report(label: str, samples: list[int]) -> float:
    ordered = sorted(samples)
    median_us = statistics.median(ordered) / 1000
    p99_us = percentile(ordered, 0.99) / 1000
    per_second = 1e9 / statistics.mean(ordered)
    print(f"  {label:<22} median {median_us:9.1f} us   p99 {p99_us:9.1f} us   {per_second:11,.0f} /s")
    return median_us


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5000, help="at most this many passes over the examples")
    parser.add_argument("--budget", type=float, default=5.0, help="at most this many seconds per measurement")
    parser.add_argument("--new-cases", type=int, default=2000, help="how many never-seen cases to judge once each")
    parser.add_argument("--fresh", choices=["durable", "reference"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fresh:
        return judge_new_cases(args.fresh, args.new_cases)

    cases = load_cases()
    dicts = [case for _, case in cases]
    compiled = compiled_for(None)
    engines = ["durable", "reference"] if durable_available() else ["reference"]
    print(
        f"meldcode-rules benchmark: {len(cases)} examples, ruleset basismodel "
        f"({len(compiled.rules)} rules), Python {sys.version.split()[0]}"
    )
    if not durable_available():
        print("  durable-rules is not installed here: only the reference engine is measured")

    validated = [parse_case(case) for case in dicts]
    results: dict[str, float] = {}
    for name in engines:
        engine = get_engine(name)
        flats = [compiled.catalog.flatten(parse_case(case)) for case in dicts]
        # Warm-up: compile the program, fill caches, let the C extension allocate.
        measure(lambda c, n=name: evaluate(c, engine=n), dicts, 0.5, 50)
        full = measure(lambda c, n=name: evaluate(c, engine=n), dicts, args.budget, args.rounds)
        fresh = new_cases_in_fresh_process(name, args.new_cases)
        models = measure(lambda c, n=name: evaluate(c, engine=n), validated, args.budget, args.rounds)
        bare = measure(lambda f, e=engine: e.fire(compiled, f), flats, args.budget, args.rounds)
        print(f"\n{name} ({len(full):,} judgements, {len(bare):,} bare fires)")
        results[name] = report("evaluate(dict)", full)
        report(f"  {len(fresh):,} new cases", fresh)
        report("evaluate(Case model)", models)
        report("engine.fire() alone", bare)

    print("\ntargets (median per full judgement)")
    missed = False
    for name, median_us in results.items():
        target = TARGET_US[name]
        verdict = "PASS" if median_us < target else "MISS"
        missed |= verdict == "MISS"
        print(f"  {name:<10} {median_us:9.1f} us < {target:5.0f} us   {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
