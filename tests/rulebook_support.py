# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ansible-rulebook runs of the collection's rulebook against the emulator, and the EDA kill trial.

Used by tests/integration/test_eda_rulebook.py and by the reliability suite (``python -m tests.reliability``): the
trial kills the activation (SIGKILL to its process group) while lead events wait behind a running playbook, adds
leads while it is down, starts it again, and counts the conversions on the emulator.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import secrets
import signal
import subprocess
import sys
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

import yaml
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT
from ansible_collections.partnercentral.selling.tests.support import kill_processes_with_environ
from ansible_collections.partnercentral.selling.tests.support import processes_with_environ
from ansible_collections.partnercentral.selling.tests.support import run_playbook

CATALOG = "Sandbox"
BIN_DIR = os.path.dirname(sys.executable)
RULEBOOK_BIN = os.path.join(BIN_DIR, "ansible-rulebook")
# Every process of a rulebook run carries this variable: ansible-runner starts ansible-playbook in a session of its
# own (and ansible-core its workers), so a SIGKILL to the rulebook's process group leaves the running playbook alive;
# the survivors are found by it and killed by pid when the run is over.
MARKER_VARIABLE = "PCS_RULEBOOK_RUN"
CONVERSION_PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "eda_lead_conversion.yml")

POLICY = {"countries": ["US"], "industries": ["Software and Internet"], "segments": ["Enterprise"]}
MATCHING = {
    "company_name": "AnyCompany",
    "industry": "Software and Internet",
    "segment": "Enterprise",
    "country_code": "US",
}


def rulebook_problem() -> Optional[str]:
    """None when ansible-rulebook and its Java runtime work here, else why not."""
    if not os.path.exists(RULEBOOK_BIN):
        return "ansible-rulebook is not installed in this virtualenv (requirements-dev.txt installs 1.3.2)"
    try:
        answer = subprocess.run([RULEBOOK_BIN, "--version"], capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return "ansible-rulebook --version did not answer within 120 s"
    if answer.returncode != 0 or "Java home" not in answer.stdout:
        return (
            "no Java runtime for ansible-rulebook's rule engine (drools needs Java 17 or later: install it, or set "
            f"JAVA_HOME): {(answer.stdout + answer.stderr).strip()[-300:]}"
        )
    return None


def rulebook_env(base: Dict[str, str]) -> Dict[str, str]:
    """The environment of a rulebook run: ansible-rulebook finds ansible-galaxy and ansible-playbook on PATH."""
    env = dict(base)
    env["PATH"] = os.pathsep.join([BIN_DIR, env.get("PATH", "")])
    env.setdefault(MARKER_VARIABLE, secrets.token_hex(8))
    return env


def marked_processes(marker: str) -> List[int]:
    """Pids of the live processes whose environment holds MARKER_VARIABLE=marker (this one excluded)."""
    return processes_with_environ(f"{MARKER_VARIABLE}={marker}")


class Rulebook:
    """One ansible-rulebook process running the collection's example rulebook, in its own process group."""

    def __init__(
        self,
        workdir: pathlib.Path,
        env: Dict[str, str],
        name: str,
        invitations: bool = False,
        **variables: Any,
    ) -> None:
        self.workdir = workdir
        self.env = env
        self.log_path = workdir / f"{name}.log"
        self.invitations = invitations
        self.variables = variables
        self.process: Any = None
        self._busy_at = 0.0

    @property
    def checkpoint(self) -> pathlib.Path:
        return self.workdir / "checkpoint.json"

    def start(self) -> "Rulebook":
        inventory = self.workdir / "inventory.yml"
        inventory.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}))
        variables = self.workdir / "vars.yml"
        values = {
            "partnercentral_catalog": CATALOG,
            "partnercentral_checkpoint_path": str(self.checkpoint),
            "partnercentral_poll_interval": 3,
            "partnercentral_max_reads_per_second": 10,
            "partnercentral_lead_invitations": self.invitations,
            "partnercentral_lead_policy": POLICY,
        }
        values.update({f"partnercentral_{key}": value for key, value in self.variables.items()})
        variables.write_text(yaml.safe_dump(values))
        # -v: the source's INFO lines (start, full reconciliation done, redeliveries) go to the log.
        command = [RULEBOOK_BIN, "-v", "-r", "partnercentral.selling.leads", "-i", str(inventory)]
        command += ["--vars", str(variables)]
        handle = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=str(self.workdir),
            start_new_session=True,
        )
        handle.close()
        self._busy_at = time.monotonic()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for(self, predicate: Callable[[], Any], timeout: float, what: str) -> float:
        """Seconds until predicate() is true; AssertionError with the rulebook's log tail otherwise."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if predicate():
                return time.monotonic() - started
            if self.process.poll() is not None:
                raise AssertionError(
                    f"ansible-rulebook exited with {self.process.returncode} before {what}:\n{self.log()[-3000:]}"
                )
            time.sleep(0.25)
        raise AssertionError(f"{what} did not happen within {timeout} s:\n{self.log()[-3000:]}")

    def playbooks(self) -> List[int]:
        """The ansible-playbook processes of this run (any session)."""
        pids = []
        for pid in marked_processes(self.env.get(MARKER_VARIABLE, "")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if b"ansible-playbook" in handle.read():
                        pids.append(pid)
            except OSError:
                continue
        return pids

    def idle_for(self, seconds: float) -> bool:
        """Whether no playbook of this run was seen running during the last `seconds` (sampled by the caller)."""
        now = time.monotonic()
        if self.playbooks():
            self._busy_at = now
        return now - self._busy_at >= seconds

    def kill(self) -> None:
        """SIGKILL to the whole process group (the rulebook, its JVM and the threads that run the actions)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def kill_survivors(self, timeout: float = 10.0) -> List[int]:
        """SIGKILL, by pid, every process of the run that outlived kill() (see MARKER_VARIABLE); their pids."""
        marker = self.env.get(MARKER_VARIABLE, "")
        return kill_processes_with_environ(f"{MARKER_VARIABLE}={marker}", timeout=timeout) if marker else []


def checkpoint_contexts(path: pathlib.Path) -> Dict[str, Dict[str, Any]]:
    """engagement id -> the checkpoint's record of its context "1" ({} before the first save or when unreadable)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {
        engagement: record["contexts"]["1"]
        for engagement, record in data.get("engagements", {}).items()
        if "1" in record.get("contexts", {})
    }


@dataclasses.dataclass
class KillTrial:
    """What one EDA kill trial saw: the leads that qualify, the conversions on the emulator, the timings."""

    corrupt: bool
    qualifying: List[str] = dataclasses.field(default_factory=list)
    left_alone: List[str] = dataclasses.field(default_factory=list)
    queued_at_kill: List[str] = dataclasses.field(default_factory=list)
    tasks: Dict[str, int] = dataclasses.field(default_factory=dict)
    redelivery_lines: int = 0
    converge_seconds: float = 0.0
    job_seconds: float = 0.0
    bound_seconds: float = 0.0
    survivors: int = 0
    emulator_duplicates: int = 0
    opportunities: Dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def conversions(self) -> int:
        return sum(self.tasks.get(engagement, 0) for engagement in self.qualifying)

    @property
    def duplicates(self) -> int:
        """Leads with more than one task or opportunity."""
        doubled = [
            engagement
            for engagement in self.qualifying
            if self.tasks.get(engagement, 0) > 1 or self.opportunities.get(engagement, 0) > 1
        ]
        return max(len(doubled), self.emulator_duplicates)

    @property
    def missing(self) -> int:
        return sum(1 for engagement in self.qualifying if not self.tasks.get(engagement))

    @property
    def strays(self) -> int:
        return sum(
            self.tasks.get(engagement, 0) + self.opportunities.get(engagement, 0) for engagement in self.left_alone
        )

    def summary(self) -> str:
        mode = "corrupt checkpoint" if self.corrupt else "checkpoint kept"
        return (
            f"EDA kill ({mode}): {len(self.queued_at_kill)} lead events queued at the kill, {len(self.qualifying)} "
            f"qualifying leads, {self.conversions} conversions, {self.duplicates} duplicates, {self.missing} missing, "
            f"{self.strays} conversions of leads left alone; {self.redelivery_lines} redeliveries logged; converged "
            f"{self.converge_seconds:.1f} s after the source restarted (bound redeliver_after + 2 polls + "
            f"{len(self.qualifying) + 2} jobs of {self.job_seconds:.1f} s = {self.bound_seconds:.1f} s); "
            f"{self.survivors} processes outlived the kill (killed by pid)"
        )


def kill_trial(
    emulator: Any,
    workdir: pathlib.Path,
    env: Dict[str, str],
    corrupt: bool = False,
    batch: int = 3,
    while_down: int = 1,
    poll_interval: float = 2.0,
    redeliver_after: float = 30.0,
    task_latency: float = 2.0,
    timeout: float = 300.0,
) -> KillTrial:
    """SIGKILL the activation while lead events wait behind a running playbook, add leads while it is down, restart.

    emulator: a handle with admin (EmulatorAdmin) and client() (boto3 against it), reset by the caller. The tasks
    take task_latency seconds until the kill, so that each conversion job is slow and events queue behind it.
    """
    admin = emulator.admin
    client = emulator.client()
    trial = KillTrial(corrupt=corrupt)
    variables = {
        "poll_interval": poll_interval,
        "redeliver_after": redeliver_after,
        # Redelivery does not wait for a full reconciliation: a long interval shows it.
        "reconcile_interval": 3600,
    }
    admin.configure(task_latency=task_latency)

    def converted() -> Dict[str, int]:
        """engagement -> opportunities of its lead context 1, from the emulator's admin API (no read quota: the
        source and the playbooks keep the account's)."""
        opportunities = admin.stats()["opportunities"]
        return {key.split("/")[1]: len(ids) for key, ids in opportunities.items() if key.endswith("/1")}

    def tasks(engagement: str) -> int:
        time.sleep(0.2)  # within the account's read quota
        answer = client.list_opportunity_from_engagement_tasks(Catalog=CATALOG, EngagementIdentifier=[engagement])
        return len(answer["TaskSummaries"])

    def add(status: str = "Qualified", invited: bool = False) -> str:
        spec: Dict[str, Any] = {"customer": MATCHING, "qualification_status": status}
        if invited:
            spec["invitation"] = {"status": "PENDING"}
        engagement = admin.add_lead(**spec)["engagement_id"]
        (trial.qualifying if status == "Qualified" else trial.left_alone).append(engagement)
        return engagement

    first = Rulebook(workdir, env, "before-kill", invitations=True, **variables).start()
    try:
        first.wait_for(lambda: "full reconciliation done" in first.log(), 240, "the source's first reconciliation")
        # Leads and an invitation arrive while the rulebook runs: one playbook at a time, the others wait.
        leads = [add() for _number in range(batch)]
        add(invited=True)
        add(status="Unqualified")
        first.wait_for(
            lambda: set(leads) <= set(checkpoint_contexts(first.checkpoint)) and set(leads) & set(converted()),
            timeout,
            "the lead events emitted and a first conversion",
        )
        done = converted()
        trial.queued_at_kill = [lead for lead in leads if lead not in done]
        first.kill()
    finally:
        first.kill()
        trial.survivors += len(first.kill_survivors())
    admin.configure(task_latency=0.0)
    for _number in range(while_down):
        add()
    add(invited=True)
    add(status="Disqualified")
    if corrupt:
        first.checkpoint.write_text('{"version": 2, "catalog": "Sandbox", "engagements": {"eng-')

    second = Rulebook(workdir, env, "after-kill", invitations=True, **variables).start()
    try:
        second.wait_for(lambda: "watching catalog" in second.log(), 240, "the source's start")
        trial.converge_seconds = second.wait_for(
            lambda: set(trial.qualifying) <= set(converted()), timeout, "every qualifying lead"
        )
        # Until the source has seen every conversion (it emits none of them again) and no playbook ran for two polls:
        # the events still queued have run by then, and a second conversion would show.
        second.wait_for(
            lambda: all(
                checkpoint_contexts(second.checkpoint).get(lead, {}).get("converted") for lead in trial.qualifying
            )
            and second.idle_for(2 * poll_interval),
            timeout,
            "the source to see every conversion and the queue to drain",
        )
        trial.redelivery_lines = second.log().count("redelivering lead")
    finally:
        second.kill()
        trial.survivors += len(second.kill_survivors())
    trial.tasks = {engagement: tasks(engagement) for engagement in trial.qualifying + trial.left_alone}
    trial.opportunities = converted()
    trial.emulator_duplicates = int(admin.stats().get("duplicates", 0))
    # One more run of the conversion job, for a lead converted by now (what a redelivered event costs).
    trial.job_seconds = conversion_job_seconds(env, workdir, trial.qualifying[0])
    # Every open lead's job and the two invitations' intake jobs may run one after another after the restart.
    trial.bound_seconds = redeliver_after + 2 * poll_interval + (len(trial.qualifying) + 2) * trial.job_seconds
    if corrupt:
        assert list(workdir.glob("checkpoint.json.corrupt-*")), "the corrupt checkpoint was not moved aside"
    return trial


def conversion_job_seconds(env: Dict[str, str], workdir: pathlib.Path, engagement: str) -> float:
    """How long one conversion job takes here: the playbook the rule runs, with a lead_context event of `engagement`."""
    event = {"type": "lead_context", "catalog": CATALOG, "engagement_id": engagement, "context_id": "1",
             "qualification_status": "Qualified", "lead_contexts": ["1"]}  # fmt: skip
    extra = workdir / f"event-{engagement}.json"
    extra.write_text(json.dumps({"ansible_eda": {"event": event}}))
    inventory = workdir / "inventory"
    inventory.write_text("localhost ansible_connection=local\n")
    started = time.monotonic()
    result = run_playbook(CONVERSION_PLAYBOOK, str(inventory), env, "-e", f"@{extra}")
    assert result.returncode == 0, result.stdout + result.stderr
    return time.monotonic() - started
