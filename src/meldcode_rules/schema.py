"""JSON Schemas for editors, generated from the pydantic models.

The schemas ship in the package (``meldcode_rules/_schemas``) and in
``schemas/`` at the repository root, where the ``# yaml-language-server:
$schema=`` line of the built-in rulesets points. A test checks that the
shipped files equal what :func:`generate` returns, so they cannot drift.

Adding a schema is one line in :data:`MODELS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from meldcode_rules import resources
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.case.model import Case
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.operators import OPERATORS
from meldcode_rules.load.ruleset import RulesetFile
from meldcode_rules.scenarios.scenarios import ScenarioFile
from meldcode_rules.sectors.registry import builtin_ruleset_dir, load_all

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _ruleset_extras(schema: dict[str, Any]) -> None:
    """Make fact names an enum and action codes completable (editors offer both)."""
    defs = schema.get("$defs", {})
    catalog = catalog_for()
    builtin = load_all([builtin_ruleset_dir()])
    # The facts about time the built-in rulesets declare (`tijdregels:`) are facts too.
    tijd = [r.feit for loaded in builtin for r in loaded.model.tijdregels]
    feit = defs["FeitTest"]["properties"]["feit"]
    feit["enum"] = [*catalog.paths, *tijd]
    feit.pop("type", None)
    # Each operator's value schema comes from the operator table; exactly one operator per test.
    feittest = defs["FeitTest"]
    for op in OPERATORS:
        feittest["properties"][op.name] = {"description": op.beschrijving, **op.json_schema()}
    feittest["oneOf"] = [{"required": [op.name]} for op in OPERATORS]
    codes = sorted({a.code for loaded in builtin for a in loaded.model.acties})
    # `examples`, not `enum`: a sector ruleset may introduce its own codes (checked by the compiler).
    defs["Actie"]["properties"]["code"]["examples"] = codes
    verwachting = defs["Verwachting"]["properties"]["acties"]
    verwachting["items"] = {"type": "string", "examples": codes}
    vragen = defs["Conclusie"]["properties"]["vragen"]
    vragen["items"] = {"enum": [*catalog.paths, *tijd]}


#: name -> (model, post-processing). One line per schema.
MODELS: dict[str, tuple[type[BaseModel], Callable[[dict[str, Any]], None] | None]] = {
    "ruleset": (RulesetFile, _ruleset_extras),
    "case": (Case, None),
    "judgement": (Judgement, None),
    "scenario": (ScenarioFile, None),
    "dossier": (Dossier, None),
}


def generate() -> dict[str, dict[str, Any]]:
    """Every schema, by name (``ruleset``, ``case``, ``judgement``, ``scenario``, ``dossier``)."""
    out: dict[str, dict[str, Any]] = {}
    for name, (model, extra) in MODELS.items():
        schema = model.model_json_schema(by_alias=True)
        if extra is not None:
            extra(schema)
        out[name] = {"$schema": SCHEMA_DRAFT, "$id": f"{name}.schema.json", **schema}
    return out


def file_name(name: str) -> str:
    return f"{name}.schema.json"


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(directory: Path) -> list[Path]:
    """Write every schema to ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generate().items():
        path = directory / file_name(name)
        path.write_text(dumps(schema), encoding="utf-8")
        written.append(path)
    return written


def shipped_dir() -> Path:
    """Where the shipped schemas are: in the wheel, or ``schemas/`` in a source tree."""
    return resources.shipped_dir("schemas")
