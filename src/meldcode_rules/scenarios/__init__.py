"""Scenario files written by trainers (``scenarios``) and training mode (``oefen``)."""

from meldcode_rules.scenarios.scenarios import (
    LoadedScenario,
    ScenarioError,
    ScenarioFile,
    ScenarioResult,
    available_engines,
    coverage,
    load_scenarios,
    run_scenarios,
)

__all__ = [
    "LoadedScenario",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioResult",
    "available_engines",
    "coverage",
    "load_scenarios",
    "run_scenarios",
]
