"""The shipped JSON Schemas equal the generated ones, and editors get completions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from meldcode_rules import schema
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.cli.main import main

REPO = Path(__file__).resolve().parents[1]


def test_shipped_schemas_equal_generated() -> None:
    generated = schema.generate()
    assert set(generated) == {"ruleset", "case", "judgement", "scenario", "dossier"}
    for name, content in generated.items():
        shipped = (schema.shipped_dir() / schema.file_name(name)).read_text(encoding="utf-8")
        assert shipped == schema.dumps(content), f"{name}: voer `meldcode-rules schema --out schemas` uit"


def test_repo_schemas_equal_generated() -> None:
    for name, content in schema.generate().items():
        assert (REPO / "schemas" / schema.file_name(name)).read_text(encoding="utf-8") == schema.dumps(content)


def test_fact_names_and_action_codes_complete() -> None:
    ruleset = schema.generate()["ruleset"]
    feit = ruleset["$defs"]["FeitTest"]["properties"]["feit"]
    assert feit["examples"][: len(catalog_for())] == catalog_for().paths  # examples: a sector package adds facts
    assert "tijd.herbeoordeling_verlopen" in feit["examples"]  # declared by the basismodel's tijdregels
    assert "afweging.acute_onveiligheid" in feit["examples"]
    codes = ruleset["$defs"]["Actie"]["properties"]["code"]["examples"]
    assert "melden_veilig_thuis" in codes


def test_basismodel_schema_comment_points_at_a_real_file() -> None:
    basismodel = REPO / "rulesets" / "basismodel.yaml"
    first = basismodel.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (basismodel.parent / first.split("=", 1)[1]).resolve()
    assert target == (REPO / "schemas" / "ruleset.schema.json").resolve()
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Ruleset"


def test_schema_command_writes_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == [
        "case.schema.json",
        "dossier.schema.json",
        "judgement.schema.json",
        "openapi.json",
        "ruleset.schema.json",
        "scenario.schema.json",
    ]
    written = json.loads((tmp_path / "s" / "case.schema.json").read_text(encoding="utf-8"))
    assert written == schema.generate()["case"]


def test_every_shipped_scenario_file_names_its_schema() -> None:
    for file in sorted((REPO / "scenarios").rglob("*.yaml")):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/scenario.schema.json", file
        assert (file.parent / "../../schemas/scenario.schema.json").resolve().is_file()
