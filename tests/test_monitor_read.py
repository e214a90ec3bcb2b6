"""The monitor reads a JSON line with msgspec where it can: the same record as json.loads gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_rules.monitor import synthetic
from meldcode_rules.monitor.read import _json_record, _loads_record, plan, records

ODD = [
    b'{"a": 1e400}',  # json.loads: inf; msgspec refuses it
    b'{"a": NaN, "b": -Infinity}',
    b'"\\ud800"',
    b'{"a": "\\udc00x"}',
    b"\xff{}",
    b"\xef\xbb\xbf{}",
    '"\ud800"'.encode("utf-8", "surrogatepass"),
    b"[1]",
    b"{bad",
    b"[" * 100_000,
    b'{"a": 1, "a": 2}',
    b'{"a": 123456789012345678901234567890, "b": -0.0, "c": 1.5e-320}',
    "{}".encode("utf-16"),
    '{"a":1}',
    "",
    b"   ",
]


@pytest.mark.parametrize("line", ODD)
def test_an_odd_line_gives_the_record_json_loads_gives(line: bytes | str) -> None:
    assert repr(_json_record(line, "x.jsonl", 3)) == repr(_loads_record(line, "x.jsonl", 3))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_any_json_line_gives_the_record_json_loads_gives(value: object) -> None:
    line = json.dumps(value).encode()
    assert repr(_json_record(line, "x.jsonl", 1)) == repr(_loads_record(line, "x.jsonl", 1))


def test_generated_dossier_lines_give_the_same_data() -> None:
    for item in synthetic.dossiers(50, seed=7):
        line = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
        assert _json_record(line, "x.jsonl", 1) == _loads_record(line, "x.jsonl", 1)


def test_lines_of_only_whitespace_are_skipped_and_the_others_keep_their_line_numbers(tmp_path: Path) -> None:
    good = [json.dumps(d) for d in synthetic.dossiers(3, 2)]
    lines = [good[0], " ", "\t \x0b\x0c", good[1], "{kapot", good[2]]
    path = tmp_path / "d.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    found = [(r.plek, r.fout) for deel in plan([path], 2) for r in records(deel)]
    assert found == [(1, None), (4, None), (5, "geen geldige JSON"), (6, None)]
    assert sum(deel.aantal for deel in plan([path], 2)) == 4
