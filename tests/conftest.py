# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Makes the collection importable as ansible_collections.partnercentral.selling and loads the emulator fixtures."""

from __future__ import annotations

import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")
EMULATOR_ROOT = os.path.join(REPO_ROOT, "tests", "emulator")


def _link_collection() -> None:
    """ansible_collections/partnercentral/selling -> this checkout, so imports and ansible-playbook see the tree."""
    namespace_dir = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "partnercentral")
    link = os.path.join(namespace_dir, "selling")
    os.makedirs(namespace_dir, exist_ok=True)
    if not os.path.islink(link):
        try:
            os.symlink(REPO_ROOT, link)
        except FileExistsError:
            pass


_link_collection()
for path in (COLLECTIONS_ROOT, EMULATOR_ROOT):
    if path not in sys.path:
        sys.path.insert(0, path)

pytest_plugins = ["partnercentral_emulator.pytest_plugin"]
