# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The conversion task's calls: StartOpportunityFromEngagementTask and ListOpportunityFromEngagementTasks.

The service has no Get call for this task and no waiter: following a task means listing it again.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import without_metadata
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import call
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import Listing
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import filter_combos
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import list_merged
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import time_key
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import READ_RETRY

TERMINAL_STATUSES = ("COMPLETE", "FAILED")
TOKEN_PREFIX = "ansible-pcs-"


def derive_client_token(catalog: str, engagement_id: str, context_identifier: str, attempt: int = 0) -> str:
    """A token that is the same on every run for one conversion attempt, so a re-run replays instead of duplicating.

    attempt counts the FAILED tasks seen for the context: the service would replay a failure for the same token.
    """
    seed = f"partnercentral.selling/v1|{catalog}|{engagement_id}|{context_identifier}|{attempt}"
    return TOKEN_PREFIX + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40]


def start_time_key(task: Dict[str, Any]) -> float:
    """Sort key of a task by its StartTime; a task without one sorts first."""
    return time_key(task, "StartTime")


def _start_task(client: Any, **params: Any) -> Dict[str, Any]:
    # No retry decorator: the engine owns the retries of starts (see retries.py).
    return client.start_opportunity_from_engagement_task(**params)


def start_task(
    client: Any,
    catalog: str,
    identifier: str,
    context_identifier: str,
    client_token: str,
    tags: Optional[Dict[str, str]] = None,
) -> Dict[str, Any]:
    """StartOpportunityFromEngagementTask; raises PartnerCentralError (ConflictException when the context is held)."""
    params: Dict[str, Any] = dict(
        Catalog=catalog, Identifier=identifier, ContextIdentifier=str(context_identifier), ClientToken=client_token
    )
    if tags:
        params["Tags"] = [{"Key": str(key), "Value": str(value)} for key, value in tags.items()]
    action = (
        f"StartOpportunityFromEngagementTask for engagement {identifier} context {context_identifier}"
        f" in catalog {catalog}"
    )
    answer = call(
        functools.partial(_start_task, client),
        action,
        "partnercentral:StartOpportunityFromEngagementTask",
        **params,
    )
    if not answer.get("TaskId") or not answer.get("TaskStatus"):
        raise PartnerCentralError(
            f"{action} failed: UnexpectedAnswer: the answer has no TaskId or TaskStatus to follow; "
            "a re-run looks the task up and adopts it if one was started",
            code="UnexpectedAnswer",
            request_id=(answer.get("ResponseMetadata") or {}).get("RequestId"),
        )
    return without_metadata(answer)


@READ_RETRY
def _list_tasks_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_opportunity_from_engagement_tasks(**params)


TASKS = Listing("ListOpportunityFromEngagementTasks", "TaskSummaries", "TaskId", "StartTime")


def _list_tasks(
    client: Any,
    catalog: str,
    combos: List[Dict[str, Any]],
    statuses: Iterable[str],
    sort_order: Optional[str],
    max_results: Optional[int] = None,
    pace: Optional[Callable[[], None]] = None,
    stop_before: Any = None,
) -> List[Dict[str, Any]]:
    params: Dict[str, Any] = {}
    if statuses:
        params["TaskStatus"] = list(statuses)
    if sort_order:
        params["Sort"] = {"SortBy": "StartTime", "SortOrder": sort_order}
    list_page = functools.partial(_list_tasks_page, client)
    return list_merged(list_page, TASKS, catalog, params, combos, sort_order, max_results, pace, stop_before)


def find_tasks(
    client: Any,
    catalog: str,
    task_ids: Iterable[str] = (),
    engagement_ids: Iterable[str] = (),
    context_ids: Iterable[str] = (),
    opportunity_ids: Iterable[str] = (),
    statuses: Iterable[str] = (),
    sort_order: Optional[str] = None,
    max_results: Optional[int] = None,
    pace: Optional[Callable[[], None]] = None,
) -> List[Dict[str, Any]]:
    """Tasks (raw summaries) that match every filter given; lists longer than the API's 10 values are split into
    several calls. pace is called before each request: the batch engine uses it to keep reads within the read quota.
    """
    combos = filter_combos(
        {
            "TaskIdentifier": list(task_ids),
            "EngagementIdentifier": list(engagement_ids),
            "ContextIdentifier": [str(c) for c in context_ids],
            "OpportunityIdentifier": list(opportunity_ids),
        }
    )
    return _list_tasks(client, catalog, combos, list(statuses), sort_order, max_results, pace)


def find_finished_since(
    client: Any, catalog: str, since: Any, pace: Optional[Callable[[], None]] = None
) -> List[Dict[str, Any]]:
    """Finished tasks of the catalog started at or after `since` (a StartTime of the service), newest first.

    One call returns up to LIST_PAGE_SIZE tasks of any engagement: cheaper than asking 10 task ids a call when
    many tasks are waited on at once.
    """
    found = _list_tasks(client, catalog, [{}], TERMINAL_STATUSES, "DESCENDING", pace=pace, stop_before=since)
    return [task for task in found if task.get("StartTime") is None or task["StartTime"] >= since]
