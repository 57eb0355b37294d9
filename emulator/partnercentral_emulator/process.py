# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Running the emulator as a separate process, for tests that must kill or signal it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from typing import Sequence

from partnercentral_emulator.config import DEFAULT_ACCESS_KEY
from partnercentral_emulator.config import DEFAULT_SECRET_KEY

DEFAULT_REGION = "us-east-1"
# Variables that would make an SDK sign with other credentials than the emulator's test keys.
CLEARED_CLIENT_VARIABLES = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def client_env(
    endpoint_url: str,
    access_key: str = DEFAULT_ACCESS_KEY,
    secret_key: str = DEFAULT_SECRET_KEY,
    region: str = DEFAULT_REGION,
) -> dict[str, str]:
    """The variables that point boto3/botocore (and so amazon.aws) at the emulator; see CLEARED_CLIENT_VARIABLES."""
    return {
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING": endpoint_url,
    }


def start_emulator_process(
    args: Sequence[str] = (), timeout: float = 20.0, env: dict[str, str] | None = None, **popen_kwargs: object
) -> tuple[subprocess.Popen, str]:
    """Start `python -m partnercentral_emulator` on a free port; return (process, endpoint_url) once it listens."""
    port_dir = tempfile.mkdtemp(prefix="pcs-emulator-")
    port_file = os.path.join(port_dir, "port")
    child_env = dict(os.environ if env is None else env)
    # The package is installed (pip install ./emulator) in this interpreter, so `-m` finds it from any directory.
    command = [sys.executable, "-m", "partnercentral_emulator", "--port", "0", "--port-file", port_file, *args]
    # A file, not a pipe: a pipe nobody reads fills up and blocks the emulator's request log.
    log_path = os.path.join(port_dir, "emulator.log")
    log = None
    if "stderr" not in popen_kwargs:
        log = open(log_path, "wb")  # noqa: SIM115 - handed to the child, closed below
        popen_kwargs["stderr"] = log
    proc = subprocess.Popen(command, env=child_env, **popen_kwargs)  # noqa: S603 - fixed interpreter and module
    if log is not None:
        log.close()
    proc.log_path = log_path if log is not None else None  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if os.path.exists(port_file):
                with open(port_file, encoding="utf-8") as handle:
                    port = int(handle.read().strip())
                return proc, f"http://127.0.0.1:{port}"
            if proc.poll() is not None:
                stderr = read_log(proc)
                raise RuntimeError(f"emulator exited with {proc.returncode} before listening: {stderr}")
            time.sleep(0.02)
        raise RuntimeError("emulator did not start listening in time")
    except BaseException:
        # Also on Ctrl-C or a signal while waiting: the caller never got the process, so nobody else would stop it.
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        raise


def read_log(proc: subprocess.Popen) -> str:
    """The emulator's stderr (request log) when start_emulator_process captured it."""
    path = getattr(proc, "log_path", None)
    if not path or not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def stop_emulator_process(proc: subprocess.Popen, timeout: float = 10.0) -> int:
    """SIGTERM, wait, then SIGKILL if needed; returns the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode
