"""Extend, never weaken: properties over generated cases, for every installed sector.

1. A sector's ``melden`` is never lower than the basismodel's on the same case.
2. Acute or structural unsafety with a suspicion gives ``melden: ja``, also when
   another professional already reported (seed 000).

A failing example is printed as a case file, ready to paste into a scenario.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from meldcode_rules import evaluate
from meldcode_rules.engines import durable_available
from meldcode_rules.judge.combine import melden_rank
from meldcode_rules.sectors.registry import compiled_for, installed_sectors
from sector_strategies import as_case_file, cases

SECTORS = [s.name for s in installed_sectors()]
ENGINES = ["reference", *(["durable"] if durable_available() else [])]
# The durable engine is slower per case; the reference engine carries most of the examples.
EXAMPLES = {"reference": 80, "durable": 25}


def _settings(engine: str) -> settings:
    return settings(max_examples=EXAMPLES[engine], deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_never_lower(sector: str, case: dict, engine: str) -> None:
    basis = evaluate(case, sector=None, engine=engine, ruleset=compiled_for(None))
    own = evaluate({**case, "sector": sector}, engine=engine)
    assert melden_rank(own.melden) >= melden_rank(basis.melden), (
        f"sector `{sector}` geeft melden `{own.melden}`, het basismodel `{basis.melden}`"
    )


def check_meldnorm_1(sector: str, case: dict, engine: str) -> None:
    own = evaluate({**case, "sector": sector}, engine=engine)
    assert own.melden == "ja", f"sector `{sector}`: acute of structurele onveiligheid gaf melden `{own.melden}`"
    assert "melden_veilig_thuis" in [a.code for a in own.acties]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sector", SECTORS)
def test_sector_melden_never_lower_than_basismodel(sector: str, engine: str) -> None:
    # Sector facts the basismodel's case model does not know are left out of the basismodel's case.
    catalog = compiled_for(None).catalog

    @_settings(engine)
    @given(case=cases(catalog))
    def run(case: dict) -> None:
        note("casus:\n" + as_case_file(case))
        check_never_lower(sector, case, engine)

    run()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sector", SECTORS)
def test_acute_or_structural_unsafety_always_reports(sector: str, engine: str) -> None:
    catalog = compiled_for(sector).catalog

    @_settings(engine)
    @given(
        case=st.sampled_from(["acute_onveiligheid", "structurele_onveiligheid"]).flatmap(
            lambda which: cases(
                catalog,
                **{"afweging.vermoeden": "ja", f"afweging.{which}": "ja", "eerder_gemeld_door_ander": "ja"},
            )
        )
    )
    def run(case: dict) -> None:
        note("casus:\n" + as_case_file(case))
        check_meldnorm_1(sector, case, engine)

    run()


def test_the_property_can_fail() -> None:
    """The check is not vacuous: a case where the basismodel says ja and 'the sector' says nee fails."""
    case = {"afweging": {"vermoeden": "nee", "acute_onveiligheid": "nee", "structurele_onveiligheid": "nee"}}
    assert evaluate(case, engine="reference").melden == "nee"
    with pytest.raises(AssertionError):
        check_meldnorm_1("onderwijs", case, "reference")
