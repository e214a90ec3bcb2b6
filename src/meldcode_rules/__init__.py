"""meldcode-rules: de Meldcode huiselijk geweld en kindermishandeling als controleerbare regels.

Public API::

    from meldcode_rules import evaluate
    oordeel = evaluate({"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}})
    oordeel.melden  # "ja"
"""

from meldcode_rules._version import __version__
from meldcode_rules.api import parse_case, read_case_file
from meldcode_rules.case.model import Case, Tri
from meldcode_rules.diagnostics import (
    CaseError,
    Code,
    Diagnostic,
    DurableEngineError,
    EngineUnavailable,
    Location,
    MeldcodeError,
    RulesetError,
    ScenarioError,
    SectorError,
    UnknownSector,
)
from meldcode_rules.dossier import evaluate  # a case, or a dossier judged as of a date (op=)
from meldcode_rules.judge.judgement import Judgement

__all__ = [
    "Case",
    "CaseError",
    "Code",
    "Diagnostic",
    "DurableEngineError",
    "EngineUnavailable",
    "Judgement",
    "Location",
    "MeldcodeError",
    "RulesetError",
    "ScenarioError",
    "SectorError",
    "Tri",
    "UnknownSector",
    "__version__",
    "evaluate",
    "parse_case",
    "read_case_file",
]
