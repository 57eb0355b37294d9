# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_engagement_info in real ansible-playbook runs against the emulator: listings with every filter,
contexts, and lead discovery over engagements with 0, 1 and 2 lead contexts, unqualified and disqualified leads,
leads converted by an earlier run or another tool; its engagements_to_convert passed to the batch module
unchanged. The emulator answers a conversion with the new CustomerProject context's id (AWS's sample), so a task
does not say which of two leads it came from."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness

pytestmark = pytest.mark.integration

PLAYBOOK = "module_engagement_info.yml"


def eng(n: int) -> str:
    return f"eng-intake{n:08d}"


def lead(context_id: str, status: str = "Qualified") -> dict[str, Any]:
    return {"id": context_id, "type": "Lead", "qualification_status": status}


# Created in this order (oldest first): the fixture's order.
ENGAGEMENTS = {
    eng(0): [{"id": "1", "type": "CustomerProject"}],  # no lead
    eng(1): [lead("1")],  # one qualified lead
    eng(2): [lead("1")],  # converted by an earlier run (task below)
    eng(3): [lead("1"), lead("2")],  # two qualified leads
    eng(4): [lead("1"), lead("2")],  # two leads, lead 1 converted: the task names context 3
    eng(5): [lead("1", "Unqualified")],
    eng(6): [lead("1", "Disqualified")],
    eng(7): [lead("1"), {"id": "2", "type": "CustomerProject"}],  # converted by another tool
}
UNCONVERTED_QUALIFIED = [(eng(1), "1"), (eng(3), "1"), (eng(3), "2"), (eng(4), "1"), (eng(4), "2")]


def pairs(answer: dict[str, Any], key: str = "engagements_to_convert") -> list[tuple[str, str]]:
    assert answer.get("failed") is not True, answer
    return [(item["identifier"], item["context_identifier"]) for item in answer[key]]


def ids(answer: dict[str, Any]) -> list[str]:
    assert answer.get("failed") is not True, answer
    return [engagement["id"] for engagement in answer["engagements"]]


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Any:
    fixture = {
        "engagements": [
            {"id": eng_id, "catalog": "Sandbox", "contexts": contexts} for eng_id, contexts in ENGAGEMENTS.items()
        ]
    }
    harness = Harness(
        tmp_path_factory.mktemp("module-engagement-info"),
        {"engagements": 0, "fixture": fixture, "write_tps": 0, "read_tps": 0},
    )
    yield harness
    harness.close()


def setup(harness: Harness) -> None:
    harness.reset()
    # A lead invitation still pending: its engagement is not the account's to list.
    harness.emulator.admin.add_lead(catalog="Sandbox", invitation={"status": "PENDING"})
    client = harness.emulator.client()
    for eng_id in (eng(2), eng(4)):
        task = client.start_opportunity_from_engagement_task(
            Catalog="Sandbox", Identifier=eng_id, ContextIdentifier="1"
        )
        assert task["TaskStatus"] == "COMPLETE" and task["ContextId"] != "1"


def test_discovery_filters_and_listing(harness: Harness) -> None:
    setup(harness)
    queries = [
        {"unconverted_leads": True},
        {"unconverted_leads": True, "qualification_statuses": ["Unqualified", "Disqualified"]},
        {"unconverted_leads": True, "max_count": 2},
        {"unconverted_leads": True, "exclude_engagement_ids": [eng(1)], "sort_order": "DESCENDING"},
        {"context_types": ["Lead"], "exclude_context_types": ["CustomerProject"]},
        {"engagement_ids": [eng(3), eng(0)], "contexts": True},
        {"unconverted_leads": True, "created_after": "2999-01-01"},
        {},
    ]
    run = harness.run(PLAYBOOK, {"localhost": {"queries": queries, "check": True}})
    discovered, others, two, excluded, open_leads, with_contexts, future, everything = run.items()

    assert pairs(discovered) == UNCONVERTED_QUALIFIED
    assert all(
        set(item) == {"identifier", "context_identifier", "origin", "lead_contexts"} and item["origin"] == "discovery"
        for item in discovered["engagements_to_convert"]
    )
    # Each item carries its engagement's qualified lead contexts (eng 4 has two, eng 1 one).
    lead_contexts = {item["identifier"]: item["lead_contexts"] for item in discovered["engagements_to_convert"]}
    assert lead_contexts[eng(4)] == ["1", "2"] and lead_contexts[eng(1)] == ["1"]
    leads = {(item["identifier"], item["context_identifier"]): item for item in discovered["leads"]}
    assert list(leads) == UNCONVERTED_QUALIFIED
    assert {item["qualification_status"] for item in leads.values()} == {"Qualified"}
    assert all(item["customer"]["company_name"] for item in leads.values())
    counts = discovered["discovery"]
    # Seven engagements hold a lead (eng 0 has none; the invited one is hidden): 9 lead contexts.
    assert counts["engagements"] == 7 and counts["lead_contexts"] == 9
    assert counts["converted"] == 2 and counts["other_qualification"] == 2 and counts["selected"] == 5
    # Reads: ListEngagements once, GetEngagement 7 times, one task lookup for the group of 7.
    assert counts["api_calls"]["reads"] == 9 and counts["groups"] == 1
    assert discovered["changed"] is False and "5 unconverted lead contexts selected" in discovered["msg"]

    in_check_mode = run.fact()["in_check_mode"]
    assert in_check_mode["changed"] is False and pairs(in_check_mode) == UNCONVERTED_QUALIFIED

    assert pairs(others) == [(eng(5), "1"), (eng(6), "1")]
    assert [lead["qualification_status"] for lead in others["leads"]] == ["Unqualified", "Disqualified"]
    assert pairs(two) == UNCONVERTED_QUALIFIED[:2] and two["discovery"]["over_max_count"] == 3
    assert pairs(excluded) == [(eng(4), "1"), (eng(4), "2"), (eng(3), "1"), (eng(3), "2")]

    # The API's own filter drops every engagement with a CustomerProject context, eng 4's open lead 2 too.
    assert ids(open_leads) == [eng(1), eng(3), eng(5), eng(6)]
    assert "contexts" not in open_leads["engagements"][0] and open_leads["discovery"]["api_calls"]["reads"] == 1
    assert ids(with_contexts) == [eng(0), eng(3)]
    contexts = {engagement["id"]: engagement["contexts"] for engagement in with_contexts["engagements"]}
    assert [context["type"] for context in contexts[eng(3)]] == ["Lead", "Lead"]
    assert contexts[eng(3)][0]["payload"]["lead"]["qualification_status"] == "Qualified"
    assert contexts[eng(0)][0]["type"] == "CustomerProject"
    assert pairs(future) == [] and ids(future) == []
    assert ids(everything) == list(ENGAGEMENTS)
    assert everything["engagements"][0]["created_at"].count("T") == 1
    stats = harness.stats()
    assert stats["writes_accepted"] == 2  # the two conversions of the set-up


def test_bad_input_fails_before_any_call(harness: Harness) -> None:
    setup(harness)
    before = harness.stats()["total_requests"]
    queries = [
        {"created_after": "yesterday"},
        {"engagement_ids": ["eng-bad"]},
        {"max_count": -1},
        {"context_types": ["Bogus"]},
        {"unconverted_leads": True, "context_types": ["CustomerProject"]},
        {"created_by": ["not an account"]},
        {"read_rate": 0},
        {"max_results": "ten"},
    ]
    run = harness.run(PLAYBOOK, {"localhost": {"queries": queries}})
    answers = run.items()
    expected = [
        "created_after must be an ISO 8601 date",
        "engagement_ids: 'eng-bad' is not an engagement id",
        "max_count must be 0 (all) or more (got -1)",
        "context_types",
        "context_types must include Lead",
        "created_by: 'not an account' is not an AWS account id",
        "read_rate must be a positive number",
        "max_results",
    ]
    for answer, words in zip(answers, expected):
        assert answer["failed"] is True and words in answer["msg"], answer["msg"]
    assert harness.stats()["total_requests"] == before


def test_discovered_leads_feed_the_batch_module_unchanged(harness: Harness) -> None:
    setup(harness)
    run = harness.run(PLAYBOOK, {"localhost": {"queries": [{"unconverted_leads": True}], "convert": True}})
    (discovered,) = run.items()
    facts = run.fact()
    conversion, again = facts["conversion"], facts["again"]
    assert conversion.get("failed") is not True, conversion
    assert conversion["batch"]["counts"]["total"] == len(UNCONVERTED_QUALIFIED)
    stats = harness.stats()
    assert stats["duplicates"] == 0
    for eng_id, context in UNCONVERTED_QUALIFIED:
        assert f"Sandbox/{eng_id}/{context}" in stats["opportunities"], (eng_id, context)
    # Every lead is now known converted: eng 1's only lead, and the two leads of eng 3 and eng 4, whose two tasks
    # (naming the new CustomerProject contexts) can only be one each.
    assert pairs(again) == []
    assert again["discovery"]["converted"] == 7
