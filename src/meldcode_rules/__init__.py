"""meldcode-rules: de Meldcode huiselijk geweld en kindermishandeling als controleerbare regels.

Public API::

    from meldcode_rules import evaluate
    oordeel = evaluate({"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}})
    oordeel.melden  # "ja"
"""

from meldcode_rules.api import evaluate, parse_case, read_case_file
from meldcode_rules.case.model import Case, Tri
from meldcode_rules.diagnostics import CaseError, Diagnostic, MeldcodeError, RulesetError
from meldcode_rules.judge.judgement import Judgement

__version__ = "0.1.0"

__all__ = [
    "Case",
    "CaseError",
    "Diagnostic",
    "Judgement",
    "MeldcodeError",
    "RulesetError",
    "Tri",
    "__version__",
    "evaluate",
    "parse_case",
    "read_case_file",
]
