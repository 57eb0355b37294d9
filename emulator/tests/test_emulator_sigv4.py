# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SigV4 verification and the AWS front-end errors."""

from __future__ import annotations

import datetime
import logging

import pytest
from botocore.exceptions import ClientError
from emulator_helpers import raw_call
from partnercentral_emulator import DEFAULT_SECRET_KEY

GET_BODY = {"Catalog": "Sandbox", "MaxResults": 1}


def _code(error: ClientError) -> str:
    return error.response["Error"]["Code"]


def test_signed_request_is_accepted(emulator):
    status, _headers, parsed = raw_call(emulator, "ListEngagements", GET_BODY)
    assert status == 200 and len(parsed["EngagementSummaryList"]) == 1


def test_missing_authentication(emulator):
    status, headers, parsed = raw_call(emulator, "ListEngagements", GET_BODY, sign=False)
    assert status == 403
    assert parsed["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_unknown_access_key(emulator):
    client = emulator.client(aws_access_key_id="AKIDNOTKNOWN00000000")
    with pytest.raises(ClientError) as caught:
        client.list_engagements(Catalog="Sandbox")
    assert _code(caught.value) == "UnrecognizedClientException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_wrong_secret_is_a_bad_signature(emulator):
    client = emulator.client(aws_secret_access_key="not-the-secret")
    with pytest.raises(ClientError) as caught:
        client.list_engagements(Catalog="Sandbox")
    assert _code(caught.value) == "InvalidSignatureException"


def test_body_changed_after_signing(emulator):
    def tamper(request):
        return b'{"Catalog": "AWS", "MaxResults": 1}'

    status, _headers, parsed = raw_call(emulator, "ListEngagements", GET_BODY, tamper=tamper)
    assert status == 403 and parsed["Error"]["Code"] == "InvalidSignatureException"


def test_wrong_service_in_scope(emulator):
    status, _headers, parsed = raw_call(emulator, "ListEngagements", GET_BODY, service="s3")
    assert status == 403 and parsed["Error"]["Code"] == "InvalidSignatureException"
    assert "partnercentral-selling" in parsed["Error"]["Message"]


def test_signature_too_old(emulator):
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    status, _headers, parsed = raw_call(emulator, "ListEngagements", GET_BODY, timestamp=old)
    assert status == 403 and parsed["Error"]["Code"] == "InvalidSignatureException"
    assert "expired" in parsed["Error"]["Message"]


def test_signature_uses_x_amz_date(emulator):
    # Signed five minutes ago: within the allowed skew, so the X-Amz-Date timestamp must be used to verify.
    earlier = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    status, _headers, _parsed = raw_call(emulator, "ListEngagements", GET_BODY, timestamp=earlier)
    assert status == 200


@pytest.mark.emulator_config(
    credentials=[
        {"access_key": "AKIDPCSEMULATOR00001", "secret_key": DEFAULT_SECRET_KEY},
        {"access_key": "AKIDPCSEMULATORTMP01", "secret_key": "temp-secret", "session_token": "token-1"},
        {"access_key": "AKIDPCSEMULATOREXP01", "secret_key": "old-secret", "session_token": "old", "expired": True},
    ]
)
def test_session_tokens_and_expiry(emulator):
    good = emulator.client(
        aws_access_key_id="AKIDPCSEMULATORTMP01", aws_secret_access_key="temp-secret", aws_session_token="token-1"
    )
    assert good.list_engagements(Catalog="Sandbox", MaxResults=1)["EngagementSummaryList"]
    wrong_token = emulator.client(
        aws_access_key_id="AKIDPCSEMULATORTMP01", aws_secret_access_key="temp-secret", aws_session_token="token-2"
    )
    with pytest.raises(ClientError) as caught:
        wrong_token.list_engagements(Catalog="Sandbox")
    assert _code(caught.value) == "UnrecognizedClientException"
    no_token = emulator.client(aws_access_key_id="AKIDPCSEMULATORTMP01", aws_secret_access_key="temp-secret")
    with pytest.raises(ClientError) as caught:
        no_token.list_engagements(Catalog="Sandbox")
    assert _code(caught.value) == "UnrecognizedClientException"
    expired = emulator.client(
        aws_access_key_id="AKIDPCSEMULATOREXP01", aws_secret_access_key="old-secret", aws_session_token="old"
    )
    with pytest.raises(ClientError) as caught:
        expired.list_engagements(Catalog="Sandbox")
    assert _code(caught.value) == "ExpiredTokenException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_no_secrets_in_the_log(emulator, caplog):
    caplog.set_level(logging.DEBUG, logger="partnercentral_emulator")
    client = emulator.client()
    client.list_engagements(Catalog="Sandbox", MaxResults=1)
    bad = emulator.client(aws_secret_access_key="another-secret-value")
    with pytest.raises(ClientError):
        bad.list_engagements(Catalog="Sandbox")
    text = caplog.text
    assert "ListEngagements 200" in text and "ListEngagements 403" in text
    for secret in (DEFAULT_SECRET_KEY, "another-secret-value", "Signature=", "AWS4-HMAC-SHA256", emulator.access_key):
        assert secret not in text
