"""Run the service under uvicorn: start-up checks, workers, TLS, and an access log without queries.

The access log records method, path, status and client address; never a query string
(``?sector=...`` is harmless, but a log is no place to find out) and never a body,
which uvicorn does not log anyway.
"""

from __future__ import annotations

import copy
import logging
import os
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from meldcode_rules.service.app import create_app
from meldcode_rules.service.config import CONFIG_ENV, ServiceConfig


class NoQueryFilter(logging.Filter):
    """Drops the query string from uvicorn's access-log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path: str = args[2]
            record.args = (*args[:2], path.split("?", 1)[0], *args[3:])
        return True


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query"] = {"()": f"{__name__}.NoQueryFilter"}
    config["handlers"]["access"]["filters"] = ["no_query"]
    # Standard output is for decision records as JSON Lines (`--records -`): logs go to stderr.
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config


def app_from_env() -> Any:
    """The app factory uvicorn calls in each worker process (configuration from the environment)."""
    return create_app(ServiceConfig.from_env())


def run(
    config: ServiceConfig,
    *,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    access_log: bool = True,
) -> None:
    """Check ``config`` (refusing an unsafe one with ConfigError) and serve until stopped."""
    config.check()
    os.environ[CONFIG_ENV] = config.to_env()
    uvicorn.run(
        f"{__name__}:app_from_env",
        factory=True,
        host=config.host,
        port=config.port,
        workers=config.workers,
        log_config=log_config(),
        access_log=access_log,
        server_header=False,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
    )
