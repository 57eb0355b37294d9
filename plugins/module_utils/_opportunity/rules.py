# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What AWS lets a partner change in each ReviewStatus, and what it would refuse at submission.

Sources: the model's documentation of LifeCycle.ReviewStatus and the Partner Central developer guide ("Working with
opportunity updates"; "Working with your opportunities"). The service answers a ValidationException (or, for a
submission, a FAILED task with ReasonCode OpportunityValidationFailed) for each of these; checked here, they cost no
write and name every field at once.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import option_path

PENDING_SUBMISSION = "Pending Submission"
SUBMITTED = "Submitted"
IN_REVIEW = "In review"  # lower-case r, as the model writes it (the guide writes In-Review)
APPROVED = "Approved"
REJECTED = "Rejected"
ACTION_REQUIRED = "Action Required"
REVIEW_STATUSES = (PENDING_SUBMISSION, SUBMITTED, IN_REVIEW, APPROVED, REJECTED, ACTION_REQUIRED)

# All fields editable (Approved with the exceptions below).
EDITABLE_STATUSES = (PENDING_SUBMISSION, APPROVED)
# Nothing editable: under AWS's review, or disqualified.
READ_ONLY_STATUSES = (SUBMITTED, IN_REVIEW, REJECTED)

# The only fields AWS opens in Action Required (the developer guide's list, in the model's member names: the guide's
# Address.Country is CountryCode; every member of an ExpectedCustomerSpend entry is listed, so the list as a whole).
ACTION_REQUIRED_FIELDS = (
    "Customer.Account.Address.City",
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Address.StateOrRegion",
    "Customer.Account.Address.StreetAddress",
    "Customer.Account.WebsiteUrl",
    "LifeCycle.TargetCloseDate",
    "Project.ExpectedCustomerSpend",
    "Project.CustomerBusinessProblem",
    "PartnerOpportunityIdentifier",
)
# The fields that cannot change any more once AWS approved the opportunity (developer guide).
APPROVED_LOCKED_FIELDS = (
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Industry",
    "Customer.Account.WebsiteUrl",
    "Project.CustomerBusinessProblem",
    "PartnerOpportunityIdentifier",
    "Project.Title",
)

CLOSED_LOST = "Closed Lost"
# Related entity types that count as "what the opportunity sells": at least one is required before submission
# (a partner solution; newer models also accept an AWS Marketplace solution or product).
SOLUTION_ENTITY_TYPES = ("Solutions", "AwsMarketplaceSolutions", "AwsMarketplaceProducts")
CO_SELL = "Co-Sell"


def _within(path: str, fields: Iterable[str]) -> bool:
    return any(path == field or path.startswith(field + ".") for field in fields)


def review_status(record: Dict[str, Any]) -> Optional[str]:
    return (record.get("LifeCycle") or {}).get("ReviewStatus")


def edit_problems(status: Optional[str], paths: List[str], identifier: str = "the opportunity") -> List[str]:
    """Why AWS would refuse changing these fields (dotted API paths) of an opportunity in this ReviewStatus; empty
    when it allows them. A status this list does not know (a newer model's) is left to the service."""
    if not paths:
        return []
    names = ", ".join(option_path(path) for path in paths)
    if status in READ_ONLY_STATUSES:
        why = "AWS is reviewing it" if status != REJECTED else "AWS rejected it"
        return [f"{identifier} is {status!r}: no field may change while {why} (the change would set {names})"]
    if status == ACTION_REQUIRED:
        refused = [path for path in paths if not _within(path, ACTION_REQUIRED_FIELDS)]
        if refused:
            allowed = ", ".join(option_path(path) for path in ACTION_REQUIRED_FIELDS)
            return [
                f"{identifier} is 'Action Required': only {allowed} may change; "
                f"not {', '.join(option_path(path) for path in refused)}"
            ]
    if status == APPROVED:
        refused = [path for path in paths if _within(path, APPROVED_LOCKED_FIELDS)]
        if refused:
            return [
                f"{identifier} is 'Approved': {', '.join(option_path(path) for path in refused)} can no longer change"
            ]
    return []


def _value(record: Dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# The fields the service requires before it takes a submission, each with the condition under which it does:
# (path, condition, why). Conditions are functions of the record and the involvement type.
SUBMISSION_REQUIRED: Tuple[Tuple[str, Any, str], ...] = (
    ("Customer.Account.CompanyName", None, ""),
    ("Customer.Account.Industry", None, ""),
    (
        "Customer.Account.OtherIndustry",
        lambda record, involvement: _value(record, "Customer.Account.Industry") == "Other",
        " when the industry is 'Other'",
    ),
    (
        "Customer.Account.WebsiteUrl",
        lambda record, involvement: record.get("NationalSecurity") != "Yes",
        " unless national_security is 'Yes'",
    ),
    ("Customer.Account.Address.CountryCode", None, ""),
    ("Project.Title", None, ""),
    ("Project.CustomerBusinessProblem", None, ""),
    ("Project.ExpectedCustomerSpend", None, ""),
    ("LifeCycle.TargetCloseDate", None, ""),
    ("OpportunityType", None, ""),
    ("PrimaryNeedsFromAws", lambda record, involvement: involvement == CO_SELL, " for a Co-Sell submission"),
)


def submission_problems(record: Dict[str, Any], involvement_type: Optional[str] = None) -> List[str]:
    """What the service would refuse in a submission of this record (GetOpportunity's answer), as problems naming
    the options that fix them; empty when nothing is known to stand in the way."""
    problems = []
    stage = _value(record, "LifeCycle.Stage")
    if stage == CLOSED_LOST:
        problems.append("life_cycle.stage is 'Closed Lost': AWS does not take an opportunity closed before submission")
    related = record.get("RelatedEntityIdentifiers") or {}
    if not any(related.get(kind) for kind in SOLUTION_ENTITY_TYPES):
        problems.append(
            "no solution is associated: associate at least one (the solutions option; "
            "partnercentral_solution_info lists the partner's solutions)"
        )
    missing = [
        option_path(path) + why
        for path, condition, why in SUBMISSION_REQUIRED
        if (condition is None or condition(record, involvement_type)) and _missing(_value(record, path))
    ]
    if missing:
        problems.append("required for submission and missing: " + ", ".join(missing))
    return problems
