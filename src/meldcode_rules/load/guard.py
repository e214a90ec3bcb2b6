"""Untrusted case data, bounded before anything expensive looks at it.

Every case arrives here first, whatever its path (the Python API, a file,
standard input, a ``batch`` line): JSON text is parsed with duplicate keys
and over-long numbers caught, and the resulting data is walked once, with
every limit of :mod:`meldcode_rules.limits` checked before pydantic validates
it. A problem names the place (a field path of known field names) and the
limit, never what was given: case systems paste free text into fields by
mistake, and that text is case data.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from meldcode_rules import limits
from meldcode_rules.diagnostics import Code, InputProblem

__all__ = ["InputProblem", "capped", "check_data", "decode", "loads_json", "place"]


class _Refused:
    """Stands where the JSON parser met a value it does not build (a too-long number)."""

    def __init__(self, why: str) -> None:
        self.why = why


class _Pairs(dict[str, Any]):
    """A JSON object that had a key twice (the first value is kept, the fact remembered)."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    duplicates: list[str] = []
    for key, value in pairs:
        if key in out:
            duplicates.append(key)
        else:
            out[key] = value
    if not duplicates:
        return out
    flagged = _Pairs(out)
    flagged.duplicates = duplicates
    return flagged


def _int(text: str) -> Any:
    # Python refuses to convert more than 4,300 digits (a ValueError from deep inside json).
    return int(text) if len(text) <= limits.MAX_NUMBER_DIGITS else _Refused("getal")


def _float(text: str) -> Any:
    return float(text) if len(text) <= limits.MAX_NUMBER_DIGITS + 10 else _Refused("getal")


def _constant(_text: str) -> Any:
    return _Refused("getal")  # NaN, Infinity: not JSON, and no answer to any question


def loads_json(text: str) -> Any:
    """Parse JSON text; InputProblem on invalid JSON (with line and column), nesting or size."""
    if len(text) > limits.MAX_CASE_BYTES:
        raise InputProblem([_too_large()])
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise InputProblem([f"geen geldige JSON (regel {error.lineno}, kolom {error.colno})"], Code.MV003) from None
    except RecursionError:
        raise InputProblem([f"te diep genest (hoogstens {limits.MAX_CASE_DEPTH} niveaus)"]) from None


def decode(raw: bytes) -> str:
    """Bytes of a case as text: UTF-8 only, bounded."""
    if len(raw) > limits.MAX_CASE_BYTES:
        raise InputProblem([_too_large()])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputProblem([f"geen geldige UTF-8-tekst (byte {error.start + 1})"], Code.MV002) from None


def _too_large() -> str:
    return f"te groot: hoogstens {limits.MAX_CASE_BYTES:,} bytes per casus".replace(",", ".")


def check_data(data: Any, names: Collection[str] = ()) -> None:
    """Raise InputProblem when ``data`` breaks a limit; ``names`` are the field names to show."""
    problems: list[str] = []
    count = 0
    # Iterative, so that no nesting reaches Python's recursion limit here.
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        count += 1
        if count > limits.MAX_CASE_NODES:
            problems.append(f"te veel waarden (hoogstens {limits.MAX_CASE_NODES:,})".replace(",", "."))
            break
        if len(path) > limits.MAX_CASE_DEPTH:
            problems.append(f"{_place(path, names)}: te diep genest (hoogstens {limits.MAX_CASE_DEPTH} niveaus)")
            continue
        if isinstance(node, Mapping):
            if len(node) > limits.MAX_OBJECT_KEYS:
                problems.append(f"{_place(path, names)}: te veel velden (hoogstens {limits.MAX_OBJECT_KEYS})")
                continue
            for key in getattr(node, "duplicates", ()):
                problems.append(
                    f"{_place((*path, key), names)}: dit veld staat meer dan een keer in hetzelfde object; "
                    "elk veld mag maar een keer voorkomen"
                )
            stack.extend((value, (*path, key if isinstance(key, str) else "…")) for key, value in node.items())
        elif isinstance(node, list | tuple):
            if len(node) > limits.MAX_LIST_ITEMS:
                problems.append(f"{_place(path, names)}: te veel items (hoogstens {limits.MAX_LIST_ITEMS})")
                continue
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
        elif isinstance(node, str):
            if len(node) > limits.MAX_TEXT_CHARS:
                problems.append(f"{_place(path, names)}: tekst te lang (hoogstens {limits.MAX_TEXT_CHARS} tekens)")
            elif not _valid_unicode(node):
                problems.append(f"{_place(path, names)}: ongeldige tekens (geen geldige Unicode)")
        elif isinstance(node, _Refused) or (
            isinstance(node, int) and node.bit_length() > limits.MAX_NUMBER_DIGITS * 3.33
        ):
            problems.append(f"{_place(path, names)}: getal te lang (hoogstens {limits.MAX_NUMBER_DIGITS} cijfers)")
        if len(problems) > limits.MAX_PROBLEMS:
            break
    if problems:
        raise InputProblem(capped(problems))


def capped(problems: list[str]) -> list[str]:
    """The first MAX_PROBLEMS problems, and how many more there were."""
    if len(problems) <= limits.MAX_PROBLEMS:
        return problems
    rest = len(problems) - limits.MAX_PROBLEMS
    return [*problems[: limits.MAX_PROBLEMS], f"en nog {rest} {'probleem' if rest == 1 else 'problemen'} of meer"]


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (JSON `\ud800`): no text at all
        return False
    return True


def place(path: tuple[Any, ...], names: Collection[str]) -> str:
    """A field path for a message: known field names and indexes; anything else as `…`."""
    return _place(path, names)


def _place(path: tuple[Any, ...], names: Collection[str]) -> str:
    if not path:
        return "de casus"
    return "`" + ".".join(place_part(p, names) for p in path) + "`"


def place_part(part: Any, names: Collection[str]) -> str:
    """One step of a field path for a message: an index or a known field name; anything else as `…`."""
    return str(part) if isinstance(part, int) or part in names else "…"
