# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reliability suite of partnercentral.selling: exactly-once under kills, races, fault storms and bad input.

``python -m tests.reliability`` runs the full suite and prints a table; ``tests/reliability/test_reliability.py``
runs a reduced version under pytest. See docs/reliability.md.
"""

from __future__ import annotations

import os
import runpy
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTEGRATION_ROOT = os.path.join(REPO_ROOT, "tests", "integration")

# tests/conftest.py links the collection into .tmp/collections and puts it on sys.path. The suite also runs outside
# pytest (python -m tests.reliability), so it runs that set-up itself.
runpy.run_path(os.path.join(REPO_ROOT, "tests", "conftest.py"))
if INTEGRATION_ROOT not in sys.path:
    sys.path.insert(0, INTEGRATION_ROOT)
