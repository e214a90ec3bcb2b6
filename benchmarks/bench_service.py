"""How fast `meldcode-rules serve` is: a real uvicorn process on 127.0.0.1, loaded from this process.

Measures, per engine: p50/p99 latency and requests/s of single judgements at concurrency 1,
8 and 32 (one worker, then two workers), batch judgements/s (JSON array and NDJSON), the
server's memory over a long run, and the library's own in-process time per judgement beside
it, so the service's overhead reads as a ratio. Every request goes to 127.0.0.1; every loop
is bounded in count and in time; the servers are stopped by their own process ids.

    .venv/bin/python benchmarks/bench_service.py                 # about two minutes
    .venv/bin/python benchmarks/bench_service.py --seconds 2     # quicker, noisier

The load generator is a small asyncio HTTP/1.1 client with keep-alive connections and
prepared requests: on 2 cores it shares the CPU with the server, so the figures are a
lower bound of what the service does with a load generator elsewhere. A script, never a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
sys.path.insert(0, str(REPO / "tests"))

from strategies import random_cases  # noqa: E402

TARGETS = {"p50_c1_ms": 2.0, "single_rps_2_workers": 1500.0, "batch_jps": 15000.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, workers: int, engine: str) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "meldcode_rules.cli", "serve", "--port", str(self.port)]
        command += ["--workers", str(workers), "--engine", engine, "--no-access-log", "--max-batch-body", "67108864"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/ready", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("de server werd niet gereed")
        time.sleep(0.5 * workers)  # every worker has compiled its rulesets

    def rss_mib(self) -> float:
        """Resident memory of the server and its worker processes."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def request_bytes(path: str, body: bytes, media_type: str = "application/json") -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {media_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    chunked = False
    for line in head.split(b"\r\n"):
        lower = line.lower()
        if lower.startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
        elif lower.startswith(b"transfer-encoding:") and b"chunked" in lower:
            chunked = True
    if length is not None:
        return status, await reader.readexactly(length)
    assert chunked
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n"))[:-2], 16)
        data = await reader.readexactly(size + 2)
        if size == 0:
            return status, b"".join(parts)
        parts.append(data[:-2])


async def load(port: int, requests: list[bytes], concurrency: int, seconds: float, limit: int) -> list[float]:
    """Latencies (s) of requests sent by ``concurrency`` keep-alive clients for ``seconds`` (at most ``limit``)."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def client(index: int) -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        number = index
        try:
            while time.perf_counter() < stop and len(latencies) < limit:
                started = time.perf_counter()
                writer.write(requests[number % len(requests)])
                status, _ = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                assert status == 200, status
                number += concurrency
        finally:
            writer.close()

    await asyncio.gather(*(client(i) for i in range(concurrency)))
    return latencies


def single(server: Server, cases: list[dict[str, Any]], concurrency: int, seconds: float) -> dict[str, float]:
    requests = [request_bytes("/v1/oordeel", json.dumps(c).encode()) for c in cases]
    asyncio.run(load(server.port, requests, concurrency, min(1.0, seconds), 2_000))  # warm
    started = time.perf_counter()
    latencies = asyncio.run(load(server.port, requests, concurrency, seconds, 2_000_000))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "rps": len(latencies) / elapsed,
        "n": len(latencies),
    }


def _batch_client(port: int, request: bytes, stop: float, limit: int) -> int:
    """Send ``request`` again and again on one keep-alive connection; the number answered.

    Blocking sockets and ``recv_into`` one buffer: a batch answer is megabytes, and reading it
    through asyncio streams would cost the load generator more CPU than the server spends.
    """
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    done = 0
    with socket.create_connection((HOST, port), timeout=60) as sock:
        while time.perf_counter() < stop and done < limit:
            sock.sendall(request)
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(65536)
            head, _, rest = head.partition(b"\r\n\r\n")
            assert head[9:12] == b"200", head[:40]
            lower = head.lower()
            if b"content-length:" in lower:
                remaining = int(lower.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0]) - len(rest)
                while remaining > 0:
                    remaining -= sock.recv_into(view, min(remaining, len(buffer)))
            else:  # chunked (NDJSON): read until the last, empty chunk
                tail = rest[-5:]
                while not tail.endswith(b"0\r\n\r\n"):
                    got = sock.recv_into(view)
                    tail = (tail + bytes(view[max(0, got - 5) : got]))[-5:]
            done += 1
    return done


def batch(server: Server, cases: list[dict[str, Any]], size: int, seconds: float, ndjson: bool) -> float:
    """Judgements/s through POST /v1/oordelen, two clients at once (one per core)."""
    from concurrent.futures import ThreadPoolExecutor

    chosen = [cases[i % len(cases)] for i in range(size)]
    if ndjson:
        body = ("\n".join(json.dumps(c) for c in chosen) + "\n").encode()
        request = request_bytes("/v1/oordelen", body, "application/x-ndjson")
    else:
        request = request_bytes("/v1/oordelen", json.dumps(chosen).encode())
    _batch_client(server.port, request, time.perf_counter() + 0.5, 2)  # warm
    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        answered = sum(pool.map(lambda _: _batch_client(server.port, request, started + seconds, 10_000), range(2)))
    return answered * size / (time.perf_counter() - started)


def in_process(cases: list[dict[str, Any]], engine: str, seconds: float) -> float:
    """Median seconds per judgement of the library itself (evaluate + the judgement as JSON)."""
    from meldcode_rules import evaluate

    for case in cases[:50]:
        evaluate(case, engine=engine).model_dump_json()
    times = []
    stop = time.perf_counter() + seconds
    number = 0
    while time.perf_counter() < stop and number < 200_000:
        case = cases[number % len(cases)]
        started = time.perf_counter()
        evaluate(case, engine=engine).model_dump_json()
        times.append(time.perf_counter() - started)
        number += 1
    return statistics.median(times)


def memory(server: Server, cases: list[dict[str, Any]], seconds: float) -> list[float]:
    requests = [request_bytes("/v1/oordeel", json.dumps(c).encode()) for c in cases]
    samples = [server.rss_mib()]
    for _ in range(5):
        asyncio.run(load(server.port, requests, 8, seconds, 2_000_000))
        samples.append(server.rss_mib())
    return samples


def example_cases() -> list[dict[str, Any]]:
    """The shipped example cases (examples/*.yaml, *.json) as JSON objects."""
    from meldcode_rules.load.loader import read_yaml

    cases = []
    for path in sorted([*(REPO / "examples").glob("*.yaml"), *(REPO / "examples").glob("*.json")]):
        data = read_yaml(path.read_text(encoding="utf-8"), str(path))[0]
        cases.append(json.loads(json.dumps(data, default=str)))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per measurement (default 4)")
    parser.add_argument("--engines", default="reference,durable")
    parser.add_argument(
        "--cases",
        choices=["random", "examples"],
        default="random",
        help="500 generated cases over the whole vocabulary (default), or the shipped examples/",
    )
    args = parser.parse_args()
    cases = random_cases(500, seed=2026) if args.cases == "random" else example_cases()
    print(f"{len(cases)} {args.cases} cases")
    results: dict[str, Any] = {"cpu": os.cpu_count()}
    for engine in args.engines.split(","):
        library = in_process(cases, engine, args.seconds)
        print(f"\n{engine}: library in process {library * 1e6:8.1f} us per judgement (evaluate + JSON)")
        for workers in (1, 2):
            server = Server(workers, engine)
            try:
                for concurrency in (1, 8, 32):
                    r = single(server, cases, concurrency, args.seconds)
                    ratio = r["p50_ms"] / 1000 / library
                    print(
                        f"  {workers} worker(s), concurrency {concurrency:2}: p50 {r['p50_ms']:6.2f} ms  "
                        f"p99 {r['p99_ms']:6.2f} ms  {r['rps']:8,.0f} req/s  (p50 = {ratio:5.1f} x library)"
                    )
                    results[f"{engine}_w{workers}_c{concurrency}"] = r
                for size in (100, 1000):
                    jps = batch(server, cases, size, args.seconds, ndjson=False)
                    nd = batch(server, cases, size, args.seconds, ndjson=True)
                    print(
                        f"  {workers} worker(s), batch of {size:4}: {jps:9,.0f} judgements/s (JSON array), "
                        f"{nd:9,.0f} /s (NDJSON)"
                    )
                    results[f"{engine}_w{workers}_batch{size}"] = {"json": jps, "ndjson": nd}
                if workers == 1:
                    samples = memory(server, cases, args.seconds)
                    print(
                        "  memory over a long run (MiB, after each of 5 rounds at concurrency 8): "
                        + ", ".join(f"{s:.1f}" for s in samples)
                    )
                    results[f"{engine}_memory_mib"] = samples
            finally:
                server.stop()
    print("\ntargets (2 cores; engine reference)")
    checks = []
    if "reference_w1_c1" in results:
        checks.append(("p50 at concurrency 1", results["reference_w1_c1"]["p50_ms"], "<", TARGETS["p50_c1_ms"], "ms"))
        best = max(results[f"reference_w2_c{c}"]["rps"] for c in (8, 32))
        checks.append(("single judgements/s, 2 workers", best, ">=", TARGETS["single_rps_2_workers"], "/s"))
        batch_best = max(max(results[f"reference_w{w}_batch1000"].values()) for w in (1, 2))
        checks.append(("batch judgements/s", batch_best, ">=", TARGETS["batch_jps"], "/s"))
    ok = True
    for name, value, op, target, unit in checks:
        passed = value < target if op == "<" else value >= target
        ok &= passed
        print(f"  {name:34} {value:10,.2f} {op} {target:,.0f} {unit}  {'PASS' if passed else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
