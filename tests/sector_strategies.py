"""Hypothesis strategies: case files generated from a fact catalog (every fact, every value)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from meldcode_rules.case.facts import FactCatalog
from strategies import set_path


def _value(spec: Any) -> st.SearchStrategy[Any]:
    if spec.kind == "tri":
        return st.sampled_from(["ja", "nee", "onbekend"])
    if spec.kind == "keuze":
        return st.sampled_from([None, *spec.values])
    return st.lists(st.sampled_from(spec.values), unique=True, max_size=3)


def cases(catalog: FactCatalog, **fixed: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Case files (nested dicts) over every fact of ``catalog``; ``fixed`` pins dotted facts."""
    # Facts about time (`tijd.`) are derived from a dossier's events, never written in a case file.
    derived = {spec.path for spec in catalog.derived}
    specs = [spec for spec in catalog if spec.path not in derived]

    def build(values: list[Any]) -> dict[str, Any]:
        case: dict[str, Any] = {}
        for spec, value in zip(specs, values, strict=True):
            value = fixed.get(spec.path, value)
            if value is not None:
                set_path(case, spec.path, value)
        return case

    return st.tuples(*(_value(s) for s in specs)).map(lambda values: build(list(values)))


def as_case_file(case: dict[str, Any]) -> str:
    """The case in case-file YAML, ready to paste into a scenario's `gegeven:`."""
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.dump(case, out)
    return out.getvalue()
