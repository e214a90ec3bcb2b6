"""JSON Schemas for editors, generated from the pydantic models.

The schemas ship in the package (``meldcode_rules/_schemas``) and in
``schemas/`` at the repository root, where the ``# yaml-language-server:
$schema=`` line of the built-in rulesets points. A test checks that the
shipped files equal what :func:`generate` returns, so they cannot drift.

Adding a schema is one line in :data:`MODELS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from meldcode_rules import resources
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.case.model import Case
from meldcode_rules.diagnostics import SchemaPortabilityError
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
    # `examples`, not `enum` (editors complete both): a sector package adds facts of its own
    # (`sport.vcp_geraadpleegd`), which the compiler checks against that sector's catalog.
    defs["FeitTest"]["properties"]["feit"]["examples"] = [*catalog.paths, *tijd]
    # Each operator's value schema comes from the operator table; exactly one operator per test.
    feittest = defs["FeitTest"]
    for op in OPERATORS:
        feittest["properties"][op.name] = {"description": op.beschrijving, **op.json_schema()}
    # Each branch names its property and type too: Ajv's strict mode (strictRequired, strictTypes)
    # refuses a `required` whose property is not defined beside it.
    feittest["oneOf"] = [{"type": "object", "required": [op.name], "properties": {op.name: {}}} for op in OPERATORS]
    codes = sorted({a.code for loaded in builtin for a in loaded.model.acties})
    # `examples`, not `enum`: a sector ruleset may introduce its own codes (checked by the compiler).
    defs["Actie"]["properties"]["code"]["examples"] = codes
    verwachting = defs["Verwachting"]["properties"]["acties"]
    verwachting["items"] = {"type": "string", "examples": codes}
    vragen = defs["Conclusie"]["properties"]["vragen"]
    vragen["items"] = {"type": "string", "examples": [*catalog.paths, *tijd]}


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
        out[name] = {"$schema": SCHEMA_DRAFT, "$id": f"{name}.schema.json", **portable(schema)}
    return out


# ---------------------------------------------------------------- portable JSON Schema
# The shipped schemas are read by validators in other languages (Ajv in strict mode,
# check-jsonschema, editors): standard keywords only, and ECMA-262 patterns.

#: Keywords whose value is one subschema, a list of them, or a map of name -> subschema.
_ONE = frozenset({"items", "not", "additionalProperties", "if", "then", "else", "contains", "propertyNames"})
_LIST = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
#: Every other keyword a shipped schema may use (JSON Schema 2020-12, standard vocabularies).
_PLAIN = frozenset(
    {"$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples", "deprecated"}
    | {"readOnly", "writeOnly", "type", "enum", "const", "format", "pattern", "minLength", "maxLength"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems"}
    | {"uniqueItems", "minProperties", "maxProperties", "required", "dependentRequired"}
)


def portable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with only standard keywords and ECMA-262 patterns (a new dict).

    The models carry a fact's question as metadata (``vraag``, see
    :func:`meldcode_rules.case.model.vraag`); in the schema it becomes part of the
    ``description``, since Ajv in strict mode refuses any unknown keyword, ``x-`` ones
    included. A keyword outside :data:`_PLAIN` is an error here, so a new model
    feature cannot quietly ship a schema that fails elsewhere.
    """
    out: dict[str, Any] = {}
    extra: list[str] = []
    for key, value in schema.items():
        if key in _ONE:
            out[key] = portable(value) if isinstance(value, dict) else value
        elif key in _LIST:
            out[key] = [portable(item) for item in value]
        elif key in _MAP:
            out[key] = {name: portable(item) for name, item in value.items()}
        elif key == "vraag":
            extra.append(f"Vraag: {value}")
        elif key == "later_beantwoord":
            extra.append("Wordt later beantwoord: `onbekend` is dan geen ontbrekend antwoord.")
        elif key == "discriminator":
            continue  # an OpenAPI annotation; the anyOf/oneOf beside it says the same
        elif key == "pattern":
            out[key] = ecma_pattern(value)
        elif key in _PLAIN:
            out[key] = value
        else:
            raise SchemaPortabilityError(f"sleutelwoord `{key}` is geen standaard JSON Schema")
    if extra:
        out["description"] = " ".join([*([out["description"]] if "description" in out else []), *extra])
    return out


def ecma_pattern(pattern: str) -> str:
    """A Python regex as ECMA-262: named groups become plain groups (``(?P<n>`` is Python-only).

    Anything else Python-specific (look-behind of another form, ``\\A``, ``\\Z``, inline
    flags) is refused rather than translated: the ruleset patterns need none of it.
    """
    translated = re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(?:", pattern)
    for python_only in ("(?P", "\\A", "\\Z", "(?i", "(?m", "(?s", "(?x", "(?a", "(?u", "(?L"):
        if python_only in translated:
            raise SchemaPortabilityError(f"patroon `{pattern}` gebruikt `{python_only}` (alleen Python)")
    return translated


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
