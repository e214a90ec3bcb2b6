"""Property-based API tests from the shipped OpenAPI document (schemathesis), in process.

Every operation gets generated requests, valid and invalid; the service must never answer
5xx and every answer must match the document (status, media type, body schema). Bounded:
a fixed number of examples per operation, no network (the app is called through ASGI).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from meldcode_rules.records.store import SALT_ENV
from meldcode_rules.service.app import create_app
from meldcode_rules.service.config import ServiceConfig

REPO = Path(__file__).resolve().parents[1]
# With decision records, so `vastleggen=true` is exercised too (the salt is read at creation).
_RECORDS = Path(tempfile.mkdtemp(prefix="meldcode-schemathesis-")) / "besluiten.sqlite"
atexit.register(shutil.rmtree, _RECORDS.parent, ignore_errors=True)  # also when these tests are deselected
with pytest.MonkeyPatch.context() as _patch:
    _patch.setenv(SALT_ENV, "zout-van-schemathesis")
    APP = create_app(ServiceConfig(engine="reference", records=str(_RECORDS)))
schema = schemathesis.openapi.from_path(str(REPO / "schemas" / "openapi.json"))
schema.app = APP


@pytest.fixture(scope="module", autouse=True)
def started() -> Iterator[None]:
    with TestClient(APP):  # runs the lifespan: every sector compiled, /ready true
        yield


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_document_and_never_fails(case: Any) -> None:
    # Not checked: that every schema-valid request is accepted. Whether a sector is installed
    # is not in the document (sector packages add their own), so a valid-looking `sector`
    # can rightly get 422; schemathesis would count that as a failure.
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500, response.text
