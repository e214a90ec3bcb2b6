"""Many cases in one process: JSON Lines in, JSON Lines out.

For case systems that are not written in Python: starting a process costs
more than a judgement, so they can stream cases through one process. Each
non-empty input line gets exactly one output line, in order (blank lines
are skipped); a line that cannot be judged gets an error object naming the
problem (never its facts), so the caller can never mistake a failed line for
a judgement. Hostile input is normal input: every line is judged or refused
on its own and the stream always goes on.

- Input is read as bytes, in chunks of bounded size: a line longer than
  :data:`~meldcode_rules.limits.MAX_CASE_BYTES` is refused without ever being
  held whole, and each line is decoded as UTF-8 on its own, so one bad byte
  costs one line, whatever the locale.
- A line refused for what it holds (not JSON, not a case, a limit) is
  ``ok=False``; a line on which the program itself failed (a bug, an engine
  error) is refused too, and marked as a failure of the process, so that the
  command can exit with a different code (docs/limits.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from meldcode_rules import limits
from meldcode_rules.api import RecordSink, read_case_json
from meldcode_rules.diagnostics import CaseError, MeldcodeError, RulesetError
from meldcode_rules.dossier import evaluate  # cases and dossiers alike
from meldcode_rules.engines import EngineUnavailable
from meldcode_rules.sectors.registry import RulesetKeuze

#: Bytes read from the input at a time.
CHUNK_BYTES = 1 << 16


@dataclass(frozen=True)
class Line:
    """One output line: ``ok`` (a judgement), and whether the program failed on it."""

    ok: bool
    text: str
    failed: bool = False


def read_lines(stream: BinaryIO, max_bytes: int = limits.MAX_CASE_BYTES) -> Iterator[bytes | None]:
    """The lines of ``stream`` without their newline; ``None`` for a line over ``max_bytes``.

    Reads CHUNK_BYTES at a time: memory stays bounded by ``max_bytes`` plus a
    chunk, however long a line is.
    """
    buffer = bytearray()
    skipping = False  # inside a line that is already too long: drop until its newline
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            break
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not skipping:
                    buffer += chunk[start:]
                    if len(buffer) > max_bytes:
                        buffer.clear()
                        skipping = True
                break
            if skipping:
                skipping = False
                yield None
            else:
                buffer += chunk[start:end]
                yield None if len(buffer) > max_bytes else bytes(buffer)
                buffer.clear()
            start = end + 1
    if skipping:
        yield None
    elif buffer:
        yield bytes(buffer)


RulesetFor = Callable[[str | None], RulesetKeuze] | None


def judge_stream(stream: BinaryIO, **options: object) -> Iterator[Line]:
    """One :class:`Line` per non-empty input line of ``stream`` (bytes), in order.

    ``options``: ``sector``, ``engine``, ``ruleset_for``, ``op`` and ``records``, as for :func:`judge_lines`.
    """
    return judge_byte_lines(read_lines(stream), **options)  # type: ignore[arg-type]


def judge_byte_lines(
    lines: Iterable[bytes | None],
    *,
    sector: str | None = None,
    engine: str | None = None,
    ruleset_for: RulesetFor = None,
    op: dt.date | None = None,
    records: RecordSink | None = None,
) -> Iterator[Line]:
    for number, raw in enumerate(lines, start=1):
        if raw is None:
            size = f"{limits.MAX_CASE_BYTES:,}".replace(",", ".")
            yield Line(False, _error(number, [f"de regel is te lang (hoogstens {size} bytes)"]))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Line(False, _error(number, [f"geen geldige UTF-8-tekst (byte {error.start + 1})"]))
            continue
        yield from _judge_one(number, text, sector, engine, ruleset_for, op, records)


def judge_lines(
    lines: Iterable[str],
    *,
    sector: str | None = None,
    engine: str | None = None,
    ruleset_for: RulesetFor = None,
    op: dt.date | None = None,
    records: RecordSink | None = None,
) -> Iterator[tuple[bool, str]]:
    """Yield ``(ok, json_line)`` for each non-empty line: a case, or a dossier judged as of ``op``.

    ``sector`` is for the cases without their own ``sector`` field (a case that names its
    sector is judged by it). ``ruleset_for(sector)`` picks the rulesets (``--ruleset``): a
    :class:`~meldcode_rules.sectors.registry.Versies` lets each line's own date choose the version.
    ``records``: a decision record per judgement (see :func:`evaluate`).
    """
    for number, text in enumerate(lines, start=1):
        for line in _judge_one(number, text, sector, engine, ruleset_for, op, records):
            yield line.ok, line.text


def _judge_one(
    number: int,
    text: str,
    sector: str | None,
    engine: str | None,
    ruleset_for: RulesetFor,
    op: dt.date | None,
    records: RecordSink | None = None,
) -> Iterator[Line]:
    if not text.strip():
        return
    if len(text) > limits.MAX_CASE_BYTES:
        yield Line(False, _error(number, ["de regel is te lang"]))
        return
    try:
        data = read_case_json(text, f"regel {number}")
        own = data.get("sector") if isinstance(data, dict) else None
        # a wrong type of `sector` is left to the case's own validation to report
        use = sector if own is None else own if isinstance(own, str) else None
        ruleset = ruleset_for(use) if ruleset_for is not None else None
        oordeel = evaluate(data, sector=use, engine=engine, ruleset=ruleset, op=op, records=records)
    except CaseError as error:
        yield Line(False, _error(number, error.problems))
        return
    except (RulesetError, EngineUnavailable) as error:
        yield Line(False, _error(number, [str(error)]), failed=True)
        return
    except MeldcodeError as error:
        yield Line(False, _error(number, [str(error)]))
        return
    except Exception as error:
        # Only the type is named: an exception's text may quote the case.
        yield Line(False, _error(number, [f"interne fout ({type(error).__name__}); meld dit"]), failed=True)
        return
    yield Line(True, oordeel.model_dump_json())


def _error(number: int, problems: list[str]) -> str:
    return json.dumps({"regel": number, "fout": problems}, ensure_ascii=False)
