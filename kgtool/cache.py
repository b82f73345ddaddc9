"""Caches bounded in bytes, not in entries: a few huge entries cannot hold a process's memory.

:class:`BytesLRU` is a least-recently-used map that forgets its oldest entries once the sizes of its
keys and values add up to more than its budget; :func:`text_cache` memoizes a function of one string
with one (``functools.lru_cache`` bounded in entries held 256 one-megabyte queries, 250 MB, per process).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, Generic, TypeVar

__all__ = ["BytesLRU", "text_cache", "size_of"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


def size_of(value: Any) -> int:
    """An estimate of the bytes ``value`` holds: its own size, and that of a ``body`` it carries.

    >>> size_of(b"x" * 1000) >= 1000
    True
    """
    size = sys.getsizeof(value)
    body = getattr(value, "body", None)
    if isinstance(body, (bytes, str)):
        size += sys.getsizeof(body)
    return size


class BytesLRU(Generic[K, V]):
    """A least-recently-used map holding at most ``max_bytes`` of keys and values (by :func:`size_of`).
    An entry larger than a quarter of the budget is not kept at all. Safe to share between threads.

    >>> cache = BytesLRU(max_bytes=2400)
    >>> for key in "abcde":
    ...     cache.put(key, key.encode() * 500)
    >>> cache.get("a") is None, cache.get("e") is not None, cache.size <= 2400
    (True, True, True)
    >>> cache.put("huge", b"x" * 1000); cache.get("huge") is None  # over a quarter of the budget
    True
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: K, value: V) -> None:
        size = size_of(key) + size_of(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if size * 4 > self.max_bytes:
                return
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


def text_cache(max_bytes: int = 4 << 20) -> Callable[[Callable[[str], R]], Callable[[str], R]]:
    """Memoize a function of one string, keeping at most ``max_bytes`` of texts and answers.

    >>> @text_cache(max_bytes=1 << 16)
    ... def shout(text: str) -> str:
    ...     return text.upper()
    >>> shout("select"), shout.cache.size > 0
    ('SELECT', True)
    """

    def decorate(function: Callable[[str], R]) -> Callable[[str], R]:
        cache: BytesLRU[str, Any] = BytesLRU(max_bytes)

        @wraps(function)
        def cached(text: str) -> R:
            found = cache.get(text)
            if found is not None:
                return found
            value = function(text)
            if value is not None:
                cache.put(text, value)
            return value

        cached.cache = cache  # type: ignore[attr-defined]
        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cached

    return decorate
