# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pacing: when the next Start may go out (WritePacer) and when the next read may (ReadPacer)."""

from __future__ import annotations

import random
from typing import Callable


class WritePacer:
    """When the next Start may go out: never faster than the write rate, slower while the service throttles (AIMD).

    The per-second write quota may be a bucket of one token: a start that reaches the service less than 1/rate after
    the previous accepted one is throttled. A request reaches the service at some point between its send and its
    answer, so a gap measured between sends alone loses to network and scheduling jitter. The gap after an answered
    start is therefore the interval plus what that start's round trip took beyond the fastest one seen (the part of
    the trip that may have come before the service counted it), capped at MARGIN_FRACTION of the interval so that a
    slow answer does not slow the batch down by more than that. The first accepted start, which has no round trip to
    compare with, and a throttle are followed by a full gap from their answer (the service counted them by then, and
    after a throttle the bucket holds a token again).

    The quota is the account's, shared with every other client that writes to it (another run, an EDA activation, a
    CRM connector). Each throttle slows this client down (the slowdown doubles, plus SLOWDOWN_STEP) to as little as
    1 / (1 + MAX_SLOWDOWN) of the rate, so that several clients leave each other tokens instead of colliding at full
    rate. Each accepted start halves the slowdown (RECOVERY_FACTOR) down to FINE_RECOVERY_BELOW, then takes
    RECOVERY_STEP off it, back to, never beyond, the configured rate: a client that another one outlived takes up the
    whole quota again within a few starts (on a simulated one-token bucket, a slow recovery from a deep slowdown left
    the quota idle after the other client ended), while a client alone that met a stray throttle eases back slowly
    instead of meeting the next one at once. While slowed down, the slowdown part of each gap is drawn between
    1 - JITTER and 1 + JITTER times its value: clients that were throttled together do not retry together. At the
    configured rate there is no jitter (a client alone keeps the exact cadence).
    """

    MARGIN_FRACTION = 0.05
    SLOWDOWN_STEP = 0.1
    MAX_SLOWDOWN = 4.0  # at worst a fifth of the configured rate: room for up to five clients of the account
    RECOVERY_FACTOR = 0.5
    FINE_RECOVERY_BELOW = 0.2
    RECOVERY_STEP = 0.02
    JITTER = 0.5

    def __init__(self, rate: float, random: Callable[[], float] = random.random) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.slowdown = 0.0  # the gap is interval * (1 + slowdown), jittered while slowdown > 0
        self.next_at = float("-inf")
        self.throttles = 0
        self.fastest = float("inf")  # the shortest round trip of a Start seen
        self.random = random

    def gap(self) -> float:
        """The mean gap between two starts at the current share of the rate."""
        return self.interval * (1.0 + self.slowdown)

    def jittered_gap(self) -> float:
        """The next gap: the slowdown part drawn within +-JITTER of its value, never below the interval."""
        spread = 1.0 - self.JITTER + 2.0 * self.JITTER * self.random()
        return self.interval * (1.0 + self.slowdown * spread)

    def answered(self, sent: float, answered: float, throttled: bool = False, hold: float = 0.0) -> None:
        """Record one Start request: sent and answered on the engine's clock; hold delays the next one further."""
        if throttled:
            self.throttles += 1
            self.slowdown = min(self.MAX_SLOWDOWN, 2 * self.slowdown + self.SLOWDOWN_STEP)
            self.next_at = answered + self.jittered_gap()
        else:
            if not hold:
                halved = max(self.slowdown * self.RECOVERY_FACTOR, self.FINE_RECOVERY_BELOW)
                self.slowdown = max(0.0, min(halved, self.slowdown - self.RECOVERY_STEP))
            round_trip = max(0.0, answered - sent)
            if self.fastest == float("inf"):
                # The first start has no round trip to compare with and opened the connection: the service may have
                # counted it as late as its answer, so the next one waits the gap from there (once per batch).
                self.fastest = round_trip
                self.next_at = answered + self.jittered_gap()
            else:
                self.fastest = min(self.fastest, round_trip)
                margin = min(round_trip - self.fastest, self.MARGIN_FRACTION * self.interval)
                self.next_at = sent + self.jittered_gap() + margin
        self.next_at = max(self.next_at, answered + hold)


class ReadPacer:
    """When the next read (List, Get) may go out: at the read rate, measured from the previous read's send.

    No catching up on a late read: two reads closer than the interval could meet a one-token bucket.
    """

    def __init__(self, rate: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = 0.0
        self.clock = clock
        self.sleep = sleep

    def wait(self) -> None:
        """Sleep until the next read fits the read rate, and book its slot."""
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval
