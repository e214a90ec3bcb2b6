"""Issue 14: each hostile-input finding, as a test that failed before the fix.

Numbers refer to the issue's findings. Anything that could crash the process
(durable-rules' C code) or take unbounded memory runs in a subprocess with a
resource limit, so a crash fails the test instead of killing pytest.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile_shapes import TRI_FACTS, begrip_chain_text, copies_text, rule, ruleset_text, write_tree
from meldcode_rules import CaseError, MeldcodeError, RulesetError, evaluate, limits
from meldcode_rules.api import read_case_text
from meldcode_rules.cli.main import main
from meldcode_rules.engines import durable_available
from meldcode_rules.sectors.registry import compile_from

SECRET = "Jan Jansen, BSN 123456789"
DUPLICATE = (
    '{"afweging": {"vermoeden": "nee", "acute_onveiligheid": "ja", "acute_onveiligheid": "nee", '
    '"structurele_onveiligheid": "nee"}}'
)
ACUUT = {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def cli(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None, memory_mb: int = 0
) -> subprocess.CompletedProcess:
    """The real command in a child process (real stdin bytes, exit code, locale, signals)."""

    def limit() -> None:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    return subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        preexec_fn=limit,
        check=False,
    )


def refused(result: subprocess.CompletedProcess, code: int = 2) -> str:
    text = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, text
    assert "Traceback" not in text
    return text


# ---------------------------------------------------------------- 1. duplicate JSON keys


def test_1_a_duplicate_json_key_is_refused_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "casus.json"
    path.write_text(DUPLICATE, encoding="utf-8")
    text = refused(cli("evaluate", str(path), "--format", "json", "--engine", "reference"))
    assert "`afweging.acute_onveiligheid`" in text and "meer dan een keer" in text
    assert '"melden"' not in text


def test_1_a_duplicate_json_key_is_refused_on_stdin_and_in_batch() -> None:
    with pytest.raises(CaseError, match="acute_onveiligheid"):
        read_case_text(DUPLICATE, as_json=True)
    result = CliRunner().invoke(main, ["batch", "--engine", "reference"], input=DUPLICATE + "\n")
    (line,) = [json.loads(x) for x in result.output.splitlines()]
    assert line["regel"] == 1 and "acute_onveiligheid" in line["fout"][0]
    assert result.exit_code == 1


# ---------------------------------------------------------------- 2. durable-rules limits


DURABLE_RUN = """
import sys, json
sys.path.insert(0, {tests!r})
from meldcode_rules.sectors.registry import compile_from
from meldcode_rules.engines import get_engine
from meldcode_rules.api import parse_case
from strategies import random_cases
from pathlib import Path
compiled = compile_from([Path({tree!r})], "hostile")
durable, reference = get_engine("durable"), get_engine("reference")
differ = 0
for case in random_cases(60, 3):
    flat = compiled.catalog.flatten(parse_case(case, model=compiled.catalog.model))
    differ += durable.fire(compiled, flat) != reference.fire(compiled, flat)
print(json.dumps({{"rules": len(compiled.rules), "differ": differ}}))
"""


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not install on this Python")
@pytest.mark.parametrize(
    ("rules", "width", "depth"),
    [(48, 3, 2), (120, 3, 2), (300, 2, 1), (60, 5, 2), (30, 3, 3)],
    ids=["basismodel+48", "basismodel+120", "basismodel+300-small", "wide-or", "deep"],
)
def test_2_rulesets_at_and_beyond_durables_limits_run_and_agree(
    tmp_path: Path, rules: int, width: int, depth: int
) -> None:
    tree = write_tree(tmp_path / "rs", ruleset_text(rules, seed=rules + width, width=width, depth=depth))
    code = DURABLE_RUN.format(tests=str(Path(__file__).parent), tree=str(tree))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300, check=False)
    # A SIGABRT/SIGSEGV in durable's C code is a negative return code: a failed test, not a dead pytest.
    assert result.returncode == 0, (result.returncode, result.stderr.decode()[-2000:])
    answer = json.loads(result.stdout)
    assert answer == {"rules": rules + 32, "differ": 0} or (answer["differ"] == 0 and answer["rules"] > rules)


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not install on this Python")
@pytest.mark.parametrize("times", [3, 5])
def test_2_the_basismodel_rules_several_times_over_run_and_agree(tmp_path: Path, times: int) -> None:
    # The shape that crashed: on main before issue 14, 3 copies (128 rules) aborted the process.
    tree = write_tree(tmp_path / "rs", copies_text(times))
    code = DURABLE_RUN.format(tests=str(Path(__file__).parent), tree=str(tree))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300, check=False)
    assert result.returncode == 0, (result.returncode, result.stderr.decode()[-2000:])
    answer = json.loads(result.stdout)
    assert answer["differ"] == 0 and answer["rules"] % (times + 1) == 0


def test_2_a_rule_too_large_for_durable_is_refused_at_compile_time(tmp_path: Path) -> None:
    # `alle` of 12 facts `in: [ja, nee]`: its `mogelijk` (each one of three) is too large for one
    # durable-rules rule (error 113), and written out it has thousands of branches: refused.
    wide = "{alle: [" + ", ".join(f"{{feit: {f}, in: [ja, nee]}}" for f in TRI_FACTS) + "]}"
    tree = write_tree(tmp_path / "rs", ruleset_text(0).replace("regels:\n", "regels:\n" + rule(1, wide)))
    with pytest.raises(RulesetError) as caught:
        compile_from([tree], "hostile")
    (problem,) = caught.value.diagnostics
    assert problem.code == "MR039" and "hostile-00001" in problem.message


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not install on this Python")
def test_2_a_large_ruleset_is_judged_by_the_cli_with_durable(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "rs", ruleset_text(120, seed=5))
    case = tmp_path / "casus.json"
    case.write_text(json.dumps({**ACUUT, "sector": "hostile"}), encoding="utf-8")
    code = (
        "import sys; from meldcode_rules.sectors.registry import compile_from; from meldcode_rules import evaluate;"
        f"c = compile_from([__import__('pathlib').Path({str(tree)!r})], 'hostile');"
        f"print(evaluate({ACUUT!r}, engine='durable', ruleset=c).melden)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert result.stdout.decode().strip() == "ja"


# ---------------------------------------------------------------- 3. alias bombs


def test_3_an_alias_bomb_is_refused_quickly_in_a_case_and_a_ruleset(tmp_path: Path) -> None:
    case = tmp_path / "bom.yaml"
    case.write_text(BOMB, encoding="utf-8")
    started = time.perf_counter()
    text = refused(cli("evaluate", str(case), "--engine", "reference", memory_mb=2048))
    assert "MR003" in text
    tree = write_tree(tmp_path / "rs", BOMB)
    with pytest.raises(RulesetError) as caught:
        compile_from([tree], "hostile")
    assert [d.code for d in caught.value.diagnostics] == ["MR003"]
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("text", ["&x {b: *x}\n", "- &x [1, *x]\n", "a: &x\n  b: [*x]\n"])
def test_3_a_self_referencing_alias_is_refused_not_a_recursion_error(text: str) -> None:
    # ruamel reads some forms as a cycle (refused, MR003), others as an empty value: either
    # way a clear error, never a RecursionError.
    with pytest.raises(CaseError):
        read_case_text(text)


# ---------------------------------------------------------------- 4. exponential check


def test_4_a_doubling_begrip_chain_is_refused_quickly_and_named(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "rs", begrip_chain_text(26))
    started = time.process_time()  # CPU: a loaded machine does not count
    with pytest.raises(RulesetError) as caught:
        compile_from([tree], "hostile")
    assert time.process_time() - started < 20
    (problem,) = caught.value.diagnostics
    assert problem.code == "MR037" and "`b11`" in problem.message  # 2**11 > MAX_EXPANDED_TESTS
    assert problem.location.line > 1


def test_4_a_short_chain_still_compiles(tmp_path: Path) -> None:
    compile_from([write_tree(tmp_path / "rs", begrip_chain_text(8))], "hostile")


# ---------------------------------------------------------------- 5. tracebacks


def test_5_a_datum_near_the_end_of_time_is_a_clear_error_not_an_overflow() -> None:
    case = {"datum": "9999-12-30", "afweging": {"vermoeden": "ja", "structurele_onveiligheid": "ja"}}
    for engine in ("reference", "durable") if durable_available() else ("reference",):
        with pytest.raises(CaseError, match="datum"):
            evaluate(case, engine=engine)
    # The last allowed datum still gives every action its deadline.
    oordeel = evaluate({**case, "datum": str(limits.MAX_DATUM)}, engine="reference")
    assert all(a.deadline is not None for a in oordeel.acties if a.termijn)


@pytest.mark.parametrize("where", ["key", "sector"])
def test_5_markup_in_a_key_or_sector_prints_as_text(tmp_path: Path, where: str) -> None:
    data = {"a[/]b": 1} if where == "key" else {"sector": "x[/]y[bold]"}
    result = CliRunner().invoke(main, ["evaluate", "-"], input=json.dumps(data))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("as_json", [True, False])
def test_5_a_number_of_5000_digits_is_refused(as_json: bool) -> None:
    text = '{"x": ' + "1" * 5000 + "}" if as_json else "x: " + "1" * 5000
    with pytest.raises(CaseError, match="getal te lang"):
        read_case_text(text, as_json=as_json)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 3000 + "]" * 3000,
        '{"a": ' * 3000 + "1" + "}" * 3000,
        "a:\n" + "".join(" " * i + "- \n" for i in range(1, 300)),
    ],
)
def test_5_deep_nesting_is_refused_not_a_recursion_error(text: str) -> None:
    with pytest.raises(CaseError, match="diep"):
        read_case_text(text, as_json=text.startswith(("[", "{")))


def test_5_deep_nesting_in_a_batch_line_costs_that_line() -> None:
    lines = ["[" * 5000 + "]" * 5000, json.dumps(ACUUT)]
    result = CliRunner().invoke(main, ["batch", "--engine", "reference"], input="\n".join(lines) + "\n")
    out = [json.loads(x) for x in result.output.splitlines()]
    assert "fout" in out[0] and out[1]["melden"] == "ja" and result.exit_code == 1


def test_5_a_lone_surrogate_costs_one_batch_line() -> None:
    lines = [json.dumps({"sector": "\ud800"}), '{"sector": "\\udc00x"}', json.dumps(ACUUT)]
    result = cli("batch", "--engine", "reference", stdin=("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    out = [json.loads(x) for x in result.stdout.decode().splitlines()]
    assert [("fout" in o) for o in out] == [True, True, False]
    assert result.returncode == 1


def test_5_invalid_bytes_on_stdin_are_a_clear_error() -> None:
    text = refused(cli("evaluate", "-", stdin=b'{"afweging": "\xff\xfe"}'))
    assert "UTF-8" in text


def test_5_one_bad_byte_under_a_strict_locale_costs_one_line_only() -> None:
    stdin = json.dumps(ACUUT).encode() + b"\n{\xff}\n" + json.dumps(ACUUT).encode() + b"\n"
    result = cli(
        "batch", "--engine", "reference", stdin=stdin, env={"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"}
    )
    out = [json.loads(x) for x in result.stdout.decode().splitlines()]
    assert [o.get("melden") for o in out] == ["ja", None, "ja"]
    assert out[1]["regel"] == 2 and result.returncode == 1


@pytest.mark.parametrize("character", ["\x00", "\x07", "\ufffe"])
def test_5_a_control_character_in_yaml_is_a_located_error(tmp_path: Path, character: str) -> None:
    path = tmp_path / "casus.yaml"
    path.write_text(f"afweging:\n  vermoeden: ja{character}\n", encoding="utf-8")
    text = refused(cli("evaluate", str(path)))
    assert f"{path}:2:" in text and "MR001" in text


@pytest.mark.parametrize("sector", [123, 1.5, ["onderwijs"], {"a": 1}, b"onderwijs"])
def test_5_a_sector_of_another_type_is_a_meldcode_error(sector: object) -> None:
    with pytest.raises(MeldcodeError):
        evaluate({}, sector=sector)  # type: ignore[arg-type]
    with pytest.raises(MeldcodeError):
        evaluate({"sector": sector})


def test_5_a_termijn_too_large_for_a_date_is_refused_by_check(tmp_path: Path) -> None:
    body = rule(1, "{feit: afweging.vermoeden, is: ja}").replace(
        "      melden: onbekend\n",
        "      acties:\n        - {code: herbeoordelen, tekst: Opnieuw., termijn: 999999999999 weken}\n",
    )
    tree = write_tree(tmp_path / "rs", ruleset_text(0).replace("regels:\n", "regels:\n" + body))
    with pytest.raises(RulesetError) as caught:
        compile_from([tree], "hostile")
    assert [d.code for d in caught.value.diagnostics] == ["MR010"]
    assert "termijn" in caught.value.diagnostics[0].message


# ---------------------------------------------------------------- 6. batch goes on


HOSTILE_LINES = [
    DUPLICATE,
    "[" * 2000 + "]" * 2000,
    '{"x": ' + "9" * 5000 + "}",
    '{"sector": "\\ud800"}',
    '{"datum": "9999-12-31", "afweging": {"vermoeden": "ja"}}',
    '{"sector": "a[/]b"}',
    '{"vormen": ' + json.dumps([1] * 5000) + "}",
    "null",
    "[]",
    '"tekst"',
    "{niet json",
    '{"afweging": 5}',
    '{"sector": 123}',
    '{"afweging": {"vermoeden": NaN}}',
    json.dumps({f"k{i}": i for i in range(5000)}),
    '{"datum": "0001-01-01"}',
    '{"stappen": {"gesprek_gevoerd": ' + "[" * 50 + "]" * 50 + "}}",
    "\t ",
]


def test_6_every_hostile_line_is_answered_and_the_stream_goes_on() -> None:
    lines = [x for pair in zip(HOSTILE_LINES, [json.dumps(ACUUT)] * len(HOSTILE_LINES), strict=True) for x in pair]
    result = cli("batch", "--engine", "reference", stdin=("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    out = [json.loads(x) for x in result.stdout.decode().splitlines()]
    assert len(out) == 2 * len(HOSTILE_LINES) - 1  # the blank line is skipped
    judged = [o for o in out if "melden" in o]
    assert len(judged) == len(HOSTILE_LINES)  # every valid line after every hostile one
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()


def test_6_a_line_over_the_limit_is_refused_without_being_read_whole() -> None:
    class Endless:
        """A 50 MB line, produced chunk by chunk: never held whole."""

        def __init__(self) -> None:
            self.left = 50_000_000
            self.tail = [b"\n" + json.dumps(ACUUT).encode() + b"\n"]

        def read(self, size: int) -> bytes:
            if self.left > 0:
                self.left -= size
                return b"x" * size
            return self.tail.pop() if self.tail else b""

    from meldcode_rules.batch import read_lines

    lines = list(read_lines(Endless()))  # type: ignore[arg-type]
    assert lines[0] is None and json.loads(lines[1]) == ACUUT


def test_6_exit_codes_tell_refused_lines_from_a_failed_program(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["batch", "--engine", "reference"], input=json.dumps(ACUUT) + "\n").exit_code == 0
    assert runner.invoke(main, ["batch", "--engine", "reference"], input="{x\n").exit_code == 1
    assert runner.invoke(main, ["batch", "--sector", "geen_sector"], input=json.dumps(ACUUT) + "\n").exit_code == 2

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("stuk")

    monkeypatch.setattr("meldcode_rules.batch.evaluate", broken)
    result = runner.invoke(main, ["batch", "--engine", "reference"], input=json.dumps(ACUUT) + "\n{x\n")
    assert result.exit_code == limits.BATCH_EXIT_FAILED
    out = [json.loads(x) for x in result.output.splitlines()]
    assert "interne fout" in out[0]["fout"][0] and len(out) == 2


# ---------------------------------------------------------------- 7. unbounded work


@pytest.mark.parametrize(
    "data",
    [{"vormen": [1] * 10**6}, {f"k{i}": 1 for i in range(10**6)}, {"afweging": {f"k{i}": 1 for i in range(10**5)}}],
    ids=["a million list items", "a million keys", "unknown keys in a sub-object"],
)
def test_7_one_huge_case_costs_little_and_its_error_is_short(data: dict) -> None:
    started = time.process_time()  # CPU: a loaded machine does not count
    with pytest.raises(CaseError) as caught:
        evaluate(data, engine="reference")
    assert time.process_time() - started < 3
    assert len(str(caught.value)) < 2_000
    assert len(caught.value.problems) <= limits.MAX_PROBLEMS + 1


def test_7_many_wrong_fields_are_capped_with_a_count() -> None:
    data = {"afweging": {name: 5 for name in ("vermoeden", "acute_onveiligheid", "structurele_onveiligheid")}}
    data.update({"stappen": {f"x{i}": 1 for i in range(40)}})
    with pytest.raises(CaseError) as caught:
        evaluate(data, engine="reference")
    assert len(caught.value.problems) == limits.MAX_PROBLEMS + 1
    assert caught.value.problems[-1].startswith("en nog ")


# ---------------------------------------------------------------- 8. values echoed


@pytest.mark.parametrize(
    "data",
    [
        {"sector": SECRET},
        {SECRET: "ja"},
        {"afweging": {SECRET: "ja"}},
        {"afweging": {"vermoeden": SECRET}},
        {"vormen": [SECRET]},
        {"datum": SECRET},
    ],
)
def test_8_no_error_repeats_what_was_given(data: dict) -> None:
    with pytest.raises(MeldcodeError) as caught:
        evaluate(data, engine="reference")
    assert "Jan" not in str(caught.value) and "123456789" not in str(caught.value)


@pytest.mark.parametrize(
    "text", [f"a: !{'Jan'} x\n", "a: *JanJansen\n", "a: &JanJansen x\nb: !!python/name:JanJansen x\n"]
)
def test_8_yaml_tag_and_alias_names_are_not_repeated(text: str) -> None:
    with pytest.raises(CaseError) as caught:
        read_case_text(text)
    assert "Jan" not in str(caught.value)


def test_8_an_unknown_sector_names_the_known_ones_not_the_given_text() -> None:
    with pytest.raises(MeldcodeError) as caught:
        evaluate({"sector": "onderwjis"}, engine="reference")
    message = str(caught.value)
    assert "onderwjis" not in message and "bedoelde u `onderwijs`" in message


# ---------------------------------------------------------------- 9. rulesets too large


def test_9_a_ruleset_of_8000_rules_is_refused_before_it_costs_memory(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "rs", ruleset_text(8000, depth=1))
    started = time.process_time()  # CPU: a loaded machine does not count
    with pytest.raises(RulesetError) as caught:
        compile_from([tree], "hostile")
    assert [d.code for d in caught.value.diagnostics] == ["MR003"]  # the file is over MAX_YAML_BYTES
    assert time.process_time() - started < 10


def test_9_more_rules_than_the_limit_in_a_small_file_are_refused(tmp_path: Path) -> None:
    body = "".join(rule(i, "{feit: afweging.vermoeden, is: ja}") for i in range(limits.MAX_RULES))
    text = ruleset_text(0).replace("regels:\n", "regels:\n" + body)
    assert len(text) < limits.MAX_YAML_BYTES
    with pytest.raises(RulesetError) as caught:
        compile_from([write_tree(tmp_path / "rs", text)], "hostile")
    assert [d.code for d in caught.value.diagnostics] == ["MR038"]


# ---------------------------------------------------------------- 10. the README says it


def test_10_the_readme_states_the_answered_later_exception() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    principle = readme[readme.index("1. **Unknown is never no") : readme.index("2. **")]
    assert "afweging.hulp_effectief" in principle and "herbeoordelen" in principle
