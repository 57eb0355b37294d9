# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The leads of one engagement converted one at a time in real ansible-playbook runs, in both context-id modes.

The engine-level test (test_engine_lead_attribution.py) tries every order; this one runs a smaller set through
ansible-playbook, one playbook run per step, with one inventory host per engagement (all hosts at once):
- the single module, each step naming one lead (2 leads in both orders; 2 of 3 leads), then every lead again;
- the role, with one-item lists (two steps), after another tool converted one lead, after a FAILED task, and with a
  list naming all leads, then a run naming every lead of every engagement.
Each lead is changed=true exactly once, holds one opportunity, and the last runs start no task.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from typing import Any
from typing import Dict

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import playbook_command
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import run_scenarios

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SINGLE = "module_opportunity_from_engagement.yml"
ROLE = "role_opportunities_from_engagements.yml"
START = "StartOpportunityFromEngagementTask"
MODES = ("new", "requested")
# Single-module hosts: the number of leads of the host's engagement and the order they are converted in (of three
# leads two convert: an engagement holds at most 5 contexts; the third's refusal is tested at the engine level).
SINGLE_ORDERS = {"single-1-2": (2, ["1", "2"]), "single-2-1": (2, ["2", "1"]), "single-3-of-3-then-1": (3, ["3", "1"])}
# Role hosts: the one-item lists of the two steps.
ROLE_STEPS = {
    "role-one-at-a-time": [["2"], ["1"]],
    "role-after-tool": [["2"], ["1"]],  # another tool converted lead 1 first
    "role-after-failure": [["1", "2"], ["1"]],  # lead 1 is not qualified at the first step: its task FAILS
    "role-all": [["1", "2"], []],
}


def add_engagement(harness: Harness, leads: int) -> str:
    first = harness.emulator.admin.add_lead(qualification_status="Qualified")
    for _number in range(leads - 1):
        harness.emulator.admin.add_lead(engagement=first["engagement_id"], qualification_status="Qualified")
    return first["engagement_id"]


def run_role(harness: Harness, hosts: Dict[str, Dict[str, Any]], name: str) -> Dict[str, Any]:
    """The role on every host (its partnercentral_engagements), each writing its partnercentral_batch fact."""
    run_dir = harness.workdir / name
    run_dir.mkdir()
    with_results = {
        host: {
            "results_file": str(run_dir / f"{host}.json"),
            "partnercentral_catalog": "Sandbox",
            "partnercentral_fail_on_error": False,
            "partnercentral_write_rate": 20,
            **host_vars,
        }
        for host, host_vars in hosts.items()
    }
    playbook = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks", ROLE)
    command = playbook_command(run_dir, with_results, playbook)
    proc = subprocess.run(command, env=harness.env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    return {host: json.loads((run_dir / f"{host}.json").read_text(encoding="utf-8")) for host in hosts}


def scenario(mode: str):
    def run(harness: Harness) -> Dict[str, Any]:
        harness.reset(context_id_mode=mode, engagements=0, write_tps=0, read_tps=0)
        engagements = {host: add_engagement(harness, count) for host, (count, _order) in SINGLE_ORDERS.items()}
        engagements.update({host: add_engagement(harness, 2) for host in ROLE_STEPS})
        client = harness.emulator.client()
        client.start_opportunity_from_engagement_task(
            Catalog="Sandbox",
            Identifier=engagements["role-after-tool"],
            ContextIdentifier="1",
            ClientToken=str(uuid.uuid4()),
        )
        harness.emulator.admin.set_qualification(engagements["role-after-failure"], "1", "Unqualified")
        result: Dict[str, Any] = {"engagements": engagements, "single": [], "role": [], "stats": []}

        def single_step(step: int) -> Dict[str, Any]:
            hosts = {
                host: {"conversions": [{"identifier": engagements[host], "context_identifier": order[step]}]}
                for host, (_count, order) in SINGLE_ORDERS.items()
            }
            return harness.run(SINGLE, hosts).data["results"]

        for step in range(2):
            result["single"].append(single_step(step))
        for step in range(2):
            if step == 1:
                harness.emulator.admin.set_qualification(engagements["role-after-failure"], "1", "Qualified")
            hosts = {
                host: {
                    "partnercentral_engagements": [
                        {"identifier": engagements[host], "context_identifier": lead} for lead in steps[step]
                    ]
                }
                for host, steps in ROLE_STEPS.items()
            }
            result["role"].append(run_role(harness, hosts, f"role{step}"))
        result["stats"].append(harness.stats())
        # Every converted lead again: the single module over each, then the role naming all of them.
        rerun = {
            host: {"conversions": [{"identifier": engagements[host], "context_identifier": lead} for lead in order]}
            for host, (_count, order) in SINGLE_ORDERS.items()
        }
        result["single_rerun"] = harness.run(SINGLE, rerun).data["results"]
        role_all = {
            "role-every-lead": {
                "partnercentral_engagements": [
                    {"identifier": engagement_id, "context_identifier": lead}
                    for host, engagement_id in engagements.items()
                    for lead in (sorted(SINGLE_ORDERS[host][1]) if host in SINGLE_ORDERS else ["1", "2"])
                ]
            }
        }
        result["role_rerun"] = run_role(harness, role_all, "role-rerun")["role-every-lead"]
        result["stats"].append(harness.stats())
        return result

    return run


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: Any):
    yield from run_scenarios(tmp_path_factory, {"engagements": 0}, {f"mode-{mode}": scenario(mode) for mode in MODES})


@pytest.mark.parametrize("mode", MODES)
def test_single_module_converts_each_lead_once_in_its_order(scenarios: Any, mode: str) -> None:
    result = scenarios[f"mode-{mode}"].result()
    for host, (_count, order) in SINGLE_ORDERS.items():
        for step, lead in enumerate(order):
            (item,) = result["single"][step][host]
            assert item["item"]["context_identifier"] == lead
            assert (item["status"], item["changed"]) == ("created", True), (host, step, item)
        again = result["single_rerun"][host]
        assert [(item["status"], item["changed"]) for item in again] == [("already_done", False)] * len(again), again


@pytest.mark.parametrize("mode", MODES)
def test_role_runs_convert_each_lead_once(scenarios: Any, mode: str) -> None:
    result = scenarios[f"mode-{mode}"].result()
    first, second = result["role"]
    status = {
        host: ([item["status"] for item in first[host]["items"]], [item["status"] for item in second[host]["items"]])
        for host in ROLE_STEPS
    }
    assert status["role-one-at-a-time"] == (["created"], ["created"])
    assert status["role-after-tool"] == (["created"], ["already_done"])
    assert status["role-after-failure"] == (["failed", "created"], ["created"])
    assert status["role-all"] == (["created", "created"], [])
    rerun = result["role_rerun"]
    assert {item["status"] for item in rerun["items"]} == {"already_done"}, rerun["items"]
    assert not rerun["changed"]


@pytest.mark.parametrize("mode", MODES)
def test_one_opportunity_per_lead_and_reruns_start_no_task(scenarios: Any, mode: str) -> None:
    result = scenarios[f"mode-{mode}"].result()
    before, after = result["stats"]
    assert after["duplicates"] == 0
    assert after["tasks"] == before["tasks"], "a re-run started a task"
    accepted = after["requests"][START].get("200", 0) - before["requests"][START].get("200", 0)
    assert accepted == after["replays"] - before["replays"]
    if mode == "requested":
        # Each task names its lead: nothing to replay.
        assert sum(after["requests"][START].values()) == sum(before["requests"][START].values())
    expected = {
        f"Sandbox/{result['engagements'][host]}/{lead}"
        for host, (_count, order) in SINGLE_ORDERS.items()
        for lead in order
    } | {f"Sandbox/{result['engagements'][host]}/{lead}" for host in ROLE_STEPS for lead in ("1", "2")}
    assert set(after["opportunities"]) == expected
    assert all(len(ids) == 1 for ids in after["opportunities"].values())
