# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_opportunity_from_engagement_info in one real ansible-playbook run against the emulator.

The tasks are made beforehand with a boto3 client straight against the emulator (fast, no write quota): 12
COMPLETE conversions, 113 FAILED tasks (a missing context, one engagement started again and again) and one task
IN_PROGRESS, 126 in all, more than one page of the module's List calls (100). Every query is an item of the playbook's
loop; the tests compare the answers with what the client saw.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import PlaybookRun

pytestmark = pytest.mark.integration

PLAYBOOK = "module_opportunity_from_engagement_info.yml"
COMPLETED = 12  # more than the API's 10 values of a filter
REPEATED_FAILURES = 111
SNAKE_CASE = re.compile(r"[a-z]+(_[a-z]+)*")


@dataclass
class Listing:
    run: PlaybookRun
    tasks: list[dict[str, Any]]  # every task as the client saw its Start answer or last List, in start order
    engagements: list[dict[str, Any]]  # id, arn

    def ids(self, tasks: list[dict[str, Any]]) -> list[str]:
        return [task["TaskId"] for task in tasks]

    def by_status(self, status: str) -> list[dict[str, Any]]:
        return [task for task in self.tasks if task["TaskStatus"] == status]

    def answer(self, name: str) -> dict[str, Any]:
        host, index = QUERY_INDEX[name]
        return self.run.items(host)[index]

    def answer_ids(self, name: str) -> list[str]:
        return [task["task_id"] for task in self.answer(name)["tasks"]]


def _queries(engagements: list[dict[str, Any]], tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    completed = tasks[:COMPLETED]
    # Two of the twelve engagements by ARN: the module accepts both spellings.
    twelve = [eng["arn"] if n < 2 else eng["id"] for n, eng in enumerate(engagements[:COMPLETED])]
    return {
        "twelve_engagements": {"engagement_ids": twelve},
        "failed": {"statuses": ["FAILED"]},
        "in_progress": {"statuses": ["IN_PROGRESS"]},
        "all": {},
        "oldest_five": {"sort_order": "ASCENDING", "max_results": 5},
        "newest_three": {"max_results": 3},
        "opportunities": {"opportunity_ids": [completed[0]["OpportunityId"], completed[1]["OpportunityId"]]},
        "engagement_and_context": {"engagement_ids": [engagements[COMPLETED + 1]["id"]], "context_ids": ["9"]},
        "task_ids": {"task_ids": [completed[0]["TaskId"], completed[5]["TaskArn"]]},
        "negative_max_results": {"max_results": -1},
    }


QUERY_NAMES = [
    "twelve_engagements",
    "failed",
    "in_progress",
    "all",
    "oldest_five",
    "newest_three",
    "opportunities",
    "engagement_and_context",
    "task_ids",
    "negative_max_results",
]
# Two hosts share the queries (hosts run in parallel): name -> (host, index in the host's loop).
QUERY_INDEX = {name: (f"host{n % 2}", n // 2) for n, name in enumerate(QUERY_NAMES)}


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Any:
    harness = Harness(tmp_path_factory.mktemp("module-info"), {"engagements": COMPLETED + 4, "write_tps": 0})
    try:
        client = harness.emulator.client()
        engagements = harness.emulator.engagements("Sandbox")
        tasks = []

        def start(eng_id: str, context: str) -> None:
            tasks.append(
                client.start_opportunity_from_engagement_task(
                    Catalog="Sandbox", Identifier=eng_id, ContextIdentifier=context
                )
            )

        for eng in engagements[:COMPLETED]:
            start(eng["id"], "1")
        for _attempt in range(REPEATED_FAILURES):
            start(engagements[COMPLETED]["id"], "9")  # ContextNotFound: a new token each time, a new task each time
        for eng in engagements[COMPLETED + 1 : COMPLETED + 3]:
            start(eng["id"], "9")
        harness.emulator.configure(task_latency=3600)
        start(engagements[COMPLETED + 3]["id"], "1")
        assert harness.stats()["tasks"] == len(tasks) == COMPLETED + REPEATED_FAILURES + 3

        queries = _queries(engagements, tasks)
        hosts: dict[str, dict[str, Any]] = {"host0": {"queries": []}, "host1": {"queries": []}}
        for name in QUERY_NAMES:
            hosts[QUERY_INDEX[name][0]]["queries"].append(queries[name])
        hosts["host0"]["check_queries"] = [queries["twelve_engagements"], queries["all"]]
        run = harness.run(PLAYBOOK, hosts)
        yield Listing(run, tasks, engagements)
    finally:
        harness.close()


def test_engagement_filter_of_more_than_ten_values_is_split(listing: Listing) -> None:
    answer = listing.answer("twelve_engagements")
    assert answer["changed"] is False
    completed = listing.tasks[:COMPLETED]
    # Newest first (DESCENDING is the default), merged from two calls of at most 10 engagement ids.
    assert listing.answer_ids("twelve_engagements") == listing.ids(completed)[::-1]
    assert {task["task_status"] for task in answer["tasks"]} == {"COMPLETE"}


def test_status_filter_follows_pagination(listing: Listing) -> None:
    failed = listing.by_status("FAILED")
    assert len(failed) > 100  # more than one page of the module's List calls
    assert listing.answer_ids("failed") == listing.ids(failed)[::-1]
    assert {task["reason_code"] for task in listing.answer("failed")["tasks"]} == {"ContextNotFound"}
    assert listing.answer_ids("in_progress") == listing.ids(listing.by_status("IN_PROGRESS"))


def test_all_tasks_newest_first_over_several_pages(listing: Listing) -> None:
    assert listing.answer_ids("all") == listing.ids(listing.tasks)[::-1]
    starts = [datetime.datetime.fromisoformat(task["start_time"]) for task in listing.answer("all")["tasks"]]
    assert starts == sorted(starts, reverse=True)


def test_sort_order_and_max_results(listing: Listing) -> None:
    assert listing.answer_ids("oldest_five") == listing.ids(listing.tasks[:5])
    assert listing.answer_ids("newest_three") == listing.ids(listing.tasks[-3:])[::-1]


def test_opportunity_context_and_task_filters(listing: Listing) -> None:
    completed = listing.tasks[:COMPLETED]
    assert listing.answer_ids("opportunities") == listing.ids([completed[1], completed[0]])
    (task,) = listing.answer("engagement_and_context")["tasks"]
    assert task["engagement_id"] == listing.engagements[COMPLETED + 1]["id"] and task["context_id"] == "9"
    # A task id and a task ARN select the same way.
    assert listing.answer_ids("task_ids") == listing.ids([completed[5], completed[0]])


def test_tasks_are_returned_in_snake_case(listing: Listing) -> None:
    completed = listing.tasks[0]
    answer = next(task for task in listing.answer("all")["tasks"] if task["task_id"] == completed["TaskId"])
    assert all(SNAKE_CASE.fullmatch(key) for key in answer), sorted(answer)
    assert answer["task_arn"] == completed["TaskArn"] and answer["engagement_id"] == completed["EngagementId"]
    assert answer["opportunity_id"] == completed["OpportunityId"] and answer["context_id"] == completed["ContextId"]
    assert answer["resource_snapshot_job_id"] == completed["ResourceSnapshotJobId"]
    assert datetime.datetime.fromisoformat(answer["start_time"]) == completed["StartTime"]
    failed = listing.answer("failed")["tasks"][0]
    assert failed["task_status"] == "FAILED" and failed["message"] and "opportunity_id" not in failed


def test_negative_max_results_fails(listing: Listing) -> None:
    answer = listing.answer("negative_max_results")
    assert answer["failed"] is True and "max_results must be 0 (all) or more (got -1)" in answer["msg"]


def test_check_mode_lists_the_same(listing: Listing) -> None:
    in_check_mode = listing.run.items("host0", key="check_mode_results")
    assert len(in_check_mode) == 2
    for answer, name in zip(in_check_mode, ("twelve_engagements", "all")):
        assert answer.get("failed") is not True and answer["changed"] is False, answer
        assert [task["task_id"] for task in answer["tasks"]] == listing.answer_ids(name)
