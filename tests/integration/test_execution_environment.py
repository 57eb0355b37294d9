# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""meta/execution-environment.yml and bindep.txt, checked with ansible-builder offline (no image is built).

Two uses are covered: `ansible-builder create` on the collection's own definition (the build context must carry the
collection's Python, system and collection needs), and `ansible-builder introspect`, which is how ansible-builder
reads this collection's needs when another execution environment installs it.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT

pytest.importorskip("ansible_builder", reason="ansible-builder is pinned in requirements-dev.txt only")

pytestmark = pytest.mark.integration

EE_FILE = os.path.join(REPO_ROOT, "meta", "execution-environment.yml")
MINIMUM_BOTOCORE = (1, 41, 6)


def _builder(*args: str, cwd: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ansible_builder", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, ANSIBLE_BUILDER_NO_COLOR="1"),
    )
    assert result.returncode == 0, f"ansible-builder {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _load(path: str):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _minimum(requirements: list[str], package: str) -> tuple[int, ...]:
    """The version after `>=` in the requirement line of package (comments and markers ignored)."""
    for line in requirements:
        match = re.match(rf"^{package}\s*>=\s*([0-9.]+)", line.strip().strip("'\""))
        if match:
            return _version(match.group(1))
    raise AssertionError(f"no '{package}>=' line in {requirements}")


def test_definition_uses_collection_relative_files():
    definition = _load(EE_FILE)
    assert definition["version"] == 3
    deps = definition["dependencies"]
    # ansible-builder's introspection joins these to the collection root: they must be relative and exist there.
    for key, filename in (("python", "requirements.txt"), ("system", "bindep.txt")):
        assert deps[key] == filename
        assert os.path.isfile(os.path.join(REPO_ROOT, filename))
    galaxy = _load(os.path.join(REPO_ROOT, "galaxy.yml"))
    listed = {entry["name"] for entry in deps["galaxy"]["collections"]}
    assert listed == set(galaxy["dependencies"])
    # The tarball must carry the files ansible-builder reads from an installed collection.
    for path in ("meta/execution-environment.yml", "requirements.txt", "bindep.txt"):
        ignored = [pattern for pattern in galaxy.get("build_ignore", []) if fnmatch.fnmatch(path, pattern)]
        assert not ignored, f"galaxy.yml build_ignore {ignored} drops {path} from the collection tarball"


def test_create_build_context(tmp_path):
    # The file's paths are relative to the collection root, so the definition is used from there (a copy of the
    # three files keeps the checkout clean).
    source = tmp_path / "src"
    source.mkdir()
    for name in ("requirements.txt", "bindep.txt"):
        shutil.copy(os.path.join(REPO_ROOT, name), source / name)
    shutil.copy(EE_FILE, source / "execution-environment.yml")
    context = tmp_path / "context"

    _builder(
        "create",
        "-f",
        "src/execution-environment.yml",
        "-c",
        str(context),
        "--output-filename",
        "Containerfile",
        cwd=str(tmp_path),
    )

    build = context / "_build"
    python_needs = (build / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert _minimum(python_needs, "botocore") >= MINIMUM_BOTOCORE
    assert _minimum(python_needs, "boto3") >= (1, 41, 5)  # boto3 1.41.5 is the oldest that accepts botocore 1.41.6
    system_needs = (build / "bindep.txt").read_text(encoding="utf-8")
    assert re.search(r"^ca-certificates\b", system_needs, re.M)
    collections = yaml.safe_load((build / "requirements.yml").read_text(encoding="utf-8"))["collections"]
    assert {"name": "amazon.aws", "version": ">=9.0.0"} in collections
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    assert "ansible-galaxy collection install" in containerfile
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    assert "ansible-core>=2.17.0,<2.20" in containerfile


def test_introspect_reads_collection_needs(tmp_path):
    """What ansible-builder adds to an image that installs this collection (beside amazon.aws)."""
    import ansible_collections.amazon.aws

    tree = tmp_path / "collections" / "ansible_collections"
    (tree / "partnercentral").mkdir(parents=True)
    (tree / "amazon").mkdir()
    os.symlink(REPO_ROOT, tree / "partnercentral" / "selling")
    os.symlink(list(ansible_collections.amazon.aws.__path__)[0], tree / "amazon" / "aws")

    found = yaml.safe_load(_builder("introspect", "--sanitize", str(tmp_path / "collections"), cwd=str(tmp_path)))
    ours = [line for line in found["python"] if "from collection partnercentral.selling" in line]
    assert _minimum(ours, "botocore") >= MINIMUM_BOTOCORE
    assert any(line.startswith("boto3>=") for line in ours)
    assert any(
        line.startswith("ca-certificates") and "partnercentral.selling" in line for line in found["system"]
    ), found["system"]
