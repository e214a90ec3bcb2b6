"""The flat reader (a plain dict straight to flat facts) never disagrees with pydantic.

The reader may decline anything; whenever it answers, pydantic must accept the
same dict and flatten it to the same facts and date. Declining is always safe
(the caller validates with pydantic); answering differently never is.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.case.flat_reader import reader_for
from meldcode_rules.case.model import Tri, TriState
from meldcode_rules.diagnostics import CaseError
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.sectors.builtin import Sector
from meldcode_rules.sectors.registry import case_model_of, compiled_for
from strategies import ENGINES, case_dicts

ROOT = Path(__file__).resolve().parents[1]
SECTORS = (
    None,
    "gezondheidszorg",
    "jeugdhulp",
    "onderwijs",
    "kinderopvang",
    "maatschappelijke_ondersteuning",
    "justitie",
)

# Values that look like answers but are not all accepted the same way by pydantic.
TRICKY = (
    "ja",
    "nee",
    "onbekend",
    "JA",
    "Ja",
    " ja",
    "",
    "geen",
    True,
    False,
    None,
    1,
    0,
    1.0,
    0.0,
    2,
    "true",
    "1",
    Tri.ja,
    Tri.onbekend,
    [],
    ["ja"],
    {},
    ("ja",),
    b"ja",
    "2026-11-23",
    "2026-02-30",
    "2026-W48-1",
    "20261123",
    "2026-11-23T00:00:00",
    "2026-11-23 ",
    "2026-1-23",
    "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0662\u0663",  # 2026-11-23 in Arabic-Indic digits
    dt.date(2026, 11, 23),
    dt.datetime(2026, 11, 23),
    1_700_000_000,
)


def _field_values(catalog: Any) -> dict[str, tuple[Any, ...]]:
    """Per dotted path: valid values for the fact plus tricky ones."""
    values: dict[str, tuple[Any, ...]] = {}
    for spec in catalog:
        if spec.kind == "lijst":
            valid: tuple[Any, ...] = (list(spec.values[:2]), [spec.values[0]], [], ["onbekend_item"], (spec.values[0],))
        else:
            valid = spec.values
        values[spec.path] = (*valid, *TRICKY)
    return values


def _put(out: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        child = out.setdefault(part, {})
        if not isinstance(child, dict):
            return  # a parent already holds a tricky scalar: leave it
        out = child
    out[leaf] = value


@st.composite
def messy_dicts(draw: st.DrawFn, sector: str | None) -> dict[str, Any]:
    """A case dict mixing valid answers, near misses, wrong types and wrong fields."""
    catalog = compiled_for(sector).catalog
    values = _field_values(catalog)
    out: dict[str, Any] = {}
    paths = draw(st.lists(st.sampled_from(sorted(values)), max_size=12, unique=True))
    for path in paths:
        _put(out, path, draw(st.sampled_from(values[path])))
    if draw(st.booleans()):
        out["datum"] = draw(st.sampled_from((None, *TRICKY)))
    if sector is not None and draw(st.booleans()):
        out["sector"] = sector
    if draw(st.integers(0, 9)) == 0:
        # a wrong field, a sub-model of the wrong shape, or a sector of the wrong type
        key, value = draw(
            st.sampled_from(
                [
                    ("afweging", "ja"),
                    ("afweging", {"vermoedn": "ja"}),
                    ("onbekend_veld", "ja"),
                    ("sector", 3),
                    ("kindcheck", [("zwanger", "ja")]),
                    (1, "ja"),
                ]
            )
        )
        out[key] = value
    return out


def _pydantic(data: dict[str, Any], sector: str | None) -> tuple[dict[str, Any], dt.date | None] | None:
    """What validating with pydantic and flattening gives, or None when pydantic refuses."""
    catalog = compiled_for(sector).catalog
    try:
        case = parse_case(data, model=catalog.model)
    except CaseError:
        return None
    return catalog.flatten(case), case.datum


@pytest.mark.parametrize("sector", SECTORS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_reader_answers_only_what_pydantic_answers(sector: str | None, data: st.DataObject) -> None:
    case = data.draw(messy_dicts(sector))
    read = reader_for(compiled_for(sector).catalog).read(case)
    if read is None:
        return  # declined: pydantic decides, as for any case
    expected = _pydantic(case, sector)
    assert expected is not None, f"the reader accepted a case pydantic refuses: {case!r}"
    assert read == expected, case


@settings(max_examples=300, deadline=None)
@given(case=case_dicts())
def test_the_reader_reads_every_spelling_of_a_valid_case(case: dict[str, Any]) -> None:
    # Valid cases in every accepted spelling: the reader must not just decline them all.
    read = reader_for(compiled_for(None).catalog).read(case)
    assert read is not None, case
    assert read == _pydantic(case, None)


def _example_dicts() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else read_yaml(text, str(path))[0]
        if "gebeurtenissen" in data:
            continue  # a dossier: its facts are derived from events, not read (tests/test_dossier.py)
        # as a case system sends it: JSON types only, dates as ISO text
        found.append((path.name, json.loads(json.dumps(data, default=lambda d: d.isoformat()))))
    return found


@pytest.mark.parametrize(("name", "case"), _example_dicts())
def test_the_reader_reads_every_example(name: str, case: dict[str, Any]) -> None:
    sector = case.get("sector")
    read = reader_for(compiled_for(sector).catalog).read(case)
    assert read is not None, name
    assert read == _pydantic(case, sector)


@pytest.mark.parametrize("sector", SECTORS)
def test_every_builtin_case_model_is_read(sector: str | None) -> None:
    assert reader_for(compiled_for(sector).catalog).supported


def test_non_dict_input_is_left_to_pydantic() -> None:
    reader = reader_for(catalog_for())
    assert reader.read([("afweging", {})]) is None
    assert reader.read(parse_case({"afweging": {"vermoeden": "ja"}})) is None


# ------------------------------------------------------------- plugin models


class _Gecontroleerd(BaseModel):
    """A plugin's facts with a validator of its own: only pydantic knows what it checks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gemeld: TriState = Field(default=Tri.onbekend, json_schema_extra={"vraag": "Gemeld?"})

    @field_validator("gemeld")
    @classmethod
    def _nooit_nee(cls, value: Tri) -> Tri:
        if value == Tri.nee:
            raise ValueError("nee is hier niet toegestaan")
        return value


class _Gewoon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    gemeld: TriState = Field(default=Tri.onbekend, json_schema_extra={"vraag": "Gemeld?"})


class _MetAlias(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    gemeld: TriState = Field(default=Tri.onbekend, alias="Gemeld", json_schema_extra={"vraag": "Gemeld?"})


def _plugin_model(feiten: type[BaseModel]) -> type[BaseModel]:
    sector = Sector(name="proef", titel="Proef", versie="0", bron="test", rulesets=(ROOT / "rulesets",), feiten=feiten)
    return case_model_of(sector)


def test_a_plain_plugin_model_is_read() -> None:
    catalog = catalog_for(_plugin_model(_Gewoon))
    reader = reader_for(catalog)
    assert reader.supported
    flat, _datum = reader.read({"proef": {"gemeld": True}})  # type: ignore[misc]
    assert flat["proef__gemeld"] == "ja"


@pytest.mark.parametrize("feiten", [_Gecontroleerd, _MetAlias])
def test_a_plugin_model_the_reader_cannot_mirror_is_left_to_pydantic(feiten: type[BaseModel]) -> None:
    model = _plugin_model(feiten)
    reader = reader_for(catalog_for(model))
    assert not reader.supported
    assert reader.read({"proef": {"gemeld": "ja"}}) is None
    if feiten is _Gecontroleerd:
        # and pydantic, not the reader, applies the plugin's own check
        with pytest.raises(ValidationError):
            model.model_validate({"proef": {"gemeld": "nee"}})


# ------------------------------------------------------------- the built judgement


@pytest.mark.parametrize(("name", "case"), _example_dicts())
@pytest.mark.parametrize("engine", ENGINES)
def test_a_judgement_built_on_the_fast_path_is_a_valid_judgement(name: str, case: dict[str, Any], engine: str) -> None:
    judgement = evaluate(case, engine=engine)
    revalidated = Judgement.model_validate(judgement.model_dump())
    assert revalidated == judgement, name
    assert revalidated.model_dump_json() == judgement.model_dump_json()
    assert judgement.model_fields_set == set(Judgement.model_fields)
    with pytest.raises(ValidationError):
        judgement.melden = "nee"  # type: ignore[misc]
    # and it does not share mutable state with the next judgement of the same kind
    again = evaluate(case, engine=engine)
    assert again == judgement
    assert again.model_fields_set is not judgement.model_fields_set
    assert again.__dict__ is not judgement.__dict__
