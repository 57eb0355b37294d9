# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared by the docs, role README and ansible-runner tests: an Ansible environment that talks to the emulator.

Everything Ansible writes goes under the test's tmp dir (ANSIBLE_HOME, temp dirs, HOME), credentials come from the
emulator fixture, and AWS profiles named by a playbook exist in a throw-away AWS config pointing at the emulator.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from typing import Any
from typing import Iterable

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")
ENGAGEMENT_ID = re.compile(r"\beng-[0-9a-z]{14}\b")
INVITATION_ID = re.compile(r"\bengi-[0-9a-z]{13}\b")
LOCAL_INVENTORY = "localhost ansible_connection=local\n"


def site_collections_root() -> str:
    """The directory holding ansible_collections/amazon/aws (site-packages of the `ansible` package)."""
    import ansible_collections.amazon.aws

    aws_dir = list(ansible_collections.amazon.aws.__path__)[0]
    return os.path.dirname(os.path.dirname(os.path.dirname(aws_dir)))


def profile_names(*texts: str) -> set[str]:
    """AWS profile names used in YAML texts: values of keys `profile` or `*_profile` that are plain names."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and (key == "profile" or key.endswith("_profile")) and isinstance(value, str):
                    if re.fullmatch(r"[A-Za-z0-9_.-]+", value):
                        names.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for text in texts:
        try:
            walk(yaml.safe_load(text))
        except yaml.YAMLError:
            continue
    return names


def fixture_for(texts: Iterable[str]) -> dict[str, Any]:
    """An emulator fixture holding every engagement id named in the texts, in both catalogs, with a qualified lead,
    and a pending lead invitation for every invitation id named."""
    texts = list(texts)
    ids = sorted({match for text in texts for match in ENGAGEMENT_ID.findall(text)})
    engagements = [
        {
            "id": eng_id,
            "catalog": catalog,
            "contexts": [{"id": "1", "type": "Lead", "qualification_status": "Qualified"}],
        }
        for eng_id in ids
        for catalog in ("AWS", "Sandbox")
    ]
    # Each invitation id named: a pending lead invitation to an engagement of its own (eng-i + its 13 characters).
    invitations = sorted({match for text in texts for match in INVITATION_ID.findall(text)})
    engagements += [
        {
            "id": "eng-i" + inv_id[len("engi-") :],
            "catalog": catalog,
            "contexts": [{"id": "1", "type": "Lead", "qualification_status": "Qualified"}],
            "invitation": {"id": inv_id, "status": "PENDING"},
        }
        for inv_id in invitations
        for catalog in ("AWS", "Sandbox")
    ]
    return {"engagements": engagements}


def ansible_state_env(ansible_home: Any) -> dict[str, str]:
    """Ansible's state under ansible_home (never ~/.ansible), this checkout's collections, this venv's python."""
    return {
        "ANSIBLE_HOME": str(ansible_home),
        "ANSIBLE_LOCAL_TEMP": str(ansible_home / "tmp"),
        "ANSIBLE_REMOTE_TMP": str(ansible_home / "remote-tmp"),
        "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([COLLECTIONS_ROOT, site_collections_root()]),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    }


def ansible_env(emulator: Any, tmp_path: Any, profiles: Iterable[str] = ()) -> dict[str, str]:
    """Environment for ansible-playbook / ansible-runner against the emulator; no AWS state of the machine is read."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "ANSIBLE_"))}
    emulator_env = emulator.env()
    profiles = sorted(set(profiles))
    credentials = configparser.ConfigParser()
    config = configparser.ConfigParser()
    for name in ["default", *profiles]:
        credentials[name] = {
            "aws_access_key_id": emulator_env["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": emulator_env["AWS_SECRET_ACCESS_KEY"],
        }
        config["default" if name == "default" else f"profile {name}"] = {"region": emulator_env["AWS_DEFAULT_REGION"]}
    aws_dir = home / ".aws"
    aws_dir.mkdir(exist_ok=True)
    with open(aws_dir / "credentials", "w", encoding="utf-8") as handle:
        credentials.write(handle)
    with open(aws_dir / "config", "w", encoding="utf-8") as handle:
        config.write(handle)
    if profiles:
        # amazon.aws refuses a profile together with keys (and the keys' environment variables are its fallbacks).
        emulator_env = {
            key: value
            for key, value in emulator_env.items()
            if key not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        }
    env.update(emulator_env)
    env.update(ansible_state_env(tmp_path / "ansible-home"))
    env.update(
        {
            "HOME": str(home),
            "AWS_CONFIG_FILE": str(aws_dir / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(aws_dir / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_DEPRECATION_WARNINGS": "0",
        }
    )
    return env


def run_playbook(
    playbook: str, inventory: str, env: dict[str, str], *extra: str, timeout: float = 120
) -> subprocess.CompletedProcess:
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, *extra, playbook]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, cwd=os.path.dirname(playbook), check=False
    )


def wrap_tasks(tasks: list[Any], name: str) -> list[dict[str, Any]]:
    """A task list (a module's EXAMPLES) as a playbook on localhost."""
    return [{"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]
