# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every AWS call of the collection: small functions, one retry policy, one error path, answers in snake_case.

An API error becomes a PartnerCentralError, amazon.aws's AnsibleAWSError carrying the botocore exception, so that a
module fails through fail_json_aws with the error code, the request id and the SDK versions, and a batch item keeps
the code and the request id.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterable
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence

try:
    import botocore
except ImportError:
    pass  # The module base reports a missing botocore.

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# ---- The retry policy of the collection: this is the one place where it is defined ---------------------------------
# Three layers could retry a call; each kind of failure has exactly one owner, and every attempt count is bounded:
# - botocore retries nothing (client_config: total_max_attempts 1), so that no retry happens out of sight.
# - Reads (List, Get): READ_RETRY below retries throttling and transient 5xx with jittered backoff, READ_ATTEMPTS
#   requests per call at most. The engine paces reads below the read quota, so this is the rare case.
# - Starts (StartOpportunityFromEngagementTask): no retry here. The engine owns them (engine.ConversionEngine._start):
#   a throttled start goes back to the head of the queue at the pacer's next slot (and the pacer slows down) until
#   the item's wait_timeout, however many throttles (the quota is shared with the account's other clients); a
#   transient failure likewise after a backoff of up to TRANSIENT_BACKOFF_MAX seconds, at most START_ATTEMPTS failed
#   requests per item; all with the same client token, so that a repeated request replays instead of duplicating.
# - Single writes outside the engine (Accept/RejectEngagementInvitation, one per module run): WRITE_RETRY, the bounds
#   of reads; a repeated request is safe because the invitation module reads the status back on a ConflictException.
# ThrottlingException is this service's throttling code and InternalServerException its 5xx; amazon.aws's default
# list knows neither.
THROTTLING_CODES = ("ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded")
TRANSIENT_CODES = (
    "InternalServerException",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "Unavailable",
    # botocore's classes of a connection lost after the request was sent (the engine retries starts on them).
    "ReadTimeoutError",
    "ConnectionClosedError",
)
RETRY_ERROR_CODES = list(THROTTLING_CODES + TRANSIENT_CODES)
READ_ATTEMPTS = 8
START_ATTEMPTS = 10
TRANSIENT_BACKOFF_MAX = 8.0
READ_RETRY = AWSRetry.jittered_backoff(
    retries=READ_ATTEMPTS,
    delay=1,
    backoff=2.0,
    max_delay=10,
    catch_extra_error_codes=RETRY_ERROR_CODES,
)
WRITE_RETRY = READ_RETRY

API_FILTER_MAX_VALUES = 10
LIST_PAGE_SIZE = 100
TERMINAL_STATUSES = ("COMPLETE", "FAILED")
TOKEN_PREFIX = "ansible-pcs-"

# What a partner can do about each ReasonCode of a FAILED task.
REASON_HINTS = {
    "ContextNotFound": "The context id does not exist on this engagement: check context_identifier with GetEngagement.",
    "CustomerProjectContextNotPermitted": (
        "Only Lead contexts convert: this context is a CustomerProject; use the lead's context id."
    ),
    "DisqualifiedLeadNotPermitted": "The lead is disqualified: qualify it (UpdateEngagementContext) before converting.",
    "EngagementAccessDenied": (
        "The account cannot see this engagement: accept the invitation or check IAM permissions."
    ),
    "OpportunityAccessDenied": (
        "The account may not create opportunities: check the IAM policy for partnercentral actions."
    ),
    "EngagementValidationFailed": "The engagement data is incomplete or invalid: fix it in Partner Central and re-run.",
    "OpportunityValidationFailed": "The opportunity made from the lead is invalid: complete the lead data, re-run.",
    "OpportunityConflict": "An opportunity already exists for this context: look it up before converting again.",
    "EngagementConflict": "The engagement changed during the conversion: re-run to retry.",
    "ServiceQuotaExceeded": "A Partner Central quota is exhausted: wait for the 24 h window to roll, then re-run.",
    "RequestThrottled": "The task was throttled: re-run later or lower the write rate.",
    "InternalError": "Partner Central failed internally: re-run; the task is retried with a new client token.",
    # The ReasonCode enum is shared by the service's other tasks; these codes come from the steps around the
    # opportunity (invitation, resource snapshot and its job, submission).
    "InvitationAccessDenied": "The account may not act on the engagement invitation: check the invitation and IAM.",
    "InvitationValidationFailed": "The engagement invitation is not open (expired or answered): check it, re-run.",
    "EngagementInvitationConflict": "The engagement invitation changed during the conversion: re-run to retry.",
    "OpportunitySubmissionFailed": (
        "The opportunity could not be submitted: complete and submit it in Partner Central; do not convert again."
    ),
    "ResourceSnapshotAccessDenied": "The account may not snapshot the opportunity: check the IAM permissions, re-run.",
    "ResourceSnapshotValidationFailed": "The opportunity snapshot was refused: complete the opportunity, re-run.",
    "ResourceSnapshotConflict": "A snapshot of the opportunity was being made at the same time: re-run later.",
    "ResourceSnapshotJobAccessDenied": (
        "The account may not run the opportunity's snapshot job: check the IAM permissions, re-run."
    ),
    "ResourceSnapshotJobValidationFailed": "The snapshot job of the opportunity was refused: check it, re-run.",
    "ResourceSnapshotJobConflict": "A snapshot job of the opportunity is already running: re-run later.",
}
DEFAULT_HINT = "See the task message; a re-run starts a new attempt."

# Errors that no retry or other item can fix: the batch stops and the rest is reported not started.
FATAL_ERROR_CODES = {
    "AccessDeniedException",
    "ServiceQuotaExceededException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "IncompleteSignatureException",
    "AuthFailure",
}


class PartnerCentralError(AnsibleAWSError):
    """A failed API call: amazon.aws's error with the botocore exception (``exception``), the AWS error code (or the
    botocore error class), the request id, and whether the batch must stop.

    ``message`` says what failed, the service's words and what to do; ``summary`` is the same without the service's
    words, for fail_json_aws, which appends the botocore exception's own text.
    """

    def __init__(
        self,
        message: str,
        code: str = "",
        fatal: bool = False,
        exception: Optional[BaseException] = None,
        summary: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message=message, exception=exception)
        self.code = code
        self.fatal = fatal
        self.summary = summary or message
        response = getattr(exception, "response", None) or {}
        self.request_id = request_id or (response.get("ResponseMetadata") or {}).get("RequestId") or None

    def __str__(self) -> str:
        # The message already quotes the service; AnsibleAWSError's form would repeat it.
        return self.message

    @property
    def throttled(self) -> bool:
        return self.code in THROTTLING_CODES

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT_CODES


def error_code(error: BaseException) -> str:
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code", "") or ""
    return type(error).__name__


def describe_error(error: BaseException, action: str, iam_action: str) -> PartnerCentralError:
    """One error path: the AWS error turned into a message that says what failed and what to do."""
    code = error_code(error)
    if isinstance(error, botocore.exceptions.ClientError):
        detail = error.response.get("Error", {}).get("Message", "") or str(error)
    else:
        detail = str(error)
    advice = ""
    if code == "AccessDeniedException":
        advice = f" (the credentials need IAM permission {iam_action} for this catalog)"
    elif code == "ServiceQuotaExceededException":
        advice = " (a Partner Central daily quota is exhausted; re-run after the 24 h window rolls)"
    elif code in FATAL_ERROR_CODES or isinstance(error, botocore.exceptions.NoCredentialsError):
        advice = " (check the AWS credentials given to the collection)"
    fatal = code in FATAL_ERROR_CODES or isinstance(
        error,
        (
            botocore.exceptions.NoCredentialsError,
            botocore.exceptions.EndpointConnectionError,
            botocore.exceptions.ConnectTimeoutError,
        ),
    )
    return PartnerCentralError(
        f"{action} failed: {code}: {detail}{advice}",
        code=code,
        fatal=fatal,
        exception=error,
        summary=f"{action} failed{advice}",
    )


def check_answer(answer: Dict[str, Any], action: str) -> None:
    """Refuse an answer that is not the API's JSON (a proxy or captive portal answering HTML with status 200).

    botocore turns a body that is not JSON into an empty result, which would read as "no earlier tasks" and lead
    to starts that cannot be followed; the batch stops instead, as for an unreachable endpoint.
    """
    metadata = answer.get("ResponseMetadata") or {}
    headers = metadata.get("HTTPHeaders") or {}
    content_type = str(headers.get("content-type") or "")
    if content_type and "json" not in content_type.lower():
        raise PartnerCentralError(
            f"{action} failed: UnexpectedAnswer: the endpoint answered {content_type!r}, not the API's JSON "
            "(check the endpoint URL and any proxy between)",
            code="UnexpectedAnswer",
            fatal=True,
            request_id=metadata.get("RequestId"),
        )


def derive_client_token(catalog: str, engagement_id: str, context_identifier: str, attempt: int = 0) -> str:
    """A token that is the same on every run for one conversion attempt, so a re-run replays instead of duplicating.

    attempt counts the FAILED tasks seen for the context: the service would replay a failure for the same token.
    """
    seed = f"partnercentral.selling/v1|{catalog}|{engagement_id}|{context_identifier}|{attempt}"
    return TOKEN_PREFIX + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40]


def normalize_task(task: Dict[str, Any]) -> Dict[str, Any]:
    """A task of the API (Start answer or List summary) in snake_case, times as ISO 8601 text."""
    task = {key: value for key, value in task.items() if key != "ResponseMetadata"}
    for key, value in task.items():
        if isinstance(value, datetime.datetime):
            task[key] = value.isoformat()
    return camel_dict_to_snake_dict(task)


def client_config() -> Any:
    """botocore's own retries are off: the retry policy above owns every retry (one request per botocore call)."""
    return botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1})


def _start_task(client: Any, **params: Any) -> Dict[str, Any]:
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
    try:
        answer = _start_task(client, **params)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise describe_error(e, action, "partnercentral:StartOpportunityFromEngagementTask") from e
    check_answer(answer, action)
    if not answer.get("TaskId") or not answer.get("TaskStatus"):
        raise PartnerCentralError(
            f"{action} failed: UnexpectedAnswer: the answer has no TaskId or TaskStatus to follow; "
            "a re-run looks the task up and adopts it if one was started",
            code="UnexpectedAnswer",
            request_id=(answer.get("ResponseMetadata") or {}).get("RequestId"),
        )
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


@READ_RETRY
def _list_tasks_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_opportunity_from_engagement_tasks(**params)


def list_tasks_pages(
    client: Any, catalog: str, pace: Optional[Callable[[], None]] = None, **filters: Any
) -> Iterator[List[Dict[str, Any]]]:
    """ListOpportunityFromEngagementTasks page by page (raw summaries), so callers can stop early.

    pace is called before each request: the batch engine uses it to keep reads within the read quota.
    """
    params: Dict[str, Any] = dict(Catalog=catalog, MaxResults=LIST_PAGE_SIZE)
    params.update({key: value for key, value in filters.items() if value})
    while True:
        if pace is not None:
            pace()
        try:
            page = _list_tasks_page(client, **params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            raise describe_error(
                e,
                f"ListOpportunityFromEngagementTasks in catalog {catalog}",
                "partnercentral:ListOpportunityFromEngagementTasks",
            ) from e
        check_answer(page, f"ListOpportunityFromEngagementTasks in catalog {catalog}")
        yield page.get("TaskSummaries", [])
        token = page.get("NextToken")
        if not token:
            return
        params["NextToken"] = token


def start_time_key(task: Dict[str, Any]) -> float:
    """Sort key of a task by its StartTime; a task without one sorts first."""
    start = task.get("StartTime")
    return start.timestamp() if hasattr(start, "timestamp") else 0.0


def chunks(values: Sequence[Any], size: int = API_FILTER_MAX_VALUES) -> Iterator[List[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


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
    """Tasks that match every filter given; lists longer than the API's 10 values are split into several calls."""
    filter_lists = {
        "TaskIdentifier": list(dict.fromkeys(task_ids)),
        "EngagementIdentifier": list(dict.fromkeys(engagement_ids)),
        "ContextIdentifier": list(dict.fromkeys(str(c) for c in context_ids)),
        "OpportunityIdentifier": list(dict.fromkeys(opportunity_ids)),
    }
    combos: List[Dict[str, Any]] = [{}]
    for name, values in filter_lists.items():
        if values:
            combos = [dict(combo, **{name: chunk}) for combo in combos for chunk in chunks(values)]
    sort = {"SortBy": "StartTime", "SortOrder": sort_order} if sort_order else None
    found: Dict[str, Dict[str, Any]] = {}
    for combo in combos:
        for page in list_tasks_pages(client, catalog, pace, TaskStatus=list(statuses), Sort=sort, **combo):
            for task in page:
                found.setdefault(task["TaskId"], task)
            if max_results and len(combos) == 1 and len(found) >= max_results:
                break
    tasks = list(found.values())
    if sort_order or len(combos) > 1:
        tasks.sort(key=start_time_key, reverse=(sort_order != "ASCENDING"))
    return tasks[:max_results] if max_results else tasks


def find_finished_since(
    client: Any, catalog: str, since: Any, pace: Optional[Callable[[], None]] = None
) -> List[Dict[str, Any]]:
    """Finished tasks of the catalog started at or after `since` (a StartTime of the service), newest first.

    One call returns up to LIST_PAGE_SIZE tasks of any engagement: cheaper than asking 10 task ids a call when
    many tasks are waited on at once.
    """
    found: List[Dict[str, Any]] = []
    sort = {"SortBy": "StartTime", "SortOrder": "DESCENDING"}
    for page in list_tasks_pages(client, catalog, pace, TaskStatus=list(TERMINAL_STATUSES), Sort=sort):
        found.extend(task for task in page if task.get("StartTime") is None or task["StartTime"] >= since)
        if page and page[-1].get("StartTime") is not None and page[-1]["StartTime"] < since:
            break
    return found


# ---- the lead intake: invitations, engagements -------------------------------------------------------------------


def snake_answer(answer: Dict[str, Any]) -> Dict[str, Any]:
    """An answer of the API (invitation, engagement...) in snake_case, every timestamp as ISO 8601 text."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return camel_dict_to_snake_dict(plain({key: value for key, value in answer.items() if key != "ResponseMetadata"}))


def _call(
    operation: Callable[..., Dict[str, Any]],
    action: str,
    iam_action: str,
    pace: Optional[Callable[[], None]] = None,
    **params: Any,
) -> Dict[str, Any]:
    """One call through the error path: pace first, a PartnerCentralError naming the IAM action on failure."""
    if pace is not None:
        pace()
    try:
        answer = operation(**params)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise describe_error(e, action, iam_action) from e
    check_answer(answer, action)
    return answer


def _filter_combos(filter_lists: Dict[str, List[Any]]) -> List[Dict[str, Any]]:
    """The API calls for filters of OR-ed values longer than the API's 10 values: one call per chunk combination."""
    combos: List[Dict[str, Any]] = [{}]
    for name, values in filter_lists.items():
        values = list(dict.fromkeys(values))
        if values:
            combos = [dict(combo, **{name: chunk}) for combo in combos for chunk in chunks(values)]
    return combos


def _sort_time(item: Dict[str, Any], key: str) -> float:
    value = item.get(key)
    return value.timestamp() if hasattr(value, "timestamp") else 0.0


def _list_merged(
    list_page: Callable[..., Dict[str, Any]],
    result_key: str,
    id_key: str,
    time_key: str,
    action: str,
    iam_action: str,
    params: Dict[str, Any],
    combos: List[Dict[str, Any]],
    sort_order: str,
    max_results: Optional[int],
    pace: Optional[Callable[[], None]],
    stop_before: Optional[datetime.datetime] = None,
) -> List[Dict[str, Any]]:
    """Every page of every chunk combination, merged without duplicates and sorted again by time_key.

    max_results stops the paging early when a single combination is listed (its pages come in order); stop_before
    (newest first only) stops once the pages reach items older than it.
    """
    found: Dict[str, Dict[str, Any]] = {}
    for combo in combos:
        request = dict(params, **combo)
        while True:
            page = _call(list_page, action, iam_action, pace, **request)
            items = page.get(result_key, [])
            for item in items:
                found.setdefault(item[id_key], item)
            if max_results and len(combos) == 1 and len(found) >= max_results:
                break
            if stop_before is not None and items and sort_order == "DESCENDING":
                last = items[-1].get(time_key)
                if last is not None and last < stop_before:
                    break
            token = page.get("NextToken")
            if not token:
                break
            request["NextToken"] = token
    merged = sorted(found.values(), key=lambda item: _sort_time(item, time_key), reverse=sort_order == "DESCENDING")
    return merged[:max_results] if max_results else merged


@READ_RETRY
def _list_invitations_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_engagement_invitations(**params)


def list_invitations(
    client: Any,
    catalog: str,
    participant_type: str = "RECEIVER",
    payload_types: Iterable[str] = (),
    statuses: Iterable[str] = (),
    sender_account_ids: Iterable[str] = (),
    engagement_ids: Iterable[str] = (),
    sort_by: str = "InvitationDate",
    sort_order: str = "DESCENDING",
    max_results: Optional[int] = None,
    pace: Optional[Callable[[], None]] = None,
) -> List[Dict[str, Any]]:
    """ListEngagementInvitations with every filter (AND between filters, OR within one), following pagination."""
    params: Dict[str, Any] = dict(
        Catalog=catalog,
        ParticipantType=participant_type,
        MaxResults=LIST_PAGE_SIZE,
        Sort={"SortBy": sort_by, "SortOrder": sort_order},
    )
    if payload_types:
        params["PayloadType"] = list(dict.fromkeys(payload_types))
    combos = _filter_combos(
        {
            "Status": list(statuses),
            "SenderAwsAccountId": list(sender_account_ids),
            "EngagementIdentifier": list(engagement_ids),
        }
    )
    return _list_merged(
        lambda **request: _list_invitations_page(client, **request),
        "EngagementInvitationSummaries",
        "Id",
        "InvitationDate",
        f"ListEngagementInvitations in catalog {catalog}",
        "partnercentral:ListEngagementInvitations",
        params,
        combos,
        sort_order,
        max_results,
        pace,
    )


@READ_RETRY
def _get_invitation(client: Any, **params: Any) -> Dict[str, Any]:
    return client.get_engagement_invitation(**params)


def get_invitation(
    client: Any, catalog: str, identifier: str, pace: Optional[Callable[[], None]] = None
) -> Dict[str, Any]:
    """GetEngagementInvitation: the invitation in full (payload, message, rejection reason)."""
    answer = _call(
        lambda **params: _get_invitation(client, **params),
        f"GetEngagementInvitation of {identifier} in catalog {catalog}",
        "partnercentral:GetEngagementInvitation",
        pace,
        Catalog=catalog,
        Identifier=identifier,
    )
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


@WRITE_RETRY
def _accept_invitation(client: Any, **params: Any) -> Dict[str, Any]:
    return client.accept_engagement_invitation(**params)


def accept_invitation(client: Any, catalog: str, identifier: str) -> None:
    """AcceptEngagementInvitation: synchronous, no ClientToken, no output; cannot be undone."""
    _call(
        lambda **params: _accept_invitation(client, **params),
        f"AcceptEngagementInvitation of {identifier} in catalog {catalog}",
        "partnercentral:AcceptEngagementInvitation",
        Catalog=catalog,
        Identifier=identifier,
    )


@WRITE_RETRY
def _reject_invitation(client: Any, **params: Any) -> Dict[str, Any]:
    return client.reject_engagement_invitation(**params)


def reject_invitation(client: Any, catalog: str, identifier: str, rejection_reason: Optional[str] = None) -> None:
    """RejectEngagementInvitation: the engagement becomes inaccessible for good."""
    params: Dict[str, Any] = dict(Catalog=catalog, Identifier=identifier)
    if rejection_reason:
        params["RejectionReason"] = rejection_reason
    _call(
        lambda **request: _reject_invitation(client, **request),
        f"RejectEngagementInvitation of {identifier} in catalog {catalog}",
        "partnercentral:RejectEngagementInvitation",
        **params,
    )


@READ_RETRY
def _list_engagements_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_engagements(**params)


def list_engagements(
    client: Any,
    catalog: str,
    engagement_ids: Iterable[str] = (),
    created_by: Iterable[str] = (),
    exclude_created_by: Sequence[str] = (),
    context_types: Iterable[str] = (),
    exclude_context_types: Iterable[str] = (),
    sort_by: str = "CreatedDate",
    sort_order: str = "DESCENDING",
    max_results: Optional[int] = None,
    created_after: Optional[datetime.datetime] = None,
    pace: Optional[Callable[[], None]] = None,
) -> List[Dict[str, Any]]:
    """ListEngagements with every filter, following pagination; engagement summaries as the API answers them.

    engagement_ids and created_by (OR-ed values) longer than 10 are split into several calls; exclude_created_by
    (AND-ed exclusions) sends its first 10 accounts and drops the others' engagements here. created_after keeps
    the engagements created at or after it (the API has no such filter).
    """
    exclude_created_by = list(dict.fromkeys(exclude_created_by))
    params: Dict[str, Any] = dict(
        Catalog=catalog, MaxResults=LIST_PAGE_SIZE, Sort={"SortBy": sort_by, "SortOrder": sort_order}
    )
    if context_types:
        params["ContextTypes"] = list(dict.fromkeys(context_types))
    if exclude_context_types:
        params["ExcludeContextTypes"] = list(dict.fromkeys(exclude_context_types))
    if exclude_created_by:
        params["ExcludeCreatedBy"] = exclude_created_by[:API_FILTER_MAX_VALUES]
    combos = _filter_combos({"EngagementIdentifier": list(engagement_ids), "CreatedBy": list(created_by)})
    local_filter = bool(exclude_created_by[API_FILTER_MAX_VALUES:] or created_after)
    found = _list_merged(
        lambda **request: _list_engagements_page(client, **request),
        "EngagementSummaryList",
        "Id",
        "CreatedAt",
        f"ListEngagements in catalog {catalog}",
        "partnercentral:ListEngagements",
        params,
        combos,
        sort_order,
        None if local_filter else max_results,
        pace,
        stop_before=created_after,
    )
    excluded = set(exclude_created_by[API_FILTER_MAX_VALUES:])
    found = [
        engagement
        for engagement in found
        if engagement.get("CreatedBy") not in excluded
        and (created_after is None or engagement.get("CreatedAt") is None or engagement["CreatedAt"] >= created_after)
    ]
    return found[:max_results] if max_results else found


@READ_RETRY
def _get_engagement(client: Any, **params: Any) -> Dict[str, Any]:
    return client.get_engagement(**params)


def get_engagement(
    client: Any, catalog: str, identifier: str, pace: Optional[Callable[[], None]] = None
) -> Dict[str, Any]:
    """GetEngagement: the engagement with its contexts (Lead payloads: QualificationStatus, Customer...)."""
    answer = _call(
        lambda **params: _get_engagement(client, **params),
        f"GetEngagement of {identifier} in catalog {catalog}",
        "partnercentral:GetEngagement",
        pace,
        Catalog=catalog,
        Identifier=identifier,
    )
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}
