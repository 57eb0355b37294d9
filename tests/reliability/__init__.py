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

TESTS_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The suite also runs outside pytest (python -m tests.reliability), so it makes the support layer importable itself.
if TESTS_ROOT not in sys.path:
    sys.path.insert(0, TESTS_ROOT)

import support  # noqa: E402

support.prepare()
REPO_ROOT = support.REPO_ROOT
