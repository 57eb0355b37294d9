# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The scenarios: each runs the role with ansible-playbook against the emulator process and judges the outcome.

A scenario returns a ScenarioResult; the emulator's stats endpoint counts the duplicates and the missing
conversions (its opportunities compared with the list), the role's JSON report the failed items.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import threading
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.tests.rulebook_support import kill_trial
from ansible_collections.partnercentral.selling.tests.rulebook_support import rulebook_env
from ansible_collections.partnercentral.selling.tests.rulebook_support import rulebook_problem

from ..support import ansible_playbook_command
from ..support import local_host
from . import REPO_ROOT
from . import harness
from .bad_input import run_bad_input
from .harness import DONE_STATUSES
from .harness import Workspace
from .harness import opportunity_check


@dataclasses.dataclass
class Profile:
    """Sizes of one suite run: the full suite, or the reduced one that runs under pytest."""

    name: str
    kill_engagements: int
    kill_trials: int
    kill_modes: tuple
    race_modes: tuple
    race_engagements: int
    storm_engagements: int
    quota_engagements: int
    timeout_engagements: int
    timeout_task_latency: float
    # EDA kill trials: whether each restart finds its checkpoint corrupt; lead events waiting at each kill.
    eda_kill_modes: tuple = (False,)
    eda_kill_batch: int = 3
    # Two role runs of shared_engagements each (shared_overlap in common) and shared_eda EDA conversions, one account.
    shared_engagements: int = 30
    shared_overlap: int = 20
    shared_eda: int = 5
    seed: int = 20251126

    @property
    def engagements_needed(self) -> int:
        shared = 2 * self.shared_engagements - self.shared_overlap + self.shared_eda
        return (
            max(self.kill_engagements, self.race_engagements, self.storm_engagements, self.quota_engagements, shared)
            + 20
        )


FULL = Profile(
    name="full",
    kill_engagements=300,
    kill_trials=5,
    kill_modes=("conflict", "duplicate"),
    race_modes=("conflict", "duplicate"),
    race_engagements=300,
    storm_engagements=60,
    quota_engagements=120,
    timeout_engagements=20,
    timeout_task_latency=25.0,
    eda_kill_modes=(False, True, False),
    eda_kill_batch=5,
)
REDUCED = Profile(
    name="reduced",
    kill_engagements=60,
    kill_trials=1,
    kill_modes=("conflict",),
    race_modes=("duplicate",),
    race_engagements=60,
    storm_engagements=20,
    quota_engagements=40,
    timeout_engagements=8,
    timeout_task_latency=30.0,
    eda_kill_modes=(False,),
    eda_kill_batch=3,
    shared_engagements=10,
    shared_overlap=6,
    shared_eda=1,
)

# The emulator's write quota is raised so that a trial is short; the role's write rate matches it.
WRITE_TPS = 20
TASK_LATENCY = 0.3


@dataclasses.dataclass
class ScenarioResult:
    name: str
    trials: int = 0
    duplicates: int = 0
    missing: int = 0
    failed_items: int = 0
    problems: List[str] = dataclasses.field(default_factory=list)
    notes: List[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems and self.duplicates == 0 and self.missing == 0 and self.failed_items == 0

    def expect(self, condition: bool, problem: str) -> bool:
        if not condition:
            self.problems.append(problem)
        return condition


@dataclasses.dataclass
class Context:
    """What a scenario works with: the emulator process, a workspace for runs, the profile and a seeded rng."""

    emulator: harness.Emulator
    workspace: Workspace
    profile: Profile
    rng: random.Random
    marker: str

    @property
    def admin(self) -> Any:
        return self.emulator.admin

    def items(self, count: int) -> tuple:
        ids = self.emulator.engagement_ids(count)
        return ids, [{"identifier": eng, "context_identifier": "1"} for eng in ids]

    def settle(self, timeout: float = 120) -> Dict[str, Any]:
        """The emulator's stats once no task is IN_PROGRESS any more (tasks finish by the wall clock)."""
        harness.wait_until(
            lambda: not self.admin.stats().get("tasks_by_status", {}).get("IN_PROGRESS"), timeout, interval=0.25
        )
        return self.admin.stats()


def _judge_final_run(result: ScenarioResult, run: harness.RunResult, label: str) -> None:
    """A run that must end with every item done: rc 0 and only created/already_done/adopted in its report."""
    errors = [item for item in run.items if item["status"] not in DONE_STATUSES]
    result.failed_items += len(errors)
    result.expect(run.report is not None, f"{label}: no report (rc {run.rc})")
    result.expect(run.rc == 0, f"{label}: ansible-playbook exited with {run.rc}")
    for item in errors[:3]:
        result.problems.append(f"{label}: item {item['index']} {item['status']}: {item['message']}")


def _judge_opportunities(result: ScenarioResult, ctx: Context, ids: List[str], label: str) -> None:
    check = opportunity_check(ctx.settle(), ids)
    result.duplicates += check["duplicates"]
    result.missing += check["missing"]
    result.expect(not check["duplicated"], f"{label}: duplicated {check['duplicated'][:3]}")
    result.expect(not check["unexpected"], f"{label}: opportunities nobody asked for {check['unexpected'][:3]}")


# ---- kill -9 -----------------------------------------------------------------------------------------------------


def _kill_trial(ctx: Context, result: ScenarioResult, mode: str, trial: int, background: bool, tree: bool) -> None:
    """One trial: start the role, kill -9 at a seeded point, re-run, compare the emulator's opportunities.

    tree: kill every process of the run (a crash); else only the playbook's process group (kill -9 of the
    process ansible-playbook was started as), which leaves the module running: ansible-core 2.19 puts each
    worker in a session of its own and async_wrapper daemonizes. The re-run then races the survivor.
    """
    count = ctx.profile.kill_engagements
    ctx.admin.reset(write_tps=WRITE_TPS, task_latency=TASK_LATENCY, second_conversion=mode)
    ids, items = ctx.items(count)
    # The kill point: once the emulator holds this many tasks (seeded), so that every trial kills mid-batch.
    kill_at = ctx.rng.randint(1, count - 5)
    path = "async_wrapper" if background else "in-process"
    label = f"{mode} trial {trial + 1} ({path}), kill at {kill_at}/{count}"
    variables = {"partnercentral_write_rate": WRITE_TPS}
    running = ctx.workspace.start(f"kill-{mode}-{trial + 1}", items, variables, background=background)
    reached = harness.wait_until(
        lambda: ctx.admin.stats()["tasks"] >= kill_at or running.proc.poll() is not None, timeout=300, interval=0.05
    )
    tasks_at_kill = ctx.admin.stats()["tasks"]
    if tree:
        running.kill_tree()
    else:
        running.kill_group()
    killed = running.wait(30)
    result.expect(reached and killed.rc == -9, f"{label}: not killed mid-batch (rc {killed.rc})")
    result.expect(tasks_at_kill < count, f"{label}: the batch had started every task before the kill")
    time.sleep(0.5)
    survivors = running.processes()
    if tree:
        result.expect(not survivors, f"{label}: processes survived the kill: {survivors}")
    rerun = ctx.workspace.run(f"rerun-{mode}-{trial + 1}", items, variables=variables, background=background)
    # Whatever still runs of the killed run is killed now (by pid), so that nothing outlives the scenario.
    leftovers = running.kill_tree()
    result.expect(not running.processes(), f"{label}: processes of the killed run still alive")
    result.notes.append(
        f"{label}: {tasks_at_kill} tasks at the kill, {len(survivors)} processes survived it "
        f"({len(leftovers)} still alive after the re-run, killed); re-run {rerun.statuses()} in {rerun.seconds:.0f} s"
    )
    _judge_final_run(result, rerun, label)
    _judge_opportunities(result, ctx, ids, label)
    result.trials += 1


def scenario_kill(ctx: Context) -> ScenarioResult:
    result = ScenarioResult("kill -9 (every process) + re-run")
    for mode in ctx.profile.kill_modes:
        for trial in range(ctx.profile.kill_trials):
            _kill_trial(ctx, result, mode, trial, background=False, tree=True)
    return result


def scenario_kill_group(ctx: Context) -> ScenarioResult:
    """kill -9 of the playbook's process group only, on both ways the action plugin runs the module."""
    result = ScenarioResult("kill -9 (process group) + re-run")
    for trial, background in enumerate((False, True)):
        mode = ctx.profile.kill_modes[-1]
        _kill_trial(ctx, result, mode, trial, background=background, tree=False)
    return result


# ---- race --------------------------------------------------------------------------------------------------------


def scenario_race(ctx: Context) -> ScenarioResult:
    result = ScenarioResult("race: two runs at once")
    for mode in ctx.profile.race_modes:
        ctx.admin.reset(write_tps=WRITE_TPS, task_latency=TASK_LATENCY, second_conversion=mode)
        ids, items = ctx.items(ctx.profile.race_engagements)
        # Each run gets half of the write quota, as two runs of one account share it.
        variables = {"partnercentral_write_rate": WRITE_TPS / 2}
        first = ctx.workspace.start(f"race-{mode}-a", items, variables)
        second = ctx.workspace.start(f"race-{mode}-b", items, variables)
        runs = [first.wait(600), second.wait(600)]
        for run in runs:
            _judge_final_run(result, run, f"race {mode} {run.name}")
        _judge_opportunities(result, ctx, ids, f"race {mode}")
        created = sum(run.statuses().get("created", 0) for run in runs)
        result.notes.append(f"race {mode}: {[run.statuses() for run in runs]}, {created} created in total")
        result.trials += 1
    return result


# ---- fault storm -------------------------------------------------------------------------------------------------


def scenario_storm(ctx: Context) -> ScenarioResult:
    result = ScenarioResult("storm: throttling + 5xx + latency")
    ctx.admin.reset(
        write_tps=WRITE_TPS,
        task_latency=TASK_LATENCY,
        throttle_rate=0.3,
        internal_error_rate=0.05,
        added_latency=[0.0, 0.1],
    )
    ids, items = ctx.items(ctx.profile.storm_engagements)
    run = ctx.workspace.run("storm", items, variables={"partnercentral_write_rate": WRITE_TPS})
    stats = ctx.admin.stats()
    _judge_final_run(result, run, "storm")
    _judge_opportunities(result, ctx, ids, "storm")
    injected = stats["throttled"]["injected"] + stats["internal_errors_injected"]
    result.expect(injected > 0, "storm: the emulator injected no fault")
    result.notes.append(
        f"storm: {stats['throttled']['injected']} throttles and {stats['internal_errors_injected']} 5xx injected, "
        f"{stats['total_requests']} requests; {run.statuses()} in {run.seconds:.0f} s"
    )
    result.trials = 1
    return result


# ---- daily quota -------------------------------------------------------------------------------------------------


def scenario_quota(ctx: Context) -> ScenarioResult:
    result = ScenarioResult("daily write quota exhausted")
    count = ctx.profile.quota_engagements
    cap = count // 2
    ctx.admin.reset(write_tps=WRITE_TPS, task_latency=TASK_LATENCY, daily_write_cap=cap)
    ids, items = ctx.items(count)
    variables = {"partnercentral_write_rate": WRITE_TPS}
    first = ctx.workspace.run("quota", items, variables=variables)
    statuses = first.statuses()
    stopped = (first.report or {}).get("stopped") or ""
    result.expect(first.rc != 0, "quota: the run did not fail")
    result.expect(
        "ServiceQuotaExceededException" in stopped and "daily_write_cap" in stopped,
        f"quota: the stop message does not name the quota: {stopped!r}",
    )
    result.expect("daily quota" in first.output, "quota: the ansible output does not name the quota")
    result.expect(statuses.get("created", 0) == cap, f"quota: {statuses.get('created', 0)} created, {cap} expected")
    not_started = [item for item in first.items if item["status"] == "not_started"]
    result.expect(
        len(not_started) == count - cap,
        f"quota: {len(not_started)} not_started, {count - cap} expected ({statuses})",
    )
    result.expect(
        all("ServiceQuotaExceededException" in item["message"] for item in not_started),
        "quota: a not_started item does not say why",
    )
    # A new day: the cap is raised live; the emulator keeps its tasks.
    ctx.admin.configure(daily_write_cap=10 * count)
    second = ctx.workspace.run("quota-rerun", items, variables=variables)
    _judge_final_run(result, second, "quota re-run")
    result.expect(
        second.statuses().get("already_done", 0) == cap,
        f"quota re-run: {second.statuses()} ({cap} already done expected)",
    )
    _judge_opportunities(result, ctx, ids, "quota")
    result.notes.append(f"quota: first run {statuses}, stopped: {stopped[:90]}; re-run {second.statuses()}")
    result.trials = 1
    return result


# ---- wait timeout ------------------------------------------------------------------------------------------------


def _start_calls(stats: Dict[str, Any]) -> int:
    return sum(stats["requests"].get("StartOpportunityFromEngagementTask", {}).values())


def scenario_timeout(ctx: Context) -> ScenarioResult:
    result = ScenarioResult("wait_timeout < task latency")
    latency = ctx.profile.timeout_task_latency
    ctx.admin.reset(write_tps=WRITE_TPS, task_latency=latency)
    ids, items = ctx.items(ctx.profile.timeout_engagements)
    variables = {"partnercentral_write_rate": WRITE_TPS, "partnercentral_wait_timeout": 2}
    first = ctx.workspace.run("timeout", items, variables=variables)
    first_seconds = first.seconds
    result.expect(first.rc != 0, "timeout: the run did not fail")
    timed_out = [item for item in first.items if item["status"] == "timed_out"]
    result.expect(len(timed_out) == len(items), f"timeout: {first.statuses()}, all timed_out expected")
    for item in timed_out:
        task_id = item.get("task_id") or "(none)"
        result.expect(task_id in item["message"], f"timeout: item {item['index']} message lacks its task id")
        result.expect(
            f"{item['status']}: {item['message']}" in first.output,
            f"timeout: the output does not show item {item['index']} with task {task_id}",
        )
    before = ctx.admin.stats()
    variables["partnercentral_wait_timeout"] = int(latency * 4)
    second = ctx.workspace.run("timeout-rerun", items, variables=variables)
    after = ctx.admin.stats()
    _judge_final_run(result, second, "timeout re-run")
    result.expect(
        second.statuses().get("adopted", 0) == len(items), f"timeout re-run: {second.statuses()}, all adopted expected"
    )
    result.expect(
        _start_calls(after) == _start_calls(before) and after["writes_accepted"] == before["writes_accepted"],
        f"timeout re-run: Start calls {_start_calls(before)} -> {_start_calls(after)}",
    )
    _judge_opportunities(result, ctx, ids, "timeout")
    result.notes.append(
        f"timeout: first run {first.statuses()} in {first_seconds:.0f} s; re-run {second.statuses()}, "
        f"Start calls {_start_calls(before)} -> {_start_calls(after)}"
    )
    result.trials = 1
    return result


# ---- EDA: ansible-rulebook killed with lead events queued --------------------------------------------------------


def scenario_eda_kill(ctx: Context) -> ScenarioResult:
    """The rulebook's activation killed (SIGKILL to its process group) while lead events wait behind a running
    playbook, leads added while it is down, a restart with its checkpoint (or a corrupt one): each qualifying lead
    converted once. The run directory is named run-* so that the secret scan reads the rulebook's logs."""
    result = ScenarioResult("EDA: rulebook kill -9 mid-queue + restart")
    problem = rulebook_problem()
    if problem:
        result.problems.append(f"not run: {problem}")
        return result
    for trial_number, corrupt in enumerate(ctx.profile.eda_kill_modes):
        ctx.admin.reset(engagements=0, write_tps=WRITE_TPS)
        workdir = ctx.workspace.root / f"run-eda-kill-{trial_number + 1}"
        workdir.mkdir()
        trial = kill_trial(
            ctx.emulator,
            workdir,
            rulebook_env(ctx.workspace.base_env),
            corrupt=corrupt,
            batch=ctx.profile.eda_kill_batch,
        )
        label = f"EDA trial {trial_number + 1}"
        result.notes.append(f"{label}: {trial.summary()}")
        result.duplicates += trial.duplicates
        result.missing += trial.missing
        result.expect(
            len(trial.queued_at_kill) >= 2, f"{label}: the kill left {len(trial.queued_at_kill)} events queued"
        )
        result.expect(trial.strays == 0, f"{label}: {trial.strays} conversions of leads that do not qualify")
        result.trials += 1
    return result


# ---- one account's write quota shared by several clients ---------------------------------------------------------

EDA_CONVERSION_PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "eda_lead_conversion.yml")
SHARED_TASK_LATENCY = 2.0


def _eda_conversions(ctx: Context, ids: List[str], outcomes: List[Dict[str, Any]]) -> None:
    """The rulebook's conversion playbook for each lead in turn (ansible-rulebook runs the actions one at a time)."""
    directory = ctx.workspace.root / "run-eda"
    directory.mkdir(exist_ok=True)
    inventory = directory / "inventory.yml"
    inventory.write_text(json.dumps({"all": {"hosts": {"localhost": local_host()}}}), encoding="utf-8")
    env = dict(ctx.workspace.base_env, ANSIBLE_LOG_PATH=str(directory / "ansible.log"))
    env[harness.JOB_VARIABLE] = directory.name
    for engagement_id in ids:
        event = {"type": "lead_context", "catalog": harness.CATALOG, "engagement_id": engagement_id,
                 "context_id": "1", "qualification_status": "Qualified", "lead_contexts": ["1"]}  # fmt: skip
        extra = directory / f"event-{engagement_id}.json"
        extra.write_text(json.dumps({"ansible_eda": {"event": event}}), encoding="utf-8")
        began = time.monotonic()
        answer = subprocess.run(  # noqa: S603
            ansible_playbook_command(str(inventory), EDA_CONVERSION_PLAYBOOK, "-e", f"@{extra}"),
            env=env,
            cwd=str(directory),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        (directory / f"output-{engagement_id}.txt").write_text(answer.stdout + answer.stderr, encoding="utf-8")
        outcomes.append(
            {
                "engagement_id": engagement_id,
                "rc": answer.returncode,
                "output": answer.stdout,
                "seconds": round(time.monotonic() - began, 1),
            }
        )


def scenario_shared_quota(ctx: Context) -> ScenarioResult:
    """Two role runs and EDA conversions of one account (same credentials) at once, at 1 write/s strict.

    The account's write quota is shared by every client: a throttle is the service saying "later", so no item may
    fail for it (the pacer slows down and the item waits up to its wait_timeout).
    """
    result = ScenarioResult("shared quota: 2 runs + EDA, 1 account")
    profile = ctx.profile
    ctx.admin.reset(write_tps=1.0, strict_buckets=True, per_account_quotas=True, task_latency=SHARED_TASK_LATENCY)
    count, overlap = profile.shared_engagements, profile.shared_overlap
    ids = ctx.emulator.engagement_ids(2 * count - overlap + 1)
    first_ids, second_ids = ids[:count], ids[count - overlap : 2 * count - overlap]
    # The EDA events: a lead of both lists, the last one (that no run names), leads of one list only.
    eda_ids = [ids[count - 1], ids[-1], ids[0], ids[2 * count - overlap - 1], ids[count - 2]][: profile.shared_eda]
    distinct = sorted(set(first_ids) | set(second_ids) | set(eda_ids))

    def items(chosen: List[str]) -> List[Dict[str, Any]]:
        return [{"identifier": eng, "context_identifier": "1"} for eng in chosen]

    started = time.monotonic()
    runs = [
        ctx.workspace.start("shared-a", items(first_ids), {"partnercentral_progress_interval": 10}),
        ctx.workspace.start("shared-b", items(second_ids), {"partnercentral_progress_interval": 10}),
    ]
    eda: List[Dict[str, Any]] = []
    thread = threading.Thread(target=_eda_conversions, args=(ctx, eda_ids, eda), daemon=True)
    thread.start()
    finished = [run.wait(900) for run in runs]
    runs_wall = time.monotonic() - started
    thread.join(900)
    wall = time.monotonic() - started
    stats = ctx.admin.stats()
    for run in finished:
        _judge_final_run(result, run, f"shared {run.name}")
    result.expect(len(eda) == len(eda_ids), f"shared: {len(eda)} of {len(eda_ids)} EDA conversions ran")
    for outcome in eda:
        # The batch module's summary names each status with spaces ("1 already done").
        ok = outcome["rc"] == 0 and any(
            f"1 {status.replace('_', ' ')}" in outcome["output"] for status in DONE_STATUSES
        )
        result.failed_items += 0 if ok else 1
        result.expect(ok, f"shared: EDA conversion of {outcome['engagement_id']} rc {outcome['rc']}")
    _judge_opportunities(result, ctx, distinct, "shared")
    starts = stats["requests"].get("StartOpportunityFromEngagementTask", {})
    throttled = stats["throttled"]["rate"]
    bound = len(distinct) / 1.0 + SHARED_TASK_LATENCY
    result.notes.append(
        f"shared: {len(distinct)} distinct leads ({count} + {count} with {overlap} in common, {len(eda_ids)} EDA "
        f"events); wall {wall:.1f} s (both runs done after {runs_wall:.1f} s, the EDA conversions one after another "
        f"{[outcome['seconds'] for outcome in eda]} s) beside the bound {len(distinct)} / 1 write/s + "
        f"{SHARED_TASK_LATENCY:g} s latency = {bound:.0f} s; Start requests {sum(starts.values())} "
        f"({stats['writes_accepted']} accepted, {throttled} throttled) for {len(distinct)} conversions; runs "
        f"{[run.statuses() for run in finished]} in {[round(run.seconds) for run in finished]} s"
    )
    result.trials = 1
    return result


# ---- bad input ---------------------------------------------------------------------------------------------------


def scenario_bad_input(ctx: Context) -> ScenarioResult:
    result = ScenarioResult("bad input catalogue")
    outcome = run_bad_input(ctx)
    result.trials = outcome["cases"]
    result.failed_items = outcome["unexpected"]
    result.duplicates = outcome["duplicates"]
    result.missing = outcome["missing"]
    result.problems.extend(outcome["problems"])
    result.notes.extend(outcome["notes"])
    return result


SCENARIOS: Dict[str, Callable[[Context], ScenarioResult]] = {
    "kill": scenario_kill,
    "kill_group": scenario_kill_group,
    "race": scenario_race,
    "storm": scenario_storm,
    "quota": scenario_quota,
    "timeout": scenario_timeout,
    "shared_quota": scenario_shared_quota,
    "bad_input": scenario_bad_input,
    "eda_kill": scenario_eda_kill,
}
