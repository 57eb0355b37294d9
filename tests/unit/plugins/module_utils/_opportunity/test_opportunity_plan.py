# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_opportunity/plan.py: an update decided from the options given and the record read."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.plan import given_fields
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.plan import plan_update
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import T_MODIFIED
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import complete
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import converted


def _given(options):
    """The options as the module receives them (Ansible fills every suboption not given with None)."""
    result = ArgumentSpecValidator(options_spec()).validate(options)
    assert result.error_messages == []
    return given_fields(result.validated_parameters)


def test_bad_values_are_found_before_any_call():
    given, problems = _given({"life_cycle": {"stage": "Won"}, "customer": {"account": {"industry": "Retail"}}})
    assert given == {"LifeCycle": {"Stage": "Won"}, "Customer": {"Account": {"Industry": "Retail"}}}
    assert len(problems) == 1 and problems[0].startswith("life_cycle.stage must be one of 'Prospect', ")


def test_a_converted_lead_completed():
    given, problems = _given(
        {
            "opportunity_type": "Net New Business",
            "project": {
                "title": "Data platform migration",
                "customer_business_problem": "The warehouse cannot keep up with the customer's growth.",
                "expected_customer_spend": [
                    {"amount": 5000, "currency_code": "USD", "frequency": "Monthly", "target_company": "AWS"}
                ],
            },
            "life_cycle": {"target_close_date": "2026-12-31"},
        }
    )
    assert problems == []
    plan = plan_update(converted(), given)
    assert plan.problems == []
    assert plan.changes == [
        "Project.Title",
        "Project.ExpectedCustomerSpend",
        "Project.CustomerBusinessProblem",
        "LifeCycle.TargetCloseDate",
        "OpportunityType",
    ]
    assert plan.payload["LastModifiedDate"] == T_MODIFIED
    assert plan.payload["Customer"] == converted()["Customer"]
    assert plan.payload["Project"]["ExpectedCustomerSpend"][0]["Amount"] == "5000"


def test_no_change_sends_nothing():
    given, _problems = _given({"customer": {"account": {"company_name": "Example Corp"}}})
    plan = plan_update(complete(), given)
    assert plan.changes == [] and plan.payload is None and plan.problems == []


def test_a_change_the_review_status_forbids_sends_nothing():
    given, _problems = _given({"project": {"title": "New title"}})
    plan = plan_update(complete(ReviewStatus="In review"), given)
    assert plan.payload is None
    assert plan.problems == [
        "O1234567 is 'In review': no field may change while AWS is reviewing it (the change would set project.title)"
    ]
    # The same change on an opportunity still being prepared goes through.
    assert plan_update(complete(), given).payload["Project"]["Title"] == "New title"


def test_required_members_missing_from_what_would_be_sent():
    record = converted()
    del record["Customer"]["Account"]["CompanyName"]  # cannot happen with the service; the rule still holds
    given, _problems = _given({"customer": {"account": {"industry": "Retail"}}})
    plan = plan_update(record, given)
    assert plan.payload is None
    assert plan.problems == ["customer.account.company_name is required when customer.account is given"]
