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
- Its C source has fixed limits that a large ruleset reaches (read in
  ``src/rules/*.c``; docs/limits.md): a fact holds at most 255 properties
  (``MAX_OBJECT_PROPERTIES``, error 302); one rule's condition fewer than 32
  expression entries (``MAX_SEQUENCE_EXPRESSIONS``, error 113); one fact may
  leave at most 64 alpha nodes pending (``MAX_STACK_SIZE`` in ``events.c``,
  error 303); and past about 100 rules in one durable ruleset the process
  aborts (double free) or segfaults. The adapter therefore splits every
  compiled ruleset: each rule's expression into its ``$or`` branches (written
  out further where one is still too large), and the branches into several
  durable rulesets ("chunks") of bounded size. A case is asserted into each
  chunk and the fired rules are united: the same answer, since a rule fires
  when one of its branches does. Only the keys a chunk tests are sent. A
  branch that cannot be made small enough is refused with
  ``EngineUnavailable`` when the program is built, never sent to C.
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

from meldcode_rules import limits
from meldcode_rules.caches import LRU
from meldcode_rules.compiler.bounds import DURABLE_MAX_ENTRIES, durable_branches
from meldcode_rules.compiler.compile import FALSE, And, CompiledRuleset, Expr, Lit, expr_keys
from meldcode_rules.diagnostics import DurableEngineError, DurableTooWide, EngineUnavailable
from meldcode_rules.engines.protocol import Fired

#: durable-rules' MAX_OBJECT_PROPERTIES, less the session id and our always-true marker.
MAX_KEYS = limits.DURABLE_MAX_FACT_PROPERTIES - 2
#: Alpha nodes of one chunk: fewer than the 64 that may be pending for one fact (error
#: 303), with room, and far below the ~100 rules where the C engine crashes.
CHUNK_TESTS = limits.DURABLE_CHUNK_TESTS
_ALWAYS = "mr__case"
_SESSION = "mr"
_ALWAYS_RULE = "mr_always"

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


def _tests(expr: Expr) -> int:
    """Alpha nodes ``expr`` may add to a durable ruleset: one per test and per connective."""
    return 1 if isinstance(expr, Lit) else 1 + sum(_tests(i) for i in expr.items)


class _Chunk:
    """One durable ruleset: a bounded part of the compiled ruleset's branches."""

    def __init__(self, host: Host, prefix: str, definitions: dict[str, Any], keys: set[str]) -> None:
        self.keys = tuple(sorted(keys))
        identity = json.dumps({k: v["all"] for k, v in definitions.items()}, sort_keys=True)
        self.name = f"{prefix}_{hashlib.sha256(identity.encode()).hexdigest()[:16]}"
        if self.name not in host._ruleset_directory:
            # Every chunk has a rule that always fires: a case that matched nothing in a
            # chunk whose session was never made, then deleted, frees an invalid pointer
            # (seen: SIGABRT). With it every assert makes the session delete_state removes.
            always = {_ALWAYS_RULE: {"all": [{"m": {_ALWAYS: 1}}], "run": _never_called}}
            host.register_rulesets({self.name: {**definitions, **always}})
        self.handle: Any = host.get_ruleset(self.name)._handle


class _Program:
    def __init__(self, host: Host, compiled: CompiledRuleset) -> None:
        #: durable rule name -> (our rule id, certain?)
        self.names: dict[str, tuple[str, bool]] = {}
        units: list[tuple[str, Expr]] = []
        for index, rule in enumerate(compiled.rules):
            for mode, expr in (("z", rule.zeker), ("m", rule.mogelijk)):
                if expr == FALSE:
                    continue  # can never fire: nothing to register
                try:
                    branches = durable_branches(expr)
                except DurableTooWide:
                    raise EngineUnavailable(
                        f"de regel `{rule.id}` ({rule.location}) is te groot voor durable-rules: een `alle` "
                        f"test na uitschrijven meer dan {DURABLE_MAX_ENTRIES} feitwaarden tegelijk, of de regel wordt "
                        f"meer dan {limits.DURABLE_MAX_BRANCHES} takken (docs/limits.md). Gebruik `--engine reference`."
                    ) from None
                for number, branch in enumerate(branches):
                    name = f"r{index}{mode}{number}"
                    self.names[name] = (rule.id, mode == "z")
                    units.append((name, branch))
        # A registered chunk records the rule ids of the ruleset that registered it: two
        # rulesets with the same conditions but other rule ids must not share one.
        ids = hashlib.sha256(json.dumps([r.id for r in compiled.rules]).encode()).hexdigest()[:8]
        self.chunks: list[_Chunk] = []
        definitions: dict[str, Any] = {}
        keys: set[str] = set()
        tests = 0
        for name, branch in units:
            cost, branch_keys = _tests(branch), expr_keys(branch)
            if definitions and (tests + cost > CHUNK_TESTS or len(keys | branch_keys) > MAX_KEYS):
                self.chunks.append(_Chunk(host, f"mr_{compiled.id}_{ids}_{len(self.chunks)}", definitions, keys))
                definitions, keys, tests = {}, set(), 0
            # The action is never called: fire() drives the action loop itself.
            definitions[name] = {"all": [{"m": _condition(branch)}], "run": _never_called}
            keys |= branch_keys
            tests += cost
        if definitions:
            self.chunks.append(_Chunk(host, f"mr_{compiled.id}_{ids}_{len(self.chunks)}", definitions, keys))


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
        names: set[str] = set()
        with _LOCK:
            program = self._program(compiled)
            for chunk in program.chunks:
                fact = {key: flat[key] for key in chunk.keys}
                fact["sid"] = _SESSION
                fact[_ALWAYS] = 1
                names |= _run(chunk.handle, json.dumps(fact))
        zeker: set[str] = set()
        mogelijk: set[str] = set()
        names.discard(_ALWAYS_RULE)
        for name in names:  # a set: an `$or` fires once per matching branch
            rule_id, certain = program.names[name]
            (zeker if certain else mogelijk).add(rule_id)
        return Fired(frozenset(zeker), frozenset(mogelijk))


def _run(handle: Any, fact_json: str) -> set[str]:
    """Assert one fact in a fresh session, collect the fired rule names, delete the session."""
    names: set[str] = set()
    try:
        try:
            code, state_handle = durable_rules_engine.assert_fact(handle, fact_json)
        except durable_rules_engine.error as error:  # a limit of its C code (303, 302): an error
            message = f"durable-rules weigerde de casus ({error}); gebruik `--engine reference`"
            raise DurableEngineError(message) from None
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
