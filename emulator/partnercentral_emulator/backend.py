# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The emulated service behind the HTTP front end: settings, admission (faults, quotas), dispatch, statistics.

The state lives in a Store (store.py), made anew at each reset; the operations (operations/) receive it explicitly
and the Backend dispatches each request to the family that registered its name. Every public method takes the lock.
"""

from __future__ import annotations

import collections
import copy
import os
import random
import threading
import time
from typing import Any
from typing import Callable

from partnercentral_emulator import config as config_module
from partnercentral_emulator import data
from partnercentral_emulator import leads
from partnercentral_emulator import views
from partnercentral_emulator.config import CATALOGS
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.idempotency import ClientTokens
from partnercentral_emulator.operations import FAMILIES
from partnercentral_emulator.operations import Handler
from partnercentral_emulator.operations import OpportunityOperations
from partnercentral_emulator.operations import TaskOperations
from partnercentral_emulator.paging import Pager
from partnercentral_emulator.quota import ManualClock
from partnercentral_emulator.quota import Quotas
from partnercentral_emulator.store import Store

READ_PREFIXES = ("Get", "List", "Search")


def is_read(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES)


class Backend:
    """clock: epoch seconds of the data (task times, expirations, modification times).

    quota_clock: the clock of the per-second buckets and the daily caps; by default the `quota_clock` setting decides
    ("wall": time.monotonic, "manual": a ManualClock moved by POST /_emulator/clock). A clock given here is used
    whatever the setting, for tests that drive the Backend in-process.
    """

    def __init__(
        self,
        base_config: dict[str, Any] | None = None,
        clock: Callable[[], float] = time.time,
        quota_clock: Callable[[], float] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self._injected_quota_clock = quota_clock
        self.quota_clock: Callable[[], float] = quota_clock or time.monotonic
        self.base_config = config_module.build(base_config)
        self._token_secret = os.urandom(16)
        self._generation = 0
        self.reset()

    # ------------------------------------------------------------------ settings

    def reset(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.lock:
            merged = copy.deepcopy(self.base_config)
            merged.update(config_module.check(overrides or {}))
            engagements = data.build_engagements(merged)
            invitations = leads.build_invitations(merged, engagements, self._clock())
            _check_fixture(engagements)
            self.config = merged
            self._generation += 1
            self.store = Store(merged, self._clock, engagements, invitations)
            self.tokens = ClientTokens(merged)
            pager = Pager(self._token_secret, self._generation, merged)
            families = [family(self.store, self.tokens, pager) for family in FAMILIES]
            self.handlers: dict[str, Handler] = {}
            for family in families:
                self.handlers.update(family.handlers())
            self.tasks = next(family for family in families if isinstance(family, TaskOperations))
            self.opportunities = next(family for family in families if isinstance(family, OpportunityOperations))
            self._fault_rng = random.Random(f"faults:{merged['seed']}")
            self._set_quota_clock()
            self.counters: collections.Counter[str] = collections.Counter()
            self.requests: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
            # Per access key: requests by operation and status, and throttled requests by operation.
            self.account_requests: dict[str, dict[str, collections.Counter[str]]] = collections.defaultdict(
                lambda: collections.defaultdict(collections.Counter)
            )
            self.account_throttled: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
            return self.public_config()

    def configure(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Live update; data keys (engagements, fixture, seed, account_id) take effect at the next reset."""
        with self.lock:
            checked = config_module.check(overrides)
            self.config.update(checked)
            if "quota_clock" in checked:
                self._set_quota_clock()  # new buckets too: times of one clock mean nothing to another
            elif "per_account_quotas" in checked:
                self.quotas = {}  # a new split starts with full buckets
            for quotas in self.quotas.values():
                quotas.reconfigure(self.config)
            if "seed" in checked:
                self._fault_rng = random.Random(f"faults:{checked['seed']}")
            return self.public_config()

    def public_config(self) -> dict[str, Any]:
        return config_module.public(self.config)

    # ---------------------------------------------------------------- quota clock

    def _set_quota_clock(self) -> None:
        if self._injected_quota_clock is None:
            self.quota_clock = ManualClock() if self.config["quota_clock"] == "manual" else time.monotonic
        # The quotas of one caller: the only set, or one per access key with per_account_quotas.
        self.quotas: dict[str | None, Quotas] = {}

    def quota_clock_state(self) -> dict[str, Any]:
        with self.lock:
            manual = isinstance(self.quota_clock, ManualClock)
            return {"quota_clock": "manual" if manual else "wall", "now": self.quota_clock()}

    def advance_quota_clock(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /_emulator/clock {"advance": seconds}: move a manual quota clock forward."""
        with self.lock:
            if not isinstance(self.quota_clock, ManualClock):
                raise ConfigError('the quota clock is the wall clock; reset or configure with quota_clock "manual"')
            seconds = body.get("advance")
            if set(body) != {"advance"} or isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise ConfigError('the body is {"advance": seconds}, a number >= 0')
            self.quota_clock.advance(float(seconds))
            return self.quota_clock_state()

    # ------------------------------------------------------------------ admission

    def decide_faults(self, operation: str) -> tuple[float, ApiError | None]:
        """Injected latency and error, decided before any work so a faulted request changes nothing."""
        with self.lock:
            latency_setting = self.config["added_latency"]
            if isinstance(latency_setting, list):
                latency = self._fault_rng.uniform(latency_setting[0], latency_setting[1])
            else:
                latency = float(latency_setting)
            roll = self._fault_rng.random()
            if roll < self.config["throttle_rate"]:
                self.counters["throttled_injected"] += 1
                return latency, ApiError(
                    "ThrottlingException", "Rate exceeded (injected by the emulator's throttle_rate)."
                )
            if roll < self.config["throttle_rate"] + self.config["internal_error_rate"]:
                self.counters["internal_errors_injected"] += 1
                return latency, ApiError(
                    "InternalServerException", "Internal error (injected by the emulator's internal_error_rate)."
                )
            return latency, None

    def arrival(self) -> float:
        """Now on the quota clock: the front end stamps each request with it when the request comes in."""
        return self.quota_clock()

    def admit(self, operation: str, access_key: str | None = None, arrived: float | None = None) -> None:
        """Apply the daily cap, then the per-second rate (of the caller's account); raise the AWS error when over.

        arrived (from `arrival()`) is when the request came in: the service counts a request at its front door, not
        after this emulator's own parsing and signature check, whose time varies with the load of the machine.
        """
        with self.lock:
            read = is_read(operation)
            quotas = self._quotas(access_key)
            cap = quotas.read_cap if read else quotas.write_cap
            bucket = quotas.read_bucket if read else quotas.write_bucket
            kind = "read" if read else "write"
            if cap.exhausted():
                self.counters["throttled_daily_cap"] += 1
                setting = "daily_read_cap" if read else "daily_write_cap"
                raise ApiError(
                    "ServiceQuotaExceededException",
                    f"Service quota exceeded: {kind} requests per rolling 24 hours ({setting}={cap.cap}).",
                )
            if not bucket.take(arrived):
                self.counters["throttled_rate"] += 1
                if access_key is not None:
                    self.account_throttled[access_key][operation] += 1
                setting = "read_tps" if read else "write_tps"
                raise ApiError(
                    "ThrottlingException",
                    f"Rate exceeded: {kind} requests per second ({setting}={bucket.rate:g}).",
                )
            cap.record()
            self.counters["reads_accepted" if read else "writes_accepted"] += 1

    def _quotas(self, access_key: str | None) -> Quotas:
        key = access_key if self.config["per_account_quotas"] else None
        if key not in self.quotas:
            self.quotas[key] = Quotas(self.config, clock=self.quota_clock)
        return self.quotas[key]

    # ------------------------------------------------------------------ dispatch

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one validated, admitted request through the family that registered `operation`."""
        with self.lock:
            self.tasks.settle()
            catalog = params.get("Catalog")
            if catalog not in CATALOGS:
                raise validation_error(
                    f"Catalog '{catalog}' is not valid; use one of: {', '.join(CATALOGS)}.",
                    [
                        {
                            "FieldName": "Catalog",
                            "Message": f"Catalog must be one of {', '.join(CATALOGS)}",
                            "Code": "INVALID_VALUE",
                        }
                    ],
                    business=True,
                )
            return self.handlers[operation](params)

    def settled_store(self) -> Store:
        """The store once the tasks whose latency has passed are complete (for the admin views)."""
        with self.lock:
            self.tasks.settle()
            self.opportunities.settle()
            return self.store

    # ------------------------------------------------------------------ statistics

    def record_request(self, operation: str, status: int, access_key: str | None = None) -> None:
        with self.lock:
            self.requests[operation][str(status)] += 1
            if access_key is not None:
                self.account_requests[access_key][operation][str(status)] += 1

    def stats(self) -> dict[str, Any]:
        with self.lock:
            store = self.settled_store()
            opportunities = {key: list(ids) for key, ids in sorted(store.opportunities.items())}
            return {
                "requests": {op: dict(sorted(counts.items())) for op, counts in sorted(self.requests.items())},
                "total_requests": sum(sum(counts.values()) for counts in self.requests.values()),
                "throttled": {
                    "rate": self.counters["throttled_rate"],
                    "daily_cap": self.counters["throttled_daily_cap"],
                    "injected": self.counters["throttled_injected"],
                    "total": self.counters["throttled_rate"]
                    + self.counters["throttled_daily_cap"]
                    + self.counters["throttled_injected"],
                },
                "internal_errors_injected": self.counters["internal_errors_injected"],
                "replays": self.tokens.replays,
                "writes_accepted": self.counters["writes_accepted"],
                "reads_accepted": self.counters["reads_accepted"],
                "tasks": len(store.tasks),
                "tasks_by_status": self.tasks.status_counts(),
                "opportunities": opportunities,
                "converted": len(opportunities),
                "duplicates": sum(1 for ids in opportunities.values() if len(ids) > 1),
                "daily_usage": {
                    "writes": sum(quotas.write_cap.used() for quotas in self.quotas.values()),
                    "reads": sum(quotas.read_cap.used() for quotas in self.quotas.values()),
                },
                # Per access key (the request's SigV4 credential), whether or not quotas are per account.
                "accounts": {
                    key: {
                        "requests": {op: dict(sorted(counts.items())) for op, counts in sorted(ops.items())},
                        "throttled": dict(sorted(self.account_throttled[key].items())),
                    }
                    for key, ops in sorted(self.account_requests.items())
                },
            }


def _check_fixture(engagements: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Fixture data must fit the model, or GetEngagement would answer what no real service can."""
    for catalog in engagements.values():
        for engagement in catalog.values():
            views.check(views.engagement_view(engagement), "GetEngagement", f"engagement {engagement['id']}")
