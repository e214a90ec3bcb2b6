"""Stage 2 load: YAML with positions (``loader``) into the ruleset format model (``ruleset``)."""
