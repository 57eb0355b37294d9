# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures of the unit tests: a real partnercentral-selling client behind botocore's Stubber, a fake clock."""

from __future__ import annotations

import os
import sys
import types
from typing import Any
from typing import List

import pytest
from ansible_collections.amazon.aws.plugins.module_utils import cloud

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pcs_stubs import Api  # noqa: E402
from pcs_stubs import FakeClock  # noqa: E402
from pcs_stubs import make_client  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client() -> Any:
    return make_client()


@pytest.fixture
def api(client: Any, clock: FakeClock) -> Any:
    stubs = Api(client, clock)
    with stubs.stubber:
        yield stubs


@pytest.fixture(autouse=True)
def retry_sleeps(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    """AWSRetry's backoff sleeps are recorded instead of slept, so retried calls cost no time."""
    sleeps: List[float] = []
    monkeypatch.setattr(cloud, "time", types.SimpleNamespace(sleep=sleeps.append))
    return sleeps
