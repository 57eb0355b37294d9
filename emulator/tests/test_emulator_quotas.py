# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Quotas: per-second token buckets for writes and reads (strict or not, per account or not), daily caps, changes."""

from __future__ import annotations

import concurrent.futures
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from partnercentral_emulator import config as config_module
from partnercentral_emulator.__main__ import parse_args
from partnercentral_emulator.__main__ import settings_from
from partnercentral_emulator.quota import TokenBucket


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


# ---- strict buckets and per-account quotas ----------------------------------------------------------------------

SECOND_ACCOUNT = {"access_key": "AKIDPCSEMULATOR00002", "secret_key": "pcs-emulator-second-secret"}


def test_a_bucket_holds_max_1_rate_tokens_unless_strict():
    clock = [0.0]
    loose = TokenBucket(10.0, clock=lambda: clock[0])
    strict = TokenBucket(10.0, clock=lambda: clock[0], strict=True)
    assert sum(loose.take() for _attempt in range(12)) == 10
    assert sum(strict.take() for _attempt in range(12)) == 1
    clock[0] += 0.099
    assert not strict.take()  # one token comes back after a full 1/rate, not earlier
    clock[0] += 0.001
    assert strict.take()
    clock[0] += 5.0  # idle: still a single token, no burst
    assert [strict.take(), strict.take()] == [True, False]


def test_a_request_counts_when_it_arrived_not_when_it_was_checked():
    clock = [100.0]
    bucket = TokenBucket(1.0, clock=lambda: clock[0], strict=True)
    assert bucket.take(at=100.0)
    clock[0] = 101.2  # checked late, but it arrived 1.0 s after the first: accepted
    assert bucket.take(at=101.0)
    # One that arrived before the last one counted gets no time from the bucket: refused.
    assert not bucket.take(at=100.9)
    assert not bucket.take(at=101.5)
    assert bucket.take(at=102.0)


@pytest.mark.emulator_config(write_tps=10, strict_buckets=True, engagements=30)
def test_strict_buckets_refuse_a_second_write_within_one_interval_at_any_rate(emulator):
    client = emulator.client()
    engagements = [e["id"] for e in emulator.engagements("Sandbox")[:3]]
    _start(client, engagements[0])
    # A 10-token bucket would take this one; a strict bucket holds one token at 10/s too.
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, engagements[1])
    time.sleep(0.12)
    _start(client, engagements[2])
    stats = emulator.stats()
    assert stats["writes_accepted"] == 2 and stats["throttled"]["rate"] == 1
    assert emulator.admin.config()["strict_buckets"] is True
    # Live switch back: the bucket holds 10 tokens again (refilled over time, not at once).
    emulator.configure(strict_buckets=False)
    assert emulator.admin.config()["strict_buckets"] is False


@pytest.mark.emulator_config(
    per_account_quotas=True,
    credentials=[
        {"access_key": "AKIDPCSEMULATOR00001", "secret_key": "pcs-emulator-secret-do-not-use"},
        SECOND_ACCOUNT,
    ],
)
def test_per_account_quotas_give_each_access_key_its_own_buckets(emulator):
    first = emulator.client()
    second = emulator.client(
        aws_access_key_id=SECOND_ACCOUNT["access_key"], aws_secret_access_key=SECOND_ACCOUNT["secret_key"]
    )
    engagements = [e["id"] for e in emulator.engagements("Sandbox")[:3]]
    _start(first, engagements[0])
    # 1 write/s each: the second account's write is accepted in the same second, the first's second one is not.
    _start(second, engagements[1])
    with pytest.raises(first.exceptions.ThrottlingException):
        _start(first, engagements[2])
    stats = emulator.stats()
    assert stats["writes_accepted"] == 2 and stats["throttled"]["rate"] == 1
    accounts = stats["accounts"]
    assert accounts["AKIDPCSEMULATOR00001"]["throttled"] == {"StartOpportunityFromEngagementTask": 1}
    assert accounts[SECOND_ACCOUNT["access_key"]]["throttled"] == {}
    assert accounts[SECOND_ACCOUNT["access_key"]]["requests"] == {"StartOpportunityFromEngagementTask": {"200": 1}}
    assert accounts["AKIDPCSEMULATOR00001"]["requests"]["StartOpportunityFromEngagementTask"] == {"200": 1, "429": 1}


@pytest.mark.emulator_config(
    credentials=[
        {"access_key": "AKIDPCSEMULATOR00001", "secret_key": "pcs-emulator-secret-do-not-use"},
        SECOND_ACCOUNT,
    ],
)
def test_without_per_account_quotas_every_caller_shares_one_bucket(emulator):
    first = emulator.client()
    second = emulator.client(
        aws_access_key_id=SECOND_ACCOUNT["access_key"], aws_secret_access_key=SECOND_ACCOUNT["secret_key"]
    )
    engagements = [e["id"] for e in emulator.engagements("Sandbox")[:2]]
    _start(first, engagements[0])
    with pytest.raises(second.exceptions.ThrottlingException):
        _start(second, engagements[1])
    assert emulator.stats()["accounts"][SECOND_ACCOUNT["access_key"]]["throttled"] == {
        "StartOpportunityFromEngagementTask": 1
    }


def test_quota_settings_are_checked():
    assert config_module.check({"strict_buckets": True, "per_account_quotas": False}) == {
        "strict_buckets": True,
        "per_account_quotas": False,
    }
    for key in ("strict_buckets", "per_account_quotas"):
        with pytest.raises(config_module.ConfigError, match=f"{key} must be true or false"):
            config_module.check({key: "yes"})


def test_quota_cli_flags():
    settings = settings_from(parse_args(["--strict-buckets", "--per-account-quotas", "--write-tps", "10"]))
    assert settings == {"strict_buckets": True, "per_account_quotas": True, "write_tps": 10.0}
    assert settings_from(parse_args([])) == {}
