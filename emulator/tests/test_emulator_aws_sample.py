# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A script written against AWS's documented API runs unchanged against the emulator."""

from __future__ import annotations

import os
import runpy
import sys

import boto3
import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aws_sample_lead_to_opportunity.py")


def _run(emulator, monkeypatch, capsys, *args):
    # Only the endpoint and the credentials are set, through the standard environment variables.
    for name, value in emulator.env().items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    # The script uses boto3's default session; hook the answer checker there so its answers are checked too.
    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("after-call.partnercentral-selling", emulator.checker)
    monkeypatch.setattr(sys, "argv", [SCRIPT, *args])
    try:
        with pytest.raises(SystemExit) as exited:
            runpy.run_path(SCRIPT, run_name="__main__")
    finally:
        boto3.DEFAULT_SESSION = None
    return exited.value.code, capsys.readouterr().out


@pytest.mark.emulator_config(task_latency=0.3)
def test_lead_to_opportunity_sample(emulator, monkeypatch, capsys):
    eng_id = emulator.engagements("Sandbox")[0]["id"]
    code, out = _run(emulator, monkeypatch, capsys, eng_id)
    assert code == 0, out
    assert "IN_PROGRESS" in out and "context 2" in out
    stats = emulator.stats()
    assert stats["converted"] == 1
    assert stats["requests"]["GetEngagement"] == {"200": 1}
    assert stats["requests"]["StartOpportunityFromEngagementTask"] == {"200": 1}
    assert stats["requests"]["ListOpportunityFromEngagementTasks"]["200"] >= 2


def test_sample_reports_failures(emulator, monkeypatch, capsys):
    eng_id = emulator.engagements("Sandbox")[1]["id"]
    code, out = _run(emulator, monkeypatch, capsys, eng_id, "5")
    assert code == 1 and "ContextNotFound" in out
