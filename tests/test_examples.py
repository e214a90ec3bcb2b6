"""Every shipped example is judged as its header comment promises, by both engines.

The expectation lives in the example itself, as one or more comment lines::

    # verwacht: melden=ja besluit=melden stap=5 acties=melden_veilig_thuis,ontvangst_controleren

so adding an example adds a test, and a reader of the example sees what the
meldcode requires next to the facts. JSON cannot hold comments: a JSON
example keeps its header and ``# verwacht:`` lines in a sibling file
``<name>.json.verwacht``. An example without an expectation fails.

Keys (all optional, every one given is checked):

- ``melden``, ``besluit``, ``stap``: equal;
- ``acties``: these action codes are present; ``geen_acties``: these are absent;
- ``open_vragen``: exactly these facts, in this (meldcode) order; ``-`` means none;
- ``termijn=code:termijn`` and ``deadline=code:YYYY-MM-DD``: the action's termijn or deadline
  (may be repeated; a termijn may contain a space, e.g. ``termijn=politie_inschakelen:1 uur``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from meldcode_rules.dossier import evaluate, read_input_file
from meldcode_rules.engines import EngineUnavailable, durable_available
from meldcode_rules.judge.judgement import Judgement

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.json")])
ENGINES = ["durable", "reference"] if durable_available() else ["reference"]

_KEY = re.compile(
    r"(?:^|\s)(melden|besluit|stap|acties|geen_acties|open_vragen|termijn|deadline|op|verlopen|dagen_verlopen)="
)

#: Known defects in code this branch may not edit. Each entry is a strict xfail: the
#: test fails as soon as the defect is fixed, so the entry is removed then.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


@dataclass
class Verwachting:
    melden: str | None = None
    besluit: str | None = None
    stap: int | None = None
    acties: list[str] = field(default_factory=list)
    geen_acties: list[str] = field(default_factory=list)
    open_vragen: list[str] | None = None
    termijnen: dict[str, str] = field(default_factory=dict)
    deadlines: dict[str, dt.date] = field(default_factory=dict)
    #: a dossier example: the peildatum, and per action whether (and how long) it is overdue then
    op: dt.date | None = None
    verlopen: dict[str, bool | str] = field(default_factory=dict)
    dagen_verlopen: dict[str, int] = field(default_factory=dict)


def _expectation_text(path: Path) -> str:
    source = path.with_name(path.name + ".verwacht") if path.suffix == ".json" else path
    lines = source.read_text(encoding="utf-8").splitlines() if source.exists() else []
    found = [line.split("verwacht:", 1)[1] for line in lines if line.startswith("# verwacht:")]
    if not found:
        pytest.fail(f"{source.name}: no `# verwacht:` line; every example states its expected judgement")
    return " ".join(found)


def parse_expectation(text: str) -> Verwachting:
    """Parse ``key=value`` pairs; a value runs until the next ``key=``."""
    marks = list(_KEY.finditer(text))
    if not marks or text[: marks[0].start()].strip():
        raise ValueError(f"unreadable expectation: {text!r}")
    verwacht = Verwachting()
    for mark, nxt in zip(marks, [*marks[1:], None], strict=True):
        key = mark.group(1)
        value = text[mark.end() : nxt.start() if nxt else len(text)].strip()
        items = [] if value == "-" else [v.strip() for v in value.split(",") if v.strip()]
        if key in ("melden", "besluit"):
            setattr(verwacht, key, value)
        elif key == "stap":
            verwacht.stap = int(value)
        elif key in ("acties", "geen_acties"):
            getattr(verwacht, key).extend(items)
        elif key == "open_vragen":
            verwacht.open_vragen = items
        elif key == "op":
            verwacht.op = dt.date.fromisoformat(value)
        elif key == "verlopen":
            code, _, rest = value.partition(":")
            verwacht.verlopen[code] = {"true": True, "false": False}.get(rest, rest)
        elif key == "dagen_verlopen":
            code, _, rest = value.partition(":")
            verwacht.dagen_verlopen[code] = int(rest)
        else:
            code, _, rest = value.partition(":")
            if key == "termijn":
                verwacht.termijnen[code] = rest
            else:
                verwacht.deadlines[code] = dt.date.fromisoformat(rest)
    return verwacht


def _judge(path: Path, engine: str) -> Judgement:
    # A dossier example is judged on the peildatum its expectation states (`op=`).
    op = parse_expectation(_expectation_text(path)).op if "gebeurtenissen" in path.read_text(encoding="utf-8") else None
    return evaluate(read_input_file(path), engine=engine, op=op)


def test_there_are_examples_of_every_situation_the_issue_names() -> None:
    names = {p.name for p in EXAMPLE_FILES}
    assert len(names) >= 14
    assert any(n.endswith(".json") for n in names)
    for seed in ("seed000", "seed001", "seed003"):
        assert any(n.startswith(seed) for n in names), seed
    # issue 10: each of the seeds 000-003 also as a dossier, judged on a stated date
    for seed in ("seed000", "seed001", "seed002", "seed003"):
        assert any(n.startswith(f"{seed}-dossier") for n in names), seed


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_is_fictional_and_explained(path: Path) -> None:
    header = path.with_name(path.name + ".verwacht") if path.suffix == ".json" else path
    text = header.read_text(encoding="utf-8")
    assert text.startswith("# Fictieve casus"), f"{header.name} must start by saying the case is fictional"
    assert "Meldcode:" in text, f"{header.name} must say what the meldcode requires"
    # Sector rulesets are built elsewhere: an example may name its sector only in a comment.
    case = read_input_file(path)
    assert case.sector is None


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_engines_agree(path: Path) -> None:
    if not durable_available():
        # Only allowed where durable-rules cannot be installed; there, asking for it says what to do.
        assert sys.version_info >= (3, 13), "durable-rules must be installed on Python < 3.13"
        with pytest.raises(EngineUnavailable, match="--engine reference"):
            _judge(path, "durable")
        return
    judgements = [_judge(path, e).model_dump(exclude={"engine"}) for e in ENGINES]
    assert judgements[0] == judgements[1]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_outcome(path: Path, engine: str) -> None:
    verwacht = parse_expectation(_expectation_text(path))
    oordeel = _judge(path, engine)
    codes = [a.code for a in oordeel.acties]
    if verwacht.melden is not None:
        assert oordeel.melden == verwacht.melden
    if verwacht.besluit is not None:
        assert oordeel.besluit == verwacht.besluit
    if verwacht.stap is not None:
        assert oordeel.stap == verwacht.stap
    for code in verwacht.acties:
        assert code in codes, f"action {code} missing; got {codes}"
    for code in verwacht.geen_acties:
        assert code not in codes, f"action {code} should not be asked here"
    if verwacht.open_vragen is not None:
        assert [v.feit for v in oordeel.open_vragen] == verwacht.open_vragen
    termijnen = {a.code: a.termijn for a in oordeel.acties}
    for code, termijn in verwacht.termijnen.items():
        assert termijnen.get(code) == termijn, code
    by_code = {a.code: a for a in oordeel.acties}
    for code, verlopen in verwacht.verlopen.items():
        assert by_code[code].verlopen == verlopen and type(by_code[code].verlopen) is type(verlopen), code
    for code, days in verwacht.dagen_verlopen.items():
        assert by_code[code].dagen_verlopen == days, code
    # Whatever else holds: `melden: nee` never comes with an open question that could change it.
    if oordeel.melden == "nee":
        assert not oordeel.open_vragen
    # Every judgement explains itself: each action names the rules that asked for it.
    fired = {r.regel for r in oordeel.redenering}
    for actie in oordeel.acties:
        assert actie.regels and set(actie.regels) <= fired


def _deadline_cases() -> list[object]:
    cases: list[object] = []
    for path in EXAMPLE_FILES:
        try:
            verwacht = parse_expectation(_expectation_text(path))
        except BaseException:  # an example without expectation fails in test_example_outcome
            continue
        for code, date in verwacht.deadlines.items():
            defect = KNOWN_DEFECTS.get((path.name, code))
            marks = [pytest.mark.xfail(strict=True, reason=defect)] if defect else []
            cases.append(pytest.param(path, code, date, marks=marks, id=f"{path.name}:{code}"))
    return cases


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("path", "code", "date"), _deadline_cases())
def test_example_deadline(path: Path, code: str, date: dt.date, engine: str) -> None:
    deadlines = {a.code: a.deadline for a in _judge(path, engine).acties}
    assert deadlines.get(code) == date


def test_parse_expectation() -> None:
    v = parse_expectation(
        " melden=ja besluit=melden stap=5 acties=a,b termijn=c:1 uur open_vragen=- deadline=d:2026-01-02"
    )
    assert (v.melden, v.besluit, v.stap, v.acties) == ("ja", "melden", 5, ["a", "b"])
    assert v.termijnen == {"c": "1 uur"}
    assert v.open_vragen == []
    assert v.deadlines == {"d": dt.date(2026, 1, 2)}
    with pytest.raises(ValueError):
        parse_expectation("melden ja")


def test_json_example_reads_like_a_case_system_sends_it() -> None:
    path = next(p for p in EXAMPLE_FILES if p.suffix == ".json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert True in raw["afweging"].values() and None in raw["stappen"].values()
    # The dict a case system posts and the file the CLI reads give the same judgement.
    assert evaluate(raw, engine="reference") == _judge(path, "reference")


def test_examples_index_lists_every_example_with_its_outcome() -> None:
    index = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    rows = dict(
        (m[1], (m[2], m[3]))
        for m in re.finditer(r"^\| `([^`]+)` \| .* \| (\w+) \| (\w+) \|$", index, flags=re.MULTILINE)
    )
    assert sorted(rows) == sorted(p.name for p in EXAMPLE_FILES)
    for path in EXAMPLE_FILES:
        oordeel = _judge(path, "reference")
        assert rows[path.name] == (oordeel.melden, oordeel.besluit), path.name
