# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity after conversion: full-replace updates with LastModifiedDate locking, ReviewStatus rules,
associations, solutions, submissions (COMPLETE and FAILED) and AWS's review through the admin endpoint."""

from __future__ import annotations

import time

import pytest
from emulator_helpers import sandbox_engagement

pytestmark = pytest.mark.emulator_config(write_tps=0, read_tps=0)

CATALOG = "Sandbox"
COMPLETE_FIELDS = {
    "OpportunityType": "Net New Business",
    "PrimaryNeedsFromAws": ["Co-Sell - Technical Consultation"],
    "Customer": {
        "Account": {
            "CompanyName": "Example Corp",
            "Industry": "Retail",
            "WebsiteUrl": "https://example.com",
            "Address": {"CountryCode": "US", "PostalCode": "10001"},
        }
    },
    "Project": {
        "Title": "Data platform migration",
        "CustomerBusinessProblem": "The warehouse cannot keep up with the customer's growth.",
        "ExpectedCustomerSpend": [
            {"Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}
        ],
    },
    "LifeCycle": {"Stage": "Qualified", "TargetCloseDate": "2026-12-31"},
}


def _create(client, token="t-1", **fields):
    body = dict(COMPLETE_FIELDS, **fields)
    return client.create_opportunity(Catalog=CATALOG, ClientToken=token, **body)["Id"]


def _get(client, identifier):
    return client.get_opportunity(Catalog=CATALOG, Identifier=identifier)


def _update(client, record, **changes):
    """The full-replace update as the service wants it: everything read, the changes, the date read."""
    payload = {
        key: record[key]
        for key in ("PrimaryNeedsFromAws", "NationalSecurity", "PartnerOpportunityIdentifier", "Customer", "Project")
        + ("OpportunityType", "Marketing", "SoftwareRevenue", "LifeCycle")
        if key in record
    }
    payload.update(changes)
    return client.update_opportunity(
        Catalog=CATALOG, Identifier=record["Id"], LastModifiedDate=record["LastModifiedDate"], **payload
    )


def _associate(client, identifier, solution="S-0000001", kind="Solutions"):
    client.associate_opportunity(
        Catalog=CATALOG, OpportunityIdentifier=identifier, RelatedEntityType=kind, RelatedEntityIdentifier=solution
    )


def _submit(client, identifier, token="s-1"):
    return client.start_engagement_from_opportunity_task(
        Catalog=CATALOG, Identifier=identifier, ClientToken=token, AwsSubmission={"InvolvementType": "Co-Sell"}
    )


def test_a_conversion_makes_the_opportunity_aws_s_sample_shows(emulator):
    client = emulator.client()
    task = client.start_opportunity_from_engagement_task(
        Catalog=CATALOG, Identifier=sandbox_engagement(emulator), ContextIdentifier="1", ClientToken="c-1"
    )
    record = _get(client, task["OpportunityId"])
    assert record["LifeCycle"] == {"Stage": "Prospect", "ReviewStatus": "Pending Submission"}
    assert record["Project"]["Title"] == "Converted from Lead"
    assert record["Customer"]["Contacts"] == [] and record["Project"]["ExpectedCustomerSpend"] == []
    assert record["Customer"]["Account"]["CompanyName"]
    assert record["RelatedEntityIdentifiers"] == {}


def test_create_replays_its_token_and_refuses_it_with_another_body(emulator):
    client = emulator.client()
    first = _create(client)
    assert _create(client) == first
    with pytest.raises(client.exceptions.ConflictException):
        _create(client, OpportunityType="Expansion")
    assert _get(client, first)["LifeCycle"]["ReviewStatus"] == "Pending Submission"


def test_update_replaces_the_record_and_locks_on_the_date(emulator):
    client = emulator.client()
    identifier = _create(client)
    record = _get(client, identifier)
    # An omitted member is set to null, as the service does.
    client.update_opportunity(
        Catalog=CATALOG,
        Identifier=identifier,
        LastModifiedDate=record["LastModifiedDate"],
        Customer=record["Customer"],
        LifeCycle=record["LifeCycle"],
    )
    replaced = _get(client, identifier)
    assert "Project" not in replaced and "OpportunityType" not in replaced
    assert replaced["LastModifiedDate"] > record["LastModifiedDate"]
    assert replaced["LifeCycle"]["ReviewStatus"] == "Pending Submission"  # AWS's, kept
    with pytest.raises(client.exceptions.ConflictException):
        _update(client, record, OpportunityType="Expansion")  # the date read before the last change
    _update(client, replaced, OpportunityType="Expansion")
    assert _get(client, identifier)["OpportunityType"] == "Expansion"


@pytest.mark.parametrize("status", ["Submitted", "In review", "Rejected"])
def test_read_only_review_statuses(emulator, status):
    client = emulator.client()
    identifier = _create(client)
    _associate(client, identifier)
    _submit(client, identifier)
    if status != "Submitted":
        emulator.admin.review(identifier, "In review")
    if status == "Rejected":
        emulator.admin.review(identifier, "Rejected", comments="Duplicate")
    record = _get(client, identifier)
    assert record["LifeCycle"]["ReviewStatus"] == status
    with pytest.raises(client.exceptions.ValidationException):
        _update(client, record, OpportunityType="Expansion")
    _update(client, record)  # the same record again changes nothing, and is accepted


def test_action_required_opens_the_documented_fields_and_re_enters_review(emulator):
    client = emulator.client()
    identifier = _create(client)
    _associate(client, identifier)
    _submit(client, identifier)
    emulator.admin.review(identifier, "Action Required", comments="Website missing")
    record = _get(client, identifier)
    assert record["LifeCycle"]["ReviewComments"] == "Website missing"
    with pytest.raises(client.exceptions.ValidationException) as raised:
        _update(client, record, OpportunityType="Expansion")
    assert "OpportunityType" in str(raised.value)
    customer = {"Account": dict(record["Customer"]["Account"], WebsiteUrl="https://example.org")}
    _update(client, record, Customer=customer)
    assert _get(client, identifier)["LifeCycle"]["ReviewStatus"] == "In review"


def test_approved_locks_the_documented_fields(emulator):
    client = emulator.client()
    identifier = _create(client)
    _associate(client, identifier)
    _submit(client, identifier)
    emulator.admin.review(identifier, "Approved")
    record = _get(client, identifier)
    with pytest.raises(client.exceptions.ValidationException):
        _update(client, record, Project=dict(record["Project"], Title="Another title"))
    _update(client, record, LifeCycle=dict(record["LifeCycle"], Stage="Committed"))
    assert _get(client, identifier)["LifeCycle"]["Stage"] == "Committed"


def test_associations_and_solutions(emulator):
    client = emulator.client()
    solutions = client.list_solutions(Catalog=CATALOG, Status=["Active"])["SolutionSummaries"]
    assert [s["Id"] for s in solutions] == ["S-0000002", "S-0000001"]  # newest first
    identifier = _create(client, LifeCycle={"Stage": "Committed", "TargetCloseDate": "2026-12-31"})
    with pytest.raises(client.exceptions.ValidationException):
        _associate(client, identifier, "Other")  # not at Committed or later
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        _associate(client, identifier, "S-9999999")
    _associate(client, identifier, "S-0000001")
    _associate(client, identifier, "S-0000002")
    client.disassociate_opportunity(
        Catalog=CATALOG,
        OpportunityIdentifier=identifier,
        RelatedEntityType="Solutions",
        RelatedEntityIdentifier="S-0000001",
    )
    assert _get(client, identifier)["RelatedEntityIdentifiers"] == {"Solutions": ["S-0000002"]}


@pytest.mark.emulator_config(task_latency=0.3)
def test_submission_is_a_task_that_submits(emulator):
    client = emulator.client()
    identifier = _create(client)
    _associate(client, identifier)
    task = _submit(client, identifier)
    assert task["TaskStatus"] == "IN_PROGRESS"
    assert _submit(client, identifier)["TaskId"] == task["TaskId"]  # the token replays
    with pytest.raises(client.exceptions.ConflictException):
        _submit(client, identifier, token="s-2")  # one live submission at a time
    time.sleep(0.35)
    listed = client.list_engagement_from_opportunity_tasks(Catalog=CATALOG, OpportunityIdentifier=[identifier])
    assert [t["TaskStatus"] for t in listed["TaskSummaries"]] == ["COMPLETE"]
    assert _get(client, identifier)["LifeCycle"]["ReviewStatus"] == "Submitted"
    summary = client.get_aws_opportunity_summary(Catalog=CATALOG, RelatedOpportunityIdentifier=identifier)
    assert summary["InvolvementType"] == "Co-Sell"


def test_a_submission_the_service_refuses_fails_with_the_reason(emulator):
    client = emulator.client()
    identifier = _create(client, Project={"Title": "No spend"})
    task = _submit(client, identifier)
    assert task["TaskStatus"] == "FAILED" and task["ReasonCode"] == "OpportunityValidationFailed"
    assert "at least one solution must be associated" in task["Message"]
    assert "Project.ExpectedCustomerSpend is required" in task["Message"]
    assert _get(client, identifier)["LifeCycle"]["ReviewStatus"] == "Pending Submission"


def test_the_review_endpoint_refuses_an_opportunity_not_submitted(emulator):
    from partnercentral_emulator.admin import EmulatorAdminError

    client = emulator.client()
    identifier = _create(client)
    with pytest.raises(EmulatorAdminError):
        emulator.admin.review(identifier, "Approved")
    assert emulator.admin.opportunities()[identifier]["review_status"] == "Pending Submission"


def test_list_by_review_status(emulator):
    client = emulator.client()
    identifier = _create(client, PartnerOpportunityIdentifier="CRM-1")
    _create(client, token="t-2", PartnerOpportunityIdentifier="CRM-2")
    listed = client.list_opportunities(Catalog=CATALOG, LifeCycleReviewStatus=["Pending Submission"])
    assert {s["PartnerOpportunityIdentifier"] for s in listed["OpportunitySummaries"]} == {"CRM-1", "CRM-2"}
    assert [s["Id"] for s in listed["OpportunitySummaries"] if s["PartnerOpportunityIdentifier"] == "CRM-1"] == [
        identifier
    ]


def test_search_by_partner_identifier(emulator):
    client = emulator.client()
    if "SearchOpportunities" not in client.meta.service_model.operation_names:
        pytest.skip("botocore's model has no SearchOpportunities before 1.44 (the collection lists instead)")
    identifier = _create(client, PartnerOpportunityIdentifier="CRM-1")
    _create(client, token="t-2", PartnerOpportunityIdentifier="CRM-2")
    found = client.search_opportunities(
        Catalog=CATALOG,
        Filter={"EqualsTo": {"Key": "PartnerOpportunityIdentifier", "Value": {"StringValue": "CRM-1"}}},
    )
    assert [s["Id"] for s in found["OpportunitySearchSummaries"]] == [identifier]
