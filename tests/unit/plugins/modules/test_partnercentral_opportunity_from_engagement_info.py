# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of the info module, with the client it builds answered by botocore's Stubber."""

from __future__ import annotations

import pytest
from ansible.module_utils import basic
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_opportunity_from_engagement_info
from pcs_stubs import Api
from pcs_stubs import FakeClock
from pcs_stubs import make_task
from test_partnercentral_opportunity_from_engagement import AWS_ENVIRONMENT
from test_partnercentral_opportunity_from_engagement import ModuleExit
from test_partnercentral_opportunity_from_engagement import module_args

ENG = "eng-abcdefghij0123"


@pytest.fixture
def run(monkeypatch, tmp_path):
    for name in AWS_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))

    def exit_json(module, **result):
        raise ModuleExit(False, result)

    def fail_json(module, **result):
        raise ModuleExit(True, result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

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
