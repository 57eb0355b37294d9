# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run ansible-test on a physical copy of this collection, without network access to Galaxy or GitHub.

Usage (with the python of the virtualenv that holds ansible-core and the ``ansible`` package):

    .venv/bin/python hack/offline/ansible_test_offline.py [--work DIR] -- sanity --python 3.11

What it does:

1. ansible-test resolves symlinks and wants the collection to sit physically at
   ``.../ansible_collections/partnercentral/selling``; it copies the tracked and untracked-but-not-ignored
   files of the checkout (``git ls-files -co --exclude-standard``) to ``DIR/ansible_collections/partnercentral/selling``
   and makes the copy a git repository of its own (ansible-test would otherwise use the checkout's, where the copy is
   ignored).
2. amazon.aws must be in the same ``ansible_collections`` tree: ``DIR/ansible_collections/amazon/aws`` becomes a
   symlink to the copy inside the virtualenv's site-packages (shipped by the ``ansible`` package).
3. ansible-test bootstraps pip in its per-test virtualenvs with a get-pip script it downloads from a host that is
   not reachable here; it first looks at ``$HOME/.ansible/test/cache/get_pip_<version>.py``. HOME is set to
   ``DIR/home`` (nothing is written to the real home) and that cache gets hack/offline/get_pip_offline.py plus the
   wheels of what ansible-test bootstraps (pip; with ansible-test 2.17 also setuptools and wheel), fetched once with
   ``pip download`` from the package index.
4. ansible-test runs in the copy with the virtualenv's bin first on PATH, so ``python3.X`` (its ``--python``) is the
   virtualenv's.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import sysconfig

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
NAMESPACE = "partnercentral"
NAME = "selling"


def log(message: str) -> None:
    print("ansible-test-offline: %s" % message, flush=True)


def venv_paths() -> tuple[str, str]:
    """The bin directory and site-packages of the running interpreter."""
    bin_dir = os.path.dirname(sys.executable)
    site_packages = sysconfig.get_paths()["purelib"]
    return bin_dir, site_packages


def collection_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files that exist in the work tree (a deleted tracked file is left out)."""
    output = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.PIPE,
    ).stdout.decode("utf-8")
    files = sorted({path for path in output.split("\0") if path})
    return [path for path in files if os.path.lexists(os.path.join(REPO_ROOT, path))]


def copy_collection(destination: str) -> int:
    """A fresh physical copy of the collection at destination (test output of earlier runs is dropped too)."""
    if os.path.lexists(destination):
        shutil.rmtree(destination)
    files = collection_files()
    for path in files:
        source = os.path.join(REPO_ROOT, path)
        target = os.path.join(destination, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    # ansible-test lists the collection's files with git when it finds a .git directory in or above the collection
    # root; above the copy it would find this checkout, where .tmp/ is ignored, and so see no file at all. A repository
    # of the copy's own (nothing committed) makes it list the copy's untracked, not ignored files: all of them.
    subprocess.run(["git", "init", "--quiet", destination], check=True)
    return len(files)


def link_amazon_aws(collections_root: str, site_packages: str) -> None:
    source = os.path.join(site_packages, "ansible_collections", "amazon", "aws")
    if not os.path.isdir(source):
        raise SystemExit("ansible-test-offline: amazon.aws not found at %s (install the 'ansible' package)" % source)
    link = os.path.join(collections_root, "amazon", "aws")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if os.path.lexists(link):
        if os.path.islink(link) and os.readlink(link) == source:
            return
        os.remove(link) if os.path.islink(link) else shutil.rmtree(link)
    os.symlink(source, link)


def bootstrap_packages(site_packages: str) -> dict[str, str]:
    """The packages (name: version) that the installed ansible-test bootstraps into its virtualenvs.

    ansible-test 2.18 and later bootstrap pip alone; 2.17 also setuptools and wheel (``get_venv_packages``).
    """
    path = os.path.join(site_packages, "ansible_test", "_internal", "python_requirements.py")
    with open(path, encoding="utf-8") as handle:
        match = re.search(r"default_packages = dict\((.*?)\)", handle.read(), re.DOTALL)
    packages = dict(re.findall(r"\b([a-z_]+)='([0-9.]+)'", match.group(1))) if match else {}
    if "pip" not in packages:
        raise SystemExit("ansible-test-offline: cannot find the bootstrap pip version in %s" % path)
    return packages


def wheel_of(cache: str, name: str, version: str) -> str | None:
    found = glob.glob(os.path.join(cache, "%s-%s-*.whl" % (name, version)))
    return found[0] if found else None


def install_pip_bootstrap(home: str, bin_dir: str, packages: dict[str, str]) -> None:
    cache = os.path.join(home, ".ansible", "test", "cache")
    os.makedirs(cache, exist_ok=True)
    missing = [name for name, version in packages.items() if not wheel_of(cache, name, version)]
    if missing:
        requirements = ["%s==%s" % (name, packages[name]) for name in missing]
        log("downloading %s from the package index" % " ".join(requirements))
        subprocess.run(
            [os.path.join(bin_dir, "python"), "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
            + ["--dest", cache]
            + requirements,
            check=True,
        )
    wanted = {wheel_of(cache, name, version) for name, version in packages.items()}
    for stale in glob.glob(os.path.join(cache, "*.whl")):
        if stale not in wanted:
            os.remove(stale)
    script = os.path.join(cache, "get_pip_%s.py" % packages["pip"].replace(".", "_"))
    shutil.copyfile(os.path.join(HERE, "get_pip_offline.py"), script)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=os.path.join(REPO_ROOT, ".tmp", "ansible-test"), help="work directory")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="ansible-test arguments (after --)")
    options = parser.parse_args()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    if not args:
        parser.error("no ansible-test arguments given")

    work = os.path.abspath(options.work)
    bin_dir, site_packages = venv_paths()
    collections_root = os.path.join(work, "ansible_collections")
    collection = os.path.join(collections_root, NAMESPACE, NAME)
    home = os.path.join(work, "home")

    count = copy_collection(collection)
    link_amazon_aws(collections_root, site_packages)
    install_pip_bootstrap(home, bin_dir, bootstrap_packages(site_packages))
    log("%d files copied to %s" % (count, os.path.relpath(collection, REPO_ROOT)))

    env = dict(os.environ)
    env["HOME"] = home
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    env.pop("ANSIBLE_COLLECTIONS_PATHS", None)
    env.pop("PYTHONPATH", None)
    command = [os.path.join(bin_dir, "ansible-test")] + args + ["--color", "no"]
    log("running: ansible-test %s" % " ".join(args))
    return subprocess.run(command, cwd=collection, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
