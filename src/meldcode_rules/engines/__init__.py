"""Stage 4, evaluate: which rules fire for one case.

Two engines share one meaning. Both receive the same compiled ruleset (the
``zeker``/``mogelijk`` expressions of :mod:`meldcode_rules.compiler.compile`) and the
same flat case, and answer only *which rules fire*; the judgement is built
from that in one place (:mod:`meldcode_rules.judge.combine`).

- ``durable``: durable-rules' Rete engine (the default where it imports);
- ``reference``: a small pure-Python evaluator, also the fallback on Python
  3.13+ where durable-rules does not install.
"""

from __future__ import annotations

import sys

from meldcode_rules.diagnostics import EngineUnavailable
from meldcode_rules.engines.protocol import Engine, Fired
from meldcode_rules.engines.reference import ReferenceEngine

ENGINES = ("durable", "reference")
__all__ = ["ENGINES", "Engine", "EngineUnavailable", "Fired", "default_engine", "durable_available", "get_engine"]


def durable_available() -> bool:
    try:
        import durable.engine  # noqa: F401  (lazy: an optional C extension that does not build on 3.13)
    except ImportError:
        return False
    return True


def default_engine() -> str:
    return "durable" if durable_available() else "reference"


_instances: dict[str, Engine] = {}


def get_engine(name: str | None = None) -> Engine:
    name = name or default_engine()
    if name not in ENGINES:
        raise EngineUnavailable(f"onbekende engine `{name}`; kies uit: {', '.join(ENGINES)}")
    if name not in _instances:
        if name == "durable":
            if not durable_available():
                raise EngineUnavailable(
                    "de engine `durable` is niet beschikbaar: durable-rules is niet geïnstalleerd "
                    f"of werkt niet op Python {sys.version_info.major}.{sys.version_info.minor} "
                    "(het werkt tot en met 3.12). Gebruik `--engine reference`; die geeft "
                    "dezelfde oordelen."
                )
            # lazy: durable.py imports durable-rules, an optional C extension (absent on 3.13+)
            from meldcode_rules.engines.durable import DurableEngine

            _instances[name] = DurableEngine()
        else:
            _instances[name] = ReferenceEngine()
    return _instances[name]
