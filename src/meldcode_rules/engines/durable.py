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
- Its Python action machinery (a ``Closure`` with the session state parsed
  from JSON, a state update and a JSON round trip per action) costs about
  35 us per fired rule. Our actions only need the rule's name, so the
  adapter drives the C API's action loop itself (``start_action_for_state``
  / ``complete_and_start_action``, the same calls ``Ruleset.do_actions``
  makes) and reads the name from the action message. Any result it does
  not recognise is an error, never an empty answer.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import durable_rules_engine
from durable.engine import Host

from meldcode_rules.caches import LRU
from meldcode_rules.compiler.compile import FALSE, And, CompiledRuleset, Expr, Lit, expr_keys
from meldcode_rules.diagnostics import DurableEngineError, EngineUnavailable
from meldcode_rules.engines.protocol import Fired

#: durable-rules' MAX_OBJECT_PROPERTIES, less the session id and our always-true marker.
MAX_KEYS = 62
_ALWAYS = "mr__case"
_SESSION = "mr"

_LOCK = threading.Lock()
#: Per engine: compiled rulesets whose programs are kept.
PROGRAMS = 32
#: durable-rules' result codes for an asserted fact (see ``Ruleset._handle_result``).
_MATCHED, _NOT_HANDLED = 0, 1


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
    def __init__(self, host: Host, compiled: CompiledRuleset) -> None:
        definitions: dict[str, Any] = {}
        keys: set[str] = set()
        #: durable rule name -> (our rule id, certain?)
        self.names: dict[str, tuple[str, bool]] = {}
        for index, rule in enumerate(compiled.rules):
            for mode, expr in (("z", rule.zeker), ("m", rule.mogelijk)):
                if expr == FALSE:
                    continue  # can never fire: nothing to register
                keys |= expr_keys(expr)
                name = f"r{index}{mode}"
                self.names[name] = (rule.id, mode == "z")
                # The action is never called: fire() drives the action loop itself.
                definitions[name] = {"all": [{"m": _condition(expr)}], "run": _never_called}
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
        self.handle: Any = None
        if not self.empty:
            if self.name not in host._ruleset_directory:
                host.register_rulesets({self.name: definitions})
            self.handle = host.get_ruleset(self.name)._handle


def _never_called(_closure: Any) -> None:
    raise DurableEngineError("durable-rules riep een actie aan buiten de adapter om")


class DurableEngine:
    name = "durable"

    def __init__(self) -> None:
        self._host = _QuietHost()
        # A program dropped here stays registered in the host (durable-rules cannot
        # unregister one) and is found there again by its name if it comes back.
        self._programs: LRU[int, tuple[CompiledRuleset, _Program]] = LRU(PROGRAMS)

    def _program(self, compiled: CompiledRuleset) -> _Program:
        # By id, holding the ruleset itself: its id cannot be reused while the entry lives.
        kept = self._programs.get(id(compiled))
        if kept is None or kept[0] is not compiled:
            kept = self._programs.put(id(compiled), (compiled, _Program(self._host, compiled)))
        return kept[1]

    def fire(self, compiled: CompiledRuleset, flat: dict[str, Any]) -> Fired:
        with _LOCK:
            program = self._program(compiled)
            if program.empty:
                return Fired(frozenset(), frozenset())
            fact = {key: flat[key] for key in program.keys}
            fact["sid"] = _SESSION
            fact[_ALWAYS] = 1
            names = _run(program.handle, json.dumps(fact))
        zeker: set[str] = set()
        mogelijk: set[str] = set()
        for name in names:  # a set: an `$or` fires once per matching branch
            rule_id, certain = program.names[name]
            (zeker if certain else mogelijk).add(rule_id)
        return Fired(frozenset(zeker), frozenset(mogelijk))


def _run(handle: Any, fact_json: str) -> set[str]:
    """Assert one fact in a fresh session, collect the fired rule names, delete the session."""
    names: set[str] = set()
    try:
        code, state_handle = durable_rules_engine.assert_fact(handle, fact_json)
        if code == _NOT_HANDLED:
            return names  # no rule matched: an answer, not an error
        if code != _MATCHED:
            raise DurableEngineError(f"durable-rules gaf resultaatcode {code} bij een casus")
        started = durable_rules_engine.start_action_for_state(handle, state_handle)
        message = started[1] if started else None
        while message:
            names.add(_action_name(message))
            message = durable_rules_engine.complete_and_start_action(handle, state_handle)
    finally:
        durable_rules_engine.delete_state(handle, _SESSION)
    return names


def _action_name(message: str) -> str:
    # The action message is {"<rule name>": {...}}; the name is all we need.
    if not message.startswith('{"'):
        raise DurableEngineError("onverwacht actiebericht van durable-rules")
    return message[2 : message.index('"', 2)]
