"""The HTTP service in process (starlette's test client): answers, Dutch problems, limits, tokens, records."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from meldcode_rules import evaluate
from meldcode_rules.cli.main import main
from meldcode_rules.engines import durable_available
from meldcode_rules.records.store import SALT_ENV, SqliteStore
from meldcode_rules.schema import dumps, portable
from meldcode_rules.sectors.registry import compiled_for
from meldcode_rules.service.app import create_app
from meldcode_rules.service.config import TOKENS_ENV, ConfigError, ServiceConfig, is_loopback
from meldcode_rules.service.openapi import FILE_NAME, openapi_document
from meldcode_rules.service.server import NoQueryFilter, log_config

REPO = Path(__file__).resolve().parents[1]
ACUUT = {
    "referentie": "zaak-2026-0042",
    "datum": "2026-11-23",
    "vormen": ["kindermishandeling"],
    "eerder_gemeld_door_ander": "ja",
    "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"},
}
SECRET = "GEHEIM-waarde-7f3a"
TOKEN_A = "a" * 40
TOKEN_B = "b" * 40
ENGINES = ["reference", *(["durable"] if durable_available() else [])]


@pytest.fixture
def client() -> Any:
    with TestClient(create_app(ServiceConfig())) as test_client:
        yield test_client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance", "fouten"}
    assert body["status"] == status and body["type"].startswith("urn:meldcode-rules:probleem:")
    assert "Traceback" not in response.text and SECRET not in response.text
    return body


@pytest.mark.parametrize("engine", ENGINES)
def test_acute_case_already_reported_by_another_is_reported(client: Any, engine: str) -> None:
    response = client.post(f"/v1/oordeel?engine={engine}", json=ACUUT)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    oordeel = response.json()
    assert oordeel["melden"] == "ja" and oordeel["engine"] == engine
    assert "melden_veilig_thuis" in [a["code"] for a in oordeel["acties"]]
    assert oordeel["referentie"] == "zaak-2026-0042" and oordeel["oordeel_id"] is None
    # The same judgement as the library's.
    assert oordeel == json.loads(evaluate(ACUUT, engine=engine).model_dump_json())


def test_batch_json_array_and_ndjson(client: Any) -> None:
    cases = [ACUUT, {"afweging": {"vermoedn": SECRET}}, {"afweging": {"vermoeden": True}}]
    response = client.post("/v1/oordelen?engine=reference", json=cases)
    assert response.status_code == 200
    items = response.json()
    assert items[0]["melden"] == "ja" and items[2]["melden"] == "onbekend"
    assert items[1] == {"regel": 2, "fout": ["`afweging`: onbekend veld (bedoelde u `vermoeden`?)"]}
    lines = b"\n".join(json.dumps(c).encode() for c in cases) + b"\n\nnope\n"
    streamed = client.post("/v1/oordelen", content=lines, headers={"content-type": "application/x-ndjson"})
    assert streamed.status_code == 200 and streamed.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in streamed.text.splitlines()]
    assert [o.get("melden") for o in out] == ["ja", None, "onbekend", None]
    assert out[3]["regel"] == 5 and "geen geldige JSON" in out[3]["fout"][0]
    assert SECRET not in streamed.text


def test_errors_are_dutch_problems_naming_fields_never_values(client: Any) -> None:
    body = _problem(client.post("/v1/oordeel", json={"afweging": {"vermoeden": SECRET}}), 422)
    assert body["fouten"] == ["`afweging.vermoeden`: ongeldige waarde; toegestaan: 'ja', 'nee' of 'onbekend'"]
    _problem(client.post("/v1/oordeel", json={"referentie": SECRET * 20}), 422)
    _problem(client.post("/v1/oordeel", json=[SECRET]), 422)
    # An unknown field is named (it is the field), its value never.
    assert _problem(client.post("/v1/oordeel", json={"zaak": SECRET}), 422)["fouten"] == ["onbekend veld"]
    body = _problem(client.post("/v1/oordeel", json={"sector": SECRET}), 422)
    assert body["fouten"] == ["`sector`: onbekende sector"]
    body = _problem(client.post(f"/v1/oordeel?sector={SECRET}", json={}), 422)
    body = _problem(
        client.post("/v1/oordeel", content=b'{"a": ' + SECRET.encode(), headers={"content-type": "application/json"}),
        400,
    )
    assert body["detail"].startswith("geen geldige JSON")
    _problem(client.post("/v1/oordeel", content=b"\xff\xfe", headers={"content-type": "application/json"}), 400)
    _problem(client.post("/v1/oordeel", content=b"{}", headers={"content-type": "text/plain"}), 415)
    _problem(client.post("/v1/oordelen", content=b"{}", headers={"content-type": "text/plain"}), 415)
    _problem(client.post("/v1/oordelen", json={"a": 1}), 422)
    _problem(client.post("/v1/oordeel?engine=snel", json={}), 400)
    unknown = _problem(client.post(f"/v1/oordeel?snel={SECRET}", json={}), 400)
    assert unknown["fouten"] == ["`snel`: onbekende parameter"]
    _problem(client.post("/v1/oordeel?vastleggen=misschien", json={}), 400)
    _problem(client.post("/v1/oordeel?vastleggen=true", json={}), 409)  # this server records nothing
    assert _problem(client.get("/v1/bestaat-niet"), 404)["title"] == "Niet gevonden"
    assert _problem(client.get("/v1/oordeel"), 405)["title"] == "Methode niet toegestaan"
    _problem(client.get("/v1/schemas/geen"), 404)
    h2c = client.post("/v1/oordeel", json={}, headers={"upgrade": "h2c", "connection": "Upgrade, HTTP2-Settings"})
    assert "HTTP/1.1" in _problem(h2c, 400)["detail"]


def test_deeply_nested_and_oversized_requests_are_refused(client: Any) -> None:
    deep = b'{"afweging": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    _problem(client.post("/v1/oordeel", content=deep, headers={"content-type": "application/json"}), 400)
    medium = b'{"afweging": ' + b"[" * 40 + b"]" * 40 + b"}"
    assert (
        "genest"
        in _problem(client.post("/v1/oordeel", content=medium, headers={"content-type": "application/json"}), 400)[
            "detail"
        ]
    )
    big = b'{"referentie": "' + b"x" * 70_000 + b'"}'
    _problem(client.post("/v1/oordeel", content=big, headers={"content-type": "application/json"}), 413)

    def chunked() -> Any:  # no Content-Length: counted while it is read
        for _ in range(100):
            yield b" " * 1000

    _problem(client.post("/v1/oordeel", content=chunked(), headers={"content-type": "application/json"}), 413)


def test_batch_count_limit() -> None:
    with TestClient(create_app(ServiceConfig(max_batch=3))) as client:
        assert client.post("/v1/oordelen", json=[{}] * 3).status_code == 200
        assert "hoogstens 3" in _problem(client.post("/v1/oordelen", json=[{}] * 4), 413)["detail"]
        lines = b"{}\n" * 5
        out = client.post("/v1/oordelen", content=lines, headers={"content-type": "application/x-ndjson"}).text
        parsed = [json.loads(line) for line in out.splitlines()]
        assert len(parsed) == 4 and parsed[3]["status"] == 413 and "melden" in parsed[2]


def test_tokens_required_when_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# rotated on 2026-11-01\n{TOKEN_A}\n", encoding="utf-8")
    monkeypatch.setenv(TOKENS_ENV, TOKEN_B)
    with TestClient(create_app(ServiceConfig(token_file=str(tokens)))) as client:
        body = _problem(client.post("/v1/oordeel", json={}), 401)
        assert body["title"] == "Niet geautoriseerd"
        response = client.post("/v1/oordeel", json={}, headers={"authorization": f"Bearer {'c' * 40}"})
        _problem(response, 401)
        assert 'error="invalid_token"' in response.headers["www-authenticate"]
        _problem(client.post("/v1/oordeel", json={}, headers={"authorization": f"Basic {TOKEN_A}"}), 401)
        _problem(client.get("/v1/rulesets"), 401)
        _problem(client.get("/version"), 401)
        for token in (TOKEN_A, TOKEN_B):  # both: one can be rotated out without downtime
            response = client.post("/v1/oordeel", json=ACUUT, headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 200 and response.json()["melden"] == "ja"
        assert client.get("/health").status_code == 200  # probes need no token
        assert client.get("/ready").status_code == 200


def test_unsafe_configurations_are_refused_at_start_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(TOKENS_ENV, raising=False)
    monkeypatch.delenv(SALT_ENV, raising=False)
    for host in ("0.0.0.0", "192.0.2.10", "::", "example.org"):
        with pytest.raises(ConfigError, match="loopback"):
            ServiceConfig(host=host).check()
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    monkeypatch.setenv(TOKENS_ENV, "kort")
    with pytest.raises(ConfigError, match="korter dan 32"):
        ServiceConfig(host="0.0.0.0").check()
    monkeypatch.setenv(TOKENS_ENV, TOKEN_A)
    assert ServiceConfig(host="0.0.0.0").check() == (TOKEN_A,)
    with pytest.raises(ConfigError, match="salt"):
        ServiceConfig(records=str(tmp_path / "r.sqlite")).check()
    monkeypatch.delenv(TOKENS_ENV)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2 and "loopback" in result.output


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not installed on this Python")
def test_a_durable_failure_fails_that_request_with_503_never_another_engine(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meldcode_rules.engines.durable import DurableEngine

    original = DurableEngine.fire
    calls = {"n": 0}

    def failing(self: Any, compiled: Any, flat: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError(f"C engine failed on {SECRET}")
        return original(self, compiled, flat)

    monkeypatch.setattr(DurableEngine, "fire", failing)
    body = _problem(client.post("/v1/oordeel?engine=durable", json=ACUUT), 503)
    assert body["title"] == "De engine faalde" and "melden" not in body
    # The server goes on, with the same engine.
    after = client.post("/v1/oordeel?engine=durable", json=ACUUT)
    assert after.status_code == 200 and after.json()["engine"] == "durable"
    # In a batch the whole request fails: never a mix with another engine's answers.
    calls["n"] = 0
    _problem(client.post("/v1/oordelen?engine=durable", json=[ACUUT, ACUUT]), 503)
    calls["n"] = 0
    lines = b"{}\n{}\n"
    out = client.post("/v1/oordelen?engine=durable", content=lines, headers={"content-type": "application/x-ndjson"})
    parsed = [json.loads(line) for line in out.text.splitlines()]
    assert parsed == [{"regel": 1, "fout": [body["detail"]], "status": 503}]


def test_info_endpoints(client: Any) -> None:
    rulesets = client.get("/v1/rulesets").json()["rulesets"]
    basis = next(r for r in rulesets if r["id"] == "basismodel")
    assert basis["sha256"] == compiled_for(None).rulesets[0].sha256 and len(basis["sectoren"]) == 7
    sectoren = client.get("/v1/sectoren").json()["sectoren"]
    assert {s["naam"] for s in sectoren} >= {"onderwijs", "justitie"} and all(s["bruikbaar"] for s in sectoren)
    version = client.get("/version").json()
    assert version["api"] == "v1" and version["engines"]["reference"] is True
    case_schema = client.get("/v1/schemas/case")
    assert case_schema.headers["content-type"] == "application/schema+json"
    assert case_schema.json()["title"] == "Casus"
    assert client.get("/openapi.json").json() == openapi_document()
    assert client.get("/health").json() == {"status": "ok"}


def test_openapi_document_is_shipped_and_current() -> None:
    shipped = (REPO / "schemas" / FILE_NAME).read_text(encoding="utf-8")
    assert shipped == dumps(openapi_document()), "voer `meldcode-rules schema --out schemas` uit"
    document = json.loads(shipped)
    assert set(document["paths"]) >= {"/v1/oordeel", "/v1/oordelen", "/health", "/ready", "/version"}
    for component in document["components"]["schemas"].values():
        assert portable(component) == component  # standard keywords only, as in schemas/*.json


def test_records_per_request_and_replay(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "besluiten.sqlite"
    monkeypatch.setenv(SALT_ENV, "zout-van-de-test")
    with TestClient(create_app(ServiceConfig(records=str(db)))) as client:
        plain = client.post("/v1/oordeel", json=ACUUT).json()
        assert plain["oordeel_id"] is None  # not asked for: not recorded
        oordeel = client.post("/v1/oordeel?vastleggen=true&engine=reference", json=ACUUT).json()
    assert oordeel["melden"] == "ja" and oordeel["oordeel_id"]
    record = SqliteStore(db).get(oordeel["oordeel_id"])
    assert record is not None
    assert record.referentie == "zaak-2026-0042" and record.melden == "ja" and "melden_veilig_thuis" in record.acties
    assert record.rulesets[0]["sha256"] == compiled_for(None).rulesets[0].sha256
    text = record.to_json()
    assert "acute_onveiligheid" not in text and "kindermishandeling" not in text  # never the facts
    case_file = tmp_path / "casus.json"
    case_file.write_text(json.dumps(ACUUT), encoding="utf-8")
    result = CliRunner().invoke(main, ["replay", oordeel["oordeel_id"], "--case", str(case_file), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "zelfde uitkomst: melden ja, besluit melden" in result.output


def test_logs_go_to_stderr_so_stdout_can_carry_records() -> None:
    handlers = log_config()["handlers"]
    assert handlers["access"]["stream"] == handlers["default"]["stream"] == "ext://sys.stderr"
    assert handlers["access"]["filters"] == ["no_query"]


def test_access_log_never_carries_the_query() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/v1/oordeel?sector={SECRET}", "1.1", 200),
        None,
    )
    assert NoQueryFilter().filter(record)
    assert SECRET not in record.getMessage() and "/v1/oordeel" in record.getMessage()


def test_a_dossier_is_judged_as_of_its_peildatum(client: Any) -> None:
    import datetime as dt

    from meldcode_rules.dossier import evaluate as evaluate_dossier
    from meldcode_rules.load.loader import read_yaml

    path = REPO / "examples" / "seed003-dossier-herbeoordeling-verlopen.yaml"
    data = json.loads(json.dumps(read_yaml(path.read_text(encoding="utf-8"), str(path))[0], default=str))
    response = client.post("/v1/oordeel?peildatum=2026-12-31&engine=reference", json=data)
    assert response.status_code == 200, response.text
    expected = evaluate_dossier(data, engine="reference", op=dt.date(2026, 12, 31))
    assert response.json() == json.loads(expected.model_dump_json()) and response.json()["tijdfeiten"]
    batch = client.post("/v1/oordelen?peildatum=2026-12-31&engine=reference", json=[data, ACUUT]).json()
    assert batch[0] == response.json() and batch[1]["melden"] == "ja"  # a case, as a dossier of one moment
    assert _problem(client.post("/v1/oordeel?peildatum=morgen", json=data), 400)["fouten"] == [
        "`peildatum`: een datum als JJJJ-MM-DD"
    ]


def test_a_dossier_and_a_peildatum_are_recorded_and_replay(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from meldcode_rules.load.loader import read_yaml

    db = tmp_path / "besluiten.sqlite"
    monkeypatch.setenv(SALT_ENV, "zout-van-de-test")
    path = REPO / "examples" / "seed003-dossier-herbeoordeling-verlopen.yaml"
    data = json.loads(json.dumps(read_yaml(path.read_text(encoding="utf-8"), str(path))[0], default=str))
    data["referentie"] = "zaak-dossier-9"  # a passthrough field, as for a case
    with TestClient(create_app(ServiceConfig(records=str(db)))) as client:
        one = client.post("/v1/oordeel?vastleggen=true&peildatum=2026-03-01&engine=reference", json=data)
        assert one.status_code == 200, one.text
        many = client.post(
            "/v1/oordelen?vastleggen=true&peildatum=2026-03-01", json=[data, {**ACUUT, "datum": "2026-02-01"}]
        )
        assert many.status_code == 200, many.text
    oordeel = one.json()
    assert oordeel["oordeel_id"] and oordeel["referentie"] == "zaak-dossier-9"
    store = SqliteStore(db)
    record = store.get(oordeel["oordeel_id"])
    kinds = [(r.soort, r.op) for r in (store.get(o["oordeel_id"]) for o in many.json()) if r is not None]
    store.close()
    assert kinds == [("dossier", "2026-03-01"), ("casus", "2026-03-01")]
    assert record is not None and record.referentie == "zaak-dossier-9" and record.melden == "ja"
    text = record.to_json()
    for value in ("VB-003", "2025-11-03", "ambulante_gezinsbegeleiding", "huisarts", "evaluatiedatum", "herkomst"):
        assert value not in text  # never a fact nor an event
    case_file = tmp_path / "dossier.json"
    case_file.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["replay", oordeel["oordeel_id"], "--case", str(case_file), "--db", str(db)])
    assert result.exit_code == 0 and "zelfde uitkomst: melden ja, besluit melden_en_hulp" in result.output
    data["gebeurtenissen"].pop()  # the last signal left out: another dossier
    case_file.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["replay", oordeel["oordeel_id"], "--case", str(case_file), "--db", str(db)])
    assert result.exit_code == 2 and "niet het vastgelegde dossier" in result.output
