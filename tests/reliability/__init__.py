# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reliability suite of partnercentral.selling: exactly-once under kills, races, fault storms and bad input.

``python -m tests.reliability`` runs the full suite and prints a table; ``tests/reliability/test_reliability.py``
runs a reduced version under pytest. See docs/reliability.md.
"""

from __future__ import annotations

import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")
EMULATOR_ROOT = os.path.join(REPO_ROOT, "tests", "emulator")
INTEGRATION_ROOT = os.path.join(REPO_ROOT, "tests", "integration")


def _link_collection() -> None:
    """ansible_collections/partnercentral/selling -> this checkout (the same link tests/conftest.py makes)."""
    namespace_dir = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "partnercentral")
    link = os.path.join(namespace_dir, "selling")
    os.makedirs(namespace_dir, exist_ok=True)
    if not os.path.islink(link):
        try:
            os.symlink(REPO_ROOT, link)
        except FileExistsError:
            pass


_link_collection()
for _path in (COLLECTIONS_ROOT, EMULATOR_ROOT, INTEGRATION_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)
