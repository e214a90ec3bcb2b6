"""Stage 3, check and compile: loaded rulesets -> one :class:`CompiledRuleset`.

The compiler is a list of named stages (:data:`~meldcode_rules.compiler.stages.STAGES`)
in :mod:`.stages`; the three-valued compilation of a condition into ``zeker`` and
``mogelijk`` is :mod:`.kleene`; the expressions engines run are :mod:`.expr`; the
compiled form is :mod:`.compiled`. This module gathers their public names under the
one path the engines, ``judge`` and ``check`` import from.
"""

from meldcode_rules.compiler.compiled import CompiledInvariant, CompiledRule, CompiledRuleset, RulesetInfo
from meldcode_rules.compiler.expr import FALSE, TRUE, And, Expr, Lit, Or, all_of, any_of, evaluate_expr, expr_keys
from meldcode_rules.compiler.kleene import compile_condition, compile_test
from meldcode_rules.compiler.stages import (
    BASISMODEL,
    STAGES,
    Context,
    SectorRulesets,
    check_and_compile,
    expand,
    run_stages,
)
from meldcode_rules.load.ruleset import begrip_refs, condition_facts

__all__ = [
    "BASISMODEL",
    "FALSE",
    "STAGES",
    "TRUE",
    "And",
    "CompiledInvariant",
    "CompiledRule",
    "CompiledRuleset",
    "Context",
    "Expr",
    "Lit",
    "Or",
    "RulesetInfo",
    "SectorRulesets",
    "all_of",
    "any_of",
    "begrip_refs",
    "check_and_compile",
    "compile_condition",
    "compile_test",
    "condition_facts",
    "evaluate_expr",
    "expand",
    "expr_keys",
    "run_stages",
]
