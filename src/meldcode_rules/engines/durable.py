"""The durable-rules engine: the compiled expressions as a Rete network.

durable-rules is a C extension, unmaintained since 2020. What this module
does about what was seen of it on this project's machines (each has a test
in tests/test_durable_engine.py):

- ``Host()`` starts timer threads that call into the C engine every 0.2 s
  outside any lock of ours. We use a host without them: our actions run
  synchronously inside ``assert_fact``, so those threads have nothing to do
  but race with us.
- Several threads on one host segfault the process, and a host per thread
  silently returns a wrong (empty) result now and then. Every call into
  durable-rules therefore goes through one process-wide lock.
- A case that matches no rule raises ``MessageNotHandledException``: that is
  an answer (no rule fires), not an error.
- An ``$or`` fires its action once per matching branch: fired rules are
  collected in a set.
- Every session keeps state in C until deleted, and the 1025th live session
  fails: each case runs in one session that is deleted afterwards, also when
  the evaluation fails.
- A fact can hold at most 64 properties (``MAX_OBJECT_PROPERTIES`` in its
  ``state.h``; error 303 beyond). Only the keys a ruleset tests are sent,
  and a ruleset that tests more is refused with a clear message.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from durable.engine import Host, MessageNotHandledException

from meldcode_rules.combine import Fired
from meldcode_rules.compiler import FALSE, And, CompiledRuleset, Expr, Lit, expr_keys
from meldcode_rules.engines import EngineUnavailable

#: durable-rules' MAX_OBJECT_PROPERTIES, less the session id and our always-true marker.
MAX_KEYS = 62
_ALWAYS = "mr__case"
_SESSION = "mr"

_LOCK = threading.Lock()


class _QuietHost(Host):
    """A host without the background dispatch threads (see the module doc)."""

    def _run(self) -> None:
        return None


def _condition(expr: Expr) -> dict[str, Any]:
    if isinstance(expr, Lit):
        return {expr.key: expr.value} if expr.equal else {"$neq": {expr.key: expr.value}}
    if not expr.items:
        # And(()) is always true; Or(()) is filtered out before we get here.
        return {_ALWAYS: 1}
    if len(expr.items) == 1:
        return _condition(expr.items[0])
    return {"$and" if isinstance(expr, And) else "$or": [_condition(i) for i in expr.items]}


class _Program:
    def __init__(self, host: Host, compiled: CompiledRuleset, collector: set[str]) -> None:
        definitions: dict[str, Any] = {}
        keys: set[str] = set()
        for index, rule in enumerate(compiled.rules):
            for mode, expr in (("z", rule.zeker), ("m", rule.mogelijk)):
                if expr == FALSE:
                    continue  # can never fire: nothing to register
                keys |= expr_keys(expr)
                definitions[f"r{index}{mode}"] = {
                    "all": [{"m": _condition(expr)}],
                    "run": _recorder(collector, f"{mode}:{rule.id}"),
                }
        if len(keys) > MAX_KEYS:
            raise EngineUnavailable(
                f"de ruleset `{compiled.id}` test {len(keys)} verschillende feitwaarden; "
                f"durable-rules kan er per casus hoogstens {MAX_KEYS} aan (MAX_OBJECT_PROPERTIES). "
                "Gebruik `--engine reference`."
            )
        self.keys = tuple(sorted(keys))
        # A registered program records the rule ids of the ruleset that registered it: two
        # rulesets with the same conditions but other rule ids must not share one program.
        identity = [{k: v["all"] for k, v in definitions.items()}, [r.id for r in compiled.rules]]
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
        self.name = f"mr_{compiled.id}_{digest[:16]}"
        self.empty = not definitions
        if not self.empty and self.name not in host._ruleset_directory:
            host.register_rulesets({self.name: definitions})


def _recorder(collector: set[str], tag: str) -> Any:
    def record(_closure: Any) -> None:
        collector.add(tag)

    return record


class DurableEngine:
    name = "durable"

    def __init__(self) -> None:
        self._host = _QuietHost()
        self._collector: set[str] = set()
        self._programs: dict[int, tuple[CompiledRuleset, _Program]] = {}

    def _program(self, compiled: CompiledRuleset) -> _Program:
        cached = self._programs.get(id(compiled))
        if cached is None or cached[0] is not compiled:
            cached = self._programs[id(compiled)] = (
                compiled,
                _Program(self._host, compiled, self._collector),
            )
        return cached[1]

    def fire(self, compiled: CompiledRuleset, flat: dict[str, Any]) -> Fired:
        with _LOCK:
            program = self._program(compiled)
            if program.empty:
                return Fired(frozenset(), frozenset())
            fact = {key: flat[key] for key in program.keys}
            fact["sid"] = _SESSION
            fact[_ALWAYS] = 1
            self._collector.clear()
            try:
                self._host.assert_fact(program.name, fact)
            except MessageNotHandledException:
                pass  # no rule matched: an answer, not an error
            finally:
                self._host.delete_state(program.name, _SESSION)
            tags = set(self._collector)
            self._collector.clear()
        zeker = frozenset(t[2:] for t in tags if t.startswith("z:"))
        mogelijk = frozenset(t[2:] for t in tags if t.startswith("m:"))
        return Fired(zeker, mogelijk)
