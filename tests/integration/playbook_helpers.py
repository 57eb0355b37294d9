# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ansible-playbook runs against an emulator of their own, with the registered results read back as JSON.

Builds on support.ansible_env (everything Ansible writes stays in the work dir, no AWS state of the machine is
read). What this adds for the module tests:

- each Harness starts its own in-process emulator, so scenarios with different emulator settings run at the same
  time (ansible-playbook costs seconds of CPU per run; waiting on task latency or retries then overlaps);
- one inventory host per independent sequence of module calls, all hosts in parallel (``--forks``); the test
  playbooks write the registered results of all hosts to the extra var ``results_file``, read back into PlaybookRun;
- start()/finish() to run several ansible-playbook processes at once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from typing import Callable
from typing import Iterator

from ansible_collections.partnercentral.selling.tests.support import AWS_KEY_VARIABLES
from ansible_collections.partnercentral.selling.tests.support import ENDPOINT_VARIABLE
from ansible_collections.partnercentral.selling.tests.support import ansible_env
from ansible_collections.partnercentral.selling.tests.support import ansible_playbook_command
from ansible_collections.partnercentral.selling.tests.support import local_host
from ansible_collections.partnercentral.selling.tests.support import write_aws_files
from partnercentral_emulator.pytest_plugin import EmulatorHandle
from partnercentral_emulator.server import EmulatorServer

PLAYBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks")


def playbook_command(run_dir: Any, hosts: dict[str, dict[str, Any]], playbook: str, *options: str) -> list[str]:
    """ansible-playbook over an inventory (written to run_dir) of one local host per key of `hosts` (its host vars).

    One fork per host, so that hosts standing for independent scenarios or partner accounts run side by side.
    """
    inventory = {"all": {"hosts": {name: local_host(**host_vars) for name, host_vars in hosts.items()}}}
    inventory_file = run_dir / "inventory.json"
    inventory_file.write_text(json.dumps(inventory), encoding="utf-8")
    return ansible_playbook_command(str(inventory_file), playbook, "--forks", str(max(1, len(hosts))), *options)


@dataclass
class PlaybookRun:
    """One ansible-playbook run: exit code, output, and the JSON that the playbook wrote (None if it wrote none)."""

    rc: int
    stdout: str
    stderr: str
    data: Any = None

    def output(self) -> str:
        return f"rc={self.rc}\nSTDOUT:\n{self.stdout[-6000:]}\nSTDERR:\n{self.stderr[-3000:]}"

    def items(self, host: str = "localhost", key: str = "results") -> list[dict[str, Any]]:
        """The registered results of the host's loop, in order."""
        assert self.data is not None and host in self.data[key], f"no {key} written for {host}\n{self.output()}"
        return self.data[key][host]

    def fact(self, host: str = "localhost") -> Any:
        assert self.data is not None, self.output()
        return self.data["facts"][host]


class Harness:
    """An emulator of its own (started with `config`) and a work dir for the ansible-playbook runs against it."""

    def __init__(self, workdir: Any, config: dict[str, Any]) -> None:
        self.config = dict(config)
        self.server = EmulatorServer(self.config, host="127.0.0.1", port=0).start()
        self.emulator = EmulatorHandle(self.server)
        self.workdir = workdir
        self.env = ansible_env(self.emulator, workdir)
        self._runs = 0
        self._aws_dirs = 0

    def close(self) -> None:
        self.server.stop()

    def reset(self, **settings: Any) -> None:
        """Start again from the harness's config plus `settings`."""
        self.emulator.admin.reset({**self.config, **settings})

    def stats(self) -> dict[str, Any]:
        return self.emulator.stats()

    def start(
        self,
        playbook: str,
        hosts: dict[str, dict[str, Any]],
        *options: str,
        env: dict[str, str] | None = None,
    ) -> tuple[subprocess.Popen, Any]:
        """Start ansible-playbook with one local inventory host per key of `hosts` (value: its host vars)."""
        self._runs += 1
        run_dir = self.workdir / f"run{self._runs}"
        run_dir.mkdir()
        extra_vars = ("-e", json.dumps({"results_file": str(run_dir / "results.json")}))
        command = playbook_command(run_dir, hosts, os.path.join(PLAYBOOKS, playbook), *extra_vars, *options)
        # A session of its own, so that a timeout can end ansible-playbook's worker processes too (see finish).
        proc = subprocess.Popen(
            command,
            env=env or self.env,
            cwd=PLAYBOOKS,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        return proc, run_dir

    @staticmethod
    def finish(started: tuple[subprocess.Popen, Any], timeout: float = 300) -> PlaybookRun:
        proc, run_dir = started
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Killing ansible-playbook alone left its workers blocked on a pipe to it, holding stdout open, and the
            # communicate() below waited for them forever (seen on a machine at load 40): kill the whole group.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            stdout, stderr = proc.communicate()
        path = run_dir / "results.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        return PlaybookRun(proc.returncode, stdout, stderr, data)

    def run(self, playbook: str, hosts: dict[str, dict[str, Any]], *options: str, **kwargs: Any) -> PlaybookRun:
        """Run to the end; the test playbooks ignore module failures, so rc != 0 is a broken run."""
        run = self.finish(self.start(playbook, hosts, *options, **kwargs))
        assert run.rc == 0, run.output()
        return run

    def bare_env(self, profiles: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
        """The environment without AWS keys, endpoint variable or default profile; `profiles` are the only ones."""
        env = {key: value for key, value in self.env.items() if key not in (*AWS_KEY_VARIABLES, ENDPOINT_VARIABLE)}
        self._aws_dirs += 1
        env.update(write_aws_files(self.workdir / f"aws-{self._aws_dirs}", profiles or {}))
        return env


def run_scenarios(
    tmp_path_factory: Any, config: dict[str, Any], scenarios: dict[str, Callable[[Harness], Any]]
) -> Iterator[dict[str, Future]]:
    """Every scenario at once, each on a Harness of its own; yields {name: future of the scenario's return value}.

    For a module-scoped fixture: `yield from run_scenarios(...)`. A test takes `.result()` of the scenario it checks,
    so it fails with that scenario's exception, and only waits for that one.
    """

    def run(workdir: Any, scenario: Callable[[Harness], Any]) -> Any:
        harness = Harness(workdir, config)
        try:
            return scenario(harness)
        finally:
            harness.close()

    # tmp_path_factory is not thread-safe (two threads can each create a base temp dir): make the dirs here.
    workdirs = {name: tmp_path_factory.mktemp(name) for name in scenarios}
    with ThreadPoolExecutor(max_workers=len(scenarios), thread_name_prefix="scenario") as pool:
        yield {name: pool.submit(run, workdirs[name], scenario) for name, scenario in scenarios.items()}
