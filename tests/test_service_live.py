"""A real `meldcode-rules serve` (uvicorn) on 127.0.0.1: concurrency, hostile requests, records and replay.

All traffic goes to loopback, every loop is bounded in count and time, and the servers are
stopped by their own process ids when the tests end.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_server import HOST, Server, running
from meldcode_rules import evaluate
from strategies import ENGINES, in_threads, random_cases

SALT = "zout-van-de-live-test"
TOKEN = "k" * 48
ACUUT = {
    "referentie": "zaak-live-1",
    "datum": "2026-11-23",
    "eerder_gemeld_door_ander": "ja",
    "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("live")
    db = tmp / "besluiten.sqlite"
    with running(
        tmp,
        "--body-timeout",
        "1",
        "--max-body",
        "4096",
        "--records",
        str(db),
        env={"MELDCODE_RULES_TOKENS": TOKEN, "MELDCODE_RULES_RECORD_SALT": SALT},
    ) as live:
        live.db = db  # type: ignore[attr-defined]
        yield live


AUTH = {"authorization": f"Bearer {TOKEN}"}


def test_16_concurrent_clients_get_exactly_the_sequential_judgements(server: Server) -> None:
    cases = random_cases(16 * 12, seed=12)
    expected = {
        engine: [json.loads(evaluate(case, engine=engine).model_dump_json()) for case in cases] for engine in ENGINES
    }

    def client(index: int) -> list[tuple[int, str, dict[str, object]]]:
        connection = http.client.HTTPConnection(HOST, server.port, timeout=30)  # keep-alive, one per client
        out = []
        try:
            for number in range(index, len(cases), 16):
                engine = ENGINES[(index + number) % len(ENGINES)]
                connection.request(
                    "POST",
                    f"/v1/oordeel?engine={engine}",
                    body=json.dumps(cases[number]),
                    headers={"content-type": "application/json", **AUTH},
                )
                response = connection.getresponse()
                assert response.status == 200
                out.append((number, engine, json.loads(response.read())))
        finally:
            connection.close()
        return out

    answered = [item for chunk in in_threads(client, count=16, timeout=120) for item in chunk]
    assert len(answered) == len(cases)
    for number, engine, oordeel in answered:
        assert oordeel == expected[engine][number], (number, engine)


def test_batch_through_the_real_server_equals_the_library(server: Server) -> None:
    cases = random_cases(200, seed=3)
    body = "\n".join(json.dumps(c) for c in cases).encode()
    status, headers, raw = server.request(
        "POST", "/v1/oordelen?engine=reference", body, {"content-type": "application/x-ndjson", **AUTH}
    )
    assert status == 200 and headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in raw.decode().splitlines()]
    assert lines == [json.loads(evaluate(c, engine="reference").model_dump_json()) for c in cases]


def _raw(server: Server, data: bytes, pause: float = 0.0, rest: bytes = b"") -> bytes:
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        sock.sendall(data)
        if pause:
            time.sleep(pause)
            if rest:
                with contextlib.suppress(OSError):  # the server may have closed already
                    sock.sendall(rest)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b'"fouten"' in b"".join(chunks):
                break
        return b"".join(chunks)


def _head(path: str, length: int, token: str | None = TOKEN) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n{auth}"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def test_hostile_requests_are_refused_with_the_right_status(server: Server) -> None:
    # A slow body: the server waits --body-timeout (1 s), then answers 408.
    started = time.monotonic()
    answer = _raw(server, _head("/v1/oordeel", 100) + b'{"afweging": ', pause=2.5, rest=b"{}}")
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"application/problem+json" in answer and time.monotonic() - started < 10
    # Oversized: refused on its Content-Length, before the body is sent.
    assert _raw(server, _head("/v1/oordeel", 10_000)).startswith(b"HTTP/1.1 413")
    # No token, a wrong token.
    assert _raw(server, _head("/v1/oordeel", 2, token=None) + b"{}").startswith(b"HTTP/1.1 401")
    assert _raw(server, _head("/v1/oordeel", 2, token="x" * 48) + b"{}").startswith(b"HTTP/1.1 401")
    # Malformed and deeply nested JSON.
    assert _raw(server, _head("/v1/oordeel", 3) + b"{{{").startswith(b"HTTP/1.1 400")
    deep = b"[" * 1000 + b"]" * 1000
    assert _raw(server, _head("/v1/oordeel", len(deep)) + deep).startswith(b"HTTP/1.1 400")
    # Not HTTP at all: uvicorn answers 400 and the server goes on.
    assert _raw(server, b"\x16\x03\x01 not http\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert server.request("GET", "/health")[0] == 200


def test_a_recorded_judgement_replays_with_the_same_outcome(server: Server, tmp_path: Path) -> None:
    status, oordeel = server.post_json("/v1/oordeel?vastleggen=true", ACUUT, AUTH)
    assert status == 200 and oordeel["melden"] == "ja" and oordeel["oordeel_id"]
    assert "melden_veilig_thuis" in [a["code"] for a in oordeel["acties"]]
    case_file = tmp_path / "casus.json"
    case_file.write_text(json.dumps(ACUUT), encoding="utf-8")
    command = [sys.executable, "-m", "meldcode_rules.cli", "replay", oordeel["oordeel_id"], "--case", str(case_file)]
    command += ["--db", str(server.db)]  # type: ignore[attr-defined]
    env = {"MELDCODE_RULES_RECORD_SALT": SALT, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "zelfde uitkomst: melden ja, besluit melden" in done.stdout
    # Another case is refused: its hash is not the recorded one.
    case_file.write_text(json.dumps({**ACUUT, "eerder_gemeld_door_ander": "nee"}), encoding="utf-8")
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert done.returncode == 2 and "niet de vastgelegde casus" in done.stderr
    # The log has no bodies or queries.
    log = server.log.read_text(encoding="utf-8")
    assert "vastleggen" not in log and "zaak-live-1" not in log and "acute_onveiligheid" not in log


def test_records_as_json_lines_on_stdout_for_a_log_shipper(tmp_path: Path) -> None:
    out = tmp_path / "stdout.jsonl"
    with running(tmp_path, "--records", "-", env={"MELDCODE_RULES_RECORD_SALT": SALT}, stdout=out) as live:
        status, oordeel = live.post_json("/v1/oordeel?vastleggen=true", ACUUT)
        assert status == 200
        assert live.post_json("/v1/oordeel", ACUUT)[0] == 200  # not asked for: no record
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["oordeel_id"] for line in lines] == [oordeel["oordeel_id"]]  # only records on stdout
    assert lines[0]["melden"] == "ja" and "afweging" not in lines[0]
    assert '"POST /v1/oordeel HTTP/1.1" 200' in live.log.read_text(encoding="utf-8")  # the log, on stderr
