# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""StartOpportunityFromEngagementTask semantics: outcomes, identifiers, latency, idempotency, conflicts."""

from __future__ import annotations

import time

import pytest
from emulator_helpers import sandbox_engagement

pytestmark = pytest.mark.emulator_config(write_tps=0)

ENG = "eng-fixture0000001"
FIXTURE = {
    "engagements": [
        {
            "catalog": "Sandbox",
            "id": ENG,
            "title": "Fixture engagement",
            "contexts": [
                {"id": "1", "type": "Lead", "qualification_status": "Qualified"},
                {"id": "2", "type": "CustomerProject"},
                {"id": "3", "type": "Lead", "qualification_status": "Disqualified"},
                {"id": "4", "type": "Lead", "qualification_status": "Pending"},
            ],
        }
    ]
}


def _start(client, identifier, context="1", catalog="Sandbox", **kwargs):
    return client.start_opportunity_from_engagement_task(
        Catalog=catalog, Identifier=identifier, ContextIdentifier=context, **kwargs
    )


def test_unknown_engagement(emulator):
    client = emulator.client()
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        _start(client, "eng-doesnotexist00")
    assert emulator.stats()["tasks"] == 0


@pytest.mark.emulator_config(fixture=FIXTURE, engagements=0)
@pytest.mark.parametrize(
    "context, reason",
    [
        ("9", "ContextNotFound"),
        ("2", "CustomerProjectContextNotPermitted"),
        ("3", "DisqualifiedLeadNotPermitted"),
        ("4", "EngagementValidationFailed"),
    ],
)
def test_failed_tasks(emulator, context, reason):
    client = emulator.client()
    task = _start(client, ENG, context)
    assert task["TaskStatus"] == "FAILED"
    assert task["ReasonCode"] == reason
    assert "OpportunityId" not in task
    assert task["ContextId"] == context
    stats = emulator.stats()
    assert stats["converted"] == 0 and stats["tasks"] == 1
    listed = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox")["TaskSummaries"]
    assert listed[0]["ReasonCode"] == reason


def test_arn_and_id_are_the_same_engagement(emulator):
    client = emulator.client()
    engagement = emulator.engagements("Sandbox")[0]
    task = _start(client, engagement["arn"])
    assert task["TaskStatus"] == "COMPLETE" and task["EngagementId"] == engagement["id"]
    with pytest.raises(client.exceptions.ConflictException):
        _start(client, engagement["id"])
    other_account = engagement["arn"].replace(":111122223333:", ":444455556666:")
    assert client.get_engagement(Catalog="Sandbox", Identifier=other_account)["Id"] == engagement["id"]


def test_arn_of_another_catalog_is_not_found(emulator):
    client = emulator.client()
    arn = emulator.engagements("Sandbox")[0]["arn"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_engagement(Catalog="AWS", Identifier=arn)
    with pytest.raises(client.exceptions.ValidationException):
        client.get_engagement(Catalog="Sandbox", Identifier="arn:aws:s3:::bucket")


@pytest.mark.emulator_config(context_id_mode="requested")
def test_context_id_mode_requested(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    task = _start(client, eng_id)
    assert task["ContextId"] == "1"
    # The new CustomerProject context exists all the same.
    contexts = client.get_engagement(Catalog="Sandbox", Identifier=eng_id)["Contexts"]
    assert [c["Type"] for c in contexts] == ["Lead", "CustomerProject"]


# Long enough for the calls below to run while the task is IN_PROGRESS on a loaded machine (0.4 s was not).
LATENCY = 3.0


@pytest.mark.emulator_config(task_latency=LATENCY)
def test_task_latency(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    task = _start(client, eng_id, ClientToken="latency-1")
    assert task["TaskStatus"] == "IN_PROGRESS"
    assert "OpportunityId" not in task and "ReasonCode" not in task
    listed = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", TaskStatus=["IN_PROGRESS"])
    assert [t["TaskId"] for t in listed["TaskSummaries"]] == [task["TaskId"]]
    # A second Start for the same context while the first runs: conflict (a new token = a new request).
    with pytest.raises(client.exceptions.ConflictException):
        _start(client, eng_id, ClientToken="latency-2")
    # The same token again is a replay, not a conflict.
    assert _start(client, eng_id, ClientToken="latency-1")["TaskId"] == task["TaskId"]
    assert len(client.get_engagement(Catalog="Sandbox", Identifier=eng_id)["Contexts"]) == 1
    assert emulator.stats()["converted"] == 0
    # The latency counts from the task's StartTime at the emulator, which a loaded machine makes later than the call.
    time.sleep(max(0.0, task["StartTime"].timestamp() + LATENCY + 0.1 - time.time()))
    [done] = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox")["TaskSummaries"]
    assert done["TaskStatus"] == "COMPLETE" and done["OpportunityId"] and done["ContextId"] == "2"
    assert len(client.get_engagement(Catalog="Sandbox", Identifier=eng_id)["Contexts"]) == 2
    assert emulator.stats()["converted"] == 1


@pytest.mark.emulator_config(task_latency=0.3, fixture=FIXTURE, engagements=0)
def test_failures_also_wait_for_the_latency(emulator):
    client = emulator.client()
    task = _start(client, ENG, "9")
    assert task["TaskStatus"] == "IN_PROGRESS"
    time.sleep(0.35)
    [done] = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox")["TaskSummaries"]
    assert done["TaskStatus"] == "FAILED" and done["ReasonCode"] == "ContextNotFound"


def test_client_token_replay(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    first = _start(client, eng_id, ClientToken="token-A")
    again = _start(client, eng_id, ClientToken="token-A")
    assert again["TaskId"] == first["TaskId"] and again["OpportunityId"] == first["OpportunityId"]
    stats = emulator.stats()
    assert stats["replays"] == 1 and stats["tasks"] == 1
    assert stats["opportunities"] == {f"Sandbox/{eng_id}/1": [first["OpportunityId"]]}
    # An ARN naming the same engagement is the same body.
    arn = emulator.engagements("Sandbox")[0]["arn"]
    assert _start(client, arn, ClientToken="token-A")["TaskId"] == first["TaskId"]


def test_client_token_with_other_body(emulator):
    client = emulator.client()
    first, second = (e["id"] for e in emulator.engagements("Sandbox")[:2])
    _start(client, first, ClientToken="token-B")
    with pytest.raises(client.exceptions.ConflictException) as caught:
        _start(client, second, ClientToken="token-B")
    assert "client token" in caught.value.response["Error"]["Message"]
    with pytest.raises(client.exceptions.ConflictException):
        _start(client, first, ClientToken="token-B", Tags=[{"Key": "k", "Value": "v"}])
    assert emulator.stats()["tasks"] == 1


@pytest.mark.emulator_config(token_ttl=0)
def test_token_ttl_zero_forgets_at_once(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    _start(client, eng_id, ClientToken="token-C")
    # Forgotten: the same token is new work, which meets the already-converted context.
    with pytest.raises(client.exceptions.ConflictException):
        _start(client, eng_id, ClientToken="token-C")
    assert emulator.stats()["replays"] == 0


@pytest.mark.emulator_config(token_ttl=0.3, second_conversion="duplicate")
def test_token_ttl_expiry(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    first = _start(client, eng_id, ClientToken="token-D")
    assert _start(client, eng_id, ClientToken="token-D")["TaskId"] == first["TaskId"]
    time.sleep(0.35)
    later = _start(client, eng_id, ClientToken="token-D")
    assert later["TaskId"] != first["TaskId"]
    assert emulator.stats()["duplicates"] == 1


def test_second_conversion_conflict(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    first = _start(client, eng_id)
    with pytest.raises(client.exceptions.ConflictException) as caught:
        _start(client, eng_id)
    assert first["OpportunityId"] in caught.value.response["Error"]["Message"]
    stats = emulator.stats()
    assert stats["converted"] == 1 and stats["duplicates"] == 0 and stats["tasks"] == 1


@pytest.mark.emulator_config(second_conversion="duplicate")
def test_second_conversion_duplicate(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    first = _start(client, eng_id)
    second = _start(client, eng_id)
    assert second["OpportunityId"] != first["OpportunityId"]
    assert (first["ContextId"], second["ContextId"]) == ("2", "3")
    stats = emulator.stats()
    assert stats["opportunities"][f"Sandbox/{eng_id}/1"] == [first["OpportunityId"], second["OpportunityId"]]
    assert stats["duplicates"] == 1 and stats["converted"] == 1
    # The model allows 5 contexts per engagement: the 5th conversion fails instead of breaking GetEngagement.
    _start(client, eng_id)
    _start(client, eng_id)
    fifth = _start(client, eng_id)
    assert fifth["TaskStatus"] == "FAILED" and fifth["ReasonCode"] == "EngagementValidationFailed"
    assert len(client.get_engagement(Catalog="Sandbox", Identifier=eng_id)["Contexts"]) == 5


def test_catalog_scoping_of_conversions(emulator):
    client = emulator.client()
    sandbox_id = emulator.engagements("Sandbox")[0]["id"]
    aws_id = emulator.engagements("AWS")[0]["id"]
    _start(client, sandbox_id)
    _start(client, aws_id, catalog="AWS")
    assert client.list_opportunity_from_engagement_tasks(Catalog="AWS")["TaskSummaries"][0]["EngagementId"] == aws_id
    assert set(emulator.stats()["opportunities"]) == {f"Sandbox/{sandbox_id}/1", f"AWS/{aws_id}/1"}
