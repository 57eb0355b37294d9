# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_opportunity_from_engagement with real ansible-playbook runs against the emulator, one test per
behaviour of its DOCUMENTATION.

ansible-playbook costs seconds per run, so each scenario (a module-scoped fixture) resets the emulator once, runs a
few playbooks, possibly with several hosts in parallel (one host = one independent sequence of module calls), and
keeps every registered result and the emulator's stats between runs; the tests then assert on those. Engagements are
named after the scenario that uses them, so the stats of one engagement never mix with another's.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import pytest
from docs_support import ansible_env
from partnercentral_emulator.pytest_plugin import EmulatorHandle

pytestmark = pytest.mark.integration

PLAYBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks")
CONVERT = os.path.join(PLAYBOOKS, "module_opportunity_from_engagement.yml")
DEFAULTS = os.path.join(PLAYBOOKS, "module_defaults.yml")
START = "StartOpportunityFromEngagementTask"
LIST = "ListOpportunityFromEngagementTasks"
TOKEN = re.compile(r"ansible-pcs-[0-9a-f]{40}")


def eng(label: str) -> str:
    """A valid engagement id that names the scenario using it."""
    return "eng-" + label.ljust(14, "0")


def lead(eng_id: str, status: str = "Qualified", *extra: dict[str, Any]) -> dict[str, Any]:
    contexts = [{"id": "1", "type": "Lead", "qualification_status": status}, *extra]
    return {"id": eng_id, "catalog": "Sandbox", "contexts": contexts}


# Scenario "converted" (default task semantics)
E_NEW = eng("convnew")
E_ARN = eng("convarn")
E_FRESH = eng("convfresh")
E_MISSING = eng("convmissing")
E_PROJECT = eng("convproject")
E_DISQUALIFIED = eng("convdisq")
E_UNKNOWN = eng("convunknown")  # not in the emulator
# Scenario "latency"
E_WAIT = eng("latwait")
E_TIMEOUT = eng("lattimeout")
# Scenario "faults"
E_FAULTS = [eng(f"faults{n}") for n in range(4)]
# Scenario "race"
E_RACE = eng("race")
# Scenario "connection"
E_DEFAULTS = eng("conndefaults")
E_PROFILE = eng("connprofile")
E_NO_CREDENTIALS = eng("connnocreds")

FIXTURE = {
    "engagements": [
        lead(E_NEW),
        lead(E_ARN),
        lead(E_FRESH),
        lead(E_MISSING),
        lead(E_PROJECT, "Qualified", {"id": "2", "type": "CustomerProject"}),
        lead(E_DISQUALIFIED, "Disqualified"),
        lead(E_WAIT),
        lead(E_TIMEOUT),
        *(lead(eng_id) for eng_id in E_FAULTS),
        lead(E_RACE),
        lead(E_DEFAULTS),
        lead(E_PROFILE),
        lead(E_NO_CREDENTIALS),
    ]
}


# ---- running playbooks ---------------------------------------------------------------------------------------------
@dataclass
class PlaybookRun:
    """One ansible-playbook run: exit code, output, and per host the JSON the playbook wrote."""

    rc: int
    stdout: str
    stderr: str
    hosts: dict[str, Any] = field(default_factory=dict)

    def output(self) -> str:
        return f"rc={self.rc}\nSTDOUT:\n{self.stdout[-6000:]}\nSTDERR:\n{self.stderr[-3000:]}"

    def items(self, host: str = "localhost") -> list[dict[str, Any]]:
        """The registered results of the host's loop, in order."""
        assert self.hosts.get(host) is not None, f"no results written for {host}\n{self.output()}"
        return self.hosts[host]["results"]


class Harness:
    """The session's emulator and a work dir: resets with this file's fixture and runs playbooks against it."""

    def __init__(self, server: Any, workdir: Any) -> None:
        self.emulator = EmulatorHandle(server)
        self.workdir = workdir
        self.env = ansible_env(self.emulator, workdir)
        self._runs = 0
        self._aws_dirs = 0

    def reset(self, **settings: Any) -> None:
        self.emulator.reset(fixture=FIXTURE, engagements=0, **settings)

    def stats(self) -> dict[str, Any]:
        return self.emulator.stats()

    def start(
        self,
        hosts: dict[str, dict[str, Any]],
        *options: str,
        playbook: str = CONVERT,
        env: dict[str, str] | None = None,
    ) -> Any:
        """Start ansible-playbook with one inventory host per key of `hosts` (its host vars), all hosts in parallel."""
        self._runs += 1
        run_dir = self.workdir / f"run{self._runs}"
        run_dir.mkdir()
        inventory = {
            "all": {
                "hosts": {
                    name: {
                        "ansible_connection": "local",
                        "ansible_python_interpreter": sys.executable,
                        "results_file": str(run_dir / f"{name}.json"),
                        **host_vars,
                    }
                    for name, host_vars in hosts.items()
                }
            }
        }
        inventory_file = run_dir / "inventory.json"
        inventory_file.write_text(json.dumps(inventory), encoding="utf-8")
        command = [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-i",
            str(inventory_file),
            "--forks",
            str(max(1, len(hosts))),
            *options,
            playbook,
        ]
        proc = subprocess.Popen(
            command, env=env or self.env, cwd=PLAYBOOKS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        return proc, run_dir, list(hosts)

    @staticmethod
    def finish(started: Any, timeout: float = 180) -> PlaybookRun:
        proc, run_dir, names = started
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
        hosts = {}
        for name in names:
            path = run_dir / f"{name}.json"
            hosts[name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        return PlaybookRun(proc.returncode, stdout, stderr, hosts)

    def run(self, hosts: dict[str, dict[str, Any]], *options: str, **kwargs: Any) -> PlaybookRun:
        run = self.finish(self.start(hosts, *options, **kwargs))
        assert run.rc == 0, run.output()
        return run

    def bare_env(self, credentials: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
        """An environment with no AWS keys, endpoint or default profile; `credentials` become named profiles."""
        env = {
            key: value
            for key, value in self.env.items()
            if key not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING")
        }
        self._aws_dirs += 1
        aws_dir = self.workdir / f"aws-{self._aws_dirs}"
        aws_dir.mkdir()
        profiles = configparser.ConfigParser()
        config = configparser.ConfigParser()
        for name, keys in (credentials or {}).items():
            profiles[name] = keys
            config[f"profile {name}"] = {"region": "us-east-1"}
        for name, parser in (("credentials", profiles), ("config", config)):
            with open(aws_dir / name, "w", encoding="utf-8") as handle:
                parser.write(handle)
        env["AWS_SHARED_CREDENTIALS_FILE"] = str(aws_dir / "credentials")
        env["AWS_CONFIG_FILE"] = str(aws_dir / "config")
        return env


def conversions(*items: dict[str, Any]) -> dict[str, Any]:
    return {"conversions": list(items)}


def starts(stats: dict[str, Any]) -> int:
    """StartOpportunityFromEngagementTask requests the emulator received, whatever their answer."""
    return sum(stats["requests"].get(START, {}).values())


def opportunities(stats: dict[str, Any], eng_id: str, context: str = "1") -> list[str]:
    return stats["opportunities"].get(f"Sandbox/{eng_id}/{context}", [])


@pytest.fixture(scope="module")
def harness(emulator_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return Harness(emulator_server, tmp_path_factory.mktemp("module-single"))


# ---- scenario: create, re-run, ARN, diff, FAILED tasks, check mode, invalid input ---------------------------------
@dataclass
class Converted:
    invalid: PlaybookRun
    first: PlaybookRun
    second: PlaybookRun
    failed_again: PlaybookRun
    check: PlaybookRun
    arn: dict[str, str]
    stats: list[dict[str, Any]]


INVALID_ITEMS = [
    ({"identifier": "eng-NOT-AN-ID"}, "identifier 'eng-NOT-AN-ID' must match eng-[0-9a-z]{14}"),
    (
        {"identifier": "arn:aws:partnercentral:us-east-1:111122223333:catalog/Sandbox/opportunity/O1"},
        "is not an engagement ARN",
    ),
    (
        {"identifier": f"arn:aws:partnercentral:us-east-1:111122223333:catalog/AWS/engagement/{E_NEW}"},
        "belongs to catalog AWS, not Sandbox",
    ),
    ({"identifier": E_NEW, "context_identifier": "0"}, "context_identifier must match [1-9][0-9]*"),
    ({"identifier": E_NEW, "tags": {f"key{n}": "v" for n in range(201)}}, "tags must hold 1 to 200 keys (got 201)"),
    ({"identifier": E_NEW, "tags": {"cost#center": "x"}}, "tag key 'cost#center': character '#' is not allowed"),
    ({"identifier": E_NEW, "wait_timeout": 0}, "wait_timeout must be at least 1 second"),
]


@pytest.fixture(scope="module")
def converted(harness: Harness) -> Converted:
    """Runs, in order (tokens forgotten at once, token_ttl 0, and the service answers the new ContextId):

    0. invalid requests only;
    1. (--diff) E_NEW with tags; E_ARN by its ARN; FAILED tasks (missing context, CustomerProject context,
       disqualified lead) and an unknown engagement;
    2. (--diff) E_NEW by id and by ARN, E_ARN by id: all done already;
    3. (second_conversion duplicate) the FAILED ones again, and E_NEW again;
    4. (--check --diff, context_id_mode requested) E_NEW (done) and E_FRESH (never converted).
    """
    harness.reset(token_ttl=0, write_tps=0, context_id_mode="new", second_conversion="conflict")
    arn = {item["id"]: item["arn"] for item in harness.emulator.engagements("Sandbox")}
    stats = [harness.stats()]
    invalid = harness.run({"invalid": conversions(*(item for item, _ in INVALID_ITEMS))})
    stats.append(harness.stats())
    failing = [
        {"identifier": E_MISSING, "context_identifier": "3"},
        {"identifier": E_PROJECT, "context_identifier": "2"},
        {"identifier": E_DISQUALIFIED},
    ]
    first = harness.run(
        {
            "new": conversions({"identifier": E_NEW, "tags": {"source": "ansible-integration", "run": "1"}}),
            "arn": conversions({"identifier": arn[E_ARN]}),
            "failed": conversions(*failing, {"identifier": E_UNKNOWN}),
        },
        "--diff",
    )
    stats.append(harness.stats())
    second = harness.run(
        {"rerun": conversions({"identifier": E_NEW}, {"identifier": arn[E_NEW]}, {"identifier": E_ARN})}, "--diff"
    )
    stats.append(harness.stats())
    harness.emulator.configure(second_conversion="duplicate")
    failed_again = harness.run({"failed": conversions(*failing), "rerun": conversions({"identifier": E_NEW})})
    stats.append(harness.stats())
    harness.emulator.configure(context_id_mode="requested")
    check = harness.run({"check": conversions({"identifier": E_NEW}, {"identifier": E_FRESH})}, "--check", "--diff")
    stats.append(harness.stats())
    return Converted(invalid, first, second, failed_again, check, arn, stats)


def test_invalid_input_fails_before_any_api_call(converted: Converted) -> None:
    results = converted.invalid.items("invalid")
    assert len(results) == len(INVALID_ITEMS)
    for result, (item, expected) in zip(results, INVALID_ITEMS):
        assert result["failed"] is True, (item, result)
        assert result["msg"].startswith("Invalid request: "), result["msg"]
        assert expected in result["msg"], (expected, result["msg"])
        assert "task" not in result
    assert converted.stats[1]["total_requests"] == 0, converted.stats[1]["requests"]


def test_first_run_creates_the_opportunity(converted: Converted) -> None:
    (result,) = converted.first.items("new")
    assert result["changed"] is True and result["status"] == "created", result
    task = result["task"]
    assert task["task_status"] == "COMPLETE"
    assert re.fullmatch(r"task-[0-9a-z]{13}", task["task_id"])
    assert re.fullmatch(r"O[0-9]+", result["opportunity_id"]) and task["opportunity_id"] == result["opportunity_id"]
    assert task["engagement_id"] == E_NEW
    assert task["tags"] == {"source": "ansible-integration", "run": "1"}
    assert TOKEN.fullmatch(result["client_token"])
    assert converted.first.hosts["new"]["fact"] == task
    assert opportunities(converted.stats[2], E_NEW) == [result["opportunity_id"]]


def test_rerun_reports_unchanged_without_any_write(converted: Converted) -> None:
    (first,) = converted.first.items("new")
    again = converted.second.items("rerun")[0]
    assert again["changed"] is False and again["status"] == "already_done", again
    assert again["task"]["task_id"] == first["task"]["task_id"]
    assert again["opportunity_id"] == first["opportunity_id"]
    assert converted.second.hosts["rerun"]["fact"]["engagement_id"] == E_ARN  # the last item's task
    before, after = converted.stats[2], converted.stats[3]
    assert starts(after) == starts(before) and after["writes_accepted"] == before["writes_accepted"]
    assert after["requests"][LIST]["200"] > before["requests"][LIST]["200"]
    assert opportunities(after, E_NEW) == [first["opportunity_id"]]


def test_arn_and_id_are_the_same_engagement(converted: Converted) -> None:
    (by_arn,) = converted.first.items("arn")
    assert by_arn["changed"] is True and by_arn["task"]["engagement_id"] == E_ARN
    _, new_by_arn, arn_by_id = converted.second.items("rerun")
    (first_new,) = converted.first.items("new")
    assert new_by_arn["changed"] is False and new_by_arn["task"]["task_id"] == first_new["task"]["task_id"]
    assert arn_by_id["changed"] is False and arn_by_id["task"]["task_id"] == by_arn["task"]["task_id"]
    assert len(opportunities(converted.stats[3], E_ARN)) == 1


def test_diff_shows_the_opportunity_before_and_after(converted: Converted) -> None:
    (created,) = converted.first.items("new")
    diff = created["diff"]
    assert diff["before"]["opportunity_id"] is None and diff["before"]["task_status"] is None
    assert diff["after"]["opportunity_id"] == created["opportunity_id"] and diff["after"]["task_status"] == "COMPLETE"
    assert E_NEW in diff["after"]["context"]
    unchanged = converted.second.items("rerun")[0]["diff"]
    assert unchanged["before"] == unchanged["after"]
    assert unchanged["after"]["opportunity_id"] == created["opportunity_id"]
    # The diff is in the output a user sees with --diff.
    assert created["opportunity_id"] in converted.first.stdout


def test_forgotten_tokens_and_another_context_id_convert_once(converted: Converted) -> None:
    """The service answers ContextId 2 for context 1 and forgets tokens: re-runs in both second_conversion modes."""
    (created,) = converted.first.items("new")
    assert created["task"]["context_id"] != "1"  # the mismatch is real
    for run, host, index in ((converted.second, "rerun", 0), (converted.failed_again, "rerun", 0)):
        again = run.items(host)[index]
        assert again["status"] == "already_done" and again["task"]["task_id"] == created["task"]["task_id"]
    final = converted.stats[4]
    assert final["duplicates"] == 0 and final["replays"] == 0
    assert opportunities(final, E_NEW) == [created["opportunity_id"]]


FAILED_CASES = [
    (0, E_MISSING, "3", "ContextNotFound"),
    (1, E_PROJECT, "2", "CustomerProjectContextNotPermitted"),
    (2, E_DISQUALIFIED, "1", "DisqualifiedLeadNotPermitted"),
]


@pytest.mark.parametrize("index, eng_id, context, reason", FAILED_CASES, ids=[case[3] for case in FAILED_CASES])
def test_failed_task_fails_with_reason_code_and_task(
    converted: Converted, index: int, eng_id: str, context: str, reason: str
) -> None:
    result = converted.first.items("failed")[index]
    assert result["failed"] is True and result["status"] == "failed", result
    assert result["reason_code"] == reason
    task = result["task"]
    assert task["task_status"] == "FAILED" and task["reason_code"] == reason and task["engagement_id"] == eng_id
    assert reason in result["msg"] and task["message"] in result["msg"]
    assert f"engagement {eng_id} context {context} in catalog Sandbox" in result["msg"]
    assert "opportunity_id" not in result


@pytest.mark.parametrize("index", [0, 1, 2], ids=[case[3] for case in FAILED_CASES])
def test_rerun_after_failed_task_starts_a_new_attempt(converted: Converted, index: int) -> None:
    first = converted.first.items("failed")[index]
    again = converted.failed_again.items("failed")[index]
    assert again["failed"] is True and again["reason_code"] == first["reason_code"]
    assert TOKEN.fullmatch(again["client_token"]) and again["client_token"] != first["client_token"]
    assert again["task"]["task_id"] != first["task"]["task_id"]
    # Exactly one new Start per FAILED context, none for the converted E_NEW re-run beside them.
    assert starts(converted.stats[4]) - starts(converted.stats[3]) == len(FAILED_CASES)


def test_unknown_engagement_names_engagement_context_and_catalog(converted: Converted) -> None:
    result = converted.first.items("failed")[3]
    assert result["failed"] is True and result["status"] == "failed"
    assert "ResourceNotFoundException" in result["msg"]
    assert f"engagement {E_UNKNOWN} context 1 in catalog Sandbox" in result["msg"]
    assert "task" not in result
    assert not any(key.startswith(f"Sandbox/{E_UNKNOWN}") for key in converted.stats[2]["opportunities"])


def test_check_mode_makes_no_write(converted: Converted) -> None:
    done, fresh = converted.check.items("check")
    (created,) = converted.first.items("new")
    assert fresh["changed"] is True and fresh["status"] == "would_create", fresh
    assert fresh["msg"].startswith("Would have") and TOKEN.fullmatch(fresh["client_token"])
    assert "task" not in fresh and fresh["diff"]["before"]["opportunity_id"] is None
    assert done["changed"] is False and done["status"] == "already_done"
    assert done["task"]["task_id"] == created["task"]["task_id"] and done["opportunity_id"] == created["opportunity_id"]
    before, after = converted.stats[4], converted.stats[5]
    assert starts(after) == starts(before) and after["writes_accepted"] == before["writes_accepted"]
    assert after["tasks"] == before["tasks"] and not opportunities(after, E_FRESH)


# ---- scenario: tasks that take time ---------------------------------------------------------------------------------
TASK_LATENCY = 6


@pytest.fixture(scope="module")
def latency(harness: Harness) -> tuple[PlaybookRun, dict[str, Any]]:
    """Each task takes TASK_LATENCY s; a second module call follows each first one at once (same playbook)."""
    harness.reset(task_latency=TASK_LATENCY, write_tps=0)
    run = harness.run(
        {
            "interrupted": conversions({"identifier": E_WAIT, "wait": False}, {"identifier": E_WAIT}),
            "timeout": conversions(
                {"identifier": E_TIMEOUT, "wait_timeout": 1}, {"identifier": E_TIMEOUT, "wait_timeout": 60}
            ),
        }
    )
    return run, harness.stats()


def test_interrupted_run_is_adopted_not_started_again(latency: tuple[PlaybookRun, dict[str, Any]]) -> None:
    run, stats = latency
    started, adopted = run.items("interrupted")
    assert started["changed"] is True and started["status"] == "started", started
    assert started["task"]["task_status"] == "IN_PROGRESS" and "opportunity_id" not in started
    assert adopted["status"] == "adopted" and adopted["changed"] is False, adopted
    assert adopted["task"]["task_id"] == started["task"]["task_id"] and adopted["task"]["task_status"] == "COMPLETE"
    assert opportunities(stats, E_WAIT) == [adopted["opportunity_id"]]


def test_wait_timeout_names_the_task_and_rerun_adopts_it(latency: tuple[PlaybookRun, dict[str, Any]]) -> None:
    run, stats = latency
    timed_out, adopted = run.items("timeout")
    assert timed_out["failed"] is True and timed_out["status"] == "timed_out", timed_out
    task_id = timed_out["task"]["task_id"]
    assert task_id in timed_out["msg"] and "wait_timeout" in timed_out["msg"]
    assert adopted["status"] == "adopted" and adopted["task"]["task_id"] == task_id
    assert adopted["task"]["task_status"] == "COMPLETE"
    assert opportunities(stats, E_TIMEOUT) == [adopted["opportunity_id"]]
    # One Start per engagement in the whole scenario: neither second call started anything.
    assert starts(stats) == 2 and stats["tasks"] == 2


# ---- scenario: throttling and server errors ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def faults(harness: Harness) -> tuple[PlaybookRun, dict[str, Any]]:
    # Seed 15: the first eight fault rolls hold two throttles and two internal errors.
    harness.reset(throttle_rate=0.3, internal_error_rate=0.05, seed=15, write_tps=0)
    run = harness.run({f"host{n}": conversions({"identifier": eng_id}) for n, eng_id in enumerate(E_FAULTS)})
    return run, harness.stats()


def test_throttling_and_server_errors_are_retried(faults: tuple[PlaybookRun, dict[str, Any]]) -> None:
    run, stats = faults
    assert stats["throttled"]["injected"] > 0 and stats["internal_errors_injected"] > 0, stats
    for n, eng_id in enumerate(E_FAULTS):
        (result,) = run.items(f"host{n}")
        assert result.get("failed") is not True and result["status"] == "created", result
        assert opportunities(stats, eng_id) == [result["opportunity_id"]]
    assert stats["duplicates"] == 0 and stats["converted"] == len(E_FAULTS)


# ---- scenario: two runs at once ----------------------------------------------------------------------------------
def test_two_simultaneous_runs_create_one_opportunity(harness: Harness) -> None:
    harness.reset(task_latency=1)
    started = [harness.start({"localhost": conversions({"identifier": E_RACE})}) for _ in range(2)]
    runs = [harness.finish(item) for item in started]
    results = []
    for run in runs:
        assert run.rc == 0, run.output()
        (result,) = run.items()
        assert result.get("failed") is not True and result["task"]["task_status"] == "COMPLETE", result
        results.append(result)
    assert results[0]["task"]["task_id"] == results[1]["task"]["task_id"]
    stats = harness.stats()
    assert stats["tasks"] == 1 and stats["duplicates"] == 0
    assert opportunities(stats, E_RACE) == [results[0]["opportunity_id"]]


# ---- scenario: ways to give the connection ----------------------------------------------------------------------
def test_connection_options(harness: Harness) -> None:
    """module_defaults of the action group, the endpoint_url option and a named profile: no AWS_* variables at all."""
    harness.reset()
    emulator = harness.emulator
    keys = {"aws_access_key_id": emulator.access_key, "aws_secret_access_key": emulator.secret_key}
    defaults_vars = harness.workdir / "defaults-vars.json"
    defaults_vars.write_text(
        json.dumps(
            {
                "pcs_endpoint_url": emulator.endpoint_url,
                "pcs_access_key": emulator.access_key,
                "pcs_secret_key": emulator.secret_key,
                "engagement_id": E_DEFAULTS,
            }
        ),
        encoding="utf-8",
    )
    with_defaults = harness.start(
        {"localhost": {}}, "-e", f"@{defaults_vars}", playbook=DEFAULTS, env=harness.bare_env()
    )
    options = harness.start(
        {
            "profile": conversions(
                {"identifier": E_PROFILE, "profile": "pcs-partner", "endpoint_url": emulator.endpoint_url}
            ),
            "no_profile": conversions({"identifier": E_NO_CREDENTIALS, "endpoint_url": emulator.endpoint_url}),
        },
        env=harness.bare_env({"pcs-partner": keys}),
    )
    with_defaults, options = harness.finish(with_defaults), harness.finish(options)
    stats = harness.stats()

    assert with_defaults.rc == 0, with_defaults.output()
    result = with_defaults.hosts["localhost"]
    assert result["conversion"]["changed"] is True and result["conversion"]["status"] == "created"
    assert opportunities(stats, E_DEFAULTS) == [result["conversion"]["opportunity_id"]]
    assert [task["task_id"] for task in result["listing"]["tasks"]] == [result["conversion"]["task"]["task_id"]]

    assert options.rc == 0, options.output()
    (by_profile,) = options.items("profile")
    assert by_profile["changed"] is True and by_profile["status"] == "created", by_profile
    assert opportunities(stats, E_PROFILE) == [by_profile["opportunity_id"]]
    # The same environment without the profile has no credentials: the profile above is what signed.
    (without,) = options.items("no_profile")
    assert without["failed"] is True and "credentials" in without["msg"].lower(), without
    assert not opportunities(stats, E_NO_CREDENTIALS)
