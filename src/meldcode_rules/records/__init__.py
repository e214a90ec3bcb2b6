"""Decision records (*besluitregistratie*): an append-only log of which rules judged a case and
what came out, never the facts (``store``), and judging a recorded case again (``replay``)."""

from meldcode_rules.records.store import (
    DEFAULT_DB,
    SALT_ENV,
    DecisionRecord,
    JsonLinesStore,
    RecordError,
    RecordWriter,
    SqliteStore,
    input_hash,
    open_store,
    writer_from_env,
)

__all__ = [
    "DEFAULT_DB",
    "SALT_ENV",
    "DecisionRecord",
    "JsonLinesStore",
    "RecordError",
    "RecordWriter",
    "SqliteStore",
    "input_hash",
    "open_store",
    "writer_from_env",
]
