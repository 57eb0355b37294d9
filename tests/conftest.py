# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Makes the collection importable as ansible_collections.partnercentral.selling and loads the emulator fixtures."""

from __future__ import annotations

import support

support.prepare()

pytest_plugins = ["partnercentral_emulator.pytest_plugin"]
