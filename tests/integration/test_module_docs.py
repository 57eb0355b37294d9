# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What ansible-doc shows of the modules comes from the one place each fact is stated.

The requirements come from module_utils/_requirements.py (one line per package, not amazon.aws.boto3's floors beside
ours) and agree with requirements.txt; the attributes name the action group of meta/runtime.yml.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from ansible_collections.partnercentral.selling.plugins.module_utils import _requirements
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT
from ansible_collections.partnercentral.selling.tests.support import ansible_state_env

MODULES = sorted(
    name[: -len(".py")]
    for name in os.listdir(os.path.join(REPO_ROOT, "plugins", "modules"))
    if name.endswith(".py") and not name.startswith("_")
)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    env = dict(os.environ, **ansible_state_env(tmp_path_factory.mktemp("ansible-home")))
    names = [f"partnercentral.selling.{module}" for module in MODULES]
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "--json", "-t", "module", *names],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {name.split(".")[-1]: entry["doc"] for name, entry in json.loads(result.stdout).items()}


@pytest.mark.parametrize("module", MODULES)
def test_each_requirement_once_from_the_constant(docs, module):
    requirements = docs[module]["requirements"]
    for package in ("python", "boto3", "botocore"):
        lines = [line for line in requirements if line.split()[0] == package]
        assert len(lines) == 1, f"{module}: {package} is required {len(lines)} times: {requirements}"
    assert sorted(requirements) == sorted(_requirements.REQUIREMENTS)
    assert f"botocore >= {_requirements.MINIMUM_BOTOCORE_VERSION}" in requirements
    assert f"boto3 >= {_requirements.MINIMUM_BOTO3_VERSION}" in requirements
    assert f"python >= {_requirements.MINIMUM_PYTHON_VERSION}" in requirements


def test_requirements_txt_states_the_same_floors():
    with open(os.path.join(REPO_ROOT, "requirements.txt"), encoding="utf-8") as stream:
        floors = dict(re.findall(r"^([a-z0-9]+)>=(\S+)$", stream.read(), re.M))
    assert floors == {
        "boto3": _requirements.MINIMUM_BOTO3_VERSION,
        "botocore": _requirements.MINIMUM_BOTOCORE_VERSION,
    }


@pytest.mark.parametrize("module", MODULES)
def test_attributes_name_the_action_group_of_runtime_yml(docs, module):
    with open(os.path.join(REPO_ROOT, "meta", "runtime.yml"), encoding="utf-8") as stream:
        groups = yaml.safe_load(stream)["action_groups"]
    attributes = docs[module]["attributes"]
    membership = attributes["action_group"]["membership"]
    assert membership == [f"partnercentral.selling.{group}" for group, members in groups.items() if module in members]
    assert attributes["check_mode"]["support"] == "full"
    assert attributes["diff_mode"]["support"] in ("full", "none", "N/A")
