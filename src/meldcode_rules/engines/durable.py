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
  expression entries, two per ``$and``/``$or`` (``MAX_SEQUENCE_EXPRESSIONS``,
  error 113); one fact may leave at most 64 alpha nodes pending
  (``MAX_STACK_SIZE`` in ``events.c``, error 303); fixed-size lists per alpha
  node (``rules.h``); and past about 100 rules in one durable ruleset the
  process aborts (double free) or segfaults. The adapter therefore splits every
  compiled ruleset: each rule's expression into its ``$or`` branches (written
  out further where one is still too large, by durable's own count), and the
  branches into several durable rulesets ("chunks"). A chunk takes branches in
  rule order while the alpha network durable would build from them (modelled
  in ``_Network``) keeps every limit, with an upper bound on what one fact can
  leave pending. A case is asserted into each chunk and the fired rules are
  united: the same answer, since a rule fires when one of its branches does.
  Only the keys a chunk tests are sent. A branch equal to one before (a rule's
  ``zeker`` and ``mogelijk`` are often equal) is registered once and answers for
  each. A branch that cannot be made small enough is refused with
  ``EngineUnavailable`` when the program is built, never sent to C.
- durable-rules knows a property of a fact only by a 32-bit hash of its name
  (FNV-1a, ``getStringAndHash`` in ``json.c``; ``getObjectProperty`` in ``state.c``
  compares hashes, never names): two keys with one hash are one property to it, and a
  rule testing one silently reads the other. Every key a program sends is checked for a
  hash of its own when the program is built (``compiler.bounds.same_property``; ``check``
  refuses such a pair as MR046); two that share one are refused with ``EngineUnavailable``,
  never sent to C.
- Deleting a session in which no action was started frees an action context
  that ``createStateNode`` never initialised (SIGABRT or SIGSEGV). Every chunk
  has a rule that always fires, so every asserted case starts an action.
- Its Python action machinery (a ``Closure`` with the session state parsed
  from JSON, a state update and a JSON round trip per action) costs about
  35 us per fired rule. Our actions only need the rule's name, so the
  adapter drives the C API's action loop itself (``start_action_for_state``
  / ``complete_and_start_action``, the same calls ``Ruleset.do_actions``
  makes) and reads the name from the action message. Any result it does
  not recognise is an error, never an empty answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from typing import Any

import durable_rules_engine
from durable.engine import Host

from meldcode_rules import limits
from meldcode_rules.caches import LRU
from meldcode_rules.compiler.bounds import (
    DURABLE_ALWAYS_KEY,
    DURABLE_MAX_ENTRIES,
    durable_branches,
    same_property,
    same_property_problem,
)
from meldcode_rules.compiler.compile import FALSE, And, CompiledRuleset, Expr, Lit, expr_keys
from meldcode_rules.diagnostics import DurableEngineError, DurableTooWide, EngineUnavailable
from meldcode_rules.engines.protocol import Fired

#: Keys of one fact: ``setObjectProperty`` and ``calculateId`` (``state.c``) refuse the
#: property that makes MAX_OBJECT_PROPERTIES (error 302), and beside our keys the fact holds
#: the session id, our always-true marker and the id durable generates: 251 (tested at the
#: edge; 253 was never reached while a chunk held at most 60 tests).
MAX_KEYS = limits.DURABLE_MAX_FACT_PROPERTIES - 4
#: Pending alpha nodes for one fact in one chunk, as ``_pending`` bounds them: below the 64
#: that give error 303, with room for anything the model of the network misses.
CHUNK_PENDING = limits.DURABLE_CHUNK_PENDING
#: Rules of one chunk, its always-firing rule included: far below the ~100 where C crashed.
CHUNK_RULES = limits.DURABLE_CHUNK_RULES
#: Per alpha node, at most half of what its fixed-size lists in C hold (``rules.h``).
_NODE_JOINS = limits.DURABLE_NEXT_LIST_LENGTH // 2
_NODE_RULES = limits.DURABLE_BETA_LIST_LENGTH // 2
_NODE_TESTS = limits.DURABLE_NEXT_BUCKET_LENGTH // 2
_ALWAYS = DURABLE_ALWAYS_KEY
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


def _distinct_properties(keys: set[str]) -> None:
    """Refuse keys that durable-rules would take for one property (see the module doc)."""
    pair = same_property(keys)
    if pair is not None:
        raise EngineUnavailable(
            f"{same_property_problem(pair)} (MR046, docs/limits.md). Geef een van beide een andere naam, "
            "of gebruik `--engine reference`."
        )


def _condition(expr: Expr) -> dict[str, Any]:
    if isinstance(expr, Lit):
        return {expr.key: expr.value} if expr.equal else {"$neq": {expr.key: expr.value}}
    if not expr.items:
        # And(()) is always true; Or(()) is filtered out before we get here.
        return {_ALWAYS: 1}
    if len(expr.items) == 1:
        return _condition(expr.items[0])
    return {"$and" if isinstance(expr, And) else "$or": [_condition(i) for i in expr.items]}


def _entries(expr: Expr) -> int:
    """durable's expression entries for ``_condition(expr)``: two per ``$and``/``$or``, none per test.

    ``rete.c`` appends OP_AND/OP_OR and OP_END per connective (``APPEND_EXPRESSION`` in
    ``createAlpha``) and an entry per test only when it compares with another fact
    (``GET_EXPRESSION`` in ``findAlpha``, JSON_IDENTIFIER/JSON_EXPRESSION); a test against
    a value has none. Error 113 at 32 (``MAX_SEQUENCE_EXPRESSIONS``); tested at the edge.
    """
    if isinstance(expr, Lit) or not expr.items:
        return 0
    if len(expr.items) == 1:
        return _entries(expr.items[0])
    return 2 + sum(_entries(i) for i in expr.items)


class _Alpha:
    """One alpha node of a chunk as durable's ``rete.c`` builds it, to bound what a fact leaves pending.

    ``tests``: the nodes under it in its hash set, one per (key, operator, value): ``findAlpha``
    reuses an equal one under the same parent, so rules share prefixes. ``joins``: its
    ``nextList``, the node that an ``$or`` ends in (``createForwardAlpha``, one new node per
    ``$or``, never shared), linked from the end of each of the ``$or``'s items. ``rules``: the
    rules whose condition ends here (its ``betaList``).
    """

    __slots__ = ("joins", "rules", "tests")

    def __init__(self) -> None:
        self.tests: dict[tuple[str, bool, str, Any], _Alpha] = {}
        self.joins: list[_Alpha] = []
        self.rules = 0


def _place(condition: dict[str, Any], parent: _Alpha, touched: list[_Alpha]) -> _Alpha:
    """Add ``condition`` (a ``_condition`` dict) under ``parent`` as ``createAlpha`` does; its end node."""
    touched.append(parent)
    ((name, value),) = condition.items()
    if name == "$and":  # a chain: each item under the end of the one before
        node = parent
        for item in value:
            node = _place(item, node, touched)
        return node
    if name == "$or":  # each item under the parent, each item's end linked to one new join
        join = _Alpha()
        for item in value:
            _place(item, parent, touched).joins.append(join)
        touched.append(join)
        return join
    equal = name != "$neq"
    if not equal:
        ((name, value),) = value.items()
    key = (name, equal, type(value).__name__, value)
    test = parent.tests.get(key)
    if test is None:
        test = parent.tests[key] = _Alpha()
    touched.append(test)
    return test


def _pushes(node: _Alpha) -> int:
    """The most nodes ``handleAlpha`` pushes when it pops ``node``, for any one fact.

    Every join is pushed (its property never exists: OP_NEX); of the tests, those on a key the
    fact has whose value matches. A fact has one value per key: per key, the most tests one
    value (one named in a test, or any other) satisfies.
    """
    by_key: dict[str, list[tuple[bool, Any]]] = {}
    for name, equal, _type, value in node.tests:
        by_key.setdefault(name, []).append((equal, value))
    most = len(node.joins)
    other = object()
    for tests in by_key.values():
        # Loose `==` for an equal test and strict for a `$neq` count more matches, never fewer.
        most += max(
            sum(1 for equal, v in tests if (v == x if equal else not (v == x and type(v) is type(x))))
            for x in [*(v for _equal, v in tests), other]
        )
    return most


def _pending(node: _Alpha, memo: dict[int, int]) -> int:
    """An upper bound on the stack of ``handleAlpha`` (``events.c``) while it walks below ``node``.

    It pops a node and pushes what it matches; the last pushed is walked first while the
    others wait. So the stack below ``node`` is at most its pushes ``m``, or ``m - 1`` waiting
    plus the most any one node under it needs (whichever is walked). ``memo`` holds the
    figure per node (by id) and is cleared for every node a new rule touched.
    """
    known = memo.get(id(node))
    if known is None:
        pushes = _pushes(node)
        deepest = max((_pending(n, memo) for n in (*node.tests.values(), *node.joins)), default=0)
        known = memo[id(node)] = 0 if pushes == 0 else max(pushes, pushes - 1 + deepest)
    return known


class _Network:
    """The alpha network of one chunk under construction: what durable would build from its rules."""

    def __init__(self) -> None:
        self.root = _Alpha()  # NODE_M_OFFSET: the fact `m` every rule tests
        self.memo: dict[int, int] = {}
        self.rules = 0
        self.add({_ALWAYS: 1})  # the always-firing rule of every chunk (see _Chunk)

    def add(self, condition: dict[str, Any]) -> bool:
        """Add one rule; whether the chunk still keeps every C limit (if not, discard the network)."""
        touched: list[_Alpha] = []
        _place(condition, self.root, touched).rules += 1
        self.rules += 1
        for node in touched:
            self.memo.pop(id(node), None)
        within = all(
            len(n.joins) <= _NODE_JOINS and n.rules <= _NODE_RULES and len(n.tests) <= _NODE_TESTS for n in touched
        )
        return within and self.rules <= CHUNK_RULES and _pending(self.root, self.memo) <= CHUNK_PENDING


def _alone(expr: Expr) -> bool:
    """Whether ``expr`` is one durable rule: within error 113 and, alone in a chunk, within the stack."""
    return _entries(expr) <= DURABLE_MAX_ENTRIES and _Network().add(_condition(expr))


def _branches(expr: Expr) -> list[Expr]:
    """``expr`` as an `or` of branches, each one durable rule (``_alone``): as few as the C limits allow.

    The writing out of ``compiler.bounds.durable_branches`` (which ``check`` uses to refuse a
    rule, MR039, counting every test as an entry), stopping as soon as a part fits by
    durable's own count. Every part that function keeps whole has at most 30 tests and joins, so
    also fits here (at most 30 pending): this stops no later and gives no more branches.
    """
    return durable_branches(expr, fits=_alone)


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
        #: durable rule name -> every (our rule id, certain?) it answers for
        self.names: dict[str, tuple[tuple[str, bool], ...]] = {}
        units: list[tuple[str, Expr]] = []
        # A branch equal to one registered before (a rule's `zeker` and `mogelijk` are often
        # the same expression) is that rule again: durable fires it exactly when it holds.
        registered: dict[Expr, str] = {}
        for index, rule in enumerate(compiled.rules):
            for mode, expr in (("z", rule.zeker), ("m", rule.mogelijk)):
                if expr == FALSE:
                    continue  # can never fire: nothing to register
                try:
                    # durable_branches refuses what `check` refuses (MR039), the same rules as
                    # before; _branches writes out no more than durable's own limits require.
                    durable_branches(expr)
                    branches = _branches(expr)
                except DurableTooWide:
                    raise EngineUnavailable(
                        f"de regel `{rule.id}` ({rule.location}) is te groot voor durable-rules: een `alle` "
                        f"test na uitschrijven meer dan {DURABLE_MAX_ENTRIES} feitwaarden tegelijk, of de regel wordt "
                        f"meer dan {limits.DURABLE_MAX_BRANCHES} takken (docs/limits.md). Gebruik `--engine reference`."
                    ) from None
                for number, branch in enumerate(branches):
                    target = (rule.id, mode == "z")
                    name = registered.get(branch)
                    if name is None:
                        name = registered[branch] = f"r{index}{mode}{number}"
                        units.append((name, branch))
                    if target not in self.names.get(name, ()):
                        self.names[name] = (*self.names.get(name, ()), target)
        # A registered chunk records the rule ids of the ruleset that registered it: two
        # rulesets with the same conditions but other rule ids must not share one.
        # Before anything reaches C: a key that shares its hash with another would be read for it.
        _distinct_properties(set().union(*(expr_keys(branch) for _, branch in units)))
        ids = hashlib.sha256(json.dumps([r.id for r in compiled.rules]).encode()).hexdigest()[:8]
        self.chunks: list[_Chunk] = []
        definitions: dict[str, Any] = {}
        keys: set[str] = set()
        network = _Network()
        for name, branch in units:
            condition, branch_keys = _condition(branch), expr_keys(branch)
            # Greedy in rule order: a branch goes into the current chunk while the network
            # durable would build from it keeps every limit, else it starts the next chunk.
            if definitions and (len(keys | branch_keys) > MAX_KEYS or not network.add(condition)):
                self.chunks.append(_Chunk(host, f"mr_{compiled.id}_{ids}_{len(self.chunks)}", definitions, keys))
                definitions, keys, network = {}, set(), _Network()
                network.add(condition)  # fits alone (_branches checked it)
            elif not definitions:
                network.add(condition)
            # The action is never called: fire() drives the action loop itself.
            definitions[name] = {"all": [{"m": condition}], "run": _never_called}
            keys |= branch_keys
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
            for rule_id, certain in program.names[name]:
                (zeker if certain else mogelijk).add(rule_id)
        return Fired(frozenset(zeker), frozenset(mogelijk))


def _run(handle: Any, fact_json: str) -> set[str]:
    """Assert one fact in a fresh session, collect the fired rule names, delete the session."""
    try:
        names = _fired(handle, fact_json)
    except BaseException:
        # The session may not exist (the assert failed before making it): deleting it then
        # fails too (309), and the first error is the one that says what happened.
        with contextlib.suppress(durable_rules_engine.error):
            durable_rules_engine.delete_state(handle, _SESSION)
        raise
    try:
        durable_rules_engine.delete_state(handle, _SESSION)
    except durable_rules_engine.error as error:
        raise DurableEngineError(f"durable-rules kon de sessie van een casus niet opruimen ({error})") from None
    return names


def _fired(handle: Any, fact_json: str) -> set[str]:
    """The rule names one asserted fact fires (the session is left to :func:`_run`)."""
    names: set[str] = set()
    try:
        code, state_handle = durable_rules_engine.assert_fact(handle, fact_json)
    except durable_rules_engine.error as error:  # a limit of its C code (303, 302): an error
        refusal = f"durable-rules weigerde de casus ({error}); gebruik `--engine reference`"
        raise DurableEngineError(refusal) from None
    if code == _NOT_HANDLED:
        return names  # no rule matched: an answer, not an error
    if code != _MATCHED:
        raise DurableEngineError(f"durable-rules gaf resultaatcode {code} bij een casus")
    started = durable_rules_engine.start_action_for_state(handle, state_handle)
    message = started[1] if started else None
    while message:
        # The action message is {"<rule name>": {...}}; the name is all we need (read
        # here, not in a function: a fact can fire dozens of actions).
        if not message.startswith('{"'):
            raise DurableEngineError("onverwacht actiebericht van durable-rules")
        names.add(message[2 : message.index('"', 2)])
        message = durable_rules_engine.complete_and_start_action(handle, state_handle)
    return names
