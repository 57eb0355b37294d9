# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The test-support layer of every suite (unit, integration, reliability, benchmark): imported as ``support``.

One place for what each suite needs to run Ansible against this checkout and the emulator:

- ``prepare()``: the collection link ``.tmp/collections/ansible_collections/partnercentral/selling`` -> this checkout
  (ansible-playbook, ansible-doc and ``import ansible_collections.partnercentral.selling`` see the tree through it),
  which pytest has on its path (``pythonpath`` in pyproject.toml);
- ``ansible_state_env()``: Ansible's state under a directory of the test (never ~/.ansible), this checkout's
  collections, this virtualenv's python; ``ansible_env()``: that plus credentials and AWS files for the emulator;
- ``aws_env()`` / ``write_aws_files()``: the test credentials, as environment variables or as AWS profile files;
- ``local_host()`` / ``ansible_playbook_command()`` / ``run_playbook()``: the ansible-playbook runner.

tests/conftest.py calls ``prepare()`` for pytest; the scripts run outside pytest (``python -m tests.reliability``,
``python -m tests.benchmark.bench_batch``) import this module package-relatively and call it themselves: they run
ansible-playbook, which finds the collection through the link, and import nothing of the collection themselves.
"""

from __future__ import annotations

import configparser
import importlib
import os
import signal
import subprocess
import sys
import time
from typing import Any
from typing import Iterable
from typing import Mapping

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")
REGION = "us-east-1"
# Variables through which boto3 would reach the machine's own AWS state or another endpoint than the emulator.
AWS_KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING"
# Quiet, plain output and no state kept between runs.
ANSIBLE_OUTPUT_ENV = {
    "ANSIBLE_NOCOLOR": "1",
    "ANSIBLE_FORCE_COLOR": "0",
    "ANSIBLE_RETRY_FILES_ENABLED": "0",
    "ANSIBLE_DEPRECATION_WARNINGS": "0",
}


def link_collection() -> None:
    """ansible_collections/partnercentral/selling -> this checkout; safe when several processes make it at once."""
    namespace_dir = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "partnercentral")
    link = os.path.join(namespace_dir, "selling")
    os.makedirs(namespace_dir, exist_ok=True)
    if not os.path.islink(link):
        try:
            os.symlink(REPO_ROOT, link)
        except FileExistsError:
            pass


def prepare() -> None:
    """The collection link (idempotent); the emulator is an installed distribution."""
    link_collection()
    # A fresh checkout gets the link only now, after pytest put COLLECTIONS_ROOT on its path: forget that it was
    # found missing.
    importlib.invalidate_caches()


def site_collections_root() -> str:
    """The directory holding ansible_collections/amazon/aws (site-packages of the `ansible` package)."""
    import ansible_collections.amazon.aws

    aws_dir = list(ansible_collections.amazon.aws.__path__)[0]
    return os.path.dirname(os.path.dirname(os.path.dirname(aws_dir)))


def ansible_state_env(ansible_home: Any, collections_path: str | None = None) -> dict[str, str]:
    """Ansible's state under ansible_home (never ~/.ansible), this checkout's collections, this venv's python.

    collections_path replaces the default search path (this checkout's link, then amazon.aws in site-packages).
    """
    home = str(ansible_home)
    return {
        "ANSIBLE_HOME": home,
        "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
        "ANSIBLE_REMOTE_TMP": os.path.join(home, "remote-tmp"),
        "ANSIBLE_COLLECTIONS_PATH": collections_path or os.pathsep.join([COLLECTIONS_ROOT, site_collections_root()]),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    }


def clean_environ(*prefixes: str) -> dict[str, str]:
    """This process's environment without the variables starting with one of the prefixes."""
    return {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}


def aws_env(endpoint_url: str, access_key: str, secret_key: str, region: str = REGION) -> dict[str, str]:
    """The test credentials as environment variables, with every call of the collection sent to the emulator."""
    return {
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": region,
        ENDPOINT_VARIABLE: endpoint_url,
    }


def write_aws_files(directory: Any, profiles: Mapping[str, Mapping[str, str]], region: str = REGION) -> dict[str, str]:
    """AWS credentials and config files in directory (created) with these profiles (name -> credentials keys).

    Returns the variables that point boto3 at them. Both files are private (0600), as the AWS CLI writes them.
    """
    os.makedirs(directory, exist_ok=True)
    credentials = configparser.ConfigParser()
    config = configparser.ConfigParser()
    for name, keys in profiles.items():
        credentials[name] = dict(keys)
        config["default" if name == "default" else f"profile {name}"] = {"region": region}
    paths = {"credentials": os.path.join(directory, "credentials"), "config": os.path.join(directory, "config")}
    for name, parser in (("credentials", credentials), ("config", config)):
        with open(paths[name], "w", encoding="utf-8") as handle:
            parser.write(handle)
        os.chmod(paths[name], 0o600)
    return {"AWS_SHARED_CREDENTIALS_FILE": paths["credentials"], "AWS_CONFIG_FILE": paths["config"]}


def ansible_env(emulator: Any, tmp_path: Any, profiles: Iterable[str] = ()) -> dict[str, str]:
    """Environment for ansible-playbook / ansible-runner against the emulator; no AWS state of the machine is read.

    emulator: anything with env() giving aws_env()'s variables. A default profile and each of `profiles` hold the
    emulator's keys in AWS files under tmp_path/home/.aws; HOME is tmp_path/home; Ansible's state under tmp_path.
    """
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = clean_environ("AWS_", "ANSIBLE_")
    emulator_env = emulator.env()
    profiles = sorted(set(profiles))
    keys = {
        "aws_access_key_id": emulator_env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": emulator_env["AWS_SECRET_ACCESS_KEY"],
    }
    aws_files = write_aws_files(
        home / ".aws", {name: keys for name in ["default", *profiles]}, region=emulator_env["AWS_DEFAULT_REGION"]
    )
    if profiles:
        # amazon.aws refuses a profile together with keys (and the keys' environment variables are its fallbacks).
        emulator_env = {key: value for key, value in emulator_env.items() if key not in AWS_KEY_VARIABLES}
    env.update(emulator_env)
    env.update(ansible_state_env(tmp_path / "ansible-home"))
    env.update(aws_files)
    env.update({"HOME": str(home), "AWS_EC2_METADATA_DISABLED": "true", **ANSIBLE_OUTPUT_ENV})
    return env


def local_host(**host_vars: Any) -> dict[str, Any]:
    """Host vars of an inventory host that runs on the controller with this virtualenv's python."""
    return {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, **host_vars}


def ansible_playbook_command(inventory: str, playbook: str, *options: str) -> list[str]:
    """The ansible-playbook of this virtualenv, whatever PATH says."""
    return [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, *options, playbook]


def run_playbook(
    playbook: str, inventory: str, env: Mapping[str, str], *options: str, timeout: float = 120, cwd: str | None = None
) -> subprocess.CompletedProcess:
    """ansible-playbook to its end (output captured), run from the playbook's directory unless cwd is given."""
    return subprocess.run(  # noqa: S603
        ansible_playbook_command(inventory, playbook, *options),
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or os.path.dirname(playbook),
        check=False,
    )


def processes_with_environ(*entries: str) -> list[int]:
    """Pids of the live processes (zombies and this one excluded) whose environment holds every NAME=value entry.

    The suites mark the processes they start with an environment variable: ansible-runner and ansible-core start
    processes in sessions of their own, which a kill of a process group does not reach.
    """
    wanted = [entry.encode() for entry in entries]
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z" and all(item in environ for item in wanted):
            pids.append(int(entry))
    return pids


def kill_processes_with_environ(*entries: str, timeout: float = 10.0) -> list[int]:
    """SIGKILL, by pid, every process whose environment holds the entries, until none is left (or timeout); their
    pids. Again and again: a process being killed may have started another one a moment before."""
    killed: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = processes_with_environ(*entries)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        killed.extend(pid for pid in pids if pid not in killed)
        time.sleep(0.05)
    return killed
