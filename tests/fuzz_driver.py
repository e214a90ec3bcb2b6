"""Child process of the fuzzing suite: runs hostile inputs through one input path.

Run as ``python tests/fuzz_driver.py PATH MEMORY_MB`` with a JSON list of inputs
(base64 bytes) on stdin; prints one JSON line per input: what happened (``ok``,
``error`` with the exception type, or ``crash`` with a traceback), how long it
took, and whether the output or error repeated the planted marker. The parent
(``tests/test_fuzz_inputs.py`` and ``benchmarks/fuzz_long.py``) limits this
process's memory with ``resource.setrlimit`` before anything is imported, so a
blow-up is a MemoryError here or a killed child there: either fails the suite,
and a crash in durable-rules' C code cannot take pytest down.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

MARKER = "ZQXMARKER"

if __name__ == "__main__":
    limit = int(sys.argv[2]) << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

from click.testing import CliRunner  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from meldcode_rules import evaluate  # noqa: E402
from meldcode_rules.case.dossier import Dossier  # noqa: E402
from meldcode_rules.cli.main import main  # noqa: E402
from meldcode_rules.diagnostics import MeldcodeError  # noqa: E402
from meldcode_rules.dossier import parse_dossier  # noqa: E402
from meldcode_rules.engines import durable_available  # noqa: E402
from meldcode_rules.explain.tijdlijn import explain_dossier  # noqa: E402
from meldcode_rules.judge.judgement import Judgement  # noqa: E402
from meldcode_rules.sectors.registry import versions_of  # noqa: E402

ENGINES = ("durable", "reference") if durable_available() else ("reference",)
#: The exit codes each command documents (docs/limits.md, docs/ci.md).
EXITS = {
    "evaluate": {0, 2},
    "explain": {0, 2},
    "batch": {0, 1},
    "test": {0, 1, 2},
    "check": {0, 1, 2},
    "monitor": {0, 1, 2},
}


class Crash(Exception):
    """Something other than a documented error: the suite fails on it."""


def _invoke(args: list[str], data: bytes | None, command: str) -> Any:
    result = CliRunner().invoke(main, args, input=data)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise Crash("".join(traceback.format_exception(result.exception)))
    if result.exit_code not in EXITS[command]:
        raise Crash(f"exit code {result.exit_code} for {command}: {result.output[-500:]}")
    if "Traceback" in result.output:
        raise Crash(result.output[-2000:])
    return result


def _cli(args: list[str], data: bytes | None, command: str) -> str:
    result = _invoke(args, data, command)
    return result.output + (result.stderr if result.stderr_bytes else "")


def _big(value: Any) -> Any:
    """``"BIGINT:n"`` as 10**n (a number hypothesis cannot show, made here)."""
    if isinstance(value, str) and value.startswith("BIGINT:"):
        return 10 ** int(value[7:])
    if isinstance(value, dict):
        return {k: _big(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_big(v) for v in value]
    return value


def api(data: bytes, work: Path) -> str:
    job = _big(json.loads(data))
    texts = []
    for engine in ENGINES:
        try:
            oordeel = evaluate(job["case"], sector=job.get("sector"), engine=engine)
            texts.append(oordeel.model_dump_json())
        except MeldcodeError as error:
            texts.append(str(error))
    return "\n".join(texts)


def evaluate_file(data: bytes, work: Path) -> str:
    texts = []
    for suffix in (".json", ".yaml"):
        path = work / f"casus{suffix}"
        path.write_bytes(data)
        texts.append(_cli(["evaluate", str(path), "--format", "json", "--engine", ENGINES[0]], None, "evaluate"))
    return "\n".join(texts)


def stdin(data: bytes, work: Path) -> str:
    return _cli(["evaluate", "-", "--format", "json", "--engine", ENGINES[-1]], data, "evaluate")


def batch(data: bytes, work: Path) -> str:
    out = _cli(["batch", "--engine", ENGINES[0]], data, "batch")
    lines = [line for line in data.split(b"\n") if line.strip(b" \t\r\n\x0b\x0c")]
    if len(out.splitlines()) != len(lines):
        raise Crash(f"batch: {len(lines)} lines in, {len(out.splitlines())} out")
    return out


def ruleset(data: bytes, work: Path) -> str:
    from meldcode_rules.sectors.registry import basismodel_file, compile_from

    tree = work / "rulesets"
    tree.mkdir(exist_ok=True)
    (tree / "basismodel.yaml").write_bytes(basismodel_file().read_bytes())
    (tree / "hostile.yaml").write_bytes(data)
    try:
        compiled = compile_from([tree], "hostile")
    except MeldcodeError as error:
        return str(error)
    texts = []
    for engine in ENGINES:  # a ruleset that compiles must run on every engine
        for case in (
            {},
            {"afweging": {"vermoeden": "ja"}},
            {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}},
        ):
            texts.append(evaluate(case, engine=engine, ruleset=compiled).melden)
    return " ".join(texts)


def ruleset_check(data: bytes, work: Path) -> str:
    text = ruleset(data, work)
    return text + _cli(["check", str(work / "rulesets"), "--format", "text"], None, "check")


def scenario(data: bytes, work: Path) -> str:
    path = work / "scenarios.yaml"
    path.write_bytes(data)
    return _cli(["test", str(path), "--engine", ENGINES[-1]], None, "test")


def _peildatum(data: bytes) -> tuple[str, bytes]:
    """The first line of a dossier path's input is the peildatum (as ``--op`` takes it), the rest the input."""
    op, _, rest = data.partition(b"\n")
    return op.decode("ascii", "replace"), rest


def _judged(outcome: Judgement | MeldcodeError) -> Any:
    """What two ways of judging one dossier must agree on: the judgement but its engine, or the kind of error."""
    if isinstance(outcome, MeldcodeError):
        return type(outcome).__name__
    return outcome.model_dump(mode="json", exclude={"engine"})


def dossier_api(data: bytes, work: Path) -> str:
    """``evaluate(d, op=)`` on every engine, on the dict (the light read) and on the model, and the timeline.

    The light read of a plain dict and pydantic's model of the same dossier must judge alike (or
    refuse alike), on every engine: the shortcut may decline anything, never change a judgement.
    """
    job = _big(json.loads(data))
    dossier, sector = job["dossier"], job.get("sector")
    try:
        op = dt.date.fromisoformat(job["op"])
    except ValueError:
        op = dt.date(2026, 3, 1)
    texts: list[str] = []
    outcomes: dict[str, Any] = {}
    try:
        model: Dossier | None = Dossier.model_validate(dossier)
    except ValidationError:
        model = None
    for engine in ENGINES:
        for way, given in (("dict", dossier), ("model", model)):
            if given is None:
                continue
            try:
                outcome: Judgement | MeldcodeError = evaluate(given, sector=sector, engine=engine, op=op)
                texts.append(outcome.model_dump_json())
            except MeldcodeError as error:
                outcome = error
                texts.append(str(error))
            outcomes[f"{engine}/{way}"] = _judged(outcome)
        try:
            texts.append(explain_dossier(parse_dossier(dossier), sector, engine, op=op))
        except MeldcodeError as error:
            texts.append(str(error))
    first = next(iter(outcomes.values()))
    for way, outcome in outcomes.items():
        if outcome != first:
            raise Crash(
                f"{way} judges otherwise than {next(iter(outcomes))}: {str(outcome)[:600]} / {str(first)[:600]}"
            )
    if model is None and isinstance(first, dict):
        raise Crash("evaluate judged a dossier the Dossier model refuses")
    return "\n".join(texts)


def dossier_file(data: bytes, work: Path) -> str:
    """``evaluate FILE --op`` and ``explain FILE --op`` of a dossier file, as JSON and as YAML."""
    op, content = _peildatum(data)
    texts = []
    for suffix in (".json", ".yaml"):
        path = work / f"dossier{suffix}"
        path.write_bytes(content)
        judged = _invoke(
            ["evaluate", str(path), "--op", op, "--format", "json", "--engine", ENGINES[0]], None, "evaluate"
        )
        explained = _invoke(["explain", str(path), "--op", op, "--engine", ENGINES[-1]], None, "explain")
        if judged.exit_code != explained.exit_code:
            raise Crash(f"{suffix}: evaluate exits {judged.exit_code}, explain {explained.exit_code}")
        if judged.exit_code == 0:
            json.loads(judged.stdout)  # a judgement, as JSON
        texts += [judged.output, explained.output]
    return "\n".join(texts)


def monitor(data: bytes, work: Path) -> str:
    """``monitor FILE.jsonl --format json --op``: exit 0 or 1 as documented, read == judged + refused.

    Exit 2 only for a peildatum that does not exist, or one before the basismodel's first
    version (on which no dossier can be judged: docs/monitor.md).
    """
    op, content = _peildatum(data)
    path = work / "dossiers.jsonl"
    path.write_bytes(content)
    result = _invoke(["monitor", str(path), "--format", "json", "--op", op, "--engine", ENGINES[0]], None, "monitor")
    out = result.output + (result.stderr if result.stderr_bytes else "")
    if result.exit_code == 2:
        try:
            day = dt.date.fromisoformat(op)
        except ValueError:
            return out  # a peildatum that does not exist: a usage error
        first = min(vanaf for _versie, vanaf, _tot in versions_of(None))
        if day < first and "eerste versie van ruleset `basismodel`" in out:
            return out
        raise Crash(f"monitor exits 2 on a valid peildatum: {out[-800:]}")
    totals = json.loads(result.stdout)["totalen"]
    if totals["gelezen"] != totals["beoordeeld"] + totals["geweigerd"]:
        raise Crash(f"monitor: read != judged + refused: {totals}")
    lines = [line for line in content.splitlines() if line.strip()]
    if totals["gelezen"] != len(lines):
        raise Crash(f"monitor: {len(lines)} lines, {totals['gelezen']} read: {totals}")
    if result.exit_code != (1 if totals["geweigerd"] else 0):
        raise Crash(f"monitor: exit {result.exit_code} with {totals}")
    return out


PATHS = {
    f.__name__: f
    for f in (api, evaluate_file, stdin, batch, ruleset, ruleset_check, scenario, dossier_api, dossier_file, monitor)
}


def run(path: str, inputs: list[bytes]) -> list[dict[str, Any]]:
    results = []
    run_one = PATHS[path]
    for data in inputs:
        with tempfile.TemporaryDirectory() as tmp:
            # CPU time of this child: the bound is on the work an input causes, and wall time
            # would count whatever else runs on a shared machine (CI, other test workers)
            started = time.process_time()
            try:
                text, outcome = run_one(data, Path(tmp)), "ok"
            except MeldcodeError as error:
                text, outcome = str(error), f"error:{type(error).__name__}"
            except Crash as error:
                text, outcome = str(error), "crash"
            except BaseException as error:
                text, outcome = "".join(traceback.format_exception(error))[-3000:], f"crash:{type(error).__name__}"
            results.append(
                {
                    "outcome": outcome,
                    "seconds": round(time.process_time() - started, 3),
                    "echo": MARKER in text,
                    "detail": text[-1500:] if outcome.startswith("crash") or MARKER in text else "",
                }
            )
    return results


if __name__ == "__main__":
    inputs = [base64.b64decode(item) for item in json.load(sys.stdin)]
    for result in run(sys.argv[1], inputs):
        print(json.dumps(result), flush=True)
