# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral_opportunity_from_engagement in real ansible-playbook runs against the emulator: one test per
behaviour of its DOCUMENTATION.

An ansible-playbook run costs seconds, so the runs are grouped in scenarios. Each scenario has an emulator of its own
(its settings apply to the whole scenario), runs a few playbooks in order, with one inventory host per independent
sequence of module calls (hosts run in parallel), and keeps the registered results and the emulator's stats between
runs. All scenarios run at the same time in the module-scoped fixture `scenarios`; each test asserts on the results
of one scenario.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import Harness
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import PlaybookRun
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import run_scenarios
from partnercentral_emulator.server import EmulatorServer

pytestmark = pytest.mark.integration

CONVERT = "module_opportunity_from_engagement.yml"
DEFAULTS = "module_defaults.yml"
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
E_FAULTS = [eng(f"faults{n}") for n in range(2)]
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


def conversions(*items: dict[str, Any]) -> dict[str, Any]:
    return {"conversions": list(items)}


def starts(stats: dict[str, Any]) -> int:
    """StartOpportunityFromEngagementTask requests the emulator received, whatever their answer."""
    return sum(stats["requests"].get(START, {}).values())


def opportunities(stats: dict[str, Any], eng_id: str, context: str = "1") -> list[str]:
    return stats["opportunities"].get(f"Sandbox/{eng_id}/{context}", [])


# ---- scenarios -------------------------------------------------------------------------------------------------
# Each call breaks several rules: the module reports all of them, each naming its option.
BAD_TAGS = {f"key{n}": "v" for n in range(200)} | {"cost#center": "x"}
INVALID_ITEMS = [
    (
        {"identifier": "eng-NOT-AN-ID", "context_identifier": "0", "tags": BAD_TAGS},
        [
            "identifier 'eng-NOT-AN-ID' must match eng-[0-9a-z]{14}",
            "context_identifier must match [1-9][0-9]*",
            "tags must hold 1 to 200 keys (got 201)",
            "tag key 'cost#center': character '#' is not allowed",
        ],
    ),
    (
        {
            "identifier": "arn:aws:partnercentral:us-east-1:111122223333:catalog/Sandbox/opportunity/O1",
            "wait_timeout": 0,
        },
        ["identifier 'arn:aws:partnercentral", "is not an engagement ARN", "wait_timeout must be at least 1 second"],
    ),
    (
        {"identifier": f"arn:aws:partnercentral:us-east-1:111122223333:catalog/AWS/engagement/{E_NEW}"},
        ["belongs to catalog AWS, not Sandbox"],
    ),
]


@dataclass
class Converted:
    first: PlaybookRun
    second: PlaybookRun
    check: PlaybookRun
    failed_again: PlaybookRun
    stats: list[dict[str, Any]]  # after the first run, after the second and check runs, after failed_again
    witness_stats: dict[str, Any]  # of the emulator that the invalid requests were sent to


FAILING = [
    {"identifier": E_MISSING, "context_identifier": "3"},
    {"identifier": E_PROJECT, "context_identifier": "2"},
    {"identifier": E_DISQUALIFIED},
]


def converted_scenario(harness: Harness) -> Converted:
    """The service answers the new ContextId (2 for context 1) and forgets client tokens at once (token_ttl 0).

    1. first (--diff): E_NEW with tags; E_ARN by its ARN; three contexts whose task FAILS; an unknown engagement;
       invalid requests, sent to an emulator of their own (endpoint_url) whose request count must stay 0;
    2. at the same time: second (--diff) E_NEW by id and by ARN, E_ARN by id; check (--check --diff) E_NEW and
       E_FRESH (never converted). Neither may write;
    3. second_conversion duplicate: failed_again, the FAILED contexts and E_NEW once more.
    """
    harness.reset(token_ttl=0, write_tps=0, context_id_mode="new", second_conversion="conflict")
    arn = {item["id"]: item["arn"] for item in harness.emulator.engagements("Sandbox")}
    witness = EmulatorServer(harness.config).start()
    try:
        invalid = [dict(item, endpoint_url=witness.endpoint_url) for item, _expected in INVALID_ITEMS]
        first = harness.run(
            CONVERT,
            {
                "new": conversions({"identifier": E_NEW, "tags": {"source": "ansible-integration", "run": "1"}}),
                "arn": conversions({"identifier": arn[E_ARN]}),
                "failed": conversions(*FAILING, {"identifier": E_UNKNOWN}),
                "invalid": conversions(*invalid),
            },
            "--diff",
        )
        witness_stats = witness.backend.stats()
    finally:
        witness.stop()
    stats = [harness.stats()]
    second = harness.start(
        CONVERT,
        {"rerun": conversions({"identifier": E_NEW}, {"identifier": arn[E_NEW]}, {"identifier": E_ARN})},
        "--diff",
    )
    check = harness.start(
        CONVERT, {"check": conversions({"identifier": E_NEW}, {"identifier": E_FRESH})}, "--check", "--diff"
    )
    second, check = harness.finish(second), harness.finish(check)
    assert second.rc == 0 and check.rc == 0, second.output() + check.output()
    stats.append(harness.stats())
    harness.emulator.configure(second_conversion="duplicate")
    failed_again = harness.run(CONVERT, {"failed": conversions(*FAILING), "rerun": conversions({"identifier": E_NEW})})
    stats.append(harness.stats())
    return Converted(first, second, check, failed_again, stats, witness_stats)


# Long enough that the module call after a first one still finds the task IN_PROGRESS on a busy machine: with make test
# and make compat side by side on two cores (.ci/run), the next loop item once came more than 10 s after the first.
TASK_LATENCY = 25


def latency_scenario(harness: Harness) -> tuple[PlaybookRun, dict[str, Any]]:
    """Tasks take TASK_LATENCY s; each first module call is followed at once by a second (and third) one.

    The service answers the requested ContextId here, forgets tokens and would convert a context twice.
    """
    harness.reset(
        task_latency=TASK_LATENCY,
        write_tps=0,
        token_ttl=0,
        context_id_mode="requested",
        second_conversion="duplicate",
    )
    run = harness.run(
        CONVERT,
        {
            "interrupted": conversions(
                {"identifier": E_WAIT, "wait": False}, {"identifier": E_WAIT}, {"identifier": E_WAIT}
            ),
            "timeout": conversions(
                {"identifier": E_TIMEOUT, "wait_timeout": 1}, {"identifier": E_TIMEOUT, "wait_timeout": 60}
            ),
        },
    )
    return run, harness.stats()


def faults_scenario(harness: Harness) -> tuple[PlaybookRun, dict[str, Any]]:
    """30 % of the requests throttled, 5 % internal errors; each context converted, then converted again.

    The service answers the requested ContextId, forgets tokens and refuses a second conversion (ConflictException).
    """
    # Seed 15: the first four fault rolls (two Lists and two Starts at least) hold two throttles and an internal error.
    harness.reset(
        throttle_rate=0.3,
        internal_error_rate=0.05,
        seed=15,
        write_tps=0,
        token_ttl=0,
        context_id_mode="requested",
        second_conversion="conflict",
    )
    run = harness.run(
        CONVERT,
        {f"host{n}": conversions({"identifier": eng_id}, {"identifier": eng_id}) for n, eng_id in enumerate(E_FAULTS)},
    )
    return run, harness.stats()


def race_scenario(harness: Harness) -> tuple[list[PlaybookRun], dict[str, Any]]:
    """Two ansible-playbook processes convert the same context at the same time."""
    harness.reset(task_latency=1)
    started = [harness.start(CONVERT, {"localhost": conversions({"identifier": E_RACE})}) for _run in range(2)]
    runs = [harness.finish(item) for item in started]
    return runs, harness.stats()


def connection_scenario(harness: Harness) -> tuple[PlaybookRun, PlaybookRun, dict[str, Any]]:
    """No AWS_* variable at all: module_defaults of the action group; endpoint_url and profile options."""
    emulator = harness.emulator
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
    keys = {"aws_access_key_id": emulator.access_key, "aws_secret_access_key": emulator.secret_key}
    with_defaults = harness.start(DEFAULTS, {"localhost": {}}, "-e", f"@{defaults_vars}", env=harness.bare_env())
    options = harness.start(
        CONVERT,
        {
            "profile": conversions(
                {"identifier": E_PROFILE, "profile": "pcs-partner", "endpoint_url": emulator.endpoint_url}
            ),
            "no_profile": conversions({"identifier": E_NO_CREDENTIALS, "endpoint_url": emulator.endpoint_url}),
        },
        env=harness.bare_env({"pcs-partner": keys}),
    )
    return harness.finish(with_defaults), harness.finish(options), harness.stats()


SCENARIOS = {
    "converted": converted_scenario,
    "latency": latency_scenario,
    "faults": faults_scenario,
    "race": race_scenario,
    "connection": connection_scenario,
}


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from run_scenarios(tmp_path_factory, {"fixture": FIXTURE, "engagements": 0}, SCENARIOS)


@pytest.fixture
def converted(scenarios: Any) -> Converted:
    return scenarios["converted"].result()


# ---- tests -------------------------------------------------------------------------------------------------------
def test_invalid_input_fails_before_any_api_call(converted: Converted) -> None:
    results = converted.first.items("invalid")
    assert len(results) == len(INVALID_ITEMS)
    for result, (item, expected) in zip(results, INVALID_ITEMS):
        assert result["failed"] is True, (item, result)
        assert result["msg"].startswith("Invalid request: "), result["msg"]
        for text in expected:
            assert text in result["msg"], (text, result["msg"])
        assert "task" not in result
    assert converted.witness_stats["total_requests"] == 0, converted.witness_stats["requests"]


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
    assert converted.first.fact("new") == task
    assert opportunities(converted.stats[0], E_NEW) == [result["opportunity_id"]]


def test_rerun_reports_unchanged_without_any_write(converted: Converted) -> None:
    (first,) = converted.first.items("new")
    again = converted.second.items("rerun")[0]
    assert again["changed"] is False and again["status"] == "already_done", again
    assert again["task"]["task_id"] == first["task"]["task_id"]
    assert again["opportunity_id"] == first["opportunity_id"]
    assert "client_token" not in again
    assert converted.second.fact("rerun")["engagement_id"] == E_ARN  # the fact of the last call
    before, after = converted.stats[0], converted.stats[1]
    assert starts(after) == starts(before) and after["writes_accepted"] == before["writes_accepted"]
    assert after["requests"][LIST]["200"] > before["requests"][LIST]["200"]
    assert opportunities(after, E_NEW) == [first["opportunity_id"]]


def test_arn_and_id_are_the_same_engagement(converted: Converted) -> None:
    (by_arn,) = converted.first.items("arn")
    assert by_arn["changed"] is True and by_arn["task"]["engagement_id"] == E_ARN
    (first_new,) = converted.first.items("new")
    _by_id, new_by_arn, arn_by_id = converted.second.items("rerun")
    assert new_by_arn["changed"] is False and new_by_arn["task"]["task_id"] == first_new["task"]["task_id"]
    assert arn_by_id["changed"] is False and arn_by_id["task"]["task_id"] == by_arn["task"]["task_id"]
    assert opportunities(converted.stats[1], E_ARN) == [by_arn["opportunity_id"]]


def test_diff_shows_the_opportunity_before_and_after(converted: Converted) -> None:
    (created,) = converted.first.items("new")
    diff = created["diff"]
    assert diff["before"]["opportunity_id"] is None and diff["before"]["task_status"] is None
    assert diff["after"]["opportunity_id"] == created["opportunity_id"] and diff["after"]["task_status"] == "COMPLETE"
    assert E_NEW in diff["after"]["context"]
    unchanged = converted.second.items("rerun")[0]["diff"]
    assert unchanged["before"] == unchanged["after"]
    assert unchanged["after"]["opportunity_id"] == created["opportunity_id"]
    # --diff prints it for the user too.
    assert created["opportunity_id"] in converted.first.stdout


def test_forgotten_tokens_and_another_context_id_convert_once(converted: Converted) -> None:
    """ContextId 2 answered for context 1, tokens forgotten: re-runs in both second_conversion modes add nothing."""
    (created,) = converted.first.items("new")
    assert created["task"]["context_id"] != "1"  # the mismatch is real
    for again in (converted.second.items("rerun")[0], converted.failed_again.items("rerun")[0]):
        assert again["status"] == "already_done" and again["task"]["task_id"] == created["task"]["task_id"]
    final = converted.stats[2]
    assert final["duplicates"] == 0 and final["replays"] == 0
    assert opportunities(final, E_NEW) == [created["opportunity_id"]]


def test_forgotten_tokens_with_the_requested_context_id_and_duplicates_convert_once(scenarios: Any) -> None:
    """The same with ContextId = the requested context (latency scenario: its third call, after the adoption)."""
    run, stats = scenarios["latency"].result()
    started, adopted, again = run.items("interrupted")
    assert again["changed"] is False and again["status"] == "already_done", again
    assert again["task"]["task_id"] == started["task"]["task_id"] and again["task"]["context_id"] == "1"
    assert stats["duplicates"] == 0 and opportunities(stats, E_WAIT) == [adopted["opportunity_id"]]


FAILED_CASES = [
    (0, E_MISSING, "3", "ContextNotFound"),
    (1, E_PROJECT, "2", "CustomerProjectContextNotPermitted"),
    (2, E_DISQUALIFIED, "1", "DisqualifiedLeadNotPermitted"),
]
FAILED_IDS = [case[3] for case in FAILED_CASES]


@pytest.mark.parametrize("index, eng_id, context, reason", FAILED_CASES, ids=FAILED_IDS)
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


@pytest.mark.parametrize("index", [0, 1, 2], ids=FAILED_IDS)
def test_rerun_after_failed_task_starts_a_new_attempt(converted: Converted, index: int) -> None:
    first = converted.first.items("failed")[index]
    again = converted.failed_again.items("failed")[index]
    assert again["failed"] is True and again["reason_code"] == first["reason_code"]
    assert TOKEN.fullmatch(again["client_token"]) and again["client_token"] != first["client_token"]
    assert again["task"]["task_id"] != first["task"]["task_id"]
    # One new Start per FAILED context, and none for the converted E_NEW re-run beside them.
    assert starts(converted.stats[2]) - starts(converted.stats[1]) == len(FAILED_CASES)


def test_unknown_engagement_names_engagement_context_and_catalog(converted: Converted) -> None:
    result = converted.first.items("failed")[3]
    assert result["failed"] is True and result["status"] == "failed"
    assert "ResourceNotFoundException" in result["msg"]
    assert f"engagement {E_UNKNOWN} context 1 in catalog Sandbox" in result["msg"]
    assert "task" not in result
    assert not any(key.startswith(f"Sandbox/{E_UNKNOWN}") for key in converted.stats[0]["opportunities"])


def test_check_mode_makes_no_write(converted: Converted) -> None:
    done, fresh = converted.check.items("check")
    (created,) = converted.first.items("new")
    assert fresh["changed"] is True and fresh["status"] == "would_create", fresh
    assert fresh["msg"].startswith("Would have") and TOKEN.fullmatch(fresh["client_token"])
    assert "task" not in fresh and fresh["diff"]["before"]["opportunity_id"] is None
    assert done["changed"] is False and done["status"] == "already_done"
    assert done["task"]["task_id"] == created["task"]["task_id"] and done["opportunity_id"] == created["opportunity_id"]
    before, after = converted.stats[0], converted.stats[1]
    assert starts(after) == starts(before) and after["writes_accepted"] == before["writes_accepted"]
    assert after["tasks"] == before["tasks"] and not opportunities(after, E_FRESH)


def test_interrupted_run_is_adopted_not_started_again(scenarios: Any) -> None:
    run, stats = scenarios["latency"].result()
    started, adopted, _rerun = run.items("interrupted")
    assert started["changed"] is True and started["status"] == "started", started
    assert started["task"]["task_status"] == "IN_PROGRESS" and "opportunity_id" not in started
    assert adopted["status"] == "adopted" and adopted["changed"] is False, adopted
    assert adopted["task"]["task_id"] == started["task"]["task_id"] and adopted["task"]["task_status"] == "COMPLETE"
    assert opportunities(stats, E_WAIT) == [adopted["opportunity_id"]]


def test_wait_timeout_names_the_task_and_rerun_adopts_it(scenarios: Any) -> None:
    run, stats = scenarios["latency"].result()
    timed_out, adopted = run.items("timeout")
    assert timed_out["failed"] is True and timed_out["status"] == "timed_out", timed_out
    task_id = timed_out["task"]["task_id"]
    assert task_id in timed_out["msg"] and "wait_timeout" in timed_out["msg"]
    assert adopted["status"] == "adopted" and adopted["task"]["task_id"] == task_id
    assert adopted["task"]["task_status"] == "COMPLETE"
    assert opportunities(stats, E_TIMEOUT) == [adopted["opportunity_id"]]
    # One Start per engagement in the whole scenario: no later call started anything.
    assert starts(stats) == 2 and stats["tasks"] == 2


def test_throttling_and_server_errors_are_retried(scenarios: Any) -> None:
    run, stats = scenarios["faults"].result()
    assert stats["throttled"]["injected"] > 0 and stats["internal_errors_injected"] > 0, stats
    for n, eng_id in enumerate(E_FAULTS):
        result, _rerun = run.items(f"host{n}")
        assert result.get("failed") is not True and result["status"] == "created", result
        assert opportunities(stats, eng_id) == [result["opportunity_id"]]
    assert stats["duplicates"] == 0 and stats["converted"] == len(E_FAULTS)


def test_forgotten_tokens_with_the_requested_context_id_and_conflicts_convert_once(scenarios: Any) -> None:
    """The fourth combination, under faults: ContextId as requested, second_conversion conflict, tokens forgotten."""
    run, stats = scenarios["faults"].result()
    for n, eng_id in enumerate(E_FAULTS):
        created, again = run.items(f"host{n}")
        assert again["changed"] is False and again["status"] == "already_done", again
        assert again["task"]["task_id"] == created["task"]["task_id"] and again["task"]["context_id"] == "1"
    # A Start that reached the service for a converted context would be a 409 ConflictException.
    assert "409" not in stats["requests"][START] and stats["tasks"] == len(E_FAULTS)


def test_two_simultaneous_runs_create_one_opportunity(scenarios: Any) -> None:
    runs, stats = scenarios["race"].result()
    results = []
    for run in runs:
        assert run.rc == 0, run.output()
        (result,) = run.items()
        assert result.get("failed") is not True and result["task"]["task_status"] == "COMPLETE", result
        results.append(result)
    assert results[0]["task"]["task_id"] == results[1]["task"]["task_id"]
    assert stats["tasks"] == 1 and stats["duplicates"] == 0
    assert opportunities(stats, E_RACE) == [results[0]["opportunity_id"]]


def test_module_defaults_of_the_action_group(scenarios: Any) -> None:
    with_defaults, _options, stats = scenarios["connection"].result()
    assert with_defaults.rc == 0, with_defaults.output()
    result = with_defaults.data
    assert result["conversion"]["changed"] is True and result["conversion"]["status"] == "created"
    assert opportunities(stats, E_DEFAULTS) == [result["conversion"]["opportunity_id"]]
    # The info module is in the group too.
    assert [task["task_id"] for task in result["listing"]["tasks"]] == [result["conversion"]["task"]["task_id"]]


def test_endpoint_url_option_and_profile_credentials(scenarios: Any) -> None:
    _with_defaults, options, stats = scenarios["connection"].result()
    assert options.rc == 0, options.output()
    (by_profile,) = options.items("profile")
    assert by_profile["changed"] is True and by_profile["status"] == "created", by_profile
    assert opportunities(stats, E_PROFILE) == [by_profile["opportunity_id"]]
    # The same environment without the profile has no credentials: the profile is what signed above.
    (without,) = options.items("no_profile")
    assert without["failed"] is True and "credentials" in without["msg"].lower(), without
    assert not opportunities(stats, E_NO_CREDENTIALS)
