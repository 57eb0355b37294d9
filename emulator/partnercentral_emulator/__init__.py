# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A local HTTP emulator of the AWS Partner Central Selling API, for tests and demos.

Only the standard library and botocore are used, so the emulator runs wherever the collection's
tests run. See docs/emulator.md for the settings, the fixture format and the introspection endpoints.
"""

from __future__ import annotations

from partnercentral_emulator.admin import EmulatorAdmin
from partnercentral_emulator.config import DEFAULT_ACCESS_KEY
from partnercentral_emulator.config import DEFAULT_CONFIG
from partnercentral_emulator.config import DEFAULT_SECRET_KEY
from partnercentral_emulator.process import start_emulator_process
from partnercentral_emulator.process import stop_emulator_process
from partnercentral_emulator.server import EmulatorServer

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_CONFIG",
    "DEFAULT_SECRET_KEY",
    "EmulatorAdmin",
    "EmulatorServer",
    "start_emulator_process",
    "stop_emulator_process",
]
