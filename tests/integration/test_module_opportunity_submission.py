# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_opportunity_submission in one real ansible-playbook run against the emulator: an incomplete
opportunity refused with every problem and nothing sent (check mode too), bad input failing before any call, a ready
one submitted once (check mode first, then a re-run that sends nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api import opportunities as api_opp
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_to_api
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.integration.test_api_opportunities_emulator import COMPLETION

pytestmark = pytest.mark.integration

PLAYBOOK = "module_opportunity_submission.yml"
CATALOG = "Sandbox"
START = "StartEngagementFromOpportunityTask"


def converted(harness: Harness, token: str) -> str:
    lead = harness.emulator.admin.add_lead(qualification_status="Qualified")
    task = harness.emulator.client().start_opportunity_from_engagement_task(
        Catalog=CATALOG, Identifier=lead["engagement_id"], ContextIdentifier=lead["context_id"], ClientToken=token
    )
    return task["OpportunityId"]


@pytest.fixture(scope="module")
def submission(tmp_path_factory: pytest.TempPathFactory) -> Any:
    harness = Harness(tmp_path_factory.mktemp("module-opportunity-submission"), {"write_tps": 0, "read_tps": 0})
    try:
        client = harness.emulator.client()
        incomplete, ready = converted(harness, "a"), converted(harness, "b")
        updated = api_opp.update_opportunity(client, CATALOG, ready, options_to_api(COMPLETION))
        api_opp.apply_associations(client, CATALOG, updated.after, {"solutions": ["S-0000001"]})
        run = harness.run(PLAYBOOK, {"localhost": {"incomplete": incomplete, "ready": ready}})
        assert run.data is not None, run.output()
        yield incomplete, ready, run.data, harness.stats()["requests"]
    finally:
        harness.close()


def test_an_incomplete_opportunity_is_refused_with_every_problem(submission: Any) -> None:
    incomplete, results = submission[0], submission[2]
    for name in ("refused", "refused_in_check_mode"):
        answer = results[name]
        assert answer["failed"] is True and answer["changed"] is False
        assert f"{incomplete} cannot be submitted, nothing was sent" in answer["msg"]
        assert any("no solution is associated" in problem for problem in answer["problems"])
        assert any("required for submission and missing" in problem for problem in answer["problems"])


def test_bad_input_fails_before_any_call(submission: Any) -> None:
    answer = submission[2]["bad_input"]
    assert answer["failed"] is True
    assert "wait_timeout must be at least 1 second" in answer["msg"]
    assert "'opp-1' is not an opportunity id" in answer["msg"]


def test_a_ready_opportunity_is_submitted_once(submission: Any) -> None:
    ready, results, requests = submission[1], submission[2], submission[3]
    assert results["in_check_mode"]["changed"] is True and results["in_check_mode"]["task"] is None
    assert results["in_check_mode"]["opportunity"]["life_cycle"]["review_status"] == "Pending Submission"
    submitted = results["submitted"]
    assert submitted["changed"] is True
    assert submitted["task"]["task_status"] == "COMPLETE" and submitted["task"]["opportunity_id"] == ready
    assert submitted["opportunity"]["life_cycle"]["review_status"] == "Submitted"
    again = results["again"]
    assert again["changed"] is False and again["task"]["task_id"] == submitted["task"]["task_id"]
    # One Start in the whole run: refusals, check mode and the re-run sent none.
    assert requests[START] == {"200": 1}
