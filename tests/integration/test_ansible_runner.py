# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The role under ansible-runner, the engine of AWX, against the emulator: results in the job events, no secret in
the artifacts.

Credentials reach the job the way a credential file of AWX does: a profile in an AWS credentials file outside the
private data dir, with a session token, so the emulator checks the token on every request. ansible-runner writes the
job's whole environment into ``artifacts/<ident>/command``; keys passed as environment variables would end up there.
"""

from __future__ import annotations

import json
import os
import secrets
import sys

import pytest
import yaml
from ansible_collections.partnercentral.selling.tests.support import ansible_state_env
from ansible_collections.partnercentral.selling.tests.support import local_host
from ansible_collections.partnercentral.selling.tests.support import write_aws_files

ansible_runner = pytest.importorskip("ansible_runner", reason="ansible-runner is pinned in requirements-dev.txt only")

pytestmark = pytest.mark.integration

ROLE = "partnercentral.selling.opportunities_from_engagements"
SUMMARY_TASK = "Show the summary of the batch and the items that were not converted"
ACCOUNT_A = ["eng-runnera0000001", "eng-runnera0000002"]
ACCOUNT_B = ["eng-runnerb0000001", "eng-runnerb0000002"]
DISQUALIFIED = "eng-runnerb0000002"


def _fixture() -> dict:
    engagements = []
    for eng_id in ACCOUNT_A + ACCOUNT_B:
        status = "Disqualified" if eng_id == DISQUALIFIED else "Qualified"
        context = {"id": "1", "type": "Lead", "qualification_status": status}
        engagements.append({"id": eng_id, "catalog": "Sandbox", "contexts": [context]})
    return {"engagements": engagements}


def _inventory(reports: str) -> dict:
    def account(profile: str, ids: list[str]) -> dict:
        return {
            "partnercentral_profile": profile,
            "partnercentral_engagements": [{"identifier": eng_id, "context_identifier": "1"} for eng_id in ids],
        }

    return {
        "partner_accounts": {
            "vars": local_host(
                partnercentral_catalog="Sandbox",
                partnercentral_report_path=reports,
                partnercentral_fail_on_error=False,
                partnercentral_progress_interval=1,
            ),
            "hosts": {"partner-a": account("partner-a", ACCOUNT_A), "partner-b": account("partner-b", ACCOUNT_B)},
        }
    }


def test_role_under_ansible_runner(emulator, tmp_path, monkeypatch):
    token = "pcs-runner-session-" + secrets.token_hex(16)
    emulator.reset(
        fixture=_fixture(),
        credentials=[{"access_key": emulator.access_key, "secret_key": emulator.secret_key, "session_token": token}],
    )
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)  # runner passes (and records) the test process's environment too
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))

    private = tmp_path / "runner"
    (private / "project").mkdir(parents=True)
    (private / "inventory").mkdir()
    (private / "project" / "convert.yml").write_text(
        yaml.safe_dump(
            [{"name": "Convert", "hosts": "partner_accounts", "gather_facts": False, "roles": [{"role": ROLE}]}]
        ),
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    (private / "inventory" / "hosts.yml").write_text(yaml.safe_dump(_inventory(str(reports))), encoding="utf-8")
    ansible_home = tmp_path / "ansible-home"
    envvars = {
        "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING": emulator.endpoint_url,
        "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": str(tmp_path),
        **ansible_state_env(ansible_home),
    }
    keys = {
        "aws_access_key_id": emulator.access_key,
        "aws_secret_access_key": emulator.secret_key,
        "aws_session_token": token,
    }
    envvars.update(write_aws_files(tmp_path / "aws", {"partner-a": keys, "partner-b": keys}))

    result = ansible_runner.run(
        private_data_dir=str(private),
        playbook="convert.yml",
        inventory=str(private / "inventory" / "hosts.yml"),
        envvars=envvars,
        ident="convert",
        quiet=True,
        timeout=50,
    )

    stdout = result.stdout.read()
    assert result.status == "successful", stdout[-4000:]
    assert result.rc == 0

    # Per-item results in the job events: the fact set by the role, and its debug line about the failed item.
    batches = {}
    failed_item_lines = []
    summaries = {}
    for event in result.events:
        data = event.get("event_data", {})
        if event["event"] == "runner_on_ok" and data.get("task", "").startswith("Record the result of the batch"):
            batches[data["host"]] = data["res"]["ansible_facts"]["partnercentral_batch"]
        if event["event"] == "runner_item_on_ok" and data.get("task") == SUMMARY_TASK:
            if data["res"]["item"] == "summary":
                summaries[data["host"]] = data["res"]["msg"]
            else:
                failed_item_lines.append(data["res"]["msg"])
    assert set(batches) == {"partner-a", "partner-b"}
    assert [item["status"] for item in batches["partner-a"]["items"]] == ["created", "created"]
    assert [item["engagement_id"] for item in batches["partner-a"]["items"]] == ACCOUNT_A
    statuses_b = {
        item["engagement_id"]: (item["status"], item["reason_code"]) for item in batches["partner-b"]["items"]
    }
    assert statuses_b == {
        ACCOUNT_B[0]: ("created", None),
        DISQUALIFIED: ("failed", "DisqualifiedLeadNotPermitted"),
    }
    assert all(item["opportunity_id"] for item in batches["partner-a"]["items"])
    assert len(failed_item_lines) == 1 and DISQUALIFIED in failed_item_lines[0]
    assert "DisqualifiedLeadNotPermitted" in failed_item_lines[0]
    assert set(summaries) == {"partner-a", "partner-b"}
    assert summaries["partner-b"][0].startswith("2 items in catalog Sandbox: 1 created, 1 failed; 1 not converted")
    assert summaries["partner-a"][1] == f"Reports: {reports / 'partner-a.md'}, {reports / 'partner-a.json'}"

    # The artifacts AWX keeps: status, rc, stdout, the events, the command.
    artifacts = private / "artifacts" / "convert"
    assert (artifacts / "status").read_text() == "successful"
    assert (artifacts / "rc").read_text() == "0"
    assert "partner-b" in (artifacts / "stdout").read_text()
    events_on_disk = list((artifacts / "job_events").glob("*.json"))
    assert len(events_on_disk) == len(list(result.events)) > 10
    assert json.loads((artifacts / "command").read_text())["command"][0].endswith("ansible-playbook")
    assert sorted(path.name for path in reports.iterdir()) == [
        "partner-a.json",
        "partner-a.md",
        "partner-b.json",
        "partner-b.md",
    ]

    # No secret anywhere in what the job left behind (the credentials file itself lies outside these trees).
    secrets_to_find = [emulator.secret_key, token, "Signature="]
    scanned = 0
    for tree in (private, reports, ansible_home):
        for directory, _dirs, files in os.walk(tree):
            for name in files:
                text = open(os.path.join(directory, name), "rb").read().decode("utf-8", errors="replace")
                scanned += 1
                for secret in secrets_to_find:
                    label = "Signature=" if secret == "Signature=" else "a secret"
                    assert secret not in text, f"{label} appears in {os.path.join(directory, name)}"
    assert scanned > len(events_on_disk)
    # Every API call carried the session token (the emulator refuses a request without it).
    assert emulator.stats()["writes_accepted"] == 4
