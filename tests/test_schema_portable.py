"""The shipped JSON Schemas work outside Python and accept exactly what the library accepts.

Every shipped example, scenario file and ruleset is validated with check-jsonschema and with
Ajv in strict mode (node, ``tests/js``); generated valid and invalid case files are judged by
pydantic, Ajv and check-jsonschema, and the three must agree on every one. Nothing is skipped:
when Ajv is not installed the test runs ``npm ci``, and if that fails the test fails.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from meldcode_rules import schema
from meldcode_rules.api import parse_case
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.case.model import REFERENTIE_MAX
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.dossier import parse_dossier
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.load.ruleset import RulesetFile
from meldcode_rules.scenarios.scenarios import ScenarioFile

REPO = Path(__file__).resolve().parents[1]
JS = REPO / "tests" / "js"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def ensure_node_modules() -> None:
    """Install Ajv from package-lock.json when it is missing; a failure fails the test."""
    if (JS / "node_modules" / "ajv" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    assert npm, "npm is niet gevonden: installeer Node.js 20 (tests/js heeft Ajv nodig)"
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=JS, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"npm ci in tests/js faalde:\n{done.stdout}\n{done.stderr}"


def ajv(documents: list[tuple[str, Any]]) -> list[tuple[bool, list[str]]]:
    """Ajv's verdict (strict mode, all shipped schemas compiled) for each ``(schema, data)``."""
    ensure_node_modules()
    payload = {
        "schemas": schema.generate(),
        "documents": [{"schema": name, "data": data} for name, data in documents],
    }
    done = subprocess.run(
        ["node", str(JS / "validate.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [(r["valid"], r["errors"]) for r in json.loads(done.stdout)]


def check_jsonschema(name: str, files: list[Path]) -> dict[str, list[str]]:
    """check-jsonschema's errors per file (a file without errors is valid)."""
    assert CHECK_JSONSCHEMA.is_file(), "check-jsonschema ontbreekt: pip install -e '.[test]'"
    done = subprocess.run(
        [str(CHECK_JSONSCHEMA), "-o", "json", "--schemafile", str(REPO / "schemas" / schema.file_name(name))]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    assert not report.get("parse_errors"), report["parse_errors"]
    errors: dict[str, list[str]] = {}
    for error in report.get("errors", []):
        errors.setdefault(str(Path(error["filename"]).resolve()), []).append(f"{error['path']}: {error['message']}")
    return errors


def _plain(data: Any) -> Any:
    """YAML data as JSON data (a YAML date is a JSON string)."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def shipped_files() -> dict[str, list[Path]]:
    examples = REPO / "examples"
    inputs = sorted([*examples.glob("*.yaml"), *examples.glob("*.json")])
    return {
        "case": [p for p in inputs if "gebeurtenissen" not in _load(p)],
        "dossier": [p for p in inputs if "gebeurtenissen" in _load(p)],
        "scenario": sorted([*(REPO / "scenarios").rglob("*.yaml"), *examples.glob("sector-*/src/*/scenarios/*.yaml")]),
        "ruleset": sorted([*(REPO / "rulesets").glob("*.yaml"), *examples.glob("sector-*/src/*/rulesets/*.yaml")]),
    }


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return _plain(json.loads(text) if path.suffix == ".json" else read_yaml(text, str(path))[0])


def _pydantic_case(data: Any) -> bool:
    try:
        parse_case(data)
    except MeldcodeError:
        return False
    return True


def _pydantic_model(model: Any) -> Callable[[Any], bool]:
    def accepts(data: Any) -> bool:
        try:
            model.model_validate(data)
        except ValidationError:
            return False
        return True

    return accepts


def _pydantic_dossier(data: Any) -> bool:
    try:
        parse_dossier(data)
    except MeldcodeError:
        return False
    return True


PYDANTIC: dict[str, Callable[[Any], bool]] = {
    "case": _pydantic_case,
    "dossier": _pydantic_dossier,
    "scenario": _pydantic_model(ScenarioFile),
    "ruleset": _pydantic_model(RulesetFile),
}


def test_every_shipped_file_passes_ajv_strict_check_jsonschema_and_pydantic() -> None:
    files = shipped_files()
    assert len(files["case"]) >= 15 and len(files["scenario"]) >= 8 and len(files["ruleset"]) >= 7
    assert len(files["dossier"]) >= 1
    documents = [(name, _load(path)) for name, paths in files.items() for path in paths]
    verdicts = ajv(documents)
    for (name, data), (valid, errors), path in zip(
        documents, verdicts, [p for paths in files.values() for p in paths], strict=True
    ):
        assert valid, f"Ajv weigert {path.relative_to(REPO)}: {errors[:5]}"
        assert PYDANTIC[name](data), f"pydantic weigert {path.relative_to(REPO)}"
    for name, paths in files.items():
        assert check_jsonschema(name, paths) == {}, name


def test_the_json_booleans_example_passes_the_case_schema() -> None:
    # The file the issue names: 26 errors before the tri-state fields said what they accept.
    path = REPO / "examples" / "zaaksysteem-afsluiten-met-afspraken.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert any(v is True or v is None for v in data.get("afweging", {}).values())
    assert ajv([("case", data)]) == [(True, [])]
    assert check_jsonschema("case", [path]) == {}


def _set(path: str, value: Any) -> dict[str, Any]:
    case: dict[str, Any] = {}
    node = case
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return case


def case_samples() -> list[dict[str, Any]]:
    """Valid and invalid case files: every fact with right and wrong values, and the context fields."""
    samples: list[dict[str, Any]] = [{}]
    odd: list[Any] = ["", "JA", "waar", 1, 0, 1.5, [], {}]
    for spec in catalog_for():
        if spec.kind == "tri":
            values: list[Any] = [*spec.values, True, False, None, *odd]
        elif spec.kind == "keuze":
            values = [*spec.values, None, "geen", spec.values[0].upper(), *odd]
        else:
            values = [[spec.values[0]], list(spec.values), [], [spec.values[0], spec.values[0]], ["x"], spec.values[0]]
            values += [[None], [True], None, 1]
        samples += [_set(spec.path, value) for value in values]
    context: dict[str, list[Any]] = {
        "datum": ["2026-11-23", "2024-02-29", "2026-02-30", "2026-11-23T00:00:00", "20261123", "23-11-2026", 0, None],
        "referentie": ["Z-1", "", "x" * REFERENTIE_MAX, "x" * (REFERENTIE_MAX + 1), 5, None, ["Z-1"]],
        "sector": ["onderwijs", None, 5],
        "onbekend_veld": ["ja"],
        "afweging": [[], "ja", None, {"onbekend_veld": "ja"}],
    }
    samples += [{key: value} for key, values in context.items() for value in values]
    return samples


def test_pydantic_ajv_and_check_jsonschema_agree_on_valid_and_invalid_cases(tmp_path: Path) -> None:
    samples = case_samples()
    expected = [_pydantic_case(sample) for sample in samples]
    # Both ways: the samples hold many cases of each kind, so agreement is not trivial.
    assert sum(expected) > 100 and len(expected) - sum(expected) > 100
    by_ajv = ajv([("case", sample) for sample in samples])
    files = []
    for index, sample in enumerate(samples):
        file = tmp_path / f"casus{index}.json"
        file.write_text(json.dumps(sample), encoding="utf-8")
        files.append(file)
    rejected = check_jsonschema("case", files)
    disagreements = [
        (sample, accepted, ajv_valid, str(file.resolve()) not in rejected)
        for sample, accepted, (ajv_valid, _), file in zip(samples, expected, by_ajv, files, strict=True)
        if not accepted == ajv_valid == (str(file.resolve()) not in rejected)
    ]
    assert disagreements == [], "(casus, pydantic, Ajv, check-jsonschema): " + repr(disagreements[:10])


def test_ruleset_samples_agree(tmp_path: Path) -> None:
    base = _load(REPO / "rulesets" / "basismodel.yaml")
    samples = []
    termijnen = ["direct", "3 dagen", "1 uur", "5 werkdagen", "2 weken", "0 dagen", "3dagen", "3 maanden", "direct\n"]
    for termijn in termijnen:
        variant = json.loads(json.dumps(base))
        variant["regels"][0]["dan"]["acties"] = [{"code": "melden_veilig_thuis", "tekst": "Meld.", "termijn": termijn}]
        samples.append(variant)
    samples.append({**base, "id": "Basis Model"})
    samples.append({**base, "onbekend": 1})
    expected = [PYDANTIC["ruleset"](s) for s in samples]
    assert True in expected and False in expected
    assert [valid for valid, _ in ajv([("ruleset", s) for s in samples])] == expected
    files = []
    for index, sample in enumerate(samples):
        files.append(tmp_path / f"ruleset{index}.json")
        files[-1].write_text(json.dumps(sample), encoding="utf-8")
    rejected = check_jsonschema("ruleset", files)
    assert [str(f.resolve()) not in rejected for f in files] == expected


def test_no_custom_keyword_or_python_pattern_reaches_a_schema() -> None:
    with pytest.raises(schema.SchemaPortabilityError, match="vraag_extra"):
        schema.portable({"type": "object", "properties": {"a": {"type": "string", "vraag_extra": 1}}})
    with pytest.raises(schema.SchemaPortabilityError, match="alleen Python"):
        schema.portable({"type": "string", "pattern": r"^\Aab"})
    assert schema.ecma_pattern(r"^(?P<n>[0-9]+) (?P<e>uur)$") == "^(?:[0-9]+) (?:uur)$"
    # The question of a fact stays in the schema, as part of the description.
    afweging = schema.generate()["case"]["$defs"]["Afweging"]["properties"]["acute_onveiligheid"]
    assert "Vraag: Afwegingsvraag 2: is er acute onveiligheid?" in afweging["description"]
    # Portable already: nothing left to move or translate in any shipped schema.
    for generated in schema.generate().values():
        assert schema.portable(generated) == generated
    assert "(?P<" not in json.dumps(schema.generate())


def test_scenario_samples_agree(tmp_path: Path) -> None:
    one = {"naam": "acuut", "bron": "[NJI]", "gegeven": {"afweging": {"vermoeden": True}}, "verwacht": {"melden": "ja"}}
    samples: list[Any] = [
        {"scenarios": [one]},
        {"sector": "onderwijs", "scenarios": [one, {**one, "naam": "twee"}]},
        {"scenarios": []},
        {"scenarios": [{**one, "bron": ""}]},
        {"scenarios": [{k: v for k, v in one.items() if k != "bron"}]},
        {"scenarios": [{**one, "verwacht": {"stap": 6}}]},
        {"scenarios": [{**one, "verwacht": {"melden": "misschien"}}]},
        {"scenarios": [one], "extra": 1},
        {"scenarios": [{**one, "gegeven": []}]},
    ]
    expected = [PYDANTIC["scenario"](s) for s in samples]
    assert expected.count(True) == 2 and expected.count(False) == len(samples) - 2
    assert [valid for valid, _ in ajv([("scenario", s) for s in samples])] == expected
    files = []
    for index, sample in enumerate(samples):
        files.append(tmp_path / f"scenario{index}.json")
        files[-1].write_text(json.dumps(sample), encoding="utf-8")
    rejected = check_jsonschema("scenario", files)
    assert [str(f.resolve()) not in rejected for f in files] == expected


def test_dossier_dates_pydantic_ajv_and_check_jsonschema_agree(tmp_path: Path) -> None:
    # Before: the schema said `format: date-time`, which demands a zone the model drops, and the
    # model read numbers as Unix times (20260301: a day in 1970). Now the schema states the form.
    accepted = ["2026-03-01", "2026-03-01T22:00", "2026-03-01T22:00:59", "2026-03-01T22:00:00.123", "2024-02-29"]
    refused = [
        "2026-03-01T22:00:00Z",  # a zone: local time is what counts (never silently shifted)
        "2026-03-01T22:00+01:00",
        "2026-03-01 22:00",
        "2026-3-1",
        "01-03-2026",
        "2026-03-01T22",
        "2026-03-01T24:00",
        "2026-13-01",
        "20260301",
        20260301,  # a Unix time to pydantic's lax parsing
        1.5e9,
        True,
        None,
        "",
    ]
    samples = [{"gebeurtenissen": [{"soort": "signaal", "datum": value}]} for value in [*accepted, *refused]] + [
        {"gebeurtenissen": [{"soort": "signaal", "datum": "2026-03-01", "incidentdatum": value}]}
        for value in [*accepted, *refused]
    ]
    expected = [_pydantic_dossier(sample) for sample in samples]
    n = len(accepted) + len(refused)
    assert expected[:n] == [True] * len(accepted) + [False] * len(refused)
    # `incidentdatum` may be empty (null): unknown, never "not in the window"
    assert expected[n:] == [True] * len(accepted) + [value is None for value in refused]
    by_ajv = [valid for valid, _ in ajv([("dossier", sample) for sample in samples])]
    files = []
    for index, sample in enumerate(samples):
        files.append(tmp_path / f"dossier{index}.json")
        files[-1].write_text(json.dumps(sample), encoding="utf-8")
    rejected = check_jsonschema("dossier", files)
    by_check = [str(f.resolve()) not in rejected for f in files]
    assert by_ajv == expected, [s for s, a, e in zip(samples, by_ajv, expected, strict=True) if a != e]
    assert by_check == expected, [s for s, c, e in zip(samples, by_check, expected, strict=True) if c != e]
    # What a pattern cannot tell: a day that does not exist has the right form. The model refuses
    # it with a located error; the schema accepts its form (docs/vocabulary.md says so).
    impossible = {"gebeurtenissen": [{"soort": "signaal", "datum": "2026-02-30"}]}
    assert not _pydantic_dossier(impossible) and ajv([("dossier", impossible)]) == [(True, [])]


def test_a_momentopname_without_sector_and_datum_in_its_case_facts_alike_in_ajv() -> None:
    # The sector and the datum belong to the dossier: in a momentopname's case facts the model
    # refuses them (a sector there would be ignored, and the case judged without its duties).
    moment = {"soort": "momentopname", "datum": "2026-03-01"}
    samples = [
        {"gebeurtenissen": [{**moment, "casus": casus}]}
        for casus in ({"vormen": ["vgv"]}, {"sector": "onderwijs"}, {"datum": "2026-03-01"}, {})
    ]
    expected = [_pydantic_dossier(sample) for sample in samples]
    assert expected == [True, False, False, True]
    assert [valid for valid, _ in ajv([("dossier", sample) for sample in samples])] == expected
