"""Stage 6 explain and render: a judgement in plain Dutch (``explain``), the terminal summary
(``render_text``) and pictures of a ruleset (``render``)."""

from meldcode_rules.explain.explain import explain, uitleg

__all__ = ["explain", "uitleg"]
