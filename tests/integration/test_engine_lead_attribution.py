# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Each lead context of a two-lead engagement is converted exactly once, whatever the order and whoever converts.

The engine runs in-process against the emulator (a real botocore client over HTTP). Every sequence of runs ends with
a run that names both leads, then its re-run: that must find both converted without a write, and the emulator must
hold exactly one opportunity per lead. "tool" steps convert a lead the way another tool would: a Start with a token
of its own.
"""

from __future__ import annotations

import uuid

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine

START = "StartOpportunityFromEngagementTask"
BOTH = ("1", "2")

# Each step: ("run", contexts the batch names) or ("tool", the context another tool converts).
SEQUENCES = {
    "lead 1, then lead 2": [("run", ["1"]), ("run", ["2"])],
    "lead 2, then lead 1": [("run", ["2"]), ("run", ["1"])],
    "both in one run": [("run", ["1", "2"])],
    "tool lead 1, then lead 2": [("tool", "1"), ("run", ["2"])],
    "tool lead 2, then lead 2": [("tool", "2"), ("run", ["2"])],
    "tool lead 2, then both": [("tool", "2"), ("run", ["1", "2"])],
    "lead 1, tool lead 2, then lead 2": [("run", ["1"]), ("tool", "2"), ("run", ["2"])],
    "tool both, then both": [("tool", "1"), ("tool", "2"), ("run", ["1", "2"])],
}


def two_lead_engagement(emulator) -> str:
    first = emulator.admin.add_lead(qualification_status="Qualified")
    emulator.admin.add_lead(engagement=first["engagement_id"], qualification_status="Qualified")
    return first["engagement_id"]


def run_engine(emulator, engagement_id, contexts, carry_leads):
    items = []
    for context in contexts:
        item = {"identifier": engagement_id, "context_identifier": context}
        if carry_leads:
            # What discovery learned from GetEngagement travels with the item.
            item.update(origin="discovery", lead_contexts=list(BOTH))
        items.append(item)
    engine = ConversionEngine(emulator.client(), "Sandbox", write_rate=50, read_rate=50)
    return engine.run(items)


def starts(emulator) -> int:
    return sum(emulator.stats()["requests"].get(START, {}).values())


def cases():
    """Discovery items carry the engagement's leads; an explicit list knows the leads it names, so the sequences
    whose runs name one lead only run with discovery items (see the attribution rule in docs/role.md)."""
    for sequence, steps in SEQUENCES.items():
        explicit_ok = all(kind == "tool" or len(contexts) == 2 for kind, contexts in steps)
        for mode in ("new", "requested"):
            yield pytest.param(sequence, mode, True, id=f"{sequence}-{mode}-discovery items")
            if explicit_ok:
                yield pytest.param(sequence, mode, False, id=f"{sequence}-{mode}-explicit items")


@pytest.mark.parametrize("sequence, mode, carry_leads", list(cases()))
def test_each_lead_is_converted_exactly_once(emulator, sequence, mode, carry_leads):
    steps = SEQUENCES[sequence]
    emulator.configure(context_id_mode=mode, write_tps=0, read_tps=0)
    engagement_id = two_lead_engagement(emulator)
    client = emulator.client()
    for kind, what in steps:
        if kind == "tool":
            client.start_opportunity_from_engagement_task(
                Catalog="Sandbox", Identifier=engagement_id, ContextIdentifier=what, ClientToken=str(uuid.uuid4())
            )
            continue
        summary = run_engine(emulator, engagement_id, what, carry_leads)
        assert summary["counts"]["errors"] == 0, summary["items"]

    # A run that names both leads converts what the sequence left open; its re-run writes nothing.
    assert run_engine(emulator, engagement_id, BOTH, carry_leads)["counts"]["errors"] == 0
    before = starts(emulator)
    final = run_engine(emulator, engagement_id, BOTH, carry_leads)
    assert [item["status"] for item in final["items"]] == ["already_done", "already_done"], final["items"]
    assert starts(emulator) == before, "the last run sent a write"
    stats = emulator.stats()
    assert stats["duplicates"] == 0
    assert sorted(stats["opportunities"]) == [f"Sandbox/{engagement_id}/{context}" for context in BOTH]
