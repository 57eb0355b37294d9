# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The converted-lead rule (lead_conversion_evidence), and Discovery's grouped, paced reads on a stubbed client."""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict
from typing import List

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import list_engagements
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import Discovery
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import lead_conversion_evidence
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import T0
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_task
from botocore.stub import ANY


def lead(context_id: str, status: str = "Qualified") -> Dict[str, Any]:
    return {
        "Id": context_id,
        "Type": "Lead",
        "Payload": {
            "Lead": {
                "QualificationStatus": status,
                # Address and the interaction's source and action are required by the model of the oldest botocore.
                "Customer": {"CompanyName": f"Company {context_id}", "Address": {"CountryCode": "US"}},
                "Interactions": [
                    {
                        "SourceType": "Event",
                        "SourceId": "event-1",
                        "SourceName": "re:Invent",
                        "CustomerAction": "Visited the booth",
                        "Contact": {
                            "BusinessTitle": "CTO",
                            "Email": "a@example.com",
                            "FirstName": "A",
                            "LastName": "B",
                        },
                    }
                ],
            }
        },
    }


PROJECT = {"Id": "9", "Type": "CustomerProject"}


def task(context_id: str, status: str = "COMPLETE", n: int = 1) -> Dict[str, Any]:
    return make_task(n, engagement(1), context_id, status=status)


# ---- the rule ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["COMPLETE", "IN_PROGRESS"])
def test_a_task_of_the_leads_own_context_converts_it(status):
    assert lead_conversion_evidence([lead("1"), lead("2")], "2", [task("2", status)])
    assert "for context 1" in lead_conversion_evidence([lead("1")], "1", [task("1", status)])


def test_a_failed_task_never_counts():
    assert lead_conversion_evidence([lead("1")], "1", [task("1", "FAILED"), task("3", "FAILED")]) is None


def test_one_lead_and_a_newer_task_context_is_converted():
    evidence = lead_conversion_evidence([lead("1"), {"Id": "2", "Type": "CustomerProject"}], "1", [task("2")])
    assert evidence and "newer" in evidence
    assert lead_conversion_evidence([lead("1")], "1", [task("2", "IN_PROGRESS")])


def test_one_lead_and_an_older_task_context_is_not_attributed():
    assert lead_conversion_evidence([{"Id": "1", "Type": "ProspectingResult"}, lead("2")], "2", [task("1")]) is None


def test_one_lead_and_a_customer_project_context_is_converted():
    evidence = lead_conversion_evidence([lead("1"), PROJECT], "1", [])
    assert evidence and "CustomerProject" in evidence


def test_several_leads_and_only_other_contexts_are_not_known_converted():
    contexts = [lead("1"), lead("2"), {"Id": "3", "Type": "CustomerProject"}]
    assert lead_conversion_evidence(contexts, "1", [task("3")]) is None
    assert lead_conversion_evidence(contexts, "2", [task("3")]) is None
    # The exact match still tells, for that lead only.
    assert lead_conversion_evidence(contexts, "1", [task("1")])
    assert lead_conversion_evidence(contexts, "2", [task("1")]) is None


def test_no_task_and_no_customer_project_is_not_converted():
    assert lead_conversion_evidence([lead("1")], "1", []) is None


# ---- Discovery ---------------------------------------------------------------------------------------------------


def get_answer(n: int, contexts: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {
        "Id": engagement(n),
        "Arn": f"arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/{engagement(n)}",
        "Title": f"Engagement {n}",
        "CreatedAt": T0 + datetime.timedelta(minutes=n),
        "CreatedBy": "999988887777",
        "Contexts": contexts,
    }


def summary(n: int) -> Dict[str, Any]:
    return {"Id": engagement(n), "CreatedAt": T0 + datetime.timedelta(minutes=n), "ContextTypes": ["Lead"]}


def expect_get(api: Any, n: int, contexts: List[Dict[str, Any]]) -> None:
    api.stubber.add_response(
        "get_engagement", get_answer(n, contexts), {"Catalog": "Sandbox", "Identifier": engagement(n)}
    )


def test_discovery_selects_by_qualification_status_and_the_rule(api, clock):
    pace = ConversionEngine(api.client, "Sandbox", read_rate=5.0, clock=clock, sleep=clock.sleep)
    data = {
        1: [lead("1")],  # converted: own task
        2: [lead("1"), lead("2")],  # two leads, the task names context 3: both listed
        3: [lead("1", "Unqualified")],
        4: [lead("1"), PROJECT],  # converted by another tool
        5: [{"Id": "1", "Type": "CustomerProject"}],  # no lead: no task lookup for it
    }
    for n, contexts in data.items():
        expect_get(api, n, contexts)
    tasks = [make_task(1, engagement(1), "1"), make_task(2, engagement(2), "3")]
    api.expect_lookup([engagement(n) for n in (1, 2, 3, 4)], tasks)
    found = Discovery(api.client, "Sandbox", pace._pace_read).unconverted_leads(
        [summary(n) for n in data], ["Qualified"], max_count=0
    )
    assert [(item["identifier"], item["context_identifier"]) for item in found["leads"]] == [
        (engagement(2), "1"),
        (engagement(2), "2"),
    ]
    first = found["leads"][0]
    assert first["qualification_status"] == "Qualified" and first["customer"] == {
        "company_name": "Company 1",
        "address": {"country_code": "US"},
    }
    assert first["engagement_created_at"] == (T0 + datetime.timedelta(minutes=2)).isoformat()
    assert pace.calls["reads"] == 6


def test_discovery_of_1000_engagements_stays_within_the_read_rate(api, clock):
    """1,000 engagements: 10 List pages, 1,000 Gets, 100 task lookups, every read paced at read_rate."""
    engine = ConversionEngine(api.client, "Sandbox", read_rate=5.0, clock=clock, sleep=clock.sleep)
    count = 1000
    for page in range(10):
        answer: Dict[str, Any] = {"EngagementSummaryList": [summary(n) for n in range(page * 100, page * 100 + 100)]}
        if page < 9:
            answer["NextToken"] = f"page{page + 1}"
        expected = {"Catalog": "Sandbox", "MaxResults": 100, "Sort": ANY, "ContextTypes": ["Lead"]}
        if page:
            expected["NextToken"] = f"page{page}"
        api.stubber.add_response("list_engagements", answer, expected)
    for group in range(0, count, 10):
        for n in range(group, group + 10):
            expect_get(api, n, [lead("1")])
        api.expect_lookup([engagement(n) for n in range(group, group + 10)], [])
    summaries = list_engagements(
        api.client, "Sandbox", context_types=["Lead"], sort_order="ASCENDING", pace=engine._pace_read
    )
    found = Discovery(api.client, "Sandbox", engine._pace_read).unconverted_leads(summaries, ["Qualified"])
    assert len(found["leads"]) == count
    reads = api.calls
    assert len(reads) == engine.calls["reads"] == 10 + 1000 + 100
    times = [call["time"] for call in reads]
    # No two reads closer than 1/read_rate, and no second of the run with more than the 10 reads the quota allows.
    assert min(later - earlier for earlier, later in zip(times, times[1:])) >= 0.2 - 1e-9
    per_second: Dict[int, int] = {}
    for moment in times:
        per_second[int(moment)] = per_second.get(int(moment), 0) + 1
    assert max(per_second.values()) <= 5
    print(f"\n1000 engagements: {len(reads)} reads over {clock.elapsed:.0f} s of the fake clock at 5 reads/s")


def test_discovery_stops_reading_once_max_count_leads_are_selected(api, clock):
    for n in range(10):
        expect_get(api, n, [lead("1")])
    api.expect_lookup([engagement(n) for n in range(10)], [])
    discovery = Discovery(api.client, "Sandbox")
    found = discovery.unconverted_leads([summary(n) for n in range(25)], ["Qualified"], max_count=3)
    # The first group of ten gave enough: the other 15 engagements are never read.
    assert len(found["leads"]) == 3 and len(found["engagements"]) == 10
    assert discovery.counts["over_max_count"] == 7 and discovery.counts["engagements_read"] == 10
