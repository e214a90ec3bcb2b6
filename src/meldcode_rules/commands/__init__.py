"""CLI commands, one module each; registered at the end of :mod:`meldcode_rules.cli`."""
