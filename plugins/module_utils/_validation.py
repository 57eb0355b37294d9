# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks a conversion request against the service model's rules before any API call.

The rules mirror botocore's partnercentral-selling model (a unit test compares them with the model), so that a
bad item is reported with the option name and the rule instead of costing a write call and a ValidationException.
A pattern applies to the whole value, as the service applies it: a client token that ends in a line break (what a
YAML block scalar gives) breaks ``.{1,255}``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

CATALOGS = ("AWS", "Sandbox")
ENGAGEMENT_ID_PATTERN = r"eng-[0-9a-z]{14}"
# The model only asks for "arn:.*"; an ARN that does not end in an engagement id could never match a task's
# EngagementId, so it is refused here instead of being sent. The service's own engagement ARNs have an empty
# account field (arn:aws:partnercentral:us-east-1::catalog/AWS/engagement/eng-...).
ENGAGEMENT_ARN_PATTERN = (
    r"arn:aws[a-z-]*:partnercentral:[a-z0-9-]*:(?:[0-9]{12})?:catalog/(AWS|Sandbox)/engagement/(eng-[0-9a-z]{14})"
)
CONTEXT_ID_PATTERN = r"[1-9][0-9]*"
CLIENT_TOKEN_MAX_LENGTH = 255
# The model's patterns of StartOpportunityFromEngagementTask's members, exactly as the model writes them.
CATALOG_PATTERN = r"[a-zA-Z]+"
IDENTIFIER_PATTERN = f"(arn:.*|{ENGAGEMENT_ID_PATTERN})"
CLIENT_TOKEN_PATTERN = ".{1,%d}" % CLIENT_TOKEN_MAX_LENGTH
# The model's patterns are ECMAScript's, where "." matches no line terminator; Python's "." matches all but "\n".
_ECMA_DOT = r"[^\n\r\u2028\u2029]"
TAGS_MIN = 1
TAGS_MAX = 200
TAG_KEY_MAX_LENGTH = 128
TAG_VALUE_MAX_LENGTH = 256
# [\p{L}\p{Z}\p{N}_.:/=+\-@]: letters, separators, numbers and a few symbols; Python's re has no \p{..} classes.
TAG_EXTRA_CHARACTERS = frozenset("_.:/=+-@")
TAG_UNICODE_CATEGORIES = ("L", "Z", "N")


def _python_pattern(pattern: str) -> str:
    """A model pattern in Python's syntax: each "." outside a character class becomes ECMAScript's "."."""
    out = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "." and not in_class:
            out.append(_ECMA_DOT)
            continue
        out.append(char)
    return "".join(out)


def matches_model(pattern: str, value: str, flags: int = 0) -> bool:
    """Whether the whole value matches a pattern of the service model (never a prefix, never up to a line break)."""
    return re.fullmatch(_python_pattern(pattern), value, flags=flags) is not None


def engagement_id_of(identifier: str) -> str:
    """The engagement id of an engagement id or ARN, so that both spellings address the same engagement."""
    match = re.fullmatch(ENGAGEMENT_ARN_PATTERN, identifier)
    if match:
        return match.group(2)
    return identifier


def _tag_text_problem(text: str) -> Optional[str]:
    for char in text:
        if char in TAG_EXTRA_CHARACTERS:
            continue
        if unicodedata.category(char)[0] in TAG_UNICODE_CATEGORIES:
            continue
        return f"character {char!r} is not allowed (letters, numbers, spaces and _ . : / = + - @ only)"
    return None


def tags_problems(tags: Optional[Dict[str, Any]]) -> List[str]:
    """Problems of a tags dict against the model's TagList, TagKey and TagValue rules."""
    if tags is None or tags == {}:
        return []  # no tags; the API refuses an empty TagList, so an empty dict is sent as no tags at all
    if not isinstance(tags, dict):
        return [f"tags must be a dictionary of key: value, got {type(tags).__name__}"]
    problems = []
    if not TAGS_MIN <= len(tags) <= TAGS_MAX:
        problems.append(f"tags must hold {TAGS_MIN} to {TAGS_MAX} keys (got {len(tags)}); omit tags for none")
    for key, value in tags.items():
        key = str(key)
        if not 1 <= len(key) <= TAG_KEY_MAX_LENGTH:
            problems.append(f"tag key {key[:40]!r} must be 1 to {TAG_KEY_MAX_LENGTH} characters long (got {len(key)})")
        problem = _tag_text_problem(key)
        if problem:
            problems.append(f"tag key {key[:40]!r}: {problem}")
        if value is None or isinstance(value, (dict, list)):
            problems.append(f"tag {key[:40]!r} must have a string value")
            continue
        value = str(value)
        if len(value) > TAG_VALUE_MAX_LENGTH:
            problems.append(
                f"tag {key[:40]!r} value must be at most {TAG_VALUE_MAX_LENGTH} characters (got {len(value)})"
            )
        problem = _tag_text_problem(value)
        if problem:
            problems.append(f"tag {key[:40]!r} value: {problem}")
    return problems


def request_problems(
    catalog: Any,
    identifier: Any,
    context_identifier: Any,
    tags: Optional[Dict[str, Any]] = None,
    client_token: Any = None,
) -> List[str]:
    """Every rule a conversion request breaks, each naming the option; empty when the request is valid."""
    problems = []
    if catalog not in CATALOGS or not matches_model(CATALOG_PATTERN, catalog):
        problems.append(f"catalog must be one of {', '.join(CATALOGS)} (got {catalog!r})")
    if not isinstance(identifier, str) or not identifier:
        problems.append(
            f"identifier is required: an engagement id (eng- and 14 characters 0-9a-z) or ARN (got {identifier!r})"
        )
    elif identifier.startswith("arn:"):
        match = re.fullmatch(ENGAGEMENT_ARN_PATTERN, identifier)
        if not match or not matches_model(IDENTIFIER_PATTERN, identifier):
            problems.append(
                f"identifier {identifier!r} is not an engagement ARN "
                "(arn:aws:partnercentral:<region>:<account>:catalog/<catalog>/engagement/eng-<14 characters>)"
            )
        elif catalog in CATALOGS and match.group(1) != catalog:
            problems.append(f"identifier {identifier!r} belongs to catalog {match.group(1)}, not {catalog}")
    elif not matches_model(IDENTIFIER_PATTERN, identifier) or not re.fullmatch(ENGAGEMENT_ID_PATTERN, identifier):
        problems.append(f"identifier {identifier!r} must match eng-[0-9a-z]{{14}} (or be an engagement ARN)")
    if isinstance(context_identifier, bool) or not isinstance(context_identifier, (str, int)):
        problems.append(f"context_identifier must be a positive whole number such as '1' (got {context_identifier!r})")
    elif not matches_model(CONTEXT_ID_PATTERN, str(context_identifier)):
        problems.append(f"context_identifier must match [1-9][0-9]* (got {str(context_identifier)!r})")
    if client_token is not None and not (
        isinstance(client_token, str) and 1 <= len(client_token) <= CLIENT_TOKEN_MAX_LENGTH
    ):
        problems.append(f"client_token must be a string of 1 to {CLIENT_TOKEN_MAX_LENGTH} characters")
    elif client_token is not None and not matches_model(CLIENT_TOKEN_PATTERN, client_token):
        problems.append(
            f"client_token must match {CLIENT_TOKEN_PATTERN}: no line break in it (a YAML block scalar such as | "
            "adds one at the end; use |- or a quoted string)"
        )
    problems.extend(tags_problems(tags))
    return problems


def wait_timeout_problems(wait_timeout: int) -> List[str]:
    """The rule of the wait_timeout option that every module shares."""
    return [] if wait_timeout >= 1 else [f"wait_timeout must be at least 1 second (got {wait_timeout})"]


# ---- the lead intake: invitations and engagement listings --------------------------------------------------------
# Enums of botocore's model (a unit test compares them): ListEngagementInvitations' PayloadType and Status,
# ListEngagements' ContextTypes, and the sort keys each List call knows.
INVITATION_ID_PATTERN = r"engi-[0-9a-z]{13}"
INVITATION_ARN_PATTERN = (
    r"arn:aws[a-z-]*:partnercentral:[a-z0-9-]*:(?:[0-9]{12})?:catalog/(AWS|Sandbox)/engagement-invitation/"
    r"(engi-[0-9a-z]{13})"
)
INVITATION_PAYLOAD_TYPES = ("OpportunityInvitation", "LeadInvitation", "AccountPlanningInvitation")
INVITATION_STATUSES = ("PENDING", "ACCEPTED", "REJECTED", "EXPIRED")
PARTICIPANT_TYPES = ("RECEIVER", "SENDER")
INVITATION_SORT_KEYS = ("InvitationDate",)
CONTEXT_TYPES = ("CustomerProject", "Lead", "ProspectingResult", "CustomerAccount")
ENGAGEMENT_SORT_KEYS = ("CreatedDate",)
SORT_ORDERS = ("ASCENDING", "DESCENDING")
# ListSolutions' Status, and the most values of its Identifier and Category filters.
SOLUTION_STATUSES = ("Active", "Inactive", "Draft")
SOLUTION_FILTER_LIMITS = {"Identifier": 20, "Category": 10}
# ListOpportunities' LifeCycleStage and LifeCycleReviewStatus, the most values of its list filters, and the pattern of
# an opportunity id (GetOpportunity's Identifier).
LIFECYCLE_STAGES = (
    "Prospect",
    "Qualified",
    "Technical Validation",
    "Business Validation",
    "Committed",
    "Launched",
    "Closed Lost",
)
REVIEW_STATUSES = ("Pending Submission", "Submitted", "In review", "Approved", "Rejected", "Action Required")
OPPORTUNITY_FILTER_LIMITS = {
    "Identifier": 20,
    "LifeCycleStage": 10,
    "LifeCycleReviewStatus": 10,
    "CustomerCompanyName": 10,
}
OPPORTUNITY_ID_PATTERN = r"O[0-9]{1,19}"
# StartEngagementFromOpportunityTask's AwsSubmission.
INVOLVEMENT_TYPES = ("For Visibility Only", "Co-Sell")
VISIBILITIES = ("Full", "Limited")
# The values RejectEngagementInvitation's documentation lists for RejectionReason (the model has only a pattern).
REJECTION_REASONS = (
    "Customer problem unclear",
    "Next steps unclear",
    "Unable to support",
    "Duplicate of partner referral",
    "Other",
)
# The qualification statuses that Partner Central's lead guide names (the model has a free string).
QUALIFICATION_STATUSES = ("Qualified", "Unqualified", "Disqualified")
# AwsAccount of the model: a 12-digit account id or an alias of up to 12 word characters.
AWS_ACCOUNT_PATTERN = r"([0-9]{12}|\w{1,12})"


def invitation_identifier_problems(identifier: Any, catalog: Any = None) -> List[str]:
    """The rules of an engagement invitation id or ARN (engi- and 13 characters 0-9a-z), as one problem list."""
    if not isinstance(identifier, str) or not identifier:
        return [f"identifier must be an engagement invitation id (engi- and 13 characters 0-9a-z), got {identifier!r}"]
    if identifier.startswith("arn:"):
        match = re.fullmatch(INVITATION_ARN_PATTERN, identifier)
        if not match:
            return [
                f"identifier {identifier!r} is not an engagement invitation ARN "
                "(arn:aws:partnercentral:<region>:<account>:catalog/<catalog>/engagement-invitation/"
                "engi-<13 characters>)"
            ]
        if catalog in CATALOGS and match.group(1) != catalog:
            return [f"identifier {identifier!r} belongs to catalog {match.group(1)}, not {catalog}"]
        return []
    if not re.fullmatch(INVITATION_ID_PATTERN, identifier):
        return [f"identifier {identifier!r} must match {INVITATION_ID_PATTERN} (or be an engagement invitation ARN)"]
    return []


def engagement_identifier_problems(values: Any, option: str) -> List[str]:
    """Each engagement id or ARN of a list option, against the same rules as a conversion's identifier."""
    problems = []
    for value in values or []:
        if not isinstance(value, str) or not (
            re.fullmatch(ENGAGEMENT_ID_PATTERN, value) or re.fullmatch(ENGAGEMENT_ARN_PATTERN, value)
        ):
            problems.append(f"{option}: {value!r} is not an engagement id (eng- and 14 characters 0-9a-z) or ARN")
    return problems


def account_problems(values: Any, option: str) -> List[str]:
    """AWS account ids (or aliases) of a list option, against the model's AwsAccount pattern."""
    return [
        f"{option}: {value!r} is not an AWS account id (12 digits) or alias (up to 12 letters, digits or _)"
        for value in values or []
        if not isinstance(value, str) or not re.fullmatch(AWS_ACCOUNT_PATTERN, value, flags=re.ASCII)
    ]


def max_results_problems(value: int, option: str = "max_results") -> List[str]:
    return [] if value >= 0 else [f"{option} must be 0 (all) or more (got {value})"]


def read_rate_problems(value: float) -> List[str]:
    return [] if value > 0 else [f"read_rate must be a positive number of requests per second (got {value:g})"]
