# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity fields a partner manages, in the API's names, and their module options in snake_case.

``FIELDS`` is the editable part of UpdateOpportunity's input in botocore's model, written out because an argument
spec must not need botocore to be built (ansible-test's validate-modules and ansible-doc load the modules without
it). A unit test compares it with the installed model both ways, so that a member the model adds or drops is seen.
The choice lists are not copied here: enum values are checked against the installed model before any call
(``model.value_problems``), so the modules follow the model without a release of this collection.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Union

# A node: STR for a string member, [node] for a list of node, a dict of member name to node for a structure.
Node = Union[str, List[Any], Dict[str, Any]]
STR = "str"

FIELDS: Dict[str, Node] = {
    "PartnerOpportunityIdentifier": STR,
    "OpportunityType": STR,
    "NationalSecurity": STR,
    "PrimaryNeedsFromAws": [STR],
    "Customer": {
        "Account": {
            "CompanyName": STR,
            "Industry": STR,
            "OtherIndustry": STR,
            "WebsiteUrl": STR,
            "AwsAccountId": STR,
            "Duns": STR,
            "Address": {
                "StreetAddress": STR,
                "City": STR,
                "StateOrRegion": STR,
                "PostalCode": STR,
                "CountryCode": STR,
            },
        },
        "Contacts": [{"Email": STR, "FirstName": STR, "LastName": STR, "BusinessTitle": STR, "Phone": STR}],
    },
    "Project": {
        "Title": STR,
        "CustomerBusinessProblem": STR,
        "CustomerUseCase": STR,
        "DeliveryModels": [STR],
        "ExpectedCustomerSpend": [
            {"Amount": STR, "CurrencyCode": STR, "Frequency": STR, "TargetCompany": STR, "EstimationUrl": STR}
        ],
        "ExpectedContractDuration": {"Term": STR, "Value": STR},
        "ApnPrograms": [STR],
        "RelatedOpportunityIdentifier": STR,
        "SalesActivities": [STR],
        "CompetitorName": STR,
        "OtherCompetitorNames": STR,
        "OtherSolutionDescription": STR,
        "AdditionalComments": STR,
        "AwsPartition": STR,
    },
    "LifeCycle": {"Stage": STR, "ClosedLostReason": STR, "NextSteps": STR, "TargetCloseDate": STR},
    "Marketing": {"CampaignName": STR, "Source": STR, "UseCases": [STR], "Channels": [STR], "AwsFundingUsed": STR},
    "SoftwareRevenue": {
        "DeliveryModel": STR,
        "Value": {"Amount": STR, "CurrencyCode": STR},
        "EffectiveDate": STR,
        "ExpirationDate": STR,
    },
}

# Members of UpdateOpportunity's input that are not options: the request's own (sent from the record read: the
# identifier and the LastModifiedDate of optimistic locking) and those AWS sets or keeps (the model documents
# ReviewStatus as read-only; the review's comments and the history of next steps come from AWS's side). They are
# sent back as read, because an omitted member is set to null.
REQUEST_MEMBERS = ("Catalog", "Identifier", "LastModifiedDate")
SERVICE_MEMBERS = (
    "LifeCycle.ReviewStatus",
    "LifeCycle.ReviewComments",
    "LifeCycle.ReviewStatusReason",
    "LifeCycle.NextStepsHistory",
)
# Members added to the model after the oldest botocore the collection supports (1.41.6). The options exist whatever
# botocore is installed; with a botocore whose model lacks one, a value given for it is refused before any call.
NEWER_MEMBERS = ("Project.ExpectedContractDuration", "Project.AwsPartition")

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def option_name(member: str) -> str:
    """The option of an API member: CustomerBusinessProblem -> customer_business_problem."""
    return _CAMEL_BOUNDARY.sub("_", member).lower()


def option_path(path: str) -> str:
    """A dotted API path in option names: Customer.Account.WebsiteUrl -> customer.account.website_url."""
    return ".".join(option_name(part) for part in path.split("."))


def _spec(node: Node) -> Dict[str, Any]:
    if isinstance(node, dict):
        return dict(type="dict", options=options_spec(node))
    if isinstance(node, list):
        if isinstance(node[0], dict):
            return dict(type="list", elements="dict", options=options_spec(node[0]))
        return dict(type="list", elements="str")
    return dict(type="str")


def options_spec(tree: Optional[Dict[str, Node]] = None) -> Dict[str, Any]:
    """The argument spec of the fields: one option per member, structures as dicts with suboptions (so a misspelled
    key is refused by Ansible), lists of structures as lists of dicts; no choices (see the module docstring)."""
    return {option_name(member): _spec(node) for member, node in (FIELDS if tree is None else tree).items()}


def _convert(value: Any, node: Node, to_api: bool) -> Any:
    if value is None:
        return None
    if isinstance(node, dict):
        if not isinstance(value, dict):
            return value
        out = {}
        for member, sub in node.items():
            key_in, key_out = (option_name(member), member) if to_api else (member, option_name(member))
            converted = _convert(value.get(key_in), sub, to_api)
            if converted is not None:
                out[key_out] = converted
        return out
    if isinstance(node, list):
        if not isinstance(value, list):
            return value
        return [_convert(item, node[0], to_api) for item in value]
    return value


def options_to_api(params: Dict[str, Any], tree: Optional[Dict[str, Node]] = None) -> Dict[str, Any]:
    """The fields given as options, in the API's names. An option left out (None, what Ansible fills in for a
    suboption not given) is not a field given: it keeps the value read. An empty list is given (it empties the list)."""
    return _convert(params, FIELDS if tree is None else tree, True)


def api_to_options(record: Dict[str, Any], tree: Optional[Dict[str, Node]] = None) -> Dict[str, Any]:
    """The managed fields of an API record in option names (what the diff and the result show); other members of the
    record are left out."""
    return _convert(record, FIELDS if tree is None else tree, False)


def managed_fields(record: Dict[str, Any], tree: Optional[Dict[str, Node]] = None) -> Dict[str, Any]:
    """The part of an API record that the options manage, in the API's names (a deep copy)."""
    return copy.deepcopy(options_to_api(api_to_options(record, tree), tree))


def node_at(path: str, tree: Optional[Dict[str, Node]] = None) -> Optional[Node]:
    """The node of a dotted API path in FIELDS (a list's element for a path through a list), None if it is not one."""
    node: Any = FIELDS if tree is None else tree
    for part in path.split("."):
        if isinstance(node, list):
            node = node[0]
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
