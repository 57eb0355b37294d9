# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of the opportunity info module, with the client it builds answered by botocore's Stubber."""

from __future__ import annotations

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_opportunity_info
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import ModuleExit
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import isolate_module
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import module_args


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
        args = dict({"catalog": "Sandbox", "access_key": "AKIDEXAMPLE", "secret_key": "dummy-secret"}, **args)
        with module_args(args):
            with pytest.raises(ModuleExit) as raised:
                partnercentral_opportunity_info.main()
        return raised.value

    run_module.calls = calls
    return run_module


def test_the_filters_are_sent_as_the_api_names_them(run):
    def expect(api):
        api.stubber.add_response(
            "list_opportunities",
            {"OpportunitySummaries": [{"Catalog": "Sandbox", "Id": "O123"}]},
            {
                "Catalog": "Sandbox",
                "MaxResults": 100,
                "LifeCycleStage": ["Prospect"],
                "LifeCycleReviewStatus": ["Pending Submission"],
                "CustomerCompanyName": ["AnyCompany"],
            },
        )

    outcome = run(
        expect,
        lifecycle_stages=["Prospect"],
        review_statuses=["Pending Submission"],
        customer_company_names=["AnyCompany"],
    )
    assert outcome.failed is False, outcome.result
    assert outcome.result["opportunities"] == [{"catalog": "Sandbox", "id": "O123"}]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"identifier": "opp-1"}, "'opp-1' is not an opportunity id"),
        ({"identifiers": [f"O{n}" for n in range(21)]}, "identifiers takes at most 20 values"),
        ({"related_entities": True}, "related_entities needs identifier"),
        ({"max_results": -1}, "max_results must be 0 (all) or more"),
        ({"review_statuses": ["Won"]}, "review_statuses"),
    ],
)
def test_bad_input_fails_before_any_call(run, args, message):
    outcome = run(lambda api: None, **args)
    assert outcome.failed is True and message in outcome.result["msg"]
    assert run.calls == []
