# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one error path of every call: an API error becomes a PartnerCentralError that says what failed and what to do.

PartnerCentralError is amazon.aws's AnsibleAWSError carrying the botocore exception, so that a module fails through
fail_json_aws with the error code, the request id and the SDK versions, and a batch item keeps the code and the
request id.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional

try:
    import botocore
except ImportError:
    pass  # The module base reports a missing botocore.

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import THROTTLING_CODES
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import TRANSIENT_CODES

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


def call(
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
