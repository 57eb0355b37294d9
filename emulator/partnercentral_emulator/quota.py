# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rate limiting as Partner Central documents it: a per-second rate and a rolling 24-hour cap."""

from __future__ import annotations

import collections
import threading
import time
from typing import Any
from typing import Callable

DAY = 86400.0
# A token short of 1 by float rounding only (rates such as 1/3 token per interval) still counts as one.
_ROUNDING = 1e-9


class ManualClock:
    """A clock that moves only when told to: the buckets and caps of a test read it instead of the wall clock.

    With it a test states when each request arrives (`advance`), so what the quotas accept does not depend on how
    fast a loaded machine runs the test; the benchmark and the reliability suite keep the wall clock.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._now = float(start)

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError(f"a clock does not go back: advance by {seconds!r} seconds")
        with self._lock:
            self._now += seconds
            return self._now


class TokenBucket:
    """`rate` tokens per second, holding at most max(1, rate); rate 0 disables the limit.

    strict: the bucket holds one token at any rate, so two requests closer than 1/rate are never both accepted (a
    per-second quota may be enforced so; the documented quota does not say how much burst it allows).
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic, strict: bool = False) -> None:
        self._clock = clock
        self.rate = rate
        self.strict = strict
        self.capacity = self._capacity()
        self.tokens = self.capacity
        self.updated = clock()

    def _capacity(self) -> float:
        return 1.0 if self.strict else max(1.0, self.rate)

    def reconfigure(self, rate: float, strict: bool | None = None) -> None:
        self._refill()
        self.rate = rate
        if strict is not None:
            self.strict = strict
        self.capacity = self._capacity()
        self.tokens = min(self.tokens, self.capacity)

    def _refill(self, at: float | None = None) -> None:
        now = self._clock() if at is None else at
        if now <= self.updated:
            return  # a request that arrived before the last one counted: no time has passed for the bucket
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def take(self, at: float | None = None) -> bool:
        """Take a token for a request that arrived `at` (the bucket's clock; default now)."""
        if self.rate <= 0:
            return True
        self._refill(at)
        if self.tokens >= 1.0 - _ROUNDING:
            self.tokens = max(0.0, self.tokens - 1.0)
            return True
        return False


class RollingCap:
    """At most `cap` accepted requests in any rolling 24 hours; cap 0 disables the limit."""

    def __init__(self, cap: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.cap = cap
        self._accepted: collections.deque[float] = collections.deque()

    def exhausted(self) -> bool:
        if self.cap <= 0:
            return False
        now = self._clock()
        while self._accepted and self._accepted[0] <= now - DAY:
            self._accepted.popleft()
        return len(self._accepted) >= self.cap

    def record(self) -> None:
        self._accepted.append(self._clock())

    def used(self) -> int:
        self.exhausted()
        return len(self._accepted)


class Quotas:
    """The per-second buckets and daily caps of one caller (every caller, or one access key)."""

    def __init__(self, config: dict[str, Any], clock: Callable[[], float] = time.monotonic) -> None:
        strict = config["strict_buckets"]
        self.write_bucket = TokenBucket(config["write_tps"], clock=clock, strict=strict)
        self.read_bucket = TokenBucket(config["read_tps"], clock=clock, strict=strict)
        self.write_cap = RollingCap(config["daily_write_cap"], clock=clock)
        self.read_cap = RollingCap(config["daily_read_cap"], clock=clock)

    def reconfigure(self, config: dict[str, Any]) -> None:
        self.write_bucket.reconfigure(config["write_tps"], config["strict_buckets"])
        self.read_bucket.reconfigure(config["read_tps"], config["strict_buckets"])
        self.write_cap.cap = config["daily_write_cap"]
        self.read_cap.cap = config["daily_read_cap"]
