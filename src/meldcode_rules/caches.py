"""The caches of the judgement path: each bounded, least recently used out first, all cleared at once.

A case system or service judges for weeks, with new dates every day and every
combination of facts its users meet; a cache that only grows, or that stops
taking entries when full (and keeps the oldest), either exhausts memory or
makes judging slower the longer the process runs. So every cache that the
judgement path keeps between calls is made here, in one of two forms:

- :func:`lru`: ``functools.lru_cache`` for a function whose arguments are its key;
- :class:`LRU`: a small thread-safe mapping, for values that need more than
  their key to be built (a compiled ruleset's prepared program, kept by id).

Both are registered, so :func:`clear_all` (called by
``sectors.registry.refresh()``) empties every one of them. A cache belongs to
what it serves (a compiled ruleset's plan, an engine instance): when that goes,
its cache goes with it.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
F = TypeVar("F", bound=Callable[..., Any])

#: Every live cache made here (weakly: a cache dies with its owner).
_registered: weakref.WeakSet[Any] = weakref.WeakSet()


def lru(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` (thread-safe, in C), cleared by :func:`clear_all`."""

    def wrap(function: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _registered.add(cached)
        return cached  # type: ignore[return-value]

    return wrap


class LRU(Generic[K, V]):
    """At most ``maxsize`` entries; putting one more drops the least recently used."""

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("an LRU cache holds at least one entry")
        self.maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()
        # get() both reads and reorders; two threads doing that at once must not race.
        self._lock = threading.Lock()
        #: the entry read or put last: most calls ask for it again (one ruleset judged
        #: case after case), and reading one attribute needs no lock
        self._last: tuple[K, V] | None = None
        _registered.add(self)

    def get(self, key: K) -> V | None:
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
                self._last = (key, value)
            return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            if len(self._data) > self.maxsize:
                self._data.popitem(last=False)
            self._last = (key, value)
        return value

    def __len__(self) -> int:
        return len(self._data)

    def cache_clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._last = None


def clear_all() -> None:
    """Empty every cache made by this module."""
    for cache in list(_registered):
        cache.cache_clear()


def fill() -> tuple[int, int]:
    """``(entries, capacity)`` over every live cache made here: how full they are, for a
    benchmark that tells memory still growing from caches still filling (benchmarks/)."""
    entries = capacity = 0
    for cache in list(_registered):
        if isinstance(cache, LRU):
            entries, capacity = entries + len(cache), capacity + cache.maxsize
        else:
            info = cache.cache_info()
            entries, capacity = entries + info.currsize, capacity + (info.maxsize or 0)
    return entries, capacity
