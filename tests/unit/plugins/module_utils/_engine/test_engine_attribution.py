# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engine's decisions for engagements with several lead contexts: attribute from the List, else replay."""

from __future__ import annotations

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import derive_client_token
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import LIST
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import START
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement_context
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_task
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import task_id

ENG = engagement(1)
PROJECT = "CustomerProject"
GET = "GetEngagement"
# Leads 1 and 2; lead 1 converted (context 3 created by its conversion).
TWO_LEADS_ONE_CONVERTED = [engagement_context("1"), engagement_context("2"), engagement_context("3", PROJECT)]


def run(api, clock, items, **options):
    engine = ConversionEngine(api.client, "Sandbox", clock=clock, sleep=clock.sleep, write_rate=100, **options)
    return engine.run(items)


def item(context, **extra):
    return dict(identifier=ENG, context_identifier=context, **extra)


def token(context, attempt=0):
    return derive_client_token("Sandbox", ENG, context, attempt)


def statuses(summary):
    return [result["status"] for result in summary["items"]]


def test_the_second_lead_of_a_converted_engagement_is_converted_after_a_replay(api, clock):
    # Run 1 converted lead 1 (answered as the new context 3). Discovery now brings lead 2 and says the engagement
    # holds the leads 1 and 2: the List cannot tell whose task 7 is, so the start replays lead 2's stable token,
    # which the service has never seen: it starts the conversion.
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3")])
    api.expect_start(make_task(8, ENG, context_id="4"), ENG, "2", token=token("2"))
    summary = run(api, clock, [item("2", origin="discovery", lead_contexts=["1", "2"])])
    result = summary["items"][0]
    assert result["status"] == "created" and result["changed"] is True
    assert result["origin"] == "discovery" and result["task_id"] == task_id(8)
    assert "not converted" in result["message"]
    api.stubber.assert_no_pending_responses()


def test_a_replay_answered_with_the_earlier_task_is_already_done_and_unchanged(api, clock):
    earlier = make_task(7, ENG, context_id="3")
    api.expect_lookup([ENG], [earlier])
    api.expect_get_engagement(ENG, TWO_LEADS_ONE_CONVERTED)
    api.expect_start(earlier, ENG, "1", token=token("1"))
    api.expect_start(make_task(8, ENG, context_id="4"), ENG, "2", token=token("2"))
    summary = run(api, clock, [item("1"), item("2")])
    assert statuses(summary) == ["already_done", "created"]
    first = summary["items"][0]
    assert first["changed"] is False and first["task_id"] == task_id(7)
    assert "replayed" in first["message"]
    assert summary["api_calls"]["writes"] == 2
    api.stubber.assert_no_pending_responses()


def test_a_lead_converted_by_another_tool_is_already_done_when_the_service_refuses_the_replay(api, clock):
    # Another tool converted lead 2 with its own token (task 7, new context 3); the replay of our token is refused.
    earlier = make_task(7, ENG, context_id="3")
    api.expect_lookup([ENG], [earlier])
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "already converted")
    api.expect_lookup([ENG], [earlier])
    summary = run(api, clock, [item("2", lead_contexts=["1", "2"])])
    result = summary["items"][0]
    assert result["status"] == "already_done" and result["changed"] is False and result["error"] is False
    assert "already converted" in result["message"] and task_id(7) in result["message"]
    api.stubber.assert_no_pending_responses()


def test_lead_one_converted_by_this_run_then_lead_two_refused_adopts_the_other_task(api, clock):
    # Another tool converted lead 2 (task 7, context 3). This run replays both tokens: lead 1's starts (task 8),
    # lead 2's is refused; with task 8 known as lead 1's, task 7 can only be lead 2's.
    other_tool = make_task(7, ENG, context_id="3")
    ours = make_task(8, ENG, context_id="4")
    api.expect_lookup([ENG], [other_tool])
    api.expect_get_engagement(ENG, TWO_LEADS_ONE_CONVERTED)
    api.expect_start(ours, ENG, "1", token=token("1"))
    api.expect_error("start_opportunity_from_engagement_task", "ConflictException", "already converted")
    api.expect_lookup([ENG], [other_tool, ours])
    summary = run(api, clock, [item("1"), item("2")])
    assert statuses(summary) == ["created", "already_done"]
    assert summary["items"][1]["task_id"] == task_id(7)
    assert len(api.params(GET)) == 1, "the engagement's leads are read once per run"
    api.stubber.assert_no_pending_responses()


def test_both_leads_converted_costs_no_write(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3"), make_task(8, ENG, context_id="4")])
    summary = run(api, clock, [item("1"), item("2", origin="discovery", lead_contexts=["1", "2"])])
    assert statuses(summary) == ["already_done", "already_done"]
    assert api.params(START) == [] and len(api.params(LIST)) == 1
    assert "does not say which is which" in summary["items"][0]["message"]
    assert summary["items"][0]["task_id"] != summary["items"][1]["task_id"]


def test_single_lead_rerun_costs_one_read_per_ten_engagements_one_get_and_no_write(api, clock):
    # The first engagement read shows that a completed task names the context its conversion created: then a task of
    # context 2 on an engagement whose lead 1 is named can only be lead 1's, and no other engagement is read.
    engagements = [engagement(n) for n in range(1, 21)]
    for index, group in enumerate((engagements[:10], engagements[10:])):
        api.expect_lookup(group, [make_task(n, eng, context_id="2") for n, eng in enumerate(group, 1)])
        if index == 0:
            api.expect_get_engagement(engagements[0], [engagement_context("1"), engagement_context("2", PROJECT)])
    summary = run(api, clock, [dict(identifier=eng, context_identifier="1") for eng in engagements])
    assert set(statuses(summary)) == {"already_done"}
    assert summary["api_calls"] == {"reads": 3, "writes": 0}
    assert len(api.params(GET)) == 1
    api.stubber.assert_no_pending_responses()


def test_check_mode_says_it_would_replay(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3")])
    summary = run(api, clock, [item("2", lead_contexts=["1", "2"])], check_mode=True)
    assert statuses(summary) == ["would_create"]
    assert "replayed" in summary["items"][0]["message"] and api.params(START) == []


def test_origin_defaults_to_list(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="2")])
    api.expect_get_engagement(ENG, [engagement_context("1"), engagement_context("2", PROJECT)])
    assert run(api, clock, [item("1")])["items"][0]["origin"] == "list"


@pytest.mark.parametrize(
    "extra, problem",
    [
        (dict(origin="inventory"), "origin must be one of list, discovery (got 'inventory')"),
        (dict(lead_contexts="1,2"), "lead_contexts must be a list of context ids (got str)"),
        (dict(lead_contexts=["1", "0", True]), "lead_contexts must hold context ids such as 1 (got '0', True)"),
    ],
)
def test_bad_origin_or_lead_contexts_make_the_item_invalid_before_any_call(api, clock, extra, problem):
    summary = run(api, clock, [item("1", **extra)])
    assert statuses(summary) == ["invalid"]
    assert problem in summary["items"][0]["message"]
    assert api.calls == []


# ---- a lead named alone: the engagement's other leads are read where the List data leaves room for them ---------


def test_a_lead_named_alone_after_its_sibling_was_converted_is_converted(api, clock):
    # Issue 18: lead 1 was converted (task 7, new context 3); lead 2 is now converted alone. Task 7 could be either
    # lead's: the engagement is read, and lead 2's token is replayed, which starts its conversion.
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3")])
    api.expect_get_engagement(ENG, TWO_LEADS_ONE_CONVERTED)
    api.expect_start(make_task(8, ENG, context_id="4"), ENG, "2", token=token("2"))
    result = run(api, clock, [item("2")])["items"][0]
    assert result["status"] == "created" and result["changed"] is True and result["task_id"] == task_id(8)
    api.stubber.assert_no_pending_responses()


def test_the_converted_lead_named_alone_is_already_done_by_the_replay_of_its_token(api, clock):
    earlier = make_task(7, ENG, context_id="3")
    api.expect_lookup([ENG], [earlier])
    api.expect_get_engagement(ENG, TWO_LEADS_ONE_CONVERTED)
    api.expect_start(earlier, ENG, "1", token=token("1"))
    result = run(api, clock, [item("1")])["items"][0]
    assert result["status"] == "already_done" and result["changed"] is False and result["task_id"] == task_id(7)
    api.stubber.assert_no_pending_responses()


def test_items_that_carry_the_engagements_leads_need_no_read(api, clock):
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3"), make_task(8, ENG, context_id="4")])
    summary = run(api, clock, [item("2", lead_contexts=["1", "2"])])
    assert statuses(summary) == ["already_done"] and api.params(GET) == []
    api.stubber.assert_no_pending_responses()


def test_an_unqualified_lead_read_from_the_engagement_does_not_compete(api, clock):
    # Only a qualified lead converts (as for discovery): a second lead still Unqualified cannot hold task 7.
    api.expect_lookup([ENG], [make_task(7, ENG, context_id="3")])
    api.expect_get_engagement(
        ENG, [engagement_context("1"), engagement_context("2", status="Unqualified"), engagement_context("3", PROJECT)]
    )
    summary = run(api, clock, [item("1")])
    assert statuses(summary) == ["already_done"] and api.params(START) == []
    api.stubber.assert_no_pending_responses()


def test_an_engagement_that_cannot_be_read_replays_instead_of_reporting_converted(api, clock):
    # Without partnercentral:GetEngagement the List data does not decide: the stable token is replayed, and the
    # service's idempotency answers the earlier task. The batch does not stop.
    earlier = make_task(7, ENG, context_id="2")
    api.expect_lookup([ENG], [earlier])
    api.expect_error("get_engagement", "AccessDeniedException", "not allowed")
    api.expect_start(earlier, ENG, "1", token=token("1"))
    summary = run(api, clock, [item("1")])
    result = summary["items"][0]
    assert result["status"] == "already_done" and result["changed"] is False and summary["stopped"] is None
    assert "replayed" in result["message"]
    api.stubber.assert_no_pending_responses()


def test_a_service_naming_the_lead_is_learnt_from_the_first_engagement_read(api, clock):
    # A completed task that names a Lead context (the emulator's context_id_mode "requested") is that lead's: lead 1
    # of each engagement is open, its sibling 2 converted; only the first engagement is read.
    first, second = engagement(1), engagement(2)
    api.expect_lookup([first, second], [make_task(7, first, context_id="2"), make_task(8, second, context_id="2")])
    api.expect_get_engagement(
        first, [engagement_context("1"), engagement_context("2"), engagement_context("3", PROJECT)]
    )
    api.expect_start(make_task(9, first, context_id="1"), first, "1")
    api.expect_start(make_task(10, second, context_id="1"), second, "1")
    summary = run(
        api, clock, [dict(identifier=first, context_identifier="1"), dict(identifier=second, context_identifier="1")]
    )
    assert statuses(summary) == ["created", "created"]
    assert [params["Identifier"] for params in api.params(GET)] == [first]
    api.stubber.assert_no_pending_responses()


def test_engagements_are_read_each_when_the_service_names_contexts_both_ways(api, clock):
    # The first read shows a task naming a created context, the second one naming a lead: the naming is not trusted
    # any more, and the third engagement, which the first naming would have settled, is read as well.
    engagements = [engagement(n) for n in (1, 2, 3)]
    tasks = [make_task(1, engagements[0], "2"), make_task(2, engagements[1], "3"), make_task(3, engagements[2], "2")]
    api.expect_lookup(engagements, tasks)
    api.expect_get_engagement(engagements[0], [engagement_context("1"), engagement_context("2", PROJECT)])
    api.expect_get_engagement(
        engagements[1], [engagement_context("1"), engagement_context("2", PROJECT), engagement_context("3")]
    )
    api.expect_get_engagement(engagements[2], [engagement_context("1"), engagement_context("2", PROJECT)])
    api.expect_start(make_task(9, engagements[1], "1"), engagements[1], "1")
    summary = run(api, clock, [dict(identifier=eng, context_identifier="1") for eng in engagements])
    assert statuses(summary) == ["already_done", "created", "already_done"]
    assert len(api.params(GET)) == 3
    api.stubber.assert_no_pending_responses()
