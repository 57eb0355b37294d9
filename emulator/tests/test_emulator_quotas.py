# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Quotas: per-second token buckets for writes and reads (strict or not, per account or not), daily caps, changes.

The emulator's quotas run on a manual clock here (quota_clock "manual"): each test says when its requests arrive,
so what is accepted does not depend on how fast a loaded machine runs the test.
"""

from __future__ import annotations

import math

import pytest
from botocore.exceptions import ClientError
from partnercentral_emulator import config as config_module
from partnercentral_emulator.__main__ import parse_args
from partnercentral_emulator.__main__ import settings_from
from partnercentral_emulator.admin import EmulatorAdminError
from partnercentral_emulator.quota import DAY
from partnercentral_emulator.quota import ManualClock
from partnercentral_emulator.quota import TokenBucket

pytestmark = pytest.mark.emulator_config(quota_clock="manual")


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
    emulator.advance_clock(0.5)
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, second)
    emulator.advance_clock(0.5)  # a full second after the first write
    _start(client, second)
    assert emulator.stats()["writes_accepted"] == 2


@pytest.mark.emulator_config(read_tps=2)
def test_read_rate(emulator):
    client = emulator.client()
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_engagements(Catalog="Sandbox", MaxResults=1)
    emulator.advance_clock(0.5)  # one token back at 2/s
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    with pytest.raises(client.exceptions.ThrottlingException):
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
    # The cap is over a rolling 24 hours: a day after the first writes, they no longer count.
    emulator.advance_clock(DAY)
    _start(client, engagements[2])
    assert emulator.stats()["daily_usage"] == {"writes": 1, "reads": 0}


@pytest.mark.emulator_config(write_tps=5, engagements=50, second_conversion="duplicate")
def test_burst_at_three_times_the_write_quota(emulator):
    """15 writes/s for 3 s against write_tps 5: the full bucket takes the first burst, then 5/s are accepted."""
    rate, offered, duration = 5, 15, 3
    client = emulator.client()
    engagements = [e["id"] for e in emulator.engagements("Sandbox")]
    count = offered * duration
    accepted = 0
    for index in range(count):
        if index:
            emulator.advance_clock(1 / offered)
        try:
            _start(client, engagements[index % len(engagements)])
            accepted += 1
        except client.exceptions.ThrottlingException:
            pass
    stats = emulator.stats()
    assert stats["writes_accepted"] == accepted and stats["throttled"]["rate"] == count - accepted
    # The bucket starts full (rate tokens) and gains `rate` tokens a second until the last request arrives:
    # 5 + floor(5 * 44/15) = 19 of the 45.
    last_arrival = (count - 1) / offered
    assert accepted == rate + math.floor(rate * last_arrival) == 19


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
    emulator.advance_clock(0.05)  # half an interval: still no token
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, engagements[1])
    emulator.advance_clock(0.05)
    _start(client, engagements[2])
    stats = emulator.stats()
    assert stats["writes_accepted"] == 2 and stats["throttled"]["rate"] == 2
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
    settings = settings_from(
        parse_args(["--strict-buckets", "--per-account-quotas", "--write-tps", "10", "--quota-clock", "manual"])
    )
    assert settings == {"strict_buckets": True, "per_account_quotas": True, "write_tps": 10.0, "quota_clock": "manual"}
    assert settings_from(parse_args([])) == {}


# ---- the quota clock ---------------------------------------------------------------------------------------------


def test_a_manual_clock_moves_only_forward_and_only_when_told():
    clock = ManualClock(10.0)
    assert clock() == 10.0 == clock()
    assert clock.advance(0.25) == 10.25 == clock()
    with pytest.raises(ValueError, match="does not go back"):
        clock.advance(-1)


def test_the_clock_endpoint_moves_a_manual_clock(emulator):
    assert emulator.admin.clock() == {"quota_clock": "manual", "now": 0.0}
    assert emulator.advance_clock(1.5) == 1.5
    assert emulator.admin.clock()["now"] == 1.5
    for body in ({"advance": -1}, {"advance": "1"}, {"advance": True}, {"to": 3}):
        with pytest.raises(EmulatorAdminError, match="400"):
            emulator.admin._call("POST", "/_emulator/clock", body)
    assert emulator.admin.clock()["now"] == 1.5
    # A reset starts a new clock, as it starts new buckets.
    emulator.reset(quota_clock="manual")
    assert emulator.admin.clock()["now"] == 0.0


@pytest.mark.emulator_config(quota_clock="wall")
def test_the_wall_clock_cannot_be_moved(emulator):
    assert emulator.admin.clock()["quota_clock"] == "wall"
    with pytest.raises(EmulatorAdminError, match="wall clock"):
        emulator.advance_clock(1.0)
    with pytest.raises(EmulatorAdminError, match="quota_clock must be one of"):
        emulator.configure(quota_clock="sundial")


@pytest.mark.emulator_config(quota_clock="wall")
def test_switching_to_the_manual_clock_live_starts_full_buckets_on_it(emulator):
    client = emulator.client()
    first, second = (e["id"] for e in emulator.engagements("Sandbox")[:2])
    _start(client, first)
    emulator.configure(quota_clock="manual")
    _start(client, second)  # a new, full bucket
    with pytest.raises(client.exceptions.ThrottlingException):
        _start(client, first)
    assert emulator.stats()["writes_accepted"] == 2
