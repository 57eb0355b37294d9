# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunities_from_engagements role with real ansible-playbook runs against the emulator.

Scenario "accounts": 2 inventory hosts (partner accounts) x 25 engagement items each (22 valid, among them one
engagement ARN, a malformed id, a repeated item and the ARN spelling of an earlier item), the emulator throttling
30% of the requests at random. One module-scoped fixture runs `--check`, the real run (which fails at the end
because of the malformed items), and a re-run; the tests assert on the outputs, the reports, the facts and the
emulator's stats kept between the runs.
Scenario "failures": tasks that FAIL (CustomerProject context, disqualified lead) grouped by reason in the report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import playbook_command
from ansible_collections.partnercentral.selling.tests.support import ansible_env
from partnercentral_emulator.pytest_plugin import EmulatorHandle

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAYBOOK = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "playbooks", "role_opportunities_from_engagements.yml"
)
START = "StartOpportunityFromEngagementTask"
LIST = "ListOpportunityFromEngagementTasks"
HOSTS = ("account-1", "account-2")
VALID_PER_HOST = 22
ACCOUNT_ID = "111122223333"


def eng(label: str) -> str:
    return "eng-" + label.ljust(14, "0")


def arn(eng_id: str) -> str:
    return f"arn:aws:partnercentral:us-east-1:{ACCOUNT_ID}:catalog/Sandbox/engagement/{eng_id}"


def lead(eng_id: str, status: str = "Qualified", *extra: dict[str, Any]) -> dict[str, Any]:
    contexts = [{"id": "1", "type": "Lead", "qualification_status": status}, *extra]
    return {"id": eng_id, "catalog": "Sandbox", "contexts": contexts}


def account_items(host: int) -> list[dict[str, Any]]:
    """25 items: 22 valid (item 5 as an ARN), then a malformed id, a repeat of item 0, item 1 spelled as an ARN."""
    ids = [eng(f"role{host}x{n:02d}") for n in range(VALID_PER_HOST)]
    items: list[dict[str, Any]] = [{"identifier": eng_id, "context_identifier": "1"} for eng_id in ids]
    items[5]["identifier"] = arn(ids[5])
    items[7]["tags"] = {"source": "ansible-test", "host": f"account-{host}"}
    items.append({"identifier": f"eng-BAD-{host}", "context_identifier": "1"})  # 22: invalid
    items.append({"identifier": ids[0], "context_identifier": 1})  # 23: duplicate of 0 (an int context)
    items.append({"identifier": arn(ids[1]), "context_identifier": "1"})  # 24: duplicate of 1
    return items


E_PROJECT = eng("rolefproject")
E_DISQUALIFIED = eng("rolefdisq")
E_GOOD = eng("rolefgood")
FAILURE_ITEMS = [
    {"identifier": E_GOOD, "context_identifier": "1"},
    {"identifier": E_PROJECT, "context_identifier": "2"},
    {"identifier": E_DISQUALIFIED, "context_identifier": "1"},
]
FIXTURE = {
    "engagements": [
        *(lead(eng(f"role{host}x{n:02d}")) for host in (1, 2) for n in range(VALID_PER_HOST)),
        lead(E_GOOD),
        lead(E_PROJECT, "Qualified", {"id": "2", "type": "CustomerProject"}),
        lead(E_DISQUALIFIED, "Disqualified"),
    ]
}


class Run:
    def __init__(self, proc: subprocess.CompletedProcess, run_dir: Any, hosts: list[str]) -> None:
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.facts = {}
        for host in hosts:
            path = run_dir / f"{host}.json"
            self.facts[host] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def output(self) -> str:
        return f"rc={self.rc}\nSTDOUT:\n{self.stdout[-8000:]}\nSTDERR:\n{self.stderr[-3000:]}"

    def recap(self, host: str) -> dict[str, int]:
        match = re.search(rf"^{re.escape(host)}\s+:\s+(.*)$", self.stdout, re.M)
        assert match, self.output()
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


class Harness:
    def __init__(self, server: Any, workdir: Any) -> None:
        self.emulator = EmulatorHandle(server)
        self.workdir = workdir
        self.env = ansible_env(self.emulator, workdir)
        self.runs = 0

    def run(self, hosts: dict[str, dict[str, Any]], *options: str, timeout: float = 300) -> Run:
        self.runs += 1
        run_dir = self.workdir / f"run{self.runs}"
        run_dir.mkdir()
        with_results = {name: {"results_file": str(run_dir / f"{name}.json"), **hv} for name, hv in hosts.items()}
        command = playbook_command(run_dir, with_results, PLAYBOOK, *options)
        proc = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=timeout, check=False)
        return Run(proc, run_dir, list(hosts))


def requests(stats: dict[str, Any], operation: str, status: str | None = None) -> int:
    counts = stats["requests"].get(operation, {})
    return counts.get(status, 0) if status else sum(counts.values())


def delta(before: dict[str, Any], after: dict[str, Any], operation: str, status: str | None = None) -> int:
    return requests(after, operation, status) - requests(before, operation, status)


# ---- scenario "accounts" -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def accounts(emulator_server: Any, tmp_path_factory: Any) -> dict[str, Any]:
    harness = Harness(emulator_server, tmp_path_factory.mktemp("role-accounts"))
    harness.emulator.reset(
        fixture=FIXTURE, engagements=0, throttle_rate=0.3, write_tps=20, read_tps=50, task_latency=0.5, seed=7
    )
    reports = harness.workdir / "reports"
    hosts = {
        name: {
            "partnercentral_catalog": "Sandbox",
            "partnercentral_engagements": account_items(number),
            "partnercentral_write_rate": 5,
            "partnercentral_read_rate": 10,
            "partnercentral_report_path": str(reports),
            "partnercentral_progress_interval": 2,
        }
        for number, name in enumerate(HOSTS, start=1)
    }
    result: dict[str, Any] = {"reports": reports, "stats": [harness.emulator.stats()]}
    result["check"] = harness.run(hosts, "--check")
    result["stats"].append(harness.emulator.stats())
    result["first"] = harness.run(hosts)
    result["stats"].append(harness.emulator.stats())
    result["first_reports"] = {
        host: (
            json.loads((reports / f"{host}.json").read_text(encoding="utf-8")),
            (reports / f"{host}.md").read_text(encoding="utf-8"),
        )
        for host in HOSTS
    }
    result["rerun"] = harness.run(hosts, "-e", "partnercentral_fail_on_error=false")
    result["stats"].append(harness.emulator.stats())
    return result


def test_check_mode_makes_no_write(accounts):
    run = accounts["check"]
    before, after = accounts["stats"][0], accounts["stats"][1]
    assert delta(before, after, START) == 0, run.output()
    assert after["converted"] == 0
    # In check mode too, the malformed items make the role fail at the end.
    assert run.rc == 2, run.output()
    assert "Would have" not in run.stderr
    for host in HOSTS:
        assert f"partnercentral batch done [{host}]" in run.stdout


def test_every_valid_item_is_converted_exactly_once_despite_throttling(accounts):
    run = accounts["first"]
    before, after = accounts["stats"][1], accounts["stats"][2]
    assert after["throttled"]["injected"] > 0, "the emulator should have throttled some requests"
    assert after["converted"] == len(HOSTS) * VALID_PER_HOST, run.output()
    assert after["duplicates"] == 0
    assert all(len(ids) == 1 for ids in after["opportunities"].values())
    assert delta(before, after, START, "200") == len(HOSTS) * VALID_PER_HOST


def test_first_run_fails_at_the_end_naming_the_problem_items(accounts):
    run = accounts["first"]
    assert run.rc == 2, run.output()
    for host in HOSTS:
        assert run.recap(host)["failed"] == 1
        assert run.facts[host] is None  # the failed host did not reach the next play
    assert "1 of 25 engagement contexts were not converted" in run.stdout
    assert "Set partnercentral_fail_on_error=false to accept them" in run.stdout
    assert "eng-BAD-1" in run.stdout and "eng-BAD-2" in run.stdout


def test_progress_lines_and_summary_are_printed(accounts):
    run = accounts["first"]
    for host in HOSTS:
        lines = re.findall(rf"^partnercentral batch (?:progress|done) \[{host}\]: (\d+)/25 finished", run.stdout, re.M)
        assert lines, run.output()
        assert int(lines[-1]) == 25
        assert re.search(
            rf"^partnercentral batch done \[{host}\]: 25/25 finished \(100%\): 24 done, 1 failed", run.stdout, re.M
        )
    assert "25 items in catalog Sandbox: 22 created, 1 invalid, 2 duplicate" in run.stdout


def test_reports_list_every_item(accounts):
    for number, host in enumerate(HOSTS, start=1):
        report, markdown = accounts["first_reports"][host]
        assert report["catalog"] == "Sandbox"
        assert report["title"] == f"Opportunities from engagements: {host} (Sandbox catalog)"
        counts = report["counts"]
        assert (counts["total"], counts["created"], counts["invalid"], counts["duplicate"], counts["errors"]) == (
            25,
            22,
            1,
            2,
            1,
        )
        statuses = [item["status"] for item in report["items"]]
        assert statuses == ["created"] * 22 + ["invalid", "duplicate", "duplicate"]
        assert [item["duplicate_of"] for item in report["items"][23:]] == [0, 1]
        assert report["items"][5]["engagement_id"] == eng(f"role{number}x05")
        assert report["items"][7]["task"]["tags"] == {"source": "ansible-test", "host": host}
        for item in report["items"][:22]:
            assert re.fullmatch(r"task-[0-9a-z]{13}", item["task_id"])
            assert re.fullmatch(r"O[0-9]+", item["opportunity_id"])
            assert item["detected_at"]
        assert list(report["failures_by_reason"]) == ["invalid"]
        assert report["failures_by_reason"]["invalid"]["items"] == [22]
        assert "Fix the item in the list" in report["failures_by_reason"]["invalid"]["hint"]
        # Markdown: the table with one row per item, the totals, the failures with their hint.
        assert "| # | Engagement | Context | Origin | Status | Task | Opportunity | Reason / message |" in markdown
        rows = [line for line in markdown.splitlines() if re.match(r"\| \d+ \|", line)]
        assert len(rows) == 25
        first = report["items"][0]
        task, opportunity = first["task_id"], first["opportunity_id"]
        row = f"| 0 | `{first['engagement_id']}` | 1 | list | created | `{task}` | `{opportunity}` |"
        assert row in markdown
        assert "| created | 22 |" in markdown and "| **total** | **25** |" in markdown
        assert "### invalid (1)" in markdown and f"eng-BAD-{number}" in markdown


def test_rerun_makes_no_write_and_changes_nothing(accounts):
    run = accounts["rerun"]
    before, after = accounts["stats"][2], accounts["stats"][3]
    assert run.rc == 0, run.output()
    assert delta(before, after, START) == 0
    assert after["converted"] == len(HOSTS) * VALID_PER_HOST and after["duplicates"] == 0
    # Lookups only: 22 engagements in 10s, retried when throttled.
    assert delta(before, after, LIST, "200") == len(HOSTS) * 3
    for host in HOSTS:
        assert run.recap(host)["changed"] == 0, run.output()
        batch = run.facts[host]
        assert batch["changed"] is False
        assert batch["counts"]["already_done"] == 22 and batch["counts"]["created"] == 0
        assert batch["api_calls"]["writes"] == 0
        assert batch["reports"]["markdown"].endswith(f"{host}.md")
        first = {item["index"]: item for item in accounts["first_reports"][host][0]["items"]}
        for item in batch["items"][:22]:
            assert item["status"] == "already_done"
            assert item["opportunity_id"] == first[item["index"]]["opportunity_id"]


# ---- scenario "failures" -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def failures(emulator_server: Any, tmp_path_factory: Any) -> dict[str, Any]:
    harness = Harness(emulator_server, tmp_path_factory.mktemp("role-failures"))
    harness.emulator.reset(fixture=FIXTURE, engagements=0, write_tps=50, read_tps=50)
    reports = harness.workdir / "reports"
    run = harness.run(
        {
            "account-f": {
                "partnercentral_catalog": "Sandbox",
                "partnercentral_engagements": FAILURE_ITEMS,
                "partnercentral_write_rate": 20,
                "partnercentral_report_path": str(reports),
            }
        }
    )
    return {
        "run": run,
        "report": json.loads((reports / "account-f.json").read_text(encoding="utf-8")),
        "markdown": (reports / "account-f.md").read_text(encoding="utf-8"),
    }


def test_failed_tasks_are_grouped_by_reason_with_hints(failures):
    run, report, markdown = failures["run"], failures["report"], failures["markdown"]
    assert run.rc == 2, run.output()
    assert [item["status"] for item in report["items"]] == ["created", "failed", "failed"]
    groups = report["failures_by_reason"]
    assert set(groups) == {"CustomerProjectContextNotPermitted", "DisqualifiedLeadNotPermitted"}
    assert groups["CustomerProjectContextNotPermitted"]["items"] == [1]
    assert "qualify it" in groups["DisqualifiedLeadNotPermitted"]["hint"]
    assert "### DisqualifiedLeadNotPermitted (1)" in markdown
    assert "What to do: The lead is disqualified" in markdown
    assert "**CustomerProjectContextNotPermitted**" in markdown
    assert "2 of 3 engagement contexts were not converted" in run.stdout


def test_malformed_role_input_is_rejected_by_the_argument_spec(emulator_server, tmp_path):
    harness = Harness(emulator_server, tmp_path)
    harness.emulator.reset(fixture=FIXTURE, engagements=0)
    before = harness.emulator.stats()
    run = harness.run(
        {
            "bad-catalog": {"partnercentral_catalog": "aws", "partnercentral_engagements": FAILURE_ITEMS[:1]},
            "bad-items": {"partnercentral_catalog": "Sandbox", "partnercentral_engagements": ["eng-abc"]},
            "bad-key": {
                "partnercentral_catalog": "Sandbox",
                "partnercentral_engagements": [{"identifier": E_GOOD, "context": "1"}],
            },
        }
    )
    assert run.rc == 2, run.output()
    for host in ("bad-catalog", "bad-items", "bad-key"):
        assert run.recap(host)["failed"] == 1
    assert "Validating arguments against arg spec" in run.stdout
    assert "partnercentral_catalog" in run.stdout and "value of partnercentral_catalog must be one of" in run.stdout
    assert harness.emulator.stats()["total_requests"] == before["total_requests"]
