# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The suite's tools: an emulator process, ansible-playbook runs of the role, kills, orphans and the secret scan."""

from __future__ import annotations

import dataclasses
import http.server
import json
import os
import pathlib
import secrets
import signal
import socket
import subprocess
import tempfile
import threading
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

import yaml
from partnercentral_emulator import EmulatorAdmin
from partnercentral_emulator import start_emulator_process
from partnercentral_emulator import stop_emulator_process
from partnercentral_emulator.process import read_log

from ..support import ansible_env
from ..support import ansible_playbook_command
from ..support import aws_env
from ..support import kill_processes_with_environ
from ..support import local_host
from ..support import processes_with_environ

CATALOG = "Sandbox"
HOST = "partner-a"
# Every process the suite starts inherits this variable (with a value unique to the suite run): a process that
# survives its ansible-playbook (async_wrapper daemonizes out of the process group) is found by it.
MARKER_VARIABLE = "PCS_RELIABILITY_RUN"
# And this one names the ansible-playbook run (its directory), to find the processes of one run.
JOB_VARIABLE = "PCS_RELIABILITY_JOB"
DONE_STATUSES = ("created", "already_done", "adopted")
ERROR_STATUSES = ("failed", "timed_out", "invalid", "not_started")
SIGNATURE_MARK = "Signature="

PLAYBOOK = [
    {
        "name": "Reliability run of the role",
        "hosts": HOST,
        "gather_facts": False,
        "roles": [{"role": "partnercentral.selling.opportunities_from_engagements"}],
    }
]

# A connection plugin that is the local one under another name: the batch module's action plugin then runs the
# module in the background through async_wrapper, as it does for any non-local connection or with become.
BACKGROUND_CONNECTION_PLUGIN = '''
from ansible.plugins.connection.local import Connection as LocalConnection

DOCUMENTATION = """
name: reliability_local
short_description: the local connection under another name (reliability suite)
description: [Runs on the controller; the batch action plugin treats it as remote and uses async_wrapper.]
author: [partnercentral.selling maintainers]
"""


class Connection(LocalConnection):
    transport = "reliability_local"
'''


@dataclasses.dataclass
class Credentials:
    """Keys made up for one suite run, so that the secret scan looks for strings that appear nowhere by chance."""

    access_key: str
    secret_key: str
    session_token: str
    expired_access_key: str
    expired_secret_key: str
    expired_session_token: str
    wrong_secret_key: str

    @classmethod
    def generate(cls) -> "Credentials":
        def token(prefix: str) -> str:
            return prefix + secrets.token_hex(12)

        return cls(
            access_key="AKIDRELIABILITY00001",
            secret_key=token("relSecret"),
            session_token=token("relSession"),
            expired_access_key="AKIDRELIABILITYEXP01",
            expired_secret_key=token("relOldSecret"),
            expired_session_token=token("relOldSession"),
            wrong_secret_key=token("relWrongSecret"),
        )

    def emulator_credentials(self) -> List[Dict[str, Any]]:
        return [
            {"access_key": self.access_key, "secret_key": self.secret_key, "session_token": self.session_token},
            {
                "access_key": self.expired_access_key,
                "secret_key": self.expired_secret_key,
                "session_token": self.expired_session_token,
                "expired": True,
            },
        ]

    def secrets(self) -> List[str]:
        return [
            self.secret_key,
            self.session_token,
            self.expired_secret_key,
            self.expired_session_token,
            self.wrong_secret_key,
        ]


class Emulator:
    """The emulator as a separate process, with the suite's credentials and enough generated engagements."""

    def __init__(self, workdir: pathlib.Path, credentials: Credentials, engagements: int) -> None:
        config_path = workdir / "emulator-config.json"
        config_path.write_text(json.dumps({"credentials": credentials.emulator_credentials()}), encoding="utf-8")
        self.proc, self.endpoint_url = start_emulator_process(
            ["--config", str(config_path), "--engagements", str(engagements), "--quiet"],
            env={key: value for key, value in os.environ.items() if key != MARKER_VARIABLE},
        )
        self.admin = EmulatorAdmin(self.endpoint_url, timeout=30)
        self.credentials = credentials

    def env(self) -> Dict[str, str]:
        """What support.ansible_env expects of an emulator handle."""
        return aws_env(self.endpoint_url, self.credentials.access_key, self.credentials.secret_key)

    def engagement_ids(self, count: int) -> List[str]:
        ids = [engagement["id"] for engagement in self.admin.engagements(CATALOG)]
        if len(ids) < count:
            raise RuntimeError(f"the emulator has {len(ids)} engagements, {count} wanted")
        return ids[:count]

    def client(self) -> Any:
        """A boto3 client of the service against the emulator, with the suite's credentials."""
        import boto3

        return boto3.session.Session().client(
            "partnercentral-selling",
            region_name="us-east-1",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.credentials.access_key,
            aws_secret_access_key=self.credentials.secret_key,
            aws_session_token=self.credentials.session_token,
        )

    def log(self) -> str:
        return read_log(self.proc)

    def stop(self) -> None:
        stop_emulator_process(self.proc)


@dataclasses.dataclass
class RunResult:
    """One finished ansible-playbook run."""

    name: str
    rc: int
    output: str
    report: Optional[Dict[str, Any]]
    directory: pathlib.Path
    seconds: float
    killed: bool = False

    @property
    def items(self) -> List[Dict[str, Any]]:
        return (self.report or {}).get("items", [])

    def statuses(self) -> Dict[str, int]:
        counts: Dict[str, int] = {}
        for item in self.items:
            counts[item["status"]] = counts.get(item["status"], 0) + 1
        return counts

    def error_items(self) -> List[Dict[str, Any]]:
        return [item for item in self.items if item["status"] in ERROR_STATUSES]


class Running:
    """An ansible-playbook run in its own process group (start_new_session), so that kill -9 reaches every child."""

    def __init__(
        self, name: str, proc: subprocess.Popen, directory: pathlib.Path, output_handle: Any, marker: str
    ) -> None:
        self.name = name
        self.marker = marker
        self.proc = proc
        self.directory = directory
        self.output_handle = output_handle
        self.started = time.monotonic()
        self.killed = False

    def kill_group(self) -> None:
        """kill -9 of the process group: the playbook, its workers and the module processes."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.killed = True

    def processes(self) -> List[int]:
        """The live processes of this run, wherever they are: ansible-core 2.19 starts each worker in a session of
        its own (os.setsid in WorkerProcess), and async_wrapper daemonizes, so neither is in the playbook's group."""
        return marked_processes(self.marker, self.directory.name)

    def kill_tree(self, timeout: float = 10.0) -> List[int]:
        """kill -9 of every process of the run (group and stray sessions), as a crash of the machine would."""
        self.kill_group()
        return kill_processes_with_environ(
            f"{MARKER_VARIABLE}={self.marker}", f"{JOB_VARIABLE}={self.directory.name}", timeout=timeout
        )

    def wait(self, timeout: float) -> RunResult:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()
            self.proc.wait()
        self.output_handle.close()
        if not self.killed:
            # async_wrapper's watcher outlives the playbook by up to a few seconds after the job's end.
            wait_until(lambda: not self.processes(), timeout=15, interval=0.2)
        output = (self.directory / "output.txt").read_text(encoding="utf-8", errors="replace")
        report_file = self.directory / "reports" / f"{HOST}.json"
        report = None
        if report_file.exists():
            report = json.loads(report_file.read_text(encoding="utf-8"))
        return RunResult(
            self.name,
            self.proc.returncode,
            output,
            report,
            self.directory,
            time.monotonic() - self.started,
            killed=self.killed,
        )


class Workspace:
    """A temporary directory with an Ansible environment against one emulator; each run gets a sub-directory."""

    def __init__(self, root: pathlib.Path, emulator: Emulator, marker: str) -> None:
        self.root = root
        self.emulator = emulator
        self.marker = marker
        self.runs = 0
        self.lock = threading.Lock()
        self.base_env = ansible_env(emulator, root)
        self.base_env["AWS_SESSION_TOKEN"] = emulator.credentials.session_token
        self.base_env[MARKER_VARIABLE] = marker
        self.playbook = root / "playbook.yml"
        self.playbook.write_text(yaml.safe_dump(PLAYBOOK, sort_keys=False), encoding="utf-8")
        plugins = root / "connection_plugins"
        plugins.mkdir(exist_ok=True)
        (plugins / "reliability_local.py").write_text(BACKGROUND_CONNECTION_PLUGIN, encoding="utf-8")

    def start(
        self,
        name: str,
        engagements: List[Any],
        variables: Optional[Dict[str, Any]] = None,
        env: Optional[Dict[str, Optional[str]]] = None,
        background: bool = False,
    ) -> Running:
        """ansible-playbook of the role for one host with these engagements, -vvvv, log file and reports in the run dir.

        env overrides the environment (None removes a variable); background makes the module run through
        async_wrapper (see BACKGROUND_CONNECTION_PLUGIN).
        """
        with self.lock:
            self.runs += 1
            directory = self.root / f"run-{self.runs:02d}-{name}"
        directory.mkdir()
        host_vars: Dict[str, Any] = local_host(
            partnercentral_catalog=CATALOG,
            partnercentral_engagements=engagements,
            partnercentral_report_path=str(directory / "reports"),
            partnercentral_progress_interval=5,
            partnercentral_read_rate=8.0,
        )
        host_vars.update(variables or {})
        hosts: Dict[str, Any] = {HOST: host_vars}
        if background:
            hosts["localhost"] = local_host(ansible_connection="reliability_local")
        inventory = directory / "inventory.yml"
        inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts}}, sort_keys=False), encoding="utf-8")
        run_env = dict(self.base_env)
        run_env["ANSIBLE_LOG_PATH"] = str(directory / "ansible.log")
        run_env[JOB_VARIABLE] = directory.name
        for key, value in (env or {}).items():
            if value is None:
                run_env.pop(key, None)
            else:
                run_env[key] = value
        command = ansible_playbook_command(str(inventory), str(self.playbook), "-vvvv")
        handle = open(directory / "output.txt", "w", encoding="utf-8")  # noqa: SIM115 - closed by Running.wait
        proc = subprocess.Popen(
            command,
            env=run_env,
            cwd=str(self.root),
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return Running(name, proc, directory, handle, self.marker)

    def run(self, name: str, engagements: List[Any], timeout: float = 600, **kwargs: Any) -> RunResult:
        return self.start(name, engagements, **kwargs).wait(timeout)

    def leaks(self) -> List[str]:
        """Every file of every run (output, -vvvv log, reports) that holds a secret, a session token or a signature."""
        needles = self.emulator.credentials.secrets() + [SIGNATURE_MARK]
        found = []
        for path in sorted(self.root.glob("run-*/**/*")):
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in needles:
                if needle in text:
                    label = "Signature=" if needle == SIGNATURE_MARK else f"secret #{needles.index(needle)}"
                    found.append(f"{path.relative_to(self.root)} holds {label}")
        return found


def marked_processes(marker: str, job: Optional[str] = None) -> List[int]:
    """Pids of live processes started by this suite run (their environment holds the marker), this one excluded;
    with job, only those of that ansible-playbook run."""
    entries = [f"{MARKER_VARIABLE}={marker}"] + ([f"{JOB_VARIABLE}={job}"] if job is not None else [])
    return processes_with_environ(*entries)


def kill_marked(marker: str, timeout: float = 10.0) -> List[int]:
    """SIGKILL every process of this suite run that is still alive (by pid); returns the pids found."""
    found = marked_processes(marker)
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def new_marker() -> str:
    return secrets.token_hex(8)


def make_root(prefix: str = "pcs-reliability-") -> pathlib.Path:
    return pathlib.Path(tempfile.mkdtemp(prefix=prefix))


def wait_until(predicate: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def opportunity_check(stats: Dict[str, Any], engagement_ids: List[str], context: str = "1") -> Dict[str, Any]:
    """The emulator's opportunities compared with the list: duplicates, missing, and keys nobody asked for."""
    opportunities = stats.get("opportunities", {})
    expected = {f"{CATALOG}/{eng}/{context}" for eng in engagement_ids}
    duplicated = sorted(key for key, ids in opportunities.items() if len(ids) > 1)
    missing = sorted(key for key in expected if not opportunities.get(key))
    unexpected = sorted(key for key in opportunities if key not in expected)
    return {
        "duplicates": max(len(duplicated), int(stats.get("duplicates", 0))),
        "duplicated": duplicated,
        "missing": len(missing),
        "missing_keys": missing,
        "unexpected": unexpected,
    }


class GarbageEndpoint:
    """A tiny local HTTP server that answers every request with the same non-AWS body: HTML with 200 or 502."""

    BODIES = {
        200: b"<html><body>Welcome to the captive portal</body></html>",
        502: b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    }

    def __init__(self, status: int) -> None:
        body = self.BODIES[status]
        self.requests = 0
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                endpoint.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.endpoint_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def refused_endpoint() -> str:
    """An endpoint on which nothing listens: a port taken from the kernel and released again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
