"""A cache keyed by an object's identity, for long-lived immutable values whose hash is the cost.

A topic's patterns or a rule's context phrases are nested tuples: hashing them
for an `lru_cache` costs more than the answer, and the matcher asks for every
match. The cache keeps each key object, so its id cannot be reused by another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    def __init__(self, compute: Callable[[K], V], limit: int = 65_536) -> None:
        self._compute = compute
        self._limit = limit
        self._known: dict[int, tuple[K, V]] = {}

    def __call__(self, key: K) -> V:
        known = self._known.get(id(key))
        if known is not None and known[0] is key:
            return known[1]
        value = self._compute(key)
        if len(self._known) >= self._limit:
            self._known.clear()
        self._known[id(key)] = (key, value)
        return value
