# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Each lead context of an engagement with 2 or 3 leads is converted exactly once, whatever the order and whoever
converts, in both of the emulator's context-id modes ("new": a COMPLETE task names the CustomerProject context that
its conversion created, as in AWS's sample; "requested": it names the lead).

The engine runs in-process against the emulator (a real botocore client over HTTP), as the single module runs it: a
batch of one item that names one lead, without the engagement's other leads. Every order of converting the leads one
at a time is tried; then the leads are converted again one at a time and all together, which must find each
converted without a Start request, and the emulator must hold exactly one opportunity per lead. The playbook runs of
the same promise (single module, one-item role runs, a role run naming all) are in test_lead_attribution_playbooks.py.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine

START = "StartOpportunityFromEngagementTask"
GET = "GetEngagement"
MODES = ("new", "requested")
MAX_CONTEXTS = 5
ORDERS = [order for count in (2, 3) for order in itertools.permutations([str(n) for n in range(1, count + 1)])]


def engagement_with_leads(emulator: Any, count: int) -> str:
    """An engagement with `count` qualified Lead contexts 1..count (CreateEngagementContext, as AWS adds them)."""
    first = emulator.admin.add_lead(qualification_status="Qualified")
    for _number in range(count - 1):
        emulator.admin.add_lead(engagement=first["engagement_id"], qualification_status="Qualified")
    return first["engagement_id"]


def convert(emulator: Any, engagement_id: str, contexts: List[str], lead_contexts: Optional[List[str]] = None):
    """One engine run over items naming `contexts` (with lead_contexts: as discovery's items carry them)."""
    items: List[Dict[str, Any]] = []
    for context in contexts:
        item: Dict[str, Any] = {"identifier": engagement_id, "context_identifier": context}
        if lead_contexts:
            item.update(origin="discovery", lead_contexts=lead_contexts)
        items.append(item)
    return ConversionEngine(emulator.client(), "Sandbox", write_rate=50, read_rate=50).run(items)


def requests(emulator: Any, operation: str) -> int:
    return sum(emulator.stats()["requests"].get(operation, {}).values())


def converted(emulator: Any, engagement_id: str) -> Dict[str, int]:
    """Lead context -> opportunities the emulator holds for it."""
    prefix = f"Sandbox/{engagement_id}/"
    return {
        key[len(prefix) :]: len(ids) for key, ids in emulator.stats()["opportunities"].items() if key.startswith(prefix)
    }


def tool_converts(emulator: Any, engagement_id: str, context: str) -> None:
    """Another tool converts a lead: a Start with a token of its own."""
    emulator.client().start_opportunity_from_engagement_task(
        Catalog="Sandbox", Identifier=engagement_id, ContextIdentifier=context, ClientToken=str(uuid.uuid4())
    )


def convert_one(emulator: Any, engagement_id: str, lead: str) -> Dict[str, Any]:
    summary = convert(emulator, engagement_id, [lead])
    assert summary["counts"]["errors"] == 0 and summary["stopped"] is None, [
        (item["status"], item["message"]) for item in summary["items"]
    ]
    return summary["items"][0]


def assert_rerun_changes_nothing(emulator: Any, engagement_id: str, leads: List[str], strict: bool) -> None:
    """Each converted lead again alone, then all together: already done, nothing new at the service.

    strict: not even a Start request. Otherwise (three leads, two converted, in "new" mode: no data says which two)
    the engine may replay a lead's stable client token, which answers its earlier task or is refused (another tool
    converted the lead), and creates nothing.
    """
    before = emulator.stats()
    for lead in leads:
        result = convert_one(emulator, engagement_id, lead)
        assert (result["status"], result["changed"]) == ("already_done", False), result
    summary = convert(emulator, engagement_id, leads)
    assert [item["status"] for item in summary["items"]] == ["already_done"] * len(leads), summary["items"]
    assert not summary["changed"]
    after = emulator.stats()
    starts = requests_in(after, START) - requests_in(before, START)
    accepted = requests_in(after, START, "200") - requests_in(before, START, "200")
    assert after["tasks"] == before["tasks"], "a re-run started a task"
    # A replayed token answers its earlier task; a token that never converted the lead (another tool did) is refused.
    assert accepted == after["replays"] - before["replays"], "a re-run's accepted Start was not a replay"
    if strict:
        assert starts == 0, "a re-run sent a Start request"
    assert converted(emulator, engagement_id) == {lead: 1 for lead in leads}
    assert after["duplicates"] == 0


def requests_in(stats: Dict[str, Any], operation: str, status: Optional[str] = None) -> int:
    counts = stats["requests"].get(operation, {})
    return counts.get(status, 0) if status else sum(counts.values())


def conversions(count: int) -> int:
    """How many leads of an engagement with `count` leads can convert: each conversion adds a CustomerProject
    context, and an engagement holds at most 5 contexts (the model's EngagementContexts)."""
    return min(count, MAX_CONTEXTS - count)


def assert_full(result: Dict[str, Any]) -> None:
    """A lead that the full engagement cannot convert is tried (never reported done) and FAILS at the service."""
    assert (result["status"], result["reason_code"]) == ("failed", "EngagementValidationFailed"), result
    assert "maximum of 5 contexts" in result["message"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", ORDERS, ids=["-".join(order) for order in ORDERS])
def test_leads_converted_one_at_a_time_in_any_order(emulator: Any, mode: str, order: tuple) -> None:
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagement_id = engagement_with_leads(emulator, len(order))
    done = list(order[: conversions(len(order))])
    for step, lead in enumerate(order):
        result = convert(emulator, engagement_id, [lead])["items"][0]
        if lead not in done:
            assert_full(result)
            continue
        assert (result["status"], result["changed"]) == ("created", True), (step, result)
        assert converted(emulator, engagement_id) == {lead: 1 for lead in order[: step + 1]}
    assert_rerun_changes_nothing(emulator, engagement_id, sorted(done), strict=mode == "requested" or len(order) == 2)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count, tool_lead", [(2, "1"), (2, "2"), (3, "1"), (3, "2"), (3, "3")])
def test_a_lead_that_another_tool_converted_first(emulator: Any, mode: str, count: int, tool_lead: str) -> None:
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagement_id = engagement_with_leads(emulator, count)
    tool_converts(emulator, engagement_id, tool_lead)
    others = [str(n) for n in range(1, count + 1) if str(n) != tool_lead]
    created = others[: conversions(count) - 1]
    for lead in others:
        result = convert(emulator, engagement_id, [lead])["items"][0]
        if lead in created:
            assert (result["status"], result["changed"]) == ("created", True), result
        else:
            assert_full(result)
    result = convert_one(emulator, engagement_id, tool_lead)
    assert (result["status"], result["changed"]) == ("already_done", False), result
    assert_rerun_changes_nothing(emulator, engagement_id, sorted(created + [tool_lead]), strict=False)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", [2, 3])
def test_a_lead_whose_conversion_failed_converts_on_the_next_run(emulator: Any, mode: str, count: int) -> None:
    # Lead 2 is not qualified yet: its conversion FAILS. Lead 1 converts meanwhile; once qualified, lead 2's next run
    # starts a new attempt (the FAILED task takes no opportunity and no other lead's place).
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagement_id = engagement_with_leads(emulator, count)
    emulator.admin.set_qualification(engagement_id, "2", "Unqualified")
    failed = convert(emulator, engagement_id, ["2"])["items"][0]
    assert (failed["status"], failed["reason_code"]) == ("failed", "EngagementValidationFailed"), failed
    assert convert_one(emulator, engagement_id, "1")["status"] == "created"
    emulator.admin.set_qualification(engagement_id, "2", "Qualified")
    result = convert_one(emulator, engagement_id, "2")
    assert (result["status"], result["changed"]) == ("created", True), result
    assert_rerun_changes_nothing(emulator, engagement_id, ["1", "2"], strict=mode == "requested" or count == 2)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", [2, 3])
def test_a_run_naming_all_leads_after_one_was_converted_alone(emulator: Any, mode: str, count: int) -> None:
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagement_id = engagement_with_leads(emulator, count)
    leads = [str(n) for n in range(1, count + 1)]
    assert convert_one(emulator, engagement_id, leads[-1])["status"] == "created"
    results = convert(emulator, engagement_id, leads)["items"]
    assert results[-1]["status"] == "already_done"
    assert [item["status"] for item in results[: conversions(count) - 1]] == ["created"] * (conversions(count) - 1)
    for result in results[conversions(count) - 1 : -1]:
        assert_full(result)
    done = leads[: conversions(count) - 1] + leads[-1:]
    assert_rerun_changes_nothing(emulator, engagement_id, done, strict=mode == "requested" or count == 2)


@pytest.mark.parametrize("mode", MODES)
def test_discovery_items_carry_the_leads_and_need_no_read(emulator: Any, mode: str) -> None:
    # Items that carry the engagement's lead contexts (discovery, the event source) give every lead: no GetEngagement.
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagement_id = engagement_with_leads(emulator, 2)
    leads = ["1", "2"]
    for lead in ("2", "1"):
        result = convert(emulator, engagement_id, [lead], lead_contexts=leads)["items"][0]
        assert (result["status"], result["changed"]) == ("created", True), result
    before = requests(emulator, START)
    again = convert(emulator, engagement_id, ["1"], lead_contexts=leads)["items"][0]
    assert again["status"] == "already_done" and requests(emulator, START) == before
    assert requests(emulator, GET) == 0
    assert converted(emulator, engagement_id) == {lead: 1 for lead in leads}


@pytest.mark.parametrize("mode", MODES)
def test_single_lead_rerun_reads_one_engagement_per_run(emulator: Any, mode: str) -> None:
    # The benchmark's re-run, small: in "new" mode the first engagement read teaches how tasks name their context,
    # and settles the others; in "requested" mode each task names its own lead and nothing is read.
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagements = [emulator.admin.add_lead(qualification_status="Qualified")["engagement_id"] for _number in range(12)]
    items = [{"identifier": engagement_id, "context_identifier": "1"} for engagement_id in engagements]
    ConversionEngine(emulator.client(), "Sandbox", write_rate=50, read_rate=50).run(items)
    before_get, before_start = requests(emulator, GET), requests(emulator, START)
    summary = ConversionEngine(emulator.client(), "Sandbox", write_rate=50, read_rate=50).run(items)
    assert {item["status"] for item in summary["items"]} == {"already_done"}
    assert requests(emulator, START) == before_start
    assert requests(emulator, GET) - before_get == (1 if mode == "new" else 0)
