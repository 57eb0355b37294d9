# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch module on the controller: in a process forked from ansible's worker, or as a module process.

On a local connection without become, the batch module's action plugin runs the module in a fork of the worker when
the module would run with ansible-playbook's own Python (plugins/plugin_utils/_module_fork.py). A host whose
ansible_python_interpreter names another path (here a symlink to the same Python) gets a module process, as before.
Both runs convert their own engagements with the credentials given only in the task's environment, with and without
progress lines; the tests compare what the two ways return and check which way each host took.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.support import ENDPOINT_VARIABLE

pytestmark = pytest.mark.integration

PLAYBOOK = "module_opportunities_from_engagements.yml"
FORK_LINE = "in a process forked from the worker"
BATCH_PAYLOAD = "AnsiballZ_partnercentral_opportunities_from_engagements.py"
PER_HOST = 3
HOSTS = ("forked", "forked_quiet", "process", "process_quiet")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: Any) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("batch-fork")
    harness = Harness(workdir, {"engagements": PER_HOST * len(HOSTS), "task_latency": 0.2, "write_tps": 20})
    try:
        ids = [engagement["id"] for engagement in harness.emulator.engagements("Sandbox")]
        other_python = workdir / "python-by-another-name"
        other_python.symlink_to(sys.executable)
        keys = {key: harness.env[key] for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", ENDPOINT_VARIABLE)}
        # No keys, profile or endpoint in ansible-playbook's environment: only the task's environment holds them.
        env = harness.bare_env()
        env["ANSIBLE_KEEP_REMOTE_FILES"] = "1"
        result: dict[str, Any] = {"keys": keys}
        for name in ("forked", "process"):
            hosts = {}
            for quiet in (False, True):
                host = f"{name}_quiet" if quiet else name
                start = HOSTS.index(host) * PER_HOST
                hosts[host] = {
                    "engagements": [
                        {"identifier": i, "context_identifier": "1"} for i in ids[start : start + PER_HOST]
                    ],
                    "progress_interval": 0 if quiet else 1,
                    "task_environment": keys,
                }
                if name == "process":
                    hosts[host]["ansible_python_interpreter"] = str(other_python)
            before = set(payloads(env["ANSIBLE_REMOTE_TMP"]))
            result[name] = harness.run(PLAYBOOK, hosts, "-vvv", env=env)
            result[f"{name}_payloads"] = set(payloads(env["ANSIBLE_REMOTE_TMP"])) - before
        result["stats"] = harness.stats()
        return result
    finally:
        harness.close()


def payloads(remote_tmp: str) -> list[str]:
    """The AnsiballZ files of the batch module that ansible kept (ANSIBLE_KEEP_REMOTE_FILES)."""
    found = []
    for directory, _dirs, files in os.walk(remote_tmp):
        found += [os.path.join(directory, name) for name in files if name == BATCH_PAYLOAD]
    return found


def test_each_host_took_the_way_its_python_allows(runs):
    assert runs["forked"].stdout.count(FORK_LINE) == 4, runs["forked"].output()  # 2 hosts x 2 tasks
    assert runs["forked_payloads"] == set()
    assert FORK_LINE not in runs["process"].stdout
    assert len(runs["process_payloads"]) == 4


def test_both_ways_convert_with_the_task_environment(runs):
    for name in HOSTS:
        run = runs["process" if name.startswith("process") else "forked"]
        converted = run.data["converted"][name]
        assert not converted.get("failed"), run.output()
        assert converted["changed"] is True, (name, converted)
        assert [item["status"] for item in converted["batch"]["items"]] == ["created"] * PER_HOST
        assert converted["batch"]["counts"]["total"] == PER_HOST
    assert runs["stats"]["writes_accepted"] == PER_HOST * len(HOSTS)
    assert runs["stats"]["duplicates"] == 0


def test_both_ways_return_the_same_result(runs):
    def shape(result: dict[str, Any]) -> Any:
        batch = result["batch"]
        return (
            sorted(result),
            sorted(batch),
            sorted(batch["counts"].items()),
            [sorted(item) for item in batch["items"]],
            result["msg"].split(";")[0].split(":")[0],
        )

    forked = runs["forked"].data["converted"]
    process = runs["process"].data["converted"]
    assert shape(forked["forked"]) == shape(process["process"])
    assert shape(forked["forked_quiet"]) == shape(process["process_quiet"])
    for name in ("forked", "process"):
        lines = [line for line in runs[name].stdout.splitlines() if line.startswith("partnercentral batch done")]
        assert [line.split("]")[0] for line in lines] == [f"partnercentral batch done [{name}"], runs[name].output()


def test_both_ways_refuse_bad_input_alike(runs):
    forked = runs["forked"].data["refused"]["forked"]
    process = runs["process"].data["refused"]["process"]
    assert forked["failed"] is True and process["failed"] is True
    assert "catalog" in forked["msg"] and "Nowhere" in forked["msg"]
    assert forked["msg"] == process["msg"]
    # Refused before any call: every Start request was one of the accepted conversions.
    assert sum(runs["stats"]["requests"]["StartOpportunityFromEngagementTask"].values()) == PER_HOST * len(HOSTS)


def test_the_fork_prints_no_secret_even_at_vvv(runs):
    # A module process shows the task's environment in ansible's -vvv EXEC line; a fork has no command line to show.
    secret = runs["keys"]["AWS_SECRET_ACCESS_KEY"]
    assert secret not in runs["forked"].stdout + runs["forked"].stderr
