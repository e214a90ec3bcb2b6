"""A real `meldcode-rules serve` process on 127.0.0.1 and a free port, for the tests that need one.

Only loopback traffic; the process is stopped by its own id when the block ends.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def post_json(self, path: str, data: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        status, _, body = self.request(
            "POST", path, json.dumps(data).encode(), {"content-type": "application/json", **(headers or {})}
        )
        return status, json.loads(body)


@contextlib.contextmanager
def running(
    tmp: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60, stdout: Path | None = None
) -> Iterator[Server]:
    """`meldcode-rules serve --port <free> *args`, ready (GET /ready is 200) before the block starts.

    Standard error goes to ``server.log``; standard output too, unless ``stdout`` names a file.
    """
    port = free_port()
    log = tmp / f"server-{port}.log"
    with log.open("wb") as out, (stdout or log).open("ab") as standard_output:
        process = subprocess.Popen(
            [sys.executable, "-m", "meldcode_rules.cli", "serve", "--port", str(port), *args],
            stdout=standard_output if stdout else out,
            stderr=out,
            env={**os.environ, **(env or {})},
        )
    server = Server(port, process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"de server stopte: {log.read_text(encoding='utf-8')}")
            with contextlib.suppress(OSError):
                if server.request("GET", "/ready")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"de server werd niet gereed: {log.read_text(encoding='utf-8')}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
