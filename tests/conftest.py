# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Makes the collection importable as ansible_collections.partnercentral.selling.

The emulator's fixtures (`emulator`, `emulator_server`) come from the installed partnercentral-emulator
distribution (emulator/, in the dev virtualenv), which registers them as a pytest11 plugin.
"""

from __future__ import annotations

import support

support.prepare()
