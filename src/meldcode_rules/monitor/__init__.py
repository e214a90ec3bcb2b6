"""The monitor: many dossiers judged as of one date, counted per sector, organisation and month.

``meldcode-rules monitor`` (docs/monitor.md). Every figure comes from the judgements of the
same rulesets and engines as a single ``evaluate``; see :mod:`meldcode_rules.monitor.judge`
for which action makes a dossier count where.
"""

from meldcode_rules.diagnostics import InvoerFout
from meldcode_rules.monitor.aggregate import Aggregaat, Weigering, Werkpunt
from meldcode_rules.monitor.judge import KENMERKEN, Kenmerk, Uitkomst, beoordeel
from meldcode_rules.monitor.read import plan, records
from meldcode_rules.monitor.run import DaskFout, Opties, beoordeel_deel, monitor

__all__ = [
    "KENMERKEN",
    "Aggregaat",
    "DaskFout",
    "InvoerFout",
    "Kenmerk",
    "Opties",
    "Uitkomst",
    "Weigering",
    "Werkpunt",
    "beoordeel",
    "beoordeel_deel",
    "monitor",
    "plan",
    "records",
]
