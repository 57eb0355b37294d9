# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the emulator tests: raw HTTP calls whose answers are still parsed and checked like boto3's."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from partnercentral_emulator import model
from partnercentral_emulator.pytest_plugin import EmulatorHandle

TARGET = "AWSPartnerCentralSelling."


def sandbox_engagement(emulator: EmulatorHandle, index: int = 0) -> str:
    return emulator.engagements("Sandbox")[index]["id"]


def raw_call(
    emulator: EmulatorHandle,
    operation: str,
    body: Any,
    **options: Any,
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """POST an operation; return (status, headers, botocore-parsed answer), checked against the model."""
    status, headers, _payload, parsed = raw_exchange(emulator, operation, body, **options)
    return status, headers, parsed


def raw_exchange(
    emulator: EmulatorHandle,
    operation: str,
    body: Any,
    sign: bool = True,
    access_key: str | None = None,
    secret_key: str | None = None,
    session_token: str | None = None,
    tamper: Any = None,
    timestamp: datetime.datetime | None = None,
    service: str = "partnercentral-selling",
) -> tuple[int, dict[str, str], bytes, dict[str, Any]]:
    """raw_call that also returns the answer's bytes as they went over the wire."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = AWSRequest(
        method="POST",
        url=emulator.endpoint_url + "/",
        data=data,
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET + operation},
    )
    if sign:
        credentials = Credentials(access_key or emulator.access_key, secret_key or emulator.secret_key, session_token)
        signer = SigV4Auth(credentials, service, "us-east-1")
        if timestamp is not None:
            # add_auth stamps the current time; sign by hand to use another one.
            request.context["timestamp"] = timestamp.strftime("%Y%m%dT%H%M%SZ")
            request.headers["X-Amz-Date"] = request.context["timestamp"]
            if session_token:
                request.headers["X-Amz-Security-Token"] = session_token
            canonical = signer.canonical_request(request)
            signature = signer.signature(signer.string_to_sign(request, canonical), request)
            request.headers["Authorization"] = _authorization(signer, request, signature)
        else:
            signer.add_auth(request)
    if tamper is not None:
        data = tamper(request) or data
    prepared = urllib.request.Request(request.url, data=data, method="POST", headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(prepared, timeout=10) as response:  # noqa: S310 - local emulator
            status, headers, payload = response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        status, headers, payload = exc.code, dict(exc.headers.items()), exc.read()
    operation_model = model.operation_model(operation)
    parsed = model.parse_response(operation_model or model.operation_model("GetEngagement"), status, headers, payload)
    if operation_model is not None:
        problems = model.output_errors(operation_model, parsed)
        assert not problems, model.describe(problems)
    with emulator.checker._lock:
        emulator.checker.checked += 1
    return status, headers, payload, parsed


def _authorization(signer: SigV4Auth, request: AWSRequest, signature: str) -> str:
    headers_to_sign = signer.headers_to_sign(request)
    return (
        f"AWS4-HMAC-SHA256 Credential={signer.credentials.access_key}/{signer.credential_scope(request)}, "
        f"SignedHeaders={signer.signed_headers(headers_to_sign)}, Signature={signature}"
    )
