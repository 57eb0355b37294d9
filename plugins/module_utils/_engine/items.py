# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One requested conversion (Item): its shape checks before any call, what became of it, and its result."""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import BATCH_ITEM_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import ITEM_ORIGINS
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import item_hint
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import CHANGED_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import ERROR_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import PENDING
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import CONTEXT_ID_PATTERN
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_id_of
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import matches_model


class Item:
    """One requested conversion and what became of it."""

    def __init__(self, index: int, request: Any, catalog: str) -> None:
        self.index = index
        self.catalog = catalog
        # A batch list can hold anything: shape problems are the item's, reported with the rule problems.
        self.shape_problems: List[str] = []
        self.is_mapping = isinstance(request, dict)
        if not self.is_mapping:
            self.shape_problems.append(
                f"an item must be a dictionary with identifier and context_identifier (got {type(request).__name__})"
            )
            request = {}
        unknown = sorted(str(key) for key in request if key not in BATCH_ITEM_KEYS)
        if unknown:
            self.shape_problems.append(f"unknown keys {', '.join(unknown)} (known: {', '.join(BATCH_ITEM_KEYS)})")
        self.origin = request.get("origin") or ITEM_ORIGINS[0]
        if self.origin not in ITEM_ORIGINS:
            self.shape_problems.append(f"origin must be one of {', '.join(ITEM_ORIGINS)} (got {self.origin!r})")
        self.lead_contexts = context_list(request.get("lead_contexts"), self.shape_problems)
        self.identifier = request.get("identifier")
        context = request.get("context_identifier")
        self.context_identifier = (
            str(context) if isinstance(context, (str, int)) and not isinstance(context, bool) else context
        )
        self.tags = request.get("tags") or None
        self.user_token = request.get("client_token")
        self.engagement_id = engagement_id_of(self.identifier) if isinstance(self.identifier, str) else None
        self.status = PENDING
        self.task: Optional[Dict[str, Any]] = None
        self.token: Optional[str] = None
        self.attempt = 0
        self.adopted = False
        self.started = False  # this run's Start returned a new task
        self.replay = False  # the List data cannot tell whether the lead is converted: the Start replays its token
        self.message = ""
        self.reason_code: Optional[str] = None
        self.duplicate_of: Optional[int] = None
        self.start_requests = 0  # Start requests sent for this item by this run (throttled ones included)
        self.throttled = 0  # of which the service throttled
        self.throttle_deadline = 0.0  # throttles fail the item only after this (first Start request + wait_timeout)
        self.watch_since = 0.0
        self.deadline = 0.0
        self.detected_at: Optional[float] = None  # wall clock when this run saw the task COMPLETE or FAILED
        self.error: Optional[PartnerCentralError] = None  # the API error that made the item fail or not start

    @property
    def key(self) -> tuple:
        return (self.catalog, self.engagement_id, self.context_identifier)

    def result(self) -> Dict[str, Any]:
        task = snake_answer(self.task) if self.task else None
        if task is not None and self.tags and self.token and not self.adopted:
            # Only the start of this run is known to carry these tags; the API does not return a task's tags.
            task["tags"] = dict(self.tags)
        reason = self.reason_code or (task or {}).get("reason_code")
        result = {
            "index": self.index,
            "identifier": self.identifier,
            "engagement_id": self.engagement_id,
            "context_identifier": self.context_identifier,
            "catalog": self.catalog,
            "origin": self.origin,
            "status": self.status,
            # A FAILED task that this run started is a change too: the next run starts a new attempt.
            "changed": self.status in CHANGED_STATUSES or self.started,
            "client_token": self.token,
            "task": task,
            "task_id": (task or {}).get("task_id"),
            "opportunity_id": (task or {}).get("opportunity_id"),
            "reason_code": reason,
            "message": self.message,
            "detected_at": (
                datetime.datetime.fromtimestamp(self.detected_at, tz=datetime.timezone.utc).isoformat()
                if self.detected_at is not None
                else None
            ),
            "error": self.status in ERROR_STATUSES,
            "error_code": self.error.code if self.error else None,
            "request_id": self.error.request_id if self.error else None,
        }
        if self.status in ERROR_STATUSES:
            result["hint"] = item_hint(reason, self.status)
        if self.duplicate_of is not None:
            result["duplicate_of"] = self.duplicate_of
        return result


def context_list(value: Any, problems: List[str]) -> List[str]:
    """The lead_contexts of an item: context ids, as the item's context_identifier is spelled."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"lead_contexts must be a list of context ids (got {type(value).__name__})")
        return []
    contexts = [str(c) if isinstance(c, (str, int)) and not isinstance(c, bool) else None for c in value]
    bad = [repr(v) for v, c in zip(value, contexts) if c is None or not matches_model(CONTEXT_ID_PATTERN, c)]
    if bad:
        problems.append(f"lead_contexts must hold context ids such as 1 (got {', '.join(bad)})")
        return []
    return [c for c in contexts if c is not None]
