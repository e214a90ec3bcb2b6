"""How every command ends on an expected failure: one Dutch screen on stderr, exit code 2.

Exit codes across the CLI: 0 ok, 1 a finding or a failed test, 2 a usage or input error.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape

from meldcode_rules.diagnostics import MeldcodeError, RulesetError

EXIT_INPUT = 2


def fail(message: str) -> None:
    """Print a one-screen error to stderr and exit with the input-error code."""
    # Everything after the label is printed as is: a key, a path or a sector may hold `[/]`.
    Console(stderr=True, highlight=False).print(f"[bold red]fout:[/] {escape(message)}", markup=True, soft_wrap=True)
    sys.exit(EXIT_INPUT)


def report_error(error: MeldcodeError) -> None:
    if isinstance(error, RulesetError):
        fail(error.render())
    fail(str(error))
