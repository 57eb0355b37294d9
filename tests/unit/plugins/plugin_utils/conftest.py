# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests marked ``fresh_process`` run in a pytest process of their own when this one has other threads.

The controller fork refuses to fork while another thread is alive (a fork copies the locks other threads hold), and
an earlier test file of the same pytest-xdist worker may have left one running (the emulator fixture's HTTP server,
for the rest of the session). Such a test then runs again, alone, in a new interpreter, and passes or fails as it
does there; its output is shown when it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Any
from typing import Optional

import pytest

FRESH_PROCESS_VARIABLE = "PCS_TEST_FRESH_PROCESS"


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "fresh_process: run alone in a new interpreter when other threads are alive")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: Any) -> Optional[bool]:
    if pyfuncitem.get_closest_marker("fresh_process") is None or threading.active_count() == 1:
        return None
    if os.environ.get(FRESH_PROCESS_VARIABLE):
        return None  # already the fresh process: run the test here (a thread of its own is the test's business)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", pyfuncitem.nodeid]
    answer = subprocess.run(  # noqa: S603 - this interpreter and pytest, with the test's node id
        command,
        cwd=str(pyfuncitem.config.rootpath),
        env=dict(os.environ, **{FRESH_PROCESS_VARIABLE: "1"}),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if answer.returncode != 0:
        pytest.fail(f"in a fresh process: {' '.join(command)}\n{answer.stdout[-6000:]}\n{answer.stderr[-3000:]}")
    return True
