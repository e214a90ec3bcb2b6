"""A longer fuzzing run over every input path (issue 14): the CI suite's inputs, many more of them.

    .venv/bin/python benchmarks/fuzz_long.py --minutes 10           # hypothesis, every path
    .venv/bin/python benchmarks/fuzz_long.py --path ruleset --minutes 30
    .venv/bin/python benchmarks/fuzz_long.py --atheris --path stdin # coverage-guided (pip install atheris)

Each batch of generated inputs runs in a child process with a memory limit
(tests/fuzz_driver.py); a crash, a traceback, an input over the time bound or a
message that repeats the planted marker is printed with the input and counted.
Results so far are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

import contextlib

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzz_inputs import STRATEGIES, run_child

SECONDS_PER_INPUT = 15


def hypothesis_run(path: str, minutes: float, per_child: int) -> tuple[int, int, float]:
    """Inputs run, problems found, slowest input (seconds)."""
    counts = {"inputs": 0, "problems": 0, "slowest": 0.0}
    end = time.monotonic() + minutes * 60

    @settings(
        max_examples=10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(STRATEGIES[path](), min_size=per_child, max_size=per_child))
    def run(inputs: list[bytes]) -> None:
        if time.monotonic() > end:
            raise _Done
        code, results, stderr = run_child(path, inputs, timeout=SECONDS_PER_INPUT * per_child + 60)
        counts["inputs"] += len(inputs)
        if code != 0 or len(results) != len(inputs):
            counts["problems"] += 1
            print(f"[{path}] child died ({code}): {stderr[-500:]}", flush=True)
            return
        for data, result in zip(inputs, results, strict=True):
            counts["slowest"] = max(counts["slowest"], result["seconds"])
            if result["outcome"].startswith("crash") or result["echo"] or result["seconds"] > SECONDS_PER_INPUT:
                counts["problems"] += 1
                print(f"[{path}] {result['outcome']} {result['seconds']}s echo={result['echo']}: {data[:300]!r}")
                print(result["detail"], flush=True)

    with contextlib.suppress(_Done):
        run()
    return counts["inputs"], counts["problems"], counts["slowest"]


class _Done(Exception):
    pass


def atheris_run(path: str) -> None:  # pragma: no cover - needs atheris and runs until stopped
    import atheris

    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    with atheris.instrument_imports():
        import fuzz_driver

    import tempfile

    def one(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                text = fuzz_driver.PATHS[path](data, Path(tmp))
            except fuzz_driver.MeldcodeError as error:
                text = str(error)
            if fuzz_driver.MARKER in text:
                raise AssertionError("a message repeats the input")

    atheris.Setup([sys.argv[0], *sys.argv[sys.argv.index("--") + 1 :]] if "--" in sys.argv else [sys.argv[0]], one)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", choices=sorted(STRATEGIES), action="append")
    parser.add_argument("--minutes", type=float, default=2.0, help="per path")
    parser.add_argument("--per-child", type=int, default=20)
    parser.add_argument("--atheris", action="store_true", help="coverage-guided, in this process, one path")
    args = parser.parse_args()
    paths = args.path or sorted(STRATEGIES)
    if args.atheris:
        atheris_run(paths[0])
        return
    total = 0
    for path in paths:
        started = time.monotonic()
        inputs, problems, slowest = hypothesis_run(path, args.minutes, args.per_child)
        total += problems
        print(
            f"{path}: {inputs} inputs, {problems} problems, slowest {slowest:.2f} s, {time.monotonic() - started:.0f} s"
        )
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
