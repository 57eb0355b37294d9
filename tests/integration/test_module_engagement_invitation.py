# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_engagement_invitation and partnercentral_engagement_invitation_info in real ansible-playbook runs
against the emulator: accept, reject, idempotent re-runs, expired and answered invitations failing with no write,
bad input failing before any call, listings with filters."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness

pytestmark = pytest.mark.integration

PLAYBOOK = "module_engagement_invitation.yml"
WRITES = ("AcceptEngagementInvitation", "RejectEngagementInvitation")
SNAKE_CASE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")
OTHER_SENDER = "444455556666"


def writes(stats: dict[str, Any]) -> int:
    return sum(sum(stats["requests"].get(operation, {}).values()) for operation in WRITES)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Any:
    harness = Harness(tmp_path_factory.mktemp("module-invitation"), {"engagements": 0, "write_tps": 0, "read_tps": 0})
    yield harness
    harness.close()


def add(harness: Harness, status: str = "PENDING", **invitation: Any) -> dict[str, Any]:
    return harness.emulator.admin.add_lead(
        catalog="Sandbox",
        qualification_status="Unqualified",
        invitation=dict(invitation, status=status),
    )


def test_accept_reject_rerun_and_refusals(harness: Harness) -> None:
    harness.reset()
    accept = add(harness)
    reject = add(harness)
    expired = add(harness)
    harness.emulator.admin.expire_invitation(expired["invitation_id"])
    rejected = add(harness, status="REJECTED")
    accepted = add(harness, status="ACCEPTED")
    calls = [
        {"identifier": accept["invitation_id"], "state": "accepted"},
        {"identifier": accept["invitation_id"], "state": "accepted"},  # the re-run: nothing sent
        {"identifier": reject["invitation_id"], "state": "rejected", "rejection_reason": "Unable to support"},
        {"identifier": reject["invitation_id"], "state": "rejected"},
        {"identifier": expired["invitation_id"], "state": "accepted"},
        {"identifier": rejected["invitation_id"], "state": "accepted"},
        {"identifier": accepted["invitation_id"], "state": "rejected"},
        {"identifier": accept["invitation_id"], "state": "rejected"},
    ]
    run = harness.run(PLAYBOOK, {"localhost": {"calls": calls}})
    results = run.items()
    stats = harness.stats()
    # One Accept and one Reject reached the service, nothing else was written.
    assert stats["requests"]["AcceptEngagementInvitation"] == {"200": 1}
    assert stats["requests"]["RejectEngagementInvitation"] == {"200": 1}

    first, again, rejecting, rejecting_again, on_expired, on_rejected, on_accepted, undo = results
    assert first["changed"] is True and first["engagement_invitation"]["status"] == "ACCEPTED"
    assert first["diff"] == {
        "before": {"identifier": accept["invitation_id"], "status": "PENDING"},
        "after": {"identifier": accept["invitation_id"], "status": "ACCEPTED"},
    }
    assert again["changed"] is False and again.get("failed") is not True
    assert again["engagement_invitation"]["status"] == "ACCEPTED"
    assert rejecting["changed"] is True
    assert rejecting["engagement_invitation"]["rejection_reason"] == "Unable to support"
    assert rejecting_again["changed"] is False and rejecting_again.get("failed") is not True
    assert on_expired["failed"] is True and "is EXPIRED: it can no longer be accepted" in on_expired["msg"]
    assert on_rejected["failed"] is True and "is REJECTED: it cannot be accepted" in on_rejected["msg"]
    assert on_accepted["failed"] is True and "is ACCEPTED: it cannot be rejected" in on_accepted["msg"]
    assert undo["failed"] is True and "cannot be undone" in undo["msg"]
    for refused in (on_expired, on_rejected, on_accepted, undo):
        assert refused["changed"] is False
    # The accepted lead's engagement is now the account's to read.
    client = harness.emulator.client()
    assert client.get_engagement(Catalog="Sandbox", Identifier=accept["engagement_id"])["Id"] == accept["engagement_id"]


def test_check_mode_reads_and_sends_nothing(harness: Harness) -> None:
    harness.reset()
    pending = add(harness)
    accepted = add(harness, status="ACCEPTED")
    calls = [
        {"identifier": pending["invitation_id"], "state": "accepted"},
        {"identifier": accepted["invitation_id"], "state": "accepted"},
    ]
    run = harness.run(PLAYBOOK, {"localhost": {"check_calls": calls}})
    would, already = run.items(key="check_mode_results")
    assert would["changed"] is True and "Would have accepted" in would["msg"]
    assert would["diff"]["before"]["status"] == "PENDING" and would["diff"]["after"]["status"] == "ACCEPTED"
    assert already["changed"] is False
    assert writes(harness.stats()) == 0
    assert {inv["id"]: inv["status"] for inv in harness.emulator.admin.invitations()}[pending["invitation_id"]] == (
        "PENDING"
    )


def test_bad_input_fails_before_any_call(harness: Harness) -> None:
    harness.reset()
    pending = add(harness)
    calls = [
        {"identifier": "engi-TOO-SHORT", "state": "accepted"},
        {"identifier": "eng-abcdefghij0123", "state": "accepted"},
        {"identifier": pending["invitation_id"], "state": "accepted", "rejection_reason": "Other"},
        {"identifier": pending["invitation_id"], "state": "rejected", "rejection_reason": "Too busy"},
        {"identifier": "engi-0000000000zzz", "state": "accepted"},  # well-formed, unknown: the read fails
    ]
    listings = [
        {"statuses": ["OPEN"]},
        {"sender_aws_account_ids": ["not-an-account!"]},
        {"max_results": "many"},
        {"identifier": "engi-nope"},
    ]
    run = harness.run(PLAYBOOK, {"localhost": {"calls": calls, "listings": listings}})
    short, engagement, reason_for_accept, unknown_reason, unknown = run.items()
    assert short["failed"] is True and "identifier 'engi-TOO-SHORT' must match engi-[0-9a-z]{13}" in short["msg"]
    assert engagement["failed"] is True and "must match engi-" in engagement["msg"]
    assert reason_for_accept["failed"] is True and "rejection_reason is only used with state=rejected" in (
        reason_for_accept["msg"]
    )
    assert unknown_reason["failed"] is True and "rejection_reason" in unknown_reason["msg"]
    assert "Unable to support" in unknown_reason["msg"]  # the choices are named
    assert unknown["failed"] is True and unknown["error_code"] == "ResourceNotFoundException"
    assert "GetEngagementInvitation of engi-0000000000zzz" in unknown["msg"]
    bad_status, bad_account, bad_type, bad_id = run.items(key="listings")
    assert bad_status["failed"] is True and "statuses" in bad_status["msg"] and "PENDING" in bad_status["msg"]
    assert bad_account["failed"] is True and "not an AWS account id" in bad_account["msg"]
    assert bad_type["failed"] is True and "max_results" in bad_type["msg"]
    assert bad_id["failed"] is True and "must match engi-" in bad_id["msg"]
    stats = harness.stats()
    assert writes(stats) == 0
    # Only the well-formed unknown id was sent, as one read.
    assert stats["requests"].get("GetEngagementInvitation") == {"404": 1}
    assert "ListEngagementInvitations" not in stats["requests"]


def test_listing_filters_sort_and_full_read(harness: Harness) -> None:
    harness.reset()
    made = [add(harness) for _pending in range(3)]
    made.append(add(harness, sender_account=OTHER_SENDER, sender_company="Example Distributor"))
    made.append(add(harness, status="ACCEPTED"))
    expired = add(harness)
    harness.emulator.admin.expire_invitation(expired["invitation_id"])
    made.append(expired)
    ids = [lead["invitation_id"] for lead in made]
    engagement_ids = [lead["engagement_id"] for lead in made]
    listings = [
        {"payload_types": ["LeadInvitation"], "statuses": ["PENDING"]},
        {"statuses": ["EXPIRED", "ACCEPTED"], "sort_order": "ASCENDING"},
        {"sender_aws_account_ids": [OTHER_SENDER]},
        {"engagement_ids": engagement_ids[:2]},
        {"max_results": 2},
        {"identifier": ids[0]},
        {"participant_type": "SENDER"},
    ]
    run = harness.run(PLAYBOOK, {"localhost": {"listings": listings}})
    pending, answered, other, two_engagements, newest_two, full, sent = run.items(key="listings")

    def listed(answer: dict[str, Any]) -> list[str]:
        assert answer.get("failed") is not True, answer
        assert answer["changed"] is False
        return [invitation["id"] for invitation in answer["engagement_invitations"]]

    assert set(listed(pending)) == set(ids[:4])
    assert listed(answered) == [ids[4], ids[5]]  # oldest first
    assert listed(other) == [ids[3]]
    assert set(listed(two_engagements)) == set(ids[:2])
    assert listed(newest_two) == [ids[5], ids[4]]
    assert listed(sent) == []
    (invitation,) = full["engagement_invitations"]
    assert invitation["id"] == ids[0] and invitation["status"] == "PENDING"
    assert invitation["payload"]["lead_invitation"]["customer"]["company_name"]
    assert all(SNAKE_CASE.fullmatch(key) for key in invitation), sorted(invitation)
    assert datetime.datetime.fromisoformat(invitation["invitation_date"]).tzinfo is not None
    assert writes(harness.stats()) == 0
