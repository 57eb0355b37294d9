# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fault injection: injected throttling, internal errors and latency, decided before any work."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.emulator_config(write_tps=0, read_tps=0)


def _start(client, eng_id):
    return client.start_opportunity_from_engagement_task(Catalog="Sandbox", Identifier=eng_id, ContextIdentifier="1")


@pytest.mark.emulator_config(throttle_rate=1.0)
def test_injected_throttling_does_no_work(emulator):
    client = emulator.client()
    eng_id = emulator.engagements("Sandbox")[0]["id"]
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, eng_id)
    stats = emulator.stats()
    assert stats["tasks"] == 0 and stats["throttled"]["injected"] == 1 and stats["writes_accepted"] == 0


@pytest.mark.emulator_config(internal_error_rate=1.0)
def test_injected_internal_error(emulator):
    client = emulator.client()
    eng_id = emulator.engagements("Sandbox")[0]["id"]
    with pytest.raises(client.exceptions.InternalServerException) as caught:
        _start(client, eng_id)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    stats = emulator.stats()
    assert stats["tasks"] == 0 and stats["internal_errors_injected"] == 1
    assert stats["requests"]["StartOpportunityFromEngagementTask"] == {"500": 1}


def _outcomes(emulator, count=20):
    client = emulator.client()
    outcomes = []
    for _index in range(count):
        try:
            client.list_engagements(Catalog="Sandbox", MaxResults=1)
            outcomes.append("ok")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])
    return outcomes


@pytest.mark.emulator_config(throttle_rate=0.3, internal_error_rate=0.2, seed=7)
def test_fault_rates_are_seeded(emulator):
    first = _outcomes(emulator)
    emulator.reset(write_tps=0, read_tps=0, throttle_rate=0.3, internal_error_rate=0.2, seed=7)
    assert _outcomes(emulator) == first
    assert {"ok", "ThrottlingException", "InternalServerException"} == set(first)
    emulator.reset(write_tps=0, read_tps=0, throttle_rate=0.3, internal_error_rate=0.2, seed=8)
    assert _outcomes(emulator) != first


@pytest.mark.emulator_config(added_latency=0.2)
def test_added_latency(emulator):
    client = emulator.client()
    started = time.monotonic()
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    assert time.monotonic() - started >= 0.2


@pytest.mark.emulator_config(added_latency=[0.05, 0.1])
def test_added_latency_range(emulator):
    client = emulator.client()
    for _index in range(3):
        started = time.monotonic()
        client.list_engagements(Catalog="Sandbox", MaxResults=1)
        assert 0.05 <= time.monotonic() - started < 0.5


def test_faults_can_be_switched_on_live(emulator):
    client = emulator.client()
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    emulator.configure(throttle_rate=1.0)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_engagements(Catalog="Sandbox", MaxResults=1)
    emulator.configure(throttle_rate=0.0)
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
