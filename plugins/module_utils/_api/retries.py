# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The retry policy of the collection: this is the one place where it is defined."""

from __future__ import annotations

from typing import Any

try:
    import botocore
except ImportError:
    pass  # The module base reports a missing botocore.

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Three layers could retry a call; each kind of failure has exactly one owner, and every attempt count is bounded:
# - botocore retries nothing (client_config: total_max_attempts 1), so that no retry happens out of sight.
# - Reads (List, Get): READ_RETRY below retries throttling and transient 5xx with jittered backoff, READ_ATTEMPTS
#   requests per call at most. The engine paces reads below the read quota, so this is the rare case.
# - Starts (StartOpportunityFromEngagementTask): no retry here. The engine owns them (ConversionEngine._start in
#   _engine/engine.py): a throttled start goes back to the head of the queue at the pacer's next slot (and the pacer
#   slows down) until the item's wait_timeout, however many throttles (the quota is shared with the account's other
#   clients); a transient failure likewise after a backoff of up to TRANSIENT_BACKOFF_MAX seconds, at most
#   START_ATTEMPTS failed requests per item; all with the same client token, so that a repeated request replays
#   instead of duplicating.
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


def client_config() -> Any:
    """botocore's own retries are off: the retry policy above owns every retry (one request per botocore call)."""
    return botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1})
