"""Stage 3 check and compile: a loaded ruleset into a :class:`CompiledRuleset` (``compile``)."""

from meldcode_rules.compiler.compile import CompiledInvariant, CompiledRule, CompiledRuleset, check_and_compile

__all__ = ["CompiledInvariant", "CompiledRule", "CompiledRuleset", "check_and_compile"]
