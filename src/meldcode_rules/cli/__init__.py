"""The ``meldcode-rules`` command line: a thin adapter over the library (``main``, ``commands``)."""

from meldcode_rules.cli.main import main

__all__ = ["main"]
