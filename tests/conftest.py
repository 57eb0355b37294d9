# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Links the checkout as ansible_collections.partnercentral.selling under .tmp/collections, which pytest puts on its
path (``pythonpath`` in pyproject.toml): the tests import the collection and their helpers by that name.

The emulator's fixtures (`emulator`, `emulator_server`) come from the installed partnercentral-emulator
distribution (emulator/, in the dev virtualenv), which registers them as a pytest11 plugin.
"""

from __future__ import annotations

from . import support

support.prepare()
