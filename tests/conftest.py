# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Makes the collection importable as ansible_collections.partnercentral.selling.

The emulator's fixtures (`emulator`, `emulator_server`) come from the installed partnercentral-emulator
distribution (emulator/, in the dev virtualenv), which registers them as a pytest11 plugin.
"""

from __future__ import annotations

import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")


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
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)
