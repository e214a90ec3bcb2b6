"""Stage 3 check and compile: loaded rulesets into a :class:`CompiledRuleset`.

``stages`` (the compiler as a list of named stages), ``kleene`` (a condition into
``zeker``/``mogelijk``), ``expr`` (what engines run), ``compiled`` (the result);
``compile`` gathers their public names.
"""

from meldcode_rules.compiler.compile import CompiledInvariant, CompiledRule, CompiledRuleset, check_and_compile

__all__ = ["CompiledInvariant", "CompiledRule", "CompiledRuleset", "check_and_compile"]
