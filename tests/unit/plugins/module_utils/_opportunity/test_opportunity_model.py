# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_opportunity/model.py: given fields checked against the installed botocore model, with option names."""

from __future__ import annotations

import copy
import re

import botocore.loaders
import botocore.model
import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity import rules
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import merge
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import NOT_READ
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import SERVICE_NAME
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import enum_values
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import fields_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import input_shape
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import pattern_matches
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import service_model


def test_review_statuses_and_stages_are_the_models():
    assert set(enum_values("LifeCycle.ReviewStatus")) == set(rules.REVIEW_STATUSES)
    assert set(rules.EDITABLE_STATUSES + rules.READ_ONLY_STATUSES + (rules.ACTION_REQUIRED,)) == set(
        rules.REVIEW_STATUSES
    )
    assert rules.CLOSED_LOST in enum_values("LifeCycle.Stage")
    assert rules.CO_SELL in enum_values("AwsSubmission.InvolvementType", "StartEngagementFromOpportunityTask")
    related = input_shape("AssociateOpportunity").members["RelatedEntityType"].enum
    assert set(rules.SOLUTION_ENTITY_TYPES) & set(related) >= {"Solutions"}


def test_rule_paths_are_members_of_the_model():
    from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import node_at

    paths = rules.ACTION_REQUIRED_FIELDS + rules.APPROVED_LOCKED_FIELDS
    paths += tuple(path for path, _condition, _why in rules.SUBMISSION_REQUIRED)
    for path in paths:
        assert node_at(path) is not None, path
        enum_values(path)  # raises KeyError for a member the model does not have


def _patterns(shape, seen=None):
    seen = set() if seen is None else seen
    if shape.name in seen:
        return
    seen.add(shape.name)
    if "pattern" in shape.metadata:
        yield shape.name, shape.metadata["pattern"]
    for sub in getattr(shape, "members", {}).values():
        yield from _patterns(sub, seen)
    if shape.type_name == "list":
        yield from _patterns(shape.member, seen)


@pytest.mark.parametrize("operation", ["UpdateOpportunity", "CreateOpportunity"])
def test_every_pattern_of_the_input_is_usable(operation):
    found = list(_patterns(input_shape(operation)))
    assert len(found) > 10
    for name, pattern in found:
        if "\\p{" in pattern:
            assert name.startswith("Tag"), name  # Unicode property classes: only the tag rules (_validation's)
            continue
        re.compile(pattern)  # Python reads it
        pattern_matches(pattern, "x")


def test_patterns_follow_the_model():
    assert pattern_matches("(?s).{20,2000}", "line one\nline two, long enough")
    assert not pattern_matches("(?s).{20,2000}", "too short")
    assert pattern_matches(r"\+[1-9]\d{1,14}", "+14155550100")
    assert not pattern_matches(r"\+[1-9]\d{1,14}", "+1415555010\u0661")  # an Arabic-Indic digit is not \d there
    assert not pattern_matches("[1-9][0-9]{3}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])", "2026-12-31\n")


def test_valid_fields_have_no_problem():
    given = {
        "OpportunityType": "Net New Business",
        "Customer": {"Account": {"Industry": "Software and Internet", "Address": {"CountryCode": "JP"}}},
        "Project": {
            "ExpectedCustomerSpend": [
                {"Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}
            ],
            "CustomerBusinessProblem": "A problem long enough for the model's twenty characters.",
        },
        "LifeCycle": {"Stage": "Qualified", "TargetCloseDate": "2026-12-31"},
    }
    merged = copy.deepcopy(given)
    merged["Customer"]["Account"]["CompanyName"] = "Example Corp"  # read from the record
    assert fields_problems(given, merged, "UpdateOpportunity") == []


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"LifeCycle": {"Stage": "closed lost"}}, "life_cycle.stage must be 'Closed Lost' exactly"),
        ({"OpportunityType": "New"}, "opportunity_type must be one of 'Net New Business', 'Flat Renewal', 'Expansion'"),
        (
            {"Customer": {"Account": {"Address": {"CountryCode": "USA"}}}},
            "customer.account.address.country_code: 'USA' is not one of the",
        ),
        (
            {"PrimaryNeedsFromAws": ["Co-Sell - Deal support"]},
            "primary_needs_from_aws[0] must be 'Co-Sell - Deal Support'",
        ),
        ({"Project": {"CustomerBusinessProblem": "short"}}, "project.customer_business_problem 'short' does not match"),
        ({"LifeCycle": {"TargetCloseDate": "31/12/2026"}}, "life_cycle.target_close_date '31/12/2026' does not match"),
        (
            {"Customer": {"Contacts": [{"Email": "jane@example.com", "Phone": "555-0100"}]}},
            "customer.contacts[0].phone '555-0100' does not match",
        ),
    ],
)
def test_bad_values_are_named_by_option(given, expected):
    merged = merge({"Customer": {"Account": {"CompanyName": "Example Corp"}}}, given)
    found = fields_problems(given, merged, operation="UpdateOpportunity")
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_a_long_enum_suggests_close_values():
    given = {"Customer": {"Account": {"Industry": "Sofware and Internet"}}}
    found = fields_problems(given, merge(given, {"Customer": {"Account": {"CompanyName": "Example Corp"}}}))
    assert found == [
        "customer.account.industry: 'Sofware and Internet' is not one of the "
        f"{len(enum_values('Customer.Account.Industry'))} values of the model; did you mean 'Software and Internet'?"
    ]


def test_required_members_are_looked_for_in_what_is_sent():
    spend = {"Amount": "10"}
    given = {"Project": {"ExpectedCustomerSpend": [spend]}}
    found = fields_problems(given, operation="UpdateOpportunity")
    where = "project.expected_customer_spend[0]"
    assert sorted(found) == [
        f"{where}.currency_code is required when {where} is given",
        f"{where}.frequency is required when {where} is given",
        f"{where}.target_company is required when {where} is given",
    ]
    # A structure member not given keeps the value read: required there, found in the merged payload.
    given = {"Customer": {"Account": {"Industry": "Retail"}}}
    assert fields_problems(given, given) == ["customer.account.company_name is required when customer.account is given"]
    merged = {"Customer": {"Account": {"Industry": "Retail", "CompanyName": "Example Corp"}}}
    assert fields_problems(given, merged) == []


def test_before_the_read_only_the_items_of_a_list_given_are_judged_whole():
    given = {"Customer": {"Account": {"Industry": "Retail"}}, "Project": {"ExpectedCustomerSpend": [{"Amount": "1"}]}}
    found = fields_problems(given, NOT_READ)
    assert len(found) == 3
    assert all(problem.startswith("project.expected_customer_spend[0].") for problem in found)
    assert fields_problems({"LifeCycle": {"Stage": "Won"}}, NOT_READ)[0].startswith("life_cycle.stage must be one of")


def test_list_lengths_follow_the_model():
    entry = {"Amount": "1", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}
    found = fields_problems({"Project": {"ExpectedCustomerSpend": [entry] * 11}})
    assert found == ["project.expected_customer_spend must hold 0 to 10 items (got 11)"]


def test_a_member_of_a_newer_model_is_refused_with_an_older_botocore():
    """The oldest supported botocore (1.41.6) has no ExpectedContractDuration: a value given for it is refused with
    the reason, instead of botocore's ParamValidationError after the record was read."""
    raw = botocore.loaders.Loader().load_service_model(SERVICE_NAME, "service-2")
    older = copy.deepcopy(raw)
    project = older["shapes"]["Project"]["members"]
    project.pop("ExpectedContractDuration", None)
    older_model = botocore.model.ServiceModel(older, SERVICE_NAME)
    given = {"Project": {"ExpectedContractDuration": {"Term": "Months", "Value": "12"}}}
    found = fields_problems(given, operation="UpdateOpportunity", model=older_model)
    assert len(found) == 1
    assert re.fullmatch(
        r"project\.expected_contract_duration is not known to the installed botocore \S+: upgrade botocore to use it",
        found[0],
    )


def test_service_model_is_the_installed_one():
    assert service_model().service_name == SERVICE_NAME
    assert "UpdateOpportunity" in service_model().operation_names
