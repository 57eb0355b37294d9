# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The conversion task's calls of _api/tasks.py (and the error path and answers they share) on a stubbed client: client
tokens, retries, error messages, paging, filters."""

from __future__ import annotations

import datetime
import hashlib

import botocore.exceptions
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import describe_error
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import LIST_PAGE_SIZE
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import READ_ATTEMPTS
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import TOKEN_PREFIX
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import derive_client_token
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import find_finished_since
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import find_tasks
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import start_task
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import LIST
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import T0
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_task
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import task_id

ENG = "eng-abcdefghij0123"


# ---- client tokens ---------------------------------------------------------------------------------------------


def test_token_is_deterministic():
    assert derive_client_token("Sandbox", ENG, "1") == derive_client_token("Sandbox", ENG, "1", 0)
    assert derive_client_token("AWS", ENG, "3", 2) == derive_client_token("AWS", ENG, "3", 2)


def test_token_known_value_does_not_drift():
    # A changed derivation would make every re-run after an upgrade start duplicate conversions.
    seed = f"partnercentral.selling/v1|Sandbox|{ENG}|1|0".encode()
    assert derive_client_token("Sandbox", ENG, "1") == "ansible-pcs-" + hashlib.sha256(seed).hexdigest()[:40]


@pytest.mark.parametrize(
    "other",
    [
        ("AWS", ENG, "1", 0),
        ("Sandbox", "eng-abcdefghij0124", "1", 0),
        ("Sandbox", ENG, "2", 0),
        ("Sandbox", ENG, "1", 1),
    ],
)
def test_token_differs_by_catalog_engagement_context_attempt(other):
    assert derive_client_token(*other) != derive_client_token("Sandbox", ENG, "1", 0)


def test_token_fits_the_model():
    token = derive_client_token("Sandbox", ENG, "987654321", 12345)
    assert token.startswith(TOKEN_PREFIX)
    assert 1 <= len(token) <= 255


# ---- error descriptions ----------------------------------------------------------------------------------------


def _client_error(code, message="boom"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": message}}, "StartX")


def test_errors_are_amazon_aws_errors_carrying_the_botocore_exception():
    cause = _client_error("AccessDeniedException", "no")
    cause.response["ResponseMetadata"] = {"RequestId": "req-1"}
    error = describe_error(cause, "Start", "partnercentral:StartX")
    assert isinstance(error, AnsibleAWSError) and error.exception is cause
    assert error.request_id == "req-1" and error.code == "AccessDeniedException"
    # fail_json_aws appends the exception's own text to the summary: the summary does not repeat it.
    assert error.summary == "Start failed (the credentials need IAM permission partnercentral:StartX for this catalog)"
    assert str(error) == error.message
    caught = False
    try:
        raise error
    except is_ansible_aws_error_code("AccessDeniedException"):  # amazon.aws's way of telling codes apart works
        caught = True
    assert caught


def test_access_denied_names_the_iam_action_and_is_fatal():
    error = describe_error(_client_error("AccessDeniedException", "no"), "Start", "partnercentral:StartX")
    assert error.fatal and error.code == "AccessDeniedException"
    assert "partnercentral:StartX" in error.message and error.message.startswith("Start failed: AccessDenied")


def test_quota_is_fatal_and_explained():
    error = describe_error(_client_error("ServiceQuotaExceededException"), "Start", "x")
    assert error.fatal and "24 h" in error.message


@pytest.mark.parametrize("code", ["ConflictException", "ResourceNotFoundException", "ValidationException"])
def test_item_errors_are_not_fatal(code):
    error = describe_error(_client_error(code, "detail text"), "Start", "x")
    assert not error.fatal and error.code == code and "detail text" in error.message


def test_missing_credentials_and_endpoint_are_fatal():
    no_credentials = describe_error(botocore.exceptions.NoCredentialsError(), "List", "x")
    assert no_credentials.fatal and no_credentials.code == "NoCredentialsError"
    assert "credentials" in no_credentials.message
    endpoint = describe_error(botocore.exceptions.EndpointConnectionError(endpoint_url="https://x"), "List", "x")
    assert endpoint.fatal


def test_normalize_task_is_snake_case_with_iso_times():
    task = make_task(1, ENG, status="FAILED", reason_code="ContextNotFound", message="m")
    task["ResponseMetadata"] = {"RequestId": "r"}
    normalized = snake_answer(task)
    assert normalized["task_id"] == task_id(1)
    assert normalized["start_time"] == (T0 + datetime.timedelta(seconds=1)).isoformat()
    assert normalized["reason_code"] == "ContextNotFound" and normalized["context_id"] == "1"
    assert "response_metadata" not in normalized


# ---- start ------------------------------------------------------------------------------------------------------


def test_start_sends_tags_as_a_list_and_strips_metadata(api):
    api.expect_start(
        make_task(1, ENG),
        ENG,
        "1",
        token="tok",
        tags=[{"Key": "source", "Value": "ansible"}, {"Key": "n", "Value": "5"}],
    )
    answer = start_task(api.client, "Sandbox", ENG, 1, "tok", {"source": "ansible", "n": 5})
    assert answer["TaskId"] == task_id(1)
    assert "ResponseMetadata" not in answer
    api.stubber.assert_no_pending_responses()


def test_start_leaves_throttling_and_5xx_to_the_engine(api, retry_sleeps):
    # The retry policy (_api/retries.py): starts are not retried in the call; the engine re-queues them.
    api.expect_error("start_opportunity_from_engagement_task", "ThrottlingException", status=400)
    api.expect_error("start_opportunity_from_engagement_task", "InternalServerException", status=500)
    with pytest.raises(PartnerCentralError) as throttled:
        start_task(api.client, "Sandbox", ENG, "1", "tok")
    with pytest.raises(PartnerCentralError) as internal:
        start_task(api.client, "Sandbox", ENG, "1", "tok")
    assert throttled.value.throttled and not throttled.value.transient and not throttled.value.fatal
    assert internal.value.transient and not internal.value.throttled and not internal.value.fatal
    assert retry_sleeps == []
    assert len(api.params("StartOpportunityFromEngagementTask")) == 2
    api.stubber.assert_no_pending_responses()


def test_client_config_turns_botocore_retries_off():
    assert client_config().retries == {"mode": "standard", "total_max_attempts": 1}


def test_start_does_not_retry_conflict(api, retry_sleeps):
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "context is held")
    with pytest.raises(PartnerCentralError) as raised:
        start_task(api.client, "Sandbox", ENG, "1", "tok")
    assert raised.value.code == "ConflictException" and not raised.value.fatal
    assert "engagement eng-abcdefghij0123 context 1 in catalog Sandbox" in raised.value.message
    assert retry_sleeps == []
    api.stubber.assert_no_pending_responses()


def test_list_retries_throttling_and_5xx_with_backoff(api, retry_sleeps):
    api.expect_error("list_opportunity_from_engagement_tasks", "ThrottlingException", status=400)
    api.expect_error("list_opportunity_from_engagement_tasks", "InternalServerException", status=500)
    api.expect_list([make_task(1, ENG)], EngagementIdentifier=[ENG])
    found = find_tasks(api.client, "Sandbox", engagement_ids=[ENG])
    assert [task["TaskId"] for task in found] == [task_id(1)]
    assert len(retry_sleeps) == 2
    api.stubber.assert_no_pending_responses()


def test_list_gives_up_after_the_read_attempts(api, retry_sleeps):
    for _repeat in range(READ_ATTEMPTS):
        api.expect_error("list_opportunity_from_engagement_tasks", "ThrottlingException")
    with pytest.raises(PartnerCentralError) as raised:
        find_tasks(api.client, "Sandbox", engagement_ids=[ENG])
    assert raised.value.code == "ThrottlingException"
    assert len(retry_sleeps) == READ_ATTEMPTS - 1 == 7
    assert max(retry_sleeps) <= 10
    api.stubber.assert_no_pending_responses()


# ---- list ---------------------------------------------------------------------------------------------------------


def test_list_follows_next_token(api):
    api.expect_list([make_task(1, ENG)], next_token="page-2", EngagementIdentifier=[ENG])
    api.expect_list([make_task(2, ENG)], next_token="page-3", EngagementIdentifier=[ENG], NextToken="page-2")
    api.expect_list([make_task(3, ENG)], EngagementIdentifier=[ENG], NextToken="page-3")
    found = find_tasks(api.client, "Sandbox", engagement_ids=[ENG])
    assert [task["TaskId"] for task in found] == [task_id(1), task_id(2), task_id(3)]
    assert all(params["MaxResults"] == LIST_PAGE_SIZE for params in api.params(LIST))
    api.stubber.assert_no_pending_responses()


def test_list_filters_split_into_groups_of_ten(api):
    engagements = [engagement(i) for i in range(23)]
    api.expect_lookup(engagements[:10], [make_task(1, engagements[0])])
    api.expect_lookup(engagements[10:20], [make_task(2, engagements[15])])
    api.expect_lookup(engagements[20:], [make_task(3, engagements[22])])
    # Duplicated ids are asked once.
    found = find_tasks(api.client, "Sandbox", engagement_ids=engagements + engagements[:3])
    assert {task["TaskId"] for task in found} == {task_id(1), task_id(2), task_id(3)}
    # With several calls the result is sorted newest first.
    assert [task["TaskId"] for task in found] == [task_id(3), task_id(2), task_id(1)]
    api.stubber.assert_no_pending_responses()


def test_list_paces_every_request(api):
    paced = []
    api.expect_list([], next_token="n", TaskIdentifier=[task_id(1)])
    api.expect_list([], TaskIdentifier=[task_id(1)], NextToken="n")
    find_tasks(api.client, "Sandbox", task_ids=[task_id(1)], pace=lambda: paced.append(1))
    assert paced == [1, 1]
    api.stubber.assert_no_pending_responses()


def test_list_access_denied_names_the_list_action(api):
    api.expect_error("list_opportunity_from_engagement_tasks", "AccessDeniedException", status=403)
    with pytest.raises(PartnerCentralError) as raised:
        find_tasks(api.client, "Sandbox", engagement_ids=[ENG])
    assert raised.value.fatal
    assert "partnercentral:ListOpportunityFromEngagementTasks" in raised.value.message


def test_finished_scan_is_sorted_descending_and_stops_at_older_tasks(api):
    since = T0 + datetime.timedelta(seconds=10)
    newer = [make_task(n, engagement(n), start=T0 + datetime.timedelta(seconds=n)) for n in (30, 20, 12)]
    older = make_task(5, engagement(5), start=T0 + datetime.timedelta(seconds=5))
    api.expect_list(
        newer + [older],
        next_token="more",
        TaskStatus=["COMPLETE", "FAILED"],
        Sort={"SortBy": "StartTime", "SortOrder": "DESCENDING"},
    )
    # No second page is stubbed: asking for it would fail the test.
    found = find_finished_since(api.client, "Sandbox", since)
    assert [task["TaskId"] for task in found] == [task_id(30), task_id(20), task_id(12)]
    api.stubber.assert_no_pending_responses()


def test_finished_scan_pages_while_tasks_are_newer(api):
    since = T0
    first = [make_task(n, engagement(n), start=T0 + datetime.timedelta(seconds=n)) for n in (9, 8)]
    second = [make_task(n, engagement(n), start=T0 + datetime.timedelta(seconds=n)) for n in (7,)]
    sort = {"SortBy": "StartTime", "SortOrder": "DESCENDING"}
    api.expect_list(first, next_token="p2", TaskStatus=["COMPLETE", "FAILED"], Sort=sort)
    api.expect_list(second, TaskStatus=["COMPLETE", "FAILED"], Sort=sort, NextToken="p2")
    found = find_finished_since(api.client, "Sandbox", since)
    assert [task["TaskId"] for task in found] == [task_id(9), task_id(8), task_id(7)]
    api.stubber.assert_no_pending_responses()
