"""A digest of the judgements of seeded generated cases, per engine and sector.

Run: ``.venv/bin/python scripts/judgement_fingerprint.py`` prints the digests;
``--check`` compares them with ``tests/judgement_fingerprint.json`` (exit 1 on a
difference, naming the engine and sector); ``--write`` records them there.

A refactoring that must not change behaviour keeps every digest: the JSON of
every judgement, byte for byte, with both engines, over every sector. A
change that is meant to change judgements (a ruleset, the order of actions)
regenerates the file with ``--write`` in the same commit, and says so in the
commit message. ``tests/test_fingerprint.py`` runs the check.

The cases are drawn from each sector's own fact catalog (so a fact added to a
case model or sector changes the draw, and the digest: regenerate then). Every
fact is left out or given in one of its accepted JSON spellings; assessment
dates vary over hundreds of days (never missing: a missing date means today,
which would change the digest by the day). Every fifth case is also judged
from its validated ``Case`` model, which takes the other input path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.case.synthetic import random_facts
from meldcode_rules.engines import ENGINES, durable_available
from meldcode_rules.sectors.registry import compiled_for, known_sectors

DIGEST_FILE = Path(__file__).resolve().parent.parent / "tests" / "judgement_fingerprint.json"
#: Cases per engine, spread evenly over the basismodel and every installed sector.
DEFAULT_COUNT = 3000
SEED = 20261201
#: 500 assessment dates, weekends and year ends included (werkdagen deadlines).
DATES = [dt.date(2025, 11, 1) + dt.timedelta(days=n) for n in range(500)]


def sectors() -> list[str | None]:
    return [None, *sorted(known_sectors())]


def generated_cases(sector: str | None, count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` valid case dicts over every fact of ``sector``'s catalog, reproducibly drawn."""
    rng = random.Random(f"{seed}:{sector}")
    catalog = compiled_for(sector).catalog
    cases = []
    for _ in range(count):
        case: dict[str, Any] = {"datum": rng.choice(DATES).isoformat()}
        if sector is not None:
            case["sector"] = sector
        case.update(random_facts(rng, catalog, weglaten=0.3))
        cases.append(case)
    return cases


def digests(engines: list[str], count: int = DEFAULT_COUNT) -> dict[str, dict[str, str]]:
    """``{engine: {sector: sha256 of its judgements' JSON}}``."""
    names = sectors()
    per_sector = -(-count // len(names))
    drawn = {name: generated_cases(name, per_sector) for name in names}
    out: dict[str, dict[str, str]] = {}
    for engine in engines:
        out[engine] = {}
        for name in names:
            hasher = hashlib.sha256()
            for n, case in enumerate(drawn[name]):
                hasher.update(evaluate(case, engine=engine).model_dump_json().encode())
                hasher.update(b"\n")
                if n % 5 == 0:
                    model = parse_case(case)
                    hasher.update(evaluate(model, engine=engine).model_dump_json().encode())
                    hasher.update(b"\n")
            out[engine][name or "basismodel"] = hasher.hexdigest()
    return out


def differences(found: dict[str, dict[str, str]], recorded: dict[str, dict[str, str]]) -> list[str]:
    """What differs, as ``engine/name`` lines (an engine not run here is not compared).

    ``name`` is a sector here, an input path in ``dossier_fingerprint.py``, which uses this too.
    """
    lines = []
    for engine, per_name in found.items():
        wanted = recorded.get(engine, {})
        for name in sorted(set(per_name) | set(wanted)):
            before, after = wanted.get(name, "(none)"), per_name.get(name, "(none)")
            if before != after:
                lines.append(f"{engine}/{name}: {before[:12]} -> {after[:12]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help=f"compare with {DIGEST_FILE.name}")
    action.add_argument("--write", action="store_true", help=f"record the digests in {DIGEST_FILE.name}")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="cases per engine, over all sectors")
    args = parser.parse_args(argv)
    engines = [e for e in ENGINES if e != "durable" or durable_available()]
    found = digests(engines, args.count)
    if args.write:
        DIGEST_FILE.write_text(json.dumps({"count": args.count, "digests": found}, indent=2) + "\n", encoding="utf-8")
        print(f"written: {DIGEST_FILE}")
        return 0
    if args.check:
        recorded = json.loads(DIGEST_FILE.read_text(encoding="utf-8"))
        if recorded["count"] != args.count:
            print(f"the file records {recorded['count']} cases; run with --count {recorded['count']}")
            return 2
        problems = differences(found, recorded["digests"])
        for line in problems:
            print(f"changed: {line}")
        print("judgements differ" if problems else "judgements identical")
        return 1 if problems else 0
    print(json.dumps(found, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
