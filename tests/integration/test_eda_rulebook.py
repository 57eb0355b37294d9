# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The example rulebook with the real engine: ansible-rulebook runs extensions/eda/rulebooks/leads.yml, with the
event source partnercentral.selling.leads, against the emulator.

Qualified lead contexts become opportunities exactly once, the others are left alone, and a rulebook killed with
SIGKILL and started again converts nothing twice. ansible-rulebook's rule engine (drools) needs a Java runtime: the
tests that start it are skipped, with the reason, when `ansible-rulebook --version` finds none.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any
from typing import Dict
from typing import List

import pytest
import yaml
from docs_support import REPO_ROOT
from docs_support import ansible_env
from docs_support import run_playbook

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CATALOG = "Sandbox"
POLL_INTERVAL = 2
BIN_DIR = os.path.dirname(sys.executable)
RULEBOOK_BIN = os.path.join(BIN_DIR, "ansible-rulebook")
CONVERSION_PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "eda_lead_conversion.yml")

QUALIFIED = ["eng-eda0000000001a", "eng-eda0000000002a"]
UNQUALIFIED = "eng-eda0000000003a"
CONVERTED_BEFORE = "eng-eda0000000004a"
TWO_LEADS = "eng-eda0000000005a"  # two qualified lead contexts


def _lead(context_id: str, status: str) -> Dict[str, Any]:
    return {"id": context_id, "type": "Lead", "qualification_status": status}


FIXTURE = {
    "engagements": [
        *({"catalog": CATALOG, "id": engagement, "contexts": [_lead("1", "Qualified")]} for engagement in QUALIFIED),
        {"catalog": CATALOG, "id": UNQUALIFIED, "contexts": [_lead("1", "Unqualified")]},
        {"catalog": CATALOG, "id": CONVERTED_BEFORE, "contexts": [_lead("1", "Qualified")]},
    ]
}
TWO_LEADS_FIXTURE = {
    "engagements": [
        {"catalog": CATALOG, "id": TWO_LEADS, "contexts": [_lead("1", "Qualified"), _lead("2", "Qualified")]}
    ]
}


@pytest.fixture(scope="module")
def rulebook_engine() -> str:
    """`ansible-rulebook --version`, or a skip that says what is missing."""
    if not os.path.exists(RULEBOOK_BIN):
        pytest.skip("ansible-rulebook is not installed in this virtualenv (requirements-dev.txt installs 1.3.2)")
    try:
        answer = subprocess.run([RULEBOOK_BIN, "--version"], capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("ansible-rulebook --version did not answer within 120 s")
    if answer.returncode != 0 or "Java home" not in answer.stdout:
        pytest.skip(
            "no Java runtime for ansible-rulebook's rule engine (drools needs Java 17 or later: install it, or set "
            f"JAVA_HOME): {(answer.stdout + answer.stderr).strip()[-300:]}"
        )
    return answer.stdout


def _env(emulator: Any, tmp_path: Any) -> Dict[str, str]:
    env = ansible_env(emulator, tmp_path)
    # ansible-rulebook finds ansible-galaxy and ansible-playbook on PATH.
    env["PATH"] = os.pathsep.join([BIN_DIR, env.get("PATH", "")])
    return env


def _tasks(client: Any, engagement: str) -> List[Dict[str, Any]]:
    answer = client.list_opportunity_from_engagement_tasks(Catalog=CATALOG, EngagementIdentifier=[engagement])
    return answer["TaskSummaries"]


def _convert_before(client: Any, engagement: str, context: str) -> None:
    client.start_opportunity_from_engagement_task(
        Catalog=CATALOG, Identifier=engagement, ContextIdentifier=context, ClientToken=f"before-{engagement}-{context}"
    )


class Rulebook:
    """One ansible-rulebook process running the collection's example rulebook, in its own process group."""

    def __init__(self, tmp_path: Any, env: Dict[str, str], name: str) -> None:
        self.tmp_path = tmp_path
        self.env = env
        self.log_path = tmp_path / f"{name}.log"
        self.process: Any = None

    def start(self) -> "Rulebook":
        inventory = self.tmp_path / "inventory.yml"
        inventory.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}))
        variables = self.tmp_path / "vars.yml"
        variables.write_text(
            yaml.safe_dump(
                {
                    "partnercentral_catalog": CATALOG,
                    "partnercentral_checkpoint_path": str(self.tmp_path / "checkpoint.json"),
                    "partnercentral_poll_interval": POLL_INTERVAL,
                    # The emulator has no invitation operations yet: lead contexts only.
                    "partnercentral_lead_invitations": False,
                    "partnercentral_lead_policy": {
                        "countries": ["US"],
                        "industries": ["Software and Internet"],
                        "segments": ["Enterprise"],
                    },
                }
            )
        )
        # -v: the source's INFO lines (start, full reconciliation done) go to the log.
        command = [
            RULEBOOK_BIN,
            "-v",
            "-r",
            "partnercentral.selling.leads",
            "-i",
            str(inventory),
            "--vars",
            str(variables),
        ]
        handle = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=str(self.tmp_path),
            start_new_session=True,
        )
        handle.close()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, predicate: Any, timeout: float, what: str) -> float:
        """Seconds until predicate() is true; fails with the rulebook's log tail otherwise."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if predicate():
                return time.monotonic() - started
            if self.process.poll() is not None:
                pytest.fail(
                    f"ansible-rulebook exited with {self.process.returncode} before {what}:\n{self.log()[-3000:]}"
                )
            time.sleep(0.5)
        pytest.fail(f"{what} did not happen within {timeout} s:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole process group (the rulebook and any playbook it runs)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture
def rulebooks() -> Any:
    started: List[Rulebook] = []
    yield started
    for rulebook in started:
        rulebook.kill()


def _run_conversion(emulator: Any, tmp_path: Any, engagement: str, context: str) -> str:
    """The conversion playbook as the rule runs it, with a lead_context event as ansible_eda.event."""
    event = {"type": "lead_context", "catalog": CATALOG, "engagement_id": engagement, "context_id": context,
             "qualification_status": "Qualified"}  # fmt: skip
    extra = tmp_path / f"event-{engagement}-{context}.json"
    extra.write_text(json.dumps({"ansible_eda": {"event": event}}))
    inventory = tmp_path / "inventory"
    inventory.write_text("localhost ansible_connection=local\n")
    result = run_playbook(CONVERSION_PLAYBOOK, str(inventory), _env(emulator, tmp_path), "-e", f"@{extra}")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_same_event_twice_converts_once(emulator: Any, tmp_path: Any) -> None:
    """The conversion playbook is what the rule runs: a repeated event finds the earlier task (already done)."""
    emulator.reset(fixture=FIXTURE, engagements=0, write_tps=0)
    assert "1 created" in _run_conversion(emulator, tmp_path, QUALIFIED[0], "1")
    assert "1 already done" in _run_conversion(emulator, tmp_path, QUALIFIED[0], "1")
    assert len(_tasks(emulator.client(), QUALIFIED[0])) == 1


@pytest.mark.xfail(
    strict=True,
    reason="the engine (module_utils match_tasks) attributes lead 1's task, which names the new CustomerProject "
    "context as in AWS's sample, to lead 2 when lead 2 is converted in a batch of its own, and reports it already "
    "done: with one event per lead context, the second lead of an engagement is never converted",
)
def test_two_lead_contexts_of_one_engagement_converted_one_event_each(emulator: Any, tmp_path: Any) -> None:
    emulator.reset(fixture=TWO_LEADS_FIXTURE, engagements=0, write_tps=0)
    assert "1 created" in _run_conversion(emulator, tmp_path, TWO_LEADS, "1")
    assert "1 created" in _run_conversion(emulator, tmp_path, TWO_LEADS, "2")
    assert len(_tasks(emulator.client(), TWO_LEADS)) == 2


def test_rulebook_converts_each_qualified_lead_once_across_a_kill(
    rulebook_engine: str, emulator: Any, tmp_path: Any, rulebooks: List[Rulebook]
) -> None:
    emulator.reset(fixture=FIXTURE, engagements=0, write_tps=0)
    client = emulator.client()
    _convert_before(client, CONVERTED_BEFORE, "1")
    env = _env(emulator, tmp_path)
    checkpoint = tmp_path / "checkpoint.json"

    def converted(engagement: str) -> int:
        return len(_tasks(client, engagement))

    def all_converted() -> bool:
        return all(converted(engagement) == 1 for engagement in QUALIFIED)

    first = Rulebook(tmp_path, env, "first").start()
    rulebooks.append(first)
    first.wait_for(all_converted, timeout=240, what="the conversion of every qualified lead")
    # Let the source see the conversions and a few more polls: nothing else may start.
    first.wait_for(lambda: first.log().count("full reconciliation done") >= 1, 60, "the first full reconciliation")
    time.sleep(3 * POLL_INTERVAL)
    first.kill()

    writes_before_restart = emulator.stats()["writes_accepted"]
    state = json.loads(checkpoint.read_text())
    assert set(state["engagements"]) == {*QUALIFIED, UNQUALIFIED, CONVERTED_BEFORE}
    assert state["engagements"][CONVERTED_BEFORE]["contexts"]["1"]["converted"] is True

    second = Rulebook(tmp_path, env, "second").start()
    rulebooks.append(second)
    second.wait_for(lambda: "full reconciliation done" in second.log(), 120, "the full reconciliation after restart")
    time.sleep(3 * POLL_INTERVAL)
    second.kill()

    assert emulator.stats()["writes_accepted"] == writes_before_restart, second.log()[-3000:]
    for engagement in QUALIFIED:
        assert converted(engagement) == 1
    assert converted(CONVERTED_BEFORE) == 1
    assert converted(UNQUALIFIED) == 0  # not qualified: left alone
    assert emulator.stats()["duplicates"] == 0
    assert "eda_lead_intake" not in first.log() + second.log()
