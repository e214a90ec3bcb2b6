"""The ``meldcode-rules`` command line: a thin adapter over the library (``main``, ``commands``)."""

from meldcode_rules.messages import install_click

# Before the commands are defined: click makes some help texts when a decorator runs.
install_click()

from meldcode_rules.cli.main import main  # noqa: E402

__all__ = ["main"]
