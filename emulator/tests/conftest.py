# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Emulator suite: every answer the emulator gives during a test must have been parsed and checked."""

from __future__ import annotations

from typing import Iterator

import pytest
from partnercentral_emulator.pytest_plugin import EmulatorHandle


@pytest.fixture
def emulator(emulator: EmulatorHandle) -> Iterator[EmulatorHandle]:
    # Overrides the plugin's fixture of the same name and wraps it.
    yield emulator
    assert emulator.checker.problems == []
    total = emulator.admin.stats()["total_requests"]
    # Requests to the AWS surface == answers parsed by botocore and validated against the model; any
    # request sent around the checking clients would make these differ.
    assert emulator.checker.checked == total, f"{total} AWS answers, only {emulator.checker.checked} checked"
