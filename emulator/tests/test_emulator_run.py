# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""`partnercentral-emulator run [OPTIONS] -- CMD`: the emulator around one command, as `make demo` uses it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request

CONSOLE_SCRIPT = os.path.join(os.path.dirname(sys.executable), "partnercentral-emulator")

# CMD of the tests: reports what it sees, makes one API call with boto3's defaults, exits with argv[2].
PROBE = textwrap.dedent("""
    import json, os, sys
    import boto3
    client = boto3.client("partnercentral-selling")
    page = client.list_engagements(Catalog="Sandbox")
    seen = {name: os.environ.get(name) for name in (
        "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_SESSION_TOKEN")}
    seen["engagements"] = len(page["EngagementSummaryList"])
    with open(sys.argv[1], "w") as handle:
        json.dump(seen, handle)
    sys.exit(int(sys.argv[2]))
    """)


def _run(*args, env=None, timeout=60):
    child_env = dict(os.environ if env is None else env)
    return subprocess.run(  # noqa: S603 - our own console script
        [CONSOLE_SCRIPT, "run", *args], env=child_env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _reachable(endpoint_url):
    try:
        with urllib.request.urlopen(f"{endpoint_url}/_emulator/health", timeout=2):  # noqa: S310 - loopback
            return True
    except (urllib.error.URLError, OSError):
        return False


def test_run_points_the_command_at_the_emulator_and_returns_its_status(tmp_path):
    seen_file = tmp_path / "seen.json"
    env = dict(os.environ, AWS_PROFILE="someone-elses-profile", AWS_SESSION_TOKEN="not-for-the-emulator")
    env.pop("AWS_ENDPOINT_URL", None)
    result = _run("--engagements", "3", "--", sys.executable, "-c", PROBE, str(seen_file), "0", env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(seen_file.read_text())
    assert seen["AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING"].startswith("http://127.0.0.1:")
    assert seen["AWS_ACCESS_KEY_ID"] == "AKIDPCSEMULATOR00001"
    assert seen["AWS_PROFILE"] is None and seen["AWS_SESSION_TOKEN"] is None
    assert seen["engagements"] == 3  # the emulator option reached the emulator
    assert "last lines of the emulator log" not in result.stderr
    # The emulator is gone once `run` returns.
    assert not _reachable(seen["AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING"])


def test_run_without_separator_and_failing_command_prints_the_log_tail(tmp_path):
    seen_file = tmp_path / "seen.json"
    result = _run("--engagements", "1", sys.executable, "-c", PROBE, str(seen_file), "3")
    assert result.returncode == 3
    assert "exited 3; last lines of the emulator log:" in result.stderr
    assert "ListEngagements 200" in result.stderr  # the request log of the emulator


def test_run_refuses_a_bad_setting_before_starting_anything():
    result = _run("--throttle-rate", "3", "--", sys.executable, "-c", "raise SystemExit(0)")
    assert result.returncode == 2 and "throttle_rate" in result.stderr
    assert "listening" not in result.stderr
    missing = _run("--engagements", "1", "--")
    assert missing.returncode == 2 and "no command" in missing.stderr


def test_run_passes_sigterm_on_to_the_command(tmp_path):
    ready = tmp_path / "ready"
    script = textwrap.dedent(f"""
        import signal, sys, time
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(7))
        open({str(ready)!r}, "w").close()
        time.sleep(60)
        """)
    proc = subprocess.Popen(  # noqa: S603
        [CONSOLE_SCRIPT, "run", "--", sys.executable, "-c", script], stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 7  # the command's own status after its SIGTERM handler
        endpoint = proc.stderr.read().split("listening on ", 1)[1].split()[0]
        assert not _reachable(endpoint)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_console_script_and_module_help():
    for command in ([CONSOLE_SCRIPT, "--help"], [sys.executable, "-m", "partnercentral_emulator", "run", "--help"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
        assert result.returncode == 0 and "run [EMULATOR OPTIONS] -- CMD" in result.stdout
