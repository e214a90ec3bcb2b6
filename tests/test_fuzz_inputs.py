"""Fuzzing every input path with a fixed budget (issue 14, "keep it found").

For each path (the Python API, ``evaluate`` on files and on standard input,
``batch``, the ruleset loader with compiling, both engines and ``check``, and
scenario files with ``test``, dossiers through the API, ``evaluate``/``explain --op`` and
``monitor``) hypothesis generates hostile inputs, which run in
a child process with a memory limit (``resource.setrlimit``, tests/fuzz_driver.py).
Every input must end in a judgement or a documented error (a ``MeldcodeError``;
for a command, one of its documented exit codes and no traceback), within the
time bound, and no output or message may repeat the marker planted in the
inputs. A crash of durable-rules' C code kills the child, not pytest: a failed
test. The longer run is ``benchmarks/fuzz_long.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzz_inputs import STRATEGIES, run_child

#: CPU seconds one input may take in its child (a hang is caught by the child's wall-clock timeout).
SECONDS_PER_INPUT = 15
MEMORY_MB = 2048
#: path: (examples, inputs per example); about 2 minutes in all on the project machine.
BUDGET = {
    "api": (4, 8),
    "evaluate_file": (3, 5),
    "stdin": (3, 6),
    "batch": (3, 3),
    "ruleset": (3, 4),
    "ruleset_check": (1, 1),
    "scenario": (3, 4),
    # dossiers judged as of a peildatum: the API (dict and model, both engines, the timeline),
    # `evaluate`/`explain FILE --op`, and `monitor` over JSON Lines; about 30 s together
    "dossier_api": (3, 8),
    "dossier_file": (3, 4),
    "monitor": (3, 4),
}


def check_results(path: str, inputs: list[bytes], code: int, results: list[dict], stderr: str) -> None:
    assert code == 0, f"the child died ({code}) on {path}: {stderr}"
    assert len(results) == len(inputs)
    for data, result in zip(inputs, results, strict=True):
        shown = data[:300]
        assert not result["outcome"].startswith("crash"), (shown, result["detail"])
        assert not result["echo"], ("a message repeats the input", shown, result["detail"])
        assert result["seconds"] < SECONDS_PER_INPUT, (shown, result["seconds"])


@pytest.mark.parametrize("path", sorted(BUDGET))
def test_fuzz_input_path(path: str) -> None:
    examples, per_example = BUDGET[path]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # a fixed, repeatable budget in CI; benchmarks/fuzz_long.py explores
        # No shrinking: each step would start a child; the failing input is in the message.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(STRATEGIES[path](), min_size=per_example, max_size=per_example))
    def run(inputs: list[bytes]) -> None:
        code, results, stderr = run_child(
            path, inputs, memory_mb=MEMORY_MB, timeout=SECONDS_PER_INPUT * per_example + 60
        )
        check_results(path, inputs, code, results, stderr)

    run()
