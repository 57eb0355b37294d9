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
#   a throttled start goes back to the head of the queue at the pacer's next slot (and the pacer slows down), a
#   transient failure likewise after a backoff of up to TRANSIENT_BACKOFF_MAX seconds; at most START_ATTEMPTS Start
#   requests per item, all with the same client token, so that a repeated request replays instead of duplicating.
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
