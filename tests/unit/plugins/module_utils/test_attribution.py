# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The attribution of earlier tasks to the lead contexts of an engagement, from the List data alone."""

from __future__ import annotations

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import CONVERTED
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import NAMES_CREATED
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import NAMES_LEAD
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import OPEN
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import UNKNOWN
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import lead_states
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import naming_evidence
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import partial_lead_states
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import undecided


def task(n, context, status="COMPLETE"):
    return {
        "TaskId": f"task-{n:013d}",
        "TaskStatus": status,
        "EngagementId": "eng-abcdefghij0001",
        "ContextId": context,
    }


def states(tasks, leads, owners=None):
    return {lead: state.state for lead, state in lead_states(tasks, leads, owners).items()}


def test_no_task_leaves_every_lead_open():
    assert states([], ["1", "2"]) == {"1": OPEN, "2": OPEN}


def test_an_exact_task_converts_its_lead_only():
    assert states([task(1, "1")], ["1", "2"]) == {"1": CONVERTED, "2": OPEN}


def test_a_single_lead_holds_the_new_context_of_its_task():
    # The benchmark's re-run: one lead, one task that answered the new CustomerProject context.
    result = lead_states([task(1, "2")], ["1"])
    assert result["1"].state == CONVERTED and result["1"].tasks == [task(1, "2")]


def test_two_leads_and_one_new_context_cannot_be_told_apart():
    # The bug of issue 11: lead 2 of an engagement whose lead 1 was converted (new context 3) is not converted.
    assert states([task(1, "3")], ["1", "2"]) == {"1": UNKNOWN, "2": UNKNOWN}


def test_two_leads_and_two_new_contexts_are_both_converted():
    assert states([task(1, "3"), task(2, "4")], ["1", "2"]) == {"1": CONVERTED, "2": CONVERTED}


def test_a_lead_newer_than_the_task_is_open_and_the_older_lead_converted():
    # Lead 1 converted into context 2, then lead 3 was added: only lead 1 can hold task 1.
    result = lead_states([task(1, "2")], ["1", "3"])
    assert result["1"].state == CONVERTED and result["3"].state == OPEN
    assert result["1"].tasks == [task(1, "2")]


def test_an_exact_task_takes_its_lead_out_of_the_competition():
    # Lead 1 has its own task (requested context answered): the new context 4 can only be lead 2's.
    assert states([task(1, "1"), task(2, "4")], ["1", "2"]) == {"1": CONVERTED, "2": CONVERTED}


def test_a_task_started_by_this_run_belongs_to_its_owner():
    started = task(5, "3")
    assert states([started], ["1", "2"], owners={started["TaskId"]: "1"}) == {"1": CONVERTED, "2": OPEN}


def test_more_tasks_than_leads_makes_every_candidate_unknown():
    # Two conversions for one known lead: duplicates or a lead the batch does not name; do not guess.
    assert states([task(1, "3"), task(2, "4")], ["2"]) == {"2": UNKNOWN}


def test_a_task_older_than_every_lead_is_left_out():
    # Context 1 was converted (requested-context answer) and the batch asks about lead 2 only.
    assert states([task(1, "1")], ["2"]) == {"2": OPEN}


@pytest.mark.parametrize("status", ["FAILED"])
def test_failed_tasks_convert_nothing_and_are_kept_for_the_attempt_count(status):
    result = lead_states([task(1, "1", status), task(2, "3", status)], ["1", "2"])
    assert {lead: state.state for lead, state in result.items()} == {"1": OPEN, "2": OPEN}
    assert result["1"].tasks == [task(1, "1", status)]


def test_in_progress_new_context_counts_as_a_conversion():
    assert states([task(1, "2", "IN_PROGRESS")], ["1"]) == {"1": CONVERTED}


def test_three_leads_two_tasks_only_the_newest_lead_is_out():
    # Leads 1, 2 (converted into 4 and 5 in some order) and lead 6 added later: 6 is open, 1 and 2 converted.
    assert states([task(1, "4"), task(2, "5")], ["1", "2", "6"]) == {"1": CONVERTED, "2": CONVERTED, "6": OPEN}


def test_three_leads_one_task_between_them_is_unknown_for_the_older_two():
    # Leads 1 and 2 existed before the conversion into context 3; lead 4 came later.
    assert states([task(1, "3")], ["1", "2", "4"]) == {"1": UNKNOWN, "2": UNKNOWN, "4": OPEN}


# ---- leads that may not be all of the engagement's ---------------------------------------------------------------


def partial(tasks, leads, naming=None, owners=None):
    found, room = partial_lead_states(tasks, leads, owners, naming)
    return {lead: state.state for lead, state in found.items()}, [t["TaskId"] for t in room]


def test_a_task_of_a_context_not_named_leaves_room_while_the_naming_is_not_known():
    # Context 2 may be the CustomerProject of lead 1's conversion, or a second lead whose own task this is.
    assert partial([task(1, "2")], ["1"]) == ({"1": CONVERTED}, [task(1, "2")["TaskId"]])


def test_with_created_contexts_a_task_only_named_leads_are_older_than_is_theirs():
    assert partial([task(1, "2")], ["1"], NAMES_CREATED) == ({"1": CONVERTED}, [])
    # Context 4, older than task 2's, is task 1's created context: no lead.
    assert partial([task(1, "4"), task(2, "5")], ["1", "2", "3"], NAMES_CREATED)[1] == []
    assert partial([task(1, "3"), task(2, "4")], ["1", "2"], NAMES_CREATED) == ({"1": CONVERTED, "2": CONVERTED}, [])


def test_with_created_contexts_an_older_context_not_named_leaves_room():
    # Lead 2 named alone; task 1 of context 3 may be lead 1's (the case) or lead 2's.
    assert partial([task(1, "3")], ["2"], NAMES_CREATED) == ({"2": CONVERTED}, [task(1, "3")["TaskId"]])


def test_with_lead_contexts_a_task_of_a_context_not_named_is_that_leads():
    assert partial([task(1, "2")], ["1"], NAMES_LEAD) == ({"1": OPEN}, [])


@pytest.mark.parametrize("naming", [None, NAMES_CREATED, NAMES_LEAD])
def test_a_task_in_progress_of_a_context_not_named_always_leaves_room(naming):
    # The naming is learnt from completed tasks; a task in progress may name the lead whatever it is.
    assert partial([task(1, "2", "IN_PROGRESS")], ["1"], naming)[1] == [task(1, "2", "IN_PROGRESS")["TaskId"]]


def test_tasks_that_no_named_lead_can_hold_leave_no_room():
    # Lead 3 named alone: task 1 of context 2 is older than it (lead 1's conversion); an exact task settles lead 4.
    assert partial([task(1, "2"), task(2, "4")], ["3", "4"]) == ({"3": OPEN, "4": CONVERTED}, [])


def test_a_task_this_run_started_leaves_no_room():
    assert partial([task(1, "2")], ["1"], owners={task(1, "2")["TaskId"]: "1"}) == ({"1": CONVERTED}, [])


def test_undecided_turns_a_lead_converted_by_a_task_with_room_into_unknown():
    found, room = partial_lead_states([task(1, "3"), task(2, "1")], ["2", "1"])
    result = undecided(found, room)
    assert (result["2"].state, result["1"].state) == (UNKNOWN, CONVERTED)
    assert result["2"].tasks == [] and result["2"].candidates == [task(1, "3")]


def test_naming_evidence_from_own_tasks_and_from_the_engagements_contexts():
    tasks = [task(1, "2"), task(2, "1"), task(3, "5", "FAILED"), task(4, "7", "IN_PROGRESS")]
    assert naming_evidence(tasks, owners={task(1, "2")["TaskId"]: "1"}) == {NAMES_CREATED}
    assert naming_evidence(tasks, owners={task(2, "1")["TaskId"]: "1"}) == {NAMES_LEAD}
    assert naming_evidence(tasks, lead_ids=["1", "5", "7"], project_ids=["2"]) == {NAMES_LEAD, NAMES_CREATED}
    assert naming_evidence(tasks, lead_ids=["5", "7"]) == set()
