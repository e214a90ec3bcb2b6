"""A digest of the judgements of seeded dossiers, per engine and input path.

Run: ``.venv/bin/python scripts/dossier_fingerprint.py`` prints the digests;
``--check`` compares them with ``tests/dossier_fingerprint.json`` (exit 1 on a
difference, naming the engine and input path); ``--write`` records them there, for
``--count`` dossiers per kind and for the small draw the test checks (``--count 40``).

The companion of ``scripts/judgement_fingerprint.py`` for dossiers: a change that
makes judging a dossier faster must keep every digest (the JSON of every judgement,
byte for byte, with both engines). The dossiers are

- ``synthetic``: the monitor's story-like dossiers (:mod:`meldcode_rules.monitor.synthetic`),
  over every sector, judged on their own peildatum and on an earlier one;
- ``willekeurig``: events of every kind with every field of the event models
  (:func:`~meldcode_rules.case.dossier.event_fields`, as ``tests/dossier_strategies.py``),
  in any order, dates and date-times, same-day contradictions, judged on a random date;
- ``fout``: the same, each with one field made wrong (an unknown field, a date that does
  not exist, a zone, a number, a wrong choice): the digest covers the error messages too;
- ``voorbeelden``: the dossiers of ``examples/`` and of ``scenarios/``, on their peildatum;

each judged from its dict, from JSON text (as ``evaluate --json`` reads it), from a
JSON line as the monitor reads it (the monitor's outcome), and every fifth from a
``Dossier`` validated by pydantic. ``explain`` output of a few is hashed as well.
``tests/test_fingerprint.py`` runs the check of the small draw.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# scripts/ is on the path of a script it runs (and of tests/scripts.load_script)
from judgement_fingerprint import differences
from pydantic import ValidationError
from ruamel.yaml import YAML

from meldcode_rules.case.dossier import SOORTEN, Dossier, event_fields, required_fields
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.dossier import evaluate, read_input_text
from meldcode_rules.engines import ENGINES, durable_available
from meldcode_rules.explain.tijdlijn import explain_dossier
from meldcode_rules.monitor import synthetic
from meldcode_rules.monitor.judge import beoordeel
from meldcode_rules.monitor.read import _json_record
from meldcode_rules.scenarios.scenarios import peilmoment
from meldcode_rules.sectors.registry import known_sectors

ROOT = Path(__file__).resolve().parent.parent
_YAML = YAML(typ="safe")
DIGEST_FILE = ROOT / "tests" / "dossier_fingerprint.json"
#: Dossiers per kind (synthetic, random, wrong); the examples come on top.
DEFAULT_COUNT = 700
#: The draw ``tests/test_fingerprint.py`` checks (the full one takes minutes here).
SMALL_COUNT = 40
SEED = 20261202
START = dt.date(2024, 1, 1)
KINDS = tuple(s for s in SOORTEN if s != "momentopname")
TERMIJNEN = ("3 dagen", "5 werkdagen", "2 weken", "6 weken", "1 uur", "direct")
#: One wrong value per kind of mistake (never the only way to be wrong, but each path).
FOUTEN: tuple[tuple[str, Any], ...] = (
    ("datum", "2026-02-30"),
    ("datum", "2026-01-01T10:00+01:00"),
    ("datum", 20260101),
    ("datum", None),
    ("onbekend_veld", "ja"),
    ("vormen", ["vgv", "onzin"]),
    ("vormen", "kindermishandeling"),
    ("herkomst", "buurman"),
    ("vermoeden", 1),
    ("vermoeden", True),
    ("termijn", "zes weken"),
    ("hulpvorm", "Vrije Tekst"),
    ("actie", "herbeoordelen"),
    ("soort", "signal"),
    ("soort", None),
    ("door", None),
    ("evaluatiedatum", "2026-13-01"),
    ("incidentdatum", "2026-01-01T25:00"),
)


def sectors() -> list[str | None]:
    return [None, *sorted(known_sectors())]


def _moment(rng: random.Random, low: dt.date, high: dt.date) -> str:
    day = low + dt.timedelta(days=rng.randrange((high - low).days + 1))
    roll = rng.random()
    if roll < 0.6:
        return day.isoformat()
    if roll < 0.7:
        return f"{day.isoformat()}T00:00"  # midnight: pydantic reads the date
    if roll < 0.9:
        return f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.choice((0, 15, 30, 59)):02d}"
    return f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def _event(rng: random.Random, low: dt.date, high: dt.date, soort: str | None = None) -> dict[str, Any]:
    soort = soort or rng.choice(KINDS)
    datum = _moment(rng, low, high)
    event: dict[str, Any] = {"soort": soort, "datum": datum}
    for name, (kind, values) in event_fields(soort).items():
        if name == "datum":
            continue
        required = name in required_fields(soort)
        if not required and rng.random() < 0.5:
            continue
        if not required and rng.random() < 0.05:
            event[name] = None  # an explicit null: the same as leaving it out
        elif kind == "moment":
            day = dt.date.fromisoformat(datum[:10])
            first, last = (low, day) if name == "incidentdatum" else (low, high + dt.timedelta(days=200))
            event[name] = _moment(rng, first, last)
        elif kind == "termijn":
            event[name] = rng.choice(TERMIJNEN)
        elif kind == "keuze":
            choice: Any = rng.choice(values)
            # a JSON boolean for a tri-state answer, as a case file may give it
            if set(values) == {"ja", "nee", "onbekend"} and choice != "onbekend" and rng.random() < 0.2:
                choice = choice == "ja"
            event[name] = choice
        elif kind == "lijst":
            event[name] = rng.sample(values, rng.randrange(min(3, len(values)) + 1))
        elif name == "actie":
            event[name] = rng.choice(("politie_inschakelen", "igj_melden", "aangifte_doen", "contact_afspreken"))
        else:
            event[name] = rng.choice(("gezinscoaching", "ambulant", "ggz"))
    return event


def random_dossier(rng: random.Random, sector: str | None) -> tuple[dict[str, Any], dt.datetime | dt.date]:
    """A dossier of events of every kind in any order, and a peildatum on or after them."""
    peil = START + dt.timedelta(days=rng.randrange(1000))
    events = [_event(rng, START, peil) for _ in range(rng.randrange(1, 30))]
    if rng.random() < 0.3 and events:  # same-day answers that differ: a contradiction
        twin = rng.choice(events)
        again = {**_event(rng, START, peil, twin["soort"]), "datum": twin["datum"]}
        events.insert(rng.randrange(len(events) + 1), again)
    data: dict[str, Any] = {"gebeurtenissen": events}
    if sector is not None:
        data["sector"] = sector
    if rng.random() < 0.5:
        data["dossier_id"] = f"R-{rng.randrange(10**6)}"
    if rng.random() < 0.2:
        data["referentie"] = f"zaak {rng.randrange(100)}"
    if rng.random() < 0.2:
        data["organisatie"] = "org-1"
    op: dt.datetime | dt.date = peil
    if rng.random() < 0.2:
        op = dt.datetime.combine(peil, dt.time(23, 59))
    return data, op


def wrong_dossier(rng: random.Random, sector: str | None) -> tuple[dict[str, Any], dt.datetime | dt.date]:
    data, op = random_dossier(rng, sector)
    events = data["gebeurtenissen"]
    index = rng.randrange(len(events))
    name, value = rng.choice(FOUTEN)
    events[index] = {**events[index], name: value}
    if rng.random() < 0.1:
        field = rng.choice(("dossier_id", "organisatie", "referentie", "onbekend"))
        data[field] = rng.choice(("", "a b", 7, "x" * 300))
    if rng.random() < 0.05:
        data["gebeurtenissen"] = rng.choice(([], {}, "geen", [7]))
    return data, op


def examples() -> Iterator[tuple[str, dict[str, Any], dt.date]]:
    """The shipped dossiers: examples/ (with their `verwacht: op=`) and scenarios/ (with `op:`)."""
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "gebeurtenissen" not in text:
            continue
        op = next(
            dt.date.fromisoformat(word[3:])
            for line in text.splitlines()
            if line.startswith("# verwacht:")
            for word in line.split()
            if word.startswith("op=")
        )
        yield path.name, _plain(_YAML.load(text)), op
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        for scenario in (_YAML.load(path.read_text(encoding="utf-8")) or {}).get("scenarios", []):
            if "dossier" in scenario and "op" in scenario:
                # a day, or a date-time where hours matter (`"2026-11-20T10:45"`), as Scenario.op
                op = peilmoment(scenario["op"])
                yield scenario["naam"], _plain(scenario["dossier"]), op


def _plain(value: Any) -> Any:
    # YAML dates as the ISO text a JSON file gives (evaluate reads YAML files that way too)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def drawn(count: int) -> list[tuple[str, dict[str, Any], dt.date]]:
    """Every dossier, as (kind, data, peildatum), reproducibly."""
    rng = random.Random(SEED)
    names = sectors()
    out: list[tuple[str, dict[str, Any], dt.date]] = []
    mixes = (synthetic.Mix(), synthetic.Mix(peildatum=dt.date(2026, 3, 1), looptijd=200, vertraging=0.5))
    for i in range(count):
        mix = mixes[i % 2]
        item = synthetic.dossier(i, SEED, mix)
        # the monitor's own peildatum, or a day within the dossier's span (events after it: an error)
        op = mix.peildatum if i % 3 else mix.peildatum - dt.timedelta(days=rng.randrange(120))
        out.append(("synthetic", item, op))
    for i in range(count):
        out.append(("willekeurig", *random_dossier(rng, names[i % len(names)])))
    for i in range(count):
        out.append(("fout", *wrong_dossier(rng, names[i % len(names)])))
    out += [("voorbeelden", data, op) for _name, data, op in examples()]
    return out


def _outcome(call: Callable[[], Any]) -> bytes:
    try:
        result = call()
    except (MeldcodeError, ValidationError) as error:
        return f"{type(error).__name__}: {error}".encode()
    if hasattr(result, "model_dump_json"):
        return result.model_dump_json().encode()
    return repr(result).encode()


def digests(engines: list[str], count: int = DEFAULT_COUNT) -> dict[str, dict[str, str]]:
    """``{engine: {path: sha256}}`` over every dossier, per input path (and explain)."""
    items = drawn(count)
    return {engine: _digest(engine, items) for engine in engines}


def _digest(engine: str, items: list[tuple[str, dict[str, Any], dt.date]]) -> dict[str, str]:
    hashers = {p: hashlib.sha256() for p in ("dict", "json", "monitor", "pydantic", "explain")}
    for n, item in enumerate(items):
        for path, outcome in _outcomes(engine, n, *item):
            hashers[path].update(outcome)
            hashers[path].update(b"\n")
    return {p: h.hexdigest() for p, h in hashers.items()}


def _outcomes(engine: str, n: int, kind: str, data: dict[str, Any], op: dt.date) -> Iterator[tuple[str, bytes]]:
    """Per input path, the judgement (or refusal) of one dossier, as bytes."""
    text = json.dumps(data, ensure_ascii=False)
    yield "dict", _outcome(lambda: evaluate(data, engine=engine, op=op))
    yield "json", _outcome(lambda: evaluate(read_input_text(text, as_json=True), engine=engine, op=op))
    if isinstance(data.get("gebeurtenissen"), list):
        line = json.dumps(data, separators=(",", ":")).encode()
        yield "monitor", _outcome(lambda: _monitor(line, op, engine))
    if n % 5 == 0:
        yield "pydantic", _outcome(lambda: evaluate(Dossier.model_validate(data), engine=engine, op=op))
    if kind != "fout" and n % 50 == 0:
        yield "explain", _outcome(lambda: explain_dossier(Dossier.model_validate(data), engine=engine, op=op))


def _monitor(line: bytes, op: dt.date, engine: str) -> Any:
    record = _json_record(line, "invoer.jsonl", 1)
    if record.data is None:
        return record
    return beoordeel(record.data, op, engine, "invoer.jsonl:1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help=f"compare with {DIGEST_FILE.name}")
    action.add_argument("--write", action="store_true", help=f"record the digests in {DIGEST_FILE.name}")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="dossiers per kind")
    args = parser.parse_args(argv)
    engines = [e for e in ENGINES if e != "durable" or durable_available()]
    found = digests(engines, args.count)
    if args.write:
        recorded = {str(args.count): found, str(SMALL_COUNT): digests(engines, SMALL_COUNT)}
        DIGEST_FILE.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
        print(f"written: {DIGEST_FILE}")
        return 0
    if args.check:
        recorded = json.loads(DIGEST_FILE.read_text(encoding="utf-8"))
        if str(args.count) not in recorded:
            print(f"the file records {', '.join(recorded)} dossiers per kind; run with --count one of those")
            return 2
        problems = differences(found, recorded[str(args.count)])
        for line in problems:
            print(f"changed: {line}")
        print("judgements differ" if problems else "judgements identical")
        return 1 if problems else 0
    print(json.dumps(found, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
