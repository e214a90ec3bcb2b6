"""``python -m meldcode_rules.bronnen``: print the legend as Markdown (docs/bronnen.md)."""

import sys

from meldcode_rules.bronnen.legenda import markdown

sys.stdout.write(markdown())
