# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection builds, installs offline into an empty path, and ansible-doc reads every module from the install."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import sysconfig
import tarfile

import pytest
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT
from ansible_collections.partnercentral.selling.tests.support import ansible_state_env
from ansible_collections.partnercentral.selling.tests.support import clean_environ

BIN_DIR = os.path.dirname(sys.executable)
MODULES = sorted(
    os.path.splitext(os.path.basename(path))[0]
    for path in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))
    if not os.path.basename(path).startswith("_")
)
# Options that amazon.aws's doc fragments (common.modules, region.modules) add to every module.
AMAZON_AWS_OPTIONS = ("access_key", "secret_key", "session_token", "profile", "endpoint_url", "region")
# Development files that must stay out of the built collection (galaxy.yml build_ignore).
NOT_SHIPPED = (".venv", ".tmp", ".ci/", "Makefile", "tests/output", "__pycache__", ".pytest_cache", "emulator/")

pytestmark = pytest.mark.build


def ansible_env(tmp_path, collections_path: str) -> dict[str, str]:
    """Ansible's state under tmp_path, and only the collections of collections_path (not the checkout's link)."""
    return {
        **clean_environ("ANSIBLE_"),
        **ansible_state_env(tmp_path / "ansible-home", collections_path),
        "ANSIBLE_NOCOLOR": "1",
    }


def run(command: list[str], env: dict[str, str], cwd: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, cwd=cwd, check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, "%s failed (%d):\n%s\n%s" % (
        command,
        result.returncode,
        result.stdout,
        result.stderr,
    )
    return result


@pytest.fixture(scope="module")
def installed_collection(tmp_path_factory):
    """Build the tarball from the checkout and install it into an empty path, without network access."""
    tmp_path = tmp_path_factory.mktemp("build")
    site_packages = sysconfig.get_paths()["purelib"]
    env = ansible_env(tmp_path, site_packages)
    run(
        [os.path.join(BIN_DIR, "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), REPO_ROOT],
        env,
        REPO_ROOT,
    )
    tarballs = glob.glob(str(tmp_path / "partnercentral-selling-*.tar.gz"))
    assert len(tarballs) == 1, tarballs

    install_dir = tmp_path / "installed"
    install_dir.mkdir()
    # amazon.aws (a dependency in galaxy.yml) is already installed in site-packages: nothing is fetched.
    run(
        [os.path.join(BIN_DIR, "ansible-galaxy"), "collection", "install", tarballs[0], "-p", str(install_dir)],
        env,
        str(tmp_path),
    )
    collection_dir = install_dir / "ansible_collections" / "partnercentral" / "selling"
    assert (collection_dir / "MANIFEST.json").is_file()
    return {
        "tarball": tarballs[0],
        "collection_dir": str(collection_dir),
        "env": ansible_env(tmp_path, os.pathsep.join([str(install_dir), site_packages])),
        "cwd": str(tmp_path),
    }


def test_modules_exist():
    assert MODULES, "no module in plugins/modules"


def test_tarball_leaves_out_development_files(installed_collection):
    with tarfile.open(installed_collection["tarball"]) as tarball:
        names = tarball.getnames()
    assert "galaxy.yml" not in names and "MANIFEST.json" in names
    offending = [name for name in names if any(part in name for part in NOT_SHIPPED)]
    assert not offending, offending
    for module in MODULES:
        assert "plugins/modules/%s.py" % module in names


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_reads_installed_module(installed_collection, module):
    result = run(
        [os.path.join(BIN_DIR, "ansible-doc"), "--json", "-t", "module", "partnercentral.selling.%s" % module],
        installed_collection["env"],
        installed_collection["cwd"],
    )
    doc = json.loads(result.stdout)["partnercentral.selling.%s" % module]["doc"]
    # The documentation comes from the installed copy, not from the checkout.
    assert os.path.realpath(doc["filename"]).startswith(os.path.realpath(installed_collection["collection_dir"]))
    missing = [option for option in AMAZON_AWS_OPTIONS if option not in doc["options"]]
    assert not missing, "amazon.aws doc fragment options missing from %s: %s" % (module, missing)
