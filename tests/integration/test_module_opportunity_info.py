# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_opportunity_info in one real ansible-playbook run against the emulator: opportunities made by
conversions beforehand (a boto3 client straight against the emulator), one of them completed, associated with a
solution and submitted through the collection's API layer; listings with the filters, one opportunity with AWS's
summary and its solutions, bad input failing before any call."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api import opportunities as api_opp
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_to_api
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.integration.test_api_opportunities_emulator import COMPLETION

pytestmark = pytest.mark.integration

PLAYBOOK = "module_opportunity_info.yml"
CATALOG = "Sandbox"
CONVERSIONS = 4


def setup(harness: Harness) -> list[str]:
    """CONVERSIONS opportunities, oldest first; the first one submitted with solution S-0000001."""
    client = harness.emulator.client()
    made = []
    for n in range(CONVERSIONS):
        lead = harness.emulator.admin.add_lead(qualification_status="Qualified")
        task = client.start_opportunity_from_engagement_task(
            Catalog=CATALOG, Identifier=lead["engagement_id"], ContextIdentifier=lead["context_id"], ClientToken=f"c{n}"
        )
        made.append(task["OpportunityId"])
    updated = api_opp.update_opportunity(client, CATALOG, made[0], options_to_api(COMPLETION))
    api_opp.apply_associations(client, CATALOG, updated.after, {"solutions": ["S-0000001"]})
    submitted = api_opp.submit_opportunity(client, CATALOG, made[0], "Co-Sell", "Full", wait_timeout=10)
    assert submitted.task["TaskStatus"] == "COMPLETE"
    return made


def queries(made: list[str]) -> dict[str, dict[str, Any]]:
    return {
        "all": {},
        "pending": {"review_statuses": ["Pending Submission"]},
        "submitted": {"review_statuses": ["Submitted"]},
        "by_ids": {"identifiers": [made[1], made[2]]},
        "newest_two": {"max_results": 2},
        "one": {"identifier": made[0], "aws_summary": True, "related_entities": True},
        "one_plain": {"identifier": made[1]},
        "bad_id": {"identifier": "opp-1"},
        "summary_without_identifier": {"aws_summary": True},
        "bad_stage": {"lifecycle_stages": ["Won"]},
    }


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Any:
    harness = Harness(
        tmp_path_factory.mktemp("module-opportunity-info"),
        {"engagements": 0, "write_tps": 0, "read_tps": 0},
    )
    try:
        made = setup(harness)
        before = harness.stats()["requests"]
        named = queries(made)
        run = harness.run(PLAYBOOK, {"localhost": {"queries": list(named.values())}})
        answers = {name: run.items()[index] for index, name in enumerate(named)}
        yield made, answers, run.fact(), before, harness.stats()["requests"]
    finally:
        harness.close()


def ids(answer: dict[str, Any]) -> list[str]:
    assert answer.get("failed") is not True, answer
    assert answer["changed"] is False
    return [item["id"] for item in answer["opportunities"]]


def test_listings_apply_the_filters(listing: Any) -> None:
    made, answers, in_check_mode = listing[0], listing[1], listing[2]
    assert sorted(ids(answers["all"])) == sorted(made)
    assert ids(answers["all"])[0] == made[0]  # the most recently modified first: the submitted one
    assert sorted(ids(answers["pending"])) == sorted(made[1:])
    assert sorted(ids(in_check_mode)) == sorted(made[1:])
    assert ids(answers["submitted"]) == [made[0]]
    assert sorted(ids(answers["by_ids"])) == sorted(made[1:3])
    assert ids(answers["newest_two"]) == ids(answers["all"])[:2]


def test_one_opportunity_with_aws_summary_and_solutions(listing: Any) -> None:
    made, answers = listing[0], listing[1]
    one = answers["one"]
    assert ids(one) == [made[0]]
    record = one["opportunities"][0]
    assert record["life_cycle"]["review_status"] == "Submitted"
    assert record["project"]["title"] == COMPLETION["project"]["title"]
    assert record["related_entity_identifiers"]["solutions"] == ["S-0000001"]
    assert one["aws_summary"]["related_opportunity_id"] == made[0]
    assert one["aws_summary"]["involvement_type"] == "Co-Sell"
    assert [solution["id"] for solution in one["related_solutions"]] == ["S-0000001"]
    plain = answers["one_plain"]
    assert ids(plain) == [made[1]]
    assert "aws_summary" not in plain and "related_solutions" not in plain


def test_bad_input_fails_before_any_call(listing: Any) -> None:
    answers, before, after = listing[1], listing[3], listing[4]
    assert answers["bad_id"]["failed"] is True and "'opp-1' is not an opportunity id" in answers["bad_id"]["msg"]
    assert answers["summary_without_identifier"]["failed"] is True
    assert "aws_summary needs identifier" in answers["summary_without_identifier"]["msg"]
    assert answers["bad_stage"]["failed"] is True and "lifecycle_stages" in answers["bad_stage"]["msg"]
    # The playbook's reads: 5 listings and the check-mode one (1 page each), 2 GetOpportunity, 1 summary, 1 solutions.
    added = {
        name: after.get(name, {}).get("200", 0) - before.get(name, {}).get("200", 0)
        for name in ("ListOpportunities", "GetOpportunity", "GetAwsOpportunitySummary", "ListSolutions")
    }
    assert added == {"ListOpportunities": 6, "GetOpportunity": 2, "GetAwsOpportunitySummary": 1, "ListSolutions": 1}
    assert all(set(after[name]) == {"200"} for name in added), after
