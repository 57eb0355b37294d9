# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of the solution info module, with the client it builds answered by botocore's Stubber."""

from __future__ import annotations

import datetime

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_solution_info
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import ModuleExit
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import isolate_module
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import module_args

CREATED = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)


def solution(n, name, status="Active"):
    return {
        "Catalog": "Sandbox",
        "Id": f"S-000000{n}",
        "Name": name,
        "Status": status,
        "Category": "Software Product",
        "CreatedDate": CREATED,
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
        args = dict({"catalog": "Sandbox", "access_key": "AKIDEXAMPLE", "secret_key": "dummy-secret"}, **args)
        with module_args(args):
            with pytest.raises(ModuleExit) as raised:
                partnercentral_solution_info.main()
        return raised.value

    run_module.calls = calls
    return run_module


def test_filters_are_sent_and_names_matched_without_case(run):
    def expect(api):
        api.stubber.add_response(
            "list_solutions",
            {"SolutionSummaries": [solution(1, "Data platform"), solution(2, "Migration factory")]},
            {"Catalog": "Sandbox", "MaxResults": 100, "Status": ["Active"], "Category": ["Software Product"]},
        )

    outcome = run(expect, statuses=["Active"], categories=["Software Product"], names=["DATA PLATFORM"])
    assert outcome.failed is False and outcome.result["changed"] is False
    assert outcome.result["ids"] == ["S-0000001"]
    assert outcome.result["solutions"][0]["name"] == "Data platform"
    assert outcome.result["solutions"][0]["created_date"] == CREATED.isoformat()


def test_too_many_identifiers_fail_before_any_call(run):
    outcome = run(lambda api: None, identifiers=[f"S-{n:07d}" for n in range(21)])
    assert outcome.failed is True
    assert "identifiers takes at most 20 values" in outcome.result["msg"]
    assert run.calls == []


def test_an_unknown_status_fails_in_the_argspec(run):
    outcome = run(lambda api: None, statuses=["Retired"])
    assert outcome.failed is True and "statuses" in outcome.result["msg"]
    assert run.calls == []
