"""Reading many dossiers: JSON Lines, a folder of files, Parquet, in parts.

The input is cut into *parts* (:class:`Deel`) before anything is judged: a byte range of a
JSON Lines file, a handful of files of a folder, some row groups of a Parquet file, or lines
already read from standard input. A part is a small picklable description, so the same part
is read in this process, in a worker process or on a Dask worker, and its records always
carry the same line or row numbers: the result does not depend on where a part ran.

A record that cannot be read is never dropped silently: it comes out as a :class:`Record`
with a ``fout`` category and its place (file and line, row or file name), never its content.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from meldcode_rules.diagnostics import InvoerFout, MeldcodeError
from meldcode_rules.load.loader import read_yaml

#: File kinds by suffix. A folder is read recursively, in sorted order.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
FILE_SUFFIXES = (".json", ".yaml", ".yml")

STDIN = "-"


class Record(NamedTuple):
    """One dossier as read, or why it could not be read. ``plek`` is a line, row or 0 (whole file).

    A tuple: one is made per dossier (a frozen dataclass costs twice as much).
    """

    bron: str
    plek: int
    data: dict[str, Any] | None = None
    fout: str | None = None


@dataclass(frozen=True, slots=True)
class RegelsDeel:
    """Lines ``eerste_regel``... of a JSON Lines file: the bytes ``start`` up to ``eind``."""

    pad: str
    start: int
    eind: int
    eerste_regel: int
    aantal: int


@dataclass(frozen=True, slots=True)
class TekstDeel:
    """Lines already read (standard input)."""

    bron: str
    regels: tuple[str, ...]
    eerste_regel: int

    @property
    def aantal(self) -> int:
        return sum(1 for line in self.regels if line.strip())


@dataclass(frozen=True, slots=True)
class BestandenDeel:
    """Single dossier or case files (JSON or YAML), one dossier each."""

    paden: tuple[str, ...]

    @property
    def aantal(self) -> int:
        return len(self.paden)


@dataclass(frozen=True, slots=True)
class ParquetDeel:
    """Row groups of a Parquet file; rows are numbered from 1 over the whole file."""

    pad: str
    rijgroepen: tuple[int, ...]
    eerste_rij: int
    aantal: int


Deel = RegelsDeel | TekstDeel | BestandenDeel | ParquetDeel


def plan(paths: Iterable[str | Path], per_deel: int = 1000) -> Iterator[Deel]:
    """Cut the inputs into parts of about ``per_deel`` dossiers each, in input order."""
    if per_deel < 1:
        raise ValueError("per_deel moet minstens 1 zijn")
    for raw in paths:
        if str(raw) == STDIN:
            yield from _plan_lines(sys.stdin, "standaardinvoer", per_deel)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _plan_folder(path, per_deel)
        elif path.is_file():
            yield from _plan_file(path, per_deel)
        else:
            raise InvoerFout(f"{path}: bestaat niet of is geen bestand of map")


def _plan_folder(folder: Path, per_deel: int) -> Iterator[Deel]:
    files: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in FILE_SUFFIXES:
            files.append(str(path))
            if len(files) == per_deel:
                yield BestandenDeel(tuple(files))
                files = []
        elif suffix in JSONL_SUFFIXES or suffix in PARQUET_SUFFIXES:
            yield from _plan_file(path, per_deel)
    if files:
        yield BestandenDeel(tuple(files))


def _plan_file(path: Path, per_deel: int) -> Iterator[Deel]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _plan_jsonl(path, per_deel)
    elif suffix in PARQUET_SUFFIXES:
        yield from _plan_parquet(path, per_deel)
    elif suffix in FILE_SUFFIXES:
        yield BestandenDeel((str(path),))
    else:
        kinds = ", ".join(JSONL_SUFFIXES + PARQUET_SUFFIXES + FILE_SUFFIXES)
        raise InvoerFout(f"{path}: onbekend soort bestand; gebruik {kinds} of een map")


def _plan_jsonl(path: Path, per_deel: int) -> Iterator[RegelsDeel]:
    # One pass over the bytes finds where each part starts; only offsets are kept.
    start = pos = 0
    first = number = 1
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            pos += len(line)
            if line.strip():
                count += 1
            if count == per_deel:
                yield RegelsDeel(str(path), start, pos, first, count)
                start, first, count = pos, number + 1, 0
            number += 1
    if pos > start:
        yield RegelsDeel(str(path), start, pos, first, count)


def _plan_lines(lines: Iterable[str], bron: str, per_deel: int) -> Iterator[TekstDeel]:
    chunk: list[str] = []
    first = 1
    filled = 0
    for number, line in enumerate(lines, start=1):
        chunk.append(line)
        filled += bool(line.strip())
        if filled == per_deel:
            yield TekstDeel(bron, tuple(chunk), first)
            chunk, first, filled = [], number + 1, 0
    if chunk:
        yield TekstDeel(bron, tuple(chunk), first)


def _pyarrow_parquet() -> Any:
    try:  # lazy: pyarrow is an optional extra, only for Parquet input
        import pyarrow.parquet as pq
    except ImportError:
        raise InvoerFout("Parquet lezen vraagt pyarrow: installeer `meldcode-rules[monitor]`") from None
    return pq


def _plan_parquet(path: Path, per_deel: int) -> Iterator[ParquetDeel]:
    pq = _pyarrow_parquet()
    try:
        meta = pq.ParquetFile(str(path)).metadata
    except (OSError, ValueError) as error:
        raise InvoerFout(f"{path}: geen leesbaar Parquet-bestand ({type(error).__name__})") from None
    groups: list[int] = []
    rows = 0
    first = 1
    for index in range(meta.num_row_groups):
        groups.append(index)
        rows += meta.row_group(index).num_rows
        if rows >= per_deel:
            yield ParquetDeel(str(path), tuple(groups), first, rows)
            first += rows
            groups, rows = [], 0
    if groups:
        yield ParquetDeel(str(path), tuple(groups), first, rows)


# ------------------------------------------------------------------ reading one part


def records(deel: Deel) -> Iterator[Record]:
    """Every dossier of one part, in order, as data or as a located refusal."""
    if isinstance(deel, RegelsDeel):
        with open(deel.pad, "rb") as handle:
            handle.seek(deel.start)
            raw = handle.read(deel.eind - deel.start)
        pad, first = deel.pad, deel.eerste_regel
        for offset, line in enumerate(raw.splitlines()):
            if line and not line.isspace():  # as `line.strip()`, without copying the line
                yield _json_record(line, pad, first + offset)
    elif isinstance(deel, TekstDeel):
        for offset, text in enumerate(deel.regels):
            if text.strip():
                yield _json_record(text, deel.bron, deel.eerste_regel + offset)
    elif isinstance(deel, BestandenDeel):
        for pad in deel.paden:
            yield _file_record(pad)
    else:
        yield from _parquet_records(deel)


#: JSON in C: about twice as fast as json.loads on a dossier line.
_DECODER = msgspec.json.Decoder()


def _json_record(line: bytes | str, bron: str, plek: int) -> Record:
    try:
        # What msgspec decodes, it decodes as json.loads does; what it refuses (a number out of
        # range, a lone surrogate, a byte-order mark, broken JSON) json.loads reads or names.
        data = _DECODER.decode(line)
    except (msgspec.MsgspecError, RecursionError):
        return _loads_record(line, bron, plek)
    if not isinstance(data, dict):
        return Record(bron, plek, fout="geen JSON-object")
    return Record(bron, plek, data)


def _loads_record(line: bytes | str, bron: str, plek: int) -> Record:
    try:
        data = json.loads(line)
    except UnicodeDecodeError:
        return Record(bron, plek, fout="geen UTF-8-tekst")
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return Record(bron, plek, fout="geen geldige JSON")
    if not isinstance(data, dict):
        return Record(bron, plek, fout="geen JSON-object")
    return Record(bron, plek, data)


def _file_record(pad: str) -> Record:
    try:
        size = os.path.getsize(pad)
        with open(pad, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return Record(pad, 0, fout="bestand niet te lezen")
    except UnicodeDecodeError:
        return Record(pad, 0, fout="geen UTF-8-tekst")
    if pad.lower().endswith(".json"):
        return _json_record(text, pad, 0)
    try:
        data = read_yaml(text, pad)[0] if size else None
    except (MeldcodeError, RecursionError):
        return Record(pad, 0, fout="geen geldige YAML")
    if not isinstance(data, dict):
        return Record(pad, 0, fout="geen YAML-object")
    return Record(pad, 0, _plain(data))


def _plain(value: Any) -> Any:
    """YAML and Parquet values as JSON would give them: dates as ISO text, no nulls for absent fields."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _parquet_records(deel: ParquetDeel) -> Iterator[Record]:
    pq = _pyarrow_parquet()
    handle = pq.ParquetFile(deel.pad)
    row = deel.eerste_rij
    for group in deel.rijgroepen:
        try:
            table = handle.read_row_group(group)
        except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
            raise OSError(f"rijgroep {group} niet te lezen") from error
        # An export with one text column of JSON (`dossier`) or the dossier's fields as columns.
        as_json = table.num_columns == 1 and table.column_names[0] in ("dossier", "json")
        for item in table.to_pylist():
            if as_json:
                text = next(iter(item.values()))
                yield (
                    _json_record(text, deel.pad, row)
                    if isinstance(text, str)
                    else Record(deel.pad, row, fout="geen JSON-tekst")
                )
            else:
                # Parquet writes a null for every field a row does not have; JSON would leave it out.
                yield Record(deel.pad, row, _plain(item))
            row += 1
