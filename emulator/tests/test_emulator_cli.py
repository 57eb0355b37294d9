# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The emulator as a separate process: CLI options, port file, signals, request log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import boto3
import pytest
from botocore.config import Config
from partnercentral_emulator import DEFAULT_ACCESS_KEY
from partnercentral_emulator import DEFAULT_SECRET_KEY
from partnercentral_emulator import EmulatorAdmin
from partnercentral_emulator import start_emulator_process
from partnercentral_emulator import stop_emulator_process
from partnercentral_emulator.process import read_log
from partnercentral_emulator.pytest_plugin import ResponseChecker
from partnercentral_emulator.pytest_plugin import _shared_botocore_session

# pip puts the console script beside the interpreter of the virtualenv it installs into.
CONSOLE_SCRIPT = os.path.join(os.path.dirname(sys.executable), "partnercentral-emulator")


def _client(endpoint_url, checker):
    client = boto3.session.Session(botocore_session=_shared_botocore_session()).client(
        "partnercentral-selling",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=DEFAULT_ACCESS_KEY,
        aws_secret_access_key=DEFAULT_SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1}),
    )
    return checker.attach(client)


@pytest.fixture
def process_factory():
    started = []

    def start(*args):
        proc, endpoint = start_emulator_process(list(args))
        started.append(proc)
        return proc, endpoint

    yield start
    for proc in started:
        stop_emulator_process(proc)


def test_cli_options_and_sigterm(process_factory, tmp_path):
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps({"task_latency": 5, "token_ttl": 60, "write_tps": 0}))
    proc, endpoint = process_factory(
        "--config", str(config_file), "--engagements", "3", "--seed", "9", "--task-latency", "0",
        "--context-id-mode", "requested", "--second-conversion", "duplicate", "--read-tps", "50",
    )  # fmt: skip
    admin = EmulatorAdmin(endpoint)
    config = admin.config()
    # Options override the file; the file overrides the defaults.
    assert config["task_latency"] == 0 and config["token_ttl"] == 60 and config["write_tps"] == 0
    assert config["context_id_mode"] == "requested" and config["second_conversion"] == "duplicate"
    assert config["read_tps"] == 50 and config["seed"] == 9
    engagements = admin.engagements("Sandbox")
    assert len(engagements) == 3
    checker = ResponseChecker()
    client = _client(endpoint, checker)
    task = client.start_opportunity_from_engagement_task(
        Catalog="Sandbox", Identifier=engagements[0]["id"], ContextIdentifier="1"
    )
    assert task["ContextId"] == "1"
    assert admin.stats()["total_requests"] == checker.checked == 1 and not checker.problems
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=5) == 0
    assert time.monotonic() - started < 3
    log = read_log(proc)
    assert "StartOpportunityFromEngagementTask 200" in log
    for secret in (DEFAULT_SECRET_KEY, "Signature=", "AWS4-HMAC-SHA256"):
        assert secret not in log


def test_port_file_and_sigint(tmp_path):
    port_file = tmp_path / "port"
    # The console script of the installed distribution, with the explicit `serve` subcommand.
    command = [CONSOLE_SCRIPT, "serve", "--port", "0", "--port-file", str(port_file), "--quiet"]
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + 10
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        port = int(port_file.read_text())
        assert EmulatorAdmin(f"http://127.0.0.1:{port}").health()["status"] == "ok"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
        assert not port_file.exists()  # removed on a clean stop
    finally:
        if proc.poll() is None:
            proc.kill()


def test_bad_cli_config_exits_2(tmp_path):
    command = [sys.executable, "-m", "partnercentral_emulator", "--throttle-rate", "3"]
    result = subprocess.run(command, capture_output=True, timeout=20, check=False)  # noqa: S603
    assert result.returncode == 2 and b"throttle_rate" in result.stderr


def test_kill_and_restart(process_factory):
    proc, endpoint = process_factory("--engagements", "1", "--added-latency", "0.01,0.02")
    assert EmulatorAdmin(endpoint).config()["added_latency"] == [0.01, 0.02]
    proc.kill()
    proc.wait(timeout=5)
    _proc2, endpoint2 = process_factory("--engagements", "1")
    assert EmulatorAdmin(endpoint2).health()["status"] == "ok"
