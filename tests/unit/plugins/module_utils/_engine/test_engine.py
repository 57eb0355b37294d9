# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every decision of the batch engine, on a stubbed client and a fake clock (no network, no real sleeping)."""

from __future__ import annotations

import datetime
import types

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import START_ATTEMPTS
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import derive_client_token
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import DEADLINE_MARGIN
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import MAX_OPEN_TASKS
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.items import Item
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.pacing import WritePacer
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import DEFAULT_HINT
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import REASON_HINTS
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import LIST
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import START
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import T0
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement_context
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_task
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import task_id

ENG = engagement(1)
SCAN = dict(TaskStatus=["COMPLETE", "FAILED"], Sort={"SortBy": "StartTime", "SortOrder": "DESCENDING"})


def make_engine(api, clock, jitter=0.5, **options):
    """jitter: the pacer's random draw, fixed (0.5: every slowed-down gap is its mean)."""
    options.setdefault("catalog", "Sandbox")
    engine = ConversionEngine(api.client, clock=clock, sleep=clock.sleep, **options)
    engine.pacer.random = lambda: jitter
    return engine


def request(engagement_id=ENG, context="1", **extra):
    return dict(identifier=engagement_id, context_identifier=context, **extra)


def token(engagement_id=ENG, context="1", attempt=0):
    return derive_client_token("Sandbox", engagement_id, context, attempt)


def statuses(summary):
    return [item["status"] for item in summary["items"]]


def expect_poll(api, tasks, ids=None):
    api.expect_list(tasks, TaskIdentifier=ids or [task["TaskId"] for task in tasks])


# ---- one item -------------------------------------------------------------------------------------------------


def test_fresh_item_is_looked_up_then_started_with_the_derived_token(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG), ENG, "1", token=token())
    summary = make_engine(api, clock).run([request()])
    item = summary["items"][0]
    assert item["status"] == "created" and item["changed"] is True and summary["changed"] is True
    assert item["client_token"] == token()
    assert item["opportunity_id"] == "O1001" and item["task_id"] == task_id(1)
    assert item["task"]["task_status"] == "COMPLETE"
    # COMPLETE at once: no poll.
    assert [call["operation"] for call in api.calls] == [LIST, START]
    assert summary["api_calls"] == {"reads": 1, "writes": 1}
    assert summary["counts"]["created"] == 1 and summary["counts"]["errors"] == 0
    api.stubber.assert_no_pending_responses()


def test_tags_are_sent_and_returned(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG), ENG, "1", tags=[{"Key": "source", "Value": "ansible"}])
    summary = make_engine(api, clock).run([request(tags={"source": "ansible"})])
    assert summary["items"][0]["task"]["tags"] == {"source": "ansible"}
    api.stubber.assert_no_pending_responses()


def test_user_client_token_is_sent_as_is(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG), ENG, "1", token="my-token")
    summary = make_engine(api, clock).run([request(client_token="my-token")])
    assert summary["items"][0]["client_token"] == "my-token"
    api.stubber.assert_no_pending_responses()


def test_arn_and_id_give_the_same_token(api, clock):
    arn = f"arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/{ENG}"
    for identifier in (ENG, arn):
        api.expect_lookup([ENG], [])
        api.expect_start(make_task(1, ENG), identifier, "1")
        make_engine(api, clock).run([request(identifier)])
    first, second = api.params(START)
    assert first["ClientToken"] == second["ClientToken"] == token()
    # The lookup is by engagement id whatever the spelling.
    assert [params["EngagementIdentifier"] for params in api.params(LIST)] == [[ENG], [ENG]]
    api.stubber.assert_no_pending_responses()


def test_in_progress_is_polled_until_complete_at_the_poll_cadence(api, clock):
    running = make_task(1, ENG, status="IN_PROGRESS")
    api.expect_lookup([ENG], [])
    api.expect_start(running, ENG)
    polls = 40
    for _repeat in range(polls):
        expect_poll(api, [running])
    expect_poll(api, [make_task(1, ENG)])
    engine = make_engine(api, clock, min_poll_interval=2.0, max_poll_interval=15.0)
    summary = engine.run([request()])
    assert statuses(summary) == ["created"]
    assert summary["items"][0]["opportunity_id"] == "O1001"
    watch_start = api.times(START)[0]
    poll_times = api.times(LIST)[1:]
    assert len(poll_times) == polls + 1
    assert poll_times[0] - watch_start == pytest.approx(2.0)
    gaps = [later - earlier for earlier, later in zip(poll_times, poll_times[1:])]
    for earlier, gap in zip(poll_times, gaps):
        # max(min interval, 10% of the time waited so far), capped at the max interval.
        assert gap == pytest.approx(min(15.0, max(2.0, 0.1 * (earlier - watch_start))))
    assert min(gaps) == pytest.approx(2.0)
    assert max(gaps) == pytest.approx(15.0)
    assert any(2.5 < gap < 14.5 for gap in gaps), "the 10% rule never applied"
    api.stubber.assert_no_pending_responses()


def test_task_failed_at_start_fails_the_item_with_reason_and_hint(api, clock):
    failed = make_task(1, ENG, status="FAILED", reason_code="DisqualifiedLeadNotPermitted", message="Lead is bad")
    api.expect_lookup([ENG], [])
    api.expect_start(failed, ENG)
    item = make_engine(api, clock).run([request()])["items"][0]
    assert item["status"] == "failed" and item["changed"] is True  # this run started the FAILED task
    assert item["reason_code"] == "DisqualifiedLeadNotPermitted"
    assert item["hint"] == REASON_HINTS["DisqualifiedLeadNotPermitted"]
    assert task_id(1) in item["message"] and "Lead is bad" in item["message"]
    api.stubber.assert_no_pending_responses()


def test_task_failed_while_polled(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG, status="IN_PROGRESS"), ENG)
    expect_poll(api, [make_task(1, ENG, status="FAILED", reason_code="ContextNotFound")])
    item = make_engine(api, clock).run([request()])["items"][0]
    assert item["status"] == "failed" and item["reason_code"] == "ContextNotFound"
    assert item["hint"] == REASON_HINTS["ContextNotFound"]
    api.stubber.assert_no_pending_responses()


def test_reason_code_without_a_hint_gets_the_default_hint(api, clock, monkeypatch):
    # A ReasonCode added to the service later has no hint yet.
    monkeypatch.delitem(REASON_HINTS, "InternalError")
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG, status="FAILED", reason_code="InternalError"), ENG)
    item = make_engine(api, clock).run([request()])["items"][0]
    assert item["hint"] == DEFAULT_HINT


# ---- re-runs ------------------------------------------------------------------------------------------------------


def test_rerun_with_an_earlier_complete_task_is_already_done(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG)])
    summary = make_engine(api, clock).run([request()])
    item = summary["items"][0]
    assert item["status"] == "already_done" and item["changed"] is False and summary["changed"] is False
    assert item["opportunity_id"] == "O1007" and item["task_id"] == task_id(7)
    assert api.params(START) == []
    assert summary["api_calls"]["writes"] == 0
    api.stubber.assert_no_pending_responses()


def test_lookup_follows_pagination(api, clock):
    api.expect_lookup([ENG], [make_task(3, ENG, context_id="5", status="FAILED")], next_token="p2")
    api.expect_lookup([ENG], [make_task(7, ENG)], NextToken="p2")
    summary = make_engine(api, clock).run([request()])
    assert statuses(summary) == ["already_done"]
    assert summary["items"][0]["task_id"] == task_id(7)
    api.stubber.assert_no_pending_responses()


def test_the_newest_complete_task_is_reported(api, clock):
    older = make_task(2, ENG, start=T0)
    newer = make_task(3, ENG, start=T0 + datetime.timedelta(hours=1))
    api.expect_lookup([ENG], [older, newer])
    assert make_engine(api, clock).run([request()])["items"][0]["task_id"] == task_id(3)


def test_task_answered_with_another_context_counts_for_a_single_requested_context(api, clock):
    # As in AWS's sample: context 1 requested, the task reports the new CustomerProject context 2. The engagement is
    # read (once) to learn that context 2 is not a lead of its own that the task converted.
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="2")])
    api.expect_get_engagement(ENG, [engagement_context("1"), engagement_context("2", "CustomerProject")])
    summary = make_engine(api, clock).run([request(context="1")])
    assert statuses(summary) == ["already_done"]
    assert api.params(START) == []
    api.stubber.assert_no_pending_responses()


def test_a_new_context_only_an_older_lead_can_hold_is_that_leads(api, clock):
    # Task 7 answered context 2: of the leads 1 and 3, only lead 1 is older than it (lead 3 came later).
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="2")])
    api.expect_get_engagement(
        ENG, [engagement_context("1"), engagement_context("2", "CustomerProject"), engagement_context("3")]
    )
    api.expect_start(make_task(9, ENG, context_id="5"), ENG, "3", token=token(context="3"))
    summary = make_engine(api, clock, write_rate=100).run([request(context="1"), request(context="3")])
    assert statuses(summary) == ["already_done", "created"]
    assert summary["items"][0]["task_id"] == task_id(7)
    assert len(api.params(LIST)) == 1
    api.stubber.assert_no_pending_responses()


def test_two_contexts_with_exact_matches(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3")])
    api.expect_start(make_task(8, ENG, context_id="1"), ENG, "1")
    summary = make_engine(api, clock).run([request(context="1"), request(context="3")])
    assert statuses(summary) == ["created", "already_done"]
    assert summary["items"][1]["task_id"] == task_id(7)
    api.stubber.assert_no_pending_responses()


def test_earlier_failed_task_starts_a_new_attempt_with_a_new_token(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, status="FAILED", reason_code="InternalError")])
    api.expect_start(make_task(8, ENG), ENG, "1", token=token(attempt=1))
    summary = make_engine(api, clock).run([request()])
    item = summary["items"][0]
    assert item["status"] == "created" and item["task_id"] == task_id(8)
    assert item["client_token"] == token(attempt=1) != token(attempt=0)
    api.stubber.assert_no_pending_responses()


def test_two_earlier_failures_make_attempt_two(api, clock):
    failures = [make_task(n, ENG, status="FAILED", reason_code="InternalError") for n in (5, 6)]
    api.expect_lookup([ENG], failures)
    api.expect_start(make_task(8, ENG), ENG, "1", token=token(attempt=2))
    assert statuses(make_engine(api, clock).run([request()])) == ["created"]
    api.stubber.assert_no_pending_responses()


def test_earlier_in_progress_task_is_adopted_and_waited_on(api, clock):
    running = make_task(7, ENG, status="IN_PROGRESS")
    api.expect_lookup([ENG], [running])
    expect_poll(api, [running])
    expect_poll(api, [make_task(7, ENG)])
    summary = make_engine(api, clock).run([request()])
    item = summary["items"][0]
    assert item["status"] == "adopted" and item["changed"] is False
    assert item["opportunity_id"] == "O1007"
    assert item["client_token"] is None
    assert api.params(START) == []
    api.stubber.assert_no_pending_responses()


def test_earlier_in_progress_task_without_wait_is_reported_in_progress(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, status="IN_PROGRESS")])
    summary = make_engine(api, clock, wait=False).run([request()])
    assert statuses(summary) == ["in_progress"] and summary["changed"] is False
    assert len(api.calls) == 1
    api.stubber.assert_no_pending_responses()


# ---- conflicts ----------------------------------------------------------------------------------------------------


def test_conflict_on_start_adopts_the_task_that_holds_the_context(api, clock):
    running = make_task(9, ENG, status="IN_PROGRESS")
    api.expect_lookup([ENG], [])
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "context is being converted")
    api.expect_lookup([ENG], [running])
    expect_poll(api, [make_task(9, ENG)])
    summary = make_engine(api, clock).run([request()])
    assert statuses(summary) == ["adopted"]
    assert summary["items"][0]["task_id"] == task_id(9)
    assert len(api.params(START)) == 1
    api.stubber.assert_no_pending_responses()


def test_conflict_on_start_with_a_complete_holder_is_already_done(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException")
    api.expect_lookup([ENG], [make_task(9, ENG)])
    summary = make_engine(api, clock).run([request()])
    assert statuses(summary) == ["already_done"]
    api.stubber.assert_no_pending_responses()


def test_conflict_with_nothing_to_adopt_fails_and_says_what_conflicted(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "Conflicting client token")
    api.expect_lookup([ENG], [make_task(9, ENG, status="FAILED")])
    item = make_engine(api, clock).run([request()])["items"][0]
    assert item["status"] == "failed"
    assert "ConflictException: Conflicting client token" in item["message"]
    assert f"engagement {ENG} context 1" in item["message"]
    assert "no COMPLETE or IN_PROGRESS task" in item["message"]
    api.stubber.assert_no_pending_responses()


# ---- errors -------------------------------------------------------------------------------------------------------


def test_a_throttled_start_is_requeued_at_the_next_slot_not_retried_with_backoff(api, clock, retry_sleeps):
    api.expect_lookup([ENG], [])
    api.expect_error("start_opportunity_from_engagement_task", "ThrottlingException", "Rate exceeded")
    api.expect_start(make_task(1, ENG), ENG, "1", token=token())
    summary = make_engine(api, clock, write_rate=1.0).run([request()])
    assert statuses(summary) == ["created"]
    assert retry_sleeps == []  # no blind backoff: the engine owns throttled starts
    first, second = api.times(START)
    # The next slot: one interval after the throttle, slowed down by the pacer's first step (10 %, jitter at its mean).
    assert second - first == pytest.approx(1.1)
    # Both attempts carried the same token; each request counts as a write.
    assert [params["ClientToken"] for params in api.params(START)] == [token(), token()]
    assert summary["api_calls"]["writes"] == 2
    api.stubber.assert_no_pending_responses()


def test_a_throttled_start_goes_before_the_rest_of_the_queue(api, clock):
    first, second = engagement(1), engagement(2)
    api.expect_lookup([first, second], [])
    api.expect_error("start_opportunity_from_engagement_task", "ThrottlingException", "Rate exceeded")
    api.expect_start(make_task(1, first), first)
    api.expect_start(make_task(2, second), second)
    summary = make_engine(api, clock, write_rate=1.0).run([request(first), request(second)])
    assert statuses(summary) == ["created", "created"]
    assert [params["Identifier"] for params in api.params(START)] == [first, first, second]


def test_a_5xx_on_start_is_requeued_after_a_growing_backoff(api, clock, retry_sleeps):
    api.expect_lookup([ENG], [])
    for _repeat in range(3):
        api.expect_error("start_opportunity_from_engagement_task", "InternalServerException", "oops", 500)
    api.expect_start(make_task(1, ENG), ENG, "1", token=token())
    summary = make_engine(api, clock, write_rate=10.0).run([request()])
    assert statuses(summary) == ["created"]
    assert retry_sleeps == []
    starts = api.times(START)
    assert [later - earlier for earlier, later in zip(starts, starts[1:])] == pytest.approx([1.0, 2.0, 4.0])
    assert {params["ClientToken"] for params in api.params(START)} == {token()}


def test_throttles_beyond_start_attempts_do_not_fail_the_item_before_its_deadline(api, clock):
    # Issue 18: two runs of one account; one item met the other run's starts more than START_ATTEMPTS times.
    first, second = engagement(1), engagement(2)
    api.expect_lookup([first, second], [])
    throttles = 3 * START_ATTEMPTS
    for _repeat in range(throttles):
        api.expect_error("start_opportunity_from_engagement_task", "ThrottlingException", "Rate exceeded")
    api.expect_start(make_task(1, first), first)
    api.expect_start(make_task(2, second), second)
    summary = make_engine(api, clock, write_rate=1.0, wait_timeout=600).run([request(first), request(second)])
    assert statuses(summary) == ["created", "created"]
    params = api.params(START)
    assert len(params) == throttles + 2
    # Every request of the item carried its one token: a throttled request that did arrive would be replayed.
    assert {p["ClientToken"] for p in params[: throttles + 1]} == {token(first)}
    starts = api.times(START)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    # Never faster than the write rate; at worst 1 + MAX_SLOWDOWN intervals (the jitter is fixed at its mean here).
    assert min(gaps) >= 1.0 - 1e-9
    assert max(gaps) == pytest.approx(1.0 + WritePacer.MAX_SLOWDOWN)
    assert summary["api_calls"]["writes"] == throttles + 2
    api.stubber.assert_no_pending_responses()


def test_an_item_throttled_until_its_wait_timeout_fails_saying_so_and_the_batch_goes_on(api, clock):
    first, second = engagement(1), engagement(2)
    api.expect_lookup([first, second], [])
    # At 1 write/s with the jitter at its mean, the slowdown after each throttle is 0.1, 0.3, 0.7, 1.5, 3.1, then 4
    # (MAX_SLOWDOWN): requests at +0, 1.1, 2.4, 4.1, 6.6, 10.7, then every 5 s up to +55.7; the next slot, +60.7, is
    # past the item's wait_timeout of 60 s: 15 requests, all throttled.
    for _repeat in range(15):
        api.expect_error("start_opportunity_from_engagement_task", "ThrottlingException", "Rate exceeded")
    api.expect_start(make_task(2, second), second)
    summary = make_engine(api, clock, write_rate=1.0, wait_timeout=60).run([request(first), request(second)])
    assert statuses(summary) == ["failed", "created"]
    item = summary["items"][0]
    assert item["error_code"] == "ThrottlingException"
    assert "Rate exceeded" in item["message"]
    assert "throttled 15 times in 56 s, until the item's wait_timeout=60s" in item["message"]
    assert "other clients share the account's write quota" in item["message"]
    starts = api.times(START)
    assert starts[14] - starts[0] == pytest.approx(55.7)
    api.stubber.assert_no_pending_responses()


def test_server_errors_keep_their_bounded_retries_whatever_the_throttles(api, clock):
    first, second = engagement(1), engagement(2)
    api.expect_lookup([first, second], [])
    for repeat in range(START_ATTEMPTS):
        api.expect_error("start_opportunity_from_engagement_task", "InternalServerException", "oops", 500)
        if repeat < 4:
            api.expect_error("start_opportunity_from_engagement_task", "ThrottlingException", "Rate exceeded")
    api.expect_start(make_task(2, second), second)
    summary = make_engine(api, clock, write_rate=1.0).run([request(first), request(second)])
    # The item that kept failing fails with the count of its failed requests, the throttles not counted.
    assert statuses(summary) == ["failed", "created"]
    item = summary["items"][0]
    assert item["error_code"] == "InternalServerException"
    assert f"after {START_ATTEMPTS} failed Start requests" in item["message"]
    params = api.params(START)
    assert len(params) == START_ATTEMPTS + 4 + 1
    assert {p["ClientToken"] for p in params[:-1]} == {token(first)}
    api.stubber.assert_no_pending_responses()


def test_access_denied_on_start_stops_the_batch(api, clock):
    engagements = [engagement(n) for n in (1, 2, 3)]
    api.expect_lookup(engagements, [])
    api.expect_error("start_opportunity_from_engagement_task", "AccessDeniedException", "not authorized", 403)
    summary = make_engine(api, clock).run([request(e) for e in engagements])
    assert statuses(summary) == ["not_started"] * 3
    assert "partnercentral:StartOpportunityFromEngagementTask" in summary["stopped"]
    assert "partnercentral:StartOpportunityFromEngagementTask" in summary["items"][0]["message"]
    assert all("the batch stopped" in item["message"] for item in summary["items"][1:])
    assert len(api.params(START)) == 1
    assert summary["counts"]["not_started"] == 3 and summary["counts"]["errors"] == 3
    api.stubber.assert_no_pending_responses()


def test_access_denied_on_lookup_stops_before_any_start(api, clock):
    api.expect_error("list_opportunity_from_engagement_tasks", "AccessDeniedException", "not authorized", 403)
    summary = make_engine(api, clock).run([request(engagement(1)), request(engagement(2))])
    assert statuses(summary) == ["not_started", "not_started"]
    assert "partnercentral:ListOpportunityFromEngagementTasks" in summary["stopped"]
    assert api.params(START) == []
    api.stubber.assert_no_pending_responses()


def test_quota_exceeded_mid_batch_keeps_earlier_items(api, clock):
    engagements = [engagement(n) for n in (1, 2, 3)]
    api.expect_lookup(engagements, [])
    api.expect_start(make_task(1, engagements[0]), engagements[0])
    api.expect_error("start_opportunity_from_engagement_task", "ServiceQuotaExceededException", "quota", 402)
    summary = make_engine(api, clock).run([request(e) for e in engagements])
    assert statuses(summary) == ["created", "not_started", "not_started"]
    assert summary["items"][0]["opportunity_id"] == "O1001"
    assert "ServiceQuotaExceededException" in summary["stopped"]
    assert summary["changed"] is True
    api.stubber.assert_no_pending_responses()


def test_resource_not_found_fails_that_item_only(api, clock):
    engagements = [engagement(n) for n in (1, 2)]
    api.expect_lookup(engagements, [])
    api.expect_error("start_opportunity_from_engagement_task", "ResourceNotFoundException", "no such engagement", 404)
    api.expect_start(make_task(2, engagements[1]), engagements[1])
    summary = make_engine(api, clock).run([request(e) for e in engagements])
    assert statuses(summary) == ["failed", "created"]
    assert "ResourceNotFoundException: no such engagement" in summary["items"][0]["message"]
    assert summary["stopped"] is None
    api.stubber.assert_no_pending_responses()


def test_failed_lookup_does_not_start_blindly(api, clock):
    api.expect_error("list_opportunity_from_engagement_tasks", "ValidationException", "bad filter")
    summary = make_engine(api, clock).run([request()])
    item = summary["items"][0]
    assert item["status"] == "failed" and "not started to avoid a duplicate" in item["message"]
    assert api.params(START) == []
    api.stubber.assert_no_pending_responses()


def test_a_failed_poll_keeps_waiting(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG, status="IN_PROGRESS"), ENG)
    api.expect_error("list_opportunity_from_engagement_tasks", "ResourceNotFoundException", "flaky")
    expect_poll(api, [make_task(1, ENG)])
    summary = make_engine(api, clock).run([request()])
    assert statuses(summary) == ["created"]
    api.stubber.assert_no_pending_responses()


def test_a_fatal_poll_error_fails_the_waited_items(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG, status="IN_PROGRESS"), ENG)
    api.expect_error("list_opportunity_from_engagement_tasks", "AccessDeniedException", "denied", 403)
    summary = make_engine(api, clock).run([request()])
    item = summary["items"][0]
    assert item["status"] == "failed" and f"could not follow task {task_id(1)}" in item["message"]
    assert summary["stopped"]
    api.stubber.assert_no_pending_responses()


# ---- options ------------------------------------------------------------------------------------------------------


def test_check_mode_never_starts(api, clock):
    engagements = [engagement(n) for n in (1, 2, 3)]
    api.expect_lookup(engagements, [make_task(1, engagements[0]), make_task(3, engagements[2], status="IN_PROGRESS")])
    summary = make_engine(api, clock, check_mode=True).run([request(e) for e in engagements])
    assert statuses(summary) == ["already_done", "would_create", "in_progress"]
    assert summary["changed"] is True
    assert summary["items"][1]["message"] == "Would have started a task if not in check mode"
    assert summary["items"][1]["client_token"] == token(engagements[1])
    assert api.params(START) == [] and summary["api_calls"]["writes"] == 0
    api.stubber.assert_no_pending_responses()


def test_check_mode_on_a_converted_context_is_unchanged(api, clock):
    api.expect_lookup([ENG], [make_task(1, ENG)])
    summary = make_engine(api, clock, check_mode=True).run([request()])
    assert statuses(summary) == ["already_done"] and summary["changed"] is False


def test_no_wait_returns_started(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG, status="IN_PROGRESS"), ENG)
    summary = make_engine(api, clock, wait=False).run([request()])
    item = summary["items"][0]
    assert item["status"] == "started" and item["changed"] is True
    assert item["task"]["task_status"] == "IN_PROGRESS"
    assert [call["operation"] for call in api.calls] == [LIST, START]
    assert clock.sleeps == []
    api.stubber.assert_no_pending_responses()


def test_wait_timeout_reports_timed_out_with_the_task_id(api, clock):
    running = make_task(1, ENG, status="IN_PROGRESS")
    api.expect_lookup([ENG], [])
    api.expect_start(running, ENG)
    # Polls at 10 s and 20 s; the engine wakes at the 25 s deadline itself instead of at the next poll.
    for _repeat in range(2):
        expect_poll(api, [running])
    engine = make_engine(api, clock, wait_timeout=25, min_poll_interval=10, max_poll_interval=10)
    summary = engine.run([request()])
    item = summary["items"][0]
    assert item["status"] == "timed_out"
    assert task_id(1) in item["message"] and "wait_timeout=25s" in item["message"]
    assert "re-run to adopt" in item["hint"]
    assert 25 <= clock.elapsed <= 25.5
    assert summary["counts"]["errors"] == 1
    api.stubber.assert_no_pending_responses()


def test_duplicates_are_processed_once(api, clock):
    arn = f"arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/{ENG}"
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG), ENG)
    summary = make_engine(api, clock).run([request(), request(context=1), request(arn)])
    assert statuses(summary) == ["created", "duplicate", "duplicate"]
    assert [item.get("duplicate_of") for item in summary["items"]] == [None, 0, 0]
    assert summary["counts"]["duplicate"] == 2 and summary["counts"]["errors"] == 0
    assert len(api.params(START)) == 1
    api.stubber.assert_no_pending_responses()


def test_invalid_items_never_reach_the_api(api, clock):
    good = engagement(2)
    api.expect_lookup([good], [])
    api.expect_start(make_task(2, good), good)
    requests = [
        request("eng-NOT-VALID"),
        request(good),
        request(engagement(3), context="0"),
        request(engagement(4), tags={"bad#key": "v"}),
        None,
    ]
    summary = make_engine(api, clock).run(requests)
    assert statuses(summary) == ["invalid", "created", "invalid", "invalid", "invalid"]
    assert "identifier" in summary["items"][0]["message"]
    assert "context_identifier" in summary["items"][2]["message"]
    assert "tag key" in summary["items"][3]["message"]
    assert summary["items"][0]["hint"].startswith("Fix the item")
    assert summary["counts"]["invalid"] == 4 and summary["counts"]["total"] == 5
    assert [params["Identifier"] for params in api.params(START)] == [good]
    api.stubber.assert_no_pending_responses()


# ---- pacing and grouping -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [1.0, 2.5])
def test_writes_are_paced_at_the_write_rate(api, clock, rate):
    engagements = [engagement(n) for n in range(1, 7)]
    api.expect_lookup(engagements, [])
    for n, engagement_id in enumerate(engagements, start=1):
        api.expect_start(make_task(n, engagement_id), engagement_id)
    summary = make_engine(api, clock, write_rate=rate).run([request(e) for e in engagements])
    assert statuses(summary) == ["created"] * 6
    starts = api.times(START)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert all(gap >= 1.0 / rate - 1e-9 for gap in gaps)
    assert starts[-1] - starts[0] >= (len(starts) - 1) / rate - 1e-9
    # Paced, not slowed down further.
    assert starts[-1] - starts[0] == pytest.approx((len(starts) - 1) / rate)
    api.stubber.assert_no_pending_responses()


def test_reads_are_paced_at_the_read_rate(api, clock):
    engagements = [engagement(n) for n in range(1, 31)]
    for n in range(3):
        group = engagements[10 * n : 10 * (n + 1)]
        api.expect_lookup(group, [make_task(10 * n + i, e) for i, e in enumerate(group, start=1)])
    summary = make_engine(api, clock, read_rate=2.0).run([request(e) for e in engagements])
    assert statuses(summary) == ["already_done"] * 30
    reads = api.times(LIST)
    assert [later - earlier for earlier, later in zip(reads, reads[1:])] == pytest.approx([0.5, 0.5])


def test_lookups_group_ten_engagements_per_list_call(api, clock):
    engagements = [engagement(n) for n in range(1, 26)]
    for n in range(3):
        group = engagements[10 * n : 10 * (n + 1)]
        api.expect_lookup(group, [make_task(100 + int(e[-3:]), e) for e in group])
    summary = make_engine(api, clock).run([request(e) for e in engagements])
    assert statuses(summary) == ["already_done"] * 25
    assert [len(params["EngagementIdentifier"]) for params in api.params(LIST)] == [10, 10, 5]
    assert summary["api_calls"] == {"reads": 3, "writes": 0}
    api.stubber.assert_no_pending_responses()


def test_contexts_of_one_engagement_share_a_lookup(api, clock):
    engagements = [engagement(n) for n in range(1, 12)]
    requests = [request(e, context) for e in engagements for context in ("1", "2")]
    api.expect_lookup(engagements[:10], [])
    # 10 engagements (20 contexts) in the first call, the 11th in the second; nothing to start in check mode.
    api.expect_lookup(engagements[10:], [])
    summary = make_engine(api, clock, check_mode=True).run(requests)
    assert statuses(summary) == ["would_create"] * 22
    assert len(api.params(LIST)) == 2
    api.stubber.assert_no_pending_responses()


def test_few_waiting_tasks_are_polled_by_task_id(api, clock):
    engagements = [engagement(n) for n in (1, 2, 3)]
    api.expect_lookup(engagements, [])
    for n, engagement_id in enumerate(engagements, start=1):
        api.expect_start(make_task(n, engagement_id, status="IN_PROGRESS"), engagement_id)
    api.expect_list(
        [make_task(n, e) for n, e in enumerate(engagements, start=1)], TaskIdentifier=[task_id(n) for n in (1, 2, 3)]
    )
    summary = make_engine(api, clock, write_rate=100).run([request(e) for e in engagements])
    assert statuses(summary) == ["created"] * 3
    assert len(api.params(LIST)) == 2
    api.stubber.assert_no_pending_responses()


def test_many_waiting_tasks_are_polled_with_one_finished_scan(api, clock):
    engagements = [engagement(n) for n in range(1, 12)]
    starts = [T0 + datetime.timedelta(seconds=n) for n in range(1, 12)]
    api.expect_lookup(engagements[:10], [])
    # Queued starts do not wait for the read slot: the second lookup comes when the read quota allows it.
    for n in range(1, 12):
        if n == 11:
            api.expect_lookup(engagements[10:], [])
        engagement_id = engagements[n - 1]
        api.expect_start(make_task(n, engagement_id, status="IN_PROGRESS", start=starts[n - 1]), engagement_id)
    finished = [make_task(n, engagements[n - 1], start=starts[n - 1]) for n in range(11, 0, -1)]
    someone_elses = make_task(99, engagement(99), start=T0 - datetime.timedelta(minutes=5))
    # A next page exists, but the page ends before the oldest waited task: it is not asked for.
    api.expect_list(finished + [someone_elses], next_token="older", **SCAN)
    summary = make_engine(api, clock, write_rate=1000).run([request(e) for e in engagements])
    assert statuses(summary) == ["created"] * 11
    assert [item["opportunity_id"] for item in summary["items"]] == [f"O{1000 + n}" for n in range(1, 12)]
    assert len(api.params(LIST)) == 3
    api.stubber.assert_no_pending_responses()


def test_progress_is_reported(api, clock):
    reports = []
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG), ENG)
    make_engine(api, clock, progress=reports.append).run([request(), request("bad")])
    assert reports[0]["total"] == 2 and reports[0]["pending"] == 1 and reports[0]["failed"] == 1
    assert reports[-1]["done"] == 1 and reports[-1]["pending"] == 0
    assert reports[-1]["api_calls"] == {"reads": 1, "writes": 1}


def test_conflict_of_one_of_two_contexts_does_not_adopt_the_other_contexts_task(api, clock):
    # Context 1 converts and the service answers the new context 2 (as in AWS's sample); context 3 then conflicts.
    # Context 1's task must not be taken for context 3's: with two contexts requested only exact matches count.
    converted = make_task(1, ENG, context_id="2")
    api.expect_lookup([ENG], [])
    api.expect_start(converted, ENG, "1")
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "engagement is locked")
    api.expect_lookup([ENG], [converted])
    summary = make_engine(api, clock).run([request(context="1"), request(context="3")])
    assert statuses(summary) == ["created", "failed"]
    assert summary["items"][1]["task_id"] is None
    assert "no COMPLETE or IN_PROGRESS task" in summary["items"][1]["message"]
    api.stubber.assert_no_pending_responses()


def test_conflict_of_a_single_context_adopts_a_task_answered_with_another_context(api, clock):
    # A duplicate of the item does not make it "two contexts": the single-context attribution still applies.
    api.expect_lookup([ENG], [])
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "held")
    api.expect_lookup([ENG], [make_task(9, ENG, context_id="2")])
    api.expect_get_engagement(ENG, [engagement_context("1"), engagement_context("2", "CustomerProject")])
    summary = make_engine(api, clock).run([request(context="1"), request(context="1")])
    assert statuses(summary) == ["already_done", "duplicate"]
    assert summary["items"][0]["task_id"] == task_id(9)
    api.stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    "item, problem",
    [
        ("eng-abcdefghij0123", "an item must be a dictionary with identifier and context_identifier (got str)"),
        (["eng-abcdefghij0123", "1"], "an item must be a dictionary with identifier and context_identifier (got list)"),
        (
            dict(request(), contxt="1"),
            "unknown keys contxt (known: identifier, context_identifier, tags, client_token, origin, lead_contexts)",
        ),
    ],
)
def test_items_of_the_wrong_shape_are_invalid(api, clock, item, problem):
    summary = make_engine(api, clock).run([item])
    assert statuses(summary) == ["invalid"]
    assert problem in summary["items"][0]["message"]
    assert api.calls == []


def test_detected_at_is_set_when_this_run_sees_the_task_finish(api, clock):
    api.expect_lookup([engagement(1), engagement(2)], [make_task(7, engagement(2))])
    api.expect_start(make_task(1, engagement(1)), engagement(1))
    items = make_engine(api, clock).run([request(engagement(1)), request(engagement(2))])["items"]
    detected = datetime.datetime.fromisoformat(items[0]["detected_at"])
    assert detected.tzinfo is not None
    assert abs((datetime.datetime.now(datetime.timezone.utc) - detected).total_seconds()) < 60
    # Found finished by the lookup: this run did not see it finish.
    assert items[1]["detected_at"] is None


def test_no_poll_while_starts_are_queued_then_the_detection_cadence(api, clock):
    # Issue 12: the batch cannot end before its last start, so polls wait for it (the old rule polled at 1 s).
    first, second = engagement(1), engagement(2)
    api.expect_lookup([first, second], [])
    api.expect_start(make_task(1, first, status="IN_PROGRESS"), first)
    api.expect_start(make_task(2, second, status="IN_PROGRESS"), second)
    api.expect_list(
        [make_task(1, first), make_task(2, second, status="IN_PROGRESS")], TaskIdentifier=[task_id(1), task_id(2)]
    )
    api.expect_list([make_task(2, second)], TaskIdentifier=[task_id(2)])
    summary = make_engine(api, clock, write_rate=0.2, min_poll_interval=1.0).run([request(first), request(second)])
    assert statuses(summary) == ["created", "created"]
    start_times = api.times(START)
    polls = api.times(LIST)[1:]
    assert start_times[1] - start_times[0] == pytest.approx(5.0)
    # The first poll right after the last start (the first task may be done by then), the next 1 s later.
    assert [poll - start_times[1] for poll in polls] == pytest.approx([0.0, 1.0])
    api.stubber.assert_no_pending_responses()


def test_a_poll_before_the_oldest_deadline_while_starts_are_queued(api, clock):
    first, second, third = engagement(1), engagement(2), engagement(3)
    api.expect_lookup([first, second, third], [])
    api.expect_start(make_task(1, first, status="IN_PROGRESS"), first)
    api.expect_start(make_task(2, second), second)
    # wait_timeout 20 s at 0.1 starts/s: the first task's deadline (20 s) comes with the last start (20 s).
    api.expect_list([make_task(1, first)], TaskIdentifier=[task_id(1)])
    api.expect_start(make_task(3, third), third)
    engine = make_engine(api, clock, write_rate=0.1, wait_timeout=20)
    summary = engine.run([request(first), request(second), request(third)])
    assert statuses(summary) == ["created"] * 3
    assert api.times(LIST)[1] - api.times(START)[0] == pytest.approx(20 - DEADLINE_MARGIN)
    api.stubber.assert_no_pending_responses()


def test_open_tasks_are_bounded_by_a_poll_while_starts_are_queued(api, clock):
    engine = make_engine(api, clock, wait_timeout=600, max_poll_interval=15.0)
    engine._starts_queued = True
    waiting = {}

    def follow(n):
        item = Item(n, request(engagement(n)), "Sandbox")
        item.task = make_task(n, engagement(n), status="IN_PROGRESS")
        engine._follow(item, waiting)

    for n in range(1, MAX_OPEN_TASKS):
        follow(n)
        clock.sleep(1.0)
    # Below the bound, the only poll due is the one before the oldest deadline.
    assert engine._next_poll == pytest.approx(clock.start + 600 - DEADLINE_MARGIN)
    follow(MAX_OPEN_TASKS)
    assert engine._next_poll == clock.now  # the bound is reached: poll now
    engine._last_poll = clock.now  # a poll that found every task still running ...
    engine._schedule_poll(waiting)
    assert engine._next_poll == pytest.approx(clock.now + 15.0)  # ... is repeated after the max interval only
    # Once the last start is sent: the detection cadence, from now on.
    engine._note_starts_queued(False, waiting)
    assert engine._next_poll == clock.now


def test_reads_are_paced_from_the_previous_send_without_catching_up(api, clock):
    # Issue 12: a late read no longer shortens the next gap (two reads closer than the interval meet a one-token
    # bucket); the old cadence rule caught up on late calls.
    engine = make_engine(api, clock, read_rate=1.0)
    engine._pace_read()
    clock.sleep(1.4)  # the next read is 0.4 s late
    engine._pace_read()
    engine._pace_read()  # a full interval after the late one, at +2.4 s
    assert clock.elapsed == pytest.approx(2.4)
    assert engine.calls["reads"] == 3


def test_the_gap_after_a_start_covers_its_round_trip_up_to_the_margin(api, clock):
    engagements = [engagement(n) for n in range(1, 5)]
    api.expect_lookup(engagements, [])
    for n, engagement_id in enumerate(engagements, start=1):
        api.expect_start(make_task(n, engagement_id), engagement_id)
    round_trips = iter([0.0, 0.01, 0.2, 0.03, 0.0])  # the lookup, then the four starts

    def answer_after_the_round_trip(**_kwargs):
        clock.now += next(round_trips)

    api.client.meta.events.register("after-call", answer_after_the_round_trip)
    make_engine(api, clock, write_rate=1.0).run([request(e) for e in engagements])
    starts = api.times(START)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    # After the first start, 1 s from its answer; then 1 s + what the round trip took beyond the fastest one (0.01 s),
    # at most 5 % of the interval however slow.
    assert gaps == pytest.approx([1.01, 1.05, 1.02])
    api.stubber.assert_no_pending_responses()


def test_the_first_start_is_followed_by_a_full_gap_from_its_answer():
    # Issue 12, 20 accounts at once: the first Start of each account opened its connection on a busy controller and
    # was counted late; the second, sent 1 s after the first was sent, met the one-token bucket (10 of 20 accounts).
    pacer = WritePacer(1.0)
    pacer.answered(10.0, 10.3)
    assert pacer.next_at == pytest.approx(11.3)
    pacer.answered(11.3, 11.31)  # later starts count from their send again, with the margin
    assert pacer.next_at == pytest.approx(12.3)
    pacer.answered(12.3, 12.4)
    assert pacer.next_at == pytest.approx(12.3 + 1.0 + 0.05)


def test_after_the_last_start_polls_keep_to_a_grid_from_the_youngest_task(api, clock):
    # Issue 12: polls every second from the last poll fell anywhere in the youngest task's second; with 20 accounts
    # most saw their last task finish almost a second late. The grid now starts at the youngest task's start.
    engine = make_engine(api, clock)
    older = types.SimpleNamespace(watch_since=clock.now - 7.3, deadline=clock.now + 600)
    youngest = types.SimpleNamespace(watch_since=clock.now - 0.4, deadline=clock.now + 600)
    waiting = {"task-older": older, "task-youngest": youngest}
    due = engine._poll_due(waiting, clock.now, list(waiting.values()))
    assert due - youngest.watch_since == pytest.approx(1.0)
    due = engine._poll_due(waiting, youngest.watch_since + 4.0, list(waiting.values()))  # a poll right on the grid
    assert due - youngest.watch_since == pytest.approx(5.0)
    due = engine._poll_due(waiting, youngest.watch_since + 4.05, list(waiting.values()))  # a poll that ran late
    assert due - youngest.watch_since == pytest.approx(5.0)
    # Past 10 s the cadence is 10% of the wait, from the poll.
    due = engine._poll_due(waiting, youngest.watch_since + 12.0, list(waiting.values()))
    assert due - youngest.watch_since == pytest.approx(12.0 + 1.2)


def test_the_pacer_slows_down_on_throttles_and_recovers_to_the_rate_never_beyond():
    pacer = WritePacer(10.0, random=lambda: 0.5)
    pacer.answered(0.0, 0.0)
    assert pacer.gap() == pytest.approx(0.1)
    gaps = []
    for _throttle in range(7):
        pacer.answered(1.0, 1.0, throttled=True)
        gaps.append(pacer.gap())
    # Multiplicative: 10 %, 30 %, 70 %, 150 %, 310 %, then capped at 1 + MAX_SLOWDOWN intervals.
    assert gaps == pytest.approx([0.11, 0.13, 0.17, 0.25, 0.41, 0.5, 0.5])
    assert WritePacer.MAX_SLOWDOWN >= 2.0  # three clients of one account can each slow down to a third of the rate
    assert pacer.next_at == pytest.approx(1.5) and pacer.throttles == 7


def test_the_pacer_recovers_once_the_throttles_stop():
    pacer = WritePacer(1.0, random=lambda: 0.5)
    pacer.answered(0.0, 0.0)
    for _throttle in range(6):
        pacer.answered(1.0, 1.0, throttled=True)
    assert pacer.gap() == pytest.approx(1.0 + WritePacer.MAX_SLOWDOWN)
    recovered = []
    for _accepted in range(20):
        pacer.answered(2.0, 2.0)
        recovered.append(pacer.gap())
    # Halved while deep (another client ended: take the quota back at once), then fine steps back to the rate.
    assert recovered[:4] == pytest.approx([3.0, 2.0, 1.5, 1.25])
    assert all(later <= earlier for earlier, later in zip(recovered, recovered[1:]))
    assert recovered.index(1.0) == 14 and min(recovered) == pytest.approx(1.0) and recovered[-1] == pytest.approx(1.0)


@pytest.mark.parametrize("slowdown", [0.1, 1.5, WritePacer.MAX_SLOWDOWN])
def test_the_pacers_jitter_is_bounded(slowdown):
    draws = iter([0.0, 0.999999] + [n / 997 for n in range(997)])
    pacer = WritePacer(1.0, random=lambda: next(draws))
    pacer.slowdown = slowdown
    gaps = [pacer.jittered_gap() for _draw in range(999)]
    low = 1.0 + slowdown * (1 - WritePacer.JITTER)
    high = 1.0 + slowdown * (1 + WritePacer.JITTER)
    assert min(gaps) == pytest.approx(low) and max(gaps) == pytest.approx(high, abs=1e-5)
    assert all(1.0 <= low - 1e-9 <= gap <= high + 1e-9 for gap in gaps)
    # The draws spread the gaps over their range (clients throttled together do not retry together), around the mean.
    assert sum(gaps) / len(gaps) == pytest.approx(pacer.gap(), rel=0.01)


def test_the_pacer_does_not_jitter_at_the_configured_rate():
    pacer = WritePacer(2.0, random=lambda: 0.999)
    assert pacer.jittered_gap() == pytest.approx(0.5)
    pacer.answered(0.0, 0.0)
    pacer.answered(0.5, 0.5)
    assert pacer.next_at == pytest.approx(1.0)


def test_no_repeated_progress_after_a_stop(api, clock):
    first, second = engagement(1), engagement(2)
    reports = []
    running = make_task(1, first, status="IN_PROGRESS")
    api.expect_lookup([first, second], [])
    api.expect_start(running, first)
    api.expect_error("start_opportunity_from_engagement_task", "AccessDeniedException", "denied", 403)
    for _repeat in range(3):
        api.expect_list([running], TaskIdentifier=[task_id(1)])
    api.expect_list([make_task(1, first)], TaskIdentifier=[task_id(1)])
    engine = make_engine(api, clock, write_rate=10.0, progress=reports.append)
    summary = engine.run([request(first), request(second)])
    # The first task is still followed to its end after the stop.
    assert statuses(summary) == ["created", "not_started"]
    assert all(earlier != later for earlier, later in zip(reports, reports[1:]))
    api.stubber.assert_no_pending_responses()


def test_lookups_fit_between_starts_without_slowing_the_write_cadence(api, clock):
    engagements = [engagement(n) for n in range(1, 16)]
    api.expect_lookup(engagements[:10], [])
    api.expect_start(make_task(1, engagements[0]), engagements[0])
    api.expect_start(make_task(2, engagements[1]), engagements[1])
    # The second lookup waits for its read slot (+2 s at 0.5 reads/s) while starts go on at 1/s.
    api.expect_lookup(engagements[10:], [])
    for n in range(3, 16):
        api.expect_start(make_task(n, engagements[n - 1]), engagements[n - 1])
    summary = make_engine(api, clock, write_rate=1.0, read_rate=0.5).run([request(e) for e in engagements])
    assert statuses(summary) == ["created"] * 15
    assert [time - clock.start for time in api.times(START)] == pytest.approx([float(n) for n in range(15)])
    assert [time - clock.start for time in api.times(LIST)] == pytest.approx([0.0, 2.0])
    api.stubber.assert_no_pending_responses()


def test_items_that_an_api_error_stopped_carry_its_code_and_request_id(api, clock):
    engagements = [engagement(n) for n in (1, 2, 3)]
    api.expect_lookup(engagements[:2], [])
    api.expect_start(make_task(1, engagements[0]), engagements[0])
    api.expect_error(
        "start_opportunity_from_engagement_task", "AccessDeniedException", "denied", 403, request_id="req-denied"
    )
    summary = make_engine(api, clock).run([request(e) for e in engagements[:2]] + [request("bad")])
    created, denied, invalid = summary["items"]
    assert (created["error"], created["error_code"], created["request_id"]) == (False, None, None)
    assert (denied["status"], denied["error"]) == ("not_started", True)
    assert (denied["error_code"], denied["request_id"]) == ("AccessDeniedException", "req-denied")
    # A refusal before any call is an error of the item, not of the API.
    assert (invalid["status"], invalid["error"], invalid["error_code"]) == ("invalid", True, None)
    api.stubber.assert_no_pending_responses()


def test_a_failed_task_is_an_error_without_an_api_error_code(api, clock):
    api.expect_lookup([ENG], [])
    api.expect_start(make_task(1, ENG, status="FAILED", reason_code="ContextNotFound", message="no"), ENG)
    item = make_engine(api, clock).run([request()])["items"][0]
    assert (item["status"], item["error"], item["error_code"], item["reason_code"]) == (
        "failed",
        True,
        None,
        "ContextNotFound",
    )


def test_a_client_token_ending_in_a_line_break_is_refused_before_any_call(api, clock):
    summary = make_engine(api, clock).run([request(client_token="from-a-block-scalar\n")])
    assert statuses(summary) == ["invalid"]
    assert "client_token must match .{1,255}" in summary["items"][0]["message"]
    assert api.params(START) == [] and api.params(LIST) == []
