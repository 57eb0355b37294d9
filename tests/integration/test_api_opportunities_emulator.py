# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's opportunity calls (_api/opportunities.py) against the emulator over HTTP, with a real botocore
client: a converted lead completed, associated and submitted; re-runs that write nothing; the conflict retry; the
ReviewStatus rules and the preflight with 0 writes; a FAILED submission; a replaced solution in order."""

from __future__ import annotations

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api import opportunities as api_opp
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import OpportunityRefused
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_to_api

pytestmark = pytest.mark.emulator_config(write_tps=0, read_tps=0)

CATALOG = "Sandbox"
WRITES = (
    "CreateOpportunity",
    "UpdateOpportunity",
    "AssociateOpportunity",
    "DisassociateOpportunity",
    "StartEngagementFromOpportunityTask",
)
COMPLETION = {
    "opportunity_type": "Net New Business",
    "primary_needs_from_aws": ["Co-Sell - Technical Consultation"],
    "customer": {"account": {"industry": "Retail", "address": {"country_code": "US"}}},
    "project": {
        "title": "Data platform migration",
        "customer_business_problem": "The warehouse cannot keep up with the customer's growth.",
        "expected_customer_spend": [
            {"amount": "5000", "currency_code": "USD", "frequency": "Monthly", "target_company": "AWS"}
        ],
    },
    "life_cycle": {"target_close_date": "2026-12-31"},
}


def writes(emulator) -> int:
    requests = emulator.stats()["requests"]
    return sum(sum(requests.get(name, {}).values()) for name in WRITES)


def converted(emulator) -> str:
    lead = emulator.admin.add_lead(qualification_status="Qualified")
    task = emulator.client().start_opportunity_from_engagement_task(
        Catalog=CATALOG, Identifier=lead["engagement_id"], ContextIdentifier=lead["context_id"], ClientToken="conv"
    )
    return task["OpportunityId"]


def test_a_converted_lead_completed_associated_and_submitted_once(emulator):
    client = emulator.client()
    identifier = converted(emulator)
    given = options_to_api(COMPLETION)
    updated = api_opp.update_opportunity(client, CATALOG, identifier, given)
    assert updated.writes == 1 and "Project.Title" in updated.changes
    assert updated.after["Customer"]["Account"]["CompanyName"] == updated.before["Customer"]["Account"]["CompanyName"]
    associated = api_opp.apply_associations(client, CATALOG, updated.after, {"solutions": ["S-0000001"]})
    assert associated.writes == 1
    submitted = api_opp.submit_opportunity(client, CATALOG, identifier, "Co-Sell", "Full", wait_timeout=10)
    assert submitted.task["TaskStatus"] == "COMPLETE"
    assert submitted.after["LifeCycle"]["ReviewStatus"] == "Submitted"
    # The re-run: every step finds its work done and writes nothing.
    before = writes(emulator)
    record = api_opp.get_opportunity(client, CATALOG, identifier)
    with pytest.raises(OpportunityRefused):  # Submitted is read-only; the same values are no change
        api_opp.update_opportunity(client, CATALOG, identifier, options_to_api({"project": {"title": "x"}}))
    assert not api_opp.update_opportunity(client, CATALOG, identifier, given).changed
    assert not api_opp.apply_associations(client, CATALOG, record, {"solutions": ["S-0000001"]}).changed
    again = api_opp.submit_opportunity(client, CATALOG, identifier, "Co-Sell", "Full", wait_timeout=10)
    assert not again.changed and again.task["TaskId"] == submitted.task["TaskId"]
    assert writes(emulator) == before


def test_preflight_failures_make_no_write_and_the_service_agrees(emulator):
    client = emulator.client()
    identifier = converted(emulator)
    before = writes(emulator)
    with pytest.raises(OpportunityRefused) as raised:
        api_opp.submit_opportunity(client, CATALOG, identifier, "Co-Sell", wait_timeout=10)
    assert raised.value.problems[0].startswith("no solution is associated")
    assert writes(emulator) == before
    # Sent anyway (as another tool would), the service fails the task for the same reasons.
    task = client.start_engagement_from_opportunity_task(
        Catalog=CATALOG, Identifier=identifier, ClientToken="other-tool", AwsSubmission={"InvolvementType": "Co-Sell"}
    )
    assert task["TaskStatus"] == "FAILED" and task["ReasonCode"] == "OpportunityValidationFailed"
    # The collection's next attempt (after the fix) uses a new token: the FAILED task is not replayed.
    api_opp.update_opportunity(client, CATALOG, identifier, options_to_api(COMPLETION))
    record = api_opp.get_opportunity(client, CATALOG, identifier)
    api_opp.apply_associations(client, CATALOG, record, {"solutions": ["S-0000001"]})
    submitted = api_opp.submit_opportunity(client, CATALOG, identifier, "Co-Sell", wait_timeout=10)
    assert submitted.task["TaskStatus"] == "COMPLETE"


def test_a_conflict_is_retried_on_the_newer_record(emulator):
    client = emulator.client()
    identifier = converted(emulator)
    stale = api_opp.get_opportunity(client, CATALOG, identifier)
    # Another writer changes the next steps after our read.
    api_opp.update_opportunity(client, CATALOG, identifier, {"LifeCycle": {"NextSteps": "Call the CFO"}})
    outcome = api_opp.update_opportunity(client, CATALOG, identifier, {"Project": {"Title": "Ours"}}, record=stale)
    assert outcome.writes == 2  # the stale date was refused once
    assert outcome.after["Project"]["Title"] == "Ours"
    assert outcome.after["LifeCycle"]["NextSteps"] == "Call the CFO"  # their change kept


def test_action_required_fix_and_forbidden_field(emulator):
    client = emulator.client()
    identifier = converted(emulator)
    api_opp.update_opportunity(client, CATALOG, identifier, options_to_api(COMPLETION))
    record = api_opp.get_opportunity(client, CATALOG, identifier)
    api_opp.apply_associations(client, CATALOG, record, {"solutions": ["S-0000001"]})
    api_opp.submit_opportunity(client, CATALOG, identifier, "Co-Sell", wait_timeout=10)
    emulator.admin.review(identifier, "Action Required", comments="Website")
    before = writes(emulator)
    with pytest.raises(OpportunityRefused) as raised:
        api_opp.update_opportunity(client, CATALOG, identifier, {"OpportunityType": "Expansion"})
    assert "not opportunity_type" in str(raised.value)
    assert writes(emulator) == before
    fixed = api_opp.update_opportunity(
        client, CATALOG, identifier, {"Customer": {"Account": {"WebsiteUrl": "https://example.org"}}}
    )
    assert fixed.writes == 1 and fixed.after["LifeCycle"]["ReviewStatus"] == "In review"


def test_a_replaced_solution_is_associated_before_the_old_one_goes(emulator):
    client = emulator.client()
    identifier = converted(emulator)
    record = api_opp.get_opportunity(client, CATALOG, identifier)
    record = api_opp.apply_associations(client, CATALOG, record, {"solutions": ["S-0000001"]}).after
    outcome = api_opp.apply_associations(client, CATALOG, record, {"solutions": ["S-0000002"]}, purge=True)
    assert outcome.after["RelatedEntityIdentifiers"]["Solutions"] == ["S-0000002"]
    requests = emulator.stats()["requests"]
    assert requests["AssociateOpportunity"] == {"200": 2} and requests["DisassociateOpportunity"] == {"200": 1}


def test_create_is_found_again_by_its_partner_identifier(emulator):
    client = emulator.client()
    given = options_to_api({"customer": {"account": {"company_name": "New Corp"}}, "project": {"title": "New"}})
    created = api_opp.ensure_opportunity(client, CATALOG, given, partner_opportunity_identifier="CRM-7")
    assert created.before is None and created.writes == 1
    again = api_opp.ensure_opportunity(client, CATALOG, given, partner_opportunity_identifier="CRM-7")
    assert not again.changed and again.after["Id"] == created.after["Id"]
    assert emulator.stats()["requests"]["CreateOpportunity"] == {"200": 1}
