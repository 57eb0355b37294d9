# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity calls on a stubbed client: read-merge-send with the conflict retry, create found again, the
association order, the idempotent submission, and no write when the service would refuse."""

from __future__ import annotations

import copy
import datetime
from typing import Any
from typing import Dict

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api import opportunities as api_opp
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import OpportunityRefused
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import update_payload
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import input_shape
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import OPPORTUNITY_ID
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import SOLUTION_ID
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import T_MODIFIED
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import complete
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import converted

CATALOG = "Sandbox"
GET = {"Catalog": CATALOG, "Identifier": OPPORTUNITY_ID}
T_START = datetime.datetime(2026, 1, 7, 8, 0, 0, tzinfo=datetime.timezone.utc)


def expect_get(api, record: Dict[str, Any]) -> None:
    api.stubber.add_response("get_opportunity", copy.deepcopy(record), GET)


def expect_update(api, payload: Dict[str, Any]) -> None:
    api.stubber.add_response(
        "update_opportunity", {"Id": OPPORTUNITY_ID, "LastModifiedDate": T_MODIFIED}, copy.deepcopy(payload)
    )


def newer(record: Dict[str, Any], **changes: Any) -> Dict[str, Any]:
    record = copy.deepcopy(record)
    record["LastModifiedDate"] = record["LastModifiedDate"] + datetime.timedelta(minutes=5)
    record.update(changes)
    return record


def sent(api, operation: str):
    return [call["params"] for call in api.calls if call["operation"] == operation]


def test_update_sends_the_record_read_with_the_given_fields(api):
    record = complete()
    given = {"Project": {"Title": "New title"}}
    payload = update_payload(record, given, input_shape("UpdateOpportunity"))
    after = newer(record)
    after["Project"]["Title"] = "New title"
    expect_get(api, record)
    expect_update(api, payload)
    expect_get(api, after)
    outcome = api_opp.update_opportunity(api.client, CATALOG, OPPORTUNITY_ID, given)
    api.stubber.assert_no_pending_responses()
    assert outcome.changes == ["Project.Title"] and outcome.writes == 1
    assert outcome.before["Project"]["Title"] == "Data platform migration"
    assert outcome.after["Project"]["Title"] == "New title"


def test_no_change_makes_no_write(api):
    expect_get(api, complete())
    outcome = api_opp.update_opportunity(api.client, CATALOG, OPPORTUNITY_ID, {"OpportunityType": "Net New Business"})
    api.stubber.assert_no_pending_responses()
    assert not outcome.changed and outcome.writes == 0


def test_a_conflict_reads_again_and_merges_onto_the_newer_record(api):
    record = complete()
    given = {"Project": {"Title": "New title"}}
    # Someone else changed the next steps in between: the retry keeps their change and sends the newer date.
    other = newer(record)
    other["LifeCycle"]["NextSteps"] = "Call the CFO"
    expect_get(api, record)
    api.stubber.add_client_error("update_opportunity", "ConflictException", "stale", 409)
    expect_get(api, other)
    second = update_payload(other, given, input_shape("UpdateOpportunity"))
    assert second["LastModifiedDate"] == other["LastModifiedDate"]
    assert second["LifeCycle"]["NextSteps"] == "Call the CFO"
    expect_update(api, second)
    expect_get(api, newer(other))
    outcome = api_opp.update_opportunity(api.client, CATALOG, OPPORTUNITY_ID, given)
    api.stubber.assert_no_pending_responses()
    assert outcome.writes == 2


def test_conflicts_stop_after_the_bound(api):
    record = complete()
    expect_get(api, record)
    for _attempt in range(api_opp.UPDATE_CONFLICT_ATTEMPTS - 1):
        api.stubber.add_client_error("update_opportunity", "ConflictException", "stale", 409)
        expect_get(api, record)
    api.stubber.add_client_error("update_opportunity", "ConflictException", "stale", 409)
    with pytest.raises(PartnerCentralError) as raised:
        api_opp.update_opportunity(api.client, CATALOG, OPPORTUNITY_ID, {"Project": {"Title": "x"}})
    assert raised.value.code == "ConflictException"
    api.stubber.assert_no_pending_responses()


def test_a_change_the_review_status_forbids_is_never_sent(api):
    expect_get(api, complete(ReviewStatus="Submitted"))
    with pytest.raises(OpportunityRefused) as raised:
        api_opp.update_opportunity(api.client, CATALOG, OPPORTUNITY_ID, {"Project": {"Title": "x"}})
    assert raised.value.problems[0].startswith(f"{OPPORTUNITY_ID} is 'Submitted': no field may change")
    assert sent(api, "UpdateOpportunity") == []


def test_check_mode_reads_only(api):
    expect_get(api, complete())
    outcome = api_opp.update_opportunity(api.client, CATALOG, OPPORTUNITY_ID, {"Project": {"Title": "x"}}, True)
    assert outcome.changed and outcome.writes == 0 and outcome.after["Project"]["Title"] == "x"
    api.stubber.assert_no_pending_responses()


def _expect_lookup(api, partner_id: str, ids):
    summaries = [
        {"Id": i, "Catalog": CATALOG, "PartnerOpportunityIdentifier": partner_id, "LastModifiedDate": T_MODIFIED}
        for i in ids
    ]
    if api_opp.SEARCH_OPPORTUNITIES in api.client.meta.service_model.operation_names:
        for summary in summaries:
            summary.pop("Catalog")
            summary["CreatedDate"] = T_MODIFIED
        api.stubber.add_response("search_opportunities", {"OpportunitySearchSummaries": summaries})
    else:  # botocore before SearchOpportunities: every page of ListOpportunities
        api.stubber.add_response("list_opportunities", {"OpportunitySummaries": summaries})


def test_create_with_a_deterministic_token_then_found_again(api):
    given = {"Customer": {"Account": {"CompanyName": "Example Corp"}}, "Project": {"Title": "Migration"}}
    _expect_lookup(api, "CRM-42", [])
    token = api_opp.opportunity_client_token(CATALOG, "CRM-42")
    api.stubber.add_response(
        "create_opportunity",
        {"Id": OPPORTUNITY_ID, "LastModifiedDate": T_MODIFIED},
        dict(given, Catalog=CATALOG, ClientToken=token, PartnerOpportunityIdentifier="CRM-42"),
    )
    created = converted()
    created["PartnerOpportunityIdentifier"] = "CRM-42"
    created["Project"]["Title"] = "Migration"
    expect_get(api, created)
    outcome = api_opp.ensure_opportunity(api.client, CATALOG, given, partner_opportunity_identifier="CRM-42")
    assert outcome.before is None and outcome.changed and outcome.writes == 1
    assert token == api_opp.opportunity_client_token(CATALOG, "CRM-42")  # the same on every run
    assert token != api_opp.opportunity_client_token("AWS", "CRM-42")
    # The re-run finds it by its partner identifier: nothing to change, nothing sent.
    _expect_lookup(api, "CRM-42", [OPPORTUNITY_ID])
    expect_get(api, created)
    again = api_opp.ensure_opportunity(api.client, CATALOG, given, partner_opportunity_identifier="CRM-42")
    assert not again.changed and again.writes == 0
    api.stubber.assert_no_pending_responses()


def test_two_opportunities_with_one_partner_identifier_are_refused(api):
    _expect_lookup(api, "CRM-42", ["O1", "O2"])
    with pytest.raises(OpportunityRefused) as raised:
        api_opp.ensure_opportunity(api.client, CATALOG, {}, partner_opportunity_identifier="CRM-42")
    assert "2 opportunities have partner_opportunity_identifier 'CRM-42' (O1, O2)" in str(raised.value)


def test_bad_create_values_are_refused_before_any_write(api):
    _expect_lookup(api, "CRM-42", [])
    given = {"Customer": {"Account": {"Industry": "Retail"}}}  # no CompanyName: required by the model
    with pytest.raises(OpportunityRefused) as raised:
        api_opp.ensure_opportunity(api.client, CATALOG, given, partner_opportunity_identifier="CRM-42")
    assert raised.value.problems == ["customer.account.company_name is required when customer.account is given"]
    assert sent(api, "CreateOpportunity") == []


def test_a_replaced_solution_is_associated_before_the_old_one_goes(api):
    record = complete()  # Solutions: [SOLUTION_ID]
    target = {"Catalog": CATALOG, "OpportunityIdentifier": OPPORTUNITY_ID, "RelatedEntityType": "Solutions"}
    api.stubber.add_response("associate_opportunity", {}, dict(target, RelatedEntityIdentifier="S-0000002"))
    api.stubber.add_response("disassociate_opportunity", {}, dict(target, RelatedEntityIdentifier=SOLUTION_ID))
    after = newer(record)
    after["RelatedEntityIdentifiers"] = {"Solutions": ["S-0000002"]}
    expect_get(api, after)
    outcome = api_opp.apply_associations(api.client, CATALOG, record, {"solutions": ["S-0000002"]}, purge=True)
    api.stubber.assert_no_pending_responses()
    assert [call["operation"] for call in api.calls] == [
        "AssociateOpportunity",
        "DisassociateOpportunity",
        "GetOpportunity",
    ]
    assert outcome.writes == 2 and outcome.changes == ["RelatedEntityIdentifiers.Solutions"]


def test_without_purge_associations_only_add(api):
    record = complete()
    outcome = api_opp.apply_associations(
        api.client, CATALOG, record, {"solutions": [SOLUTION_ID], "aws_products": None}
    )
    assert not outcome.changed and api.calls == []


def test_other_is_refused_at_committed(api):
    record = complete(Stage="Committed")
    with pytest.raises(OpportunityRefused):
        api_opp.apply_associations(api.client, CATALOG, record, {"solutions": ["Other"]})
    assert api.calls == []


def task(status: str, n: int = 1, **extra: Any) -> Dict[str, Any]:
    return dict(
        {
            "TaskId": f"task-{n:013d}",
            "TaskStatus": status,
            "StartTime": T_START + datetime.timedelta(minutes=n),
            "OpportunityId": OPPORTUNITY_ID,
        },
        **extra,
    )


def expect_tasks(api, tasks, **filters):
    api.stubber.add_response("list_engagement_from_opportunity_tasks", {"TaskSummaries": tasks})


def test_submission_starts_one_task_with_a_deterministic_token(api, clock):
    record = complete()
    expect_get(api, record)
    expect_tasks(api, [])
    token = api_opp.submission_client_token(CATALOG, OPPORTUNITY_ID, 0)
    api.stubber.add_response(
        "start_engagement_from_opportunity_task",
        task("IN_PROGRESS"),
        {
            "Catalog": CATALOG,
            "Identifier": OPPORTUNITY_ID,
            "ClientToken": token,
            "AwsSubmission": {"InvolvementType": "Co-Sell", "Visibility": "Full"},
        },
    )
    expect_tasks(api, [task("COMPLETE")])
    expect_get(api, complete(ReviewStatus="Submitted"))
    outcome = api_opp.submit_opportunity(
        api.client, CATALOG, OPPORTUNITY_ID, "Co-Sell", "Full", sleep=clock.sleep, clock=clock
    )
    api.stubber.assert_no_pending_responses()
    assert outcome.changed and outcome.writes == 1 and outcome.task["TaskStatus"] == "COMPLETE"
    assert outcome.after["LifeCycle"]["ReviewStatus"] == "Submitted"


def test_submission_after_a_failed_task_uses_the_next_token(api, clock):
    expect_get(api, complete())
    expect_tasks(api, [task("FAILED", ReasonCode="OpportunityValidationFailed")])
    api.stubber.add_response("start_engagement_from_opportunity_task", task("COMPLETE", 2))
    expect_get(api, complete(ReviewStatus="Submitted"))
    api_opp.submit_opportunity(api.client, CATALOG, OPPORTUNITY_ID, "Co-Sell", sleep=clock.sleep, clock=clock)
    assert sent(api, "StartEngagementFromOpportunityTask")[0]["ClientToken"] == api_opp.submission_client_token(
        CATALOG, OPPORTUNITY_ID, 1
    )


@pytest.mark.parametrize("status", ["Submitted", "In review", "Approved", "Action Required", "Rejected"])
def test_an_opportunity_no_longer_pending_is_not_submitted_again(api, clock, status):
    expect_get(api, complete(ReviewStatus=status))
    expect_tasks(api, [task("COMPLETE")])
    outcome = api_opp.submit_opportunity(api.client, CATALOG, OPPORTUNITY_ID, "Co-Sell", sleep=clock.sleep, clock=clock)
    assert not outcome.changed and outcome.writes == 0 and outcome.task["TaskStatus"] == "COMPLETE"
    api.stubber.assert_no_pending_responses()


def test_a_live_task_is_adopted_and_waited_on(api, clock):
    expect_get(api, complete())
    expect_tasks(api, [task("IN_PROGRESS")])
    expect_tasks(api, [task("IN_PROGRESS")])
    expect_tasks(api, [task("COMPLETE")])
    outcome = api_opp.submit_opportunity(api.client, CATALOG, OPPORTUNITY_ID, "Co-Sell", sleep=clock.sleep, clock=clock)
    assert not outcome.changed and outcome.task["TaskStatus"] == "COMPLETE"
    assert clock.sleeps == [api_opp.SUBMISSION_POLL_INTERVAL]
    assert sent(api, "StartEngagementFromOpportunityTask") == []


def test_preflight_failures_make_no_write(api, clock):
    expect_get(api, converted())
    expect_tasks(api, [])
    with pytest.raises(OpportunityRefused) as raised:
        api_opp.submit_opportunity(api.client, CATALOG, OPPORTUNITY_ID, "Co-Sell", sleep=clock.sleep, clock=clock)
    assert raised.value.problems[0].startswith("no solution is associated")
    assert sent(api, "StartEngagementFromOpportunityTask") == []


def test_waiting_stops_at_the_timeout_with_the_task_as_read(api, clock):
    for _poll in range(3):
        expect_tasks(api, [task("IN_PROGRESS")])
    found = api_opp.wait_for_submission(
        api.client, CATALOG, task("IN_PROGRESS")["TaskId"], 4, sleep=clock.sleep, clock=clock
    )
    assert found["TaskStatus"] == "IN_PROGRESS"
    assert clock.sleeps == [2.0, 2.0]


def test_reads_list_solutions_and_aws_summary(api):
    solution = {
        "Catalog": CATALOG,
        "Id": SOLUTION_ID,
        "Name": "Data platform",
        "Status": "Active",
        "Category": "Software",
        "CreatedDate": T_START,
    }
    api.stubber.add_response("list_solutions", {"SolutionSummaries": [solution], "NextToken": "t"})
    api.stubber.add_response(
        "list_solutions",
        {"SolutionSummaries": []},
        {"Catalog": CATALOG, "MaxResults": 100, "Status": ["Active"], "NextToken": "t"},
    )
    assert [s["Id"] for s in api_opp.list_solutions(api.client, CATALOG, Status=["Active"])] == [SOLUTION_ID]
    api.stubber.add_response(
        "get_aws_opportunity_summary",
        {"Catalog": CATALOG, "RelatedOpportunityId": OPPORTUNITY_ID, "InvolvementType": "Co-Sell"},
        {"Catalog": CATALOG, "RelatedOpportunityIdentifier": OPPORTUNITY_ID},
    )
    assert api_opp.get_aws_opportunity_summary(api.client, CATALOG, OPPORTUNITY_ID)["InvolvementType"] == "Co-Sell"


def test_errors_name_the_iam_action(api):
    api.stubber.add_client_error("get_opportunity", "AccessDeniedException", "no", 403)
    with pytest.raises(PartnerCentralError) as raised:
        api_opp.get_opportunity(api.client, CATALOG, OPPORTUNITY_ID)
    assert "partnercentral:GetOpportunity" in str(raised.value)


def test_a_token_used_with_another_body_adopts_the_opportunity_it_created(api):
    """An earlier run created the opportunity but the search did not show it yet; this run's body differs, so the
    service answers ConflictException for the token: the opportunity is looked up again and updated instead."""
    given = {"Customer": {"Account": {"CompanyName": "Example Corp"}}, "Project": {"Title": "Second title"}}
    _expect_lookup(api, "CRM-42", [])
    api.stubber.add_client_error("create_opportunity", "ConflictException", "Conflicting client token", 409)
    _expect_lookup(api, "CRM-42", [OPPORTUNITY_ID])
    record = converted()
    expect_get(api, record)
    expect_update(api, update_payload(record, given, input_shape("UpdateOpportunity")))
    expect_get(api, newer(record))
    outcome = api_opp.ensure_opportunity(api.client, CATALOG, given, partner_opportunity_identifier="CRM-42")
    api.stubber.assert_no_pending_responses()
    assert outcome.changes == ["Project.Title"] and outcome.writes == 1
