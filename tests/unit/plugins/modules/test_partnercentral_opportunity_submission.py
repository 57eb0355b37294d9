# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of the submission module, with the client it builds answered by botocore's Stubber: a FAILED task (which
the emulator does not produce for an opportunity that passes the preflight) and bad input."""

from __future__ import annotations

import datetime

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _hints
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_opportunity_submission
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import ModuleExit
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import isolate_module
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import module_args

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
OPP = "O1234567"
RECORD = {
    "Catalog": "Sandbox",
    "Id": OPP,
    "Arn": f"arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/{OPP}",
    "CreatedDate": NOW,
    "LastModifiedDate": NOW,
    "OpportunityType": "Net New Business",
    "PrimaryNeedsFromAws": ["Co-Sell - Technical Consultation"],
    "Customer": {
        "Account": {
            "CompanyName": "AnyCompany",
            "Industry": "Retail",
            "WebsiteUrl": "https://example.com",
            "Address": {"CountryCode": "US"},
        }
    },
    "Project": {
        "Title": "Data platform migration",
        "CustomerBusinessProblem": "The warehouse cannot keep up with the customer's growth.",
        "ExpectedCustomerSpend": [
            {"Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}
        ],
    },
    "LifeCycle": {"Stage": "Prospect", "ReviewStatus": "Pending Submission", "TargetCloseDate": "2026-12-31"},
    "RelatedEntityIdentifiers": {"Solutions": ["S-0000001"]},
}
FAILED_TASK = {
    "TaskId": "task-1a2b3c4d5e6f7",
    "StartTime": NOW,
    "TaskStatus": "FAILED",
    "ReasonCode": "OpportunityValidationFailed",
    "Message": "Project.Title is too short",
    "OpportunityId": OPP,
}


@pytest.fixture
def run(monkeypatch, tmp_path):
    isolate_module(monkeypatch, tmp_path)
    calls = []

    def run_module(expect, **args):
        real_client = _module_base.PartnerCentralModule.partnercentral_client

        def partnercentral_client(module, **kwargs):
            client = real_client(module, **kwargs)
            api = Api(client, FakeClock())
            expect(api)
            api.stubber.activate()
            calls.append(api)
            return client

        monkeypatch.setattr(_module_base.PartnerCentralModule, "partnercentral_client", partnercentral_client)
        args = dict(
            {
                "catalog": "Sandbox",
                "identifier": OPP,
                "involvement_type": "Co-Sell",
                "access_key": "AKIDEXAMPLE",
                "secret_key": "dummy-secret",
            },
            **args,
        )
        with module_args(args):
            with pytest.raises(ModuleExit) as raised:
                partnercentral_opportunity_submission.main()
        return raised.value

    run_module.calls = calls
    return run_module


def test_a_failed_task_fails_with_its_reason_code_and_a_hint(run):
    def expect(api):
        api.stubber.add_response("get_opportunity", dict(RECORD))
        api.stubber.add_response("list_engagement_from_opportunity_tasks", {"TaskSummaries": []})
        api.stubber.add_response("start_engagement_from_opportunity_task", dict(FAILED_TASK))
        api.stubber.add_response("get_opportunity", dict(RECORD))

    outcome = run(expect)
    assert outcome.failed is True
    assert outcome.result["reason_code"] == "OpportunityValidationFailed"
    assert outcome.result["hint"] == _hints.SUBMISSION_REASON_HINTS["OpportunityValidationFailed"]
    assert "Project.Title is too short" in outcome.result["msg"]
    assert outcome.result["task"]["task_status"] == "FAILED"
    run.calls[0].stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    "args, message",
    [
        ({"identifier": "opp-1"}, "'opp-1' is not an opportunity id"),
        ({"wait_timeout": 0}, "wait_timeout must be at least 1 second"),
        ({"involvement_type": "Solo"}, "involvement_type"),
        ({"visibility": "Partial"}, "visibility"),
    ],
)
def test_bad_input_fails_before_any_call(run, args, message):
    outcome = run(lambda api: None, **args)
    assert outcome.failed is True and message in outcome.result["msg"]
    assert run.calls == []
