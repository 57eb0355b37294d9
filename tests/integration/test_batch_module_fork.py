# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch module on the controller: as a module process (the default), or in the opt-in controller fork.

On a local connection without become, a host with ``partnercentral_controller_fork: true`` runs the batch module in a
process forked from ansible's worker when the module would run with ansible-playbook's own Python
(plugins/plugin_utils/_module_fork.py). Without the variable the module runs as a module process; with the variable
and another ansible_python_interpreter (here a script that runs the same Python) too, and -vvv says why. All runs
convert their own engagements with the credentials given only in the task's environment, with and without progress
lines; the tests compare what the ways return (results, warnings, deprecations) and check which way each host took,
and that the worker had no other thread alive when it forked.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.support import ENDPOINT_VARIABLE

pytestmark = pytest.mark.integration

PLAYBOOK = "module_opportunities_from_engagements.yml"
FORK_LINE = "in a process forked from the worker"
REFUSED_LINE = "partnercentral_controller_fork is set, but the module runs as a module process"
PER_HOST = 3
HOSTS = ("forked", "forked_quiet", "process", "process_quiet", "other_python")
# Batch tasks per host in the playbook (convert, refuse, warn).
TASKS = 3


@pytest.fixture(scope="module")
def runs(tmp_path_factory: Any) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("batch-fork")
    harness = Harness(workdir, {"engagements": PER_HOST * len(HOSTS), "task_latency": 0.2, "write_tps": 20})
    try:
        ids = [engagement["id"] for engagement in harness.emulator.engagements("Sandbox")]
        # A script, not a symlink: Python started through a symlink outside the virtualenv finds no pyvenv.cfg beside
        # it and runs as the base interpreter, without the virtualenv's boto3 (pyenv's 3.11 has a boto3 of its own,
        # which hid this; 3.12 and 3.13 have none).
        other_python = workdir / "python-by-another-name"
        other_python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        other_python.chmod(0o755)
        keys = {key: harness.env[key] for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", ENDPOINT_VARIABLE)}
        # No keys, profile or endpoint in ansible-playbook's environment: only the task's environment holds them.
        env = harness.bare_env()
        result: dict[str, Any] = {"keys": keys}
        for name, members in (("forked", HOSTS[:2]), ("process", HOSTS[2:])):
            hosts = {}
            for host in members:
                start = HOSTS.index(host) * PER_HOST
                hosts[host] = {
                    "engagements": [
                        {"identifier": i, "context_identifier": "1"} for i in ids[start : start + PER_HOST]
                    ],
                    "progress_interval": 0 if host.endswith("_quiet") else 1,
                    "task_environment": keys,
                }
                if host != "process" and host != "process_quiet":
                    hosts[host]["partnercentral_controller_fork"] = True
                if host == "other_python":
                    hosts[host]["ansible_python_interpreter"] = str(other_python)
            # Each forked child writes down how many threads the worker had when it forked.
            threads_file = workdir / f"{name}-threads"
            run_env = dict(env, PARTNERCENTRAL_FORK_THREADS_FILE=str(threads_file))
            result[name] = harness.run(PLAYBOOK, hosts, "-vvv", env=run_env)
            result[f"{name}_threads"] = threads_file.read_text().split() if threads_file.exists() else []
        result["stats"] = harness.stats()
        return result
    finally:
        harness.close()


def test_each_host_took_the_way_it_asked_for_and_its_python_allows(runs):
    assert runs["forked"].stdout.count(FORK_LINE) == 2 * TASKS, runs["forked"].output()
    assert REFUSED_LINE not in runs["forked"].stdout
    assert FORK_LINE not in runs["process"].stdout
    # Only the host that opted in says why it did not fork: its interpreter is not ansible-playbook's Python.
    assert runs["process"].stdout.count(REFUSED_LINE) == TASKS, runs["process"].output()
    assert "ansible_python_interpreter is not ansible-playbook's Python" in runs["process"].stdout
    assert runs["process_threads"] == []


def test_no_other_thread_was_alive_when_the_worker_forked(runs):
    # One line per forked module run, written by the child: threading.active_count() in the worker at fork time.
    assert runs["forked_threads"] == ["1"] * (2 * TASKS), runs["forked"].output()


def test_both_ways_convert_with_the_task_environment(runs):
    for name in HOSTS:
        run = runs["forked" if name.startswith("forked") else "process"]
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
    for name, loud in (("forked", {"forked"}), ("process", {"process", "other_python"})):
        lines = [line for line in runs[name].stdout.splitlines() if line.startswith("partnercentral batch done [")]
        # The converting task of each host with progress lines ends with one (the warning task has no items).
        done = {line.split("[", 1)[1].split("]")[0] for line in lines if "0 of 0" not in line}
        assert done == loud, runs[name].output()


def test_warnings_and_deprecations_reach_the_result_as_from_a_module_process(runs):
    def notes(result: dict[str, Any]) -> tuple:
        return result.get("warnings"), result.get("deprecations")

    forked = runs["forked"].data["warned"]
    process = runs["process"].data["warned"]
    for host, result in {**forked, **process}.items():
        assert not result.get("failed"), (host, result)
        assert any("aws_endpoint_url" in str(warning) for warning in result.get("warnings") or []), (host, result)
    assert notes(forked["forked"]) == notes(process["process"]) == notes(process["other_python"])
    assert notes(forked["forked_quiet"]) == notes(process["process_quiet"])
    # The warnings of the converting task too: none from either way.
    assert notes(runs["forked"].data["converted"]["forked"]) == notes(runs["process"].data["converted"]["process"])
    # ansible shows it (once: its display does not repeat a warning).
    for name in ("forked", "process"):
        output = runs[name].stdout + runs[name].stderr
        shown = [line for line in output.splitlines() if "[WARNING]" in line and "aws_endpoint_url" in line]
        assert len(shown) == 1, runs[name].output()


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
