# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of the single-engagement module, with the client it builds answered by botocore's Stubber."""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base as module_base
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import derive_client_token
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import REASON_HINTS
from ansible_collections.partnercentral.selling.plugins.module_utils._module import single
from ansible_collections.partnercentral.selling.plugins.module_utils._module.single import FACT_NAME
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_opportunity_from_engagement
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import START
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import ModuleExit
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import isolate_module
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_task
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import module_args
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import task_id

ENG = "eng-abcdefghij0123"
BASE_ARGS = {"catalog": "Sandbox", "identifier": ENG, "context_identifier": "1"}


class Harness:
    """Runs main(); the module's own client is built for real and then answered by a Stubber."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
        self.clock = FakeClock()
        self.expectations: List[Callable[[Api], None]] = []
        self.apis: List[Api] = []
        self.client_kwargs: List[Dict[str, Any]] = []
        isolate_module(monkeypatch, tmp_path)

        real_client = module_base.PartnerCentralModule.partnercentral_client

        def partnercentral_client(module: Any, **kwargs: Any) -> Any:
            self.client_kwargs.append(kwargs)
            client = real_client(module, **kwargs)
            api = Api(client, self.clock)
            for expect in self.expectations:
                expect(api)
            api.stubber.activate()
            self.apis.append(api)
            return client

        monkeypatch.setattr(module_base.PartnerCentralModule, "partnercentral_client", partnercentral_client)

        real_engine = module_base.conversion_engine

        def conversion_engine(module: Any, **options: Any) -> Any:
            return real_engine(module, clock=self.clock, sleep=self.clock.sleep, **options)

        monkeypatch.setattr(single, "conversion_engine", conversion_engine)

    def expect(self, expectation: Callable[[Api], None]) -> None:
        self.expectations.append(expectation)

    @property
    def api(self) -> Optional[Api]:
        return self.apis[0] if self.apis else None

    def run(self, failed: bool = False, **args: Any) -> Dict[str, Any]:
        args = dict(BASE_ARGS, access_key="AKIDEXAMPLE", secret_key="dummy-secret", **args)
        args = {key: value for key, value in args.items() if value is not None}
        with module_args(args):
            with pytest.raises(ModuleExit) as raised:
                partnercentral_opportunity_from_engagement.main()
        assert raised.value.failed is failed, raised.value.result
        for api in self.apis:
            api.stubber.assert_no_pending_responses()
            api.stubber.deactivate()
        return raised.value.result


@pytest.fixture
def harness(monkeypatch, tmp_path):
    return Harness(monkeypatch, tmp_path)


def lookup(tasks=()):
    return lambda api: api.expect_lookup([ENG], list(tasks))


def start(answer, **kwargs):
    return lambda api: api.expect_start(answer, ENG, "1", **kwargs)


# ---- input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, option",
    [
        ({"identifier": "eng-TOO-SHORT"}, "identifier"),
        ({"identifier": "arn:aws:partnercentral:us-east-1::catalog/AWS/engagement/" + ENG}, "catalog AWS"),
        ({"context_identifier": "0"}, "context_identifier"),
        ({"context_identifier": "abc"}, "context_identifier"),
        ({"tags": {f"k{i}": "v" for i in range(201)}}, "tags must hold 1 to 200 keys"),
        ({"tags": {"k": "v" * 257}}, "value must be at most 256"),
        ({"client_token": "x" * 256}, "client_token"),
        ({"wait_timeout": 0}, "wait_timeout must be at least 1"),
    ],
)
def test_invalid_input_fails_before_any_api_call(harness, args, option):
    result = harness.run(failed=True, **args)
    assert result["msg"].startswith("Invalid request: ")
    assert option in result["msg"]
    # No client was even built, so no call could be made.
    assert harness.api is None and harness.client_kwargs == []


def test_unknown_catalog_is_refused_by_the_argument_spec(harness):
    result = harness.run(failed=True, catalog="Production")
    assert "catalog" in result["msg"] and "AWS, Sandbox" in result["msg"]
    assert harness.api is None


# ---- connection --------------------------------------------------------------------------------------------------


def test_region_defaults_to_us_east_1_and_the_client_leaves_retries_to_the_collection(harness):
    harness.expect(lookup([make_task(7, ENG)]))
    harness.run()
    client = harness.api.client
    assert client.meta.region_name == "us-east-1"
    # The retry policy of tasks.py: botocore makes one request per call.
    assert client.meta.config.retries["total_max_attempts"] == 1
    assert harness.client_kwargs[0]["config"].retries == {"mode": "standard", "total_max_attempts": 1}


def test_an_explicit_region_is_kept(harness):
    harness.expect(lookup([make_task(7, ENG)]))
    harness.run(region="us-west-2")
    assert harness.api.client.meta.region_name == "us-west-2"


def test_the_user_agent_names_the_collection(harness):
    harness.expect(lookup([make_task(7, ENG)]))
    harness.run()
    assert "partnercentral.selling/" in harness.api.client.meta.config.user_agent


# ---- outcomes ----------------------------------------------------------------------------------------------------


def test_created(harness):
    harness.expect(lookup())
    harness.expect(start(make_task(1, ENG), token=derive_client_token("Sandbox", ENG, "1")))
    result = harness.run()
    assert result["changed"] is True and result["status"] == "created"
    assert result["opportunity_id"] == "O1001"
    assert result["client_token"] == derive_client_token("Sandbox", ENG, "1")
    assert result["task"]["task_id"] == task_id(1)
    assert result["ansible_facts"] == {FACT_NAME: result["task"]}
    assert FACT_NAME == "partnercentral_opportunity_from_engagement_task"
    assert "diff" not in result


def test_aliases_and_tags(harness):
    harness.expect(lookup())
    harness.expect(start(make_task(1, ENG), tags=[{"Key": "source", "Value": "ansible"}]))
    result = harness.run(
        identifier=None, context_identifier=None, engagement_id=ENG, context_id=1, tags={"source": "ansible"}
    )
    assert result["status"] == "created"
    assert result["task"]["tags"] == {"source": "ansible"}


def test_already_done_is_unchanged(harness):
    harness.expect(lookup([make_task(7, ENG)]))
    result = harness.run()
    assert result["changed"] is False and result["status"] == "already_done"
    assert result["opportunity_id"] == "O1007"
    assert result["ansible_facts"][FACT_NAME]["task_id"] == task_id(7)
    assert "client_token" not in result
    assert harness.api.params(START) == []


def test_failed_task_fails_the_module_with_reason_and_task(harness):
    failed = make_task(1, ENG, status="FAILED", reason_code="CustomerProjectContextNotPermitted", message="no")
    harness.expect(lookup())
    harness.expect(start(failed))
    result = harness.run(failed=True)
    assert "CustomerProjectContextNotPermitted" in result["msg"]
    assert f"engagement {ENG} context 1 in catalog Sandbox failed" in result["msg"]
    assert REASON_HINTS["CustomerProjectContextNotPermitted"] in result["msg"]
    assert result["reason_code"] == "CustomerProjectContextNotPermitted"
    assert result["task"]["task_id"] == task_id(1) and result["task"]["task_status"] == "FAILED"
    assert result["status"] == "failed"
    assert result["changed"] is True  # the FAILED task was started by this run


def test_access_denied_fails_the_module_naming_the_iam_action(harness):
    harness.expect(lambda api: api.expect_error("list_opportunity_from_engagement_tasks", "AccessDeniedException"))
    result = harness.run(failed=True)
    assert "partnercentral:ListOpportunityFromEngagementTasks" in result["msg"]
    assert result["status"] == "not_started"


def test_wait_false_returns_started(harness):
    harness.expect(lookup())
    harness.expect(start(make_task(1, ENG, status="IN_PROGRESS")))
    result = harness.run(wait=False)
    assert result["changed"] is True and result["status"] == "started"
    assert result["task"]["task_status"] == "IN_PROGRESS" and "opportunity_id" not in result


def test_wait_timeout_fails_with_the_task_id(harness):
    running = make_task(1, ENG, status="IN_PROGRESS")
    harness.expect(lookup())
    harness.expect(start(running))
    for _repeat in range(5):
        harness.expect(lambda api: api.expect_list([running], TaskIdentifier=[task_id(1)]))
    result = harness.run(failed=True, wait_timeout=5)
    assert task_id(1) in result["msg"] and "timed_out" in result["msg"] and "wait_timeout=5s" in result["msg"]
    assert result["task"]["task_id"] == task_id(1)
    assert 5 <= harness.clock.elapsed < 7


# ---- diff and check mode -----------------------------------------------------------------------------------------


def test_diff_of_a_created_opportunity(harness):
    harness.expect(lookup())
    harness.expect(start(make_task(1, ENG)))
    result = harness.run(_ansible_diff=True)
    context = f"Sandbox/{ENG}/context 1"
    assert result["diff"]["before"] == {"context": context, "opportunity_id": None, "task_status": None}
    assert result["diff"]["after"] == {"context": context, "opportunity_id": "O1001", "task_status": "COMPLETE"}


def test_diff_of_a_converted_context_is_empty(harness):
    harness.expect(lookup([make_task(7, ENG)]))
    result = harness.run(_ansible_diff=True)
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["diff"]["after"]["opportunity_id"] == "O1007"


def test_check_mode_reports_what_would_happen_without_writing(harness):
    harness.expect(lookup())
    result = harness.run(_ansible_check_mode=True, _ansible_diff=True)
    assert result["changed"] is True and result["status"] == "would_create"
    assert result["msg"] == "Would have started StartOpportunityFromEngagementTask if not in check mode"
    assert result["diff"]["before"]["opportunity_id"] is None
    assert result["diff"]["after"]["opportunity_id"] == "(created by the task)"
    # RETURN documents client_token "when a task was started or would be started".
    assert result["client_token"] == derive_client_token("Sandbox", ENG, "1")
    assert harness.api.params(START) == []


def test_check_mode_on_a_converted_context(harness):
    harness.expect(lookup([make_task(7, ENG)]))
    result = harness.run(_ansible_check_mode=True)
    assert result["changed"] is False and result["status"] == "already_done"
    assert "msg" not in result


def test_an_api_error_fails_the_module_the_amazon_aws_way(harness):
    harness.expect(
        lambda api: api.expect_error(
            "list_opportunity_from_engagement_tasks", "AccessDeniedException", "not authorized", 403, "req-42"
        )
    )
    result = harness.run(failed=True)
    # fail_json_aws: the error code, the request id and the SDK versions, beside the module's own keys.
    assert result["error"]["code"] == "AccessDeniedException" and result["error_code"] == "AccessDeniedException"
    assert result["response_metadata"]["request_id"] == "req-42"
    assert result["boto3_version"] and result["botocore_version"]
    assert result["status"] == "not_started" and result["changed"] is False
    assert result["msg"].startswith(f"Conversion of engagement {ENG} context 1 in catalog Sandbox not_started: ")
    assert result["msg"].count("not authorized") == 1


def test_a_client_token_ending_in_a_line_break_fails_before_any_api_call(harness):
    result = harness.run(failed=True, client_token="from-a-block-scalar\n")
    assert result["msg"].startswith("Invalid request: client_token must match .{1,255}")
    assert harness.api is None and harness.client_kwargs == []
