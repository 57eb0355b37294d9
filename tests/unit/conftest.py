# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures of the unit tests: a real partnercentral-selling client behind botocore's Stubber, a fake clock."""

from __future__ import annotations

import types
from typing import Any
from typing import List

import pytest
from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import Api
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import FakeClock
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import make_client


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
