# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""main() of partnercentral_engagement_invitation with its client answered by botocore's Stubber: every decision
of the status read first (answer, leave alone, refuse), check mode, diff, and a retried write that went through."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base as module_base
from ansible_collections.partnercentral.selling.plugins.module_utils._module.invitation import decide
from ansible_collections.partnercentral.selling.plugins.modules import partnercentral_engagement_invitation
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import T0
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import ModuleExit
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import isolate_module
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import module_args

INV = "engi-0123456789abc"
GET = {"Catalog": "Sandbox", "Identifier": INV}


def invitation(status: str, **extra: Any) -> Dict[str, Any]:
    return dict(
        {"Id": INV, "Catalog": "Sandbox", "Status": status, "PayloadType": "LeadInvitation", "InvitationDate": T0},
        **extra,
    )


class Harness:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
        self.stubs: List[Any] = []
        self.apis: List[Api] = []
        isolate_module(monkeypatch, tmp_path)
        real_client = module_base.PartnerCentralModule.partnercentral_client

        def partnercentral_client(module: Any, **kwargs: Any) -> Any:
            client = real_client(module, **kwargs)
            api = Api(client, FakeClock())
            for stub in self.stubs:
                stub(api.stubber)
            api.stubber.activate()
            self.apis.append(api)
            return client

        monkeypatch.setattr(module_base.PartnerCentralModule, "partnercentral_client", partnercentral_client)

    def get(self, status: str, **extra: Any) -> None:
        self.stubs.append(lambda s: s.add_response("get_engagement_invitation", invitation(status, **extra), GET))

    def write(self, method: str, expected: Dict[str, Any], error: str = "") -> None:
        if error:
            self.stubs.append(lambda s: s.add_client_error(method, service_error_code=error, http_status_code=409))
        else:
            self.stubs.append(lambda s: s.add_response(method, {}, expected))

    def run(self, failed: bool = False, check_mode: bool = False, **args: Any) -> Dict[str, Any]:
        args = dict(
            {"catalog": "Sandbox", "identifier": INV, "access_key": "AKIDEXAMPLE", "secret_key": "dummy-secret"},
            _ansible_check_mode=check_mode,
            _ansible_diff=True,
            **args,
        )
        with module_args(args):
            with pytest.raises(ModuleExit) as raised:
                partnercentral_engagement_invitation.main()
        assert raised.value.failed is failed, raised.value.result
        for api in self.apis:
            api.stubber.assert_no_pending_responses()
        return raised.value.result

    def operations(self) -> List[str]:
        return [call["operation"] for api in self.apis for call in api.calls]


@pytest.fixture
def harness(monkeypatch, tmp_path):
    return Harness(monkeypatch, tmp_path)


@pytest.mark.parametrize(
    "status, state, decision",
    [
        ("PENDING", "accepted", "answer"),
        ("PENDING", "rejected", "answer"),
        ("ACCEPTED", "accepted", "none"),
        ("REJECTED", "rejected", "none"),
    ],
)
def test_decide(status, state, decision):
    assert decide(status, state) == decision


@pytest.mark.parametrize(
    "status, state, words",
    [
        ("EXPIRED", "accepted", "EXPIRED: it can no longer be accepted"),
        ("EXPIRED", "rejected", "EXPIRED: it can no longer be rejected"),
        ("REJECTED", "accepted", "REJECTED: it cannot be accepted (answering an invitation cannot be undone)"),
        ("ACCEPTED", "rejected", "ACCEPTED: it cannot be rejected"),
    ],
)
def test_refusals_send_nothing(harness, status, state, words):
    assert words in decide(status, state)
    harness.get(status)
    result = harness.run(failed=True, state=state)
    assert words in result["msg"] and result["changed"] is False
    assert harness.operations() == ["GetEngagementInvitation"]


def test_accept_pending(harness):
    harness.get("PENDING")
    harness.write("accept_engagement_invitation", GET)
    harness.get("ACCEPTED")
    result = harness.run(state="accepted")
    assert result["changed"] is True and result["engagement_invitation"]["status"] == "ACCEPTED"
    assert result["diff"]["before"]["status"] == "PENDING" and result["diff"]["after"]["status"] == "ACCEPTED"
    assert result["engagement_invitation"]["invitation_date"] == T0.isoformat()
    assert harness.operations() == ["GetEngagementInvitation", "AcceptEngagementInvitation", "GetEngagementInvitation"]


def test_reject_pending_with_reason(harness):
    harness.get("PENDING")
    harness.write("reject_engagement_invitation", dict(GET, RejectionReason="Next steps unclear"))
    harness.get("REJECTED", RejectionReason="Next steps unclear")
    result = harness.run(state="rejected", rejection_reason="Next steps unclear")
    assert result["changed"] is True and result["engagement_invitation"]["rejection_reason"] == "Next steps unclear"


@pytest.mark.parametrize("status, state", [("ACCEPTED", "accepted"), ("REJECTED", "rejected")])
def test_already_in_the_wanted_state_is_left_alone(harness, status, state):
    harness.get(status)
    result = harness.run(state=state)
    assert result["changed"] is False and harness.operations() == ["GetEngagementInvitation"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_check_mode_reads_only(harness):
    harness.get("PENDING")
    result = harness.run(check_mode=True, state="accepted")
    assert result["changed"] is True and "Would have accepted" in result["msg"]
    assert result["engagement_invitation"]["status"] == "ACCEPTED"
    assert harness.operations() == ["GetEngagementInvitation"]


def test_a_conflict_after_a_write_that_went_through_is_success(harness):
    harness.get("PENDING")
    harness.write("accept_engagement_invitation", {}, error="ConflictException")
    harness.get("ACCEPTED")  # the read after the conflict: the first attempt went through
    harness.get("ACCEPTED")
    result = harness.run(state="accepted")
    assert result["changed"] is True and result["engagement_invitation"]["status"] == "ACCEPTED"


def test_a_conflict_with_the_invitation_still_pending_fails(harness):
    harness.get("PENDING")
    harness.write("accept_engagement_invitation", {}, error="ConflictException")
    harness.get("PENDING")
    result = harness.run(failed=True, state="accepted")
    assert result["error_code"] == "ConflictException"
    assert "partnercentral:AcceptEngagementInvitation" not in result["msg"]  # not an access problem


@pytest.mark.parametrize(
    "args, words",
    [
        ({"identifier": "engi-short", "state": "accepted"}, "must match engi-[0-9a-z]{13}"),
        ({"state": "accepted", "rejection_reason": "Other"}, "only used with state=rejected"),
        ({"state": "rejected", "rejection_reason": "Busy"}, "rejection_reason"),
        ({"state": "present"}, "state"),
    ],
)
def test_bad_input_fails_before_any_call(harness, args, words):
    result = harness.run(failed=True, **args)
    assert words in result["msg"] and harness.apis == []
