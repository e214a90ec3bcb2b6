"""Hostile inputs for every input path, as hypothesis strategies, and the child runner.

Shared by ``tests/test_fuzz_inputs.py`` (a fixed budget for CI) and
``benchmarks/fuzz_long.py`` (as long as you like). Every generated text and key
may carry the marker ``ZQXMARKER``: no message may ever repeat it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from dossier_strategies import events as valid_events
from meldcode_rules.case.dossier import EIGEN_GEBEURTENIS, SOORTEN, event_fields
from meldcode_rules.sectors.registry import basismodel_file, builtin_ruleset_dir

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
        text = _cut(draw, text)
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
        text = _control(draw, text, ["\x00", "\x1b", "\ufeff", "\x85", "\t"])
    data = text.encode("utf-8", "surrogatepass")
    return _bad_bytes(draw, data) if mangle == "bytes" else data


def _cut(draw: st.DrawFn, text: str) -> str:
    """``text`` cut short anywhere."""
    return text[: draw(st.integers(0, max(len(text) - 1, 0)))]


def _control(draw: st.DrawFn, text: str, characters: list[str]) -> str:
    """``text`` with one of ``characters`` in its middle."""
    return text[: len(text) // 2] + draw(st.sampled_from(characters)) + text[len(text) // 2 :]


def _bad_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with bytes that are no UTF-8 (or a NUL) put in anywhere."""
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"])) + data[at:]


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


# ---------------------------------------------------------------- dossiers and the monitor

#: Dates that exist at the edges, that do not exist, and forms the dossier refuses (zones, numbers).
HOSTILE_MOMENTS: list[Any] = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "1899-12-31",
    "3000-01-01",
    "2026-02-30",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-03-01T24:00",
    "2026-03-01T23:59:60",
    "2026-03-01T00:00",
    "2026-03-01T00:00:00.000001",
    "2026-03-01T10:00Z",
    "2026-03-01T10:00+01:00",
    "2026-03-01 10:00",
    "2026-03-01\n",
    " 2026-03-01",
    "+2026-03-01",
    "-0001-01-01",
    "\uff12\uff10\uff12\uff16-03-01",  # full-width digits
    "2026-3-1",
    20260301,
    1772323200.0,
    f"2026-03-01{MARKER}",
    "",
]
HOSTILE_TERMIJNEN: list[Any] = [
    "1 dagen",
    "0 dagen",
    "-1 weken",
    "999 weken",
    "1000 weken",
    "999999999999 weken",
    "999 jaar",
    "6 Weken",
    "6  weken",
    "6 weken\n",
    "5 werkdagen",
    "999 werkdagen",
    "1 uur",
    "48 uur",
    f"6 {MARKER}",
    6,
]
#: Every action code a shipped ruleset names, those with an event of their own, and junk.
_CODES = {m for f in builtin_ruleset_dir().glob("*.yaml") for m in re.findall(r"code: ([a-z_]+)", f.read_text("utf-8"))}
ACTIES: list[str] = [
    *sorted(_CODES | set(EIGEN_GEBEURTENIS)),
    *("geen_code", "Politie_inschakelen", "a" * 41, "politie_inschakelen\n", f"x{MARKER}", ""),
]
EVENT_KEYS = sorted({name for soort in SOORTEN for name in event_fields(soort)} | {"soort", "datum"})
#: Forms a `dossier_id` or `organisatie` may not take, each with the marker.
GOOD_IDS = ["d-1", "D.2:x", "a" * 64, "0"]
BAD_IDS = [f"{MARKER} 1", f"-{MARKER}", MARKER * 8, f"{MARKER}\n", f"{MARKER}/x", f"[/]{MARKER}", f"{MARKER}\u00e9"]
MISSPELT = ["signaaal", "Signaal", "melding ", "hulp_geëvalueerd", "momentopnames", "soort", MARKER, None, 1, []]


def moments_text(draw: st.DrawFn, low: dt.date, high: dt.date, *, hostile: bool = False) -> Any:
    """A date as a dossier gives it: a day (or a day and time) in range; hostile: any of HOSTILE_MOMENTS."""
    if hostile:
        return draw(st.sampled_from(HOSTILE_MOMENTS))
    day = draw(st.one_of(st.dates(low, high), st.sampled_from([low, high])))
    if draw(st.booleans()):
        return day.isoformat()
    return f"{day.isoformat()}T{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from((0, 1, 30, 59))):02d}"


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held at the first and last day a date can be."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


#: Termijnen of a valid form, at their edges (at most 999 of a unit).
EDGE_TERMIJNEN = ["direct", "1 dag", "1 uur", "999 uren", "999 dagen", "999 werkdagen", "999 weken", "6 weken"]
#: Case facts a momentopname may hold that the case model accepts, for a judgement that reaches the clocks.
VALID_CASUS = [
    {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}},
    {"afweging": {"vermoeden": "ja", "structurele_onveiligheid": "ja", "hulp_mogelijk": "nee"}},
    {"afweging": {"vermoeden": "nee"}, "vormen": ["kindermishandeling"]},
    {"eerder_gemeld_door_ander": "ja", "kindcheck": {"zorgt_voor_minderjarigen": "ja"}},
    {},
]


@st.composite
def hostile_events(draw: st.DrawFn, peildatum: dt.date, hostile: bool = False) -> Any:
    """One event of any kind on or before the peildatum, at the edges of what is valid.

    ``hostile``: broken where it hurts (a misspelt kind or field, a wrong type, a date that does
    not exist or lies after the peildatum, a hostile case in a momentopname, an action with an
    event of its own, nested junk).
    """
    low, high = _shift(peildatum, -900), peildatum
    kind = draw(st.sampled_from(["valid", "valid", "valid", "momentopname", "actie", "hulp", "signaal"]))
    if hostile:
        kind = draw(
            st.sampled_from(
                ["momentopname", "actie", "hulp", "signaal", "soort", "field", "type", "datum", "junk", "later"]
            )
        )
    event: Any = draw(valid_events(high=high, low=low))
    if kind == "momentopname":
        event = {
            "soort": "momentopname",
            "datum": moments_text(draw, low, high),
            "casus": draw(st.sampled_from(VALID_CASUS)),
        }
        if hostile:
            event["casus"] = draw(st.one_of(cases(), values(), st.just({"datum": "2026-01-01", "sector": "onderwijs"})))
    elif kind == "actie":
        codes = ACTIES if hostile else [a for a in ACTIES[:-6] if a not in EIGEN_GEBEURTENIS]
        event = {
            "soort": "actie_uitgevoerd",
            "datum": moments_text(draw, low, high),
            "actie": draw(st.sampled_from(codes)),
        }
    elif kind == "hulp":
        event = {
            "soort": draw(st.sampled_from(["hulp_gestart", "hulp_geevalueerd"])),
            "datum": moments_text(draw, low, high),
        }
        dates = (
            st.sampled_from(HOSTILE_MOMENTS) if hostile else st.sampled_from(["0001-01-01", "9999-12-31", "2026-03-01"])
        )
        if draw(st.booleans()):
            event["evaluatiedatum"] = draw(st.one_of(dates, st.dates().map(str)))
        if hostile or draw(st.booleans()):
            event["termijn"] = draw(st.sampled_from(HOSTILE_TERMIJNEN if hostile else EDGE_TERMIJNEN))
        if event["soort"] == "hulp_gestart" and draw(st.booleans()):
            event["hulpvorm"] = draw(texts() if hostile else st.sampled_from(["ggz", "ambulant", "a" * 40]))
    elif kind == "signaal":  # the CSG window and the pattern of signals: incidents and origins
        event = {
            "soort": "signaal",
            "datum": moments_text(draw, low, high),
            "vormen": draw(st.lists(st.sampled_from(["seksueel_geweld", "vgv", "kindermishandeling"]), max_size=2)),
            "herkomst": draw(st.sampled_from(["kind", "school", "huisarts", *([MARKER] if hostile else [])])),
        }
        if draw(st.booleans()):
            event["incidentdatum"] = moments_text(draw, dt.date.min, _shift(high, 1 if hostile else 0))
    elif kind == "soort":
        event["soort"] = draw(st.sampled_from(MISSPELT))
    elif kind == "field":
        event[draw(st.one_of(st.sampled_from(EVENT_KEYS), texts()))] = draw(
            st.one_of(st.sampled_from(ANSWERS), values())
        )
    elif kind == "type":
        name = draw(st.sampled_from(sorted(event)))
        event[name] = draw(st.one_of(values(), st.sampled_from([True, 1, 1.5, None, [], {}, ["ja"]])))
    elif kind == "datum":
        event["datum"] = moments_text(draw, low, high, hostile=True)
    elif kind == "later":  # after the peildatum: refused, naming the place, never the date
        event["datum"] = _shift(peildatum, draw(st.sampled_from([1, 400]))).isoformat()
    elif kind == "junk":
        event = draw(st.one_of(values(), st.sampled_from([None, [], "signaal", {"soort": "signaal"}])))
    return event


@st.composite
def dossiers_hostile(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A dossier and a peildatum as ``--op`` takes it: mostly valid, with one hostile part where it hurts."""
    if draw(st.integers(0, 4)) == 0:
        peildatum = draw(st.sampled_from([dt.date(1, 1, 7), dt.date(1900, 1, 1), dt.date(2999, 12, 31), dt.date.max]))
    else:
        peildatum = draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))
    dose = draw(st.sampled_from(["none"] * 5 + ["event"] * 3 + ["envelope", "shape"]))
    count = draw(st.integers(1, 10))
    at = draw(st.integers(0, count - 1)) if dose == "event" else -1
    items = [draw(hostile_events(peildatum, hostile=i == at)) for i in range(count)]
    shape = draw(st.sampled_from(["plain"] * 5 + ["same_day", "many", "reversed"]))
    if shape == "same_day":  # contradictions on one day: the same fact answered both ways
        day = peildatum.isoformat()
        items += [
            {"soort": "afweging", "datum": day, "vermoeden": "ja", "acute_onveiligheid": "ja"},
            {"soort": "afweging", "datum": day, "vermoeden": "nee", "acute_onveiligheid": "nee"},
            {"soort": "melding", "datum": day, "door": "mij"},
            {"soort": "zaak_afgesloten", "datum": day},
            {"soort": "zaak_heropend", "datum": day},
        ]
    elif shape == "many":  # bounded: around the 100 items a file may hold
        size = draw(st.integers(90, 160))
        items = (items * (size // len(items) + 1))[:size]
    elif shape == "reversed":
        items.sort(key=lambda e: str(e.get("datum")) if isinstance(e, dict) else "", reverse=True)
    data: dict[str, Any] = {"gebeurtenissen": items}
    # dossier_id, organisatie and referentie come back in the judgement and the monitor's report by
    # design: the marker goes only into values of a form they refuse (which no message may repeat).
    bad = dose == "envelope"
    not_text = values().filter(lambda v: not isinstance(v, str))
    if draw(st.booleans()):
        data["dossier_id"] = draw(st.one_of(st.sampled_from(BAD_IDS), not_text) if bad else st.sampled_from(GOOD_IDS))
    if draw(st.booleans()):
        data["sector"] = draw(values() if bad else st.sampled_from(SECTORS))
    if draw(st.integers(0, 3)) == 0:
        data["organisatie"] = draw(st.one_of(st.sampled_from(BAD_IDS), not_text) if bad else st.sampled_from(GOOD_IDS))
    if draw(st.integers(0, 3)) == 0:
        data["referentie"] = draw(st.sampled_from(["", MARKER * 23]) | not_text if bad else st.just("zaak-1"))
    if draw(st.integers(0, 4)) == 0:
        data["sectorfeiten"] = draw(values() if bad else st.sampled_from([{}, {"calamiteit": "ja"}, {"rol": "arts"}]))
    if bad and draw(st.booleans()):
        data[draw(st.one_of(st.sampled_from(["gebeurtenis", "datum", "vormen", "afweging"]), texts()))] = draw(values())
    if dose == "shape":
        data["gebeurtenissen"] = draw(st.one_of(values(), st.sampled_from([[], {"0": {"soort": "signaal"}}, None])))
    op = peildatum.isoformat() if draw(st.integers(0, 19)) else draw(st.sampled_from(["2026-02-30", "0000-01-01"]))
    return data, op


@st.composite
def dossier_jobs(draw: st.DrawFn) -> bytes:
    data, op = draw(dossiers_hostile())
    return json.dumps({"dossier": data, "op": op, "sector": draw(st.sampled_from([None, None, *SECTORS]))}).encode()


def _mangle(draw: st.DrawFn, text: str) -> bytes:
    """The mangling of :func:`case_texts`, for any JSON text, with duplicates where a dossier has keys."""
    mangle = draw(st.sampled_from(["none"] * 4 + ["duplicate", "deep", "cut", "bytes", "control", "yaml"]))
    if mangle == "duplicate" and '"soort": ' in text:
        text = text.replace('"soort": ', '"soort": "signaal", "soort": ', 1)
    elif mangle == "duplicate" and text.startswith("{"):
        text = '{"gebeurtenissen": [], ' + text[1:]
    elif mangle == "deep":
        text = (
            '{"gebeurtenissen": [{"soort": "momentopname", "datum": "2026-01-01", "casus": '
            + _nested(draw(st.integers(10, 3000)), '{"a": ', "}")
            + "}]}"
        )
    elif mangle == "cut":
        text = _cut(draw, text)
    elif mangle == "control":
        text = _control(draw, text, ["\x00", "\x1b", "\ufeff", "\x85", "\u2028"])
    elif mangle == "yaml":  # block YAML with anchors, tags and dates YAML reads as dates
        text = (
            "gebeurtenissen:\n"
            f"  - &{MARKER} {{soort: signaal, datum: 2026-01-05}}\n"
            f"  - *{MARKER}\n"
            "  - {soort: hulp_gestart, datum: 2026-01-06, evaluatiedatum: 9999-12-31}\n"
            f"  - {{soort: afweging, datum: 2026-01-07 10:00:00+01:00, vermoeden: !{MARKER} ja}}\n"
            "  - {soort: afweging, datum: 2026-01-07, acute_onveiligheid: yes}\n"
        )
    data = text.encode("utf-8", "surrogatepass")
    return _bad_bytes(draw, data) if mangle == "bytes" else data


@st.composite
def dossier_file_texts(draw: st.DrawFn) -> bytes:
    """The peildatum, a newline, then the bytes of a dossier file (JSON or YAML), valid or mangled."""
    data, op = draw(dossiers_hostile())
    return op.encode() + b"\n" + _mangle(draw, json.dumps(data, ensure_ascii=draw(st.booleans())))


@st.composite
def monitor_streams(draw: st.DrawFn) -> bytes:
    """The peildatum, a newline, then JSON Lines of dossiers (one per line; some mangled or blank)."""
    _first, op = draw(dossiers_hostile())
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        data, _op = draw(dossiers_hostile())
        line = (
            _mangle(draw, json.dumps(data, ensure_ascii=draw(st.booleans())))
            if draw(st.booleans())
            else json.dumps(data).encode()
        )
        lines.append(line.replace(b"\n", b" ").replace(b"\r", b" "))
    if draw(st.booleans()):
        lines.insert(
            draw(st.integers(0, len(lines))), draw(st.sampled_from([b"", b"   ", b"\t", b"{}", b"[]", b"null"]))
        )
    if draw(st.integers(0, 4)) == 0:  # a plain case file is a dossier of one moment
        lines.append(draw(case_texts()).replace(b"\n", b" ").replace(b"\r", b" "))
    return op.encode() + b"\n" + b"\n".join(lines) + draw(st.sampled_from([b"\n", b"", b"\r\n"]))


STRATEGIES = {
    "api": api_jobs,
    "evaluate_file": case_texts,
    "stdin": case_texts,
    "batch": batch_streams,
    "ruleset": ruleset_texts,
    "ruleset_check": ruleset_texts,
    "scenario": scenario_texts,
    "dossier_api": dossier_jobs,
    "dossier_file": dossier_file_texts,
    "monitor": monitor_streams,
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
