"""CLI commands, one module each; registered in :mod:`meldcode_rules.cli.main`."""
