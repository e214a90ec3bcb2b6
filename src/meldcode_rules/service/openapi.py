"""The OpenAPI 3.1 document of the service, built from the library's own models.

The case and judgement schemas come from the same pydantic models as ``schemas/*.json``
(made portable the same way, :func:`meldcode_rules.schema.portable`); the document is
shipped as ``schemas/openapi.json`` and a test keeps it equal to what this returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from meldcode_rules._version import __version__
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.case.model import Case
from meldcode_rules.engines import ENGINES
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.schema import dumps, portable
from meldcode_rules.service.problems import MEDIA_TYPE, Probleem, Regelfout

FILE_NAME = "openapi.json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problems(*statuses: int) -> dict[str, Any]:
    texts = {
        400: "Geen geldige JSON of een ongeldige parameter.",
        401: "Geen of een onjuist bearer-token (alleen als de service tokens heeft).",
        404: "Niet gevonden.",
        408: "De body kwam niet op tijd binnen.",
        409: "`vastleggen=true`, maar deze service legt geen besluiten vast.",
        413: "De body is te groot, of te veel casussen.",
        415: "Een ander mediatype dan JSON (of NDJSON).",
        422: "De casus is ongeldig of de sector onbekend; `fouten` noemt elk veld.",
        500: "Onverwachte fout (zonder details).",
        503: "De engine faalde, de rulesets of de besluitregistratie zijn niet bruikbaar.",
    }
    return {
        str(status): {"description": texts[status], "content": {MEDIA_TYPE: {"schema": _ref("Probleem")}}}
        for status in statuses
    }


def _json(schema: dict[str, Any], description: str, media_type: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": schema}}}


_QUERY = [
    {
        "name": "sector",
        "in": "query",
        "required": False,
        "description": "De sector (standaard: het veld `sector` van de casus, anders het basismodel).",
        "schema": {"type": "string"},
    },
    {
        "name": "engine",
        "in": "query",
        "required": False,
        "description": "De engine (standaard: die van de service).",
        "schema": {"type": "string", "enum": list(ENGINES)},
    },
    {
        "name": "peildatum",
        "in": "query",
        "required": False,
        "description": (
            "Beoordeel als op deze datum (JJJJ-MM-DD): een dossier (standaard vandaag), of een casus "
            "als dossier van één moment."
        ),
        "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    },
    {
        "name": "versie",
        "in": "query",
        "required": False,
        "description": (
            "Beoordeel met deze versie van de ruleset van de sector (of het basismodel), niet met de "
            "versie die op de `datum` van de casus (een dossier: de peildatum) geldt; zie /v1/rulesets."
        ),
        "schema": {"type": "string", "pattern": "^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$"},
    },
    {
        "name": "vastleggen",
        "in": "query",
        "required": False,
        "description": (
            "Leg een besluitregistratie vast (alleen als de service met `--records` draait), van een casus "
            "of een dossier, ook met `peildatum`; nooit de feiten of de gebeurtenissen."
        ),
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
]


def _list_of(name: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": [name], "properties": {name: {"type": "array", "items": row}}}


def openapi_document() -> dict[str, Any]:
    _, top = models_json_schema(
        [
            (Case, "validation"),
            (Dossier, "validation"),
            (Judgement, "serialization"),
            (Probleem, "validation"),
            (Regelfout, "validation"),
        ],
        ref_template="#/components/schemas/{model}",
    )
    schemas = {name: portable(schema) for name, schema in top["$defs"].items()}
    batch_item = {"anyOf": [_ref("Judgement"), _ref("Regelfout")]}
    status = {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
    authed_get = _problems(401, 500)
    single = {
        "post": {
            "operationId": "oordeel",
            "summary": "Beoordeel een casus",
            "parameters": _QUERY,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"anyOf": [_ref("Case"), _ref("Dossier")]}}},
            },
            "responses": {
                "200": _json(_ref("Judgement"), "Het oordeel."),
                **_problems(400, 401, 408, 409, 413, 415, 422, 500, 503),
            },
        }
    }
    batch = {
        "post": {
            "operationId": "oordelen",
            "summary": "Beoordeel veel casussen: een JSON-array, of NDJSON (een casus per regel) gestreamd",
            "description": (
                "Per casus een oordeel of een `Regelfout`, in volgorde. Bij NDJSON komt elk oordeel terug "
                "zodra zijn regel binnen is; een limiet of een engine-fout halverwege eindigt de stroom met "
                "een `Regelfout` met `status`."
            ),
            "parameters": _QUERY,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {
                                "description": "Een casus (`Case`); een ongeldige krijgt een `Regelfout`.",
                                "anyOf": [_ref("Case"), _ref("Dossier"), {}],
                            },
                        }
                    },
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            },
            "responses": {
                "200": {
                    "description": "Een oordeel of regelfout per casus, in volgorde.",
                    "content": {
                        "application/json": {"schema": {"type": "array", "items": batch_item}},
                        "application/x-ndjson": {"schema": {"type": "string"}},
                    },
                },
                **_problems(400, 401, 408, 409, 413, 415, 422, 500, 503),
            },
        }
    }
    sector_row = {
        "type": "object",
        "required": ["naam", "titel", "versie", "bron", "bruikbaar"],
        "properties": {
            "naam": {"type": "string"},
            "titel": {"type": "string"},
            "versie": {"type": "string"},
            "bron": {"type": "string"},
            "bruikbaar": {"type": "boolean"},
        },
    }
    ruleset_row = {
        "type": "object",
        "required": ["id", "versie", "geldig_vanaf", "sha256", "sectoren"],
        "properties": {
            "id": {"type": "string"},
            "versie": {"type": "string"},
            "geldig_vanaf": {"type": "string", "format": "date"},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "sectoren": {"type": "array", "items": {"type": "string"}},
            "geldig_tot": {
                "type": ["string", "null"],
                "format": "date",
                "description": "De eerste dag waarop deze versie niet meer geldt (exclusief); leeg: geen einde.",
            },
            "geldt_vandaag": {
                "type": "boolean",
                "description": "Deze versie geldt vandaag; de andere kiest een casus met zijn `datum` of `versie`.",
            },
        },
    }

    def get(operation: str, summary: str, schema: dict[str, Any], problems: dict[str, Any]) -> dict[str, Any]:
        return {
            "get": {
                "operationId": operation,
                "summary": summary,
                "responses": {"200": _json(schema, summary), **problems},
            }
        }

    version = {
        "type": "object",
        "required": ["meldcode_rules", "api", "python", "engines", "standaard_engine"],
        "properties": {
            "meldcode_rules": {"type": "string"},
            "api": {"type": "string"},
            "python": {"type": "string"},
            "engines": {"type": "object", "additionalProperties": {"type": "boolean"}},
            "standaard_engine": {"type": "string", "enum": list(ENGINES)},
        },
    }
    schema_get = get("schema", "Een JSON Schema (case, judgement, ruleset, scenario)", {"type": "object"}, {})
    schema_get["get"]["parameters"] = [{"name": "naam", "in": "path", "required": True, "schema": {"type": "string"}}]
    schema_get["get"]["responses"]["200"] = _json(
        {"type": "object"}, "Het schema", media_type="application/schema+json"
    )
    schema_get["get"]["responses"].update(_problems(401, 404, 500))
    ready = get("ready", "Gereed: alle rulesets geladen", status, _problems(503))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "meldcode-rules",
            "version": __version__,
            "summary": "De meldcode huiselijk geweld en kindermishandeling als controleerbare regels, als dienst.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "security": [{}, {"bearer": []}],
        "paths": {
            "/v1/oordeel": single,
            "/v1/oordelen": batch,
            "/v1/sectoren": get(
                "sectoren",
                "De geïnstalleerde sectoren",
                _list_of("sectoren", sector_row),
                authed_get,
            ),
            "/v1/rulesets": get(
                "rulesets",
                "De rulesets: id, versie en sha256",
                _list_of("rulesets", ruleset_row),
                authed_get,
            ),
            "/v1/schemas/{naam}": schema_get,
            "/health": get("health", "De service leeft", status, {}),
            "/ready": ready,
            "/version": get("version", "Versies van bibliotheek, API en engines", version, authed_get),
            "/openapi.json": get("openapi", "Dit document", {"type": "object"}, authed_get),
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Verplicht als de service tokens heeft (altijd buiten loopback).",
                }
            },
        },
    }


def write_openapi(directory: Path) -> Path:
    """Write ``openapi.json`` to ``directory`` (``meldcode-rules schema --out``)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    path.write_text(dumps(openapi_document()), encoding="utf-8")
    return path
