"""Hostile inputs for every input path, as hypothesis strategies, and the child runner.

Shared by ``tests/test_fuzz_inputs.py`` (a fixed budget for CI) and
``benchmarks/fuzz_long.py`` (as long as you like). Every generated text and key
may carry the marker ``ZQXMARKER``: no message may ever repeat it.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from meldcode_rules.sectors.registry import basismodel_file

MARKER = "ZQXMARKER"
DRIVER = Path(__file__).with_name("fuzz_driver.py")

FIELDS = {
    "afweging": [
        "vermoeden",
        "acute_onveiligheid",
        "structurele_onveiligheid",
        "hulp_mogelijk",
        "hulp_aanvaard",
        "hulp_effectief",
    ],
    "stappen": ["signalen_vastgelegd", "collega_geraadpleegd", "veilig_thuis_geraadpleegd", "gesprek_gevoerd"],
    "kindcheck": ["zorgt_voor_minderjarigen", "zwanger"],
}
TOP = ["datum", "sector", "vormen", "eerder_gemeld_door_ander", *FIELDS]
SECTORS = ["onderwijs", "gezondheidszorg", "jeugdhulp", "justitie", "kinderopvang", "maatschappelijke_ondersteuning"]
ANSWERS = ["ja", "nee", "onbekend", True, False, None]
NASTY_TEXT = [
    MARKER,
    f"[/]{MARKER}[bold]",
    f"{MARKER}\ud800",
    f"\x00{MARKER}\x07",
    f"{MARKER} Jan Jansen, BSN 123456789",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "1" * 5000,
    MARKER * 400,
]


def texts() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=30).map(lambda t: t + MARKER))


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(ANSWERS),
        st.sampled_from(SECTORS),
        texts(),
        st.integers(),
        st.integers(min_value=200, max_value=6000).map(lambda n: f"BIGINT:{n}"),  # made in the child
        st.floats(allow_nan=True, allow_infinity=True),
    )


def keys() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(TOP + [f for group in FIELDS.values() for f in group]), texts())


def values() -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(keys(), inner, max_size=6)),
        max_leaves=30,
    )


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """A case that is mostly valid, with hostile parts where it hurts."""
    case: dict[str, Any] = {}
    for group, fields in FIELDS.items():
        if draw(st.booleans()):
            case[group] = {
                f: draw(st.one_of(st.sampled_from(ANSWERS), values()))
                for f in draw(st.lists(st.sampled_from(fields), max_size=4))
            }
    if draw(st.booleans()):
        case["vormen"] = draw(
            st.one_of(st.lists(st.sampled_from(["kindermishandeling", "vgv", MARKER]), max_size=4), values())
        )
    if draw(st.booleans()):
        case["sector"] = draw(st.one_of(st.sampled_from(SECTORS), values()))
    if draw(st.booleans()):
        case["datum"] = draw(st.one_of(st.dates().map(str), values()))
    for _ in range(draw(st.integers(0, 2))):
        case[draw(keys())] = draw(values())
    return case


def _nested(depth: int, open_: str, close: str, middle: str = "1") -> str:
    return open_ * depth + middle + close * depth


@st.composite
def case_texts(draw: st.DrawFn) -> bytes:
    """Bytes of one case: JSON or YAML, valid or mangled."""
    case = draw(cases())
    text = json.dumps(case, ensure_ascii=draw(st.booleans())) if draw(st.booleans()) else _yaml(case)
    mangle = draw(st.sampled_from(["none", "duplicate", "deep", "number", "bytes", "cut", "alias", "tag", "control"]))
    if mangle == "duplicate" and text.startswith("{") and len(text) > 2:
        text = '{"afweging": {"vermoeden": "nee", "vermoeden": "ja"}, ' + text[1:]
    elif mangle == "deep":
        text = _nested(
            draw(st.integers(10, 3000)),
            draw(st.sampled_from(['{"a": ', "[", "- "])),
            draw(st.sampled_from(["}", "]", ""])),
        )
    elif mangle == "number":
        text = text.replace("ja", "1" * draw(st.integers(90, 6000)), 1)
    elif mangle == "cut":
        text = text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    elif mangle == "alias":
        text = (
            f"a: &{MARKER} [x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"b{i}: &b{i} [{', '.join(['*' + (MARKER if i == 0 else f'b{i - 1}')] * 8)}]\n"
                for i in range(draw(st.integers(1, 9)))
            )
            + draw(st.sampled_from(["", f"c: *{MARKER}x\n", "d: &d [*d]\n"]))
        )
    elif mangle == "tag":
        text = f"afweging: !{MARKER} x\nvormen: !!python/object/apply:os.system ['{MARKER}']\n"
    elif mangle == "control":
        text = (
            text[: len(text) // 2]
            + draw(st.sampled_from(["\x00", "\x1b", "\ufeff", "\x85", "\t"]))
            + text[len(text) // 2 :]
        )
    data = text.encode("utf-8", "surrogatepass")
    if mangle == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"])) + data[at:]
    return data


def _yaml(case: dict[str, Any]) -> str:
    # JSON is YAML; flow style keeps the generator simple and still reaches the YAML reader.
    return json.dumps(case, ensure_ascii=False).replace('": ', '": ')


@st.composite
def api_jobs(draw: st.DrawFn) -> bytes:
    job: dict[str, Any] = {"case": draw(st.one_of(cases(), values()))}
    if draw(st.booleans()):
        job["sector"] = draw(st.one_of(st.sampled_from(SECTORS), values()))
    return json.dumps(job).encode()


@st.composite
def batch_streams(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(case_texts(), min_size=1, max_size=8))
    # A case file's own newlines would split it into several batch lines: one per line here.
    return b"\n".join(line.replace(b"\n", b" ") for line in lines) + draw(st.sampled_from([b"\n", b"", b"\r\n"]))


_BASIS_RULE = """
  - id: hostile-1
    titel: Vijandig
    bron: test
    uitleg: Een regel.
    als: {als}
    dan:
      melden: onbekend
"""
_HEAD = (
    'id: hostile\ntitel: T\nversie: "1"\ngeldig_vanaf: 2020-01-01\nsector: hostile\nbron: test\n'
    "breidt_uit: [basismodel]\n"
)


@st.composite
def ruleset_texts(draw: st.DrawFn) -> bytes:
    """A ruleset extending the basismodel: valid, mangled, or a mutation of the basismodel."""
    kind = draw(st.sampled_from(["rule", "basis", "yaml", "chain", "termijn"]))
    if kind == "rule":
        test = draw(
            st.sampled_from(
                [
                    "{feit: afweging.vermoeden, is: ja}",
                    "{feit: vormen, bevat: vgv}",
                    f"{{feit: {MARKER}, is: ja}}",
                    f"{{begrip: {MARKER}}}",
                ]
            )
        )
        wrap = draw(
            st.sampled_from(["{t}", "{{niet: {t}}}", "{{alle: [{t}, {t}]}}", "{{een_van: [{t}, {{niet: {t}}}]}}"])
        )
        text = _HEAD + "regels:" + _BASIS_RULE.format(als=wrap.format(t=test))
    elif kind == "basis":
        basis = basismodel_file().read_text(encoding="utf-8")
        at = draw(st.integers(0, len(basis)))
        text = (
            basis[:at]
            + draw(st.sampled_from(["\x00", "]", "&a ", "*a", "!x ", "\t", "  - ", ": ", "{", "999999999999 "]))
            + basis[at:]
        )
    elif kind == "chain":
        n = draw(st.integers(1, 40))
        text = (
            _HEAD
            + "begrippen:\n  - {id: b0, titel: b, bron: t, als: {feit: afweging.vermoeden, is: ja}}\n"
            + "".join(
                f"  - {{id: b{i}, titel: b, bron: t, "
                f"als: {{alle: [{{begrip: b{i - 1}}}, {{niet: {{begrip: b{i - 1}}}}}]}}}}\n"
                for i in range(1, n)
            )
            + "regels:"
            + _BASIS_RULE.format(als=f"{{begrip: b{n - 1}}}")
        )
    elif kind == "termijn":
        n = draw(st.sampled_from(["1", "999", "1000", "999999999999", "0", "-1"]))
        unit = draw(st.sampled_from(["weken", "werkdagen", "uur", "jaar"]))
        text = (
            _HEAD
            + "regels:"
            + _BASIS_RULE.format(als="{feit: afweging.vermoeden, is: ja}").replace(
                "      melden: onbekend\n",
                f"      acties:\n        - {{code: herbeoordelen, tekst: t, termijn: {n} {unit}}}\n",
            )
        )
    else:
        text = draw(case_texts()).decode("utf-8", "replace")
    return text.encode("utf-8", "surrogatepass")


@st.composite
def scenario_texts(draw: st.DrawFn) -> bytes:
    gegeven = draw(cases())
    verwacht = draw(
        st.one_of(
            st.just({"melden": "ja"}),
            st.dictionaries(st.sampled_from(["melden", "acties", "regels", MARKER]), values(), max_size=3),
        )
    )
    doc = {"scenarios": [{"naam": "fuzz", "bron": "test", "gegeven": gegeven, "verwacht": verwacht}]}
    text = json.dumps(doc, ensure_ascii=False)
    if draw(st.booleans()):
        text = draw(case_texts()).decode("utf-8", "replace")
    return text.encode("utf-8", "surrogatepass")


STRATEGIES = {
    "api": api_jobs,
    "evaluate_file": case_texts,
    "stdin": case_texts,
    "batch": batch_streams,
    "ruleset": ruleset_texts,
    "ruleset_check": ruleset_texts,
    "scenario": scenario_texts,
}


def run_child(
    path: str, inputs: list[bytes], *, memory_mb: int = 2048, timeout: float = 300
) -> tuple[int, list[dict[str, Any]], str]:
    """Run ``inputs`` through ``path`` in a child with a memory limit: (return code, results, stderr)."""
    payload = json.dumps([base64.b64encode(i).decode() for i in inputs]).encode()
    result = subprocess.run(
        [sys.executable, str(DRIVER), path, str(memory_mb)],
        input=payload,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.decode().splitlines() if line.startswith("{")]
    return result.returncode, lines, result.stderr.decode("utf-8", "replace")[-3000:]
