# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reliability suite of partnercentral.selling: exactly-once under kills, races, fault storms and bad input.

``python -m tests.reliability`` runs the full suite and prints a table; ``tests/reliability/test_reliability.py``
runs a reduced version under pytest. See docs/reliability.md.
"""

from __future__ import annotations

# tests is a package: under pytest (which imports this suite as tests.reliability) and with python -m alike.
from .. import support

support.prepare()
REPO_ROOT = support.REPO_ROOT
