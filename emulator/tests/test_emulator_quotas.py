# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Quotas: per-second token buckets for writes and reads, rolling daily caps, live changes."""

from __future__ import annotations

import concurrent.futures
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


def _start(client, eng_id, context="1"):
    return client.start_opportunity_from_engagement_task(
        Catalog="Sandbox", Identifier=eng_id, ContextIdentifier=context
    )


def test_default_write_rate_is_one_per_second(emulator):
    client = emulator.client()
    first, second = (e["id"] for e in emulator.engagements("Sandbox")[:2])
    _start(client, first)
    with pytest.raises(client.exceptions.ThrottlingException) as caught:
        _start(client, second)
    assert "write_tps=1" in caught.value.response["Error"]["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    # A throttled Start did nothing.
    stats = emulator.stats()
    assert stats["tasks"] == 1 and stats["throttled"]["rate"] == 1 and stats["writes_accepted"] == 1
    # Reads have their own bucket.
    client.list_opportunity_from_engagement_tasks(Catalog="Sandbox")


@pytest.mark.emulator_config(read_tps=2)
def test_read_rate(emulator):
    client = emulator.client()
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_engagements(Catalog="Sandbox", MaxResults=1)
    time.sleep(0.55)
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    assert emulator.stats()["reads_accepted"] == 3


@pytest.mark.emulator_config(write_tps=0, read_tps=0, daily_write_cap=2, daily_read_cap=3)
def test_daily_caps(emulator):
    client = emulator.client()
    engagements = [e["id"] for e in emulator.engagements("Sandbox")[:3]]
    _start(client, engagements[0])
    _start(client, engagements[1])
    with pytest.raises(ClientError) as caught:
        _start(client, engagements[2])
    error = caught.value.response["Error"]
    assert error["Code"] == "ServiceQuotaExceededException"
    assert "write requests per rolling 24 hours" in error["Message"] and "daily_write_cap=2" in error["Message"]
    for _index in range(3):
        client.list_engagements(Catalog="Sandbox", MaxResults=1)
    with pytest.raises(client.exceptions.ServiceQuotaExceededException) as caught:
        client.get_engagement(Catalog="Sandbox", Identifier=engagements[0])
    assert "daily_read_cap=3" in caught.value.response["Error"]["Message"]
    stats = emulator.stats()
    assert stats["throttled"]["daily_cap"] == 2 and stats["tasks"] == 2
    assert stats["daily_usage"] == {"writes": 2, "reads": 3}


@pytest.mark.emulator_config(write_tps=5, engagements=50, second_conversion="duplicate")
def test_burst_at_three_times_the_write_quota(emulator):
    """15 writes/s for 3 s against write_tps 5: accepted ~= burst (5) + 5/s * 3 s."""
    rate, offered, duration = 5, 15, 3.0
    client = emulator.client(config=Config(retries={"total_max_attempts": 1}, max_pool_connections=offered))
    engagements = [e["id"] for e in emulator.engagements("Sandbox")]
    count = int(offered * duration)
    start = time.monotonic() + 0.05

    def fire(index):
        time.sleep(max(0.0, start + index / offered - time.monotonic()))
        try:
            _start(client, engagements[index % len(engagements)])
            return True
        except client.exceptions.ThrottlingException:
            return False

    with concurrent.futures.ThreadPoolExecutor(max_workers=offered) as pool:
        results = list(pool.map(fire, range(count)))
    elapsed = time.monotonic() - start
    accepted = sum(results)
    expected = rate + rate * elapsed  # the bucket starts full
    stats = emulator.stats()
    assert stats["writes_accepted"] == accepted and stats["throttled"]["rate"] == count - accepted
    assert abs(accepted - expected) <= 3, (accepted, expected)
    sustained = (accepted - rate) / elapsed
    assert 4.0 <= sustained <= 6.0, sustained


def test_live_rate_change(emulator):
    client = emulator.client()
    engagements = [e["id"] for e in emulator.engagements("Sandbox")[:4]]
    _start(client, engagements[0])
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, engagements[1])
    emulator.configure(write_tps=0)  # 0 = unlimited
    _start(client, engagements[1])
    _start(client, engagements[2])
    emulator.configure(write_tps=1)
    assert emulator.admin.config()["write_tps"] == 1.0
    # Back to 1/s: the bucket did not refill while unlimited, so the next write is throttled again.
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, engagements[3])
