# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_opportunity/rules.py: what each ReviewStatus lets change, and the submission preflight."""

from __future__ import annotations

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import field_changes
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import ACTION_REQUIRED_FIELDS
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import edit_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import review_status
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import submission_problems
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import complete
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import converted

TITLE = ["Project.Title"]
ADDRESS = ["Customer.Account.Address.City", "Customer.Account.Address.StreetAddress"]


@pytest.mark.parametrize("status", ["Pending Submission", None])
def test_everything_editable(status):
    assert edit_problems(status, TITLE + ADDRESS + ["LifeCycle.Stage", "Marketing.Channels"]) == []


@pytest.mark.parametrize("status", ["Submitted", "In review", "Rejected"])
def test_read_only_statuses_refuse_every_change(status):
    found = edit_problems(status, ADDRESS, "O1234567")
    assert len(found) == 1
    assert found[0].startswith(f"O1234567 is {status!r}: no field may change")
    assert "customer.account.address.city, customer.account.address.street_address" in found[0]


@pytest.mark.parametrize("status", ["Submitted", "In review", "Rejected", "Action Required", "Approved"])
def test_no_change_is_never_refused(status):
    assert edit_problems(status, []) == []


def test_action_required_opens_the_documented_fields_only():
    assert edit_problems("Action Required", list(ACTION_REQUIRED_FIELDS)) == []
    found = edit_problems("Action Required", ADDRESS + TITLE + ["LifeCycle.Stage"], "O1")
    assert len(found) == 1
    assert found[0].startswith("O1 is 'Action Required': only customer.account.address.city, ")
    assert found[0].endswith("; not project.title, life_cycle.stage")


def test_approved_locks_the_documented_fields():
    assert edit_problems("Approved", ADDRESS + ["LifeCycle.Stage", "Project.ExpectedCustomerSpend"]) == []
    found = edit_problems("Approved", TITLE + ["Customer.Account.Industry", "LifeCycle.Stage"], "O1")
    assert found == ["O1 is 'Approved': project.title, customer.account.industry can no longer change"]


def test_rules_on_field_changes_of_a_record():
    record = complete(ReviewStatus="Action Required")
    changes = {"Customer": {"Account": {"WebsiteUrl": "https://example.org", "Industry": "Retail"}}}
    assert review_status(record) == "Action Required"
    found = edit_problems(review_status(record), field_changes(record, changes))
    assert len(found) == 1 and found[0].endswith("; not customer.account.industry")


def test_a_complete_record_may_be_submitted():
    assert submission_problems(complete()) == []
    assert submission_problems(complete(), "Co-Sell") == []


def test_a_converted_lead_lists_everything_missing():
    found = submission_problems(converted(), "Co-Sell")
    assert found == [
        "no solution is associated: associate at least one (the solutions option; partnercentral_solution_info "
        "lists the partner's solutions)",
        "required for submission and missing: project.customer_business_problem, project.expected_customer_spend, "
        "life_cycle.target_close_date, opportunity_type, primary_needs_from_aws for a Co-Sell submission",
    ]


def test_closed_lost_is_refused():
    found = submission_problems(complete(Stage="Closed Lost"))
    assert found == ["life_cycle.stage is 'Closed Lost': AWS does not take an opportunity closed before submission"]


def test_conditional_requirements():
    record = complete()
    record["Customer"]["Account"].pop("WebsiteUrl")
    assert submission_problems(record) == [
        "required for submission and missing: customer.account.website_url unless national_security is 'Yes'"
    ]
    record["NationalSecurity"] = "Yes"
    assert submission_problems(record) == []
    record["Customer"]["Account"]["Industry"] = "Other"
    assert submission_problems(record) == [
        "required for submission and missing: customer.account.other_industry when the industry is 'Other'"
    ]
    record = complete()
    record["PrimaryNeedsFromAws"] = []
    assert submission_problems(record, "For Visibility Only") == []
    assert len(submission_problems(record, "Co-Sell")) == 1


def test_a_marketplace_solution_counts_as_a_solution():
    record = complete()
    record["RelatedEntityIdentifiers"] = {"Solutions": [], "AwsMarketplaceSolutions": ["prod-abc"]}
    assert submission_problems(record) == []
