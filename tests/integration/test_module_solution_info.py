# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_solution_info in one real ansible-playbook run against the emulator: 105 solutions (more than one
page of ListSolutions), each filter, names matched without case, bad input failing before any call."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness

pytestmark = pytest.mark.integration

PLAYBOOK = "module_solution_info.yml"
COUNT = 105


def solution(n: int) -> dict[str, Any]:
    return {
        "Id": f"S-{n:07d}",
        "Name": f"Solution {n}",
        "Category": "Consulting Service" if n % 3 == 0 else "Software Product",
        "Status": "Inactive" if n % 5 == 0 else "Active",
    }


SOLUTIONS = [solution(n) for n in range(1, COUNT + 1)]  # created in this order: listed newest first
QUERIES = {
    "all": {},
    "active": {"statuses": ["Active"]},
    "consulting_inactive": {"categories": ["Consulting Service"], "statuses": ["Inactive"]},
    "by_ids": {"identifiers": ["S-0000007", "S-0000104"]},
    "by_names": {"names": ["solution 42", "SOLUTION 101", "No such solution"]},
    "bad_status": {"statuses": ["Retired"]},
    "too_many_ids": {"identifiers": [f"S-{n:07d}" for n in range(1, 22)]},
}


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Any:
    harness = Harness(
        tmp_path_factory.mktemp("module-solution-info"),
        {"engagements": 0, "fixture": {"engagements": [], "solutions": SOLUTIONS}, "write_tps": 0, "read_tps": 0},
    )
    try:
        run = harness.run(PLAYBOOK, {"localhost": {"queries": list(QUERIES.values())}})
        yield {name: run.items()[index] for index, name in enumerate(QUERIES)}, run.fact(), harness.stats()
    finally:
        harness.close()


def ids(answer: dict[str, Any]) -> list[str]:
    assert answer.get("failed") is not True, answer
    assert answer["changed"] is False
    assert answer["ids"] == [item["id"] for item in answer["solutions"]]
    return answer["ids"]


def test_every_page_is_listed(listing: Any) -> None:
    answers = listing[0]
    assert ids(answers["all"]) == [item["Id"] for item in reversed(SOLUTIONS)]
    first = answers["all"]["solutions"][-1]
    assert first["name"] == "Solution 1" and first["catalog"] == "Sandbox" and first["status"] == "Active"


def test_the_api_filters_apply(listing: Any) -> None:
    answers, in_check_mode = listing[0], listing[1]
    active = [item["Id"] for item in reversed(SOLUTIONS) if item["Status"] == "Active"]
    assert ids(answers["active"]) == active
    assert ids(in_check_mode) == active
    assert ids(answers["consulting_inactive"]) == [f"S-{n:07d}" for n in (105, 90, 75, 60, 45, 30, 15)]
    assert ids(answers["by_ids"]) == ["S-0000104", "S-0000007"]


def test_names_find_the_ids(listing: Any) -> None:
    answers = listing[0]
    assert ids(answers["by_names"]) == ["S-0000101", "S-0000042"]


def test_bad_input_fails_before_any_call(listing: Any) -> None:
    answers, stats = listing[0], listing[2]
    assert answers["bad_status"]["failed"] is True and "statuses" in answers["bad_status"]["msg"]
    assert answers["too_many_ids"]["failed"] is True
    assert "identifiers takes at most 20 values" in answers["too_many_ids"]["msg"]
    # 105 solutions are 2 pages of 100 (all, by_names); active, consulting_inactive, by_ids and the check-mode run
    # fit in 1 page each: 8 requests, none from the bad input.
    assert stats["requests"]["ListSolutions"] == {"200": 8}
