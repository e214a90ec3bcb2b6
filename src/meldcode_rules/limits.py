"""Every limit on input, in one place (documented in docs/limits.md).

Hostile input is normal input: a case system may paste anything into a field,
and a ruleset may come from anyone. Each limit below is far above what a real
case or ruleset reaches, and each is checked *before* the expensive step it
protects (parsing, pydantic validation, compiling, durable-rules), so that one
input costs bounded time and memory and ends in a judgement or a clear error.
``docs/limits.md`` lists each with the error a user sees; ``tests/test_limits.py``
checks that the page and this module agree.
"""

from __future__ import annotations

import datetime as dt

# ---------------------------------------------------------------- case input (API, files, stdin, batch)

#: Bytes of one case file, one stdin case or one ``batch`` line.
MAX_CASE_BYTES = 1_000_000
#: Nesting of objects and lists in one case (a real case nests 2 deep).
MAX_CASE_DEPTH = 16
#: Items in one list of a case (``vormen`` has a dozen values).
MAX_LIST_ITEMS = 100
#: Keys in one object of a case.
MAX_OBJECT_KEYS = 200
#: Characters in one text of a case (field names and answers are short words).
MAX_TEXT_CHARS = 1_000
#: Digits in one number (Python refuses more than 4,300 when converting).
MAX_NUMBER_DIGITS = 100
#: Values (objects, lists, scalars) in one case.
MAX_CASE_NODES = 10_000
#: Problems listed in one error; the rest are counted ("en nog N").
MAX_PROBLEMS = 20
#: The range of ``datum``: every deadline of every termijn stays a real date.
MIN_DATUM = dt.date(1900, 1, 1)
MAX_DATUM = dt.date(2999, 12, 31)

# ---------------------------------------------------------------- YAML (rulesets, scenario and case files)

#: Bytes of one ruleset or scenario file (the basismodel has 33 KB; pure-Python YAML reads about 50 KB a second).
MAX_YAML_BYTES = 256_000
#: Aliases (``*naam``) in one YAML document; the shipped files use none.
MAX_YAML_ALIASES = 100
#: Nodes of one YAML document after aliases are written out (an alias bomb stops here).
MAX_YAML_NODES = 500_000
#: Nesting of one YAML document.
MAX_YAML_DEPTH = 64

# ---------------------------------------------------------------- rulesets

#: Rules in one compiled ruleset (basismodel plus its extensions; the largest has 41).
MAX_RULES = 1_000
#: Begrippen in one compiled ruleset (a chain of begrippen is walked once per level).
MAX_BEGRIPPEN = 200
#: Fact tests in one condition with every ``begrip`` written out (a begrip chain that
#: doubles per level stops here, with the name of the begrip).
MAX_EXPANDED_TESTS = 2_000
#: ``termijn``: at most this many of its unit (999 weken is 19 years).
MAX_TERMIJN = 999

# ---------------------------------------------------------------- batch

#: Exit code of ``batch`` when the program itself failed on a line (not the line's fault).
BATCH_EXIT_FAILED = 3

# ---------------------------------------------------------------- durable-rules (read in its C source)

#: ``MAX_OBJECT_PROPERTIES`` in durable's ``state.h``: properties of one fact (error 302).
DURABLE_MAX_FACT_PROPERTIES = 255
#: ``MAX_STACK_SIZE`` in durable's ``events.c``: alpha nodes pending for one fact (error 303).
DURABLE_ALPHA_STACK = 64
#: ``MAX_SEQUENCE_EXPRESSIONS`` in durable's ``rete.h``: expression entries of one rule
#: (each ``$and``/``$or`` two, a test against a value none; error 113 at 32). ``check``
#: (MR039) counts each test as one as well: stricter than durable.
DURABLE_MAX_RULE_EXPRESSIONS = 32
#: ``NEXT_LIST_LENGTH`` in durable's ``rules.h``: `$or` joins under one node (error 107).
DURABLE_NEXT_LIST_LENGTH = 128
#: ``BETA_LIST_LENGTH`` in durable's ``rules.h``: rules ending at one alpha node (error 108).
DURABLE_BETA_LIST_LENGTH = 256
#: ``NEXT_BUCKET_LENGTH`` in durable's ``rules.h``: tests under one alpha node (error 106).
DURABLE_NEXT_BUCKET_LENGTH = 512
#: Alpha nodes one fact may leave pending in one durable ruleset ("chunk"), by the bound the
#: adapter computes from the network durable builds: below the 64 of ``MAX_STACK_SIZE`` with
#: room. A compiled ruleset is split into as many chunks as it needs (docs/engines.md).
DURABLE_CHUNK_PENDING = 48
#: Rules of one chunk (its always-firing rule included): below the 80-100 rules in one
#: durable ruleset where the process was seen to abort or segfault.
DURABLE_CHUNK_RULES = 64
#: Branches one rule may be written out into for durable-rules; more: EngineUnavailable.
DURABLE_MAX_BRANCHES = 256
