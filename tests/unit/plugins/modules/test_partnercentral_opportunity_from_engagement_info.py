# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of the info module, with the client it builds answered by botocore's Stubber."""

from __future__ import annotations

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_opportunity_from_engagement_info
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import ModuleExit
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import isolate_module
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_task
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import module_args

ENG = "eng-abcdefghij0123"


@pytest.fixture
def run(monkeypatch, tmp_path):
    isolate_module(monkeypatch, tmp_path)

    def run_module(expect, **args):
        real_client = _module_base.PartnerCentralModule.partnercentral_client

        def partnercentral_client(module, **kwargs):
            client = real_client(module, **kwargs)
            api = Api(client, FakeClock())
            expect(api)
            api.stubber.activate()
            return client

        monkeypatch.setattr(_module_base.PartnerCentralModule, "partnercentral_client", partnercentral_client)
        args = dict({"catalog": "Sandbox", "access_key": "AKIDEXAMPLE", "secret_key": "dummy-secret"}, **args)
        with module_args(args):
            with pytest.raises(ModuleExit) as raised:
                partnercentral_opportunity_from_engagement_info.main()
        return raised.value

    return run_module


def test_lists_the_tasks_in_snake_case(run):
    sort = {"SortBy": "StartTime", "SortOrder": "DESCENDING"}
    outcome = run(lambda api: api.expect_lookup([ENG], [make_task(7, ENG)], Sort=sort), engagement_ids=[ENG])
    assert outcome.failed is False and outcome.result["changed"] is False
    assert [task["task_id"] for task in outcome.result["tasks"]] == [make_task(7, ENG)["TaskId"]]


def test_an_api_error_fails_with_code_request_id_and_versions(run):
    outcome = run(
        lambda api: api.expect_error(
            "list_opportunity_from_engagement_tasks", "AccessDeniedException", "not authorized", 403, "req-7"
        )
    )
    assert outcome.failed is True
    assert outcome.result["error_code"] == "AccessDeniedException"
    assert outcome.result["error"]["code"] == "AccessDeniedException"
    assert outcome.result["response_metadata"]["request_id"] == "req-7"
    assert outcome.result["boto3_version"] and outcome.result["botocore_version"]
    assert "partnercentral:ListOpportunityFromEngagementTasks" in outcome.result["msg"]
