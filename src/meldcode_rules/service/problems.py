"""Errors of the service as ``application/problem+json`` (RFC 9457), in Dutch.

A problem names fields, never their values, and never carries a traceback: case data
is sensitive, and a stack trace tells an attacker more than it tells a caller.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from meldcode_rules.diagnostics import ProblemError

if TYPE_CHECKING:
    from starlette.responses import Response  # lazy: for the type only

MEDIA_TYPE = "application/problem+json"


class Probleem(BaseModel):
    """Een fout van de service (RFC 9457), in het Nederlands; noemt velden, nooit waarden."""

    model_config = ConfigDict(extra="forbid", title="Probleem")

    type: str = Field(description="Een vaste URN per soort probleem, bijvoorbeeld `urn:meldcode-rules:probleem:casus`.")
    title: str = Field(description="Korte omschrijving van de soort probleem.")
    status: int = Field(ge=400, le=599, description="De HTTP-status.")
    detail: str = Field(description="Wat er mis is en wat te doen.")
    instance: str | None = Field(default=None, description="Het pad van het verzoek (zonder query).")
    fouten: list[str] = Field(default_factory=list, description="Elk probleem afzonderlijk, met het veld erbij.")


class Regelfout(BaseModel):
    """Een casus in een reeks die niet te beoordelen is (de andere worden wel beoordeeld)."""

    model_config = ConfigDict(extra="forbid", title="Regelfout")

    regel: int = Field(ge=1, description="De plaats van de casus in de reeks (1 = de eerste).")
    fout: list[str] = Field(description="Wat er mis is, per veld; nooit de waarden.")
    status: int | None = Field(default=None, description="Alleen bij een engine- of registratiefout: 503.")


#: kind -> (HTTP status, title)
KINDS: dict[str, tuple[int, str]] = {
    "json": (400, "Geen geldige JSON"),
    "parameter": (400, "Ongeldige parameter"),
    "niet-geautoriseerd": (401, "Niet geautoriseerd"),
    "niet-gevonden": (404, "Niet gevonden"),
    "methode": (405, "Methode niet toegestaan"),
    "te-traag": (408, "Het verzoek kwam te traag binnen"),
    "te-groot": (413, "Het verzoek is te groot"),
    "mediatype": (415, "Mediatype niet ondersteund"),
    "geen-registratie": (409, "Geen besluitregistratie"),
    "casus": (422, "De casus is ongeldig"),
    "sector": (422, "Onbekende sector"),
    "engine": (503, "De engine faalde"),
    "niet-beschikbaar": (503, "Niet beschikbaar"),
    "registratie": (503, "De besluitregistratie faalde"),
    "intern": (500, "Interne fout"),
}


def status_of(error: ProblemError) -> int:
    return KINDS[error.kind][0]


def problem_response(
    kind: str, detail: str, path: str, fouten: list[str] | None = None, headers: dict[str, str] | None = None
) -> Response:
    # lazy: the OpenAPI document (meldcode-rules schema) is built without the [service] extra
    from starlette.responses import Response

    status, title = KINDS[kind]
    body = {"type": f"urn:meldcode-rules:probleem:{kind}", "title": title, "status": status, "detail": detail}
    body["instance"] = path
    body["fouten"] = fouten or []
    headers = dict(headers or {})
    if status == 401:
        invalid = ', error="invalid_token"' if detail.startswith("onjuist") else ""
        headers["WWW-Authenticate"] = f'Bearer realm="meldcode-rules"{invalid}'
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type=MEDIA_TYPE, headers=headers)
