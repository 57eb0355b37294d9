# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity calls after conversion: read, update, create, associate, submit, and AWS's view.

Calls follow the collection's one retry policy (``_api``: reads through READ_RETRY, single writes outside the engine
through WRITE_RETRY, botocore's own retries off) and its one error path (``describe_error``). The decisions (what to
change, what AWS would refuse) are the pure logic of ``_opportunity``; this file only talks to the service.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import without_metadata
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import call
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import Listing
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import list_merged
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import READ_RETRY
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import WRITE_RETRY
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import TOKEN_PREFIX
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.associations import association_plan
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.associations import (
    association_problems,
)
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import merge
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import fields_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.plan import plan_update
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import PENDING_SUBMISSION
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import review_status
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import submission_problems

# UpdateOpportunity answers ConflictException when the record changed since it was read: read again, merge the
# given fields onto the newer record, send again; at most this many UpdateOpportunity requests per update.
UPDATE_CONFLICT_ATTEMPTS = 3
SEARCH_OPPORTUNITIES = "SearchOpportunities"
IN_PROGRESS = "IN_PROGRESS"
TERMINAL_STATUSES = ("COMPLETE", "FAILED")
SUBMISSION_POLL_INTERVAL = 2.0

Pace = Optional[Callable[[], None]]


class OpportunityRefused(ValueError):
    """A change that the service would refuse (ReviewStatus rules, the model's rules, the submission preflight),
    found before anything was sent; ``problems`` lists each one."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _call(
    operation: Callable[..., Dict[str, Any]], action: str, iam_action: str, pace: Pace = None, **params: Any
) -> Dict[str, Any]:
    return without_metadata(call(operation, action, iam_action, pace, **params))


# ---- reads -----------------------------------------------------------------------------------------------------


@READ_RETRY
def _get_opportunity(client: Any, **params: Any) -> Dict[str, Any]:
    return client.get_opportunity(**params)


def get_opportunity(client: Any, catalog: str, identifier: str, pace: Pace = None) -> Dict[str, Any]:
    """GetOpportunity: the record as the API answers it (timestamps as datetimes: LastModifiedDate is sent back)."""
    return _call(
        lambda **params: _get_opportunity(client, **params),
        f"GetOpportunity of {identifier} in catalog {catalog}",
        "partnercentral:GetOpportunity",
        pace,
        Catalog=catalog,
        Identifier=identifier,
    )


@READ_RETRY
def _get_aws_summary(client: Any, **params: Any) -> Dict[str, Any]:
    return client.get_aws_opportunity_summary(**params)


def get_aws_opportunity_summary(client: Any, catalog: str, identifier: str, pace: Pace = None) -> Dict[str, Any]:
    """GetAwsOpportunitySummary: AWS's view of the opportunity (involvement, visibility, AWS's stage and team)."""
    return _call(
        lambda **params: _get_aws_summary(client, **params),
        f"GetAwsOpportunitySummary of {identifier} in catalog {catalog}",
        "partnercentral:GetAwsOpportunitySummary",
        pace,
        Catalog=catalog,
        RelatedOpportunityIdentifier=identifier,
    )


SOLUTIONS = Listing("ListSolutions", "SolutionSummaries", "Id", "CreatedDate")
OPPORTUNITIES = Listing("ListOpportunities", "OpportunitySummaries", "Id", "LastModifiedDate")
SEARCH = Listing(SEARCH_OPPORTUNITIES, "OpportunitySearchSummaries", "Id", "LastModifiedDate")
SUBMISSION_TASKS = Listing("ListEngagementFromOpportunityTasks", "TaskSummaries", "TaskId", "StartTime")


def _filters(filters: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in filters.items() if value}


@READ_RETRY
def _list_solutions_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_solutions(**params)


def list_solutions(client: Any, catalog: str, pace: Pace = None, **filters: Any) -> List[Dict[str, Any]]:
    """ListSolutions with its filters (Status, Identifier, Category...), every page."""
    page = functools.partial(_list_solutions_page, client)
    return list_merged(page, SOLUTIONS, catalog, _filters(filters), [{}], None, pace=pace)


@READ_RETRY
def _list_opportunities_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_opportunities(**params)


def list_opportunities(
    client: Any, catalog: str, pace: Pace = None, max_results: Optional[int] = None, **filters: Any
) -> List[Dict[str, Any]]:
    """ListOpportunities with its filters (LifeCycleStage, LifeCycleReviewStatus, CustomerCompanyName, dates...),
    the most recently modified first; max_results stops the paging once that many are listed."""
    page = functools.partial(_list_opportunities_page, client)
    found = list_merged(page, OPPORTUNITIES, catalog, _filters(filters), [{}], None, max_results, pace=pace)
    return found[:max_results] if max_results else found


@READ_RETRY
def _search_opportunities_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.search_opportunities(**params)


def find_by_partner_identifier(
    client: Any, catalog: str, partner_opportunity_identifier: str, pace: Pace = None
) -> Optional[str]:
    """The id of the opportunity with this PartnerOpportunityIdentifier, None if there is none.

    SearchOpportunities filters by it where the installed model has the operation (botocore 1.44 and later); older
    models have only ListOpportunities, whose summaries carry the identifier but which cannot filter by it, so every
    page is read. Several matches are refused: the partner must say which one with ``identifier``.
    """
    if SEARCH_OPPORTUNITIES in client.meta.service_model.operation_names:
        predicate = {"Key": "PartnerOpportunityIdentifier", "Value": {"StringValue": partner_opportunity_identifier}}
        page = functools.partial(_search_opportunities_page, client)
        summaries = list_merged(page, SEARCH, catalog, {"Filter": {"EqualsTo": predicate}}, [{}], None, pace=pace)
    else:
        summaries = list_opportunities(client, catalog, pace)
    ids = sorted(
        {s["Id"] for s in summaries if s.get("PartnerOpportunityIdentifier") == partner_opportunity_identifier}
    )
    if len(ids) > 1:
        raise OpportunityRefused(
            [
                f"{len(ids)} opportunities have partner_opportunity_identifier {partner_opportunity_identifier!r} "
                f"({', '.join(ids)}): give identifier to say which one"
            ]
        )
    return ids[0] if ids else None


# ---- writes ----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a write function did: the record before (None: created) and after, the dotted API paths changed, the
    write requests sent, and the task (submissions)."""

    before: Optional[Dict[str, Any]]
    after: Optional[Dict[str, Any]]
    changes: List[str] = field(default_factory=list)
    writes: int = 0
    task: Optional[Dict[str, Any]] = None

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@WRITE_RETRY
def _update_opportunity(client: Any, **params: Any) -> Dict[str, Any]:
    return client.update_opportunity(**params)


def update_opportunity(
    client: Any,
    catalog: str,
    identifier: str,
    given: Dict[str, Any],
    check_mode: bool = False,
    record: Optional[Dict[str, Any]] = None,
    pace: Pace = None,
) -> Outcome:
    """Read, merge the given fields (API names), send the full record, read again: only the given fields change.

    Nothing to change sends nothing. A change the ReviewStatus or the model forbids raises OpportunityRefused before
    anything is sent. A ConflictException (the record changed since it was read) reads the newer record and merges
    again, UPDATE_CONFLICT_ATTEMPTS requests at most. Check mode reads only and returns the record it would send.
    """
    record = record if record is not None else get_opportunity(client, catalog, identifier, pace)
    before = record
    writes = 0
    for attempt in range(1, UPDATE_CONFLICT_ATTEMPTS + 1):
        plan = plan_update(record, given, client.meta.service_model)
        if plan.problems:
            raise OpportunityRefused(plan.problems)
        if not plan.changes:
            return Outcome(before, record, [], writes)
        if check_mode:
            return Outcome(before, merge(record, given), plan.changes, writes)
        try:
            writes += 1
            _call(
                lambda **params: _update_opportunity(client, **params),
                f"UpdateOpportunity of {identifier} in catalog {catalog}",
                "partnercentral:UpdateOpportunity",
                pace,
                **plan.payload,
            )
        except PartnerCentralError as error:
            if error.code != "ConflictException" or attempt == UPDATE_CONFLICT_ATTEMPTS:
                raise
            record = get_opportunity(client, catalog, identifier, pace)
            continue
        return Outcome(before, get_opportunity(client, catalog, identifier, pace), plan.changes, writes)
    raise AssertionError("unreachable")  # pragma: no cover  (the loop returns or raises)


def opportunity_client_token(catalog: str, partner_opportunity_identifier: str) -> str:
    """The same CreateOpportunity token on every run for one partner_opportunity_identifier, so that a re-run whose
    search does not see the new record yet replays the creation instead of making a second opportunity."""
    seed = f"partnercentral.selling/opportunity/v1|{catalog}|{partner_opportunity_identifier}"
    return TOKEN_PREFIX + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40]


@WRITE_RETRY
def _create_opportunity(client: Any, **params: Any) -> Dict[str, Any]:
    return client.create_opportunity(**params)


def ensure_opportunity(
    client: Any,
    catalog: str,
    given: Dict[str, Any],
    identifier: Optional[str] = None,
    partner_opportunity_identifier: Optional[str] = None,
    extra: Optional[Dict[str, Any]] = None,
    check_mode: bool = False,
    pace: Pace = None,
) -> Outcome:
    """The opportunity given by ``identifier``, or else found by ``partner_opportunity_identifier``, updated with
    the given fields; created when no opportunity has that partner identifier. ``extra``: CreateOpportunity's own
    members (Origin, OpportunityTeam, Tags), sent at creation only."""
    if identifier is None and partner_opportunity_identifier:
        identifier = find_by_partner_identifier(client, catalog, partner_opportunity_identifier, pace)
    if identifier is not None:
        return update_opportunity(client, catalog, identifier, given, check_mode, pace=pace)
    if not partner_opportunity_identifier:
        raise OpportunityRefused(["identifier or partner_opportunity_identifier is required"])
    payload = merge(given, dict(extra or {}, PartnerOpportunityIdentifier=partner_opportunity_identifier))
    payload.update(Catalog=catalog, ClientToken=opportunity_client_token(catalog, partner_opportunity_identifier))
    problems = fields_problems(payload, None, "CreateOpportunity", client.meta.service_model)
    if problems:
        raise OpportunityRefused(problems)
    if check_mode:
        return Outcome(None, payload, ["(new opportunity)"])
    try:
        answer = _call(
            lambda **params: _create_opportunity(client, **params),
            f"CreateOpportunity {partner_opportunity_identifier!r} in catalog {catalog}",
            "partnercentral:CreateOpportunity",
            pace,
            **payload,
        )
    except PartnerCentralError as error:
        # The token was used with another body: an earlier run created it, and the search did not see it then.
        if error.code != "ConflictException":
            raise
        found = find_by_partner_identifier(client, catalog, partner_opportunity_identifier, pace)
        if found is None:
            raise
        return update_opportunity(client, catalog, found, given, check_mode, pace=pace)
    after = get_opportunity(client, catalog, answer["Id"], pace)
    return Outcome(None, after, ["(new opportunity)"], 1)


@WRITE_RETRY
def _associate(client: Any, **params: Any) -> Dict[str, Any]:
    return client.associate_opportunity(**params)


@WRITE_RETRY
def _disassociate(client: Any, **params: Any) -> Dict[str, Any]:
    return client.disassociate_opportunity(**params)


def apply_associations(
    client: Any,
    catalog: str,
    record: Dict[str, Any],
    wanted: Dict[str, Optional[List[str]]],
    purge: bool = False,
    check_mode: bool = False,
    pace: Pace = None,
) -> Outcome:
    """The related entities of the record brought to the wanted lists: every association first, then (purge) the
    disassociations, one call each; the record read again after any change."""
    associate, disassociate = association_plan(record, wanted, purge)
    problems = association_problems(record, associate)
    if problems:
        raise OpportunityRefused(problems)
    changes = [f"RelatedEntityIdentifiers.{kind}" for kind in dict.fromkeys(k for k, _v in associate + disassociate)]
    if not changes or check_mode:
        return Outcome(record, record, changes)
    identifier = record["Id"]
    writes = 0
    for calls, operation, verb in (
        (associate, _associate, "AssociateOpportunity"),
        (disassociate, _disassociate, "DisassociateOpportunity"),
    ):
        for kind, value in calls:
            writes += 1
            _call(
                lambda **params: operation(client, **params),
                f"{verb} of {kind} {value} with {identifier} in catalog {catalog}",
                f"partnercentral:{verb}",
                pace,
                Catalog=catalog,
                OpportunityIdentifier=identifier,
                RelatedEntityType=kind,
                RelatedEntityIdentifier=value,
            )
    return Outcome(record, get_opportunity(client, catalog, identifier, pace), changes, writes)


# ---- submission --------------------------------------------------------------------------------------------------


@READ_RETRY
def _list_submission_tasks_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_engagement_from_opportunity_tasks(**params)


def submission_tasks(client: Any, catalog: str, identifier: str, pace: Pace = None) -> List[Dict[str, Any]]:
    """ListEngagementFromOpportunityTasks of one opportunity, newest first."""
    page = functools.partial(_list_submission_tasks_page, client)
    params = {"OpportunityIdentifier": [identifier], "Sort": {"SortBy": "StartTime", "SortOrder": "DESCENDING"}}
    return list_merged(page, SUBMISSION_TASKS, catalog, params, [{}], "DESCENDING", pace=pace)


def submission_client_token(catalog: str, identifier: str, attempt: int = 0) -> str:
    """The same StartEngagementFromOpportunityTask token on every run for one submission attempt (``attempt``
    counts the FAILED tasks seen: the service would replay a failure for the same token)."""
    seed = f"partnercentral.selling/submission/v1|{catalog}|{identifier}|{attempt}"
    return TOKEN_PREFIX + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40]


@WRITE_RETRY
def _start_submission(client: Any, **params: Any) -> Dict[str, Any]:
    return client.start_engagement_from_opportunity_task(**params)


def submit_opportunity(
    client: Any,
    catalog: str,
    identifier: str,
    involvement_type: str,
    visibility: Optional[str] = None,
    wait: bool = True,
    wait_timeout: float = 600,
    check_mode: bool = False,
    pace: Pace = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """StartEngagementFromOpportunityTask once: an opportunity no longer Pending Submission, or with a live task,
    is left alone (the live task is adopted and waited on); what the service would refuse raises OpportunityRefused
    before any write. ``task`` of the outcome is the task started or adopted, as the List call last answered it."""
    record = get_opportunity(client, catalog, identifier, pace)
    tasks = submission_tasks(client, catalog, identifier, pace)
    live = [task for task in tasks if task.get("TaskStatus") == IN_PROGRESS]
    if review_status(record) != PENDING_SUBMISSION or live:
        task = live[0] if live else (tasks[0] if tasks else None)
        if task is not None and wait and task.get("TaskStatus") == IN_PROGRESS:
            task = wait_for_submission(client, catalog, task["TaskId"], wait_timeout, pace, sleep, clock)
        return Outcome(record, record, [], 0, task)
    problems = submission_problems(record, involvement_type)
    if problems:
        raise OpportunityRefused(problems)
    if check_mode:
        return Outcome(record, record, ["LifeCycle.ReviewStatus"], 0)
    attempt = sum(1 for task in tasks if task.get("TaskStatus") == "FAILED")
    submission = {"InvolvementType": involvement_type}
    if visibility:
        submission["Visibility"] = visibility
    task = _call(
        lambda **params: _start_submission(client, **params),
        f"StartEngagementFromOpportunityTask of {identifier} in catalog {catalog}",
        "partnercentral:StartEngagementFromOpportunityTask",
        pace,
        Catalog=catalog,
        Identifier=identifier,
        ClientToken=submission_client_token(catalog, identifier, attempt),
        AwsSubmission=submission,
    )
    if wait and task.get("TaskStatus") not in TERMINAL_STATUSES:
        task = wait_for_submission(client, catalog, task["TaskId"], wait_timeout, pace, sleep, clock)
    return Outcome(record, get_opportunity(client, catalog, identifier, pace), ["LifeCycle.ReviewStatus"], 1, task)


def wait_for_submission(
    client: Any,
    catalog: str,
    task_id: str,
    wait_timeout: float,
    pace: Pace = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Dict[str, Any]:
    """Poll ListEngagementFromOpportunityTasks (the task has no Get call) until the task ends or wait_timeout
    passes; the task as last read (still IN_PROGRESS on a timeout)."""
    deadline = clock() + wait_timeout
    while True:
        page = functools.partial(_list_submission_tasks_page, client)
        tasks = list_merged(page, SUBMISSION_TASKS, catalog, {"TaskIdentifier": [task_id]}, [{}], None, pace=pace)
        task = next((item for item in tasks if item.get("TaskId") == task_id), None)
        if task is None:
            raise PartnerCentralError(
                f"ListEngagementFromOpportunityTasks does not list task {task_id}", code="UnexpectedAnswer"
            )
        if task.get("TaskStatus") in TERMINAL_STATUSES or clock() >= deadline:
            return task
        sleep(min(SUBMISSION_POLL_INTERVAL, max(0.0, deadline - clock())))
